// What the suites that act as browsers and API clients share (accounts, cart, and the buying suites
// after it): a browser with cookies and a client address of its own (Client), the database as root
// (sql/rows/one/val/num/lit/text), this run's unique names, token hashes, throttle keys, sign-up and
// login helpers, what pages write (form messages, field errors, escaping), and the mail folder.
//
// Needs LONUA_BASE_URL (through http.mjs). The database helpers need LONUA_DB_ROOT_SOCKET (the
// private MariaDB's socket) and the mail helpers LONUA_RUN_DIR (mail arrives in its mail/); a
// suite that uses them says so at its start with bailUnlessSet, so a missing variable is one
// clear "Bail out!" rather than a failure in the middle.
//
// CI runs each suite twice against one database (release and sanitizer builds), with other suites
// before and after: every name a suite makes carries RUN, this process's random suffix (uniq()).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assert } from '../lib/tap.mjs';
import { request, describe, assertStatus, sleep, multipart } from './http.mjs';

export const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EN = JSON.parse(fs.readFileSync(path.join(SRC, 'locales/en.json'), 'utf8'));
export const SOCKET = process.env.LONUA_DB_ROOT_SOCKET;
export const RUN_DIR = process.env.LONUA_RUN_DIR;
export const MAIL_DIR = RUN_DIR ? path.join(RUN_DIR, 'mail') : undefined;

// Stops the suite with "Bail out!" when a variable it needs is not set: list of [name, value, what].
export function bailUnlessSet(list) {
  for (const [name, value, what] of list) {
    if (!value) {
      console.log(`Bail out! ${name} is not set (${what})`);
      process.exit(1);
    }
  }
}

// ---- this run's names ---------------------------------------------------------------------------

export const RUN = crypto.randomBytes(4).toString('hex');
let serial = 0;
export const uniq = () => `${RUN}${(++serial).toString(36)}`;
// 010 and eight random digits: the stored form; the dashed one is what people type.
export function newPhone() {
  const d = String(crypto.randomInt(0, 1e8)).padStart(8, '0');
  return { digits: `010${d}`, dashed: `010-${d.slice(0, 4)}-${d.slice(4)}` };
}
// A client address from 198.18.0.0/15 (set aside for tests), one per simulated browser and never
// the same twice in a run.
const ipsUsed = new Set();
export function randomIp() {
  for (;;) {
    const ip = `198.${18 + crypto.randomInt(0, 2)}.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;
    if (!ipsUsed.has(ip)) {
      ipsUsed.add(ip);
      return ip;
    }
  }
}

// ---- the database as root -------------------------------------------------------------------------

export function sql(script) {
  assert.ok(SOCKET, 'LONUA_DB_ROOT_SOCKET is not set: no root access to the database');
  return execFileSync('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', 'lonua'], { input: script, encoding: 'utf8', maxBuffer: 16 << 20 });
}
// A root client that runs lockSql in a transaction it keeps open, holding what it locked until
// release() (which kills its connection).
export async function holdLock(lockSql) {
  assert.ok(SOCKET, 'LONUA_DB_ROOT_SOCKET is not set: no root access to the database');
  const child = spawn('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '-N', '-B', '--unbuffered', 'lonua'],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stdin.write(`SELECT CONNECTION_ID();\nSTART TRANSACTION;\n${lockSql};\nSELECT 'held';\n`);
  for (const end = Date.now() + 10000; !out.includes('held'); await sleep(10))
    assert.ok(Date.now() < end, `the root client does not hold its lock (${lockSql})`);
  const id = Number(out.split('\n')[0]);
  return {
    release() { sql(`KILL ${id};`); child.kill('SIGKILL'); },
  };
}
export const rows = (q) => sql(q).split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
export const one = (q) => rows(q)[0];
export const val = (q) => (one(q) || [])[0];
export const num = (q) => Number(val(q));
export const lit = (v) => (v === null || v === undefined ? 'NULL'
  : typeof v === 'number' ? String(v) : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
// A text column read back exactly (HEX survives tabs, quotes and backslashes of batch output).
export const text = (q) => {
  const h = val(q);
  return h === undefined || h === 'NULL' ? null : Buffer.from(h, 'hex').toString('utf8');
};
// A list of ids for IN (…); never empty (0 matches no row).
export const idList = (ids) => [...ids].map(Number).join(',') || '0';

export const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex').toUpperCase();
// A token as the server stores it: SHA-256 of the 32 bytes its base64url text stands for.
export const tokenHash = (token) => sha256(Buffer.from(token, 'base64url'));

// ---- login throttling ------------------------------------------------------------------------------

// Every throttle key this process used (throttleKeys, pageLogin, apiLogin): a suite removes their
// login_throttles rows at its end (forgetThrottles), since other suites log in from 127.0.0.1.
export const throttleKeysUsed = new Set();

// The three throttle keys of a login attempt (src/auth/throttle.c), remembered for the cleanup.
export function throttleKeys(realm, email, ip) {
  const name = String(email).toLowerCase();
  const keys = {
    ip: sha256(`ip\n${ip}`),
    account: sha256(`account\n${realm}\n${name}`),
    account_ip: sha256(`account_ip\n${realm}\n${name}\n${ip}`),
  };
  for (const k of Object.values(keys)) throttleKeysUsed.add(k);
  return keys;
}

// Deletes the login_throttles rows of the keys (default: every key this process used); their count left.
export function forgetThrottles(keys = throttleKeysUsed) {
  const list = [...keys].map((h) => `UNHEX('${h}')`).join(',') || "''";
  sql(`DELETE FROM login_throttles WHERE key_hash IN (${list});`);
  return num(`SELECT COUNT(*) FROM login_throttles WHERE key_hash IN (${list})`);
}

// ---- a browser (cookies, one client address) --------------------------------------------------------

export function setCookies(res) {
  const h = res.headers['set-cookie'];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}
// The Set-Cookie line of a cookie, or undefined.
export const setCookie = (res, name) => setCookies(res).find((c) => c.startsWith(`${name}=`));
export function assertClears(res, name) {
  const c = setCookie(res, name);
  assert.ok(c, `no Set-Cookie ${name} clearing it: ${describe(res)}`);
  assert.match(c, new RegExp(`^${name}=;`), `${name} is not emptied: ${c}`);
  assert.match(c, /;\s*Max-Age=0(;|$)/i, `${name} is not expired: ${c}`);
}

export class Client {
  constructor({ ip = randomIp(), lang = 'en', bearer = null } = {}) {
    this.ip = ip;
    this.lang = lang;
    this.bearer = bearer;
    this.cookies = new Map();
  }

  // One request with this browser's cookies and address. body: an object sent as a form
  // (default) or JSON (json: true); parts: a multipart body instead (http.mjs multipart). headers:
  // added last; a header set to undefined is left out.
  async send(method, p, { body, json = false, parts, headers = {} } = {}) {
    const h = { 'X-Forwarded-For': this.ip };
    if (this.lang) h['Accept-Language'] = this.lang;
    if (this.cookies.size) h.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) h.Authorization = `Bearer ${this.bearer}`;
    let payload;
    if (body !== undefined) {
      payload = json ? JSON.stringify(body) : new URLSearchParams(body).toString();
      h['Content-Type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
    }
    if (parts !== undefined) {
      const m = multipart(parts);
      payload = m.body;
      h['Content-Type'] = m.contentType;
    }
    if (payload !== undefined || method !== 'GET') h['Content-Length'] = Buffer.byteLength(payload ?? '');
    Object.assign(h, headers);
    for (const k of Object.keys(h)) if (h[k] === undefined) delete h[k];
    const res = await request(p, { method, headers: h, body: payload });
    for (const c of setCookies(res)) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim(), value = pair.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(p, opts) { return this.send('GET', p, opts); }
  post(p, body, opts = {}) { return this.send('POST', p, { ...opts, body }); }
  api(method, p, body, opts = {}) { return this.send(method, p, { ...opts, body, json: true }); }

  // The CSRF token a page gives this browser (a guest form page, or any page once signed in).
  async csrf(p = '/') {
    const res = await this.get(p);
    assertStatus(res, 200);
    return csrfOf(res);
  }

  // GETs the page of a form and POSTs the form with the page's CSRF token.
  async submit(page, action, fields, opts) {
    const token = await this.csrf(page);
    return this.post(action, { ...fields, csrf_token: token }, opts);
  }

  get sid() { return this.cookies.get('lonua_sid'); }
}

export function csrfOf(res) {
  const m = res.text.match(/name="csrf_token" value="([^"]+)"/);
  assert.ok(m, `no csrf_token in the page: ${describe(res)}`);
  return m[1];
}

export const JSON_ACCEPT = { Accept: 'application/json' };
export const location = (res) => res.headers.location;
export function assertRedirect(res, to) {
  assertStatus(res, 303);
  if (to instanceof RegExp) assert.match(String(location(res)), to, `Location: ${describe(res)}`);
  else assert.equal(location(res), to, `Location: ${describe(res)}`);
}
export const withoutRequestId = (p) => { const o = { ...p }; delete o.request_id; return o; };

// ---- pages: HTML as the templates write it ----------------------------------------------------------

export const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
// The English text of a message key (locales/en.json), e.g. t('validation.taken').
export const t = (key) => key.split('.').reduce((o, k) => o[k], EN);
// The form's message (a wrong password, a dead link…), or undefined.
export function formMessage(res) {
  const m = res.text.match(/<p class="form-message form-message--error" role="alert">([^<]*)<\/p>/);
  return m ? m[1] : undefined;
}
// The message under a field: <p class="field__error" id="ID">…</p>.
export function fieldError(res, id) {
  const m = res.text.match(new RegExp(`<p class="field__error" id="${id}">([^<]*)</p>`));
  return m ? m[1] : undefined;
}
export const fieldErrorCount = (res) => (res.text.match(/class="field__error"/g) || []).length;
// A guest page: the header offers the login and no logout form.
export function assertGuestPage(res) {
  assertStatus(res, 200);
  assert.ok(res.text.includes('href="/login"'), `no login link for a guest: ${describe(res)}`);
  assert.ok(!res.text.includes('action="/logout"'), `a guest page with a logout form: ${describe(res)}`);
}
export function assertPrivate(res, what) {
  assert.equal(res.headers['cache-control'], 'private, no-store', `${what}: Cache-Control: ${describe(res)}`);
}

// ---- mail (LONUA_RUN_DIR/mail, where `lonua jobs` writes them) ---------------------------------------

function decodeWords(s) {
  return s.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=\s*/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}
export function parseMail(raw) {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const c = line.indexOf(':');
    headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
  }
  const body = Buffer.from(raw.slice(at + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
  return { to: headers.to, subject: decodeWords(headers.subject || ''), headers, body };
}
export function mailsTo(to) {
  assert.ok(MAIL_DIR, 'LONUA_RUN_DIR is not set: no mail folder');
  let names;
  try {
    names = fs.readdirSync(MAIL_DIR).filter((n) => n.endsWith('.eml') && !n.startsWith('.'));
  } catch (err) {
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  return names.sort().map((n) => ({ file: n, ...parseMail(fs.readFileSync(path.join(MAIL_DIR, n), 'utf8')) }))
    .filter((m) => m.to === to);
}
export async function waitMails(to, n = 1, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    const got = mailsTo(to);
    if (got.length >= n) return got;
    if (Date.now() > until) assert.fail(`${got.length} mail(s) to ${to} in ${MAIL_DIR} after ${timeout} ms, expected ${n}`);
    await sleep(100);
  }
}
// The token of the link to path in a mail: <public URL>path?token=….
export function linkToken(mail, p) {
  const m = mail.body.match(new RegExp(`https?://[^\\s/]+${p.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_-]{43})(\\s|$)`));
  assert.ok(m, `no ${p}?token= link in the mail to ${mail.to}: ${mail.body}`);
  return m[1];
}
// Waits for a mail to `to` holding a link to path; its token.
export async function waitLink(to, p, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    const m = mailsTo(to).find((x) => x.body.includes(`${p}?token=`));
    if (m) return linkToken(m, p);
    if (Date.now() > until) assert.fail(`no mail to ${to} with a ${p} link after ${timeout} ms`);
    await sleep(100);
  }
}
export const outboxTo = (email) => num(`SELECT COUNT(*) FROM outbox WHERE JSON_VALUE(payload, '$.to') = ${lit(email)}`);

// ---- accounts ---------------------------------------------------------------------------------------

let stylesCache;
export async function styleIds() {
  if (!stylesCache) {
    const res = await request('/api/v1/styles');
    assertStatus(res, 200);
    stylesCache = res.json.items.map((s) => s.id);
    assert.ok(stylesCache.length >= 2, 'fewer than two styles in the reference data');
  }
  return stylesCache;
}

// The same as a page form sends it (strings, boxes as "1").
export const asForm = (b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v === true ? '1' : String(v)]));

// Sign-up helpers for one suite: e-mails `tag-<uniq>@domain`, the given password, and the ids of
// the accounts made added to the set `users` (for the suite's cleanup).
//   newEmail(tag)          a fresh e-mail
//   signupBody(over)       a valid sign-up body (API JSON) with a fresh e-mail and phone; over
//                          replaces fields (undefined: leave the field out)
//   signUp(over, {active}) signs a shopper up through POST /api/v1/users; active: made active as
//                          root (no mail, no coupons). { id, email, password, phone, body, user }
export function accountKit({ domain, password, users }) {
  const newEmail = (tag = 'u') => `${tag}-${uniq()}@${domain}`;
  async function signupBody(over = {}) {
    const [style] = await styleIds();
    const phone = newPhone();
    const body = {
      email: newEmail(), password, password_confirm: password, name: '계정 테스트',
      birth_date: '1995-04-12', gender: 'W', phone: phone.dashed, postal_code: '04524',
      address: '서울특별시 중구 세종대로 110', address_detail: '3층', preferred_style: style,
      upper_body_type: 2, lower_body_type: 1, height_cm: 165, weight_kg: 55, agree_terms: true, agree_privacy: true,
      ...over,
    };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    return body;
  }
  async function signUp(over = {}, { active = false } = {}) {
    const body = await signupBody(over);
    const res = await new Client().api('POST', '/api/v1/users', body);
    assertStatus(res, 201);
    users.add(res.json.id);
    if (active) sql(`UPDATE users SET status = 'active', email_verified_at = UTC_TIMESTAMP() WHERE id = ${res.json.id};`);
    return { id: res.json.id, email: body.email, password: body.password, phone: body.phone, body, user: res.json };
  }
  return { newEmail, signupBody, signUp };
}

// Logs in through the login page; returns the client (its cookie holds the session). The throttle
// keys of the attempt are remembered (throttleKeysUsed).
export async function pageLogin(account, client = new Client(), { action = '/login', page = action, next } = {}) {
  throttleKeys(action.startsWith('/seller') ? 'seller' : 'user', account.email, client.ip);
  const fields = { email: account.email, password: account.password };
  if (next !== undefined) fields.next = next;
  const res = await client.submit(page, action, fields);
  assertStatus(res, 303);
  assert.ok(client.sid, `no session cookie after logging in: ${describe(res)}`);
  return client;
}

// Logs in through the API; returns a client that sends the bearer token (and no cookie).
export async function apiLogin(account, { seller = false, client = new Client() } = {}) {
  throttleKeys(seller ? 'seller' : 'user', account.email, client.ip);
  const res = await client.api('POST', seller ? '/api/v1/seller/auth/login' : '/api/v1/auth/login',
    { email: account.email, password: account.password });
  assertStatus(res, 200);
  return new Client({ ip: client.ip, bearer: res.json.token });
}

export const sessionsOf = (userId) => num(`SELECT COUNT(*) FROM sessions WHERE user_id = ${userId}`);
export const sessionIdOf = (token) => val(`SELECT id FROM sessions WHERE token_hash = UNHEX('${tokenHash(token)}')`);
export const passwordHashOf = (userId) => val(`SELECT password_hash FROM users WHERE id = ${userId}`);
