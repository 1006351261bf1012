// sqlmap against the shop (issue 12, security scans): the runner behind ci/scan-sql, which starts a
// throwaway stack and sets the environment. Each target is one route of `lonua routes --json`; its
// parameters are the route's declared inputs (query, form or JSON body) filled with valid values,
// plus the id in its path (a second run, the path marked for sqlmap with `*`). Calls are
// authenticated as the route needs: the demo shopper, seller or admin of `lonua seed` (a bearer
// token on /api/, the session cookie and the form's CSRF token on pages).
//
//   LONUA_BASE_URL=… LONUA_DB_ROOT_SOCKET=… LONUA_BIN=… SCAN_OUT=dir [SCAN_LEVEL=2] [SCAN_RISK=1]
//     [SCAN_TARGET_SECONDS=240] node tests/security/scan-sql.mjs [GROUP|TARGET ...]
//
// Prints per target the parameters tested and whether an injection was found, then
// "N passed, N failed" (a target passes when sqlmap tested its parameters and found nothing);
// exits non-zero when any target failed.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';

const { LONUA_BASE_URL: BASE, LONUA_BIN: BIN, SCAN_OUT: OUT } = process.env;
const LEVEL = process.env.SCAN_LEVEL || '2', RISK = process.env.SCAN_RISK || '1';
const TARGET_SECONDS = Number(process.env.SCAN_TARGET_SECONDS || 240);
let ROUTES = null; // `lonua routes --json` by "METHOD /path", read once the targets are chosen

// ---- targets: group → [route, who, { id: which id, body: extra/structured values, only: names }] --------------
const T = (route, who, opts = {}) => ({ route, who, ...opts });
const LISTING_NO_Q = { skip: ['q'] };
export const GROUPS = {
  listing: [T('GET /products', 'guest', LISTING_NO_Q), T('GET /api/v1/products', 'guest', LISTING_NO_Q),
    T('GET /categories/{id}', 'guest', { id: 'category', skip: ['q'] }), T('GET /brands/{id}', 'guest', { id: 'brand', only: ['sort', 'size'] })],
  search: [T('GET /products', 'guest', { only: ['q'] }), T('GET /api/v1/products', 'guest', { only: ['q'] }),
    T('GET /products', 'shopper', { only: ['q', 'size'] })],
  product: [T('GET /products/{id}', 'guest', { id: 'product' }), T('GET /api/v1/products/{id}', 'guest', { id: 'product' }),
    T('GET /products/{id}', 'shopper', { id: 'product' }), T('GET /products/{id}/reviews', 'guest', { id: 'product' }),
    T('GET /api/v1/products/{id}/questions', 'guest', { id: 'product' })],
  cart: [T('POST /api/v1/cart/items', 'shopper'), T('PATCH /api/v1/cart/items/{id}', 'shopper', { id: 'cartLine', skip: ['variant_id', 'coupon_id'] }),
    T('POST /products/{id}/cart', 'shopper', { id: 'product' }), T('POST /cart/items/{id}', 'shopper', { id: 'cartLine', skip: ['variant_id', 'coupon_id'] })],
  checkout: [T('POST /api/v1/orders', 'shopper', { body: () => ({
    items: [{ variant_id: ids.variant, quantity: 1 }], payment_method: 'bank_transfer', mileage: 0, expected_total: undefined,
    shipping: { recipient_name: '홍길동', recipient_phone: '010-1234-5678', postal_code: '04524',
      address: '서울특별시 중구 세종대로 110', address_detail: '5층', delivery_memo: '문 앞' } }) })],
  seller: [T('GET /api/v1/seller/products', 'seller'), T('GET /api/v1/seller/variants', 'seller'),
    T('GET /api/v1/seller/order-lines', 'seller'), T('GET /seller/orders', 'seller'), T('GET /seller/stock', 'seller'),
    T('GET /api/v1/seller/products/{id}', 'seller', { id: 'sellerProduct' }),
    T('POST /api/v1/seller/products', 'seller'), T('PATCH /api/v1/seller/products/{id}', 'seller', { id: 'sellerProduct', only: ['name', 'description', 'sale_price', 'status'] }),
    T('POST /api/v1/seller/variants/{id}/stock', 'seller', { id: 'sellerVariant' }), T('POST /api/v1/seller/branches', 'seller')],
  admin: [T('GET /api/v1/admin/members', 'admin'), T('GET /api/v1/admin/members/{id}', 'admin', { id: 'member' }),
    T('GET /api/v1/admin/orders', 'admin'), T('GET /api/v1/admin/sellers', 'admin'), T('GET /admin/coupons', 'admin'),
    T('GET /admin/members', 'admin'), T('POST /api/v1/admin/coupons', 'admin', { only: ['name', 'discount_amount', 'valid_until', 'user_id'] }),
    T('PATCH /api/v1/admin/brands/{id}', 'admin', { id: 'brand', only: ['introduction', 'return_courier', 'shipping_fee'] })],
};

// ---- the demo accounts, ids of the seed --------------------------------------------------------------
const ACCOUNTS = {
  shopper: { email: 'shopper1@example.com', password: 'demo-Shopper-1234', api: '/api/v1/auth/login', page: '/login', home: '/me' },
  seller: { email: 'seller1@example.com', password: 'demo-Seller-1234', api: '/api/v1/seller/auth/login', page: '/seller/login', home: '/seller' },
  admin: { email: 'admin@example.com', password: 'demo-Admin-1234', api: '/api/v1/auth/login', page: '/login', home: '/admin' },
};
const auth = {}; // who → { bearer, cookie, csrf }
const ids = {};

async function signIn() {
  for (const [who, a] of Object.entries(ACCOUNTS)) {
    const c = new Client({ ip: '127.0.0.1' });
    const res = await c.api('POST', a.api, { email: a.email, password: a.password });
    if (res.status !== 200) throw new Error(`${who}: API login answered ${res.status}: ${res.text}`);
    const page = new Client({ ip: '127.0.0.1' });
    const token = await page.csrf(a.page);
    const done = await page.post(a.page, { email: a.email, password: a.password, csrf_token: token });
    if (done.status !== 303 || !page.sid) throw new Error(`${who}: page login answered ${done.status}`);
    auth[who] = { bearer: res.json.token, cookie: `lonua_sid=${page.sid}`, csrf: await page.csrf(a.home) };
  }
}

function findIds() {
  ids.product = Number(val(`SELECT p.id FROM products p JOIN brands b ON b.id = p.brand_id
    WHERE p.status = 'active' AND b.status = 'active' ORDER BY p.id LIMIT 1`));
  ids.variant = Number(val(`SELECT id FROM product_variants WHERE product_id = ${ids.product} AND status = 'active' ORDER BY id LIMIT 1`));
  ids.category = Number(val('SELECT MIN(id) FROM categories'));
  const seller = val(`SELECT brand_id FROM sellers WHERE email = '${ACCOUNTS.seller.email}'`);
  ids.brand = Number(seller);
  ids.sellerProduct = Number(val(`SELECT MIN(id) FROM products WHERE brand_id = ${ids.brand}`));
  ids.sellerVariant = Number(val(`SELECT MIN(id) FROM product_variants WHERE product_id = ${ids.sellerProduct}`));
  ids.member = Number(val(`SELECT id FROM users WHERE email = '${ACCOUNTS.shopper.email}'`));
  // Checkout places an order per request that gets through: stock for all of them.
  sql(`UPDATE product_variants SET stock = 1000000 WHERE id IN (${ids.variant}, ${ids.sellerVariant});`);
  for (const [k, v] of Object.entries(ids)) if (!(v > 0)) throw new Error(`no ${k} in the seeded database`);
}

async function makeCartLine() {
  const c = new Client({ ip: '127.0.0.1', bearer: auth.shopper.bearer });
  const res = await c.api('POST', '/api/v1/cart/items', { variant_id: ids.variant, quantity: 1 });
  if (res.status >= 300) throw new Error(`cart: ${res.status} ${res.text}`);
  ids.cartLine = num(`SELECT l.id FROM cart_lines l JOIN carts c ON c.id = l.cart_id WHERE c.user_id = ${ids.member}
    ORDER BY l.id DESC LIMIT 1`);
}

// ---- a valid request from a route's declared inputs ---------------------------------------------------------
const VALUES = {
  q: '바지', size: 'M', sort: 'newest', page: 1, per_page: 24, category: () => ids.category, brand: () => ids.brand,
  style: 1, min_price: 1000, max_price: 900000, variant_id: () => ids.variant, quantity: 1, name: '스캔 상품',
  description: '스캔 설명', category_id: () => ids.category, style_id: 1, list_price: 30000, sale_price: 29000,
  status: 'draft', delta: 1, reason: '스캔', address: '서울특별시 중구 세종대로 110', postal_code: '04524',
  phone: '0212345678', discount_amount: 1000, valid_until: '2099-12-31', user_id: () => ids.member, email: 'shopper1@example.com',
  introduction: '스캔 소개', return_courier: 'CJ대한통운', shipping_fee: 3000, brand_id: () => ids.brand,
};
function params(r, t) {
  const query = {}, body = {};
  for (const i of r.inputs) {
    if (i.type === 'file' || i.type === 'json') continue;
    if (t.only && !t.only.includes(i.name)) continue;
    if (t.skip && t.skip.includes(i.name)) continue;
    let v = VALUES[i.name];
    if (typeof v === 'function') v = v();
    if (i.type === 'enum') v = i.choices.includes(v) ? v : i.choices[0];
    if (v === undefined) v = i.type === 'integer' ? Math.max(1, i.min ?? 1) : i.type === 'boolean' ? 1 : 'scan';
    (i.in === 'query' ? query : body)[i.name] = v;
  }
  if (t.body) Object.assign(body, t.body());
  return { query, body };
}

// The sqlmap command lines of a target: its parameters, then (a path with an id) the id alone.
function commands(name, t) {
  const r = ROUTES.get(t.route);
  if (!r) throw new Error(`${t.route}: no such route in \`lonua routes --json\``);
  const [method] = t.route.split(' ');
  const api = r.path.startsWith('/api/');
  const { query, body } = params(r, t);
  const headers = [];
  const a = auth[t.who];
  if (a && api) headers.push(`Authorization: Bearer ${a.bearer}`);
  const cookie = a && !api ? [`--cookie=${a.cookie}`] : [];
  if (!api && method === 'POST') body.csrf_token = a.csrf;
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const data = method === 'GET' ? null
    : api ? JSON.stringify(body) : new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString();
  const common = ['--batch', `--level=${LEVEL}`, `--risk=${RISK}`, '--dbms=MySQL', '--time-sec=2', '--threads=2',
    '--flush-session', '--disable-coloring', `--output-dir=${path.join(OUT, 'sqlmap')}`, '-v', '1',
    '--skip=csrf_token', `--method=${method}`];
  // Checkout wants an Idempotency-Key: the original request keeps one (its replays answer the same);
  // every payload gets a fresh one (a tamper script may set headers: Debian's sqlmap 1.7.2 cannot
  // load --preprocess scripts under Python 3.11).
  if (t.route === 'POST /api/v1/orders') {
    common.push('-H', `Idempotency-Key: scan-base-${Date.now()}`, `--tamper=${path.join(OUT, 'tamper', 'idempotency.py')}`);
  }
  for (const h of headers) common.push('-H', h);
  common.push(...cookie);
  if (api && data !== null) common.push('-H', 'Content-Type: application/json');
  const pathOf = (mark) => r.path.replace('{id}', `${ids[t.id]}${mark}`);
  const runs = [];
  if (qs || data) {
    runs.push({ what: 'parameters', args: [...common, '-u', `${BASE}${pathOf('')}${qs ? `?${qs}` : ''}`,
      ...(data !== null ? ['--data', data] : [])] });
  }
  if (r.path.includes('{id}')) {
    // the id alone: marked in the path, the parameters sent as they are
    runs.push({ what: 'path id', args: [...common, '-u', `${BASE}${pathOf('*')}${qs ? `?${qs}` : ''}`,
      ...(data !== null ? ['--data', data.replace(/\*/g, '')] : [])] });
  }
  return runs;
}

function sqlmap(args, log) {
  return new Promise((resolve) => {
    const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => { out += '\n[scan-sql] TIMED OUT\n'; child.kill('SIGKILL'); }, TARGET_SECONDS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.appendFileSync(log, `$ sqlmap ${args.map((a) => (/\s|[&?;]/.test(a) ? `'${a}'` : a)).join(' ')}\n${out}\n`);
      resolve({ out, code });
    });
  });
}

// What one sqlmap run says: the parameters it tested, injections found, or why it could not tell.
function verdict(out) {
  const tested = new Set([...out.matchAll(/\b((?:\(custom\) )?(?:GET|POST|URI|JSON|PUT|PATCH|DELETE|Cookie) parameter '[^']+') does not seem to be injectable/g)]
    .map((m) => m[1]));
  const injectable = [...out.matchAll(/^Parameter: (.+) \((\S+)\)$/gm)].map((m) => `${m[2]} parameter '${m[1]}'`);
  injectable.forEach((p) => tested.add(p));
  const found = injectable.length > 0 || /identified the following injection point/.test(out) || /parameter '[^']+' is vulnerable/.test(out);
  const clean = /all tested parameters do not appear to be injectable/.test(out);
  let problem = null;
  if (/TIMED OUT/.test(out)) problem = 'timed out';
  else if (!found && !clean) problem = (out.match(/\[CRITICAL\] ([^\n]*)/) || [, 'sqlmap ended without a verdict'])[1];
  return { tested, found, injectable, problem };
}

// ---- main -------------------------------------------------------------------------------------------------------
// Arguments: groups, target names or routes ("METHOD /path"); --check only checks them (ci/scan-sql
// does, before it builds anything).
const check = process.argv[2] === '--check';
const wanted = process.argv.slice(check ? 3 : 2);
const targets = [];
const matched = new Set();
for (const [group, list] of Object.entries(GROUPS)) {
  list.forEach((t, i) => {
    const name = `${group}:${t.route}${t.who === 'guest' ? '' : ` as ${t.who}`}${list.filter((u) => u.route === t.route && u.who === t.who).length > 1 ? ` #${i}` : ''}`;
    const hit = wanted.filter((w) => w === group || w === name || w === t.route);
    hit.forEach((w) => matched.add(w));
    if (!wanted.length || hit.length) targets.push({ name, group, t });
  });
}
const unknown = wanted.filter((w) => !matched.has(w));
if (unknown.length) {
  console.error(`no target matches ${unknown.map((w) => `'${w}'`).join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}
if (check) process.exit(0);
// (client.mjs wants a running stack as soon as it is loaded: not for --check)
const { sql, val, num, Client, bailUnlessSet } = await import('../integration/client.mjs');
bailUnlessSet([
  ['LONUA_BASE_URL', BASE, 'the stack\'s nginx'],
  ['LONUA_DB_ROOT_SOCKET', process.env.LONUA_DB_ROOT_SOCKET, 'the private MariaDB\'s socket'],
  ['LONUA_BIN', BIN, 'the lonua binary, for `lonua routes --json`'],
  ['SCAN_OUT', OUT, 'a folder for sqlmap\'s sessions and logs'],
]);
ROUTES = new Map(JSON.parse(execFileSync(BIN, ['routes', '--json'], { encoding: 'utf8' })).map((r) => [`${r.method} ${r.path}`, r]));
fs.mkdirSync(path.join(OUT, 'logs'), { recursive: true });
// Checkout wants an Idempotency-Key per order: a fresh one on every payload sqlmap sends.
fs.mkdirSync(path.join(OUT, 'tamper'), { recursive: true });
fs.writeFileSync(path.join(OUT, 'tamper', '__init__.py'), '');
fs.writeFileSync(path.join(OUT, 'tamper', 'idempotency.py'), `import uuid

from lib.core.enums import PRIORITY

__priority__ = PRIORITY.NORMAL


def dependencies():
    pass


def tamper(payload, **kwargs):
    kwargs.get("headers", {})["Idempotency-Key"] = "scan-" + uuid.uuid4().hex
    return payload
`);
await signIn();
findIds();
await makeCartLine();

let passed = 0, failed = 0, paramCount = 0;
const started = Date.now();
console.log(`sqlmap ${execFileSync('sqlmap', ['--version'], { encoding: 'utf8' }).trim().split('\n')[0]}: --level ${LEVEL} --risk ${RISK} --dbms=MySQL, ${targets.length} targets`);
for (const { name, t } of targets) {
  const t0 = Date.now();
  const log = path.join(OUT, 'logs', `${name.replace(/[^a-zA-Z0-9]+/g, '_')}.log`);
  fs.writeFileSync(log, '');
  const tested = new Set();
  const problems = [];
  let found = false;
  const injectable = [];
  for (const run of commands(name, t)) {
    const v = verdict((await sqlmap(run.args, log)).out);
    v.tested.forEach((p) => tested.add(p));
    found ||= v.found;
    injectable.push(...v.injectable);
    if (v.problem) problems.push(`${run.what}: ${v.problem}`);
  }
  const ok = !found && problems.length === 0 && tested.size > 0;
  if (ok) passed++; else failed++;
  paramCount += tested.size;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${name} (${secs} s): ${tested.size} parameters tested [${[...tested].map((p) => p.replace(/ parameter /, ' ')).join(', ')}]`
    + `${found ? ` — INJECTION FOUND${injectable.length ? ` in ${injectable.join(', ')}` : ''} (see the log)` : ''}${problems.length ? ` — ${problems.join('; ')}` : ''}`);
  if (!ok) console.log(`       log: ${log}`);
  if (t.route.includes('/cart/items/{id}')) await makeCartLine(); // a run may have removed the line
}
const placed = targets.some(({ t }) => t.route === 'POST /api/v1/orders')
  ? `; orders placed by the checkout target's requests that got through: ${num(`SELECT COUNT(*) FROM orders
    WHERE user_id = ${ids.member} AND idempotency_key LIKE 'scan-%'`)}` : '';
console.log(`${paramCount} parameters in ${targets.length} targets, ${Math.round((Date.now() - started) / 1000)} s${placed}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
