// The admin console's API (issue 10 item 2; SPEC §4 admin console, §5 /api/v1/admin/…) through the
// real stack: the dashboard's counts equal what the tables say; a brand key rotated is shown once
// (never again: not in a later answer, not in a log), signs a seller up, and the old key no longer
// does; a seller suspended is refused on the seller routes and reinstated is let in again; a review
// hidden leaves the product's review_count, rating_sum and fit_*_count (they stay equal to what the
// published reviews say) and comes back when shown again, and the reviewer still sees it with its
// state; bad input is a 4xx that changes nothing; a shopper and a seller are refused on every route.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_RUN_DIR=/path/to/run node tests/integration/admin.test.mjs
import fs from 'node:fs';
import path from 'node:path';
import { test, run, assert } from '../lib/tap.mjs';
import { describe } from './http.mjs';
import { png, bombPng } from './images.mjs';
import {
  SOCKET, RUN_DIR, bailUnlessSet, sql, rows, val, num, one, lit, sha256, Client, throttleKeys, pageLogin,
} from './client.mjs';
import {
  made, makeBrand, makeProduct, makeShopper, makeAdmin, makeSeller, loginApi, loginSeller, purchase, cleanup,
  newEmail, SHOPPER_PASSWORD,
} from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

let brand, product, admin, adminApi, shopperApi, seller, sellerApi, reviewer, reviewerApi;
const keysShown = [];

const ROUTES = [
  ['GET', '/api/v1/admin/dashboard'],
  ['POST', '/api/v1/admin/reviews/{id}/hide', { reason: 'x' }],
  ['POST', '/api/v1/admin/reviews/{id}/unhide'],
  ['GET', '/api/v1/admin/sellers'],
  ['POST', '/api/v1/admin/sellers/{id}/suspend'],
  ['POST', '/api/v1/admin/sellers/{id}/reinstate'],
  ['POST', '/api/v1/admin/brands/{id}/key'],
  ['POST', '/api/v1/admin/brands', { name: 'x' }],
  ['PATCH', '/api/v1/admin/brands/{id}', { shipping_fee: 1 }],
  ['POST', '/api/v1/admin/brands/{id}/deactivate'],
  ['POST', '/api/v1/admin/brands/{id}/reactivate'],
  ['POST', '/api/v1/admin/coupons', { name: 'x', discount_percent: 10, valid_until: '2099-01-01' }],
  ['POST', '/api/v1/admin/coupons/{id}/revoke'],
  ['GET', '/api/v1/admin/members'],
  ['GET', '/api/v1/admin/members/{id}'],
  ['POST', '/api/v1/admin/members/{id}/withdraw'],
  ['POST', '/api/v1/admin/members/{id}/erase'],
];
const ABSENT = 999999999;
const at = (p, id = ABSENT) => p.replace('{id}', String(id));

// The product's counters and what its published reviews say.
function counters(productId) {
  const [c, s, fs_, ft, fl] = one(`SELECT review_count, rating_sum, fit_small_count, fit_true_count, fit_large_count
    FROM products WHERE id = ${productId}`).map(Number);
  const [pc, ps, pfs, pft, pfl] = one(`SELECT COUNT(*), COALESCE(SUM(rating), 0), COALESCE(SUM(fit = 'small'), 0),
    COALESCE(SUM(fit = 'true'), 0), COALESCE(SUM(fit = 'large'), 0) FROM reviews
    WHERE product_id = ${productId} AND status = 'published'`).map(Number);
  return { stored: [c, s, fs_, ft, fl], published: [pc, ps, pfs, pft, pfl] };
}

async function signUpSeller(brandId, key) {
  const c = new Client();
  throttleKeys('brand-key', String(brandId), c.ip);
  return c.api('POST', '/api/v1/sellers', { brand_id: brandId, brand_key: key, email: newEmail('seller'),
    password: SHOPPER_PASSWORD, name: '키 셀러', agree_terms: true });
}

test('setup: a brand with a seller, a product, a shopper with delivered orders, an admin', async () => {
  brand = makeBrand();
  product = makeProduct(brand, { variants: [{ size: 'M', stock: 20 }] });
  admin = await makeAdmin();
  adminApi = await loginApi(admin);
  seller = await makeSeller(brand);
  sellerApi = await loginSeller(seller);
  shopperApi = await loginApi(await makeShopper());
  reviewer = await makeShopper();
  reviewerApi = await loginApi(reviewer);
});

test('a shopper and a seller are refused on every admin route; nothing changes', async () => {
  const before = one(`SELECT key_hash, key_rotated_at FROM brands WHERE id = ${brand.id}`).join();
  for (const [method, p, body] of ROUTES) {
    const url = at(p, p.includes('brands') ? brand.id : p.includes('sellers') ? seller.id : ABSENT);
    for (const [who, c] of [['shopper', shopperApi], ['seller', sellerApi]]) {
      const res = await c.api(method, url, body ?? (method === 'POST' ? {} : undefined));
      assert.equal(res.status, 403, `${who} ${method} ${url}: ${describe(res)}`);
      assert.equal(res.json.code, 'WRONG_ROLE');
    }
    const res = await new Client().api(method, url, body ?? (method === 'POST' ? {} : undefined));
    assert.ok([401, 403].includes(res.status), `guest ${method} ${url}: ${describe(res)}`);
  }
  assert.equal(one(`SELECT key_hash, key_rotated_at FROM brands WHERE id = ${brand.id}`).join(), before);
  assert.equal(val(`SELECT status FROM sellers WHERE id = ${seller.id}`), 'active');
});

test('the dashboard: each count equals what the tables say', async () => {
  const res = await adminApi.api('GET', '/api/v1/admin/dashboard');
  assert.equal(res.status, 200, describe(res));
  const want = {
    members: num(`SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'active'`),
    pending_members: num(`SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'pending'`),
    sellers: num(`SELECT COUNT(*) FROM sellers WHERE status = 'active'`),
    suspended_sellers: num(`SELECT COUNT(*) FROM sellers WHERE status = 'suspended'`),
    brands: num(`SELECT COUNT(*) FROM brands WHERE status = 'active'`),
    inactive_brands: num(`SELECT COUNT(*) FROM brands WHERE status = 'inactive'`),
    products: num(`SELECT COUNT(*) FROM products WHERE status = 'active'`),
    awaiting_transfers: num(`SELECT COUNT(*) FROM orders WHERE payment_method = 'bank_transfer'
      AND payment_state = 'awaiting_payment'`),
    refunds_pending: num(`SELECT COUNT(*) FROM refunds WHERE state = 'pending'`),
    reviews_hidden: num(`SELECT COUNT(*) FROM reviews WHERE status = 'hidden'`),
  };
  assert.deepEqual(res.json, want);
});

test('the console\'s front page /admin: the counts, the admin menu; a shopper is refused', async () => {
  const page = await pageLogin(admin);
  const res = await page.get('/admin');
  assert.equal(res.status, 200, describe(res));
  assert.match(res.headers['content-type'], /^text\/html/);
  assert.match(res.text, /<nav class="console-nav"/);
  assert.match(res.text, /href="\/admin" aria-current="page"/);
  const members = num(`SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'active'`);
  assert.match(res.text, new RegExp(`data-count="members">${members}<`));
  assert.match(res.text, new RegExp(`data-count="reviews_hidden">${num(`SELECT COUNT(*) FROM reviews WHERE status = 'hidden'`)}<`));
  const shopperPage = await pageLogin(await makeShopper());
  const refused = await shopperPage.get('/admin');
  assert.equal(refused.status, 403, describe(refused));
  const guest = await new Client().get('/admin');
  assert.equal(guest.status, 303);
  assert.match(guest.headers.location, /^\/login\?next=/);
});

test('the bank-transfer page: an order awaiting payment, its form records the amount; a wrong amount is refused', async () => {
  const buyer = await makeShopper();
  const buyerApi = await loginApi(buyer);
  const placed = await buyerApi.api('POST', '/api/v1/orders', { items: [{ variant_id: product.variants[0].id, quantity: 1 }],
    payment_method: 'bank_transfer' }, { headers: { 'Idempotency-Key': `admin-page-${Date.now()}` } });
  assert.equal(placed.status, 201, describe(placed));
  const order = placed.json;
  const page = await pageLogin(admin);
  const list = await page.get('/admin/orders?per_page=100');
  assert.equal(list.status, 200, describe(list));
  assert.match(list.text, /href="\/admin\/orders" aria-current="page"/);
  const total = num(`SELECT COUNT(*) FROM orders WHERE payment_method = 'bank_transfer' AND payment_state = 'awaiting_payment'`);
  assert.match(list.text, new RegExp(`data-count="total">${total}<`));
  // the newest are on later pages (oldest first): find ours on its page
  let found = list.text.includes(`data-order="${order.id}"`);
  for (let p = 2; !found && p <= Math.ceil(total / 100); p++) found = (await page.get(`/admin/orders?per_page=100&page=${p}`)).text.includes(`data-order="${order.id}"`);
  assert.ok(found, 'the order is listed');
  const token = await page.csrf('/admin/orders');
  const wrong = await page.post(`/admin/orders/${order.id}/payment`, { amount: String(order.amounts.total + 1), csrf_token: token });
  assert.equal(wrong.status, 422, describe(wrong));
  assert.match(wrong.text, /The amount received must equal the order's total|<title>/);
  assert.equal(val(`SELECT payment_state FROM orders WHERE id = ${order.id}`), 'awaiting_payment');
  const ok = await page.post(`/admin/orders/${order.id}/payment`, { amount: String(order.amounts.total), depositor_name: '홍길동',
    csrf_token: token });
  assert.equal(ok.status, 303, describe(ok));
  assert.equal(ok.headers.location, '/admin/orders?recorded=1');
  assert.deepEqual(one(`SELECT payment_state, received_amount, depositor_name FROM orders WHERE id = ${order.id}`),
    ['paid', String(order.amounts.total), '홍길동']);
  const after = await page.get('/admin/orders?recorded=1');
  assert.match(after.text, /notice--success/);
  const noToken = await page.post(`/admin/orders/${order.id}/payment`, { amount: String(order.amounts.total) });
  assert.equal(noToken.status, 403, 'a form without its CSRF token is refused');

  // the shopper cancels the paid transfer: a refund to send, on the refunds page; recorded there
  const cancel = await buyerApi.api('POST', `/api/v1/orders/${order.id}/cancel`, { refund_bank_name: '국민은행',
    refund_account_number: '123456-01-234567', refund_account_holder: '홍길동' });
  assert.equal(cancel.status, 200, describe(cancel));
  const refund = Number(val(`SELECT id FROM refunds WHERE order_id = ${order.id} AND state = 'pending'`));
  assert.ok(refund > 0);
  const refunds = await page.get('/admin/refunds?per_page=100');
  assert.equal(refunds.status, 200);
  assert.match(refunds.text, /href="\/admin\/refunds" aria-current="page"/);
  const pending = num(`SELECT COUNT(*) FROM refunds WHERE state = 'pending'`);
  assert.match(refunds.text, new RegExp(`data-count="total">${pending}<`));
  const recorded = await page.post(`/admin/refunds/${refund}/record`, { csrf_token: await page.csrf('/admin/refunds') });
  assert.equal(recorded.status, 303, describe(recorded));
  assert.equal(recorded.headers.location, '/admin/refunds?recorded=1');
  assert.equal(val(`SELECT state FROM refunds WHERE id = ${refund}`), 'done');
  const twice = await page.post(`/admin/refunds/${refund}/record`, { csrf_token: await page.csrf('/admin/refunds') });
  assert.equal(twice.status, 409, describe(twice));
});

test('a brand key rotated: shown once, the new key signs a seller up, the old one no longer does', async () => {
  const res = await adminApi.api('POST', `/api/v1/admin/brands/${brand.id}/key`);
  assert.equal(res.status, 200, describe(res));
  const key = res.json.brand_key;
  assert.equal(res.json.brand_id, brand.id);
  assert.match(key, /^[A-Za-z0-9_-]{43}$/, '32 random bytes as base64url');
  keysShown.push(key);
  assert.equal(val(`SELECT HEX(key_hash) FROM brands WHERE id = ${brand.id}`), sha256(Buffer.from(key, 'base64url')),
    'only its SHA-256 is stored');
  const old = await signUpSeller(brand.id, brand.key);
  assert.equal(old.status, 422, describe(old));
  assert.equal(old.json.code, 'BRAND_KEY_WRONG');
  const fresh = await signUpSeller(brand.id, key);
  assert.equal(fresh.status, 201, describe(fresh));
  // a second rotation: another key, and the first one is dead too
  const again = await adminApi.api('POST', `/api/v1/admin/brands/${brand.id}/key`);
  assert.equal(again.status, 200);
  assert.notEqual(again.json.brand_key, key);
  keysShown.push(again.json.brand_key);
  assert.equal((await signUpSeller(brand.id, key)).status, 422);
  brand.key = again.json.brand_key;
  assert.equal((await adminApi.api('POST', `/api/v1/admin/brands/${ABSENT}/key`)).status, 404);
});

test('the brand key is never shown again: not in the dashboard, the brand, or a log', async () => {
  for (const p of ['/api/v1/admin/dashboard', `/api/v1/brands/${brand.id}`, '/api/v1/admin/orders']) {
    const res = await adminApi.api('GET', p);
    for (const key of keysShown) assert.ok(!res.text.includes(key), `${p} shows the key`);
  }
  if (!RUN_DIR) return;
  for (const name of ['lonua.log', 'jobs.log']) {
    const file = path.join(RUN_DIR, name);
    if (!fs.existsSync(file)) continue;
    const log = fs.readFileSync(file, 'utf8');
    for (const key of keysShown) assert.ok(!log.includes(key), `${name} holds a brand key`);
  }
});

const brandFields = (name) => ({ name, business_address: '서울특별시 성동구 1', phone: '02-1234-5678',
  business_registration_number: '2208162517', bank_name: '국민은행', bank_account_number: '123-456-789',
  bank_account_holder: '주식회사 테스트', return_address: '경기도 반품센터', return_courier: 'CJ대한통운',
  shipping_fee: 3500, free_shipping_threshold: 60000, return_shipping_cost: 7000, introduction: '테스트 브랜드' });
const fieldParts = (o) => Object.entries(o).map(([name, value]) => ({ name, value: String(value) }));

test('a brand created with a logo: active, its key shown once and working, the logo through the media pipeline', async () => {
  const name = `관리자 브랜드 ${Date.now()}`;
  const res = await adminApi.send('POST', '/api/v1/admin/brands', { parts: [...fieldParts(brandFields(name)),
    { name: 'logo', filename: 'logo.png', contentType: 'image/png', data: png(120, 120) }] });
  assert.equal(res.status, 201, describe(res));
  assert.deepEqual([res.json.name, res.json.status, res.json.shipping_fee, res.json.free_shipping_threshold,
    res.json.notify_webhook_set], [name, 'active', 3500, 60000, false]);
  const key = res.json.brand_key;
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  keysShown.push(key);
  made.brands.add(res.json.id);
  assert.equal(val(`SELECT HEX(key_hash) FROM brands WHERE id = ${res.json.id}`), sha256(Buffer.from(key, 'base64url')));
  const logo = val(`SELECT logo_image FROM brands WHERE id = ${res.json.id}`);
  assert.match(logo, /^[0-9a-f]{64}$/);
  assert.ok(res.json.logo && res.json.logo.card.includes(logo), JSON.stringify(res.json.logo));
  if (RUN_DIR) assert.ok(fs.existsSync(path.join(RUN_DIR, 'media', res.json.logo.card.replace(/^\/media\//, ''))),
    'the logo is stored');
  assert.equal((await signUpSeller(res.json.id, key)).status, 201, 'the key signs a seller up');
  const again = await adminApi.api('GET', `/api/v1/brands/${res.json.id}`);
  assert.ok(!again.text.includes(key));
});

test('a brand refused: a taken name, a bad registration number, a text file as the logo, a bomb; nothing stored', async () => {
  const before = [num('SELECT COUNT(*) FROM brands'), num('SELECT COUNT(*) FROM brands WHERE logo_image IS NOT NULL')];
  const cases = [
    [{ ...brandFields(brand.name) }, null, 'name', 'taken'],
    [{ ...brandFields(`x ${Date.now()}`), business_registration_number: '12345' }, null, 'business_registration_number', 'wrong_type'],
    [{ ...brandFields(`y ${Date.now()}`) }, { name: 'logo', filename: 'logo.jpg', contentType: 'image/jpeg', data: Buffer.from('not an image') }, 'logo', 'not_an_image'],
    [{ ...brandFields(`z ${Date.now()}`) }, { name: 'logo', filename: 'bomb.png', contentType: 'image/png', data: bombPng() }, 'logo', 'image_too_large'],
    [{ ...brandFields(`w ${Date.now()}`), phone: 'abc' }, null, 'phone', 'invalid_phone'],
  ];
  for (const [fields, file, field, code] of cases) {
    const res = await adminApi.send('POST', '/api/v1/admin/brands', { parts: [...fieldParts(fields), ...(file ? [file] : [])] });
    assert.equal(res.status, 422, `${field}: ${describe(res)}`);
    assert.equal(res.json.errors?.[field], code, `${field}: ${describe(res)}`);
  }
  const json = await adminApi.api('POST', '/api/v1/admin/brands', { name: 'only a name' });
  assert.equal(json.status, 422);
  assert.deepEqual([num('SELECT COUNT(*) FROM brands'), num('SELECT COUNT(*) FROM brands WHERE logo_image IS NOT NULL')], before);
});

test('a brand edited: shipping, return terms, the webhook (never echoed); bad input changes nothing', async () => {
  const url = `https://hooks.example.test/services/T0/B0/${Date.now()}`;
  const res = await adminApi.api('PATCH', `/api/v1/admin/brands/${brand.id}`, { shipping_fee: 2500,
    free_shipping_threshold: 70000, return_shipping_cost: 5000, return_courier: '우체국택배', notify_webhook_url: url });
  assert.equal(res.status, 200, describe(res));
  assert.deepEqual([res.json.shipping_fee, res.json.free_shipping_threshold, res.json.return_shipping_cost,
    res.json.return_courier, res.json.notify_webhook_set], [2500, 70000, 5000, '우체국택배', true]);
  assert.ok(!res.text.includes(url), 'the webhook URL is not echoed');
  assert.deepEqual(one(`SELECT shipping_fee, free_shipping_threshold, notify_webhook_url FROM brands WHERE id = ${brand.id}`),
    ['2500', '70000', url]);
  const before = one(`SELECT shipping_fee, free_shipping_threshold, return_courier, notify_webhook_url, updated_at
    FROM brands WHERE id = ${brand.id}`).join();
  for (const body of [{ shipping_fee: -1 }, { notify_webhook_url: 'ftp://x' }, { notify_webhook_url: 'javascript:alert(1)' },
    { notify_webhook_url: url, notify_webhook_clear: true }, { return_courier: 'x'.repeat(51) }, { shipping_fee: 'many' }]) {
    const bad = await adminApi.api('PATCH', `/api/v1/admin/brands/${brand.id}`, body);
    assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${describe(bad)}`);
  }
  assert.equal(one(`SELECT shipping_fee, free_shipping_threshold, return_courier, notify_webhook_url, updated_at
    FROM brands WHERE id = ${brand.id}`).join(), before);
  const cleared = await adminApi.api('PATCH', `/api/v1/admin/brands/${brand.id}`, { notify_webhook_clear: true });
  assert.deepEqual([cleared.status, cleared.json.notify_webhook_set], [200, false]);
  assert.equal(val(`SELECT notify_webhook_url IS NULL FROM brands WHERE id = ${brand.id}`), '1');
  assert.equal((await adminApi.api('PATCH', `/api/v1/admin/brands/${ABSENT}`, { shipping_fee: 1 })).status, 404);
});

test('a brand deactivated: its sellers are refused; reactivated: let in again', async () => {
  const res = await adminApi.api('POST', `/api/v1/admin/brands/${brand.id}/deactivate`);
  assert.deepEqual([res.status, res.json.status], [200, 'inactive'], describe(res));
  assert.equal(val(`SELECT status FROM brands WHERE id = ${brand.id}`), 'inactive');
  const refused = await sellerApi.api('GET', '/api/v1/seller/order-lines');
  assert.equal(refused.status, 403, describe(refused));
  const back = await adminApi.api('POST', `/api/v1/admin/brands/${brand.id}/reactivate`);
  assert.deepEqual([back.status, back.json.status], [200, 'active']);
  assert.equal((await sellerApi.api('GET', '/api/v1/seller/order-lines')).status, 200);
  assert.equal((await adminApi.api('POST', `/api/v1/admin/brands/${ABSENT}/deactivate`)).status, 404);
});

test('a seller suspended is refused; reinstated, let in again', async () => {
  assert.equal((await sellerApi.api('GET', '/api/v1/seller/me')).status, 200);
  const res = await adminApi.api('POST', `/api/v1/admin/sellers/${seller.id}/suspend`);
  assert.equal(res.status, 200, describe(res));
  assert.deepEqual([res.json.status, res.json.changed, res.json.brand_id], ['suspended', true, brand.id]);
  assert.equal(val(`SELECT status FROM sellers WHERE id = ${seller.id}`), 'suspended');
  const refused = await sellerApi.api('GET', '/api/v1/seller/me');
  assert.equal(refused.status, 403, describe(refused));
  assert.equal(refused.json.code, 'ACCOUNT_SUSPENDED');
  assert.equal((await sellerApi.api('GET', '/api/v1/seller/order-lines')).status, 403);
  const twice = await adminApi.api('POST', `/api/v1/admin/sellers/${seller.id}/suspend`);
  assert.deepEqual([twice.status, twice.json.changed], [200, false]);
  const back = await adminApi.api('POST', `/api/v1/admin/sellers/${seller.id}/reinstate`);
  assert.deepEqual([back.status, back.json.status, back.json.changed], [200, 'active', true]);
  assert.equal((await sellerApi.api('GET', '/api/v1/seller/me')).status, 200);
  assert.equal((await adminApi.api('POST', `/api/v1/admin/sellers/${ABSENT}/suspend`)).status, 404);
});

test('sellers: listed (all, one brand); the page suspends and reinstates through its forms', async () => {
  const all = await adminApi.api('GET', '/api/v1/admin/sellers?per_page=100');
  assert.equal(all.status, 200, describe(all));
  assert.equal(all.json.total, num('SELECT COUNT(*) FROM sellers'));
  const mine = await adminApi.api('GET', `/api/v1/admin/sellers?brand_id=${brand.id}`);
  assert.deepEqual(mine.json.items.map((x) => x.brand_id).filter((b) => b !== brand.id), []);
  assert.ok(mine.json.items.some((x) => x.id === seller.id && x.email === seller.email && x.status === 'active'));
  const page = await pageLogin(admin);
  const list = await page.get(`/admin/sellers?brand_id=${brand.id}`);
  assert.equal(list.status, 200, describe(list));
  assert.match(list.text, /href="\/admin\/sellers" aria-current="page"/);
  assert.ok(list.text.includes(`action="/admin/sellers/${seller.id}/suspend"`));
  const token = await page.csrf('/admin/sellers');
  const off = await page.post(`/admin/sellers/${seller.id}/suspend`, { csrf_token: token });
  assert.deepEqual([off.status, off.headers.location], [303, '/admin/sellers?updated=1'], describe(off));
  assert.equal(val(`SELECT status FROM sellers WHERE id = ${seller.id}`), 'suspended');
  assert.equal((await sellerApi.api('GET', '/api/v1/seller/me')).status, 403);
  const on = await page.post(`/admin/sellers/${seller.id}/reinstate`, { csrf_token: token });
  assert.equal(on.status, 303);
  assert.equal(val(`SELECT status FROM sellers WHERE id = ${seller.id}`), 'active');
  assert.equal((await sellerApi.api('GET', '/api/v1/seller/me')).status, 200);
});

test('a review hidden leaves the product\'s counters, shown again comes back; they always match the published reviews', async () => {
  const reviews = [];
  for (const [rating, fit] of [[5, 'true'], [2, 'small'], [4, 'large']]) {
    const { line } = await purchase(reviewerApi, { adminApi, sellerApi }, product.variants[0].id);
    const res = await reviewerApi.api('POST', `/api/v1/order-lines/${line}/review`, { rating, fit, body: `리뷰 ${rating}` });
    assert.equal(res.status, 201, describe(res));
    reviews.push(res.json.id);
  }
  let c = counters(product.id);
  assert.deepEqual(c.stored, [3, 11, 1, 1, 1]);
  assert.deepEqual(c.stored, c.published);

  const hide = await adminApi.api('POST', `/api/v1/admin/reviews/${reviews[1]}/hide`, { reason: '욕설' });
  assert.equal(hide.status, 200, describe(hide));
  assert.deepEqual([hide.json.status, hide.json.hidden_reason, hide.json.changed], ['hidden', '욕설', true]);
  assert.deepEqual(one(`SELECT status, hidden_by, hidden_reason FROM reviews WHERE id = ${reviews[1]}`),
    ['hidden', String(admin.id), '욕설']);
  c = counters(product.id);
  assert.deepEqual(c.stored, [2, 9, 0, 1, 1]);
  assert.deepEqual(c.stored, c.published);

  // hiding it again changes nothing (the first reason stays)
  const twice = await adminApi.api('POST', `/api/v1/admin/reviews/${reviews[1]}/hide`, { reason: '다른 이유' });
  assert.deepEqual([twice.status, twice.json.changed, twice.json.hidden_reason], [200, false, '욕설']);
  assert.deepEqual(counters(product.id).stored, [2, 9, 0, 1, 1]);

  // the reviewer still sees it, hidden
  const mine = await reviewerApi.api('GET', '/api/v1/me/reviews');
  assert.equal(mine.status, 200);
  const item = mine.json.items.find((r) => r.id === reviews[1]);
  assert.ok(item, 'the hidden review is on the reviewer\'s list');
  assert.equal(item.status, 'hidden');

  const unhide = await adminApi.api('POST', `/api/v1/admin/reviews/${reviews[1]}/unhide`);
  assert.deepEqual([unhide.status, unhide.json.status, unhide.json.hidden_reason, unhide.json.changed],
    [200, 'published', null, true]);
  c = counters(product.id);
  assert.deepEqual(c.stored, [3, 11, 1, 1, 1]);
  assert.deepEqual(c.stored, c.published);
  assert.equal((await adminApi.api('POST', `/api/v1/admin/reviews/${reviews[1]}/unhide`)).json.changed, false);
  assert.deepEqual(counters(product.id).stored, [3, 11, 1, 1, 1]);
});

test('a coupon issued to one shopper: only they have it, with its terms', async () => {
  const someone = await makeShopper();
  const name = `관리자 쿠폰 ${Date.now()}`;
  const category = Number(val('SELECT MIN(id) FROM categories'));
  const res = await adminApi.api('POST', '/api/v1/admin/coupons', { name, discount_amount: 3000, min_line_amount: 20000,
    category_id: category, valid_from: '2020-01-01', valid_until: '2099-12-31', user_id: someone.id });
  assert.equal(res.status, 201, describe(res));
  assert.deepEqual(res.json, { issued: 1 });
  assert.deepEqual(rows(`SELECT user_id, discount_percent IS NULL, discount_amount, min_line_amount, category_id,
      DATE(valid_from), valid_until, state, issued_by_user_id FROM coupons WHERE name = ${lit(name)}`),
  [[String(someone.id), '1', '3000', '20000', String(category), '2020-01-01', '2100-01-01 00:00:00', 'available',
    String(admin.id)]]);
  const mine = await (await loginApi(someone)).api('GET', '/api/v1/me/coupons');
  assert.ok(mine.json.items.some((c) => c.name === name), 'the shopper sees it');
});

test('a coupon issued to all: every active shopper gets one, nobody else', async () => {
  const name = `전체 쿠폰 ${Date.now()}`;
  const active = num(`SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'active'`);
  const res = await adminApi.api('POST', '/api/v1/admin/coupons', { name, discount_percent: 10, valid_until: '2099-12-31' });
  assert.equal(res.status, 201, describe(res));
  assert.equal(res.json.issued, active);
  assert.equal(num(`SELECT COUNT(*) FROM coupons WHERE name = ${lit(name)}`), active);
  assert.equal(num(`SELECT COUNT(*) FROM coupons c JOIN users u ON u.id = c.user_id WHERE c.name = ${lit(name)}
    AND (u.role <> 'shopper' OR u.status <> 'active')`), 0);
  assert.equal(num(`SELECT COUNT(DISTINCT user_id) FROM coupons WHERE name = ${lit(name)}`), active, 'one each');
  const mine = await reviewerApi.api('GET', '/api/v1/me/coupons');
  const coupon = mine.json.items.find((c) => c.name === name);
  assert.ok(coupon, 'a shopper sees it');
  // revoke one: it is revoked; again: nothing changes; absent: 404
  const revoke = await adminApi.api('POST', `/api/v1/admin/coupons/${coupon.id}/revoke`);
  assert.deepEqual([revoke.status, revoke.json.state, revoke.json.changed], [200, 'revoked', true]);
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${coupon.id}`), 'revoked');
  const again = await adminApi.api('POST', `/api/v1/admin/coupons/${coupon.id}/revoke`);
  assert.deepEqual([again.status, again.json.changed], [200, false]);
  assert.equal((await adminApi.api('POST', `/api/v1/admin/coupons/${ABSENT}/revoke`)).status, 404);
  sql(`DELETE FROM coupons WHERE name = ${lit(name)};`);
});

test('a coupon refused: no discount, both, a validity in the past, an unknown category or shopper; nothing issued', async () => {
  const before = num('SELECT COUNT(*) FROM coupons');
  const base = { name: '잘못된 쿠폰', valid_until: '2099-12-31' };
  const cases = [
    [{ ...base }, 'discount_percent', 'required'],
    [{ ...base, discount_percent: 10, discount_amount: 1000 }, 'discount_amount', 'not_allowed'],
    [{ ...base, discount_percent: 101 }, 'discount_percent', 'too_large'],
    [{ ...base, discount_percent: 10, valid_until: '2020-01-01' }, 'valid_until', 'too_small'],
    [{ ...base, discount_percent: 10, valid_from: '2099-06-01', valid_until: '2099-05-01' }, 'valid_until', 'too_small'],
    [{ ...base, discount_percent: 10, category_id: ABSENT }, 'category_id', 'not_found'],
    [{ ...base, discount_percent: 10, user_id: ABSENT }, 'user_id', 'not_found'],
    [{ ...base, discount_percent: 10, user_id: admin.id }, 'user_id', 'not_found'],
    [{ discount_percent: 10, valid_until: '2099-12-31' }, 'name', 'required'],
  ];
  for (const [body, field, code] of cases) {
    const res = await adminApi.api('POST', '/api/v1/admin/coupons', body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${describe(res)}`);
    assert.equal(res.json.errors?.[field], code, `${JSON.stringify(body)}: ${describe(res)}`);
  }
  assert.equal(num('SELECT COUNT(*) FROM coupons'), before);
});

test('members: search by e-mail and by name prefix, view one with the numbers of orders and reviews', async () => {
  const byEmail = await adminApi.api('GET', `/api/v1/admin/members?q=${encodeURIComponent(reviewer.email)}`);
  assert.equal(byEmail.status, 200, describe(byEmail));
  assert.deepEqual(byEmail.json.items.map((m) => m.id), [reviewer.id]);
  assert.equal(byEmail.json.total, 1);
  const name = val(`SELECT name FROM users WHERE id = ${reviewer.id}`);
  const byName = await adminApi.api('GET', `/api/v1/admin/members?q=${encodeURIComponent(name)}`);
  assert.ok(byName.json.items.some((m) => m.id === reviewer.id), describe(byName));
  const wild = await adminApi.api('GET', '/api/v1/admin/members?q=%25');
  assert.equal(wild.status, 200);
  assert.equal(wild.json.total, num(`SELECT COUNT(*) FROM users WHERE role = 'shopper' AND name LIKE '\\%%'`),
    'a % in q is taken literally');
  const all = await adminApi.api('GET', '/api/v1/admin/members?per_page=5');
  assert.equal(all.json.items.length, 5);
  assert.ok(!all.json.items.some((m) => m.id === admin.id), 'admins are not members');
  const one = await adminApi.api('GET', `/api/v1/admin/members/${reviewer.id}`);
  assert.equal(one.status, 200);
  assert.deepEqual([one.json.email, one.json.status, one.json.orders, one.json.reviews],
    [reviewer.email, 'active', num(`SELECT COUNT(*) FROM orders WHERE user_id = ${reviewer.id}`),
      num(`SELECT COUNT(*) FROM reviews WHERE user_id = ${reviewer.id}`)]);
  assert.equal((await adminApi.api('GET', `/api/v1/admin/members/${admin.id}`)).status, 404, 'an admin is no member');
  assert.equal((await adminApi.api('GET', `/api/v1/admin/members/${ABSENT}`)).status, 404);
});

test('members: erase is refused before withdrawal; withdraw, then erase: orders and reviews stay, no personal data', async () => {
  const refused = await adminApi.api('POST', `/api/v1/admin/members/${reviewer.id}/erase`);
  assert.equal(refused.status, 409, describe(refused));
  assert.equal(refused.json.code, 'NOT_WITHDRAWN');
  assert.equal(val(`SELECT status FROM users WHERE id = ${reviewer.id}`), 'active');
  const orders = num(`SELECT COUNT(*) FROM orders WHERE user_id = ${reviewer.id}`);
  const reviews = rows(`SELECT id, rating, body FROM reviews WHERE user_id = ${reviewer.id} ORDER BY id`);
  assert.ok(orders > 0 && reviews.length > 0);
  sql(`UPDATE reviews SET shared_height_cm = 170, shared_weight_kg = 60 WHERE user_id = ${reviewer.id};`);

  const w = await adminApi.api('POST', `/api/v1/admin/members/${reviewer.id}/withdraw`);
  assert.equal(w.status, 200, describe(w));
  assert.deepEqual([w.json.status, w.json.email, w.json.erased], ['withdrawn', null, false]);
  assert.equal((await reviewerApi.api('GET', '/api/v1/me')).status, 401, 'their sessions are gone');
  assert.equal((await adminApi.api('POST', `/api/v1/admin/members/${reviewer.id}/withdraw`)).status, 404);

  const e = await adminApi.api('POST', `/api/v1/admin/members/${reviewer.id}/erase`);
  assert.equal(e.status, 200, describe(e));
  assert.deepEqual([e.json.status, e.json.name, e.json.email, e.json.erased], ['withdrawn', null, null, true]);
  const [personal] = rows(`SELECT CONCAT_WS(',', email, password_hash, kakao_id, name, birth_date, gender, phone,
      postal_code, address, address_detail, height_cm, weight_kg, upper_body_type, lower_body_type, preferred_style_id),
      erased_at IS NOT NULL FROM users WHERE id = ${reviewer.id}`);
  assert.deepEqual(personal, ['', '1'], 'no personal data left on the account');
  assert.equal(num(`SELECT COUNT(*) FROM reviews WHERE user_id = ${reviewer.id} AND (shared_height_cm IS NOT NULL
    OR shared_weight_kg IS NOT NULL)`), 0, 'the build shared on reviews is gone');
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${reviewer.id}`), orders, 'the orders stay');
  assert.deepEqual(rows(`SELECT id, rating, body FROM reviews WHERE user_id = ${reviewer.id} ORDER BY id`), reviews,
    'the reviews stay');
  const again = await adminApi.api('POST', `/api/v1/admin/members/${reviewer.id}/erase`);
  assert.deepEqual([again.status, again.json.erased], [200, true]);
  // the product's reviews still show (without a name)
  const page = await new Client().get(`/products/${product.id}/reviews`);
  assert.equal(page.status, 200, describe(page));
  const api = await new Client().api('GET', `/api/v1/products/${product.id}/reviews`);
  assert.equal(api.status, 200, describe(api));
  assert.equal(api.json.items.length, 3);
});

test('the review moderation page: hide with a reason and show again through its forms; the counters follow', async () => {
  const review = Number(val(`SELECT MAX(id) FROM reviews WHERE product_id = ${product.id} AND status = 'published'`));
  const page = await pageLogin(admin);
  const list = await page.get('/admin/reviews?per_page=100');
  assert.equal(list.status, 200, describe(list));
  assert.match(list.text, /href="\/admin\/reviews" aria-current="page"/);
  assert.ok(list.text.includes(`data-review="${review}"`), 'the newest reviews are listed');
  const token = await page.csrf('/admin/reviews');
  const empty = await page.post(`/admin/reviews/${review}/hide`, { reason: '', csrf_token: token });
  assert.equal(empty.status, 422, describe(empty));
  assert.equal(val(`SELECT status FROM reviews WHERE id = ${review}`), 'published');
  const hide = await page.post(`/admin/reviews/${review}/hide`, { reason: '광고성 내용', csrf_token: token });
  assert.equal(hide.status, 303, describe(hide));
  assert.equal(hide.headers.location, '/admin/reviews?moderated=1');
  assert.equal(val(`SELECT status FROM reviews WHERE id = ${review}`), 'hidden');
  let c = counters(product.id);
  assert.deepEqual(c.stored, c.published);
  const hiddenList = await page.get('/admin/reviews?hidden=1&per_page=100');
  assert.ok(hiddenList.text.includes(`data-review="${review}"`));
  assert.ok(hiddenList.text.includes('광고성 내용'));
  const unhide = await page.post(`/admin/reviews/${review}/unhide`, { csrf_token: token });
  assert.equal(unhide.status, 303, describe(unhide));
  assert.equal(val(`SELECT status FROM reviews WHERE id = ${review}`), 'published');
  c = counters(product.id);
  assert.deepEqual(c.stored, c.published);
});

test('bad input is a 4xx that changes nothing', async () => {
  const review = Number(val(`SELECT MIN(id) FROM reviews WHERE product_id = ${product.id}`));
  const before = [one(`SELECT status FROM reviews WHERE id = ${review}`).join(), counters(product.id).stored.join()];
  for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(501) }, { reason: 5 }]) {
    const res = await adminApi.api('POST', `/api/v1/admin/reviews/${review}/hide`, body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${describe(res)}`);
  }
  const notJson = await adminApi.send('POST', `/api/v1/admin/reviews/${review}/hide`,
    { body: 'reason', headers: { 'Content-Type': 'text/plain' } });
  assert.ok(notJson.status >= 400 && notJson.status < 500, describe(notJson));
  assert.equal((await adminApi.api('POST', `/api/v1/admin/reviews/${ABSENT}/hide`, { reason: 'x' })).status, 404);
  assert.equal((await adminApi.api('POST', '/api/v1/admin/reviews/abc/hide', { reason: 'x' })).status, 404);
  assert.deepEqual([one(`SELECT status FROM reviews WHERE id = ${review}`).join(), counters(product.id).stored.join()],
    before);
});

test('no brand key shown by this run is in a log', () => {
  if (!RUN_DIR) return;
  for (const name of ['lonua.log', 'jobs.log']) {
    const file = path.join(RUN_DIR, name);
    if (!fs.existsSync(file)) continue;
    const log = fs.readFileSync(file, 'utf8');
    for (const key of keysShown) assert.ok(!log.includes(key), `${name} holds a brand key`);
  }
  assert.ok(keysShown.length >= 3);
});

test('cleanup', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
