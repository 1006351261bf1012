// The IDOR probe (issue 12, security scans): every route of `lonua routes --json` that takes an id,
// called by principal B with principal A's real ids, with the route's own method and a body that
// would be valid for A (so that a missing ownership check would change something). Each call must
// answer 404 (a foreign id is 404, never 403 or 200: SPEC, docs/architecture.md) — or, on an admin
// route, 403 WRONG_ROLE for a shopper or a seller — and leave the database as it was (a checksum of
// every table the routes write, before and after each route).
//
// ID_ROUTES below says, for every id-taking route, which of A's rows to put for {id} (and {vid});
// the first test fails for a route that has no row (and for a row whose route is gone), so a new
// route with an id is never silently skipped. Routes whose id is public reference data (a
// category, a style, a brand's shop page) say so with `public`, and why.
//
//   LONUA_BIN=build/lonua LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//     node tests/security/idor.test.mjs
//
// Principals: shopper A and B (signed up through the API, made active as root), brand A and B with
// a seller each (signed up with the brand key), an admin; all made with tests/integration/shop.mjs
// and removed by its cleanup() at the end (the branches this suite made first).
import { execFileSync } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { sql, val, num, idList, pageLogin, bailUnlessSet } from '../integration/client.mjs';
import { describe, shorten } from '../integration/http.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeSeller, makeAdmin, makeCoupon, loginApi, loginPage, loginSeller, purchase,
  guest, cartIdOf, cartLines, cleanup, made, categoryIds, styleIdsFromDb,
} from '../integration/shop.mjs';

bailUnlessSet([
  ['LONUA_BASE_URL', process.env.LONUA_BASE_URL, 'the stack\'s nginx'],
  ['LONUA_DB_ROOT_SOCKET', process.env.LONUA_DB_ROOT_SOCKET, 'the private MariaDB\'s socket'],
  ['LONUA_BIN', process.env.LONUA_BIN, 'the lonua binary, for `lonua routes --json`'],
]);

const routeList = (testRoutes) => JSON.parse(execFileSync(process.env.LONUA_BIN, ['routes', '--json'], {
  env: { ...process.env, LONUA_TEST_ROUTES: testRoutes }, encoding: 'utf8', timeout: 10000,
}));
const key = (r) => `${r.method} ${r.path}`;
const ALL = routeList('1').filter((r) => r.path.includes('{'));
const LIVE = new Set(routeList(process.env.LONUA_TEST_ROUTES || '0').map(key));

// ---- the table: id-taking route → which of A's rows is the foreign id ---------------------------------
//
// Ids (fx below): product (A's active product), draft (A's draft product: no one else sees it),
// variant (its first size), line (a delivered line of A's: confirm, return, review), reviewedLine,
// review (A's review of it), placed / placedLine (A's unpaid order), paidLine (a paid line: the
// seller prepares), order (the delivered order), refund (a returned line's refund), question (A's
// question), cartLine (a line of A's cart), branch (brand A's), coupon (A's), seller (seller A),
// brand (brand A), member (shopper A), category / style / grade (reference data: admin routes).
// { public: why }: the id is open to anyone by design (reference data, a brand's shop page).
const P = (why) => ({ public: why });
const REFERENCE = P('reference data shown to everyone (categories, styles); the listing filters are sqlmap\'s');
export const ID_ROUTES = {
  'GET /products/{id}': { id: 'draft' },
  'GET /categories/{id}': REFERENCE,
  'GET /styles/{id}': REFERENCE,
  'GET /brands/{id}': P('a brand\'s shop page is public'),
  'GET /products/{id}/reviews': { id: 'draft' },
  'POST /products/{id}/cart': { id: 'draft', body: { variant_id: 'draftVariant' } },
  'POST /products/{id}/like': { id: 'draft' },
  'POST /cart/items/{id}': { id: 'cartLine' },
  'POST /cart/items/{id}/coupon': { id: 'cartLine' },
  'POST /cart/items/{id}/delete': { id: 'cartLine' },
  'GET /me/orders/{id}/complete': { id: 'placed' },
  'GET /me/orders/{id}/pay': { id: 'placed' },
  'POST /me/orders/{id}/pay': { id: 'placed' },
  // The gateway's return: with an imp_uid it settles the order (B: 404 before the gateway is asked);
  // without one it sends anyone to the payment page, which is 404 for B (the row above).
  'GET /me/orders/{id}/pay/return': { id: 'placed', query: 'imp_uid=imp_idor_probe&merchant_uid=idor' },
  'GET /me/orders/{id}': { id: 'order' },
  'POST /me/orders/{id}/cancel': { id: 'placed' },
  'POST /me/order-lines/{id}/confirm': { id: 'line' },
  'POST /me/order-lines/{id}/return': { id: 'line' },
  'GET /me/order-lines/{id}/review': { id: 'line' },
  'POST /me/order-lines/{id}/review': { id: 'line' },
  'GET /me/reviews/{id}/edit': { id: 'review' },
  'POST /me/reviews/{id}': { id: 'review' },
  'POST /me/reviews/{id}/delete': { id: 'review' },
  'GET /seller/products/{id}': { id: 'product' },
  'POST /seller/products/{id}': { id: 'product' },
  'POST /seller/products/{id}/delete': { id: 'product' },
  'POST /seller/products/{id}/variants': { id: 'product' },
  'POST /seller/products/{id}/variants/{vid}': { id: 'product', vid: 'variant' },
  'POST /seller/products/{id}/variants/{vid}/delete': { id: 'product', vid: 'variant' },
  'GET /seller/stock/{id}': { id: 'variant' },
  'POST /seller/stock/{id}': { id: 'variant' },
  'POST /seller/orders/{id}/prepare': { id: 'paidLine' },
  'POST /seller/orders/{id}/ship': { id: 'paidLine' },
  'POST /seller/orders/{id}/deliver': { id: 'paidLine' },
  'POST /seller/orders/{id}/return/approve': { id: 'line' },
  'POST /seller/orders/{id}/return/reject': { id: 'line' },
  'POST /seller/questions/{id}/answer': { id: 'question' },
  'GET /seller/branches/{id}': { id: 'branch' },
  'POST /seller/branches/{id}': { id: 'branch' },
  'POST /seller/branches/{id}/delete': { id: 'branch' },
  'GET /api/v1/categories/{id}': REFERENCE,
  'GET /api/v1/styles/{id}': REFERENCE,
  'GET /api/v1/products/{id}': { id: 'draft' },
  'POST /api/v1/products/{id}/like': { id: 'draft' },
  // Taking a like back works on any product (src/db/likes.h: one liked before it was hidden): it
  // changes only B's own (absent) like, so 200 here; nothing of A's changes (the snapshot).
  'DELETE /api/v1/products/{id}/like': { id: 'draft', expect: 200 },
  'GET /api/v1/products/{id}/size-advice': { id: 'draft' },
  'GET /api/v1/products/{id}/reviews': { id: 'draft' },
  'GET /api/v1/brands/{id}': P('a brand\'s shop page is public'),
  'PATCH /api/v1/cart/items/{id}': { id: 'cartLine' },
  'DELETE /api/v1/cart/items/{id}': { id: 'cartLine' },
  'GET /api/v1/orders/{id}': { id: 'order' },
  'POST /api/v1/orders/{id}/cancel': { id: 'placed' },
  'POST /api/v1/order-lines/{id}/confirm': { id: 'line' },
  'POST /api/v1/order-lines/{id}/return': { id: 'line' },
  'POST /api/v1/order-lines/{id}/review': { id: 'line' },
  'GET /api/v1/reviews/{id}': { id: 'review' },
  'PATCH /api/v1/reviews/{id}': { id: 'review' },
  'DELETE /api/v1/reviews/{id}': { id: 'review' },
  'GET /api/v1/seller/variants/{id}': { id: 'variant' },
  'POST /api/v1/seller/variants/{id}/stock': { id: 'variant' },
  'GET /api/v1/seller/branches/{id}': { id: 'branch' },
  'PATCH /api/v1/seller/branches/{id}': { id: 'branch' },
  'DELETE /api/v1/seller/branches/{id}': { id: 'branch' },
  'GET /api/v1/seller/order-lines/{id}': { id: 'line' },
  'POST /api/v1/seller/order-lines/{id}/prepare': { id: 'paidLine' },
  'POST /api/v1/seller/order-lines/{id}/ship': { id: 'paidLine' },
  'POST /api/v1/seller/order-lines/{id}/deliver': { id: 'paidLine' },
  'POST /api/v1/seller/order-lines/{id}/return/approve': { id: 'line' },
  'POST /api/v1/seller/order-lines/{id}/return/reject': { id: 'line' },
  // The admin's routes: any id is the admin's to see; a shopper or a seller is refused by role.
  'GET /api/v1/admin/orders/{id}': { id: 'order' },
  'POST /api/v1/admin/orders/{id}/payment': { id: 'placed' },
  'POST /api/v1/admin/refunds/{id}/record': { id: 'refund' },
  'POST /admin/orders/{id}/payment': { id: 'placed' },
  'POST /admin/reviews/{id}/hide': { id: 'review' },
  'POST /admin/reviews/{id}/unhide': { id: 'review' },
  'POST /admin/sellers/{id}/suspend': { id: 'seller' },
  'POST /admin/sellers/{id}/reinstate': { id: 'seller' },
  'POST /admin/refunds/{id}/record': { id: 'refund' },
  'GET /admin/brands/{id}': { id: 'brand' },
  'POST /admin/brands/{id}': { id: 'brand' },
  'POST /admin/brands/{id}/key': { id: 'brand' },
  'POST /admin/brands/{id}/deactivate': { id: 'brand' },
  'POST /admin/brands/{id}/reactivate': { id: 'brand' },
  'POST /admin/coupons/{id}/revoke': { id: 'coupon' },
  'PATCH /api/v1/admin/categories/{id}': { id: 'category' },
  'PATCH /api/v1/admin/styles/{id}': { id: 'style' },
  'PATCH /api/v1/admin/grades/{id}': { id: 'grade' },
  'GET /admin/categories/{id}': { id: 'category' },
  'POST /admin/categories/{id}': { id: 'category' },
  'GET /admin/styles/{id}': { id: 'style' },
  'POST /admin/styles/{id}': { id: 'style' },
  'GET /admin/grades/{id}': { id: 'grade' },
  'POST /admin/grades/{id}': { id: 'grade' },
  'GET /admin/members/{id}': { id: 'member' },
  'POST /admin/members/{id}/withdraw': { id: 'member' },
  'POST /admin/members/{id}/erase': { id: 'member' },
  'POST /api/v1/admin/reviews/{id}/hide': { id: 'review' },
  'POST /api/v1/admin/reviews/{id}/unhide': { id: 'review' },
  'POST /api/v1/admin/sellers/{id}/suspend': { id: 'seller' },
  'POST /api/v1/admin/sellers/{id}/reinstate': { id: 'seller' },
  'POST /api/v1/admin/brands/{id}/key': { id: 'brand' },
  'PATCH /api/v1/admin/brands/{id}': { id: 'brand' },
  'POST /api/v1/admin/brands/{id}/deactivate': { id: 'brand' },
  'POST /api/v1/admin/brands/{id}/reactivate': { id: 'brand' },
  'POST /api/v1/admin/coupons/{id}/revoke': { id: 'coupon' },
  'GET /api/v1/admin/members/{id}': { id: 'member' },
  'POST /api/v1/admin/members/{id}/withdraw': { id: 'member' },
  'POST /api/v1/admin/members/{id}/erase': { id: 'member' },
  'GET /products/{id}/questions': { id: 'draft' },
  'POST /products/{id}/questions': { id: 'draft' },
  'GET /me/questions/{id}/edit': { id: 'question' },
  'POST /me/questions/{id}': { id: 'question' },
  'POST /me/questions/{id}/delete': { id: 'question' },
  'GET /api/v1/products/{id}/questions': { id: 'draft' },
  'POST /api/v1/products/{id}/questions': { id: 'draft' },
  // A question is anyone's to read (SPEC: a product's Q&A); A's is secret, so B sees it masked.
  'GET /api/v1/questions/{id}': { id: 'question', expect: 200, hidden: ['A의 질문', '비밀 질문'] },
  'PATCH /api/v1/questions/{id}': { id: 'question' },
  'DELETE /api/v1/questions/{id}': { id: 'question' },
  'GET /api/v1/seller/products/{id}': { id: 'product' },
  'PATCH /api/v1/seller/products/{id}': { id: 'product' },
  'DELETE /api/v1/seller/products/{id}': { id: 'product' },
  'POST /api/v1/seller/products/{id}/variants': { id: 'product' },
  'PATCH /api/v1/seller/products/{id}/variants/{vid}': { id: 'product', vid: 'variant' },
  'DELETE /api/v1/seller/products/{id}/variants/{vid}': { id: 'product', vid: 'variant' },
  'POST /api/v1/seller/questions/{id}/answer': { id: 'question' },
  'GET /api/v1/test/echo/{id}': P('a test-only route that echoes its input'),
  'POST /api/v1/test/echo/{id}': P('a test-only route that echoes its input'),
};

// ---- a valid body from the route's declared inputs ---------------------------------------------------

const fx = {}; // A's ids, and a few of B's (its coupon)
// Values by input name (functions read fx when called); others by type: the first choice, the
// minimum, a short text, true. Required inputs are always sent, optional ones only when named here
// (so that a PATCH changes something).
const VALUES = {
  quantity: 2, variant_id: () => fx.variant, coupon_id: () => fx.couponB, like: 1, imp_uid: 'imp_idor_probe',
  rating: 4, body: 'IDOR probe: this review must never be written', reason: 'IDOR probe', note: 'IDOR probe',
  refund_bank_name: '국민은행', refund_account_number: '123456-01-234567', refund_account_holder: '홍길동',
  name: 'IDOR probe', description: 'IDOR probe', category_id: () => categoryIds()[0], style_id: () => styleIdsFromDb()[0],
  list_price: 12000, sale_price: 11000, size_label: 'IDOR', stock: 7, delta: 3, courier: 'CJ대한통운',
  tracking_number: '123456789012', content: 'IDOR probe content', title: 'IDOR probe title', secret: false,
  address: '서울특별시 중구 세종대로 110', postal_code: '04524', phone: '0212345678', amount: () => fx.placedTotal,
  depositor_name: 'IDOR', name_ko: 'IDOR', name_en: 'IDOR', sort_order: 99, shipping_fee: 1234, introduction: 'IDOR',
  discount_percent: 1, mileage_percent: 1,
};
function bodyFor(r, row) {
  const out = {};
  for (const i of r.inputs) {
    if (i.in !== 'body' || i.type === 'file') continue;
    let v = row.body && Object.hasOwn(row.body, i.name) ? fx[row.body[i.name]] : VALUES[i.name];
    if (v === undefined && !i.required) continue;
    if (typeof v === 'function') v = v();
    if (i.type === 'enum') v = i.choices.includes(v) ? v : i.choices[0];
    else if (v === undefined) v = i.type === 'integer' ? Math.max(1, i.min ?? 1) : i.type === 'boolean' ? true : 'IDOR probe';
    out[i.name] = v;
  }
  return out;
}

// ---- who attacks whom -------------------------------------------------------------------------------

const as = {}; // the attackers' clients: shopperB / sellerB (api: bearer; page: cookie), guestB (a guest with a cart)
const SAFE = new Set(['GET', 'HEAD']);

// The attackers of a route and what each must get: B of the route's own kind gets 404; a shopper
// or a seller on an admin route is refused by role (403).
function attackers(r) {
  switch (r.role) {
    case 'guest': return [['shopperB', 404], ['guestB', 404]];
    case 'shopper': case 'member': case 'signed_in': return [['shopperB', 404]];
    case 'seller': return [['sellerB', 404]];
    case 'admin': return [['shopperB', 403], ['sellerB', 403]];
    default: return [];
  }
}

async function call(r, row, who) {
  const path = r.path.replace('{id}', String(fx[row.id])).replace('{vid}', String(fx[row.vid]))
    + (row.query ? `?${row.query}` : '');
  const api = r.path.startsWith('/api/');
  const c = api ? as[who].api : as[who].page;
  if (SAFE.has(r.method)) return { path, res: await c.get(path) };
  const body = bodyFor(r, row);
  if (api) {
    const headers = {};
    if (r.path === '/api/v1/orders/{id}/cancel') headers['Idempotency-Key'] = `idor-${Date.now()}`;
    if (!c.bearer) headers['X-CSRF-Token'] = await as[who].csrf();
    return { path, res: await c.api(r.method, path, body, { headers }) };
  }
  return { path, res: await c.post(path, { ...body, csrf_token: await as[who].csrf() }) };
}

// What the routes could change: a checksum of each table they write (sessions and the login
// throttles aside: the attackers' own calls touch those).
// The attackers' own carts are left out (a refused add may touch its caller's cart, never A's).
const TABLES = ['users', 'brands', 'sellers', 'branches', 'products', 'product_variants', 'product_images', 'likes',
  'coupons', 'cart_lines', 'orders', 'order_lines', 'order_shipping_charges', 'mileage_entries',
  'stock_movements', 'refunds', 'payment_events', 'reviews', 'review_photos', 'questions', 'answers', 'categories',
  'styles', 'grades', 'outbox'];
const attackerCarts = [];
const snapshot = () => sql(`CHECKSUM TABLE ${TABLES.join(', ')} EXTENDED;
  SELECT 'carts', COUNT(*), SUM(CRC32(CONCAT_WS(',', id, user_id, HEX(guest_token_hash), updated_at))) FROM carts
    WHERE id NOT IN (${idList(attackerCarts)});`);

// ---- the tests -------------------------------------------------------------------------------------------

test('every id-taking route of `lonua routes --json` has a row in ID_ROUTES, and every row a route', () => {
  const missing = ALL.filter((r) => !Object.hasOwn(ID_ROUTES, key(r))).map(key);
  assert.deepEqual(missing, [], 'id-taking routes the IDOR probe does not know how to test: add a row to ID_ROUTES '
    + '(tests/security/idor.test.mjs) naming the foreign id to use');
  const known = new Set(ALL.map(key));
  assert.deepEqual(Object.keys(ID_ROUTES).filter((k) => !known.has(k)), [], 'rows of ID_ROUTES whose route is gone');
  const bad = Object.entries(ID_ROUTES).filter(([k, row]) => !row.public && (!row.id || (k.includes('{vid}') && !row.vid)));
  assert.deepEqual(bad.map(([k]) => k), [], 'rows without the id (and vid) to use');
});

let ready = false;
test('principals A and B with rows of every kind (orders, lines, reviews, questions, cart, branch, coupons)', async () => {
  const brandA = makeBrand(), brandB = makeBrand();
  const product = makeProduct(brandA, { variants: [{ size: 'M', stock: 50 }, { size: 'L', stock: 50 }] });
  const draft = makeProduct(brandA, { status: 'draft', variants: [{ size: 'M', stock: 5 }] });
  const shopperA = await makeShopper(), shopperB = await makeShopper();
  const sellerA = await makeSeller(brandA), sellerB = await makeSeller(brandB);
  const adminApi = await loginApi(await makeAdmin());
  const apiA = await loginApi(shopperA), sellerApi = await loginSeller(sellerA);
  Object.assign(fx, { product: product.id, variant: product.variants[0].id, draft: draft.id,
    draftVariant: draft.variants[0].id, seller: sellerA.id, brand: brandA.id, member: shopperA.id,
    category: categoryIds()[0], style: styleIdsFromDb()[0], grade: 1 });
  const v = fx.variant;
  // a delivered line (confirm, return, review), a reviewed one, a returned one (its refund)
  const delivered = await purchase(apiA, { adminApi, sellerApi }, v);
  Object.assign(fx, { order: delivered.order.id, line: delivered.line });
  const reviewed = await purchase(apiA, { adminApi, sellerApi }, v);
  fx.reviewedLine = reviewed.line;
  let res = await apiA.api('POST', `/api/v1/order-lines/${reviewed.line}/review`, { rating: 5, fit: 'true', body: 'A의 리뷰' });
  assert.equal(res.status, 201, describe(res));
  fx.review = res.json.id;
  const returned = await purchase(apiA, { adminApi, sellerApi }, v, { until: 'returned' });
  fx.refund = Number(val(`SELECT id FROM refunds WHERE order_id = ${returned.order.id} ORDER BY id LIMIT 1`));
  // an unpaid order, and a paid line not yet prepared
  for (const k of ['placed', 'paid']) {
    res = await apiA.api('POST', '/api/v1/orders', { items: [{ variant_id: v, quantity: 1 }], payment_method: 'bank_transfer' },
      { headers: { 'Idempotency-Key': `idor-${k}-${Date.now()}` } });
    assert.equal(res.status, 201, describe(res));
    fx[k] = res.json.id;
    fx[`${k}Line`] = res.json.lines[0].id;
    fx[`${k}Total`] = res.json.amounts.total;
    made.orders.add(res.json.id);
  }
  res = await adminApi.api('POST', `/api/v1/admin/orders/${fx.paid}/payment`, { amount: fx.paidTotal });
  assert.equal(res.status, 200, describe(res));
  // a secret question, a cart line, a branch, coupons (A's: the admin's revoke; B's: applied to A's line)
  res = await apiA.api('POST', `/api/v1/products/${fx.product}/questions`, { type: 'size', title: 'A의 질문', content: '비밀 질문', secret: true });
  assert.equal(res.status, 201, describe(res));
  fx.question = res.json.id;
  res = await apiA.api('POST', '/api/v1/cart/items', { variant_id: v, quantity: 1 });
  assert.ok(res.status === 201 || res.status === 200, describe(res));
  fx.cartLine = cartLines(cartIdOf(shopperA))[0]?.id;
  res = await sellerApi.api('POST', '/api/v1/seller/branches', { name: 'A 매장', address: '서울특별시 중구 세종대로 110' });
  assert.equal(res.status, 201, describe(res));
  fx.branch = res.json.id;
  fx.coupon = makeCoupon(shopperA, { amount: 1000 }).id;
  fx.couponB = makeCoupon(shopperB, { amount: 1000 }).id;
  for (const [k, n] of Object.entries(fx)) assert.ok(Number(n) > 0, `no ${k} id: ${n}`);

  // the attackers: B's API clients (bearer) and browsers (cookie), and a guest with a cart of its own
  const csrfOf = (c, page) => async () => (c.csrfToken ??= await c.csrf(page));
  const shopperPage = await loginPage(shopperB);
  as.shopperB = { api: await loginApi(shopperB), page: shopperPage, csrf: csrfOf(shopperPage, '/me') };
  const sellerPage = await pageLogin(sellerB, guest(), { action: '/seller/login' });
  as.sellerB = { api: await loginSeller(sellerB), page: sellerPage, csrf: csrfOf(sellerPage, '/seller') };
  // B has a cart of its own (a refused add must not be what makes one)
  res = await as.shopperB.api.api('POST', '/api/v1/cart/items', { variant_id: v, quantity: 1 });
  assert.ok(res.status === 201 || res.status === 200, `B's own cart: ${describe(res)}`);
  const g = guest();
  res = await g.api('POST', '/api/v1/cart/items', { variant_id: v, quantity: 1 }, { headers: { 'X-CSRF-Token': await g.csrf('/login') } });
  assert.ok(res.status === 201 || res.status === 200, `the guest's own cart: ${describe(res)}`);
  g.csrfToken = await g.csrf('/login');
  attackerCarts.push(cartIdOf(shopperB), cartIdOf(g));
  assert.ok(attackerCarts.every((id) => id > 0), `the attackers' carts: ${attackerCarts}`);
  as.guestB = { api: g, page: g, csrf: async () => g.csrfToken };
  ready = true;
});

const results = [];
for (const r of ALL) {
  const row = ID_ROUTES[key(r)];
  if (!row) continue;
  const live = LIVE.has(key(r));
  const skip = row.public ? ` # SKIP public: ${row.public}` : live ? '' : ' # SKIP the server runs without the test routes';
  test(`${key(r)} (${r.role}) with A's ${row.id ?? 'id'}${row.vid ? ` and ${row.vid}` : ''}${skip}`, async () => {
    if (row.public || !live) return;
    assert.ok(ready, 'no principals (see the test above)');
    const before = snapshot();
    const wrong = [];
    for (const [who, status] of attackers(r)) {
      const want = row.expect ?? status;
      const { path, res } = await call(r, row, who);
      results.push(`${who} ${r.method} ${path} → ${res.status}`);
      if (res.status !== want) wrong.push(`${who}: ${r.method} ${path} answered ${res.status}, not ${want} — ${shorten(res.text, 200)}`);
      for (const h of row.hidden || []) if (res.text.includes(h)) wrong.push(`${who}: ${r.method} ${path} shows A's "${h}"`);
    }
    const after = snapshot();
    if (after !== before) {
      const diff = after.split('\n').filter((l) => !before.split('\n').includes(l));
      wrong.push(`the call changed the database: ${diff.join('; ')}`);
    }
    assert.ok(wrong.length === 0, wrong.join('\n'));
  });
}

// Ids in a body: the browser's return from the gateway names the order by its merchant_uid.
test('POST /api/v1/payments/portone/complete with A\'s merchant_uid: 404 to B, nothing changed', async () => {
  assert.ok(ready, 'no principals');
  const uid = val(`SELECT merchant_uid FROM orders WHERE id = ${fx.placed}`);
  const before = snapshot();
  const res = await as.shopperB.api.api('POST', '/api/v1/payments/portone/complete', { imp_uid: 'imp_idor_probe', merchant_uid: uid });
  assert.equal(res.status, 404, describe(res));
  assert.equal(snapshot(), before);
});

test('A\'s rows are untouched and still A\'s (the owner sees them)', () => {
  assert.ok(ready, 'no principals');
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE id IN (${idList([fx.order, fx.placed, fx.paid])}) AND user_id = ${fx.member}`), 3);
  assert.equal(num(`SELECT COUNT(*) FROM reviews WHERE id = ${fx.review} AND user_id = ${fx.member}`), 1);
  assert.equal(num(`SELECT COUNT(*) FROM branches WHERE id = ${fx.branch} AND brand_id = ${fx.brand}`), 1);
  assert.equal(num(`SELECT COUNT(*) FROM cart_lines WHERE id = ${fx.cartLine} AND coupon_id IS NULL AND quantity = 1`), 1);
  if (process.env.IDOR_VERBOSE) for (const l of results) console.log(`# ${l}`);
});

test('cleanup (the run\'s brands, branches, products, orders, shoppers, sellers)', () => {
  sql(`DELETE FROM branches WHERE brand_id IN (${idList(made.brands)});`);
  assert.deepEqual(cleanup(), {});
});

await run();
