// The OpenAPI description (docs/openapi.json) kept true:
//   - the validator in schema-check.mjs, on good and bad instances (so it can fail);
//   - the document itself: OpenAPI 3.1, unique operationIds, every $ref resolving, schemas the
//     validator can check, path parameters matching the templates;
//   - the route table (`lonua routes --json`, test routes off): every /api/v1/ route is
//     documented with its method, role and declared inputs, and nothing documented is missing
//     from the table;
//   - who may call: each operation's security, 401 and 403 agree with the route's role (and its
//     method: unsafe calls with the session cookie need X-CSRF-Token), and every problem code the
//     server's source sends is documented;
//   - the live server: GET /api/v1/openapi.json serves the same document, and every documented
//     GET operation answers (with id 1, or an id of the caller's own list for an account's rows;
//     with each documented enum value, with an absent id, with a malformed query, with a wrong
//     method) a documented status whose headers and body validate against the document; the
//     operations for an account's rows are asked by the seed's accounts that have some (a demo
//     shopper's orders, coupons and mileage; the demo seller's lines; the admin's queues);
//   - the accounts, live: a shopper signs up, logs in, verifies the e-mail with the mailed link,
//     changes the profile and the password, resets it, logs out (bearer token and page cookie)
//     and withdraws; a seller signs up with a brand key, logs in, is suspended with the brand,
//     changes the password and deletes the account; the seed seller and a Kakao-only shopper log
//     in; failed logins are throttled. Every answer on the way, and every problem code it meets,
//     must be the documented one;
//   - every operation: a dead bearer token, no account, the wrong kind of account and the session
//     cookie without X-CSRF-Token answer the documented 401 and 403 (an operation another site
//     calls, documented `x-lonua-csrf: false`, is not refused for it); a body that is no JSON or
//     form is a 415, an empty one a 422 naming exactly the documented required fields; and for
//     every body property the server accepts exactly the values the document accepts (bounds,
//     enums, lengths in code points, and the e-mail, phone, postal code, password and date rules).
//
//   LONUA_BIN=build/lonua LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_MAIL_DIR=run/mail \
//     LONUA_DB_ROOT_SOCKET=db/mysql.sock node tests/integration/openapi.test.mjs
//
// LONUA_MAIL_DIR (or LONUA_RUN_DIR/mail) is where `lonua jobs` writes the mails; the root socket
// makes what no API makes (a brand with a known key, a Kakao account) and removes what the run
// made. Without LONUA_BASE_URL the live checks fail (they say why); the others still run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { test, run, assert } from '../lib/tap.mjs';
import { validate, resolvePointer, deepEqual, schemaProblems, typeOf } from './schema-check.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DOC_FILE = path.resolve(HERE, '../../docs/openapi.json');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const API_PREFIX = '/api/v1/';
const ABSENT_ID = 999999;
// Query parameters every operation may take although no route declares them: the worker reads
// them before routing (see src/server/worker.c).
const GLOBAL_QUERY_PARAMS = new Set(['lang']);

const note = (s) => console.log(`# ${s}`);
const attempt = (fn) => {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
};

// ---- inputs: the document, the route table, the server ----------------------------------------

const docLoad = attempt(() => JSON.parse(fs.readFileSync(DOC_FILE, 'utf8')));
function doc() {
  if (docLoad.error) throw new Error(`cannot read ${DOC_FILE}: ${docLoad.error.message}`);
  return docLoad.value;
}

const routesLoad = attempt(() => {
  const bin = process.env.LONUA_BIN;
  if (!bin) throw new Error('LONUA_BIN is not set (the path of the lonua binary, to run `lonua routes --json`)');
  const out = execFileSync(bin, ['routes', '--json'], {
    env: { ...process.env, LONUA_TEST_ROUTES: '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10000,
  });
  const list = JSON.parse(out);
  if (!Array.isArray(list)) throw new Error(`\`lonua routes --json\` did not print a JSON array: ${out.slice(0, 200)}`);
  return list;
});
function routeTable() {
  if (routesLoad.error) throw new Error(`\`$LONUA_BIN routes --json\` failed: ${routesLoad.error.message}`);
  return routesLoad.value;
}

const BASE = (process.env.LONUA_BASE_URL || '').replace(/\/+$/, '');
const http = BASE ? await import('./http.mjs') : null;
function live() {
  if (!http) throw new Error('LONUA_BASE_URL is not set (the URL of nginx in front of `lonua serve`): cannot call the API');
  return http;
}

// ---- helpers ------------------------------------------------------------------------------------

// "/api/v1/categories/{id}" and "/api/v1/categories/{category_id}" are the same path.
const normPath = (p) => p.replace(/\{[^}/]*\}/g, '{}');
const templateParams = (p) => [...p.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]);

// Follows $ref chains of a document object (a parameter, a response, a header).
function deref(obj, seen = 0) {
  if (obj && typeof obj === 'object' && typeof obj.$ref === 'string') {
    if (seen > 20) throw new Error(`$ref cycle at ${obj.$ref}`);
    return deref(resolvePointer(doc(), obj.$ref), seen + 1);
  }
  return obj;
}

// Every operation of the document: { method (upper case), path, norm, op, params, label }.
function operations() {
  const ops = [];
  for (const [p, item0] of Object.entries(doc().paths || {})) {
    const item = deref(item0);
    for (const m of HTTP_METHODS) {
      if (!item[m]) continue;
      const op = item[m];
      const params = new Map();
      for (const prm of [...(item.parameters || []), ...(op.parameters || [])].map((x) => deref(x))) {
        params.set(`${prm.in}:${prm.name}`, prm); // operation level overrides path level
      }
      ops.push({ method: m.toUpperCase(), path: p, norm: normPath(p), op, params: [...params.values()],
        label: `${op.operationId || '(no operationId)'} ${m.toUpperCase()} ${p}` });
    }
  }
  return ops;
}
const opsLoad = attempt(operations);

function schemaOf(prm) {
  return deref(prm.schema || {});
}

// Collects the properties a schema describes, through $ref and allOf.
function schemaProperties(schema, out = new Map(), required = new Set(), depth = 0) {
  schema = deref(schema);
  if (!schema || typeof schema !== 'object' || depth > 20) return { props: out, required };
  for (const [k, v] of Object.entries(schema.properties || {})) if (!out.has(k)) out.set(k, deref(v));
  for (const r of schema.required || []) required.add(r);
  for (const sub of schema.allOf || []) schemaProperties(sub, out, required, depth + 1);
  return { props: out, required };
}

// The media type of an answer, lower case, without parameters.
const mediaTypeOf = (res) => String(res.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
const isJson = (mt) => mt === 'application/json' || mt.endsWith('+json');

// The documented response for a status: "404", then "4XX", then "default".
function documentedResponse(responses, status) {
  for (const key of [String(status), `${String(status)[0]}XX`, 'default']) {
    if (responses && responses[key]) return { key, response: deref(responses[key]) };
  }
  return null;
}

// Checks an answer against a documented response object: required headers present, every
// documented header's value valid, the media type documented, the body valid. Returns the list
// of mismatches (empty when the answer is as documented).
function answerProblems(response, res) {
  const errors = [];
  for (const [name, h0] of Object.entries(response.headers || {})) {
    if (name.toLowerCase() === 'content-type') continue; // OpenAPI ignores it: the media type says it
    const h = deref(h0);
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (h.required) errors.push(`header ${name} is missing`);
      continue;
    }
    const schema = deref(h.schema || {});
    const typed = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value;
    errors.push(...validate(schema, typed, { root: doc(), path: `header ${name}` }));
  }
  const content = response.content || {};
  const mt = mediaTypeOf(res);
  if (Object.keys(content).length === 0) {
    if (res.body.length) errors.push(`a body (${mt}) where the document has none`);
    return errors;
  }
  const key = content[mt] ? mt : Object.keys(content).find((k) => k === `${mt.split('/')[0]}/*` || k === '*/*');
  if (!key) {
    errors.push(`media type "${mt}" is not documented (documented: ${Object.keys(content).join(', ')})`);
    return errors;
  }
  const schema = content[key].schema;
  if (!schema) {
    errors.push(`no schema documented for ${key}`);
    return errors;
  }
  if (!isJson(mt)) {
    errors.push(`${mt} is not JSON: this test only checks JSON bodies`);
    return errors;
  }
  let body;
  try {
    body = JSON.parse(res.text);
  } catch (err) {
    errors.push(`the body is not JSON: ${err.message}`);
    return errors;
  }
  errors.push(...validate(schema, body, { root: doc(), path: '$' }));
  return errors;
}

// Asserts that the answer to `what` has a status documented in responses and matches it.
function assertDocumented(what, responses, res, expected) {
  const found = documentedResponse(responses, res.status);
  assert.ok(found, `${what}: status ${res.status} is not documented (documented: ${Object.keys(responses || {}).join(', ')}): ${live().describe(res)}`);
  if (expected !== undefined) {
    assert.equal(res.status, expected, `${what}: expected ${expected}, got ${live().describe(res)}`);
  }
  const errors = answerProblems(found.response, res);
  if (errors.length) {
    assert.fail(`${what} → ${res.status}: the answer does not match the document (response "${found.key}"):\n    ${errors.join('\n    ')}\n  answer: ${live().describe(res)}`);
  }
  return found.key;
}

// A concrete path: every {param} replaced by value.
const fill = (p, value) => p.replace(/\{[^}/]+\}/g, String(value));
const withQuery = (p, q) => (q ? `${p}?${q}` : p);

// ---- accounts: what the live checks make, and how they call -----------------------------------
// Every account the live checks make is new in this run (CI runs the suite twice against the same
// database: release and ASan), carries TEST_NAME and RUN in its name, and is gone at the end: the
// shopper withdraws through the API and its row is then deleted; the brand, its sellers and the
// Kakao shopper, made in the database (LONUA_DB_ROOT_SOCKET), are deleted.
const RUN = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
const TEST_NAME = 'OpenAPI 시험';
const digits = (n) => Array.from(crypto.randomBytes(n), (b) => b % 10).join('');
const SHOPPER = {
  email: `openapi-${RUN}@example.com`,
  password: `Openapi-${RUN}-1!`,
  changed: `Changed-${RUN}-2!`,
  reset: `Reset-${RUN}-3!`,
  phone: `010${digits(8)}`,
  name: `${TEST_NAME} ${RUN}`,
};
const KAKAO = { name: `${TEST_NAME} 카카오 ${RUN}`, phone: `010${digits(8)}`, kakaoId: `9${digits(15)}` };
// The seed's demo seller (src/seed/seed.c SELLER_PASSWORD; `lonua seed` ran before the suite).
const SEED_SELLER = { email: 'seller1@example.com', password: 'demo-Seller-1234' };
// The seed's demo shopper, who has orders, coupons and mileage (src/seed/orders.c), and its admin
// (src/seed/seed.c): they ask the operations about an account's own rows, and change nothing.
const SEED_BUYER = { email: 'shopper1@example.com', password: 'demo-Shopper-1234' };
const SEED_ADMIN = { email: 'admin@example.com', password: 'demo-Admin-1234' };
const SELLER = {
  email: `openapi-seller-${RUN}@example.com`,
  password: `Seller-${RUN}-1!`,
  changed: `Seller-${RUN}-2!`,
  name: `${TEST_NAME} 판매자`,
};
const BRAND = { name: `${TEST_NAME} 브랜드 ${RUN}`, key: crypto.randomBytes(32) };
// One client address for the run: nginx takes X-Forwarded-For from 127.0.0.1 in the test stack, so
// the failed logins this suite makes on purpose (throttled per address) and its bursts on the rate
// limited paths count against this address, not the one every other suite shares.
const CLIENT_ADDR = `198.18.${crypto.randomBytes(1)[0]}.${1 + (crypto.randomBytes(1)[0] % 254)}`;
// Tokens, cookies and ids one check hands on to the next.
const ctx = {};
function need(key, what) {
  if (!ctx[key]) throw new Error(`${what} is missing: the check that makes it failed (see above)`);
  return ctx[key];
}
const deadToken = () => crypto.randomBytes(32).toString('base64url');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The paths nginx rate-limits per address (lonua-common.conf: 20 r/s, burst 20): calls to them
// are spaced so that this suite never meets the limit.
const RATE_LIMITED = /^\/api\/v1\/(auth\/login|seller\/auth\/login|users|sellers|auth\/password\/(forgot|reset)|auth\/verify(\/resend)?)$/;
let lastLimited = 0;

// One call from this run's address. opts: json (a value) or form (fields) or raw + type, token
// (bearer), cookie (lonua_sid), csrf (X-CSRF-Token), headers.
async function api(method, p, opts = {}) {
  const headers = { 'X-Forwarded-For': CLIENT_ADDR, ...(opts.headers || {}) };
  let body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  } else if (opts.form !== undefined) {
    body = new URLSearchParams(opts.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (opts.raw !== undefined) {
    body = opts.raw;
    headers['Content-Type'] = opts.type;
  }
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  else if (method !== 'GET' && method !== 'HEAD') headers['Content-Length'] = 0;
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.Cookie = `lonua_sid=${opts.cookie}`;
  if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
  if (RATE_LIMITED.test(p.split('?')[0])) {
    const wait = lastLimited + 60 - Date.now();
    if (wait > 0) await sleep(wait);
    lastLimited = Date.now();
  }
  return live().request(p, { method, headers, body });
}

// The documented operation for method and a path, templated or concrete (the test fails when
// there is none).
function opOf(method, p) {
  const bare = p.split('?')[0];
  const o = (opsLoad.value || []).find((x) => x.method === method &&
    (x.norm === normPath(bare) || new RegExp(`^${x.path.replace(/\{[^}/]+\}/g, '[^/]+')}$`).test(bare)));
  if (!o) throw new Error(`${method} ${p} is not in docs/openapi.json`);
  return o;
}

// Asserts that res is the documented answer `status` of the operation (headers and body valid
// against the document) and, for a problem, that its code is `code`. Returns the parsed body.
function expectAnswer(o, res, status, code, what = `${o.method} ${o.path}`) {
  assertDocumented(what, o.op.responses, res, status);
  if (code) assert.equal(res.json?.code, code, `${what}: problem code: ${live().describe(res)}`);
  note(`${what} → ${res.status}${code ? ` ${code}` : ''}, as documented`);
  return res.json;
}

// A call to a documented operation, checked against the document: call('POST', '/api/v1/users',
// { json }, 201) or call(..., 409, 'USER_EMAIL_TAKEN').
async function call(method, p, opts, status, code, what) {
  const res = await api(method, p, opts);
  return { res, body: expectAnswer(opOf(method, p), res, status, code, what || `${method} ${p}${opts?.what ? ` (${opts.what})` : ''}`) };
}

// The newest link token mailed to `to` for `linkPath` (/verify, /password/reset) that is not in
// `seen`: `lonua jobs` writes every mail into LONUA_MAIL_DIR as a .eml file (body base64 UTF-8).
const MAIL_DIR = process.env.LONUA_MAIL_DIR || (process.env.LONUA_RUN_DIR ? path.join(process.env.LONUA_RUN_DIR, 'mail') : '');
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
async function mailedToken(to, linkPath, seen = new Set(), timeoutMs = 20000) {
  if (!MAIL_DIR) throw new Error('LONUA_MAIL_DIR (or LONUA_RUN_DIR) is not set: the mails `lonua jobs` writes cannot be read');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = [];
    const names = fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR).filter((n) => n.endsWith('.eml')).sort() : [];
    for (const name of names) {
      const raw = fs.readFileSync(path.join(MAIL_DIR, name), 'utf8');
      const cut = raw.search(/\r?\n\r?\n/);
      const head = raw.slice(0, cut);
      if (!new RegExp(`^To:.*\\b${escapeRe(to)}\\b`, 'mi').test(head)) continue;
      const text = Buffer.from(raw.slice(cut).replace(/\s+/g, ''), 'base64').toString('utf8');
      const m = text.match(new RegExp(`${escapeRe(linkPath)}\\?token=([A-Za-z0-9_-]+)`));
      if (m && !seen.has(m[1])) found.push(m[1]);
    }
    if (found.length) return found[found.length - 1];
    if (Date.now() > deadline) throw new Error(`no mail to ${to} with a ${linkPath}?token= link in ${MAIL_DIR} within ${timeoutMs} ms (is \`lonua jobs\` running with LONUA_MAIL_DIR?)`);
    await sleep(200);
  }
}

// Root SQL on the private MariaDB, for the rows no API makes (a brand with a known key, a Kakao
// account, a session that logged in long ago).
const DB_SOCKET = process.env.LONUA_DB_ROOT_SOCKET;
function sql(script) {
  if (!DB_SOCKET) throw new Error('LONUA_DB_ROOT_SOCKET is not set (the private MariaDB\'s socket): the fixtures a brand key, a suspended seller or a Kakao account need are made in the database');
  return execFileSync('mariadb', ['--no-defaults', '--socket', DB_SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', 'lonua'], { input: script, encoding: 'utf8' });
}
const lit = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sha256hex = (b) => crypto.createHash('sha256').update(b).digest('hex');

// Deletes what this suite made in the database: this run's rows, and a crashed run's (by name).
function dropFixtures() {
  sql(`
DELETE s FROM sellers s JOIN brands b ON b.id = s.brand_id WHERE b.name LIKE ${lit(`${TEST_NAME} 브랜드 %`)};
DELETE FROM brands WHERE name LIKE ${lit(`${TEST_NAME} 브랜드 %`)};
DELETE c FROM coupons c JOIN users u ON u.id = c.user_id WHERE u.name LIKE ${lit(`${TEST_NAME} %`)};
DELETE FROM users WHERE name LIKE ${lit(`${TEST_NAME} %`)} AND role = 'shopper';`);
}

// A page session: the login page's form (its guest CSRF cookie and token), as a browser sends it.
// Returns the session cookie's value.
async function pageLogin(page, email, password) {
  const form = await api('GET', page);
  assert.equal(form.status, 200, `GET ${page}: ${live().describe(form)}`);
  const guest = String(form.headers['set-cookie'] || '').match(/lonua_csrf=([^;]+)/)?.[1];
  const token = form.text.match(/name="csrf_token" value="([^"]+)"/)?.[1];
  assert.ok(guest && token, `GET ${page}: no lonua_csrf cookie or csrf_token field: ${live().describe(form)}`);
  const res = await api('POST', page, { form: { email, password, csrf_token: token }, headers: { Cookie: `lonua_csrf=${guest}` } });
  const sid = [].concat(res.headers['set-cookie'] || []).join('\n').match(/lonua_sid=([^;]+)/)?.[1];
  assert.ok(res.status === 303 && sid, `POST ${page} did not sign in: ${live().describe(res)}`);
  return sid;
}

// The CSRF token a page of the session carries (the layout's forms).
async function pageCsrf(page, sid) {
  const res = await api('GET', page, { cookie: sid });
  const token = res.text.match(/name="csrf_token" value="([^"]+)"/)?.[1];
  assert.ok(res.status === 200 && token, `GET ${page} with the session cookie has no csrf_token: ${live().describe(res)}`);
  return token;
}

// A bearer token of an account that may call a route of `role`, and one of the wrong kind.
function tokenFor(role) {
  if (role === 'guest') return null;
  if (role === 'seller') return need('seedSeller', 'the seed seller\'s token').token;
  if (role === 'admin') return need('admin', 'the seed admin\'s token').token;
  if (['member', 'shopper', 'signed_in'].includes(role)) return need('shopper', 'the verified shopper\'s token').token;
  throw new Error(`no test account for role ${role}: teach tokenFor()`);
}
function wrongKindToken(role) {
  return role === 'seller' ? tokenFor('shopper') : tokenFor('seller');
}
// A bearer token of an account of `role` that has rows of its own to show (the new shopper has no
// orders, coupons or mileage): the seed's demo shopper, the seed seller, the seed admin.
function ownerTokenFor(role) {
  if (role === 'shopper') return need('buyer', 'the seed demo shopper\'s token').token;
  return tokenFor(role);
}
// A page session (lonua_sid) of an account that may call a route of `role`.
function cookieFor(role) {
  if (role === 'seller') return need('sellerCookie', 'the seller\'s page session');
  if (role === 'admin') return need('adminCookie', 'the admin\'s page session');
  return need('shopperCookie', 'the shopper\'s page session');
}
// An unsafe operation another site calls (a payment gateway's webhook) takes no CSRF token.
const csrfExempt = (o) => o.op['x-lonua-csrf'] === false;
const needsAccount = (o) => !['guest', undefined].includes(o.op['x-lonua-role']);
const signupBody = (over = {}) => ({
  email: SHOPPER.email, password: SHOPPER.password, password_confirm: SHOPPER.password, name: SHOPPER.name,
  birth_date: '1994-03-15', gender: 'W', phone: SHOPPER.phone, postal_code: '04524', address: '서울특별시 중구 세종대로 110',
  preferred_style: 1, upper_body_type: 2, lower_body_type: 1, height_cm: 165, agree_terms: true, agree_privacy: true,
  ...over,
});
const hyphenated = (phone) => `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;

// ---- body values the document and the server must agree on ---------------------------------------
// Per route input type, values on both sides of every rule (src/http/validate.c); numbers and
// lengths get their bounds from the document.
const SPECIAL_SAMPLES = {
  email: [
    'minji@example.com', 'Minji.Kim+shop@mail.example.co.kr', 'a@b.co', 'a_b%c-d@x-y.example.com', 'no-at.example.com',
    '@example.com', 'a@example', 'a@example.c', 'a..b@example.com', '.a@example.com', 'a.@example.com', 'a@-x.example.com',
    'a@x-.example.com', 'a@example.c0m', 'a b@example.com', '민지@example.com', 'a@exa_mple.com', 'a@@example.com',
    `${'a'.repeat(64)}@example.com`, `${'a'.repeat(65)}@example.com`, `a@${'b'.repeat(63)}.com`, `a@${'b'.repeat(64)}.com`,
    `${'a'.repeat(64)}@${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.eee`,
    `${'a'.repeat(64)}@${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.eeee`,
  ],
  phone: [
    '010-1234-5678', '01012345678', '02 123 4567', '0212345678', '031-123-4567', '010 1234 5678', '010-12345678', '021234567',
    '02123456', '010123456789', '1012345678', '010--1234-5678', '010-1234-5678-', '-010-1234-5678', '+82-10-1234-5678',
    '010.1234.5678', '０１０１２３４５６７８', '010-1234 5678', '010-abcd-5678',
  ],
  postal_code: ['04524', '12345', '00000', '4524', '045245', 'abcde', '0452a', ' 04524', '０４５２４'],
  password: [
    'Openapi-1', 'Abcdefg1!', 'Abc defg1', 'Abcdefg한1', 'Abcdefg😀1', 'Short1!', 'abcdefg1!', 'ABCDEFG1!', 'Abcdefgh!',
    'Abcdefgh1', 'Abc\tdefg1!', 'Abc\u007fdefg1!', 'Abc\u0085defg1!', 'Abcdefg1!'.padEnd(64, 'x'), 'Abcdefg1!'.padEnd(65, 'x'),
    '가나다라마바사아1A', '가나다라마바1A',
  ],
  date: () => {
    const day = (d) => d.toISOString().slice(0, 10);
    const now = Date.now();
    return ['1994-03-15', '1900-01-01', '1899-12-31', '2000-02-29', '1900-02-29', '2001-02-29', '1994-04-31', '1994-13-01',
      '1994-00-10', '1994-3-15', '19940315', '1994/03/15', day(new Date(now)), day(new Date(now + 2 * 86400000))];
  },
};
const realDate = (s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
};

// The most members a JSON input (an array or object) may have, as the document gives it: maxItems,
// or x-lonua-max-properties for an object (the validator has no maxProperties).
const jsonMax = (schema) => (schema.type === 'array' ? schema.maxItems : schema['x-lonua-max-properties']);

// The values to try for a body property: its type's specials, then the bounds the document gives.
// A JSON input (an array or object) is opaque to the route's check: its example, values that are
// no array or object, and one member more than it may have.
function samplesFor(input, schema) {
  const special = SPECIAL_SAMPLES[input.type];
  if (special) return typeof special === 'function' ? special() : special;
  const out = [];
  if (input.type === 'json') {
    out.push('x', 7, true);
    if ('example' in schema) out.push(schema.example);
    const max = jsonMax(schema);
    if (max > 0) {
      out.push(schema.type === 'array' ? Array.from({ length: max + 1 }, () => ({}))
        : Object.fromEntries(Array.from({ length: max + 1 }, (_, i) => [`member_${i}`, 'x'])));
    }
    return out;
  }
  if (input.type === 'decimal') {
    // JSON numbers only: the server also reads a form's text ("52.5"), which JSON Schema cannot say
    for (const k of ['minimum', 'maximum']) if (k in schema) out.push(schema[k], Math.round((schema[k] + (k === 'minimum' ? -0.1 : 0.1)) * 10) / 10);
    out.push(52.5, 52, 52.55, 0, -1, 'x', true);
  } else if (schema.type === 'integer') {
    for (const k of ['minimum', 'maximum']) if (k in schema) out.push(schema[k], schema[k] + (k === 'minimum' ? -1 : 1));
    out.push('x', 1.5);
  } else if (schema.type === 'string' && schema.enum) {
    out.push(...schema.enum, 'not-a-choice');
  } else if (schema.type === 'string') {
    if (schema.maxLength) out.push('a'.repeat(schema.maxLength), '가'.repeat(schema.maxLength), 'a'.repeat(schema.maxLength + 1));
    if (schema.minLength > 1) out.push('a'.repeat(schema.minLength - 1));
  } else if (schema.type === 'boolean') {
    out.push(true, false, 'maybe');
  }
  return out;
}

// Whether the document accepts value for a property: the schema, and for a date its real calendar
// and its bounds (x-lonua-min-date, x-lonua-max-date: "today" in UTC).
function documentAccepts(schema, value) {
  if (validate(schema, value, { root: doc() }).length) return false;
  if (schema.type === 'object' && 'x-lonua-max-properties' in schema && Object.keys(value).length > schema['x-lonua-max-properties']) return false;
  if (schema.format === 'date') {
    const today = new Date().toISOString().slice(0, 10);
    const min = schema['x-lonua-min-date'] || '0000-00-00';
    const max = schema['x-lonua-max-date'] === 'today' ? today : schema['x-lonua-max-date'] || '9999-99-99';
    return realDate(value) && value >= min && value <= max;
  }
  return true;
}

// ---- the validator -------------------------------------------------------------------------------

const expectErrors = (schema, value, wanted, opts) => {
  const errors = validate(schema, value, opts);
  assert.ok(errors.length > 0, `expected errors for ${JSON.stringify(value)} against ${JSON.stringify(schema)}, got none`);
  for (const w of wanted) {
    assert.ok(errors.some((e) => e.includes(w)), `expected an error containing ${JSON.stringify(w)}, got ${JSON.stringify(errors)}`);
  }
};
const omit = (obj, key) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));
const expectValid = (schema, value, opts) => {
  const errors = validate(schema, value, opts);
  assert.deepEqual(errors, [], `expected ${JSON.stringify(value)} to validate against ${JSON.stringify(schema)}`);
};

test('schema-check: type, including lists of types, integer and null', () => {
  expectValid({ type: 'integer' }, 3);
  expectValid({ type: 'number' }, 3);
  expectValid({ type: 'number' }, 3.5);
  expectValid({ type: ['string', 'null'] }, null);
  expectValid({ type: ['string', 'null'] }, 'x');
  expectErrors({ type: 'integer' }, 3.5, ['$: expected integer, got number']);
  expectErrors({ type: 'string' }, 1, ['$: expected string, got integer']);
  expectErrors({ type: ['string', 'null'] }, false, ['expected string or null, got boolean']);
  expectErrors({ type: 'object' }, [], ['expected object, got array']);
  expectErrors({ type: 'array' }, {}, ['expected array, got object']);
  expectErrors({ type: 'null' }, 0, ['expected null']);
  expectErrors({ type: 'boolean' }, 'true', ['expected boolean']);
});

test('schema-check: properties, required, additionalProperties (false and a schema), with JSON paths', () => {
  const s = {
    type: 'object',
    required: ['id', 'name'],
    additionalProperties: false,
    properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string' }, tags: { type: 'object', additionalProperties: { type: 'string' } } },
  };
  expectValid(s, { id: 1, name: 'a', tags: { x: 'y' } });
  expectErrors(s, { id: 1 }, ['$: required property "name" is missing']);
  expectErrors(s, { id: 1, name: 'a', extra: 1 }, ['$.extra: property not allowed here']);
  expectErrors(s, { id: 0, name: 'a' }, ['$.id: 0 is less than the minimum 1']);
  expectErrors(s, { id: 1, name: 'a', tags: { 'a b': 2 } }, ['$.tags["a b"]: expected string, got integer']);
  expectValid({ type: 'object' }, { anything: [1, 2] });
});

test('schema-check: items, enum, const, numbers, strings and patterns', () => {
  const list = { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['ko', 'en'] } };
  expectValid(list, ['ko', 'en']);
  expectErrors(list, ['ko', 'fr'], ['$[1]: "fr" is not one of ["ko","en"]']);
  expectErrors(list, [], ['fewer than minItems 1']);
  expectErrors(list, ['ko', 'ko', 'ko'], ['more than maxItems 2']);
  expectValid({ const: 422 }, 422);
  expectErrors({ const: 422 }, 404, ['$: expected 422, got 404']);
  expectValid({ enum: [1, 'a', null, { x: 1 }] }, { x: 1 });
  expectErrors({ type: 'integer', maximum: 100 }, 101, ['more than the maximum 100']);
  expectErrors({ type: 'number', exclusiveMinimum: 0 }, 0, ['is not more than 0']);
  expectErrors({ type: 'number', exclusiveMaximum: 10 }, 10, ['is not less than 10']);
  // lengths count code points, not UTF-16 units or bytes
  expectValid({ type: 'string', minLength: 2, maxLength: 2 }, '상의');
  expectValid({ type: 'string', maxLength: 1 }, '😀');
  expectErrors({ type: 'string', minLength: 1 }, '', ['fewer than minLength 1']);
  expectErrors({ type: 'string', maxLength: 3 }, 'abcd', ['more than maxLength 3']);
  expectValid({ type: 'string', pattern: '^[a-z][a-z0-9_]*$' }, 'business_casual');
  expectErrors({ type: 'string', pattern: '^[a-z][a-z0-9_]*$' }, 'Tops', ['does not match']);
  // a pattern is not anchored unless it says so (JSON Schema semantics)
  expectValid({ pattern: 'b' }, 'abc');
  // keywords for one type leave other types alone
  expectValid({ minLength: 5, minimum: 10, items: { type: 'string' } }, true);
});

test('schema-check: $ref (with siblings), allOf, anyOf, oneOf', () => {
  const root = {
    components: {
      schemas: {
        Id: { type: 'integer', minimum: 1 },
        Item: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { $ref: '#/components/schemas/Id' } } },
        Narrow: { $ref: '#/components/schemas/Item', required: ['id'] },
        'a/b': { const: 'slash' },
      },
    },
  };
  const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
  expectValid(ref('Item'), { id: 5 }, { root });
  expectErrors(ref('Item'), { id: -1 }, ['$.id: -1 is less than the minimum 1'], { root });
  expectErrors(ref('Narrow'), {}, ['required property "id" is missing'], { root });
  expectValid({ $ref: '#/components/schemas/a~1b' }, 'slash', { root });
  expectErrors(ref('Nope'), 1, ['does not resolve'], { root });
  expectErrors({ $ref: 'http://example.com/x.json' }, 1, ['is not a local pointer'], { root });
  const envelope = {
    allOf: [
      { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array' } } },
      { properties: { items: { items: ref('Item') } } },
    ],
  };
  expectValid(envelope, { items: [{ id: 1 }] }, { root });
  expectErrors(envelope, { items: [{ id: 1 }, { id: 'x' }] }, ['$.items[1].id: expected integer'], { root });
  expectErrors(envelope, { items: [], more: 1 }, ['$.more: property not allowed here'], { root });
  const any = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  expectValid(any, 'x');
  expectValid(any, 1);
  expectErrors(any, null, ['matches none of anyOf']);
  const one = { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }] };
  expectValid(one, -1);
  expectValid(one, 0.5);
  expectErrors(one, 2, ['matches more than one of oneOf']);
  expectErrors(one, 'x', ['matches none of oneOf']);
  // a $ref cycle ends with an error, not a stack overflow
  const loop = { components: { schemas: { A: { $ref: '#/components/schemas/A' } } } };
  expectErrors(ref('A'), 1, ['a $ref cycle'], { root: loop });
});

test('schema-check: an unknown keyword is an error, never silently ignored', () => {
  expectErrors({ type: 'object', patternProperties: { '^x': { type: 'string' } } }, { x: 1 }, ['unsupported schema keyword "patternProperties"']);
  expectValid({ type: 'string', description: 'annotations are fine', format: 'email', example: 'a@b.c', 'x-note': 1 }, 'a');
  const problems = schemaProblems({
    type: 'object',
    properties: { a: { type: 'strnig' }, b: { $ref: '#/nope' }, c: { pattern: '(' }, d: { type: 'integer', example: 'x' } },
    not: {},
  });
  for (const w of ['unsupported schema keyword "not"', '#/properties/a: unknown type "strnig"', '#/properties/b: $ref #/nope does not resolve',
    '#/properties/c: bad pattern', '#/properties/d/example: $: expected integer']) {
    assert.ok(problems.some((p) => p.includes(w)), `schemaProblems should report ${JSON.stringify(w)}: ${JSON.stringify(problems)}`);
  }
});

test("schema-check: the document's own schemas accept good answers and refuse bad ones", () => {
  const root = doc();
  const s = (name) => ({ $ref: `#/components/schemas/${name}` });
  const item = { id: 1, code: 'tops', name: '상의', name_ko: '상의', name_en: 'Tops' };
  expectValid(s('Category'), item, { root });
  expectValid(s('Style'), { ...item, code: 'business_casual' }, { root });
  expectErrors(s('Category'), { ...item, price: 1000 }, ['$.price: property not allowed here'], { root });
  expectErrors(s('Category'), omit(item, 'name_en'), ['required property "name_en" is missing'], { root });
  expectErrors(s('Category'), { ...item, id: 0 }, ['$.id: 0 is less than the minimum 1'], { root });
  expectErrors(s('Category'), { ...item, id: '1' }, ['$.id: expected integer'], { root });
  expectErrors(s('Style'), { ...item, code: 'Business Casual' }, ['$.code:'], { root });
  const list = { items: [item], page: 1, per_page: 1, total: 1, total_is_lower_bound: false };
  expectValid(s('CategoryList'), list, { root });
  expectErrors(s('CategoryList'), { ...list, items: [{ ...item, name: 7 }] }, ['$.items[0].name: expected string'], { root });
  expectErrors(s('CategoryList'), omit(list, 'total_is_lower_bound'), ['required property "total_is_lower_bound"'], { root });
  expectErrors(s('StyleList'), { ...list, page: 101 }, ['$.page: 101 is more than the maximum 100'], { root });
  expectErrors(s('StyleList'), { ...list, total: 10001 }, ['$.total:'], { root });
  expectErrors(s('StyleList'), { ...list, count: 1 }, ['$.count: property not allowed here'], { root });
  const problem = { type: 'urn:lonua:problem:not-found', title: 'Not Found', status: 404, detail: 'No such item.', code: 'NOT_FOUND', request_id: 'abc' };
  expectValid(s('Problem'), problem, { root });
  expectErrors(s('Problem'), omit(problem, 'request_id'), ['required property "request_id"'], { root });
  expectErrors(s('Problem'), { ...problem, type: 'about:blank' }, ['$.type:'], { root });
  const notFound = deref({ $ref: '#/components/responses/NotFound' }).content['application/problem+json'].schema;
  expectValid(notFound, problem, { root });
  expectErrors(notFound, { ...problem, status: 410 }, ['$.status: expected 404, got 410'], { root });
  const invalid = { ...problem, type: 'urn:lonua:problem:validation-failed', status: 422, code: 'VALIDATION_FAILED', errors: { per_page: 'too_large' } };
  expectValid(s('ValidationProblem'), invalid, { root });
  expectErrors(s('ValidationProblem'), { ...invalid, errors: { per_page: 3 } }, ['$.errors.per_page: expected string'], { root });
  expectErrors(s('ValidationProblem'), omit(invalid, 'errors'), ['required property "errors"'], { root });
  expectErrors(s('Problem'), invalid, ['$.errors: property not allowed here'], { root });
  const taken = { ...problem, type: 'urn:lonua:problem:user-email-taken', status: 409, code: 'USER_EMAIL_TAKEN', errors: { email: 'taken' } };
  expectValid(s('FieldProblem'), taken, { root });
  expectErrors(s('FieldProblem'), omit(taken, 'errors'), ['required property "errors"'], { root });
  const user = resolvePointer(root, '#/components/schemas/User').example;
  expectValid(s('User'), user, { root });
  expectErrors(s('User'), { ...user, password_hash: 'x' }, ['$.password_hash: property not allowed here'], { root });
  expectErrors(s('User'), { ...user, status: 'deleted' }, ['$.status:'], { root });
  expectErrors(s('User'), { ...user, phone: '010-1234-5678' }, ['$.phone:'], { root });
  expectErrors(s('User'), omit(user, 'kakao_linked'), ['required property "kakao_linked"'], { root });
  const me = { ...user, grade: { id: 1, code: 'bronze', name: '브론즈', name_ko: '브론즈', name_en: 'Bronze' }, coupons_available: 2 };
  expectValid(s('Me'), me, { root });
  expectValid(s('Me'), { ...me, grade: null, email: null, phone: null, gender: null }, { root });
  expectErrors(s('Me'), { ...me, coupons_available: -1 }, ['$.coupons_available:'], { root });
  expectErrors(s('Me'), { ...me, gender: 'X' }, ['$.gender:'], { root });
  const login = { token: 'a'.repeat(43), token_type: 'Bearer', expires_at: '2026-12-20T02:49:15Z', user };
  expectValid(s('LoginResult'), login, { root });
  expectErrors(s('LoginResult'), { ...login, token: 'a'.repeat(42) }, ['$.token:'], { root });
  expectErrors(s('LoginResult'), { ...login, token_type: 'bearer' }, ['$.token_type:'], { root });
  const seller = resolvePointer(root, '#/components/schemas/Seller').example;
  expectValid(s('SellerLoginResult'), { ...omit(login, 'user'), seller }, { root });
  expectErrors(s('SellerLoginResult'), login, ['required property "seller"', '$.user: property not allowed here'], { root });
  expectErrors(s('Seller'), { ...seller, brand: { id: 1, name: 'x' } }, ['$.brand: required property "active"'], { root });
});

// ---- the document -------------------------------------------------------------------------------

test('docs/openapi.json is OpenAPI 3.1 with info, servers [{"url":"/"}], paths and components', () => {
  const d = doc();
  assert.equal(d.openapi, '3.1.0', 'openapi');
  assert.equal(typeof d.info?.title, 'string', 'info.title');
  assert.equal(typeof d.info?.version, 'string', 'info.version');
  assert.deepEqual(d.servers, [{ url: '/' }], 'servers');
  assert.equal(typeOf(d.paths), 'object', 'paths');
  for (const k of ['schemas', 'responses', 'parameters']) assert.equal(typeOf(d.components?.[k]), 'object', `components.${k}`);
  for (const name of ['Category', 'Style', 'ReferenceItem', 'ListEnvelope', 'Problem', 'ValidationProblem', 'FieldProblem',
    'User', 'Me', 'Seller', 'LoginResult', 'SellerLoginResult']) {
    assert.ok(d.components.schemas[name], `components.schemas.${name} is missing`);
  }
  for (const name of ['NotFound', 'MethodNotAllowed', 'ValidationFailed', 'ServiceUnavailable']) {
    assert.ok(d.components.responses[name], `components.responses.${name} is missing`);
  }
  const lang = d.components.parameters.lang;
  assert.deepEqual([lang?.in, lang?.schema?.enum], ['query', ['ko', 'en']], 'components.parameters.lang');
  const id = d.components.parameters.id;
  assert.deepEqual([id?.in, id?.required, id?.schema?.type, id?.schema?.minimum], ['path', true, 'integer', 1], 'components.parameters.id');
});

test('every $ref in the document resolves', () => {
  const d = doc();
  const refs = [];
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push([where, v]);
        else walk(v, `${where}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    }
  };
  walk(d, '#');
  const broken = [];
  for (const [where, ref] of refs) {
    try {
      resolvePointer(d, ref);
    } catch (err) {
      broken.push(`${where}: ${err.message}`);
    }
  }
  assert.deepEqual(broken, [], `unresolved $refs:\n  ${broken.join('\n  ')}`);
  assert.ok(refs.length > 0, 'no $ref at all?');
  note(`${refs.length} $refs resolve`);
});

test('every operation has a unique operationId, a summary, declared tags and responses with content schemas', () => {
  const d = doc();
  const declaredTags = new Set((d.tags || []).map((t) => t.name));
  const ids = new Map();
  const problems = [];
  const ops = opsLoad.value || operations();
  for (const o of ops) {
    const { op, label } = o;
    if (typeof op.operationId !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) problems.push(`${label}: operationId missing or not camelCase`);
    else if (ids.has(op.operationId)) problems.push(`${label}: operationId also used by ${ids.get(op.operationId)}`);
    else ids.set(op.operationId, `${o.method} ${o.path}`);
    if (typeof op.summary !== 'string' || !op.summary) problems.push(`${label}: no summary`);
    if (!Array.isArray(op.tags) || !op.tags.length) problems.push(`${label}: no tags`);
    for (const t of op.tags || []) if (!declaredTags.has(t)) problems.push(`${label}: tag "${t}" is not declared in the top-level tags`);
    const responses = Object.entries(op.responses || {});
    if (!responses.length) problems.push(`${label}: no responses`);
    if (!responses.some(([k]) => /^2/.test(k))) problems.push(`${label}: no success response`);
    for (const [status, r0] of responses) {
      if (!/^([1-5][0-9][0-9]|[1-5]XX|default)$/.test(status)) problems.push(`${label}: response key "${status}"`);
      const r = deref(r0);
      if (typeof r?.description !== 'string') problems.push(`${label} ${status}: no description`);
      if (status === '204' || status === '304') continue;
      const content = Object.entries(r?.content || {});
      if (!content.length) problems.push(`${label} ${status}: no content`);
      for (const [mt, media] of content) {
        if (!media.schema) problems.push(`${label} ${status} ${mt}: no schema`);
        if (/^[45]/.test(status) && mt !== 'application/problem+json') problems.push(`${label} ${status}: errors are application/problem+json, not ${mt}`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.ok(ops.length > 0, 'no operations');
  note(`${ops.length} operations: ${ops.map((o) => o.op.operationId).join(', ')}`);
});

test('every schema uses only keywords the validator checks, and every example validates', () => {
  const d = doc();
  const problems = [];
  const schemas = [];
  for (const [name, s] of Object.entries(d.components.schemas)) schemas.push([`#/components/schemas/${name}`, s]);
  const collect = (where, obj) => {
    obj = deref(obj);
    if (obj?.schema) schemas.push([`${where}/schema`, obj.schema]);
    for (const [mt, media] of Object.entries(obj?.content || {})) {
      if (media.schema) schemas.push([`${where}/content/${mt}/schema`, media.schema]);
      if ('example' in media) for (const e of validate(media.schema, media.example, { root: d })) problems.push(`${where}/content/${mt}/example: ${e}`);
    }
    for (const [h, v] of Object.entries(obj?.headers || {})) collect(`${where}/headers/${h}`, v);
  };
  for (const kind of ['responses', 'parameters', 'headers', 'requestBodies']) {
    for (const [name, obj] of Object.entries(d.components[kind] || {})) collect(`#/components/${kind}/${name}`, obj);
  }
  for (const o of opsLoad.value || operations()) {
    for (const prm of o.params) collect(`${o.label} parameter ${prm.name}`, prm);
    if (o.op.requestBody) collect(`${o.label} requestBody`, o.op.requestBody);
    for (const [status, r] of Object.entries(o.op.responses || {})) collect(`${o.label} ${status}`, r);
  }
  for (const [where, s] of schemas) problems.push(...schemaProblems(s, { root: d, path: where }));
  assert.deepEqual(problems, [], problems.join('\n'));
  note(`${schemas.length} schemas checked`);
});

test('path templates and path parameters agree: each {name} is a required integer ≥ 1', () => {
  const problems = [];
  for (const o of opsLoad.value || operations()) {
    const inTemplate = templateParams(o.path);
    const declared = o.params.filter((p) => p.in === 'path');
    for (const name of inTemplate) {
      const p = declared.find((x) => x.name === name);
      if (!p) { problems.push(`${o.label}: {${name}} is not declared as a path parameter`); continue; }
      const s = schemaOf(p);
      if (p.required !== true) problems.push(`${o.label}: path parameter ${name} is not required: true`);
      if (s.type !== 'integer' || s.minimum !== 1) problems.push(`${o.label}: path parameter ${name} is not {type: integer, minimum: 1} (the router only matches positive integers)`);
    }
    for (const p of declared) if (!inTemplate.includes(p.name)) problems.push(`${o.label}: path parameter ${p.name} is not in the path`);
    const names = o.params.map((p) => `${p.in}:${p.name}`);
    if (new Set(names).size !== names.length) problems.push(`${o.label}: a parameter is declared twice`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the document describes only /api/v1/ paths, and no test route', () => {
  const paths = Object.keys(doc().paths);
  const outside = paths.filter((p) => !p.startsWith(API_PREFIX));
  const testOnly = paths.filter((p) => p.startsWith(`${API_PREFIX}test/`));
  assert.deepEqual(outside, [], 'paths outside /api/v1/');
  assert.deepEqual(testOnly, [], 'test-only paths (served only with LONUA_TEST_ROUTES=1)');
  assert.ok(paths.includes('/api/v1/openapi.json'), 'the document does not describe /api/v1/openapi.json itself');
});

test('components.securitySchemes: bearerAuth (the API token), cookieAuth (lonua_sid) and csrfToken (X-CSRF-Token)', () => {
  const sc = doc().components?.securitySchemes || {};
  assert.deepEqual([sc.bearerAuth?.type, sc.bearerAuth?.scheme], ['http', 'bearer'], 'bearerAuth');
  assert.deepEqual([sc.cookieAuth?.type, sc.cookieAuth?.in, sc.cookieAuth?.name], ['apiKey', 'cookie', 'lonua_sid'], 'cookieAuth');
  assert.deepEqual([sc.csrfToken?.type, sc.csrfToken?.in, sc.csrfToken?.name], ['apiKey', 'header', 'X-CSRF-Token'], 'csrfToken');
  assert.equal(doc().security, undefined, 'no document-wide security: each operation says what it needs');
});

// Every problem code the server's source sends on purpose (response_fail(…, "CODE", …), a handler's
// refuse…(…, "CODE", …) that hands it on, result->code = "CODE", and tables of refusals whose rows
// start with or follow a lower-case name with the code) is documented somewhere: a new code cannot
// slip past the document. The list of account codes below must be among them (so the scan itself
// can fail).
const ACCOUNT_CODES = ['VALIDATION_FAILED', 'USER_EMAIL_TAKEN', 'USER_PHONE_TAKEN', 'LOGIN_FAILED', 'TOO_MANY_ATTEMPTS',
  'INVALID_TOKEN', 'NOT_AUTHENTICATED', 'ACCOUNT_NOT_VERIFIED', 'ACCOUNT_SUSPENDED', 'WRONG_ROLE', 'CSRF_FAILED',
  'REAUTHENTICATE', 'VERIFY_LINK_DEAD', 'RESET_LINK_DEAD', 'BRAND_KEY_WRONG', 'BRAND_INACTIVE', 'SELLER_EMAIL_TAKEN',
  'NO_EMAIL', 'WRONG_PASSWORD'];
// Codes only page routes send (the Kakao login's callback is a browser's page, not an API call):
// the API document does not describe them.
const PAGE_ONLY_CODES = new Set(['KAKAO_DENIED', 'KAKAO_STATE', 'KAKAO_FAILED']);
// Codes no HTTP answer carries: a job's own refusals, which the job counts and passes over. NOT_DUE:
// the expiry job (`lonua jobs`, orders_expire_overdue in src/shop/orders.c) finds an order paid or
// no longer overdue by the time it locks it; only the job asks for that check, no handler does. The
// scan must still find each (else the entry is stale), and the document must not offer it.
const JOB_ONLY_CODES = new Set(['NOT_DUE']);
test('every problem code the server sends (src/**/*.c) and every account code is documented', () => {
  const src = path.resolve(HERE, '../../src');
  const sent = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.c')) {
        const text = fs.readFileSync(f, 'utf8');
        const calls = [...text.matchAll(/\b(?:response_fail|refuse\w*)\(([^;]*);/g)].map((m) => m[1]);
        const tables = [...text.matchAll(/^\s*\{(?:"[a-z_]+", )?"([A-Z][A-Z0-9_]+)",/gm)].map((m) => `"${m[1]}"`);
        const set = [...text.matchAll(/->code = "([A-Z][A-Z0-9_]+)"/g)].map((m) => `"${m[1]}"`);
        for (const chunk of [...calls, ...tables, ...set]) {
          for (const m of chunk.matchAll(/"([A-Z][A-Z0-9_]{2,})"/g)) sent.set(m[1], path.relative(src, f));
        }
      }
    }
  };
  walk(src);
  const documented = new Set();
  const collect = (node) => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') {
      const code = node.properties?.code;
      if (code && 'const' in code) documented.add(code.const);
      for (const c of code?.enum || []) documented.add(c);
      Object.values(node).forEach(collect);
    }
  };
  collect(doc());
  const missingInSource = ACCOUNT_CODES.filter((c) => c !== 'VALIDATION_FAILED' && c !== 'NOT_AUTHENTICATED' && !sent.has(c));
  assert.deepEqual(missingInSource, [], 'codes the scan of src/ did not find (is the scan broken, or the code gone?)');
  const undocumented = [...new Set([...sent.keys(), ...ACCOUNT_CODES])]
    .filter((c) => !documented.has(c) && !PAGE_ONLY_CODES.has(c) && !JOB_ONLY_CODES.has(c))
    .map((c) => `${c}${sent.has(c) ? ` (src/${sent.get(c)})` : ''}`);
  assert.deepEqual(undocumented, [], 'problem codes no response of docs/openapi.json allows');
  const jobOnly = [...JOB_ONLY_CODES].filter((c) => !sent.has(c) || documented.has(c))
    .map((c) => `${c}: ${sent.has(c) ? 'documented, but no HTTP answer carries it' : 'the scan of src/ no longer finds it'}`);
  assert.deepEqual(jobOnly, [], 'JOB_ONLY_CODES is stale');
  note(`${sent.size} codes sent by src/, ${documented.size} documented`);
});

// ---- the route table ------------------------------------------------------------------------------

function documentedOp(method, p) {
  return (opsLoad.value || []).find((o) => o.method === method && o.norm === normPath(p));
}

// The body properties an operation documents (all media types merged) and which are required.
function bodyPropertiesOf(o) {
  const out = { props: new Map(), required: new Set(), rb: deref(o.op.requestBody) };
  for (const media of Object.values(out.rb?.content || {})) schemaProperties(media.schema, out.props, out.required);
  if (out.rb?.required !== true) out.required.clear();
  return out;
}

// YYYYMMDD (the route table's date bounds) as YYYY-MM-DD.
const isoDate = (n) => `${String(n).slice(0, 4)}-${String(n).slice(4, 6)}-${String(n).slice(6, 8)}`;

// What a route input of a special type must look like in the document (besides type "string"):
// the annotations that say what it is and the assertions the live checks compare with the server
// (SOME: any pattern; the live checks try it on the server).
const SOME = Symbol('a pattern');
const SPECIAL_INPUTS = {
  email: { format: 'email', maxLength: 254, pattern: SOME },
  phone: { pattern: SOME },
  postal_code: { pattern: SOME },
  password: { format: 'password', writeOnly: true, minLength: 8, maxLength: 64, pattern: SOME },
  date: { format: 'date', pattern: SOME },
};

// Compares the inputs a route declares with the operation's parameters and request body.
function inputProblems(route, o) {
  const problems = [];
  const queryParams = new Map(o.params.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  const bodyProps = bodyPropertiesOf(o);
  const rb = bodyProps.rb;
  for (const input of route.inputs || []) {
    let where = null;
    let schema = null;
    let required = false;
    const inQuery = queryParams.get(input.name);
    if ((input.in === 'query' || input.in === 'query_or_body') && inQuery) {
      where = 'query';
      schema = schemaOf(inQuery);
      required = inQuery.required === true;
    } else if ((input.in === 'body' || input.in === 'query_or_body') && bodyProps.props.has(input.name)) {
      where = 'body';
      schema = bodyProps.props.get(input.name);
      required = bodyProps.required.has(input.name);
    }
    const label = `input ${input.name} (${input.type}, ${input.in})`;
    if (!where) {
      problems.push(`${label} is not documented (${input.in === 'body' ? 'a requestBody property' : 'a query parameter'})`);
      continue;
    }
    if (required !== input.required) problems.push(`${label}: required is ${input.required} in the route, ${required} in the document`);
    const expectType = { integer: 'integer', string: 'string', boolean: 'boolean', enum: 'string', file: 'string',
      email: 'string', phone: 'string', password: 'string', date: 'string', postal_code: 'string', decimal: 'number' }[input.type];
    if (input.type === 'json') {
      // A JSON array or object; max (not 0) bounds its members: maxItems, or x-lonua-max-properties.
      if (schema.type !== 'array' && schema.type !== 'object') problems.push(`${label}: documented type ${JSON.stringify(schema.type)}, expected "array" or "object"`);
      else if (input.max > 0 && jsonMax(schema) !== input.max) problems.push(`${label}: documented ${schema.type === 'array' ? 'maxItems' : 'x-lonua-max-properties'} ${jsonMax(schema)}, route max ${input.max}`);
    } else if (!expectType) problems.push(`${label}: this test does not know input type "${input.type}" (teach SPECIAL_INPUTS)`);
    else if (schema.type !== expectType) problems.push(`${label}: documented type ${JSON.stringify(schema.type)}, expected "${expectType}"`);
    if (input.type === 'enum' && !deepEqual(schema.enum, input.choices)) problems.push(`${label}: documented enum ${JSON.stringify(schema.enum)}, route choices ${JSON.stringify(input.choices)}`);
    if (input.type === 'integer' && 'min' in input) {
      if (schema.minimum !== input.min) problems.push(`${label}: documented minimum ${schema.minimum}, route min ${input.min}`);
      if (schema.maximum !== input.max) problems.push(`${label}: documented maximum ${schema.maximum}, route max ${input.max}`);
    }
    // A decimal with one digit after the point (a measurement in cm): the route bounds it in tenths.
    if (input.type === 'decimal') {
      if (schema.multipleOf !== 0.1) problems.push(`${label}: documented multipleOf ${schema.multipleOf}, expected 0.1`);
      if ('min' in input && schema.minimum !== input.min / 10) problems.push(`${label}: documented minimum ${schema.minimum}, route min ${input.min / 10}`);
      if ('max' in input && schema.maximum !== input.max / 10) problems.push(`${label}: documented maximum ${schema.maximum}, route max ${input.max / 10}`);
    }
    if (input.type === 'string' && 'min' in input) {
      if (input.min > 0 && schema.minLength !== input.min) problems.push(`${label}: documented minLength ${schema.minLength}, route min ${input.min}`);
      if (input.max > 0 && schema.maxLength !== input.max) problems.push(`${label}: documented maxLength ${schema.maxLength}, route max ${input.max}`);
    }
    // A box that must be ticked (min 1) is `const: true`; any other flag takes both values.
    if (input.type === 'boolean' && (input.min === 1) !== (schema.const === true)) {
      problems.push(`${label}: ${input.min === 1 ? 'must be true (route min 1): document const: true' : `documented const ${JSON.stringify(schema.const)}, but the route takes both values`}`);
    }
    for (const [k, want] of Object.entries(SPECIAL_INPUTS[input.type] || {})) {
      if (want === SOME ? typeof schema[k] !== 'string' : schema[k] !== want) {
        problems.push(`${label}: documented ${k} ${JSON.stringify(schema[k])}, expected ${want === SOME ? 'one' : JSON.stringify(want)}`);
      }
    }
    if (input.type === 'date') {
      const min = input.min ? isoDate(input.min) : undefined;
      const max = input.max ? isoDate(input.max) : 'today';
      if (schema['x-lonua-min-date'] !== min) problems.push(`${label}: documented x-lonua-min-date ${schema['x-lonua-min-date']}, route min ${min}`);
      if (schema['x-lonua-max-date'] !== max) problems.push(`${label}: documented x-lonua-max-date ${schema['x-lonua-max-date']}, route max ${max}`);
    }
    // Secrets (passwords typed to prove who one is, keys) and new passwords are write-only.
    const secret = input.secret === true || input.type === 'password';
    if (secret !== (schema.writeOnly === true)) problems.push(`${label}: ${secret ? 'a secret input is not documented writeOnly' : 'documented writeOnly but not a secret input'}`);
  }
  const declared = new Set((route.inputs || []).map((i) => i.name));
  for (const name of queryParams.keys()) {
    if (!declared.has(name) && !GLOBAL_QUERY_PARAMS.has(name)) problems.push(`query parameter ${name} is documented but the route does not declare it`);
  }
  const bodyInputs = (route.inputs || []).filter((i) => i.in !== 'query');
  for (const name of bodyProps.props.keys()) {
    if (!bodyInputs.some((i) => i.name === name)) problems.push(`body property ${name} is documented but the route does not declare it (from the body)`);
  }
  if ((route.inputs || []).length && !o.op.responses?.['422']) problems.push('the route declares inputs but 422 is not documented');
  if (bodyInputs.length) {
    // The same fields as JSON and as an HTML form (and as multipart when the route takes files);
    // nothing else the document promises.
    const content = rb?.content || {};
    const types = Object.keys(content).sort();
    const expected = ['application/json', 'application/x-www-form-urlencoded'];
    if (bodyInputs.some((i) => i.type === 'file')) expected.push('multipart/form-data');
    if (!deepEqual(types, expected)) {
      problems.push(`the requestBody is documented as ${JSON.stringify(types)}, expected ${expected.join(' and ')}`);
    } else if (expected.some((t) => !deepEqual(content[t].schema, content['application/json'].schema))) {
      problems.push('the JSON, form and multipart requestBody schemas differ');
    }
    if (!responseCodes(o.op, 415).has('UNSUPPORTED_MEDIA_TYPE')) problems.push('the route takes a body but 415 UNSUPPORTED_MEDIA_TYPE is not documented');
  } else if (rb) {
    problems.push('a requestBody is documented but the route declares no body input');
  }
  return problems;
}

// ---- who may call -------------------------------------------------------------------------------

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// The 403 codes of the role step (src/server/pipeline.c pipeline_role) for each access level:
// ACCOUNT_NOT_VERIFIED only where verifying would let the shopper in (shopper routes),
// ACCOUNT_SUSPENDED only on seller routes, any other wrong kind of account WRONG_ROLE.
const ROLE_403 = {
  guest: [],
  signed_in: [],
  member: ['WRONG_ROLE'],
  shopper: ['WRONG_ROLE', 'ACCOUNT_NOT_VERIFIED'],
  seller: ['WRONG_ROLE', 'ACCOUNT_SUSPENDED'],
  admin: ['WRONG_ROLE'],
};

// The problem codes a schema allows (`code` const or enum, through $ref, allOf, anyOf, oneOf).
function problemCodes(schema, out = new Set(), depth = 0) {
  schema = deref(schema);
  if (!schema || typeof schema !== 'object' || depth > 20) return out;
  const code = schema.properties?.code && deref(schema.properties.code);
  if (code && 'const' in code) out.add(code.const);
  for (const c of code?.enum || []) out.add(c);
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const sub of schema[k] || []) problemCodes(sub, out, depth + 1);
  return out;
}
function responseCodes(op, status) {
  const r = deref(op.responses?.[String(status)]);
  const media = r?.content?.['application/problem+json'];
  return media ? problemCodes(media.schema) : new Set();
}

// Compares an operation's security, 401 and 403 with the route's role and method.
function accessProblems(route, o) {
  const problems = [];
  const unsafe = UNSAFE.has(route.method);
  const security = o.op.security;
  const schemes = doc().components?.securitySchemes || {};
  const alternatives = (security || []).map((req) => Object.keys(req).sort().join('+'));
  for (const req of security || []) {
    for (const name of Object.keys(req)) if (!schemes[name]) problems.push(`security names ${name}, which components.securitySchemes lacks`);
  }
  const cookieAlt = unsafe ? 'cookieAuth+csrfToken' : 'cookieAuth';
  if (alternatives.some((a) => a.includes('cookieAuth') && a !== cookieAlt)) problems.push(`the cookie session must be {${cookieAlt}} on a ${route.method}`);
  if (route.role === 'guest') {
    if (security !== undefined && !alternatives.includes('')) problems.push('a guest route must allow anonymous calls: no security, or {} among the alternatives');
  } else {
    if (alternatives.includes('')) problems.push(`security allows anonymous calls ({}), but the route needs an account (role ${route.role})`);
    for (const alt of ['bearerAuth', cookieAlt]) if (!alternatives.includes(alt)) problems.push(`security does not offer {${alt}} (role ${route.role})`);
    if (!responseCodes(o.op, 401).has('NOT_AUTHENTICATED')) problems.push('401 NOT_AUTHENTICATED (no account) is not documented');
  }
  if (!responseCodes(o.op, 401).has('INVALID_TOKEN')) problems.push('401 INVALID_TOKEN (a bearer token that is not a live session) is not documented');
  // x-lonua-csrf: false marks an unsafe operation that takes no CSRF token (another site calls it);
  // the live checks hold the server to it either way.
  const csrf = 'x-lonua-csrf' in o.op ? o.op['x-lonua-csrf'] : undefined;
  if (csrf !== undefined && (csrf !== false || !unsafe)) problems.push(`x-lonua-csrf is ${JSON.stringify(csrf)}: only false, and only on an unsafe operation`);
  if (csrf === false && alternatives.some((a) => a.includes('cookieAuth'))) problems.push('x-lonua-csrf: false, but security offers the session cookie');
  const forbidden = responseCodes(o.op, 403);
  const needsCsrf = unsafe && csrf !== false;
  for (const code of [...(ROLE_403[route.role] || ['WRONG_ROLE']), ...(needsCsrf ? ['CSRF_FAILED'] : [])]) {
    if (!forbidden.has(code)) problems.push(`403 ${code} is not documented (role ${route.role}${needsCsrf ? `, ${route.method}` : ''})`);
  }
  if (csrf === false && forbidden.has('CSRF_FAILED')) problems.push('403 CSRF_FAILED is documented, but x-lonua-csrf is false');
  // (ACCOUNT_SUSPENDED is also a handler's answer: a suspended seller's right password at login.)
  for (const code of ['ACCOUNT_NOT_VERIFIED', 'WRONG_ROLE']) {
    if (forbidden.has(code) && !(ROLE_403[route.role] || []).includes(code)) problems.push(`403 ${code} is documented, but the role step never answers it for role ${route.role}`);
  }
  if (o.op['x-lonua-role'] !== route.role) problems.push(`x-lonua-role is ${o.op['x-lonua-role']}, the route's role ${route.role}`);
  return problems;
}

if (routesLoad.error || docLoad.error || opsLoad.error) {
  test('the route table (`lonua routes --json`) and the document can be read', () => {
    routeTable();
    doc();
    if (opsLoad.error) throw opsLoad.error;
  });
} else {
  const table = routesLoad.value;
  test('`lonua routes --json` (LONUA_TEST_ROUTES=0) lists the API routes and no test route', () => {
    assert.ok(table.every((r) => typeof r.method === 'string' && typeof r.path === 'string'), 'every route has method and path');
    assert.ok(table.some((r) => r.path.startsWith(API_PREFIX)), 'no /api/v1/ route at all');
    const testOnly = table.filter((r) => r.test_only || r.path.startsWith(`${API_PREFIX}test/`));
    assert.deepEqual(testOnly, [], 'test routes are listed although LONUA_TEST_ROUTES=0');
    note(`${table.length} routes, ${table.filter((r) => r.path.startsWith(API_PREFIX)).length} under ${API_PREFIX}`);
  });

  for (const route of table.filter((r) => r.path.startsWith(API_PREFIX) && !r.test_only)) {
    test(`route ${route.method} ${route.path} is documented, with its role, security and inputs`, () => {
      const o = documentedOp(route.method, route.path);
      const samePath = (opsLoad.value || []).filter((x) => x.norm === normPath(route.path)).map((x) => x.method);
      assert.ok(o, `${route.method} ${route.path} is served but not in docs/openapi.json` +
        (samePath.length ? ` (the path is documented with ${samePath.join(', ')} only)` : ' (the path is not documented at all)'));
      note(`${route.method} ${route.path} → ${o.op.operationId}`);
      assert.equal(o.op['x-lonua-role'], route.role, `${o.label}: x-lonua-role differs from the route's role`);
      const problems = [...inputProblems(route, o), ...accessProblems(route, o)];
      assert.deepEqual(problems, [], `${o.label}:\n  ${problems.join('\n  ')}`);
    });
  }

  for (const o of opsLoad.value) {
    test(`documented ${o.label} is in the route table`, () => {
      const found = table.find((r) => r.method === o.method && normPath(r.path) === o.norm && !r.test_only);
      assert.ok(found, `${o.label} is documented but \`lonua routes --json\` has no such route (stale entry, or not built yet)`);
    });
  }
}

// ---- the live server ------------------------------------------------------------------------------
// Without LONUA_BASE_URL they are one failing test that says why, not one per operation.
if (!http) {
  test('the live checks can run (LONUA_BASE_URL)', () => live());
} else {
  test('GET /api/v1/openapi.json answers 200 application/json equal to docs/openapi.json', async () => {
    const res = await live().get('/api/v1/openapi.json');
    if (res.status === 404) {
      assert.fail(`GET /api/v1/openapi.json answered 404: the route is not served yet (add it to src/http/routes.c); ${live().describe(res)}`);
    }
    assert.equal(res.status, 200, `GET /api/v1/openapi.json: ${live().describe(res)}`);
    assert.equal(mediaTypeOf(res), 'application/json', `content type: ${live().describe(res)}`);
    let served;
    try {
      served = JSON.parse(res.text);
    } catch (err) {
      assert.fail(`the served document is not JSON (${err.message}): ${live().describe(res)}`);
    }
    assert.deepStrictEqual(served, doc(), 'the served document differs from docs/openapi.json (a stale LONUA_DATA_DIR, or a worker started before the file changed?)');
  });

  // ---- accounts: a shopper's life, a seller's, a Kakao account's -----------------------------------
  // Each check hands tokens to the next through ctx; a check whose input is missing fails saying so.

  test('fixtures in the database: a brand with a known key, a Kakao-only shopper with a bearer session', () => {
    dropFixtures();
    const keyHash = sha256hex(BRAND.key);
    sql(`
INSERT INTO brands (name, key_hash, status, business_address, phone, business_registration_number, bank_name,
  bank_account_number, bank_account_holder, return_address, return_courier)
VALUES (${lit(BRAND.name)}, UNHEX('${keyHash}'), 'active', '서울특별시 중구 세종대로 110', '0212345678', '1234567890',
  '시험은행', '000-000-0000', ${lit(TEST_NAME)}, '서울특별시 중구 세종대로 110', 'CJ대한통운');
INSERT INTO users (role, status, kakao_id, name, phone, created_at)
VALUES ('shopper', 'active', ${KAKAO.kakaoId}, ${lit(KAKAO.name)}, ${lit(KAKAO.phone)}, UTC_TIMESTAMP());`);
    const [brandId, kakaoId] = sql(`SELECT (SELECT id FROM brands WHERE name = ${lit(BRAND.name)}),
      (SELECT id FROM users WHERE name = ${lit(KAKAO.name)});`).trim().split('\t').map(Number);
    assert.ok(brandId > 0 && kakaoId > 0, `the fixtures were not made: brand ${brandId}, user ${kakaoId}`);
    // A bearer session as src/db/sessions.c makes one: the SHA-256 of the token's 32 bytes. It
    // has not re-entered a password (reauthenticated_at NULL).
    const raw = crypto.randomBytes(32);
    sql(`INSERT INTO sessions (token_hash, kind, user_id, csrf_secret, created_at, last_seen_at, expires_at)
VALUES (UNHEX('${sha256hex(raw)}'), 'bearer', ${kakaoId}, UNHEX('${crypto.randomBytes(32).toString('hex')}'),
  UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 HOUR);`);
    ctx.brand = { id: brandId, key: BRAND.key.toString('base64url') };
    ctx.kakao = { id: kakaoId, token: raw.toString('base64url') };
    note(`run ${RUN} from ${CLIENT_ADDR}: brand ${brandId}, Kakao shopper ${kakaoId}, shopper ${SHOPPER.email}`);
  });

  test('sign-up (POST /api/v1/users, JSON): 201 with Location and the new, pending User', async () => {
    const { res, body } = await call('POST', '/api/v1/users', { json: signupBody({ email: SHOPPER.email.toUpperCase(), phone: hyphenated(SHOPPER.phone) }) }, 201);
    assert.equal(body.email, SHOPPER.email, 'the e-mail is stored in lower case');
    assert.equal(body.phone, SHOPPER.phone, 'the phone is stored as its digits');
    assert.deepEqual([body.status, body.email_verified, body.has_password], ['pending', false, true], 'a new account');
    assert.equal(res.headers.location, '/api/v1/me');
    ctx.signup = { id: body.id };
  });

  test('sign-up again: the same e-mail is 409 USER_EMAIL_TAKEN, the same phone (written another way) 409 USER_PHONE_TAKEN', async () => {
    need('signup', 'the sign-up');
    const a = await call('POST', '/api/v1/users', { json: signupBody({ phone: `010${digits(8)}` }) }, 409, 'USER_EMAIL_TAKEN');
    assert.deepEqual(a.body.errors, { email: 'taken' });
    const b = await call('POST', '/api/v1/users', { json: signupBody({ email: `openapi-${RUN}-2@example.com`, phone: SHOPPER.phone }) }, 409, 'USER_PHONE_TAKEN');
    assert.deepEqual(b.body.errors, { phone: 'taken' });
  });

  test('login with a form (POST /api/v1/auth/login, urlencoded): 200 LoginResult for the pending shopper', async () => {
    need('signup', 'the sign-up');
    const { body } = await call('POST', '/api/v1/auth/login', { form: { email: SHOPPER.email, password: SHOPPER.password } }, 200);
    assert.equal(body.user.id, ctx.signup.id, 'the user who signed up');
    assert.equal(body.user.status, 'pending');
    assert.ok(Date.parse(body.expires_at) > Date.now(), `expires_at ${body.expires_at} is in the past`);
    ctx.pending = { token: body.token };
  });

  test('a shopper who has not verified the e-mail: GET /api/v1/me answers; every route for a verified shopper is 403 ACCOUNT_NOT_VERIFIED', async () => {
    const { token } = need('pending', 'the pending shopper\'s token');
    const me = await call('GET', '/api/v1/me', { token }, 200);
    assert.equal(me.body.status, 'pending');
    const ops = opsLoad.value.filter((o) => (ROLE_403[o.op['x-lonua-role']] || []).includes('ACCOUNT_NOT_VERIFIED'));
    assert.ok(ops.length > 0, 'no documented route for a verified shopper');
    for (const o of ops) {
      await call(o.method, fill(o.path, 1), { token }, 403, 'ACCOUNT_NOT_VERIFIED');
    }
  });

  test('POST /api/v1/auth/verify/resend: 202 for the signed-in shopper (no e-mail) and for a guest with the e-mail; a guest without one is 422', async () => {
    const { token } = need('pending', 'the pending shopper\'s token');
    await call('POST', '/api/v1/auth/verify/resend', { json: {}, token, what: 'signed in, no e-mail' }, 202);
    await call('POST', '/api/v1/auth/verify/resend', { form: { email: SHOPPER.email }, what: 'a guest with the e-mail' }, 202);
    await call('POST', '/api/v1/auth/verify/resend', { json: { email: `openapi-${RUN}-nobody@example.com` }, what: 'nobody\'s e-mail' }, 202);
    const none = await call('POST', '/api/v1/auth/verify/resend', { json: {}, what: 'a guest, no e-mail' }, 422, 'VALIDATION_FAILED');
    assert.deepEqual(none.body.errors, { email: 'required' });
  });

  test('POST /api/v1/auth/verify with the mailed token: 200 {"status":"active"}; the token again is 404 VERIFY_LINK_DEAD; the same bearer token is an active shopper now', async () => {
    const { token } = need('pending', 'the pending shopper\'s token');
    const link = await mailedToken(SHOPPER.email, '/verify');
    await call('POST', '/api/v1/auth/verify', { json: { token: link } }, 200);
    await call('POST', '/api/v1/auth/verify', { form: { token: link }, what: 'spent' }, 404, 'VERIFY_LINK_DEAD');
    await call('POST', '/api/v1/auth/verify', { json: { token: deadToken() }, what: 'unknown' }, 404, 'VERIFY_LINK_DEAD');
    const me = await call('GET', '/api/v1/me', { token }, 200);
    assert.deepEqual([me.body.status, me.body.email_verified], ['active', true]);
    ctx.shopper = { token, id: me.body.id };
  });

  test('PATCH /api/v1/me: 200 with the User as changed; the phone of another account is 409 USER_PHONE_TAKEN', async () => {
    const { token } = need('shopper', 'the verified shopper\'s token');
    const { body } = await call('PATCH', '/api/v1/me', { json: { address_detail: `${TEST_NAME} 101호`, height_cm: 171, upper_body_type: 3 }, token }, 200);
    assert.deepEqual([body.address_detail, body.height_cm, body.upper_body_type, body.name], [`${TEST_NAME} 101호`, 171, 3, SHOPPER.name]);
    need('kakao', 'the Kakao shopper');
    const taken = await call('PATCH', '/api/v1/me', { form: { phone: hyphenated(KAKAO.phone) }, token }, 409, 'USER_PHONE_TAKEN');
    assert.deepEqual(taken.body.errors, { phone: 'taken' });
  });

  test('15 minutes after the login: PATCH /api/v1/me without current_password is 403 REAUTHENTICATE, a wrong one 401 WRONG_PASSWORD, the right one 200', async () => {
    const { token, id } = need('shopper', 'the verified shopper\'s token');
    sql(`UPDATE sessions SET reauthenticated_at = NULL WHERE user_id = ${id};`);
    const a = await call('PATCH', '/api/v1/me', { json: { weight_kg: 60 }, token }, 403, 'REAUTHENTICATE');
    assert.deepEqual(a.body.errors, { current_password: 'required' });
    const b = await call('PATCH', '/api/v1/me', { json: { weight_kg: 60, current_password: 'Wrong-Password-1' }, token }, 401, 'WRONG_PASSWORD');
    assert.deepEqual(b.body.errors, { current_password: 'wrong_password' });
    const c = await call('PATCH', '/api/v1/me', { json: { weight_kg: 60, current_password: SHOPPER.password }, token }, 200);
    assert.equal(c.body.weight_kg, 60);
  });

  test('POST /api/v1/me/password: a confirmation that differs is 422 mismatch; the change is 204; the old password logs in no more (401 LOGIN_FAILED), the new one does', async () => {
    const { token } = need('shopper', 'the verified shopper\'s token');
    const body = { current_password: SHOPPER.password, password: SHOPPER.changed };
    const bad = await call('POST', '/api/v1/me/password', { json: { ...body, password_confirm: `${SHOPPER.changed}x` }, token }, 422, 'VALIDATION_FAILED');
    assert.deepEqual(bad.body.errors, { password_confirm: 'mismatch' });
    await call('POST', '/api/v1/me/password', { json: { ...body, password_confirm: SHOPPER.changed }, token }, 204);
    await call('POST', '/api/v1/auth/login', { json: { email: SHOPPER.email, password: SHOPPER.password }, what: 'the old password' }, 401, 'LOGIN_FAILED');
    const now = await call('POST', '/api/v1/auth/login', { json: { email: SHOPPER.email, password: SHOPPER.changed }, what: 'the new password' }, 200);
    await call('POST', '/api/v1/auth/logout', { token: now.body.token }, 204);
  });

  test('a forgotten password: /auth/password/forgot is 202; /auth/password/reset with the mailed token is 204 and ends every session; a dead token is 404 RESET_LINK_DEAD', async () => {
    const { token } = need('shopper', 'the verified shopper\'s token');
    await call('POST', '/api/v1/auth/password/forgot', { json: { email: SHOPPER.email } }, 202);
    await call('POST', '/api/v1/auth/password/forgot', { form: { email: `openapi-${RUN}-nobody@example.com`, seller: '1' }, what: 'nobody, as a seller' }, 202);
    const link = await mailedToken(SHOPPER.email, '/password/reset');
    const mismatch = await call('POST', '/api/v1/auth/password/reset', { json: { token: link, password: SHOPPER.reset, password_confirm: 'Something-Else-1' } }, 422, 'VALIDATION_FAILED');
    assert.deepEqual(mismatch.body.errors, { password_confirm: 'mismatch' });
    await call('POST', '/api/v1/auth/password/reset', { json: { token: deadToken(), password: SHOPPER.reset }, what: 'unknown token' }, 404, 'RESET_LINK_DEAD');
    await call('POST', '/api/v1/auth/password/reset', { form: { token: link, password: SHOPPER.reset, password_confirm: SHOPPER.reset } }, 204);
    await call('POST', '/api/v1/auth/password/reset', { json: { token: link, password: SHOPPER.reset }, what: 'spent token' }, 404, 'RESET_LINK_DEAD');
    await call('GET', '/api/v1/me', { token, what: 'a session from before the reset' }, 401, 'INVALID_TOKEN');
    ctx.shopper = null;
    const { body } = await call('POST', '/api/v1/auth/login', { json: { email: SHOPPER.email, password: SHOPPER.reset } }, 200);
    ctx.shopper = { token: body.token, id: body.user.id };
  });

  test('POST /api/v1/auth/logout with a bearer token: 204; the token is dead then (401 INVALID_TOKEN)', async () => {
    need('shopper', 'the verified shopper\'s token');
    const { body } = await call('POST', '/api/v1/auth/login', { json: { email: SHOPPER.email, password: SHOPPER.reset } }, 200);
    await call('POST', '/api/v1/auth/logout', { token: body.token }, 204);
    await call('GET', '/api/v1/me', { token: body.token, what: 'logged out' }, 401, 'INVALID_TOKEN');
    await call('POST', '/api/v1/auth/logout', { token: body.token, what: 'logged out' }, 401, 'INVALID_TOKEN');
  });

  test('the session cookie on the API: a GET needs nothing else; an unsafe call without X-CSRF-Token is 403 CSRF_FAILED, with the page\'s token it works; a cookie token is no bearer token, nor the reverse', async () => {
    const { token } = need('shopper', 'the verified shopper\'s token');
    const sid = await pageLogin('/login', SHOPPER.email, SHOPPER.reset);
    const me = await call('GET', '/api/v1/me', { cookie: sid, what: 'with the cookie' }, 200);
    assert.equal(me.body.email, SHOPPER.email);
    await call('GET', '/api/v1/me', { token: sid, what: 'the cookie\'s token as a bearer token' }, 401, 'INVALID_TOKEN');
    await call('GET', '/api/v1/me', { cookie: token, what: 'a bearer token as the cookie' }, 401, 'NOT_AUTHENTICATED');
    await call('PATCH', '/api/v1/me', { json: { height_cm: 172 }, cookie: sid, what: 'cookie, no X-CSRF-Token' }, 403, 'CSRF_FAILED');
    await call('PATCH', '/api/v1/me', { json: { height_cm: 172 }, cookie: sid, csrf: deadToken(), what: 'cookie, a wrong X-CSRF-Token' }, 403, 'CSRF_FAILED');
    const csrf = await pageCsrf('/me', sid);
    const ok = await call('PATCH', '/api/v1/me', { json: { height_cm: 172 }, cookie: sid, csrf, what: 'cookie and X-CSRF-Token' }, 200);
    assert.equal(ok.body.height_cm, 172);
    ctx.shopperCookie = { sid, csrf };
  });

  test('repeated failed logins: 401 LOGIN_FAILED, then 429 TOO_MANY_ATTEMPTS with Retry-After', async () => {
    const email = `openapi-${RUN}-guesser@example.com`;
    let failures = 0;
    for (let i = 0; i < 12; i++) {
      const res = await api('POST', '/api/v1/auth/login', { json: { email, password: `Guess-${i}-Wrong!` } });
      if (res.status === 401) {
        expectAnswer(opOf('POST', '/api/v1/auth/login'), res, 401, 'LOGIN_FAILED', `POST /api/v1/auth/login (failure ${++failures})`);
        continue;
      }
      expectAnswer(opOf('POST', '/api/v1/auth/login'), res, 429, 'TOO_MANY_ATTEMPTS', `POST /api/v1/auth/login after ${failures} failures`);
      assert.ok(Number(res.headers['retry-after']) > 0, `Retry-After: ${live().describe(res)}`);
      assert.ok(failures > 0, 'throttled before any failure');
      return;
    }
    assert.fail(`${failures} failed logins for one account from one address and no 429`);
  });

  test('the seed seller logs in (POST /api/v1/seller/auth/login): 200 SellerLoginResult; GET /api/v1/seller/me is the Seller', async () => {
    const { body } = await call('POST', '/api/v1/seller/auth/login', { json: SEED_SELLER }, 200);
    assert.equal(body.seller.email, SEED_SELLER.email);
    const me = await call('GET', '/api/v1/seller/me', { token: body.token }, 200);
    assert.deepEqual(me.body, body.seller, 'the seller the login named');
    ctx.seedSeller = { token: body.token };
    ctx.sellerCookie = { sid: await pageLogin('/seller/login', SEED_SELLER.email, SEED_SELLER.password) };
    ctx.sellerCookie.csrf = await pageCsrf('/seller', ctx.sellerCookie.sid);
  });

  test('the seed demo shopper and the seed admin log in (POST /api/v1/auth/login): 200 LoginResult; the admin by page too', async () => {
    const buyer = await call('POST', '/api/v1/auth/login', { json: SEED_BUYER, what: 'the seed demo shopper' }, 200);
    assert.deepEqual([buyer.body.user.email, buyer.body.user.role], [SEED_BUYER.email, 'shopper']);
    ctx.buyer = { token: buyer.body.token };
    const admin = await call('POST', '/api/v1/auth/login', { json: SEED_ADMIN, what: 'the seed admin' }, 200);
    assert.deepEqual([admin.body.user.email, admin.body.user.role], [SEED_ADMIN.email, 'admin']);
    ctx.admin = { token: admin.body.token };
    ctx.adminCookie = { sid: await pageLogin('/login', SEED_ADMIN.email, SEED_ADMIN.password) };
    ctx.adminCookie.csrf = await pageCsrf('/', ctx.adminCookie.sid);
  });

  test('seller sign-up (POST /api/v1/sellers): a wrong brand key is 422 BRAND_KEY_WRONG; the right one 201 with Location and the Seller; the same e-mail again 409 SELLER_EMAIL_TAKEN', async () => {
    const brand = need('brand', 'the brand fixture');
    const body = { brand_id: brand.id, brand_key: brand.key, email: SELLER.email, password: SELLER.password, name: SELLER.name, agree_terms: true };
    const wrong = await call('POST', '/api/v1/sellers', { json: { ...body, brand_key: deadToken() }, what: 'a wrong key' }, 422, 'BRAND_KEY_WRONG');
    assert.deepEqual(wrong.body.errors, { brand_key: 'wrong_brand_key' });
    const { res, body: seller } = await call('POST', '/api/v1/sellers', { json: { ...body, password_confirm: SELLER.password, phone: '02-123-4567' } }, 201);
    assert.equal(res.headers.location, '/api/v1/seller/me');
    assert.deepEqual([seller.email, seller.brand.id, seller.status, seller.phone], [SELLER.email, brand.id, 'active', '021234567']);
    const again = await call('POST', '/api/v1/sellers', { form: { ...body, agree_terms: 'on' }, what: 'the same e-mail' }, 409, 'SELLER_EMAIL_TAKEN');
    assert.deepEqual(again.body.errors, { email: 'taken' });
    ctx.newSeller = { id: seller.id };
  });

  test('the new seller logs in (form) and changes the password: a wrong current_password is 401 WRONG_PASSWORD, the change 204', async () => {
    need('newSeller', 'the new seller');
    const { body } = await call('POST', '/api/v1/seller/auth/login', { form: { email: SELLER.email, password: SELLER.password } }, 200);
    const token = body.token;
    const wrong = await call('POST', '/api/v1/seller/me/password', { json: { current_password: 'Wrong-Password-1', password: SELLER.changed }, token }, 401, 'WRONG_PASSWORD');
    assert.deepEqual(wrong.body.errors, { current_password: 'wrong_password' });
    await call('POST', '/api/v1/seller/me/password', { json: { current_password: SELLER.password, password: SELLER.changed, password_confirm: SELLER.changed }, token }, 204);
    ctx.seller = { token };
  });

  test('while the brand is inactive: its seller is 403 ACCOUNT_SUSPENDED on every seller route, and at login; a sign-up for it is 409 BRAND_INACTIVE', async () => {
    const { token } = need('seller', 'the new seller\'s token');
    const brand = need('brand', 'the brand fixture');
    sql(`UPDATE brands SET status = 'inactive' WHERE id = ${brand.id};`);
    try {
      const ops = opsLoad.value.filter((o) => (ROLE_403[o.op['x-lonua-role']] || []).includes('ACCOUNT_SUSPENDED'));
      assert.ok(ops.length > 0, 'no documented seller route');
      for (const o of ops) await call(o.method, fill(o.path, 1), { token }, 403, 'ACCOUNT_SUSPENDED');
      await call('POST', '/api/v1/seller/auth/login', { json: { email: SELLER.email, password: SELLER.changed } }, 403, 'ACCOUNT_SUSPENDED');
      const body = { brand_id: brand.id, brand_key: brand.key, email: `openapi-seller-${RUN}-2@example.com`, password: SELLER.password, name: SELLER.name, agree_terms: true };
      const inactive = await call('POST', '/api/v1/sellers', { json: body, what: 'an inactive brand' }, 409, 'BRAND_INACTIVE');
      assert.deepEqual(inactive.body.errors, { brand_id: 'brand_inactive' });
    } finally {
      sql(`UPDATE brands SET status = 'active' WHERE id = ${brand.id};`);
    }
  });

  test('DELETE /api/v1/seller/me: a wrong password is 401 WRONG_PASSWORD; the right one 204, and the token is dead', async () => {
    const { token } = need('seller', 'the new seller\'s token');
    await call('GET', '/api/v1/seller/me', { token, what: 'active again' }, 200);
    const wrong = await call('DELETE', '/api/v1/seller/me', { json: { password: SELLER.password }, token }, 401, 'WRONG_PASSWORD');
    assert.deepEqual(wrong.body.errors, { password: 'wrong_password' });
    await call('DELETE', '/api/v1/seller/me', { form: { password: SELLER.changed }, token }, 204);
    await call('GET', '/api/v1/seller/me', { token, what: 'deleted' }, 401, 'INVALID_TOKEN');
    await call('POST', '/api/v1/seller/auth/login', { json: { email: SELLER.email, password: SELLER.changed }, what: 'deleted' }, 401, 'LOGIN_FAILED');
    ctx.seller = null;
  });

  test('a Kakao-only shopper: GET /api/v1/me shows the nulls the document allows; a password is 409 NO_EMAIL; withdrawing without passing through Kakao again is 403 REAUTHENTICATE', async () => {
    const { token } = need('kakao', 'the Kakao shopper');
    const me = await call('GET', '/api/v1/me', { token }, 200);
    assert.deepEqual([me.body.email, me.body.has_password, me.body.kakao_linked, me.body.birth_date], [null, false, true, null]);
    await call('POST', '/api/v1/me/password', { json: { password: SHOPPER.changed }, token }, 409, 'NO_EMAIL');
    const re = await call('POST', '/api/v1/me/withdraw', { json: {}, token }, 403, 'REAUTHENTICATE');
    assert.deepEqual(re.body.errors, { current_password: 'required' });
  });

  // The {id} a GET operation is asked with: 1 on a public route; on an account's route, the first
  // item of the list above it (GET /api/v1/orders for /api/v1/orders/{id}) as the same account.
  async function successId(o, token) {
    // a public route, or one whose {id} is not its last part (a product's size advice): id 1
    if (!templateParams(o.path).length || !needsAccount(o) || !/\/\{[^}/]+\}$/.test(o.path)) return 1;
    // the list of them (/api/v1/orders), or the caller's (/api/v1/me/reviews for /api/v1/reviews/{id})
    const listPath = [o.path.replace(/\/\{[^}/]+\}$/, ''), o.path.replace(/^\/api\/v1\/(\w+)\/\{[^}/]+\}$/, '/api/v1/me/$1')]
      .find((l) => (opsLoad.value || []).some((x) => x.method === 'GET' && x.path === l));
    if (!listPath) return 1;
    const res = await api('GET', listPath, { token });
    assert.equal(res.status, 200, `GET ${listPath} (for an id of ${o.path}): ${live().describe(res)}`);
    const id = res.json?.items?.[0]?.id;
    assert.ok(Number.isInteger(id), `GET ${listPath} lists nothing to ask ${o.path} about (the seed's demo rows?): ${live().describe(res)}`);
    return id;
  }

  // The calls a GET operation gets: ids 1 (or the caller's own) and no query, then each value of
  // each documented enum query parameter (lang=ko, lang=en).
  function successCalls(o, id) {
    const p = fill(o.path, id);
    const calls = [p];
    for (const prm of o.params.filter((x) => x.in === 'query')) {
      for (const v of schemaOf(prm).enum || []) calls.push(withQuery(p, `${encodeURIComponent(prm.name)}=${encodeURIComponent(v)}`));
    }
    return calls;
  }

  // A query that makes a declared input invalid, or null when none can be made invalid.
  function invalidQuery(route) {
    for (const input of route.inputs || []) {
      if (input.in === 'body') continue;
      const bad = { integer: 'x', enum: 'not-a-choice', boolean: 'maybe', string: 'a%00b' }[input.type];
      if (bad) return { name: input.name, query: `${encodeURIComponent(input.name)}=${bad}` };
    }
    return null;
  }

  const liveOps = (opsLoad.value || []).filter((o) => o.method === 'GET');
  for (const o of liveOps) {
    test(`${o.label}: answers a documented success, with ids 1 (or the caller's own) and each documented enum value${needsAccount(o) ? ` (as a ${o.op['x-lonua-role']} with rows of its own)` : ''}`, async () => {
      const token = ownerTokenFor(o.op['x-lonua-role']);
      for (const p of successCalls(o, await successId(o, token))) {
        const res = await api('GET', p, { token });
        assert.ok(res.status >= 200 && res.status < 300, `GET ${p} did not succeed: ${live().describe(res)}`);
        const key = assertDocumented(`GET ${p}`, o.op.responses, res);
        note(`${o.op.operationId}: GET ${p} → ${res.status} ${mediaTypeOf(res)} valid against response ${key}`);
      }
    });

    if (templateParams(o.path).length && o.op.responses?.['404']) {
      test(`${o.label}: an absent id (${ABSENT_ID}) and a non-numeric id answer the documented 404`, async () => {
        const token = tokenFor(o.op['x-lonua-role']);
        for (const p of [fill(o.path, ABSENT_ID), fill(o.path, 'abc')]) {
          const res = await api('GET', p, { token });
          assertDocumented(`GET ${p}`, o.op.responses, res, 404);
          note(`${o.op.operationId}: GET ${p} → 404 valid`);
        }
      });
    }

    if (o.op.responses?.['400']) {
      test(`${o.label}: a malformed query (%ZZ) answers the documented 400`, async () => {
        const p = withQuery(fill(o.path, 1), 'x=%ZZ');
        const res = await live().get(p);
        assertDocumented(`GET ${p}`, o.op.responses, res, 400);
        note(`${o.op.operationId}: GET ${p} → 400 valid`);
      });
    }

    const route = (routesLoad.value || []).find((r) => r.method === 'GET' && normPath(r.path) === o.norm);
    const bad = route && invalidQuery(route);
    if (bad) {
      test(`${o.label}: an invalid ${bad.name} answers the documented 422`, async () => {
        const p = withQuery(fill(o.path, 1), bad.query);
        const res = await api('GET', p, { token: tokenFor(o.op['x-lonua-role']) });
        assertDocumented(`GET ${p}`, o.op.responses, res, 422);
        assert.ok(res.json?.errors?.[bad.name], `GET ${p}: errors.${bad.name} is missing: ${live().describe(res)}`);
        note(`${o.op.operationId}: GET ${p} → 422 valid`);
      });
    }
  }
  if (!liveOps.some((o) => (routesLoad.value || []).some((r) => r.method === 'GET' && normPath(r.path) === o.norm && invalidQuery(r)))) {
    note('422: no documented GET route declares a query input yet, so no 422 is called');
  }

  // ---- every operation: who may call it, and what its body takes ------------------------------------

  for (const o of opsLoad.value || []) {
    const role = o.op['x-lonua-role'];
    const url = fill(o.path, 1);
    test(`${o.label}: a bearer token that is no live session is 401 INVALID_TOKEN${needsAccount(o) ? '; no account at all 401 NOT_AUTHENTICATED' : ''}`, async () => {
      await call(o.method, url, { token: deadToken(), what: 'a dead bearer token' }, 401, 'INVALID_TOKEN');
      if (needsAccount(o)) await call(o.method, url, { what: 'no account' }, 401, 'NOT_AUTHENTICATED');
    });
    if (ROLE_403[role]?.includes('WRONG_ROLE')) {
      test(`${o.label}: the wrong kind of account (role ${role}) is 403 WRONG_ROLE`, async () => {
        await call(o.method, url, { token: wrongKindToken(role), what: `a ${role === 'seller' ? 'shopper' : 'seller'}` }, 403, 'WRONG_ROLE');
      });
    }
    if (UNSAFE.has(o.method) && !csrfExempt(o)) {
      test(`${o.label}: with the session cookie but without X-CSRF-Token it is 403 CSRF_FAILED`, async () => {
        await call(o.method, url, { cookie: cookieFor(role).sid, what: 'the session cookie, no X-CSRF-Token' }, 403, 'CSRF_FAILED');
      });
    } else if (UNSAFE.has(o.method)) {
      test(`${o.label}: x-lonua-csrf false: with the session cookie and without X-CSRF-Token it is not refused (an empty body: 422 naming the required fields)`, async () => {
        const required = [...bodyPropertiesOf(o).required].sort();
        assert.ok(required.length, `${o.label}: no required body field, so an empty call could change something: this check needs one`);
        const { body } = await call(o.method, url, { json: {}, cookie: cookieFor(role).sid, what: 'the session cookie, no X-CSRF-Token' }, 422, 'VALIDATION_FAILED');
        assert.deepEqual(Object.keys(body.errors).sort(), required);
      });
    }
    const route = (routesLoad.value || []).find((r) => r.method === o.method && normPath(r.path) === o.norm);
    const bodyInputs = (route?.inputs || []).filter((i) => i.in !== 'query');
    if (!bodyInputs.length || role === 'signed_in') continue;
    const hasRequired = bodyPropertiesOf(o).required.size > 0;
    test(`${o.label}: a body that is neither JSON nor a form is 415${hasRequired ? '; an empty one (JSON and form) is 422 naming exactly the documented required fields' : ''}`, async () => {
      const token = tokenFor(role);
      await call(o.method, url, { raw: 'hello', type: 'text/plain', token, what: 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const required = [...bodyPropertiesOf(o).required].sort();
      if (!required.length) return; // an empty body is no error: nothing to call without side effects
      for (const opts of [{ json: {} }, { form: { unrelated: '1' } }]) {
        const { body } = await call(o.method, url, { ...opts, token, what: `an empty ${opts.json ? 'JSON' : 'form'} body` }, 422, 'VALIDATION_FAILED');
        assert.deepEqual(Object.keys(body.errors).sort(), required, `${o.label}: the fields the server requires (left) and the document (right)`);
        for (const [k, v] of Object.entries(body.errors)) assert.ok(['required', 'must_accept'].includes(v), `errors.${k} = ${v}`);
      }
    });
  }

  // Each distinct body property (by route input type and documented schema) once, on the first
  // operation that has it: every sample the document accepts the server accepts, and every one it
  // refuses the server refuses (errors[name] in a 422 that something else keeps from succeeding).
  {
    const seen = new Set();
    for (const o of opsLoad.value || []) {
      const route = (routesLoad.value || []).find((r) => r.method === o.method && normPath(r.path) === o.norm);
      const { props, required } = bodyPropertiesOf(o);
      for (const input of (route?.inputs || []).filter((i) => i.in !== 'query' && props.has(i.name))) {
        const schema = props.get(input.name);
        const key = `${input.type} ${JSON.stringify(schema)}`;
        if (seen.has(key)) continue;
        // Something that keeps the call a 422 whatever the sample: another required field left
        // out, or else another integer field that is not one; without either, a later operation
        // with the same property does.
        const otherRequired = [...required].some((k) => k !== input.name);
        const notInteger = Object.fromEntries([...props].filter(([k, s]) => k !== input.name && s.type === 'integer').slice(0, 1).map(([k]) => [k, 'x']));
        if (!otherRequired && !Object.keys(notInteger).length) continue;
        const poison = otherRequired ? {} : notInteger;
        seen.add(key);
        test(`${o.label}: the server accepts exactly the ${input.name} values the document accepts (${input.type})`, async () => {
          const token = tokenFor(o.op['x-lonua-role']);
          const disagree = [];
          const samples = samplesFor(input, schema);
          for (const value of samples) {
            // An input that repeats another (the password typed twice) is sampled with its twin.
            const twin = input.same_as ? { [input.same_as]: value } : {};
            const res = await api(o.method, fill(o.path, 1), { json: { ...poison, ...twin, [input.name]: value }, token });
            expectAnswer(o, res, 422, 'VALIDATION_FAILED', `${o.method} ${o.path} with ${input.name} ${JSON.stringify(value).slice(0, 40)}`);
            const server = !(input.name in res.json.errors);
            if (server !== documentAccepts(schema, value)) {
              disagree.push(`${JSON.stringify(value)}: the document ${server ? 'refuses' : 'accepts'} it, the server ${server ? 'accepts it' : `says ${res.json.errors[input.name]}`}`);
            }
          }
          assert.deepEqual(disagree, [], `${o.label} ${input.name}:\n  ${disagree.join('\n  ')}`);
          note(`${o.op.operationId} ${input.name}: ${samples.length} values, the document and the server agree`);
        });
      }
    }
  }

  // Each documented path called with a method it does not document answers 405 as
  // components/responses/MethodNotAllowed says, with Allow listing exactly the documented methods.
  for (const p of Object.keys(docLoad.value?.paths || {})) {
    const documented = (opsLoad.value || []).filter((o) => o.path === p).map((o) => o.method);
    const method = ['DELETE', 'PUT', 'PATCH', 'POST'].find((m) => !documented.includes(m));
    if (!method) continue;
    test(`${method} ${p} answers 405 as components/responses/MethodNotAllowed, Allow listing the documented methods`, async () => {
      const url = fill(p, 1);
      const res = await live().request(url, { method, headers: method === 'GET' ? {} : { 'Content-Length': '0' } });
      assertDocumented(`${method} ${url}`, { 405: { $ref: '#/components/responses/MethodNotAllowed' } }, res, 405);
      const allow = String(res.headers.allow || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      const expected = [...documented, ...(documented.includes('GET') ? ['HEAD'] : [])].sort();
      assert.deepEqual(allow, expected, `${method} ${url}: Allow is "${res.headers.allow}"`);
      note(`${method} ${url} → 405 valid, Allow: ${res.headers.allow}`);
    });
  }

  test('an unknown /api/v1/ path answers 404 as components/responses/NotFound', async () => {
    const res = await live().get('/api/v1/no-such-thing');
    assertDocumented('GET /api/v1/no-such-thing', { 404: { $ref: '#/components/responses/NotFound' } }, res, 404);
  });

  // ---- the end of the accounts: withdrawal, logging out, the rows made ----------------------------

  test('page sessions log out through the API with the cookie and X-CSRF-Token: 204, and the cookie is cleared; the seed accounts\' tokens log out', async () => {
    const mine = { shopperCookie: ['shopper', '/api/v1/me'], sellerCookie: ['seller', '/api/v1/seller/me'],
      adminCookie: ['admin', '/api/v1/admin/refunds'] };
    for (const [key, [who, own]] of Object.entries(mine)) {
      const { sid, csrf } = need(key, `the ${who}'s page session`);
      const { res } = await call('POST', '/api/v1/auth/logout', { cookie: sid, csrf, what: 'the session cookie and X-CSRF-Token' }, 204);
      assert.match([].concat(res.headers['set-cookie'] || []).join('\n'), /lonua_sid=;[^\n]*Max-Age=0/, `the cookie is not cleared: ${live().describe(res)}`);
      await call('GET', own, { cookie: sid, what: 'a logged-out cookie' }, 401, 'NOT_AUTHENTICATED');
      ctx[key] = null;
    }
    for (const [key, who] of [['seedSeller', 'the seed seller'], ['buyer', 'the seed demo shopper'], ['admin', 'the seed admin']]) {
      await call('POST', '/api/v1/auth/logout', { token: need(key, `${who}'s token`).token, what: who }, 204);
      ctx[key] = null;
    }
  });

  test('the shopper withdraws (POST /api/v1/me/withdraw): a wrong password is 401 WRONG_PASSWORD, the right one 204; the token is dead and the e-mail logs in no more', async () => {
    const { token } = need('shopper', 'the verified shopper\'s token');
    const wrong = await call('POST', '/api/v1/me/withdraw', { json: { password: SHOPPER.password }, token }, 401, 'WRONG_PASSWORD');
    assert.deepEqual(wrong.body.errors, { password: 'wrong_password' });
    await call('POST', '/api/v1/me/withdraw', { form: { password: SHOPPER.reset }, token }, 204);
    await call('GET', '/api/v1/me', { token, what: 'withdrawn' }, 401, 'INVALID_TOKEN');
    await call('POST', '/api/v1/auth/login', { json: { email: SHOPPER.email, password: SHOPPER.reset }, what: 'withdrawn' }, 401, 'LOGIN_FAILED');
    ctx.shopper = null;
  });

  test('clean-up: the brand, the sellers and the shoppers this run made are gone from the database', () => {
    dropFixtures();
    const left = sql(`SELECT (SELECT COUNT(*) FROM brands WHERE name LIKE ${lit(`${TEST_NAME} %`)}),
      (SELECT COUNT(*) FROM sellers WHERE email LIKE ${lit(`openapi-seller-${RUN}%`)}),
      (SELECT COUNT(*) FROM users WHERE name LIKE ${lit(`${TEST_NAME} %`)});`).trim();
    assert.equal(left, '0\t0\t0', 'rows left (brands, sellers, users)');
  });
}

await run();
