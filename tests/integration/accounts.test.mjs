// Accounts through the real stack (nginx → lonua workers → MariaDB, and `lonua jobs` writing mail
// into a folder): shopper sign-up by page and API with every field's validation, e-mail
// verification, login and logout (cookie and bearer), session expiry, pending and withdrawn
// shoppers, CSRF on every kind of unsafe route, login throttling, the profile after re-entering
// the password, forgotten passwords, withdrawal, sellers with brand keys, admins from the command
// line, hostile text and the cache headers of personal answers.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_RUN_DIR=/path/to/run LONUA_BIN=build/lonua node tests/integration/accounts.test.mjs
//
// LONUA_RUN_DIR/mail is the folder `lonua jobs` writes mail into (LONUA_MAIL_DIR); LONUA_BIN is
// the binary for `lonua user create-admin` (it reaches the database through the LONUA_DB_* of the
// environment). CI runs this suite twice against one database (release and sanitizer builds), so
// every account carries this run's random suffix (e-mail, phone, brand name), and the suite
// removes what it made at the end: users (with their coupons, sessions and tokens), sellers,
// brands and the login_throttles rows of the keys it used (other suites log in from 127.0.0.1).
// Each request names its client address in X-Forwarded-For (nginx trusts it from 127.0.0.1), so
// nginx's rate limit and the throttle's per-address counters are per simulated browser. The
// browser (Client), the database as root, throttle keys, sign-up and login helpers and the mail
// folder are shared with the other suites in client.mjs.
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { request, describe, assertStatus, assertProblem, mediaType, sleep } from './http.mjs';
import {
  SOCKET, RUN_DIR, bailUnlessSet, uniq, newPhone, randomIp, sql, rows, one, val, num, lit, text, sha256, tokenHash,
  throttleKeys, throttleKeysUsed, setCookies, setCookie, assertClears, Client, csrfOf, JSON_ACCEPT, location,
  assertRedirect, withoutRequestId, esc, t, formMessage, fieldError, fieldErrorCount, assertGuestPage, assertPrivate,
  mailsTo, waitMails, linkToken, waitLink, outboxTo, styleIds, asForm, accountKit, pageLogin, apiLogin, sessionsOf,
  sessionIdOf, passwordHashOf,
} from './client.mjs';

const BIN = process.env.LONUA_BIN;
bailUnlessSet([
  ['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to read and set rows as root"],
  ['LONUA_RUN_DIR', RUN_DIR, 'the run folder; mail arrives in its mail/'],
  ['LONUA_BIN', BIN, 'the lonua binary, for `lonua user create-admin`'],
]);
const IDLE = Number(process.env.LONUA_SESSION_IDLE || 43200);
const SESSION_MAX = Number(process.env.LONUA_SESSION_MAX || 14 * 86400);

// ---- this run's names ---------------------------------------------------------------------------

// Every e-mail of this run ends in DOMAIN and carries this run's suffix (uniq(), client.mjs).
const DOMAIN = 'acct.lonua-test.example';
const PASSWORD = 'Acct-Test-1234!';

// What this run made, removed by the last test. The throttle keys are the ones throttleKeys,
// pageLogin and apiLogin (client.mjs) remember.
const made = { users: new Set(), brands: new Set(), throttles: throttleKeysUsed };

// Sign-up bodies and shoppers with e-mails at DOMAIN (client.mjs accountKit); each id goes to made.users.
const { newEmail, signupBody, signUp } = accountKit({ domain: DOMAIN, password: PASSWORD, users: made.users });

// ---- sellers and brands -----------------------------------------------------------------------------

// A brand made as root with a known key: key_hash = SHA-256 of 32 random bytes, the key their
// base64url text.
function makeBrand({ status = 'active' } = {}) {
  const raw = crypto.randomBytes(32);
  const name = `acctest ${uniq()} <b>&'브랜드'`;
  const id = Number(val(`INSERT INTO brands (name, key_hash, status, business_address, phone,
      business_registration_number, bank_name, bank_account_number, bank_account_holder, return_address,
      return_courier)
    VALUES (${lit(name)}, UNHEX('${sha256(raw)}'), '${status}', '서울특별시 중구 1', '0212345678', '1234567890',
      '테스트은행', '123-456-789', '예금주', '서울 어딘가', 'CJ대한통운');
    SELECT LAST_INSERT_ID();`));
  made.brands.add(id);
  return { id, name, key: raw.toString('base64url') };
}

// A seller through the API (POST /api/v1/sellers).
async function sellerSignUp(brand, over = {}) {
  const client = new Client();
  throttleKeys('brand-key', String(brand.id), client.ip);
  const body = { brand_id: brand.id, brand_key: brand.key, email: newEmail('seller'), password: 'Seller-Pass-123!',
    name: '판매자 테스트', agree_terms: true, ...over };
  const res = await client.api('POST', '/api/v1/sellers', body);
  assertStatus(res, 201);
  return { id: res.json.id, email: body.email, password: body.password, brand };
}

// ---- 1. sign-up ---------------------------------------------------------------------------------------

test('sign-up by page: every field stored, 303 to /signup/done, a pending account with an Argon2id hash', async () => {
  const c = new Client();
  const page = await c.get('/signup');
  assertStatus(page, 200);
  assert.ok(c.cookies.has('lonua_csrf'), `the sign-up page sets no lonua_csrf cookie: ${describe(page)}`);
  const styles = await styleIds();
  const body = asForm(await signupBody({ preferred_style: styles[1], gender: 'M', upper_body_type: 3,
    lower_body_type: 2, height_cm: 181, weight_kg: 77, address_detail: '101동 202호' }));
  const res = await c.post('/signup', { ...body, csrf_token: csrfOf(page) });
  assertRedirect(res, '/signup/done');
  const row = one(`SELECT id, status, role, email_verified_at, name, birth_date, gender, phone, postal_code,
    preferred_style_id, upper_body_type, lower_body_type, height_cm, weight_kg, HEX(address), HEX(address_detail)
    FROM users WHERE email = ${lit(body.email)}`);
  assert.ok(row, `no user ${body.email} after the sign-up`);
  made.users.add(Number(row[0]));
  const digits = body.phone.replace(/-/g, '');
  assert.deepEqual(row.slice(1, 14), ['pending', 'shopper', 'NULL', body.name, body.birth_date, 'M', digits, '04524',
    String(styles[1]), '3', '2', '181', '77']);
  assert.equal(Buffer.from(row[14], 'hex').toString(), body.address);
  assert.equal(Buffer.from(row[15], 'hex').toString(), '101동 202호');
  const hash = passwordHashOf(row[0]);
  const m = hash.match(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/);
  assert.ok(m, `the stored password is not an encoded Argon2id hash: ${hash}`);
  assert.ok(Number(m[1]) >= 19456, `Argon2id memory ${m[1]} KiB < 19456`);
  assert.ok(Number(m[2]) >= 2, `Argon2id iterations ${m[2]} < 2`);
  assert.equal(Number(m[3]), 1, 'Argon2id parallelism');
  assert.ok(!hash.includes(body.password), 'the hash holds the password');
  const done = await c.get(location(res));
  assertStatus(done, 200);
  assert.ok(done.text.includes('action="/verify/resend"'), '/signup/done has no resend form');
});

test('sign-up by API: 201 with Location and the user, never a password or its hash', async () => {
  const body = await signupBody({ email: newEmail('API') });
  const res = await new Client().api('POST', '/api/v1/users', body);
  assertStatus(res, 201);
  made.users.add(res.json.id);
  assert.equal(res.headers.location, '/api/v1/me');
  const u = res.json;
  assert.equal(u.email, body.email.toLowerCase(), 'the e-mail is kept in small letters');
  assert.equal(u.status, 'pending');
  assert.equal(u.role, 'shopper');
  assert.equal(u.email_verified, false);
  assert.equal(u.phone, body.phone.replace(/-/g, ''));
  assert.equal(u.has_password, true);
  for (const k of Object.keys(u)) {
    assert.ok(k === 'has_password' || !/password|hash|secret|token/.test(k), `the user JSON has ${k}: ${res.text}`);
  }
  assert.ok(!res.text.includes(PASSWORD) && !res.text.includes('$argon2'), `the answer holds the password or hash: ${res.text}`);
  assert.equal(num(`SELECT COUNT(*) FROM users WHERE id = ${u.id} AND email = ${lit(u.email)} AND status = 'pending'`), 1);
});

test('sign-up: a taken e-mail (any case) or phone is 409 USER_EMAIL_TAKEN / USER_PHONE_TAKEN, the page draws the form with the message', async () => {
  const a = await signUp();
  const taken = t('validation.taken');
  // API: the e-mail in capitals, a new phone
  const e = await signupBody({ email: a.email.toUpperCase() });
  const r1 = await new Client().api('POST', '/api/v1/users', e);
  const p1 = assertProblem(r1, 409, 'USER_EMAIL_TAKEN');
  assert.deepEqual(p1.errors, { email: 'taken' });
  // API: the same phone written without dashes, a new e-mail
  const ph = await signupBody({ phone: a.phone.replace(/-/g, '') });
  const r2 = await new Client().api('POST', '/api/v1/users', ph);
  const p2 = assertProblem(r2, 409, 'USER_PHONE_TAKEN');
  assert.deepEqual(p2.errors, { phone: 'taken' });
  // pages
  const pe = asForm(await signupBody({ email: a.email.replace(/^./, (c) => c.toUpperCase()) }));
  const r3 = await new Client().submit('/signup', '/signup', pe);
  assertStatus(r3, 409);
  assert.equal(fieldError(r3, 'signup-email-error'), esc(taken), `no message under the e-mail: ${describe(r3)}`);
  assert.equal(fieldErrorCount(r3), 1);
  const pp = asForm(await signupBody({ phone: a.phone }));
  const r4 = await new Client().submit('/signup', '/signup', pp);
  assertStatus(r4, 409);
  assert.equal(fieldError(r4, 'signup-phone-error'), esc(taken), `no message under the phone: ${describe(r4)}`);
  // kept as typed or as stored (the digits)
  assert.ok(r4.text.includes(`value="${esc(pp.phone)}"`) || r4.text.includes(`value="${pp.phone.replace(/-/g, '')}"`),
    'the phone typed is not kept');
  assert.ok(!r4.text.includes(PASSWORD), 'the password is written back into the form');
  const emails = [e.email, ph.email, pe.email, pp.email].map((x) => lit(x.toLowerCase())).join(',');
  assert.equal(num(`SELECT COUNT(*) FROM users WHERE email IN (${emails})`), 1, 'a refused sign-up made an account');
});

test('sign-up: every field\'s invalid values are 422 with errors[field] (and nothing else)', async () => {
  const ymd = (d) => d.toISOString().slice(0, 10);
  const now = new Date();
  const tomorrow = new Date(now.getTime() + 86400000);
  const thirteen = new Date(Date.UTC(now.getUTCFullYear() - 13, now.getUTCMonth(), Math.min(now.getUTCDate(), 28)));
  const styles = await styleIds();
  const noStyle = Math.max(...styles) + 1000;
  const cases = [
    ['email', 'not-an-email', 'invalid_email'], ['email', 'a@b', 'invalid_email'], ['email', 'a b@x.example', 'invalid_email'],
    ['email', '', 'required'], ['email', undefined, 'required'],
    ['password', 'Sh0rt!', 'too_short'], ['password', 'alllowercase1!', 'weak_password'],
    ['password', 'NoDigitsHere!', 'weak_password'], ['password', 'NoSymbol1234', 'weak_password'],
    ['password', 'NOSMALL123!', 'weak_password'], ['password', `Aa1!${'x'.repeat(61)}`, 'too_long'],
    ['password', undefined, 'required'],
    ['password_confirm', 'Acct-Test-9999!', 'mismatch'],
    ['name', '', 'required'], ['name', 'ㄱ'.repeat(51), 'too_long'],
    ['birth_date', '1995/04/12', 'invalid_date'], ['birth_date', '1995-02-30', 'invalid_date'],
    ['birth_date', '19950412', 'invalid_date'], ['birth_date', ymd(tomorrow), 'too_large'],
    ['birth_date', ymd(thirteen), 'too_young'], ['birth_date', undefined, 'required'],
    ['gender', 'X', 'not_allowed'], ['gender', 'w', 'not_allowed'], ['gender', undefined, 'required'],
    ['phone', '123', 'invalid_phone'], ['phone', '010-1234-567a', 'invalid_phone'], ['phone', '+82-10-1234-5678', 'invalid_phone'],
    ['postal_code', '1234', 'invalid_postal_code'], ['postal_code', 'abcde', 'invalid_postal_code'],
    ['postal_code', '123456', 'invalid_postal_code'],
    ['address', '', 'required'], ['address', 'a'.repeat(256), 'too_long'],
    ['preferred_style', noStyle, 'not_allowed'], ['preferred_style', 0, 'too_small'], ['preferred_style', 'x', 'not_integer'],
    ['upper_body_type', 0, 'too_small'], ['upper_body_type', 4, 'too_large'],
    ['lower_body_type', 0, 'too_small'], ['lower_body_type', 4, 'too_large'],
    ['height_cm', 49, 'too_small'], ['height_cm', 251, 'too_large'],
    ['weight_kg', 9, 'too_small'], ['weight_kg', 401, 'too_large'],
    ['agree_terms', false, 'must_accept'], ['agree_terms', undefined, 'must_accept'],
    ['agree_privacy', false, 'must_accept'], ['agree_privacy', undefined, 'must_accept'],
  ];
  const emails = [];
  for (const [field, value, code] of cases) {
    // the confirmation repeats the password (same_as): a wrong password is typed twice
    const body = await signupBody(field === 'password' ? { password: value, password_confirm: value } : { [field]: value });
    if (body.email) emails.push(body.email);
    const res = await new Client().api('POST', '/api/v1/users', body);
    const p = assertProblem(res, 422, 'VALIDATION_FAILED');
    assert.deepEqual(p.errors, { [field]: code }, `${field} = ${JSON.stringify(value)}: ${describe(res)}`);
  }
  // the boundaries that are fine: 50 and 250 cm, 10 and 400 kg, 1 and 3 body types (one account)
  const ok = await signUp({ height_cm: 250, weight_kg: 10, upper_body_type: 1, lower_body_type: 3 });
  assert.equal(ok.user.height_cm, 250);
  const wanted = emails.filter((e) => e.includes('@')).map((e) => lit(e.toLowerCase())).join(',');
  assert.equal(num(`SELECT COUNT(*) FROM users WHERE email IN (${wanted})`), 0, 'an invalid sign-up made an account');
});

test('sign-up page: three invalid fields show three messages and keep the values typed, never the password', async () => {
  const styles = await styleIds();
  const body = asForm(await signupBody({ email: 'not-an-email', phone: '12-34', height_cm: 999,
    password: 'Typed-Secret-987!', password_confirm: 'Typed-Secret-987!', name: '값 유지 Kept', gender: 'M',
    preferred_style: styles[1], upper_body_type: 3 }));
  const res = await new Client().submit('/signup', '/signup', body);
  assertStatus(res, 422);
  assert.equal(mediaType(res), 'text/html');
  assert.equal(fieldErrorCount(res), 3, `expected three field messages: ${describe(res)}`);
  assert.equal(fieldError(res, 'signup-email-error'), esc(t('validation.invalid_email')));
  assert.equal(fieldError(res, 'signup-phone-error'), esc(t('validation.invalid_phone')));
  assert.equal(fieldError(res, 'signup-height-error'), esc(t('validation.too_large')));
  assert.equal(formMessage(res), esc(t('form.fix_fields')));
  for (const v of ['not-an-email', '12-34', '999', '값 유지 Kept', body.address, body.address_detail, body.postal_code]) {
    assert.ok(res.text.includes(`value="${esc(v)}"`), `the form lost ${v}`);
  }
  assert.match(res.text, /name="gender" value="M" required checked/, 'the gender chosen is not kept');
  assert.match(res.text, /name="upper_body_type" value="3" required checked/, 'the body type chosen is not kept');
  assert.ok(res.text.includes(`<option value="${styles[1]}" selected>`), 'the style chosen is not kept');
  assert.ok(!res.text.includes('Typed-Secret-987!'), 'the password is written back into the page');
  assert.ok(res.text.includes('name="csrf_token" value="'), 'the form drawn again has no CSRF token');
});

// ---- 2. verification ------------------------------------------------------------------------------------

test('verification: the mail links /verify; GET twice shows the button and spends nothing; the first POST activates with two welcome coupons; the second is VERIFY_LINK_DEAD', async () => {
  const a = await signUp();
  const [mail] = await waitMails(a.email);
  assert.ok(mail.subject.length > 0, 'the mail has no subject');
  const token = linkToken(mail, '/verify');
  const c = new Client();
  let page;
  for (let i = 0; i < 2; i++) {
    page = await c.get(`/verify?token=${token}`);
    assertStatus(page, 200);
    assert.ok(page.text.includes(`name="token" value="${token}"`), `GET ${i + 1} shows no button: ${describe(page)}`);
    assert.ok(page.text.includes('action="/verify"'));
  }
  assert.deepEqual(one(`SELECT status, email_verified_at IS NULL FROM users WHERE id = ${a.id}`), ['pending', '1'],
    'a GET of the link changed the account');
  assert.equal(num(`SELECT COUNT(*) FROM email_verification_tokens WHERE user_id = ${a.id} AND used_at IS NULL`), 1,
    'a GET of the link spent it');
  const res = await c.post('/verify', { token, csrf_token: csrfOf(page) });
  assertRedirect(res, '/login?verified=1');
  assert.deepEqual(one(`SELECT status, email_verified_at IS NOT NULL FROM users WHERE id = ${a.id}`), ['active', '1']);
  const coupons = () => rows(`SELECT welcome_kind FROM coupons WHERE user_id = ${a.id}`).map((r) => r[0]).sort();
  assert.deepEqual(coupons(), ['first_month', 'signup'], 'not exactly the two welcome coupons');
  const again = await c.post('/verify', { token, csrf_token: csrfOf(page) });
  assertStatus(again, 404);
  assert.equal(formMessage(again), esc(t('verify.dead')), `the page does not say the link is dead: ${describe(again)}`);
  assert.ok(!again.text.includes(`name="token" value="${token}"`), 'a dead link still shows the button');
  const api = await new Client().api('POST', '/api/v1/auth/verify', { token });
  assertProblem(api, 404, 'VERIFY_LINK_DEAD');
  const dead = await c.get(`/verify?token=${token}`);
  assertStatus(dead, 200);
  assert.ok(!dead.text.includes('name="token"') && dead.text.includes(esc(t('verify.dead'))), 'a used link shows the button');
  assert.deepEqual(coupons(), ['first_month', 'signup'], 'a second POST changed the coupons');
});

test('verification by API: POST /api/v1/auth/verify activates; an expired link is refused and changes nothing', async () => {
  const a = await signUp();
  const b = await signUp();
  const [ma] = await waitMails(a.email);
  const [mb] = await waitMails(b.email);
  // eight at once: the link is spent by exactly one of them
  const tokenA = linkToken(ma, '/verify');
  const all = await Promise.all(Array.from({ length: 8 }, () => new Client().api('POST', '/api/v1/auth/verify', { token: tokenA })));
  const won = all.filter((r) => r.status === 200);
  assert.equal(won.length, 1, `the link was spent ${won.length} times: ${all.map((r) => r.status).join(' ')}`);
  for (const r of all) if (r.status !== 200) assertProblem(r, 404, 'VERIFY_LINK_DEAD');
  const [res] = won;
  assert.deepEqual(res.json, { status: 'active' });
  assert.equal(val(`SELECT status FROM users WHERE id = ${a.id}`), 'active');
  assert.equal(num(`SELECT COUNT(*) FROM coupons WHERE user_id = ${a.id}`), 2);
  // b's link expires (the row must keep expires_at > created_at)
  sql(`UPDATE email_verification_tokens SET created_at = UTC_TIMESTAMP() - INTERVAL 2 DAY,
    expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE user_id = ${b.id};`);
  const token = linkToken(mb, '/verify');
  const page = await new Client().get(`/verify?token=${token}`);
  assertStatus(page, 200);
  assert.ok(!page.text.includes('name="token"'), 'an expired link shows the button');
  assertProblem(await new Client().api('POST', '/api/v1/auth/verify', { token }), 404, 'VERIFY_LINK_DEAD');
  const c = new Client();
  const form = await c.post('/verify', { token, csrf_token: await c.csrf('/login') });
  assertStatus(form, 404);
  assert.equal(val(`SELECT status FROM users WHERE id = ${b.id}`), 'pending');
  assert.equal(num(`SELECT COUNT(*) FROM coupons WHERE user_id = ${b.id}`), 0);
});

test('resend: the same answer for an unknown e-mail and a pending one, and at most 3 mails an hour per account', async () => {
  const a = await signUp();
  const unknown = newEmail('nobody');
  const page = async (email) => new Client().submit('/signup/done', '/verify/resend', { email });
  const r1 = await page(unknown);
  const r2 = await page(a.email);
  assertRedirect(r1, '/signup/done?resent=1');
  assertRedirect(r2, '/signup/done?resent=1');
  const a1 = await new Client().api('POST', '/api/v1/auth/verify/resend', { email: unknown });
  const a2 = await new Client().api('POST', '/api/v1/auth/verify/resend', { email: a.email });
  assertStatus(a1, 202);
  assertStatus(a2, 202);
  assert.equal(a1.text, a2.text, 'the API tells an unknown e-mail from a pending account');
  // the sign-up's mail and two resends make three; more in the hour send nothing
  assertStatus(await new Client().api('POST', '/api/v1/auth/verify/resend', { email: a.email }), 202);
  assertRedirect(await page(a.email), '/signup/done?resent=1');
  assert.equal(num(`SELECT COUNT(*) FROM email_verification_tokens WHERE user_id = ${a.id}`), 3, 'links made');
  assert.equal(outboxTo(a.email), 3, 'mails queued for the account');
  assert.equal(outboxTo(unknown), 0, 'a mail queued for an unknown e-mail');
  const mails = await waitMails(a.email, 3);
  await sleep(1000); // lonua jobs polls every 200 ms: a fourth mail would be here by now
  assert.equal(mailsTo(a.email).length, 3, 'mails delivered');
  const tokens = new Set(mails.map((m) => linkToken(m, '/verify')));
  assert.equal(tokens.size, 3, 'each mail has its own link');
});

// ---- 3. login and logout ----------------------------------------------------------------------------------

test('login by page: cookie flags, only the SHA-256 of the token stored, a new token at each login, logout deletes the row and clears the cookie', async () => {
  const a = await signUp({}, { active: true });
  const c = new Client();
  const token = await c.csrf('/login');
  throttleKeys('user', a.email, c.ip);
  const res = await c.post('/login', { email: a.email, password: a.password, csrf_token: token });
  assertRedirect(res, '/');
  const sc = setCookie(res, 'lonua_sid');
  assert.ok(sc, `no session cookie: ${describe(res)}`);
  const [pair, ...attrs] = sc.split(';').map((s) => s.trim());
  assert.match(pair, /^lonua_sid=[A-Za-z0-9_-]{43}$/);
  const lower = attrs.map((s) => s.toLowerCase());
  for (const want of ['httponly', 'samesite=lax', 'path=/']) assert.ok(lower.includes(want), `no ${want} in ${sc}`);
  assert.ok(!lower.includes('secure'), `Secure over plain HTTP: ${sc}`);
  assert.ok(lower.some((x) => x === `max-age=${SESSION_MAX}`), `Max-Age is not the session's life: ${sc}`);
  assertPrivate(res, 'the login answer');
  const first = c.sid;
  const stored = rows(`SELECT HEX(token_hash), kind FROM sessions WHERE user_id = ${a.id}`);
  assert.deepEqual(stored, [[tokenHash(first), 'cookie']], 'the session row is not the SHA-256 of the cookie');
  assert.notEqual(stored[0][0], sha256(first), 'the hash is of the text, not of the token bytes');
  const me = await c.get('/me');
  assertStatus(me, 200);
  assert.ok(me.text.includes('action="/logout"'));
  // a login while logged in: a new token, the old row gone
  const relog = await c.post('/login', { email: a.email, password: a.password, csrf_token: csrfOf(me) });
  assertRedirect(relog, '/');
  const second = c.sid;
  assert.notEqual(second, first, 'the same token after a second login');
  assert.deepEqual(rows(`SELECT HEX(token_hash) FROM sessions WHERE user_id = ${a.id}`), [[tokenHash(second)]],
    'the second login did not replace the first session');
  const old = new Client();
  old.cookies.set('lonua_sid', first);
  const oldMe = await old.get('/me');
  assertRedirect(oldMe, /^\/login\?next=/);
  assertClears(oldMe, 'lonua_sid');
  // logout
  const out = await c.post('/logout', { csrf_token: await c.csrf('/') });
  assertRedirect(out, '/');
  assertClears(out, 'lonua_sid');
  assertPrivate(out, 'the logout answer');
  assert.equal(sessionsOf(a.id), 0, 'logout left the session row');
  const ghost = new Client();
  ghost.cookies.set('lonua_sid', second);
  const home = await ghost.get('/');
  assertGuestPage(home);
  assertClears(home, 'lonua_sid');
});

test('login by API: {token, token_type, expires_at, user}; bearer on /api/v1/me; a bearer is no cookie and a cookie no bearer; logout revokes', async () => {
  const a = await signUp({}, { active: true });
  const c = new Client();
  throttleKeys('user', a.email, c.ip);
  const started = Date.now();
  const res = await c.api('POST', '/api/v1/auth/login', { email: a.email.toUpperCase(), password: a.password });
  assertStatus(res, 200);
  assertPrivate(res, 'the API login');
  assert.equal(setCookie(res, 'lonua_sid'), undefined, 'the API login set a cookie');
  const { token, token_type, expires_at, user } = res.json;
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(token_type, 'Bearer');
  assert.match(expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const ends = Date.parse(expires_at);
  assert.ok(Math.abs(ends - (started + SESSION_MAX * 1000)) < 120000, `expires_at ${expires_at} is not now + ${SESSION_MAX} s`);
  assert.equal(user.id, a.id);
  assert.equal(user.email, a.email);
  assert.ok(!('password' in user) && !('password_hash' in user) && !res.text.includes('$argon2'), 'the login answer holds a hash');
  assert.deepEqual(rows(`SELECT HEX(token_hash), kind FROM sessions WHERE user_id = ${a.id}`), [[tokenHash(token), 'bearer']]);
  const bearer = new Client({ bearer: token });
  const me = await bearer.get('/api/v1/me');
  assertStatus(me, 200);
  assert.equal(me.json.email, a.email);
  assertPrivate(me, 'GET /api/v1/me');
  // the bearer token as a cookie: nobody
  const asCookie = new Client();
  asCookie.cookies.set('lonua_sid', token);
  assertProblem(await asCookie.get('/api/v1/me'), 401, 'NOT_AUTHENTICATED');
  const cookiePage = await asCookie.get('/me');
  assertRedirect(cookiePage, /^\/login\?next=/);
  // a cookie as a bearer token: refused
  const browser = await pageLogin(a);
  assertStatus(await browser.get('/api/v1/me'), 200);
  assertProblem(await new Client({ bearer: browser.sid }).get('/api/v1/me'), 401, 'INVALID_TOKEN');
  // logout revokes the token, and only it
  const out = await bearer.api('POST', '/api/v1/auth/logout');
  assertStatus(out, 204);
  assertProblem(await bearer.get('/api/v1/me'), 401, 'INVALID_TOKEN');
  assert.deepEqual(rows(`SELECT kind FROM sessions WHERE user_id = ${a.id}`), [['cookie']]);
  assertStatus(await browser.get('/me'), 200);
});

test('login: a wrong password and an unknown e-mail get the same 401 LOGIN_FAILED and the same page message', async () => {
  const a = await signUp({}, { active: true });
  const unknown = newEmail('nobody');
  const attempt = async (email) => {
    const c = new Client();
    throttleKeys('user', email, c.ip);
    return c.api('POST', '/api/v1/auth/login', { email, password: 'Wrong-Pass-123!' });
  };
  const wrong = await attempt(a.email);
  const nobody = await attempt(unknown);
  const pw = assertProblem(wrong, 401, 'LOGIN_FAILED');
  const pn = assertProblem(nobody, 401, 'LOGIN_FAILED');
  assert.deepEqual(withoutRequestId(pw), withoutRequestId(pn), 'the answers tell the two apart');
  assert.equal(wrong.headers['content-length'], nobody.headers['content-length']);
  const page = async (email) => {
    const c = new Client();
    throttleKeys('user', email, c.ip);
    return c.submit('/login', '/login', { email, password: 'Wrong-Pass-123!' });
  };
  const pwPage = await page(a.email);
  const pnPage = await page(unknown);
  assertStatus(pwPage, 401);
  assertStatus(pnPage, 401);
  assert.equal(formMessage(pwPage), esc(t('login.failed')), `no login message: ${describe(pwPage)}`);
  assert.equal(formMessage(pnPage), formMessage(pwPage));
  assert.equal(fieldErrorCount(pwPage), fieldErrorCount(pnPage));
  assert.ok(pwPage.text.includes(`value="${esc(a.email)}"`), 'the e-mail typed is not kept');
  assert.ok(!pwPage.text.includes('Wrong-Pass-123!'), 'the password is written back');
  assert.equal(sessionsOf(a.id), 0);
});

test('login: next= is followed for a local path only', async () => {
  const a = await signUp({}, { active: true });
  const cases = [['/me', '/me'], ['/me/profile?saved=1', '/me/profile?saved=1'], ['//evil.example', '/'],
    ['/\\evil.example', '/'], ['https://evil.example', '/'], ['/me\tx', '/'], ['/\t/evil.example', '/']];
  for (const [next, to] of cases) {
    const c = new Client();
    throttleKeys('user', a.email, c.ip);
    const res = await c.submit('/login', '/login', { email: a.email, password: a.password, next });
    assertRedirect(res, to);
  }
  const good = await new Client().get('/login?next=%2Fme%2Fprofile');
  assert.ok(good.text.includes('name="next" value="/me/profile"'), 'the login page drops a local next');
  for (const bad of ['%2F%2Fevil.example', 'https%3A%2F%2Fevil.example', '%2F%5Cevil.example']) {
    const res = await new Client().get(`/login?next=${bad}`);
    assertStatus(res, 200);
    assert.ok(!res.text.includes('name="next"'), `the login page keeps next=${bad}`);
  }
  const guest = await new Client().get('/me/profile');
  assertRedirect(guest, '/login?next=%2Fme%2Fprofile');
  const seller = await new Client().get('/seller/account');
  assertRedirect(seller, '/seller/login?next=%2Fseller%2Faccount');
});

// ---- 4. expiry ---------------------------------------------------------------------------------------

test('expiry: a session past expires_at or idle longer than the limit is rejected (page: guest, cookie cleared; API: 401)', async () => {
  const a = await signUp({}, { active: true });
  const expire = {
    absolute: `created_at = UTC_TIMESTAMP() - INTERVAL 20 DAY, expires_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE`,
    idle: `last_seen_at = UTC_TIMESTAMP() - INTERVAL ${IDLE + 60} SECOND`,
  };
  for (const [kind, set] of Object.entries(expire)) {
    const browser = await pageLogin(a);
    const bearer = await apiLogin(a);
    // still fine just inside the idle limit
    sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL ${IDLE - 120} SECOND WHERE user_id = ${a.id};`);
    assertStatus(await browser.get('/me'), 200);
    assertStatus(await bearer.get('/api/v1/me'), 200);
    sql(`UPDATE sessions SET ${set} WHERE user_id = ${a.id};`);
    const sid = browser.sid;
    const page = await browser.get('/me');
    assertRedirect(page, /^\/login\?next=/);
    assertClears(page, 'lonua_sid');
    const home = await new Client({ ip: browser.ip }).send('GET', '/', { headers: { Cookie: `lonua_sid=${sid}` } });
    assertGuestPage(home);
    assertProblem(await bearer.get('/api/v1/me'), 401, 'INVALID_TOKEN');
    assert.equal(sessionsOf(a.id), 2, `${kind}: the expired sessions are not what is left`);
    sql(`DELETE FROM sessions WHERE user_id = ${a.id};`);
  }
});

test('expiry: last_seen_at is written at most once a minute', async () => {
  const a = await signUp({}, { active: true });
  const c = await pageLogin(a);
  const id = sessionIdOf(c.sid);
  const seen = () => val(`SELECT last_seen_at FROM sessions WHERE id = ${id}`);
  sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 30 SECOND WHERE id = ${id};`);
  const before = seen();
  assertStatus(await c.get('/me'), 200);
  assertStatus(await c.get('/api/v1/me'), 200);
  assert.equal(seen(), before, 'a request within the minute wrote last_seen_at');
  sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 2 MINUTE WHERE id = ${id};`);
  const old = seen();
  assertStatus(await c.get('/me'), 200);
  const now = seen();
  assert.ok(now > old, `last_seen_at did not move after 2 minutes (${old} → ${now})`);
  assert.ok(num(`SELECT TIMESTAMPDIFF(SECOND, last_seen_at, UTC_TIMESTAMP()) FROM sessions WHERE id = ${id}`) <= 5,
    'last_seen_at is not now');
});

// ---- 5. pending and status ----------------------------------------------------------------------------

test('a pending shopper logs in and sees /me with the resend button, but /me/profile is 403 ACCOUNT_NOT_VERIFIED', async () => {
  const a = await signUp();
  const c = await pageLogin(a);
  const me = await c.get('/me');
  assertStatus(me, 200);
  assert.ok(me.text.includes('action="/verify/resend"'), 'no resend button for a pending shopper');
  assert.ok(me.text.includes(esc(t('me.pending'))), 'no word that the e-mail is not confirmed');
  const profile = await c.get('/me/profile');
  assertStatus(profile, 403);
  assertProblem(await c.get('/me/profile', { headers: JSON_ACCEPT }), 403, 'ACCOUNT_NOT_VERIFIED');
  const bearer = await apiLogin(a);
  assertStatus(await bearer.get('/api/v1/me'), 200);
  assertProblem(await bearer.api('PATCH', '/api/v1/me', { address: 'x' }), 403, 'ACCOUNT_NOT_VERIFIED');
  // the button: a new link for the signed-in shopper
  const resent = await c.post('/verify/resend', { csrf_token: csrfOf(me) });
  assertRedirect(resent, '/me?resent=1');
  assert.equal(num(`SELECT COUNT(*) FROM email_verification_tokens WHERE user_id = ${a.id}`), 2);
});

test('a shopper set to withdrawn as root is a guest at once with the session they hold', async () => {
  const a = await signUp({}, { active: true });
  const c = await pageLogin(a);
  const bearer = await apiLogin(a);
  assertStatus(await c.get('/me'), 200);
  sql(`UPDATE users SET status = 'withdrawn', withdrawn_at = UTC_TIMESTAMP() WHERE id = ${a.id};`);
  const me = await c.get('/me');
  assertRedirect(me, /^\/login\?next=/);
  assertClears(me, 'lonua_sid');
  assertProblem(await bearer.get('/api/v1/me'), 401, 'INVALID_TOKEN');
});

// ---- 6. CSRF --------------------------------------------------------------------------------------------

test('CSRF: unsafe page routes and cookie-authenticated API calls refuse a missing or wrong token (403 CSRF_FAILED) and change nothing', async () => {
  const a = await signUp({}, { active: true });
  const other = await signUp({}, { active: true });
  const c = await pageLogin(a);
  const c2 = await pageLogin(a); // another session of the same account
  const o = await pageLogin(other);
  const g = new Client();
  const guestToken = await g.csrf('/login');
  const mine = await c.csrf('/');
  const brand = makeBrand();
  const state = () => ({
    sessions: rows(`SELECT id FROM sessions WHERE user_id = ${a.id} ORDER BY id`).flat().join(','),
    user: one(`SELECT status, phone, address, password_hash FROM users WHERE id = ${a.id}`).join('|'),
  });
  const before = state();
  const newPhoneA = newPhone().dashed;
  const memberRoutes = [
    ['POST', '/logout', {}],
    ['POST', '/me/profile', asForm({ phone: newPhoneA, postal_code: '12345', address: 'CSRF 주소', preferred_style: (await styleIds())[0],
      upper_body_type: 1, lower_body_type: 1 })],
    ['POST', '/me/password', { password: 'Csrf-Changed-123!', password_confirm: 'Csrf-Changed-123!' }],
    ['POST', '/me/withdraw', { password: a.password, confirm: '1' }],
    ['POST', '/api/v1/me/password', { password: 'Csrf-Changed-123!' }, true],
    ['PATCH', '/api/v1/me', { address: 'CSRF 주소' }, true],
  ];
  const variants = [
    ['missing', undefined, {}],
    ['made up', crypto.randomBytes(32).toString('base64url'), {}],
    ['another account\'s', await o.csrf('/'), {}],
    ['another session\'s of the same account', await c2.csrf('/'), {}],
    ['a guest token (with its cookie)', guestToken, { lonua_csrf: g.cookies.get('lonua_csrf') }],
    ['too short', mine.slice(0, 20), {}],
  ];
  assert.notEqual(variants[3][1], mine, 'two sessions share a CSRF token');
  for (const [method, p, fields, isApi] of memberRoutes) {
    for (const [what, token, extraCookies] of variants) {
      const cookie = [`lonua_sid=${c.sid}`, ...Object.entries(extraCookies).map(([k, v]) => `${k}=${v}`)].join('; ');
      const opts = { headers: { ...JSON_ACCEPT, Cookie: cookie } };
      let res;
      if (isApi) {
        if (token !== undefined) opts.headers['X-CSRF-Token'] = token;
        res = await c.send(method, p, { ...opts, body: fields, json: true });
      } else {
        res = await c.send(method, p, { ...opts, body: token === undefined ? fields : { ...fields, csrf_token: token } });
      }
      assertProblem(res, 403, 'CSRF_FAILED');
      assert.deepEqual(state(), before, `${method} ${p} with ${what} token changed the database`);
    }
  }
  // an HTML form gets the error page
  const html = await c.post('/me/withdraw', { password: a.password, confirm: '1', csrf_token: 'x'.repeat(43) });
  assertStatus(html, 403);
  assert.equal(mediaType(html), 'text/html');
  // guest forms: missing, made up, another guest's token, a member's token
  const g2 = new Client();
  const otherGuest = await g2.csrf('/signup');
  const signupEmail = newEmail('csrf');
  const sellerEmail = newEmail('csrfseller');
  const guestRoutes = [
    ['/login', { email: a.email, password: a.password }],
    ['/signup', asForm(await signupBody({ email: signupEmail }))],
    ['/seller/signup', { brand_id: String(brand.id), brand_key: brand.key, email: sellerEmail, password: 'Seller-Pass-123!',
      password_confirm: 'Seller-Pass-123!', name: 'csrf', agree_terms: '1' }],
  ];
  for (const [p, fields] of guestRoutes) {
    for (const [what, token] of [['missing', undefined], ['made up', crypto.randomBytes(32).toString('base64url')],
      ['another guest\'s', otherGuest], ['a member\'s', mine]]) {
      const body = token === undefined ? fields : { ...fields, csrf_token: token };
      const res = await g.send('POST', p, { body, headers: JSON_ACCEPT });
      assertProblem(res, 403, 'CSRF_FAILED');
      assert.ok(setCookie(res, 'lonua_sid') === undefined, `${p} with ${what} token signed someone in`);
    }
  }
  assert.deepEqual(state(), before, 'a refused login made a session');
  assert.equal(num(`SELECT COUNT(*) FROM users WHERE email = ${lit(signupEmail)}`), 0, 'a refused sign-up made an account');
  assert.equal(num(`SELECT COUNT(*) FROM sellers WHERE email = ${lit(sellerEmail)}`), 0, 'a refused seller sign-up made one');
  // the right token works with the cookie; a bearer token needs none
  const ok = await c.api('PATCH', '/api/v1/me', { address: 'CSRF 통과' }, { headers: { 'X-CSRF-Token': mine } });
  assertStatus(ok, 200);
  assert.equal(ok.json.address, 'CSRF 통과');
  const bearer = await apiLogin(a);
  const patched = await bearer.api('PATCH', '/api/v1/me', { address: 'bearer 주소' });
  assertStatus(patched, 200);
  assert.equal(text(`SELECT HEX(address) FROM users WHERE id = ${a.id}`), 'bearer 주소');
  const pw = await bearer.api('POST', '/api/v1/me/password', { password: 'Bearer-Changed-123!' });
  assertStatus(pw, 204);
  assert.notEqual(passwordHashOf(a.id), before.user.split('|')[3], 'the bearer password change did nothing');
});

// ---- 7. throttling --------------------------------------------------------------------------------------

test('throttling: repeated wrong passwords for one account from one address get 429 TOO_MANY_ATTEMPTS with Retry-After, the same for an unknown e-mail; the right password is refused while blocked; another account is not', async () => {
  const a = await signUp({}, { active: true });
  const b = await signUp({}, { active: true });
  const unknown = newEmail('nobody');
  const ip = randomIp();
  const c = new Client({ ip });
  const hammer = async (email) => {
    const k = throttleKeys('user', email, ip);
    const seen = [];
    for (let i = 0; i < 10; i++) {
      const res = await c.api('POST', '/api/v1/auth/login', { email, password: `Wrong-Pass-${i}!` });
      seen.push(res.status);
      if (res.status === 429) return { res, seen, k };
      assertProblem(res, 401, 'LOGIN_FAILED');
    }
    assert.fail(`no 429 after 10 wrong passwords for ${email}: ${seen.join(' ')}`);
  };
  const ra = await hammer(a.email);
  assert.ok(ra.seen.length >= 6 && ra.seen.length <= 7, `429 came after ${ra.seen.length - 1} failures (${ra.seen.join(' ')})`);
  const pa = assertProblem(ra.res, 429, 'TOO_MANY_ATTEMPTS');
  const retry = Number(ra.res.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 900, `Retry-After: ${describe(ra.res)}`);
  assert.ok(ra.res.headers['x-request-id'], 'the 429 did not come from the workers');
  assert.ok(num(`SELECT COUNT(*) FROM login_throttles WHERE scope = 'account_ip' AND key_hash = UNHEX('${ra.k.account_ip}')
    AND blocked_until > UTC_TIMESTAMP()`) === 1, 'no block recorded for the account and address');
  // the right password now: refused
  const right = await c.api('POST', '/api/v1/auth/login', { email: a.email, password: a.password });
  assertProblem(right, 429, 'TOO_MANY_ATTEMPTS');
  assert.equal(sessionsOf(a.id), 0, 'a blocked login made a session');
  // the page says so
  const page = await c.submit('/login', '/login', { email: a.email, password: a.password });
  assertStatus(page, 429);
  assert.equal(formMessage(page), esc(t('login.throttled')), `no throttle message: ${describe(page)}`);
  // an e-mail without an account: the same
  const ru = await hammer(unknown);
  assert.deepEqual(ru.seen, ra.seen, 'an unknown e-mail is throttled differently');
  assert.deepEqual(withoutRequestId(assertProblem(ru.res, 429, 'TOO_MANY_ATTEMPTS')), withoutRequestId(pa));
  // another account from the same address logs in
  const other = await c.api('POST', '/api/v1/auth/login', { email: b.email, password: b.password });
  throttleKeys('user', b.email, ip);
  assertStatus(other, 200);
  // and the blocked account from another address too (the tight limit is per account and address)
  const elsewhere = new Client();
  throttleKeys('user', a.email, elsewhere.ip);
  assertStatus(await elsewhere.api('POST', '/api/v1/auth/login', { email: a.email, password: a.password }), 200);
  sql(`DELETE FROM login_throttles WHERE key_hash IN (${[...made.throttles].map((h) => `UNHEX('${h}')`).join(',')});`);
});

// ---- 8. profile ------------------------------------------------------------------------------------------

test('profile: the form right after login; the password again after 15 minutes; a wrong one is refused and counted', async () => {
  const a = await signUp({}, { active: true });
  const c = await pageLogin(a);
  const first = await c.get('/me/profile');
  assertStatus(first, 200);
  assert.ok(first.text.includes('action="/me/profile"') && !first.text.includes('action="/me/profile/reauth"'),
    'no profile form right after login');
  assert.ok(first.text.includes(`value="${a.phone.replace(/-/g, '')}"`) || first.text.includes(`value="${a.phone}"`),
    'the form does not start with the stored phone');
  sql(`UPDATE sessions SET reauthenticated_at = UTC_TIMESTAMP() - INTERVAL 20 MINUTE WHERE id = ${sessionIdOf(c.sid)};`);
  const later = await c.get('/me/profile');
  assertStatus(later, 200);
  assert.ok(later.text.includes('action="/me/profile/reauth"') && !later.text.includes('action="/me/profile"'),
    'no password form after 15 minutes');
  const k = throttleKeys('user', a.email, c.ip);
  const wrong = await c.post('/me/profile/reauth', { password: 'Wrong-Pass-123!', csrf_token: csrfOf(later) });
  assertStatus(wrong, 401);
  assert.equal(fieldError(wrong, 'reauth-password-error'), esc(t('validation.wrong_password')));
  assert.ok(wrong.text.includes('action="/me/profile/reauth"'));
  assert.equal(num(`SELECT failures FROM login_throttles WHERE scope = 'account_ip' AND key_hash = UNHEX('${k.account_ip}')`), 1,
    'a wrong password at the profile does not count toward the throttle');
  const right = await c.post('/me/profile/reauth', { password: a.password, csrf_token: csrfOf(later) });
  assertRedirect(right, '/me/profile');
  const form = await c.get('/me/profile');
  assert.ok(form.text.includes('action="/me/profile"') && !form.text.includes('action="/me/profile/reauth"'),
    'no profile form after the password');
});

test('profile: phone, address, style, body types and measurements change; name, e-mail and birth date do not; another account\'s phone is 409', async () => {
  const a = await signUp({}, { active: true });
  const other = await signUp({}, { active: true });
  const c = await pageLogin(a);
  const styles = await styleIds();
  const phone = newPhone();
  const res = await c.submit('/me/profile', '/me/profile', {
    phone: phone.dashed, postal_code: '06236', address: '서울특별시 강남구 테헤란로 1', address_detail: '10층',
    preferred_style: String(styles[1]), upper_body_type: '3', lower_body_type: '3', height_cm: '180', weight_kg: '80',
    name: '바뀐 이름', email: newEmail('changed'), birth_date: '2001-01-01', gender: 'M', role: 'admin', status: 'withdrawn',
  });
  assertRedirect(res, '/me/profile?saved=1');
  const row = one(`SELECT phone, postal_code, HEX(address), address_detail, preferred_style_id, upper_body_type,
    lower_body_type, height_cm, weight_kg, name, email, birth_date, gender, role, status FROM users WHERE id = ${a.id}`);
  row[2] = Buffer.from(row[2], 'hex').toString();
  assert.deepEqual(row, [phone.digits, '06236', '서울특별시 강남구 테헤란로 1', '10층', String(styles[1]), '3', '3', '180', '80',
    a.body.name, a.email, a.body.birth_date, a.body.gender, 'shopper', 'active']);
  const saved = await c.get('/me/profile?saved=1');
  assert.ok(saved.text.includes(esc(t('profile.saved'))));
  // another account's phone
  const taken = await c.submit('/me/profile', '/me/profile', { phone: other.phone, postal_code: '06236', address: 'x',
    preferred_style: String(styles[0]), upper_body_type: '1', lower_body_type: '1' });
  assertStatus(taken, 409);
  assert.equal(fieldError(taken, 'profile-phone-error'), esc(t('validation.taken')));
  const bearer = await apiLogin(a);
  const api = await bearer.api('PATCH', '/api/v1/me', { phone: other.phone });
  assert.deepEqual(assertProblem(api, 409, 'USER_PHONE_TAKEN').errors, { phone: 'taken' });
  assert.equal(val(`SELECT phone FROM users WHERE id = ${a.id}`), phone.digits);
  // invalid values are 422 per field
  const bad = await bearer.api('PATCH', '/api/v1/me', { height_cm: 300, upper_body_type: 0, postal_code: '1' });
  assert.deepEqual(assertProblem(bad, 422, 'VALIDATION_FAILED').errors,
    { height_cm: 'too_large', upper_body_type: 'too_small', postal_code: 'invalid_postal_code' });
});

test('profile API: PATCH /api/v1/me works with current_password; without it after 15 minutes 403 REAUTHENTICATE', async () => {
  const a = await signUp({}, { active: true });
  const bearer = await apiLogin(a);
  const fresh = await bearer.api('PATCH', '/api/v1/me', { weight_kg: 61 });
  assertStatus(fresh, 200);
  assert.equal(fresh.json.weight_kg, 61);
  sql(`UPDATE sessions SET reauthenticated_at = UTC_TIMESTAMP() - INTERVAL 20 MINUTE WHERE user_id = ${a.id};`);
  assertProblem(await bearer.api('PATCH', '/api/v1/me', { weight_kg: 62 }), 403, 'REAUTHENTICATE');
  throttleKeys('user', a.email, bearer.ip);
  const wrong = await bearer.api('PATCH', '/api/v1/me', { weight_kg: 62, current_password: 'Wrong-Pass-123!' });
  assertStatus(wrong, 401);
  assert.equal(wrong.json.errors.current_password, 'wrong_password');
  assert.equal(val(`SELECT weight_kg FROM users WHERE id = ${a.id}`), '61');
  const ok = await bearer.api('PATCH', '/api/v1/me', { weight_kg: 62, current_password: a.password });
  assertStatus(ok, 200);
  assert.equal(val(`SELECT weight_kg FROM users WHERE id = ${a.id}`), '62');
  assertProblem(await bearer.api('POST', '/api/v1/me/password', { password: 'Next-Pass-1234!' }), 403, 'REAUTHENTICATE');
});

test('profile: changing the password ends every other session of the account; the current one lives', async () => {
  const a = await signUp({}, { active: true });
  const c = await pageLogin(a);
  const c2 = await pageLogin(a);
  const bearer = await apiLogin(a);
  const other = await signUp({}, { active: true });
  const otherSession = await pageLogin(other);
  assert.equal(sessionsOf(a.id), 3);
  const mismatch = await c.submit('/me/profile', '/me/password', { password: 'New-Pass-4321!', password_confirm: 'New-Pass-4322!' });
  assertStatus(mismatch, 422);
  assert.equal(fieldError(mismatch, 'profile-password-confirm-error'), esc(t('validation.mismatch')));
  const res = await c.submit('/me/profile', '/me/password', { password: 'New-Pass-4321!', password_confirm: 'New-Pass-4321!' });
  assertRedirect(res, '/me/profile?password=1');
  assertStatus(await c.get('/me'), 200);
  assertRedirect(await c2.get('/me'), /^\/login\?next=/);
  assertProblem(await bearer.get('/api/v1/me'), 401, 'INVALID_TOKEN');
  assert.deepEqual(rows(`SELECT HEX(token_hash) FROM sessions WHERE user_id = ${a.id}`), [[tokenHash(c.sid)]]);
  assertStatus(await otherSession.get('/me'), 200); // another account's session is not touched
  const old = new Client();
  throttleKeys('user', a.email, old.ip);
  assertProblem(await old.api('POST', '/api/v1/auth/login', { email: a.email, password: a.password }), 401, 'LOGIN_FAILED');
  await apiLogin({ email: a.email, password: 'New-Pass-4321!' });
});

// ---- 9. forgot and reset ------------------------------------------------------------------------------------

test('forgot/reset: the same answer for a real and an unknown e-mail; the mailed link sets the password once and ends every session', async () => {
  const a = await signUp({}, { active: true });
  const unknown = newEmail('nobody');
  const browser = await pageLogin(a);
  const bearer = await apiLogin(a);
  const p1 = await new Client().submit('/password/forgot', '/password/forgot', { email: a.email });
  const p2 = await new Client().submit('/password/forgot', '/password/forgot', { email: unknown });
  assertRedirect(p1, '/password/forgot?sent=1');
  assertRedirect(p2, '/password/forgot?sent=1');
  const a1 = await new Client().api('POST', '/api/v1/auth/password/forgot', { email: unknown });
  assertStatus(a1, 202);
  assert.equal(a1.text, (await new Client().api('POST', '/api/v1/auth/password/forgot', { email: a.email })).text,
    'the API tells an unknown e-mail from an account');
  assert.equal(outboxTo(unknown), 0, 'a mail queued for an unknown e-mail');
  // at most 3 links an hour
  for (let i = 0; i < 2; i++) assertStatus(await new Client().api('POST', '/api/v1/auth/password/forgot', { email: a.email }), 202);
  assert.equal(num(`SELECT COUNT(*) FROM password_reset_tokens WHERE user_id = ${a.id}`), 3, 'reset links made');
  const token = await waitLink(a.email, '/password/reset');
  const c = new Client();
  const page = await c.get(`/password/reset?token=${token}`);
  assertStatus(page, 200);
  assert.ok(page.text.includes(`name="token" value="${token}"`), 'the reset page shows no form');
  assertStatus(await c.get(`/password/reset?token=${token}`), 200); // a GET spends nothing
  const res = await c.post('/password/reset', { token, password: 'Reset-Pass-123!', password_confirm: 'Reset-Pass-123!',
    csrf_token: csrfOf(page) });
  assertRedirect(res, '/login?reset=1');
  assert.equal(sessionsOf(a.id), 0, 'the reset left sessions of the account');
  assertRedirect(await browser.get('/me'), /^\/login\?next=/);
  assertProblem(await bearer.get('/api/v1/me'), 401, 'INVALID_TOKEN');
  const old = new Client();
  throttleKeys('user', a.email, old.ip);
  assertProblem(await old.api('POST', '/api/v1/auth/login', { email: a.email, password: a.password }), 401, 'LOGIN_FAILED');
  await apiLogin({ email: a.email, password: 'Reset-Pass-123!' });
  // once only
  const again = await c.post('/password/reset', { token, password: 'Other-Pass-123!', password_confirm: 'Other-Pass-123!',
    csrf_token: csrfOf(page) });
  assertStatus(again, 404);
  assert.equal(formMessage(again), esc(t('password.dead')), `the page does not say the link is dead: ${describe(again)}`);
  assertProblem(await new Client().api('POST', '/api/v1/auth/password/reset', { token, password: 'Other-Pass-123!' }),
    404, 'RESET_LINK_DEAD');
  await apiLogin({ email: a.email, password: 'Reset-Pass-123!' });
});

test('forgot/reset for a seller (seller=1): the link sets the seller\'s password', async () => {
  const s = await sellerSignUp(makeBrand());
  const bearer = await apiLogin(s, { seller: true });
  const res = await new Client().api('POST', '/api/v1/auth/password/forgot', { email: s.email, seller: true });
  assertStatus(res, 202);
  const token = await waitLink(s.email, '/password/reset');
  const c = new Client();
  const page = await c.get(`/password/reset?token=${token}`);
  const done = await c.post('/password/reset', { token, password: 'Seller-Reset-123!', password_confirm: 'Seller-Reset-123!',
    csrf_token: csrfOf(page) });
  assertRedirect(done, '/seller/login?reset=1');
  assertProblem(await bearer.get('/api/v1/seller/me'), 401, 'INVALID_TOKEN');
  const old = new Client();
  throttleKeys('seller', s.email, old.ip);
  assertProblem(await old.api('POST', '/api/v1/seller/auth/login', { email: s.email, password: s.password }), 401, 'LOGIN_FAILED');
  await apiLogin({ email: s.email, password: 'Seller-Reset-123!' }, { seller: true });
  assertProblem(await new Client().api('POST', '/api/v1/auth/password/reset', { token, password: 'Other-Pass-123!' }),
    404, 'RESET_LINK_DEAD');
});

// ---- 10. withdrawal -----------------------------------------------------------------------------------------

test('withdrawal: the row keeps id and name, the personal data is gone, no more login, and the e-mail can sign up again', async () => {
  const a = await signUp({}, { active: true });
  const kakao = crypto.randomInt(1, 2 ** 47);
  sql(`UPDATE users SET kakao_id = ${kakao} WHERE id = ${a.id};`);
  const c = await pageLogin(a);
  const bearer = await apiLogin(a);
  throttleKeys('user', a.email, c.ip);
  const wrong = await c.submit('/me/withdraw', '/me/withdraw', { password: 'Wrong-Pass-123!', confirm: '1' });
  assertStatus(wrong, 401);
  assert.equal(fieldError(wrong, 'withdraw-password-error'), esc(t('validation.wrong_password')));
  const unticked = await c.submit('/me/withdraw', '/me/withdraw', { password: a.password });
  assertStatus(unticked, 422);
  assert.equal(fieldError(unticked, 'withdraw-confirm-error'), esc(t('validation.must_accept')));
  assert.equal(val(`SELECT status FROM users WHERE id = ${a.id}`), 'active');
  const res = await c.submit('/me/withdraw', '/me/withdraw', { password: a.password, confirm: '1' });
  assertRedirect(res, /^\/(\?withdrawn=1)?$/);
  assertClears(res, 'lonua_sid');
  const row = one(`SELECT id, name, status, withdrawn_at IS NOT NULL, email, phone, password_hash, postal_code, address,
    address_detail, birth_date, height_cm, weight_kg, kakao_id FROM users WHERE id = ${a.id}`);
  assert.deepEqual(row, [String(a.id), a.body.name, 'withdrawn', '1', ...Array(10).fill('NULL')]);
  assert.equal(sessionsOf(a.id), 0);
  assertProblem(await bearer.get('/api/v1/me'), 401, 'INVALID_TOKEN');
  const again = new Client();
  throttleKeys('user', a.email, again.ip);
  assertProblem(await again.api('POST', '/api/v1/auth/login', { email: a.email, password: a.password }), 401, 'LOGIN_FAILED');
  const back = await new Client().api('POST', '/api/v1/users', { ...a.body });
  assertStatus(back, 201);
  made.users.add(back.json.id);
  assert.notEqual(back.json.id, a.id);
  assert.equal(back.json.email, a.email);
});

// ---- 11. sellers ----------------------------------------------------------------------------------------------

test('seller sign-up by page with brand id and key: 303 to /seller, signed in; /seller and /seller/account', async () => {
  const brand = makeBrand();
  const c = new Client();
  throttleKeys('brand-key', String(brand.id), c.ip);
  const email = newEmail('seller');
  const res = await c.submit('/seller/signup', '/seller/signup', { brand_id: String(brand.id), brand_key: brand.key, email,
    password: 'Seller-Pass-123!', password_confirm: 'Seller-Pass-123!', name: '판매자 <i>', phone: newPhone().dashed,
    agree_terms: '1' });
  assertRedirect(res, '/seller');
  assert.ok(c.sid, 'the seller is not signed in');
  const row = one(`SELECT id, brand_id, status, password_hash LIKE '$argon2id$%' FROM sellers WHERE email = ${lit(email)}`);
  assert.deepEqual(row.slice(1), [String(brand.id), 'active', '1']);
  assert.deepEqual(rows(`SELECT kind FROM sessions WHERE seller_id = ${row[0]}`), [['cookie']]);
  const home = await c.get('/seller');
  assertStatus(home, 200);
  assert.ok(home.text.includes(esc(brand.name)), 'the console does not name the brand');
  assert.ok(!home.text.includes(brand.name), 'the brand name is not escaped');
  const account = await c.get('/seller/account');
  assertStatus(account, 200);
  assert.ok(account.text.includes(esc('판매자 <i>')));
  // the login page
  const login = await pageLogin({ email, password: 'Seller-Pass-123!' }, new Client(), { action: '/seller/login' });
  assertStatus(await login.get('/seller'), 200);
});

test('seller sign-up: a wrong key and an unknown brand are the same 422 BRAND_KEY_WRONG; repeated wrong keys 429; an inactive brand 409 BRAND_INACTIVE', async () => {
  const brand = makeBrand();
  const inactive = makeBrand({ status: 'inactive' });
  const body = (over) => ({ brand_id: brand.id, brand_key: brand.key, email: newEmail('seller'), password: 'Seller-Pass-123!',
    name: '판매자', agree_terms: true, ...over });
  const attempt = async (client, over) => {
    throttleKeys('brand-key', String(over.brand_id ?? brand.id), client.ip);
    return client.api('POST', '/api/v1/sellers', body(over));
  };
  const wrong = await attempt(new Client(), { brand_key: makeBrand().key });
  const unknown = await attempt(new Client(), { brand_id: 9007199254740000 });
  const pw = assertProblem(wrong, 422, 'BRAND_KEY_WRONG');
  assert.deepEqual(pw.errors, { brand_key: 'wrong_brand_key' });
  assert.deepEqual(withoutRequestId(assertProblem(unknown, 422, 'BRAND_KEY_WRONG')), withoutRequestId(pw));
  const notKey = await attempt(new Client(), { brand_key: 'not base64url!' });
  assertProblem(notKey, 422, 'BRAND_KEY_WRONG');
  // the page form
  const pc = new Client();
  throttleKeys('brand-key', String(brand.id), pc.ip);
  const page = await pc.submit('/seller/signup', '/seller/signup', asForm({ ...body({ brand_key: 'x'.repeat(43) }),
    password_confirm: 'Seller-Pass-123!' }));
  assertStatus(page, 422);
  assert.ok(page.text.includes(esc(t('validation.wrong_brand_key'))), `no brand key message: ${describe(page)}`);
  assert.ok(!page.text.includes('x'.repeat(43)), 'the brand key is written back into the form');
  // an inactive brand with its right key
  const off = await attempt(new Client(), { brand_id: inactive.id, brand_key: inactive.key });
  assert.deepEqual(assertProblem(off, 409, 'BRAND_INACTIVE').errors, { brand_id: 'brand_inactive' });
  // guessing from one address
  const g = new Client();
  const seen = [];
  let res;
  for (let i = 0; i < 10; i++) {
    res = await attempt(g, { brand_key: crypto.randomBytes(32).toString('base64url') });
    seen.push(res.status);
    if (res.status === 429) break;
    assertProblem(res, 422, 'BRAND_KEY_WRONG');
  }
  assertProblem(res, 429, 'TOO_MANY_ATTEMPTS');
  assert.ok(seen.length <= 7, `429 after ${seen.length - 1} wrong keys`);
  assert.ok(Number(res.headers['retry-after']) > 0, 'no Retry-After');
  const blocked = await attempt(g, {});
  assertProblem(blocked, 429, 'TOO_MANY_ATTEMPTS');
  assert.equal(num(`SELECT COUNT(*) FROM sellers WHERE brand_id IN (${brand.id}, ${inactive.id})`), 0, 'a refused sign-up made a seller');
});

test('sellers: login, a suspended seller is 403 ACCOUNT_SUSPENDED on /seller and at login after the right password', async () => {
  const s = await sellerSignUp(makeBrand());
  const c = await pageLogin(s, new Client(), { action: '/seller/login' });
  assertStatus(await c.get('/seller'), 200);
  const bearer = await apiLogin(s, { seller: true });
  const me = await bearer.get('/api/v1/seller/me');
  assertStatus(me, 200);
  assert.equal(me.json.email, s.email);
  sql(`UPDATE sellers SET status = 'suspended' WHERE id = ${s.id};`);
  assertStatus(await c.get('/seller'), 403);
  assertProblem(await c.get('/seller', { headers: JSON_ACCEPT }), 403, 'ACCOUNT_SUSPENDED');
  assertProblem(await bearer.get('/api/v1/seller/me'), 403, 'ACCOUNT_SUSPENDED');
  const l = new Client();
  throttleKeys('seller', s.email, l.ip);
  assertProblem(await l.api('POST', '/api/v1/seller/auth/login', { email: s.email, password: 'Wrong-Pass-123!' }), 401, 'LOGIN_FAILED');
  assertProblem(await l.api('POST', '/api/v1/seller/auth/login', { email: s.email, password: s.password }), 403, 'ACCOUNT_SUSPENDED');
  const page = await l.submit('/seller/login', '/seller/login', { email: s.email, password: s.password });
  assertStatus(page, 403);
  assert.equal(setCookie(page, 'lonua_sid'), undefined, 'a suspended seller got a session');
  // an inactive brand stops its sellers the same way
  const t2 = await sellerSignUp(makeBrand());
  const c2 = await pageLogin(t2, new Client(), { action: '/seller/login' });
  sql(`UPDATE brands SET status = 'inactive' WHERE id = ${t2.brand.id};`);
  assertProblem(await c2.get('/seller', { headers: JSON_ACCEPT }), 403, 'ACCOUNT_SUSPENDED');
});

test('sellers: a seller and a shopper with the same e-mail are different accounts, each with its own password and pages', async () => {
  const shopper = await signUp({}, { active: true });
  const seller = await sellerSignUp(makeBrand(), { email: shopper.email, password: 'Seller-Only-123!' });
  const c = new Client();
  throttleKeys('user', shopper.email, c.ip);
  throttleKeys('seller', shopper.email, c.ip);
  assertProblem(await c.api('POST', '/api/v1/auth/login', { email: shopper.email, password: seller.password }), 401, 'LOGIN_FAILED');
  assertProblem(await c.api('POST', '/api/v1/seller/auth/login', { email: shopper.email, password: shopper.password }), 401, 'LOGIN_FAILED');
  const asShopper = await pageLogin(shopper);
  const asSeller = await pageLogin(seller, new Client(), { action: '/seller/login' });
  assertStatus(await asShopper.get('/me'), 200);
  assertStatus(await asSeller.get('/seller'), 200);
  assertProblem(await asSeller.get('/me', { headers: JSON_ACCEPT }), 403, 'WRONG_ROLE');
  assertStatus(await asSeller.get('/me/profile'), 403);
  assertProblem(await asShopper.get('/seller', { headers: JSON_ACCEPT }), 403, 'WRONG_ROLE');
  const sb = await apiLogin(seller, { seller: true });
  assertProblem(await sb.get('/api/v1/me'), 403, 'WRONG_ROLE');
  const ub = await apiLogin(shopper);
  assertProblem(await ub.get('/api/v1/seller/me'), 403, 'WRONG_ROLE');
  assert.equal((await sb.get('/api/v1/seller/me')).json.id, seller.id);
  assert.equal((await ub.get('/api/v1/me')).json.id, shopper.id);
});

test('sellers: a password change ends the seller\'s other sessions; deleting the account ends it', async () => {
  const s = await sellerSignUp(makeBrand());
  const c = await pageLogin(s, new Client(), { action: '/seller/login' });
  const c2 = await pageLogin(s, new Client(), { action: '/seller/login' });
  const bearer = await apiLogin(s, { seller: true });
  throttleKeys('seller', s.email, bearer.ip);
  const wrong = await bearer.api('POST', '/api/v1/seller/me/password', { current_password: 'Wrong-Pass-123!', password: 'Seller-New-123!' });
  assertStatus(wrong, 401);
  const weak = await bearer.api('POST', '/api/v1/seller/me/password', { current_password: s.password, password: 'weak' });
  assert.deepEqual(assertProblem(weak, 422, 'VALIDATION_FAILED').errors, { password: 'too_short' });
  const res = await c.submit('/seller/account', '/seller/account/password', { current_password: s.password,
    password: 'Seller-New-123!', password_confirm: 'Seller-New-123!' });
  assertRedirect(res, '/seller/account?password=1');
  assertStatus(await c.get('/seller'), 200);
  assertRedirect(await c2.get('/seller'), /^\/seller\/login\?next=/);
  assertProblem(await bearer.get('/api/v1/seller/me'), 401, 'INVALID_TOKEN');
  const fresh = await apiLogin({ email: s.email, password: 'Seller-New-123!' }, { seller: true });
  // deletion by page
  throttleKeys('seller', s.email, c.ip);
  const del = await c.submit('/seller/account/delete', '/seller/account/delete', { password: 'Seller-New-123!', confirm: '1' });
  assertRedirect(del, /^\/(\?seller_deleted=1)?$/);
  assertClears(del, 'lonua_sid');
  assert.equal(num(`SELECT COUNT(*) FROM sellers WHERE id = ${s.id}`), 0);
  assert.equal(num(`SELECT COUNT(*) FROM sessions WHERE seller_id = ${s.id}`), 0);
  assertProblem(await fresh.get('/api/v1/seller/me'), 401, 'INVALID_TOKEN');
  const l = new Client();
  throttleKeys('seller', s.email, l.ip);
  assertProblem(await l.api('POST', '/api/v1/seller/auth/login', { email: s.email, password: 'Seller-New-123!' }), 401, 'LOGIN_FAILED');
  // and by API
  const s2 = await sellerSignUp(makeBrand());
  const b2 = await apiLogin(s2, { seller: true });
  throttleKeys('seller', s2.email, b2.ip);
  assertStatus(await b2.api('DELETE', '/api/v1/seller/me', { password: s2.password }), 204);
  assert.equal(num(`SELECT COUNT(*) FROM sellers WHERE id = ${s2.id}`), 0);
});

// ---- 12. admins ---------------------------------------------------------------------------------------------

function createAdmin(email, name, password) {
  return spawnSync(BIN, ['user', 'create-admin', email, name], { input: `${password}\n`, encoding: 'utf8', env: process.env });
}

test('lonua user create-admin: an active admin who logs in at /login and gets 403 on /me/profile; a weak password or a taken e-mail is refused', async () => {
  const email = newEmail('Admin');
  const made1 = createAdmin(email, 'Acct Admin', 'Admin-Pass-1234!');
  assert.equal(made1.status, 0, `create-admin failed: ${made1.stderr}`);
  const lower = email.toLowerCase();
  assert.match(made1.stdout, new RegExp(`admin \\d+: ${lower.replace(/[.+]/g, '\\$&')}`));
  const row = one(`SELECT id, role, status, email_verified_at IS NOT NULL, password_hash LIKE '$argon2id$%' FROM users
    WHERE email = ${lit(lower)}`);
  assert.ok(row, 'no admin row');
  made.users.add(Number(row[0]));
  assert.deepEqual(row.slice(1), ['admin', 'active', '1', '1']);
  assert.ok(!made1.stdout.includes('Admin-Pass-1234!') && !made1.stderr.includes('Admin-Pass-1234!'), 'the password is printed');
  const c = await pageLogin({ email: lower, password: 'Admin-Pass-1234!' });
  assertProblem(await c.get('/me/profile', { headers: JSON_ACCEPT }), 403, 'WRONG_ROLE');
  assertStatus(await c.get('/me/profile'), 403);
  assertStatus(await c.get('/me'), 403);
  const home = await c.get('/');
  assertStatus(home, 200);
  assert.ok(home.text.includes('action="/logout"'), 'the admin is not signed in');
  const weakEmail = newEmail('admin');
  for (const weak of ['short1!', 'alllowercase1!', '']) {
    const r = createAdmin(weakEmail, 'Weak', weak);
    assert.notEqual(r.status, 0, `a weak password ${JSON.stringify(weak)} made an admin`);
  }
  assert.equal(num(`SELECT COUNT(*) FROM users WHERE email = ${lit(weakEmail)}`), 0);
  for (const again of [lower, email.toUpperCase()]) {
    const r = createAdmin(again, 'Again', 'Admin-Pass-1234!');
    assert.notEqual(r.status, 0, `a taken e-mail ${again} made a second admin`);
  }
  assert.equal(num(`SELECT COUNT(*) FROM users WHERE email = ${lit(lower)}`), 1);
  const shopper = await signUp();
  assert.notEqual(createAdmin(shopper.email, 'Shopper', 'Admin-Pass-1234!').status, 0, 'a shopper\'s e-mail made an admin');
  assert.notEqual(createAdmin('not-an-email', 'X', 'Admin-Pass-1234!').status, 0, 'a bad e-mail made an admin');
});

// ---- 13. hostile input ----------------------------------------------------------------------------------------

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onmouseover='x"];

function assertEscaped(res, values, where) {
  for (const v of values) {
    assert.ok(!res.text.includes(v), `${where} holds ${v} unescaped`);
    assert.ok(res.text.includes(esc(v)), `${where} does not show ${v} escaped`);
  }
}

test('XSS payloads in every text field of sign-up and profile come back escaped on /me, /me/profile and the forms drawn again, verbatim in JSON', async () => {
  for (const p of XSS) {
    const a = await signUp({ name: p, address: `서울 ${p}`, address_detail: p }, { active: true });
    assert.equal(a.user.name, p);
    const c = await pageLogin(a);
    const me = await c.get('/me');
    assertStatus(me, 200);
    assertEscaped(me, [p], '/me');
    const profile = await c.get('/me/profile');
    assertStatus(profile, 200);
    assertEscaped(profile, [p, `서울 ${p}`], '/me/profile');
    assert.ok(profile.text.includes(`value="${esc(`서울 ${p}`)}"`), 'the address is not in its input');
    const json = await c.get('/api/v1/me');
    assert.deepEqual([json.json.name, json.json.address, json.json.address_detail], [p, `서울 ${p}`, p]);
    const model = await c.get('/me', { headers: JSON_ACCEPT });
    assert.equal(model.json.user.name, p, 'the page\'s JSON model is not verbatim');
  }
  // the sign-up form drawn again (an invalid postal code)
  const all = XSS.join(' ');
  const body = asForm(await signupBody({ name: XSS[0], address: all, address_detail: `${XSS[1]}${XSS[2]}`, postal_code: 'x' }));
  const redraw = await new Client().submit('/signup', '/signup', body);
  assertStatus(redraw, 422);
  assertEscaped(redraw, [XSS[0], all, `${XSS[1]}${XSS[2]}`], 'the sign-up form drawn again');
  // the profile form drawn again (an invalid phone), and a change stored verbatim
  const a = await signUp({}, { active: true });
  const c = await pageLogin(a);
  const [style] = await styleIds();
  const bad = await c.submit('/me/profile', '/me/profile', { phone: '12', postal_code: '12345', address: all,
    address_detail: XSS[1], preferred_style: String(style), upper_body_type: '1', lower_body_type: '1' });
  assertStatus(bad, 422);
  assertEscaped(bad, [all, XSS[1]], 'the profile form drawn again');
  const good = await c.submit('/me/profile', '/me/profile', { phone: a.phone, postal_code: '12345', address: all,
    address_detail: XSS[2], preferred_style: String(style), upper_body_type: '1', lower_body_type: '1' });
  assertRedirect(good, '/me/profile?saved=1');
  assertEscaped(await c.get('/me/profile'), [all, XSS[2]], '/me/profile after the change');
  assert.equal(text(`SELECT HEX(address) FROM users WHERE id = ${a.id}`), all);
});

test('SQL metacharacters are stored literally; % and _ in an e-mail match nothing else', async () => {
  const name = `O'Re"il\\ly --;%_`;
  const address = `1'; DROP TABLE users; -- "x" \\ 100% _x_`;
  const detail = `%_\\'";--`;
  const u = uniq();
  const a = await signUp({ name, address, address_detail: detail, email: `lit%x_y-${u}@${DOMAIN}` }, { active: true });
  assert.equal(text(`SELECT HEX(name) FROM users WHERE id = ${a.id}`), name);
  assert.equal(text(`SELECT HEX(address) FROM users WHERE id = ${a.id}`), address);
  assert.equal(text(`SELECT HEX(address_detail) FROM users WHERE id = ${a.id}`), detail);
  assert.equal(text(`SELECT HEX(email) FROM users WHERE id = ${a.id}`), a.email);
  const bearer = await apiLogin(a);
  const me = await bearer.get('/api/v1/me');
  assert.deepEqual([me.json.name, me.json.address, me.json.address_detail], [name, address, detail]);
  const changed = `'; UPDATE users SET role='admin' WHERE '1'='1`;
  assertStatus(await bearer.api('PATCH', '/api/v1/me', { address: changed }), 200);
  assert.equal(text(`SELECT HEX(address) FROM users WHERE id = ${a.id}`), changed);
  assert.equal(val(`SELECT role FROM users WHERE id = ${a.id}`), 'shopper');
  // an e-mail with % and _ as a pattern would find this account (a LIKE, not =)
  const b = await signUp({ email: `likeQxZy-${u}@${DOMAIN}` }, { active: true });
  for (const pattern of [`like%x_y-${u}@${DOMAIN}`, `like%-${u}@${DOMAIN}`, `likeQxZ_-${u}@${DOMAIN}`]) {
    const c = new Client();
    throttleKeys('user', pattern, c.ip);
    assertProblem(await c.api('POST', '/api/v1/auth/login', { email: pattern, password: b.password }), 401, 'LOGIN_FAILED');
  }
  assert.equal(sessionsOf(b.id), 0);
});

// ---- 14. cache ---------------------------------------------------------------------------------------------

test('cache: every answer for a signed-in account and every answer setting a cookie is private, no-store; a public page for a guest is not', async () => {
  const guest = async (p, headers = {}) => request(p, { headers: { 'X-Forwarded-For': randomIp(), ...headers } });
  for (const p of ['/products', '/brands', '/api/v1/products']) {
    const res = await guest(p);
    assertStatus(res, 200);
    assert.equal(setCookies(res).length, 0, `${p} sets a cookie for a guest: ${describe(res)}`);
    assert.ok(!/private|no-store/.test(res.headers['cache-control'] || ''), `${p} for a guest is private: ${describe(res)}`);
  }
  for (const p of ['/login', '/signup', '/products?lang=en', '/?lang=en']) {
    const res = await guest(p);
    assertStatus(res, 200);
    assert.ok(setCookies(res).length > 0, `${p} sets no cookie (the check below is then empty)`);
    assertPrivate(res, `${p} (sets a cookie)`);
  }
  const a = await signUp({}, { active: true });
  const c = new Client();
  const token = await c.csrf('/login');
  throttleKeys('user', a.email, c.ip);
  assertPrivate(await c.post('/login', { email: a.email, password: a.password, csrf_token: token }), 'POST /login');
  for (const p of ['/', '/products', '/brands', '/me', '/me/profile', '/api/v1/me', '/api/v1/products']) {
    assertPrivate(await c.get(p), `${p} signed in`);
  }
  // An unknown path ends before the session is looked up: the page is a guest's, and may be
  // cached, but only as long as it shows nothing of the account.
  const lost = await c.get('/no-such-page');
  assertStatus(lost, 404);
  if (lost.headers['cache-control'] !== 'private, no-store') {
    assert.ok(!lost.text.includes('action="/logout"') && !lost.text.includes(esc(a.body.name)),
      `a cacheable 404 shows the account: ${describe(lost)}`);
  }
  const bearer = await apiLogin(a);
  for (const p of ['/api/v1/me', '/api/v1/products', '/api/v1/styles']) assertPrivate(await bearer.get(p), `${p} with a bearer`);
  throttleKeys('user', a.email, bearer.ip);
  assertPrivate(await bearer.api('POST', '/api/v1/auth/login', { email: a.email, password: a.password }), 'POST /api/v1/auth/login');
  assertPrivate(await c.post('/logout', { csrf_token: await c.csrf('/') }), 'POST /logout');
});

// ---- cleanup ---------------------------------------------------------------------------------------------

test('cleanup: the accounts, brands and throttle rows of this run are removed', async () => {
  const ids = [...made.users];
  const byEmail = rows(`SELECT id FROM users WHERE email LIKE '%@${DOMAIN}'`).map((r) => Number(r[0]));
  const users = [...new Set([...ids, ...byEmail])].join(',') || '0';
  const brands = [...made.brands].join(',') || '0';
  const keys = [...made.throttles].map((h) => `UNHEX('${h}')`).join(',') || "''";
  sql(`DELETE FROM coupons WHERE user_id IN (${users});
    DELETE FROM users WHERE id IN (${users});
    DELETE FROM sellers WHERE brand_id IN (${brands}) OR email LIKE '%@${DOMAIN}';
    DELETE FROM brands WHERE id IN (${brands});
    DELETE FROM login_throttles WHERE key_hash IN (${keys});`);
  assert.equal(num(`SELECT COUNT(*) FROM users WHERE id IN (${users}) OR email LIKE '%@${DOMAIN}'`), 0);
  assert.equal(num(`SELECT COUNT(*) FROM login_throttles WHERE key_hash IN (${keys})`), 0);
  assert.equal(num(`SELECT COUNT(*) FROM brands WHERE id IN (${brands})`), 0);
});

await run();
