// Kakao login through the real stack (nginx → lonua workers → MariaDB) against the Kakao fake
// (tests/fakes/kakao-fake.mjs, started by ci/test as a process, with the shop's callback as its
// registered redirect URI and a client secret it checks): the code flow with a browser's cookie
// jar, a new account completing its profile, a known account logging in, every way the state can
// be wrong, the person saying no, Kakao failing at the token or the user endpoint (a clean 503
// KAKAO_FAILED, never a 500, no account), no linking by e-mail, re-authentication for the profile
// and the withdrawal, Kakao switched off (404), and no secret in the logs.
//
//   LONUA_BASE_URL=… LONUA_PUBLIC_URL=… LONUA_KAKAO_AUTH_URL=… LONUA_KAKAO_CLIENT_ID=…
//   LONUA_KAKAO_CLIENT_SECRET=… LONUA_DB_ROOT_SOCKET=… LONUA_BIN=… LONUA_LOG=… LONUA_RUN_DIR=…
//   LONUA_HTTP_TIMEOUT_MS=2000 node tests/integration/kakao.test.mjs
//
// The suite runs once per build against the same database, so every login uses a Kakao id made
// for this run (the fake's nextProfile setting), above 2^53 where the case says so. Accounts it
// makes are named "kakao-test …" (nickname, name, e-mail) and removed at the start and the end.
// The fake is never reset (its request log is read at the end for the codes and tokens that must
// not appear in a log); each case turns the knobs it used off again.
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import http from 'node:http';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { request, describe, shorten, assertHealthy, workerRestarts, sleep, alive } from './http.mjs';
import { PROFILES } from '../fakes/kakao-fake.mjs';

const need = (name, why) => {
  const v = process.env[name];
  if (!v) {
    console.log(`Bail out! ${name} is not set (${why})`);
    process.exit(1);
  }
  return v;
};
const BASE = need('LONUA_BASE_URL', 'nginx in front of `lonua serve`').replace(/\/+$/, '');
const PUBLIC = (process.env.LONUA_PUBLIC_URL || BASE).replace(/\/+$/, '');
const KAKAO = need('LONUA_KAKAO_AUTH_URL', 'the Kakao fake, as `lonua serve` knows it').replace(/\/+$/, '');
const CLIENT_ID = need('LONUA_KAKAO_CLIENT_ID', 'the REST API key the fake expects');
const CLIENT_SECRET = need('LONUA_KAKAO_CLIENT_SECRET', 'the client secret the fake checks');
const SOCKET = need('LONUA_DB_ROOT_SOCKET', 'the private MariaDB\'s socket');
const TIMEOUT_MS = Number(process.env.LONUA_HTTP_TIMEOUT_MS || 10000);
const CALLBACK = `${PUBLIC}/auth/kakao/callback`;
const T = JSON.parse(fs.readFileSync(new URL('../../locales/ko.json', import.meta.url), 'utf8'));

// ---- the database --------------------------------------------------------------------------

function sql(script) {
  return execFileSync('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', '-r', 'lonua'], { input: `SET time_zone = '+00:00';\n${script}`, encoding: 'utf8' });
}
const lit = (v) => (v === null || v === undefined ? 'NULL'
  : typeof v === 'number' || typeof v === 'bigint' ? String(v)
    : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
const sqlRows = (query) => sql(query).split('\n').filter(Boolean).map((l) => JSON.parse(l));
const sqlValue = (query) => sql(query).split('\n')[0];

// The account with this Kakao id, or null: every column that matters here, kakao_id as text.
function userByKakao(kakaoId) {
  const rows = sqlRows(`SELECT JSON_OBJECT('id', id, 'status', status, 'email', email,
    'email_verified_at', email_verified_at, 'kakao_id', CAST(kakao_id AS CHAR), 'name', name, 'phone', phone,
    'password_hash', password_hash) FROM users WHERE kakao_id = ${lit(kakaoId)}`);
  return rows[0] ?? null;
}
const maxId = (table) => Number(sqlValue(`SELECT COALESCE(MAX(id), 0) FROM ${table}`));

const PREFIX = 'kakao-test';
function removeAccounts() {
  sql(`DELETE c FROM coupons c JOIN users u ON u.id = c.user_id WHERE u.name LIKE '${PREFIX}%' OR u.email LIKE '${PREFIX}-%';
DELETE FROM users WHERE name LIKE '${PREFIX}%' OR email LIKE '${PREFIX}-%';`);
}

// ---- a browser: a cookie jar over http.mjs's request ---------------------------------------

// Each browser has an address of its own (nginx trusts X-Forwarded-For from the test's loopback),
// so that the Kakao routes' rate limit (lonua_oauth: 10 a minute, a burst of 20, per address)
// counts each browser's few calls, not the whole suite's: on a fast machine the suite makes more
// than 20 in its first minute.
const browserIp = () => `198.19.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;

class Browser {
  constructor() {
    this.jar = new Map();
    this.ip = browserIp();
  }

  cookie(name) {
    return this.jar.get(name);
  }

  headers(extra) {
    const h = { Accept: 'text/html', 'X-Forwarded-For': this.ip, ...extra };
    if (this.jar.size) h.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return h;
  }

  keep(res) {
    for (const line of [].concat(res.headers['set-cookie'] || [])) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const i = pair.indexOf('=');
      const name = pair.slice(0, i), value = pair.slice(i + 1);
      const gone = attrs.some((a) => /^max-age=(0|-\d+)$/i.test(a)) || value === '';
      if (gone) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  async get(p, extra = {}) {
    return this.keep(await request(p, { headers: this.headers(extra) }));
  }

  async post(p, fields, extra = {}) {
    const body = new URLSearchParams(fields).toString();
    return this.keep(await request(p, {
      method: 'POST',
      body,
      headers: this.headers({ 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), ...extra }),
    }));
  }
}

// The session cookie a response sets (a value, not a clearing), or null.
function newSessionCookie(res) {
  for (const line of [].concat(res.headers['set-cookie'] || [])) {
    const m = /^lonua_sid=([^;]*)/.exec(line);
    if (m && m[1] && !/max-age=0/i.test(line)) return m[1];
  }
  return null;
}

const csrfOf = (html) => {
  const m = /name="csrf_token" value="([^"]+)"/.exec(html);
  assert.ok(m, `no csrf_token in the page: ${shorten(html, 400)}`);
  return m[1];
};

function assertRedirect(res, where, what) {
  assert.equal(res.status, 303, `${what}: expected 303, got ${describe(res)}`);
  const loc = new URL(res.headers.location, BASE);
  if (typeof where === 'string') assert.equal(loc.pathname + loc.search, where, `${what}: Location ${res.headers.location}`);
  return loc;
}

// ---- the Kakao fake ------------------------------------------------------------------------

// One HTTP request to a fake (any origin), on a connection of its own: fetch's pooled keep-alive
// connections can meet a server closing them when idle ("fetch failed" after a slow step).
// Resolves { status, headers, text }.
function plain(url, { method = 'GET', body } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, method, path: u.pathname + u.search, agent: false,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(15000, () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function fake(method, p, body) {
  const res = await plain(`${KAKAO}${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, `fake ${method} ${p}: ${res.text}`);
  return JSON.parse(res.text);
}
const kakaoSet = (values) => fake('POST', '/__fake/config', values);
const KNOBS_OFF = { deny: false, tamperState: false, dropState: false, delay: false, issueExpired: false, meFail: false, nextProfile: null };
const kakaoLog = () => fake('GET', '/__fake/log');

// A Kakao id of this run: 13 digits, or (big) odd and above 2^53, so a double cannot hold it.
const usedIds = [];
function freshId(big = false) {
  const r = BigInt(crypto.randomInt(1, 2 ** 47));
  const id = big ? 2n ** 53n + 1n + 2n * r : 10n ** 12n + r;
  usedIds.push(id);
  return id;
}

// A profile for the fake: the named one with a fresh id, the nickname "kakao-test …", and (when
// given) the e-mail Kakao vouches for. Ids go over as strings of digits (JSON numbers lose them).
function profile(id, { base = 'full', email } = {}) {
  const p = structuredClone(PROFILES[base]);
  p.id = String(id);
  const nick = `${PREFIX} ${id}`.slice(0, 50);
  p.properties = { ...(p.properties || {}), nickname: nick };
  if (p.kakao_account) {
    p.kakao_account.profile = { ...(p.kakao_account.profile || {}), nickname: nick };
    if (email !== undefined) p.kakao_account.email = email;
    else if (p.kakao_account.email) p.kakao_account.email = `${PREFIX}-${id}@kakao.example.test`;
  }
  return p;
}

// GET /auth/kakao?next=…: checks the 303 to the fake's authorization page and the browser
// cookie; answers the address to follow.
async function begin(browser, next = '/products') {
  const res = await browser.get(`/auth/kakao?next=${encodeURIComponent(next)}`);
  assert.equal(res.status, 303, `GET /auth/kakao: ${describe(res)}`);
  const to = new URL(res.headers.location);
  assert.equal(`${to.origin}${to.pathname}`, `${KAKAO}/oauth/authorize`, `Location ${res.headers.location}`);
  assert.equal(to.searchParams.get('client_id'), CLIENT_ID, 'client_id');
  assert.equal(to.searchParams.get('redirect_uri'), CALLBACK, 'redirect_uri');
  assert.equal(to.searchParams.get('response_type'), 'code', 'response_type');
  assert.match(to.searchParams.get('state') || '', /^[A-Za-z0-9_-]{32,}$/, 'state');
  assert.ok(browser.cookie('lonua_oauth'), `no lonua_oauth cookie set: ${describe(res)}`);
  return to;
}

// The browser at Kakao: the fake answers 302 back to the shop's callback. Answers the callback's
// path and query (the shop's public address is nginx's here) and its parameters.
async function atKakao(authorizeUrl) {
  const res = await plain(String(authorizeUrl));
  assert.equal(res.status, 302, `the fake's /oauth/authorize: ${res.status} ${res.text}`);
  const back = new URL(res.headers.location);
  assert.equal(`${back.origin}${back.pathname}`, CALLBACK, `the fake sent the browser to ${back}`);
  return { path: back.pathname + back.search, params: back.searchParams };
}

// The whole trip for a Kakao id: begin, Kakao, the callback. Answers the callback's response.
async function login(browser, id, { next = '/products', base, email } = {}) {
  if (id !== undefined) await kakaoSet({ nextProfile: profile(id, { base, email }) });
  const back = await atKakao(await begin(browser, next));
  return { res: await browser.get(back.path), back };
}

// The profile form of a new Kakao account, filled in and sent. Answers the POST's response.
let phoneSeq = crypto.randomInt(0, 9000000);
async function completeProfile(browser, fields = {}) {
  const form = await browser.get('/signup/kakao');
  assert.equal(form.status, 200, `GET /signup/kakao: ${describe(form)}`);
  const style = /name="preferred_style"[\s\S]*?<option value="(\d+)"/.exec(form.text);
  assert.ok(style, 'no style to choose on /signup/kakao');
  phoneSeq = (phoneSeq + 1) % 10000000;
  return browser.post('/signup/kakao', {
    csrf_token: csrfOf(form.text),
    name: `${PREFIX} 홍길동`,
    birth_date: '1995-03-14',
    gender: 'W',
    phone: `019${String(phoneSeq).padStart(7, '0')}${crypto.randomInt(0, 10)}`,
    postal_code: '04524',
    address: '서울특별시 중구 세종대로 110',
    address_detail: '3층',
    preferred_style: style[1],
    upper_body_type: '2',
    lower_body_type: '1',
    agree_terms: '1',
    agree_privacy: '1',
    ...fields,
  });
}

// A Kakao shopper who completed the profile, signed in in `browser`. Answers the account.
async function kakaoShopper(browser, id = freshId()) {
  const { res } = await login(browser, id);
  assertRedirect(res, '/signup/kakao', 'a new Kakao account');
  assertRedirect(await completeProfile(browser), '/me?joined=1', 'the profile form');
  const u = userByKakao(id);
  assert.equal(u?.status, 'active', `the account after the profile: ${JSON.stringify(u)}`);
  return u;
}

// A failure at the callback: status and problem code (the HTML page shows the code's text, the
// JSON answer the code), no new account, no new session, no session cookie.
async function assertCallbackFails(run, status, code, what) {
  const users = maxId('users'), sessions = maxId('sessions');
  const res = await run();
  assert.equal(res.status, status, `${what}: expected ${status} ${code}, got ${describe(res)}`);
  assert.match(String(res.headers['content-type']), /^text\/html/, `${what}: an HTML error page, got ${describe(res)}`);
  assert.ok(res.text.includes(T.problem[code]), `${what}: the page does not say "${T.problem[code]}": ${shorten(res.text, 300)}`);
  assert.ok(!/Traceback|Segmentation|internal error|stack trace/i.test(res.text), `${what}: a dirty page`);
  assert.equal(newSessionCookie(res), null, `${what}: a session cookie was set: ${describe(res)}`);
  assert.equal(maxId('users'), users, `${what}: an account was created`);
  assert.equal(maxId('sessions'), sessions, `${what}: a session was created`);
  return res;
}

// ---- cases ---------------------------------------------------------------------------------

let restartsBefore;

test('setup: Kakao is wired into the stack, leftovers of an earlier run are gone', async () => {
  removeAccounts();
  await kakaoSet(KNOBS_OFF);
  const config = await fake('GET', '/__fake/config');
  assert.equal(config.clientId, CLIENT_ID, 'the fake and lonua share the client id');
  assert.deepEqual(config.redirectUris, [CALLBACK], 'the fake registers the shop\'s callback');
  assert.ok(config.clientSecret, 'the fake checks a client secret');
  restartsBefore = await workerRestarts();
});

test('a new Kakao account: 303 to Kakao with client_id, redirect_uri, code and state; back → pending, /signup/kakao; the profile → active, two coupons, e-mail not verified', async () => {
  const b = new Browser();
  const id = freshId();
  const { res, back } = await login(b, id, { next: '/products' });
  assert.ok(back.params.get('code'), 'the fake gave a code');
  assertRedirect(res, '/signup/kakao', 'the callback of a new account');
  assert.ok(newSessionCookie(res), `no session cookie after the callback: ${describe(res)}`);
  assert.equal(b.cookie('lonua_oauth'), undefined, 'the login cookie is cleared after the callback');
  let u = userByKakao(id);
  assert.ok(u, `no account with kakao_id ${id}`);
  assert.equal(u.kakao_id, String(id), 'kakao_id is the fake\'s id exactly');
  assert.equal(u.status, 'pending', 'a new Kakao account is pending until its profile is complete');
  assert.equal(u.password_hash, null, 'a Kakao account has no password');
  // /me tells it to complete the profile; the shop's shopper pages are not open yet
  const me = await b.get('/me', { Accept: 'application/json' });
  assert.equal(me.status, 200, describe(me));
  assert.equal(me.json?.needs_profile, true, `/me of a pending Kakao account: ${describe(me)}`);
  const email = `${PREFIX}-${id}@mail.example.test`;
  const done = await completeProfile(b, { email });
  assertRedirect(done, '/me?joined=1', 'the completed profile');
  u = userByKakao(id);
  assert.equal(u.status, 'active');
  assert.equal(u.email, email);
  assert.equal(u.email_verified_at, null, 'an e-mail typed into the Kakao profile form is not verified');
  assert.equal(u.name, `${PREFIX} 홍길동`);
  const coupons = sqlValue(`SELECT GROUP_CONCAT(welcome_kind ORDER BY welcome_kind) FROM coupons WHERE user_id = ${u.id}`);
  assert.equal(coupons, 'signup,first_month', 'the two welcome coupons');
  const page = await b.get('/me?joined=1');
  assert.equal(page.status, 200, describe(page));
  // the form is done: it sends to /me now, and a second POST changes nothing
  assertRedirect(await b.get('/signup/kakao'), '/me', 'the profile form after completion');
});

test('a Kakao id above 2^53 (the big_id profile) is stored and found exactly', async () => {
  const id = freshId(true);
  assert.ok(id > 2n ** 53n);
  assert.notEqual(BigInt(Number(id)), id, 'the id is one a double cannot hold');
  const b = new Browser();
  const { res } = await login(b, id, { base: 'big_id' });
  assertRedirect(res, '/signup/kakao', 'a new big-id account');
  const u = userByKakao(id);
  assert.ok(u, `no account with kakao_id ${id} (rounded: ${userByKakao(BigInt(Number(id))) ? 'found' : 'none'})`);
  assert.equal(u.kakao_id, String(id), 'kakao_id is exact');
  assert.equal(userByKakao(id - 1n), null, 'no account one below (a rounded id)');
  assert.equal(userByKakao(id + 1n), null, 'no account one above (a rounded id)');
  assertRedirect(await completeProfile(b), '/me?joined=1', 'the big-id profile');
  // the same id again, in another browser: the same account, straight in
  const again = new Browser();
  const second = await login(again, id, { base: 'big_id', next: '/brands' });
  assertRedirect(second.res, '/brands', 'the big-id account logging in again');
  assert.equal(userByKakao(id).id, u.id, 'the same account');
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM users WHERE kakao_id = ${id}`)), 1);
});

test('a known Kakao account logs straight in: 303 to next, a new session, no new account', async () => {
  const id = freshId();
  const first = await kakaoShopper(new Browser(), id);
  const users = maxId('users');
  const b = new Browser();
  const { res } = await login(b, id, { next: '/products?sort=newest' });
  assertRedirect(res, '/products?sort=newest', 'a known account');
  const sid = newSessionCookie(res);
  assert.ok(sid, 'a session cookie');
  assert.equal(maxId('users'), users, 'no new account');
  const me = await b.get('/api/v1/me', { Accept: 'application/json' });
  assert.equal(me.status, 200, describe(me));
  assert.equal(me.json?.id, first.id, `signed in as the same account: ${describe(me)}`);
  // a login without next goes home; a next that leaves the site does not leave it
  const home = await login(new Browser(), id, { next: '/' });
  assertRedirect(home.res, '/', 'next=/');
  const away = await login(new Browser(), id, { next: '//evil.example/x' });
  const loc = assertRedirect(away.res, null, 'next=//evil.example/x');
  assert.equal(loc.origin, new URL(BASE).origin, `an outside next must not be followed: ${away.res.headers.location}`);
});

test('a pending Kakao account that left the profile form comes back to it', async () => {
  const id = freshId();
  assertRedirect((await login(new Browser(), id)).res, '/signup/kakao', 'first login');
  assertRedirect((await login(new Browser(), id, { next: '/brands' })).res, '/signup/kakao', 'second login, profile still missing');
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM users WHERE kakao_id = ${id}`)), 1, 'one account');
});

test('a wrong state (Kakao hands back another one) → 403 KAKAO_STATE, the code is never exchanged', async () => {
  const b = new Browser();
  const id = freshId();
  await kakaoSet({ nextProfile: profile(id), tamperState: 1 });
  const back = await atKakao(await begin(b));
  const before = (await kakaoLog()).length;
  await assertCallbackFails(() => b.get(back.path), 403, 'KAKAO_STATE', 'a tampered state');
  const after = (await kakaoLog()).slice(before);
  assert.deepEqual(after.map((r) => r.path), [], 'nothing was asked of Kakao');
  assert.equal(userByKakao(id), null);
  // and with no state at all
  await kakaoSet({ nextProfile: profile(id), dropState: 1 });
  const none = await atKakao(await begin(b));
  assert.equal(none.params.get('state'), null);
  await assertCallbackFails(() => b.get(none.path), 403, 'KAKAO_STATE', 'no state');
});

test('a replayed callback (the same URL and cookie twice) → 403 KAKAO_STATE, no second session', async () => {
  const id = freshId();
  await kakaoShopper(new Browser(), id);
  const b = new Browser();
  await kakaoSet({ nextProfile: profile(id) });
  const back = await atKakao(await begin(b));
  const cookie = b.cookie('lonua_oauth');
  assertRedirect(await b.get(back.path), '/products', 'the first use');
  // the same browser again: its login cookie is gone with the first use
  await assertCallbackFails(() => b.get(back.path), 403, 'KAKAO_STATE', 'the same URL again in the same browser');
  // the attacker (or a double click) holds the same URL and the same browser cookie, a second
  // later (so that spending the state again would change used_at: only `used_at IS NULL` stops it)
  await sleep(1100);
  const replay = new Browser();
  replay.jar.set('lonua_oauth', cookie);
  await assertCallbackFails(() => replay.get(back.path), 403, 'KAKAO_STATE', 'the replay');
});

test('a state started in another browser → 403 KAKAO_STATE; the callback without a cookie → 403', async () => {
  const id = freshId();
  await kakaoShopper(new Browser(), id);
  const victim = new Browser(), attacker = new Browser();
  await kakaoSet({ nextProfile: profile(id) });
  const back = await atKakao(await begin(attacker));
  await begin(victim); // the victim has a login cookie of its own
  const before = (await kakaoLog()).length;
  await assertCallbackFails(() => victim.get(back.path), 403, 'KAKAO_STATE', 'another browser\'s state');
  await assertCallbackFails(() => new Browser().get(back.path), 403, 'KAKAO_STATE', 'no cookie at all');
  assert.deepEqual((await kakaoLog()).slice(before).map((r) => r.path), [], 'the code was never exchanged');
  // the state is not used up by the failures: its own browser still finishes the login
  assertRedirect(await attacker.get(back.path), '/products', 'the right browser afterwards');
});

test('the person says no at Kakao → 403 KAKAO_DENIED, no account', async () => {
  const b = new Browser();
  await kakaoSet({ deny: 1 });
  const back = await atKakao(await begin(b));
  assert.equal(back.params.get('error'), 'access_denied');
  await assertCallbackFails(() => b.get(back.path), 403, 'KAKAO_DENIED', 'denied');
});

test('the token endpoint fails (a reused code KOE320, a wrong client secret KOE010, too slow) → 503 KAKAO_FAILED, no account', async () => {
  // a code that was used already, with a good state of this browser
  const used = freshId();
  const b = new Browser();
  const first = await login(b, used);
  assertRedirect(first.res, '/signup/kakao', 'the code\'s first use');
  const c = new Browser();
  const id = freshId();
  await kakaoSet({ nextProfile: profile(id) });
  const back = await atKakao(await begin(c));
  const oldCode = first.back.params.get('code');
  const replayPath = `/auth/kakao/callback?code=${encodeURIComponent(oldCode)}&state=${encodeURIComponent(back.params.get('state'))}`;
  let n = (await kakaoLog()).length;
  await assertCallbackFails(() => c.get(replayPath), 503, 'KAKAO_FAILED', 'a reused code');
  const token = (await kakaoLog()).slice(n).filter((r) => r.path === '/oauth/token');
  assert.equal(token.length, 1, 'one code exchange');
  assert.equal(token[0].status, 400, 'the fake refused it (KOE320)');
  assert.equal(userByKakao(id), null);

  // the client secret is not the one Kakao knows
  await kakaoSet({ clientSecret: `${CLIENT_SECRET}-other` });
  try {
    const d = new Browser();
    await kakaoSet({ nextProfile: profile(id) });
    const back2 = await atKakao(await begin(d));
    n = (await kakaoLog()).length;
    await assertCallbackFails(() => d.get(back2.path), 503, 'KAKAO_FAILED', 'a wrong client secret');
    const t2 = (await kakaoLog()).slice(n).filter((r) => r.path === '/oauth/token');
    assert.equal(t2.length, 1);
    assert.equal(t2[0].status, 401, 'invalid_client (KOE010)');
    assert.equal(new URLSearchParams(t2[0].body).get('client_secret'), CLIENT_SECRET, 'lonua sends its configured secret');
  } finally {
    await kakaoSet({ clientSecret: CLIENT_SECRET });
  }

  // Kakao answers later than LONUA_HTTP_TIMEOUT_MS
  const e = new Browser();
  await kakaoSet({ nextProfile: profile(id), delay: { times: 1, ms: TIMEOUT_MS * 2 + 1000, path: '/oauth/token' } });
  const back3 = await atKakao(await begin(e));
  const t0 = Date.now();
  await assertCallbackFails(() => e.get(back3.path), 503, 'KAKAO_FAILED', 'a slow token endpoint');
  const ms = Date.now() - t0;
  assert.ok(ms >= TIMEOUT_MS - 200 && ms < TIMEOUT_MS * 2, `the wait was bounded by LONUA_HTTP_TIMEOUT_MS=${TIMEOUT_MS} (${ms} ms)`);
  await kakaoSet({ delay: false });
  assert.equal(userByKakao(id), null);
});

test('/v2/user/me fails (500 JSON, 500 HTML, 503 -9798, -401 dead token, 403 scopes) → 503 KAKAO_FAILED, no account', async () => {
  const cases = [
    ['500 JSON', { meFail: 1 }],
    ['500 HTML', { meFail: { times: 1, html: true } }],
    ['503 -9798', { meFail: { times: 1, status: 503 } }],
    ['-401 (a dead token)', { issueExpired: 1 }],
    ['403 -402 (scopes)', { meFail: { times: 1, status: 403 } }],
  ];
  for (const [what, knobs] of cases) {
    const id = freshId();
    const b = new Browser();
    await kakaoSet({ nextProfile: profile(id), ...knobs });
    const back = await atKakao(await begin(b));
    const n = (await kakaoLog()).length;
    await assertCallbackFails(() => b.get(back.path), 503, 'KAKAO_FAILED', what);
    const me = (await kakaoLog()).slice(n).filter((r) => r.path === '/v2/user/me');
    assert.equal(me.length, 1, `${what}: lonua asked /v2/user/me once`);
    assert.ok(me[0].status >= 400, `${what}: the fake failed it (${me[0].status})`);
    assert.equal(userByKakao(id), null, `${what}: no account`);
  }
  await kakaoSet(KNOBS_OFF);
});

test('never linked by e-mail: a Kakao profile with the verified e-mail of an e-mail account makes a new account; the old one is untouched', async () => {
  const email = `${PREFIX}-owner-${crypto.randomBytes(4).toString('hex')}@example.test`;
  sql(`INSERT INTO users (role, status, email, email_verified_at, password_hash, name, phone)
    VALUES ('shopper', 'active', ${lit(email)}, UTC_TIMESTAMP(), '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA', '${PREFIX} e-mail owner', NULL)`);
  const snapshot = () => sql(`SELECT * FROM users WHERE email = ${lit(email)}`);
  const before = snapshot();
  const ownerId = Number(sqlValue(`SELECT id FROM users WHERE email = ${lit(email)}`));
  const id = freshId();
  const b = new Browser();
  const { res } = await login(b, id, { email });
  assertRedirect(res, '/signup/kakao', 'a Kakao account whose e-mail has an account');
  const u = userByKakao(id);
  assert.ok(u, 'a new account');
  assert.notEqual(u.id, ownerId, 'not the e-mail account');
  assert.equal(u.email, null, 'Kakao\'s e-mail is not taken over');
  assert.equal(snapshot(), before, 'the e-mail account is untouched');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE user_id = ${ownerId}`), '0', 'no session of the e-mail account');
  const me = await b.get('/api/v1/me', { Accept: 'application/json' });
  assert.equal(me.json?.id, u.id, `the browser is signed in as the new account: ${describe(me)}`);
  // the profile form will not take that e-mail either
  const taken = await completeProfile(b, { email });
  assert.equal(taken.status, 409, `the e-mail of another account: ${describe(taken)}`);
  assert.match(taken.text, /id="kakao-email-error"/, 'a message at the e-mail field');
  assert.equal(userByKakao(id).status, 'pending');
  assert.equal(snapshot(), before, 'the e-mail account is still untouched');
});

test('re-authentication: a Kakao-only shopper with an old re-authentication sees the Kakao button on /me/profile; Kakao again opens the form, same session', async () => {
  const b = new Browser();
  const u = await kakaoShopper(b);
  const sid = b.cookie('lonua_sid');
  sql(`UPDATE sessions SET reauthenticated_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE user_id = ${u.id}`);
  const sessions = sqlValue(`SELECT GROUP_CONCAT(id ORDER BY id) FROM sessions WHERE user_id = ${u.id}`);
  const page = await b.get('/me/profile');
  assert.equal(page.status, 200, describe(page));
  const button = /href="(\/auth\/kakao\?[^"]*)"/.exec(page.text);
  assert.ok(button, `no Kakao button on /me/profile: ${shorten(page.text, 400)}`);
  assert.ok(!/name="phone"/.test(page.text), 'the profile form is not shown before re-authentication');
  const href = button[1].replace(/&amp;/g, '&');
  assert.equal(new URL(href, BASE).searchParams.get('next'), '/me/profile');
  // a change without re-authentication is refused
  const refused = await b.post('/me/profile', { csrf_token: csrfOf(page.text), phone: '01099998888', postal_code: '04524', address: 'x', preferred_style: '1', upper_body_type: '1', lower_body_type: '1' });
  assert.equal(refused.status, 403, `POST /me/profile without re-authentication: ${describe(refused)}`);

  await kakaoSet({ nextProfile: profile(u.kakao_id) });
  const res = await b.get(href);
  assert.equal(res.status, 303, describe(res));
  const back = await atKakao(new URL(res.headers.location));
  const done = await b.get(back.path);
  assertRedirect(done, '/me/profile', 'back from Kakao');
  assert.equal(newSessionCookie(done), null, 'no new session cookie');
  assert.equal(b.cookie('lonua_sid'), sid, 'the same session');
  assert.equal(sqlValue(`SELECT GROUP_CONCAT(id ORDER BY id) FROM sessions WHERE user_id = ${u.id}`), sessions, 'no new session row');
  assert.equal(sqlValue(`SELECT reauthenticated_at > UTC_TIMESTAMP() - INTERVAL 1 MINUTE FROM sessions WHERE user_id = ${u.id}`), '1', 'marked re-authenticated');
  const form = await b.get('/me/profile');
  assert.equal(form.status, 200);
  assert.match(form.text, /name="phone"/, 'the profile form shows now');
  assert.ok(!/href="\/auth\/kakao\?/.test(form.text), 'no Kakao button any more');
});

test('another Kakao account passing through a signed-in browser does not re-authenticate the first', async () => {
  const b = new Browser();
  const first = await kakaoShopper(b);
  sql(`UPDATE sessions SET reauthenticated_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE user_id = ${first.id}`);
  const other = freshId();
  await kakaoShopper(new Browser(), other);
  const { res } = await login(b, other, { next: '/me/profile' });
  assertRedirect(res, '/me/profile', 'the other account');
  assert.ok(newSessionCookie(res), 'a session of its own');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE user_id = ${first.id} AND reauthenticated_at > UTC_TIMESTAMP() - INTERVAL 10 MINUTE`), '0',
    'the first account\'s session was not re-authenticated');
});

test('a Kakao account withdraws after Kakao re-authentication; a later Kakao login does not revive it', async () => {
  const b = new Browser();
  const u = await kakaoShopper(b);
  sql(`UPDATE sessions SET reauthenticated_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE user_id = ${u.id}`);
  const page = await b.get('/me/withdraw');
  assert.equal(page.status, 200, describe(page));
  assert.match(page.text, /href="\/auth\/kakao\?[^"]*next=%2Fme%2Fwithdraw"/, 'the Kakao button on /me/withdraw');
  const early = await b.post('/me/withdraw', { csrf_token: csrfOf(page.text), confirm: '1' });
  assert.equal(early.status, 403, `withdrawing without re-authentication: ${describe(early)}`);
  assert.equal(userByKakao(u.kakao_id).status, 'active');

  await kakaoSet({ nextProfile: profile(u.kakao_id) });
  const back = await atKakao(await begin(b, '/me/withdraw'));
  assertRedirect(await b.get(back.path), '/me/withdraw', 'back from Kakao');
  const again = await b.get('/me/withdraw');
  assert.ok(!/href="\/auth\/kakao\?/.test(again.text), 'no Kakao button once re-authenticated');
  const res = await b.post('/me/withdraw', { csrf_token: csrfOf(again.text), confirm: '1' });
  assertRedirect(res, '/?withdrawn=1', 'the withdrawal');
  const row = sqlRows(`SELECT JSON_OBJECT('status', status, 'kakao_id', kakao_id, 'phone', phone) FROM users WHERE id = ${u.id}`)[0];
  assert.deepEqual(row, { status: 'withdrawn', kakao_id: null, phone: null });
  assert.equal(sqlValue(`SELECT COUNT(*) FROM sessions WHERE user_id = ${u.id}`), '0', 'its sessions are gone');
  const me = await b.get('/me');
  assert.equal(me.status, 303, `signed out: ${describe(me)}`);
  // the same Kakao person again: a new pending account, the withdrawn one stays withdrawn
  const later = await login(new Browser(), BigInt(u.kakao_id));
  assertRedirect(later.res, '/signup/kakao', 'Kakao after the withdrawal');
  assert.notEqual(userByKakao(u.kakao_id).id, u.id, 'not the withdrawn account');
  assert.equal(sqlValue(`SELECT status FROM users WHERE id = ${u.id}`), 'withdrawn');
});

test('GET /auth/kakao answers 404 when LONUA_KAKAO_CLIENT_ID is unset (a `lonua serve` of its own over FastCGI)', async () => {
  const bin = process.env.LONUA_BIN;
  assert.ok(bin, 'LONUA_BIN is not set');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lonua-kakao-off-'));
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const env = { ...process.env, LONUA_LISTEN: `127.0.0.1:${port}`, LONUA_PID_FILE: path.join(dir, 'lonua.pid'), LONUA_WORKERS: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('LONUA_KAKAO_')) delete env[k];
  const log = fs.openSync(path.join(dir, 'lonua.log'), 'w');
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', log, log] });
  const exited = new Promise((r) => child.once('exit', r));
  const fcgi = (uri, query = '') => new Promise((resolve) => {
    execFile('cgi-fcgi', ['-bind', '-connect', `127.0.0.1:${port}`], {
      env: { REQUEST_METHOD: 'GET', DOCUMENT_URI: uri, REQUEST_URI: query ? `${uri}?${query}` : uri, QUERY_STRING: query, SERVER_PROTOCOL: 'HTTP/1.1', HTTP_ACCEPT: 'text/html' },
      timeout: 10000,
    }, (err, stdout) => resolve(String(stdout)));
  });
  try {
    let answer = '';
    for (let i = 0; i < 50 && !/^Status: /m.test(answer); i++) {
      await sleep(200);
      answer = await fcgi('/healthz');
    }
    assert.match(answer, /^Status: 200/m, `the second lonua did not come up: ${shorten(answer)} ${fs.readFileSync(path.join(dir, 'lonua.log'), 'utf8').slice(-500)}`);
    assert.match(await fcgi('/auth/kakao', 'next=%2Fproducts'), /^Status: 404/m, 'GET /auth/kakao without a client id');
    assert.match(await fcgi('/auth/kakao/callback', 'code=x&state=y'), /^Status: 404/m, 'GET /auth/kakao/callback without a client id');
    const signup = await fcgi('/signup');
    assert.match(signup, /^Status: 200/m);
    assert.ok(!/href="\/auth\/kakao/.test(signup), 'no Kakao button on /signup');
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10000)]);
    if (alive(child.pid)) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no secret in the logs: the client secret, the codes, the states and the access tokens appear neither in the lonua log nor in nginx\'s access log', async () => {
  const entries = await kakaoLog();
  const secrets = new Set([CLIENT_SECRET]);
  for (const e of entries) {
    if (e.path === '/oauth/authorize' && e.query.state) secrets.add(e.query.state);
    if (e.path === '/oauth/token') {
      const f = new URLSearchParams(e.body);
      if (f.get('code')) secrets.add(f.get('code'));
    }
    const m = /^Bearer\s+(\S+)/i.exec(e.headers.authorization || '');
    if (m) secrets.add(m[1]);
  }
  const codes = [...secrets].filter((s) => s !== CLIENT_SECRET);
  assert.ok(codes.length >= 20, `the fake saw the codes, states and tokens of this suite (${codes.length})`);
  assert.ok(entries.some((e) => e.headers.authorization), 'access tokens were used');
  const logs = [];
  if (process.env.LONUA_LOG) logs.push(process.env.LONUA_LOG);
  const access = process.env.LONUA_RUN_DIR && path.join(process.env.LONUA_RUN_DIR, 'nginx', 'access.log');
  assert.ok(access && fs.existsSync(access), `no nginx access log at ${access}`);
  logs.push(access);
  for (const file of logs) {
    const text = fs.readFileSync(file, 'utf8');
    for (const s of secrets) assert.ok(!text.includes(s), `${path.basename(file)} holds a secret (${s.slice(0, 6)}…)`);
  }
  // nginx logs the callback's path without its query, and the login failures are logged by lonua
  const lines = fs.readFileSync(access, 'utf8').split('\n').filter((l) => l.includes('/auth/kakao/callback'));
  assert.ok(lines.length > 0, 'the callbacks are in the access log');
  for (const l of lines) {
    const entry = JSON.parse(l);
    assert.equal(entry.path, '/auth/kakao/callback', `the logged path has no query: ${l}`);
  }
  assert.match(fs.readFileSync(process.env.LONUA_LOG, 'utf8'), /Kakao login failed/, 'the failures are logged (without secrets)');
});

test('the workers survived every case; cleanup', async () => {
  await kakaoSet(KNOBS_OFF);
  await assertHealthy(restartsBefore);
  removeAccounts();
  assert.equal(sqlValue(`SELECT COUNT(*) FROM users WHERE name LIKE '${PREFIX}%' OR email LIKE '${PREFIX}-%'`), '0');
});

await run();
