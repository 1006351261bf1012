// The access matrix through the real stack (nginx → lonua workers → MariaDB): every route of
// `lonua routes --json` × ten principals (guest, pending shopper, shopper, another shopper,
// withdrawn shopper, seller, a seller of another brand, suspended seller, seller of an inactive
// brand, admin) against the expectations in tests/integration/access-matrix.mjs, which says what
// the outcomes mean. The suite fails when a route has no row there and when a row names a route
// that is gone, so the table grows with every route. Also: the header each principal sees, and
// that the API's "me" is the caller.
//
//   LONUA_BIN=build/lonua LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_TEST_ROUTES=1 \
//     LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock node tests/integration/access.test.mjs
//
// LONUA_TEST_ROUTES must be what the server runs with (ci/test exports it for both): the table is
// always checked with the test-only routes, the server is asked about them only when it has them.
// The principals are rows the suite writes as root through the socket: users, three brands and
// four sellers named "access-matrix …", and sessions it makes itself (a random token, its
// SHA-256, a CSRF secret). It removes them at the start (leftovers of a run that died) and at the
// end. Calls send empty or deliberately invalid bodies, so nothing is changed; the suite checks
// that too.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, request, describe, shorten, mediaType, sleep } from './http.mjs';
import { PRINCIPALS, CLASSES, ROUTES } from './access-matrix.mjs';

const SOCKET = process.env.LONUA_DB_ROOT_SOCKET;
const BIN = process.env.LONUA_BIN;
if (!SOCKET || !BIN) {
  console.log('Bail out! LONUA_DB_ROOT_SOCKET and LONUA_BIN must be set (the private MariaDB\'s socket; the lonua binary, for `lonua routes --json`)');
  process.exit(1);
}

const KO = JSON.parse(fs.readFileSync(new URL('../../locales/ko.json', import.meta.url), 'utf8'));
const API = '/api/';
const SAFE = new Set(['GET', 'HEAD']);
// Principals whose sessions exist but must be refused: the cookie is ignored (a guest), the bearer
// token is 401 INVALID_TOKEN on every API route.
const REFUSED = new Set(['withdrawn']);

// ---- the route table ---------------------------------------------------------------------------

function routeList(testRoutes) {
  const out = execFileSync(BIN, ['routes', '--json'], {
    env: { ...process.env, LONUA_TEST_ROUTES: testRoutes },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10000,
  });
  const list = JSON.parse(out);
  assert.ok(Array.isArray(list), `\`lonua routes --json\` did not print a JSON array: ${shorten(out)}`);
  return list;
}

const key = (r) => `${r.method} ${r.path}`;
const ALL = routeList('1'); // every route, the test-only ones too: what the matrix must cover
const LIVE = new Set(routeList(process.env.LONUA_TEST_ROUTES || '0').map(key)); // what the server answers

// ---- the database ------------------------------------------------------------------------------

function sql(script) {
  return execFileSync('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', 'lonua'], { input: script, encoding: 'utf8', maxBuffer: 16 << 20 });
}
const lit = (v) => (v === null || v === undefined ? 'NULL'
  : typeof v === 'number' ? String(v)
    : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
const hex = (buf) => `UNHEX('${buf.toString('hex')}')`;
const b64url = (buf) => buf.toString('base64url');

// Names with HTML in them: the header must print them escaped.
const PREFIX = 'access-matrix';
const MAIL = (p) => `${PREFIX}-${p.replace(/_/g, '-')}@example.test`;
const USERS = {
  pending: { role: 'shopper', status: 'pending', name: `${PREFIX} 대기 <b>"P&P"</b>` },
  shopper: { role: 'shopper', status: 'active', name: `${PREFIX} 쇼퍼 <i>'A&B'</i>` },
  other_shopper: { role: 'shopper', status: 'active', name: `${PREFIX} other <script>x</script>` },
  withdrawn: { role: 'shopper', status: 'withdrawn', name: `${PREFIX} 탈퇴 <s>W</s>` },
  admin: { role: 'admin', status: 'active', name: `${PREFIX} 관리자 <u>&amp;</u>` },
};
const BRANDS = {
  A: { name: `${PREFIX} brand A`, status: 'active' },
  B: { name: `${PREFIX} brand B`, status: 'active' },
  C: { name: `${PREFIX} brand C (inactive)`, status: 'inactive' },
};
const SELLERS = {
  seller: { brand: 'A', status: 'active', name: `${PREFIX} 셀러 <em>S&S</em>` },
  other_seller: { brand: 'B', status: 'active', name: `${PREFIX} 다른 셀러 <q>O</q>` },
  suspended_seller: { brand: 'A', status: 'suspended', name: `${PREFIX} 정지 <del>X</del>` },
  inactive_brand_seller: { brand: 'C', status: 'active', name: `${PREFIX} 비활성 <ins>I</ins>` },
};

const OURS = `SELECT id FROM users WHERE name LIKE '${PREFIX}%'`;
const CLEANUP = `
DELETE FROM outbox WHERE payload LIKE '%${PREFIX}-%@example.test%';
DELETE FROM coupons WHERE user_id IN (${OURS});
DELETE FROM sessions WHERE user_id IN (${OURS});
DELETE FROM users WHERE name LIKE '${PREFIX}%';
DELETE FROM sellers WHERE email LIKE '${PREFIX}-%@example.test';
DELETE FROM brands WHERE name LIKE '${PREFIX}%';
`;

// account[principal] = { user: id } | { seller: id }; ids of the lookups for {id}.
const account = {};
const ids = {};

function createPrincipals() {
  let script = CLEANUP;
  for (const [p, b] of Object.entries(BRANDS)) {
    script += `INSERT INTO brands (name, key_hash, status, business_address, phone, business_registration_number,
      bank_name, bank_account_number, bank_account_holder, return_address, return_courier)
      VALUES (${lit(b.name)}, UNHEX(SHA2(${lit(`${PREFIX}-key-${p}`)}, 256)), ${lit(b.status)}, '서울특별시 중구 세종대로 110',
      '0212345678', '1234567890', '테스트은행', '123-456-789', '예금주', '서울특별시 중구 세종대로 110', 'CJ대한통운');\n`;
  }
  for (const [p, u] of Object.entries(USERS)) {
    const gone = u.status === 'withdrawn';
    script += `INSERT INTO users (role, status, email, email_verified_at, password_hash, name, withdrawn_at)
      VALUES (${lit(u.role)}, ${lit(u.status)}, ${gone ? 'NULL' : lit(MAIL(p))},
      ${u.status === 'active' ? 'UTC_TIMESTAMP()' : 'NULL'}, ${gone ? 'NULL' : "'access-matrix: no login'"},
      ${lit(u.name)}, ${gone ? 'UTC_TIMESTAMP()' : 'NULL'});\n`;
  }
  for (const [p, s] of Object.entries(SELLERS)) {
    script += `INSERT INTO sellers (brand_id, email, password_hash, name, status)
      SELECT id, ${lit(MAIL(p))}, 'access-matrix: no login', ${lit(s.name)}, ${lit(s.status)} FROM brands
      WHERE name = ${lit(BRANDS[s.brand].name)};\n`;
  }
  for (const p of Object.keys(USERS)) script += `SELECT 'user', ${lit(p)}, id FROM users WHERE name = ${lit(USERS[p].name)};\n`;
  for (const p of Object.keys(SELLERS)) script += `SELECT 'seller', ${lit(p)}, id FROM sellers WHERE email = ${lit(MAIL(p))};\n`;
  script += `SELECT 'brand', 'brand', id FROM brands WHERE name = ${lit(BRANDS.A.name)};
SELECT 'id', 'product', MIN(p.id) FROM products p JOIN brands b ON b.id = p.brand_id
  WHERE p.status = 'active' AND b.status = 'active';
SELECT 'id', 'category', MIN(id) FROM categories;
SELECT 'id', 'style', MIN(id) FROM styles;
SELECT 'id', 'order', MIN(id) FROM orders;
`;
  for (const line of sql(script).trim().split('\n')) {
    const [kind, name, id] = line.split('\t');
    if (kind === 'user' || kind === 'seller') account[name] = { [kind]: Number(id) };
    else ids[name] = Number(id);
  }
  for (const p of PRINCIPALS) {
    if (p !== 'guest') assert.ok(account[p], `principal ${p} was not created`);
  }
  for (const k of ['brand', 'product', 'category', 'style', 'order']) {
    assert.ok(ids[k] > 0, `no ${k} id to use for {id} (the suite needs the seed's products, categories, styles and orders)`);
  }
}

// A session as login would make it: the client holds 32 random bytes as base64url; the table
// holds their SHA-256 and a CSRF secret, whose HMAC of "lonua-csrf" is the member CSRF token.
function newSessions(list) { // [{ principal, kind }] → [{ token, csrf }]
  let script = '';
  const out = list.map(({ principal, kind }) => {
    const raw = crypto.randomBytes(32), secret = crypto.randomBytes(32);
    const a = account[principal];
    script += `INSERT INTO sessions (token_hash, kind, user_id, seller_id, csrf_secret, created_at, last_seen_at, expires_at)
      VALUES (${hex(crypto.createHash('sha256').update(raw).digest())}, ${lit(kind)}, ${a.user ?? 'NULL'},
      ${a.seller ?? 'NULL'}, ${hex(secret)}, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 2 HOUR);\n`;
    return { token: b64url(raw), csrf: b64url(crypto.createHmac('sha256', secret).update('lonua-csrf').digest()) };
  });
  if (script) sql(script);
  return out;
}

const sessions = {}; // sessions[principal] = { cookie: {token, csrf}, bearer: {token, csrf} }

function createSessions() {
  const want = [];
  for (const p of PRINCIPALS) if (p !== 'guest') want.push({ principal: p, kind: 'cookie' }, { principal: p, kind: 'bearer' });
  const made = newSessions(want);
  want.forEach(({ principal, kind }, i) => { (sessions[principal] ??= {})[kind] = made[i]; });
}

// What must not change while the matrix runs: the principals' rows, their long-lived sessions,
// the mail queued for them, their carts and orders.
function snapshot() {
  const tokens = Object.values(sessions).flatMap((s) => [s.cookie, s.bearer])
    .map((s) => hex(crypto.createHash('sha256').update(Buffer.from(s.token, 'base64url')).digest()));
  return sql(`
SELECT id, role, status, email, email_verified_at, password_hash, name, phone, address, withdrawn_at, updated_at
  FROM users WHERE name LIKE '${PREFIX}%' ORDER BY id;
SELECT id, brand_id, email, password_hash, name, status, updated_at FROM sellers WHERE email LIKE '${PREFIX}-%' ORDER BY id;
SELECT id, status, key_hash, updated_at FROM brands WHERE name LIKE '${PREFIX}%' ORDER BY id;
SELECT COUNT(*) FROM sessions WHERE token_hash IN (${tokens.join(', ')});
SELECT COUNT(*) FROM outbox WHERE payload LIKE '%${PREFIX}-%';
SELECT COUNT(*) FROM email_verification_tokens WHERE user_id IN (${OURS});
SELECT COUNT(*) FROM password_reset_tokens WHERE user_id IN (${OURS})
  OR seller_id IN (SELECT id FROM sellers WHERE email LIKE '${PREFIX}-%');
SELECT COUNT(*) FROM carts WHERE user_id IN (${OURS});
SELECT COUNT(*) FROM orders WHERE user_id IN (${OURS});
`);
}

// ---- calls ---------------------------------------------------------------------------------------

let guestCsrf = null; // { cookie, token }: a guest's CSRF pair, from a page with a guest form

async function fetchGuestCsrf() {
  const res = await send('/login', {});
  const cookie = [].concat(res.headers['set-cookie'] || []).map((c) => c.match(/^lonua_csrf=([^;]*)/))
    .find(Boolean);
  const token = res.text.match(/name="csrf_token" value="([^"]+)"/);
  assert.ok(res.status === 200 && cookie && token, `GET /login gives a guest no CSRF cookie and token: ${describe(res)}`);
  guestCsrf = { cookie: cookie[1], token: token[1] };
}

// One request. nginx's rate limit on the login paths (20 a second, a burst of 20: more than the
// calls of one row) answers 429 past the burst: wait a second and ask again (its Retry-After
// says 60, for people).
async function send(path, opts) {
  for (let attempt = 0; ; attempt++) {
    const res = await request(path, opts);
    if (res.status !== 429 || attempt === 10) return res;
    await sleep(1000);
  }
}

function fillPath(pattern, row) {
  return pattern.replace(/\{[a-z_]+\}/g, () => {
    const id = typeof row.id === 'number' ? row.id : ids[row.id];
    assert.ok(id > 0, `the row of ${pattern} needs id: 'product' | 'category' | 'style' | 'brand' | a number`);
    return String(id);
  });
}

// Calls route r as principal p over transport t ('page': cookie; 'bearer': Authorization;
// 'cookie': the API with the session cookie and X-CSRF-Token). Returns { res, path }.
async function call(r, row, p, t) {
  const path = fillPath(r.path, row) + (row.query ? `?${row.query}` : '');
  const kind = t === 'bearer' ? 'bearer' : 'cookie';
  const session = p === 'guest' ? null
    : row.endsSession ? newSessions([{ principal: p, kind }])[0] : sessions[p][kind];
  const headers = {};
  const cookies = [];
  if (session && t === 'bearer') headers.Authorization = `Bearer ${session.token}`;
  if (session && t !== 'bearer') cookies.push(`lonua_sid=${session.token}`);
  let body;
  if (!SAFE.has(r.method)) {
    // The CSRF token the server should expect: the session's, or (no session the server accepts)
    // the guest's, so that what is checked is the role step, not CSRF.
    const csrf = session && !REFUSED.has(p) ? session.csrf : guestCsrf.token;
    cookies.push(`lonua_csrf=${guestCsrf.cookie}`);
    if (t === 'page') {
      body = new URLSearchParams({ csrf_token: csrf, ...(row.body || {}) }).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else {
      body = JSON.stringify(row.body || {});
      headers['Content-Type'] = 'application/json';
      // A guest's unsafe API call sends the guest's pair too (a guest's cart lives under a cookie).
      if (t === 'cookie' || !session) headers['X-CSRF-Token'] = csrf;
    }
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  if (cookies.length) headers.Cookie = cookies.join('; ');
  return { res: await send(path, { method: r.method, headers, body }), path };
}

const escapeHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// An answer in one line, for the failure messages.
function brief(res) {
  const parts = [String(res.status), mediaType(res) || '(no type)'];
  if (res.headers.location) parts.push(`Location: ${res.headers.location}`);
  if (res.json && typeof res.json === 'object' && !Array.isArray(res.json)) {
    parts.push(res.json.code ? `code ${res.json.code}` : shorten(JSON.stringify(res.json), 120));
  } else {
    const title = res.text.match(/<title>([^<]*)<\/title>/);
    parts.push(title ? `<title>${title[1].trim()}</title>` : shorten(res.text, 120));
  }
  return parts.join(' ');
}

// What an answer says about access, as the outcomes of access-matrix.mjs are written: 'allowed',
// 'login /login?next=…', a problem code, or 'unavailable …'.
function classify(res, api) {
  if (res.status === 429 || res.status >= 500) return `unavailable (${res.status})`;
  if (res.status >= 300 && res.status < 400 && res.headers.location) {
    const loc = new URL(res.headers.location, BASE);
    if (loc.pathname === '/login' || loc.pathname === '/seller/login') {
      const next = loc.searchParams.get('next');
      return `login ${loc.pathname}${next === null ? '' : `?next=${next}`}`;
    }
    return 'allowed';
  }
  if (res.status === 401 || res.status === 403) {
    if (api) {
      if (mediaType(res) !== 'application/problem+json' || !res.json) return `${res.status} without problem+json`;
      return String(res.json.code);
    }
    // A page says it in words: the error page shows the code's text (locales/ko.json problem.*).
    for (const [code, text] of Object.entries(KO.problem || {})) {
      if (res.text.includes(escapeHtml(text))) return code;
    }
    return `${res.status} page of no known code`;
  }
  return 'allowed';
}

// The expected classification of an outcome of the matrix for one call.
function expected(outcome, { r, p, t, path }) {
  const api = r.path.startsWith(API);
  if (api && t === 'bearer' && REFUSED.has(p)) return 'INVALID_TOKEN';
  if (outcome !== 'login') return outcome;
  if (api) return 'NOT_AUTHENTICATED';
  const page = ROUTES[key(r)].access === 'seller' ? '/seller/login' : '/login';
  return r.method === 'GET' ? `login ${page}?next=${path}` : `login ${page}`;
}

function transports(r, p) {
  if (!r.path.startsWith(API)) return ['page'];
  if (SAFE.has(r.method) || p === 'guest') return ['bearer'];
  return ['bearer', 'cookie'];
}

// ---- the tests -----------------------------------------------------------------------------------

const rowLine = (r) => `  '${key(r)}': { access: '${r.role}' },`;

test('every route of `lonua routes --json` has a row in tests/integration/access-matrix.mjs', () => {
  const missing = ALL.filter((r) => !Object.hasOwn(ROUTES, key(r)));
  assert.deepEqual(missing.map(key), [],
    `routes without a row in the access matrix; add (and check the outcomes):\n${missing.map(rowLine).join('\n')}`);
});

test('every row of the access matrix names a route that exists', () => {
  const known = new Set(ALL.map(key));
  const stale = Object.keys(ROUTES).filter((k) => !known.has(k));
  assert.deepEqual(stale, [], 'rows of tests/integration/access-matrix.mjs whose route `lonua routes --json` no longer has');
});

test('each row names the access class its route declares, and a known one', () => {
  const wrong = [];
  for (const r of ALL) {
    const row = ROUTES[key(r)];
    if (!row) continue;
    if (!Object.hasOwn(CLASSES, row.access)) wrong.push(`${key(r)}: unknown access class '${row.access}'`);
    if (row.access !== r.role) wrong.push(`${key(r)}: the route declares '${r.role}', the matrix says '${row.access}'`);
    if (Boolean(row.testOnly) !== Boolean(r.test_only)) wrong.push(`${key(r)}: test_only is ${Boolean(r.test_only)}, the row says ${Boolean(row.testOnly)}`);
    for (const p of Object.keys(row.expect || {})) if (!PRINCIPALS.includes(p)) wrong.push(`${key(r)}: unknown principal '${p}'`);
  }
  for (const [c, list] of Object.entries(CLASSES)) {
    if (list.length !== PRINCIPALS.length) wrong.push(`class ${c} has ${list.length} outcomes for ${PRINCIPALS.length} principals`);
  }
  assert.deepEqual(wrong, []);
});

test('an unsafe route that takes no required input says what to send (a body that fails validation, endsSession, or the harmless ok)', () => {
  const open = ALL.filter((r) => !SAFE.has(r.method) && !r.inputs.some((i) => i.required))
    .filter((r) => ROUTES[key(r)] && !ROUTES[key(r)].body && !ROUTES[key(r)].endsSession && ROUTES[key(r)].ok === undefined);
  assert.deepEqual(open.map(key), [],
    'an empty body would reach the handler of these routes and change something: give the row a `body` that fails validation, `endsSession: true`, or (a call that changes nothing: an absent id) `ok`');
});

let before = null;
test('the principals exist (as root: users, brands, sellers, sessions)', async () => {
  createPrincipals();
  createSessions();
  await fetchGuestCsrf();
  before = snapshot();
});

for (const r of ALL) {
  const row = ROUTES[key(r)];
  if (!row) continue;
  const live = LIVE.has(key(r));
  test(`${key(r)} (${row.access})${live ? '' : ' # SKIP the server runs without the test routes'}`, async () => {
    if (!live) return;
    assert.ok(before, 'no principals (see the test above)');
    const cls = CLASSES[row.access];
    assert.ok(cls, `unknown access class ${row.access}`);
    const calls = [];
    PRINCIPALS.forEach((p, i) => {
      const outcome = row.expect && Object.hasOwn(row.expect, p) ? row.expect[p] : cls[i];
      for (const t of transports(r, p)) calls.push({ p, t, outcome });
    });
    const wrong = [];
    const seen = [];
    await Promise.all(calls.map(async ({ p, t, outcome }) => {
      const { res, path } = await call(r, row, p, t);
      const api = r.path.startsWith(API);
      const want = expected(outcome, { r, p, t, path });
      const got = classify(res, api);
      seen.push(`${p}/${t} ${res.status} ${got}`);
      if (got !== want) {
        wrong.push(`${p} (${t}): expected ${want}, got ${got} — ${brief(res)}`);
        return;
      }
      if (got !== 'allowed') return;
      const ok = typeof row.ok === 'number' ? row.ok : row.ok?.[p];
      if (ok !== undefined && res.status !== ok) {
        wrong.push(`${p} (${t}): allowed, but ${res.status} instead of ${ok} — ${brief(res)}`);
      } else if (ok === undefined && !SAFE.has(r.method) && !row.endsSession && res.status !== 422) {
        wrong.push(`${p} (${t}): allowed with ${res.status}, not refused by validation (422): the call may have changed something; give the row a body that fails validation — ${brief(res)}`);
      }
    }));
    if (process.env.ACCESS_VERBOSE) console.log(`# ${key(r)}: ${seen.sort().join(', ')}`);
    assert.ok(wrong.length === 0, `${key(r)}, access ${row.access}:\n${wrong.sort().join('\n')}`);
  });
}

// The header of GET / for each principal: the login link for a guest (and for the withdrawn
// shopper, whose cookie is ignored), the logout form and the kind of account otherwise, the
// shopper's name escaped, and no principal's name ever raw.
const HEADER = {
  guest: { login: true },
  pending: { name: true },
  shopper: { name: true },
  other_shopper: { name: true },
  withdrawn: { login: true },
  seller: { link: '/seller' },
  other_seller: { link: '/seller' },
  suspended_seller: { link: '/seller' },
  inactive_brand_seller: { link: '/seller' },
  admin: { link: '/admin' },
};
const nameOf = (p) => (USERS[p] || SELLERS[p] || {}).name;

for (const p of PRINCIPALS) {
  test(`the header of GET / for ${p}`, async () => {
    assert.ok(before, 'no principals (see the test above)');
    const { res } = await call({ method: 'GET', path: '/' }, {}, p, 'page');
    assert.equal(res.status, 200, describe(res));
    const html = res.text;
    const loginLink = /<a [^>]*href="\/login"/.test(html);
    const logout = /<form [^>]*action="\/logout"/.test(html);
    const want = HEADER[p];
    if (want.login) {
      assert.ok(loginLink, `${p} sees no login link`);
      assert.ok(!logout, `${p} sees a logout form`);
    } else {
      assert.ok(!loginLink, `${p} (signed in) sees the login link`);
      assert.ok(logout, `${p} (signed in) sees no logout form`);
    }
    if (want.link) assert.ok(html.includes(`href="${want.link}"`), `${p} sees no link to ${want.link}`);
    if (want.name) assert.ok(html.includes(`>${escapeHtml(nameOf(p))}<`), `${p}'s name (escaped) is not in the header`);
    for (const q of PRINCIPALS) {
      const n = nameOf(q);
      if (!n) continue;
      assert.ok(!html.includes(n), `${q}'s name appears unescaped on ${p}'s page`);
      if (q !== p || !want.name) assert.ok(!html.includes(escapeHtml(n)), `${q}'s name appears on ${p}'s page`);
    }
  });
}

test('the seller console shows the signed-in seller (escaped), not another', async () => {
  assert.ok(before, 'no principals (see the test above)');
  for (const p of ['seller', 'other_seller']) {
    const { res } = await call({ method: 'GET', path: '/seller' }, {}, p, 'page');
    assert.equal(res.status, 200, describe(res));
    assert.ok(res.text.includes(escapeHtml(nameOf(p))), `${p}'s name (escaped) is not on /seller`);
    assert.ok(!res.text.includes(nameOf(p)), `${p}'s name is unescaped on /seller`);
    const other = p === 'seller' ? 'other_seller' : 'seller';
    assert.ok(!res.text.includes(escapeHtml(nameOf(other))), `${other}'s name is on ${p}'s /seller`);
  }
});

test('the API\'s "me" is the caller (GET /api/v1/me, GET /api/v1/seller/me)', async () => {
  assert.ok(before, 'no principals (see the test above)');
  for (const p of ['pending', 'shopper', 'other_shopper']) {
    const { res } = await call({ method: 'GET', path: '/api/v1/me' }, {}, p, 'bearer');
    assert.equal(res.status, 200, describe(res));
    assert.equal(res.json?.id, account[p].user, `${p}: ${describe(res)}`);
    assert.equal(res.json?.email, MAIL(p), `${p}: ${describe(res)}`);
  }
  for (const p of ['seller', 'other_seller']) {
    const { res } = await call({ method: 'GET', path: '/api/v1/seller/me' }, {}, p, 'bearer');
    assert.equal(res.status, 200, describe(res));
    assert.equal(res.json?.id, account[p].seller, `${p}: ${describe(res)}`);
    assert.equal(res.json?.email, MAIL(p), `${p}: ${describe(res)}`);
  }
});

test('a session of one kind is no session of the other (cookie token as bearer, bearer token as cookie)', async () => {
  assert.ok(before, 'no principals (see the test above)');
  const s = sessions.shopper;
  const asBearer = await send('/api/v1/me', { headers: { Authorization: `Bearer ${s.cookie.token}` } });
  assert.equal(classify(asBearer, true), 'INVALID_TOKEN', `the cookie token as a bearer token: ${brief(asBearer)}`);
  const asCookie = await send('/me', { headers: { Cookie: `lonua_sid=${s.bearer.token}` } });
  assert.equal(classify(asCookie, false), 'login /login?next=/me', `the bearer token as the cookie: ${brief(asCookie)}`);
});

test('the matrix changed nothing: the principals\' rows, their sessions, no mail, no tokens', () => {
  assert.ok(before, 'no principals (see the test above)');
  assert.equal(snapshot(), before);
});

test('the principals are removed', () => {
  sql(CLEANUP);
  const left = sql(`SELECT (SELECT COUNT(*) FROM users WHERE name LIKE '${PREFIX}%')
    + (SELECT COUNT(*) FROM sellers WHERE email LIKE '${PREFIX}-%') + (SELECT COUNT(*) FROM brands WHERE name LIKE '${PREFIX}%')`);
  assert.equal(left.trim(), '0');
});

await run();
