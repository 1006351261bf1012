// The seller console's dashboard, stock, orders, questions and branches (issue 10;
// docs/seller-console.md) through the real stack: the dashboard's figures against SQL written here,
// stock deltas with their history (a delta below zero refused, nothing changed), deltas concurrent
// with purchases (stock = initial + adjustments − sold), the CSV upload all or nothing with its
// errors by line, the CSV export's content and escaping, a line moved through its states from the
// page forms, questions answered from the page (the asker's mail queued), branches CRUD, another
// brand's rows 404 everywhere, and bad input that changes nothing.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   node tests/integration/seller-ops.test.mjs
import crypto from 'node:crypto';
import { test, run, assert } from '../lib/tap.mjs';
import { describe, assertStatus, assertProblem } from './http.mjs';
import { SOCKET, bailUnlessSet, csrfOf, sql, num, val, rows, lit, esc, t, uniq, Client, pageLogin, outboxTo } from './client.mjs';
import { makeBrand, makeProduct, makeShopper, makeSeller, makeAdmin, loginSeller, loginApi, cleanup, purchase, SHOP_DOMAIN, made } from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

const brand = makeBrand({ fee: 0 }), otherBrand = makeBrand({ fee: 0 });
const sellerPage = (s) => pageLogin(s, new Client(), { action: '/seller/login' });
const stockOf = (v) => num(`SELECT stock FROM product_variants WHERE id = ${v}`);
const movements = (v) => num(`SELECT COUNT(*) FROM stock_movements WHERE variant_id = ${v}`);
let seller, sellerApi, page, foreignApi, foreignPage, adminApi;

test('setup: sellers of two brands (page and API), an admin', async () => {
  seller = await makeSeller(brand, { name: '재고 담당' });
  sellerApi = await loginSeller(seller);
  page = await sellerPage(seller);
  const foreign = await makeSeller(otherBrand);
  foreignApi = await loginSeller(foreign);
  foreignPage = await sellerPage(foreign);
  adminApi = await loginApi(await makeAdmin());
});

// An active shopper with a bearer token, made as root (as tests/integration/concurrency.test.mjs).
function buyer() {
  const email = `sellerops-${uniq()}@${SHOP_DOMAIN}`;
  const phone = `010${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
  const id = Number(val(`INSERT INTO users (role, status, email, email_verified_at, password_hash, name, phone,
      postal_code, address, grade_id) VALUES ('shopper', 'active', ${lit(email)}, UTC_TIMESTAMP(), 'not-a-hash',
      '구매자', '${phone}', '04524', '서울특별시 중구 세종대로 110', 1); SELECT LAST_INSERT_ID();`));
  made.users.add(id);
  const raw = crypto.randomBytes(32);
  const hash = crypto.createHash('sha256').update(raw).digest('hex');
  sql(`INSERT INTO sessions (token_hash, kind, user_id, csrf_secret, expires_at) VALUES (UNHEX('${hash}'), 'bearer',
    ${id}, UNHEX('${crypto.randomBytes(32).toString('hex')}'), UTC_TIMESTAMP() + INTERVAL 1 DAY);`);
  return { id, email, api: new Client({ bearer: raw.toString('base64url') }) };
}
const order = (b, items) => b.api.api('POST', '/api/v1/orders', { payment_method: 'bank_transfer', items },
  { headers: { 'Idempotency-Key': `sellerops-${uniq()}` } });

test('stock API: a delta with a reason is added (never an absolute), with its history row naming the seller; below zero is 409 and changes nothing', async () => {
  const p = makeProduct(brand, { variants: [{ size: 'M', stock: 5 }] });
  const v = p.variants[0].id;
  let res = await sellerApi.api('POST', `/api/v1/seller/variants/${v}/stock`, { delta: 7, reason: '입고' });
  assertStatus(res, 200);
  assert.equal(res.json.stock, 12);
  assert.equal(stockOf(v), 12);
  res = await sellerApi.api('POST', `/api/v1/seller/variants/${v}/stock`, { delta: -2, reason: '불량 폐기' });
  assertStatus(res, 200);
  assert.deepEqual(res.json.history.items.map((m) => [m.delta, m.stock_after, m.reason, m.seller_name, m.kind]),
    [[-2, 10, '불량 폐기', '재고 담당', 'seller_adjustment'], [7, 12, '입고', '재고 담당', 'seller_adjustment']]);
  res = await sellerApi.api('POST', `/api/v1/seller/variants/${v}/stock`, { delta: -11, reason: '너무 많이' });
  assertProblem(res, 409, 'BELOW_ZERO');
  assert.equal(res.json.errors, undefined, 'the documented 409 has no field errors');
  assert.deepEqual([stockOf(v), movements(v)], [10, 2], 'a refused delta changed something');
  res = await sellerApi.api('POST', `/api/v1/seller/variants/${v}/stock`, { delta: -10, reason: '전량 반출' });
  assertStatus(res, 200);
  assert.equal(stockOf(v), 0);
  // bad input: 422, nothing changes
  for (const bad of [{ delta: 0, reason: 'x' }, { delta: 1 }, { delta: 1, reason: '' }, { delta: 'abc', reason: 'x' },
    { delta: 100001, reason: 'x' }, { delta: 1.5, reason: 'x' }, { delta: 1, reason: 'r'.repeat(201) }]) {
    res = await sellerApi.api('POST', `/api/v1/seller/variants/${v}/stock`, bad);
    assertStatus(res, 422);
  }
  assert.deepEqual([stockOf(v), movements(v)], [0, 3]);
  // GET: the variant with its history, newest first
  res = await sellerApi.get(`/api/v1/seller/variants/${v}`);
  assertStatus(res, 200);
  assert.deepEqual([res.json.stock, res.json.history.total, res.json.history.items[0].delta], [0, 3, -10]);
});

test('stock page: the list, a delta from the form (303), its history on the variant page; below zero is the form again with the message', async () => {
  const p = makeProduct(brand, { name: `재고 페이지 ${uniq()}`, variants: [{ size: 'L', stock: 2 }] });
  const v = p.variants[0].id;
  let res = await page.get(`/seller/stock?q=${encodeURIComponent(p.name)}`);
  assertStatus(res, 200);
  assert.ok(res.text.includes(`data-variant="${v}"`) && res.text.includes('aria-current="page">' + t('seller_nav.stock')),
    'the variant or the menu mark is missing');
  res = await page.post(`/seller/stock/${v}`, { csrf_token: csrfOf(res), delta: '3', reason: '재입고', from: 'list' });
  assertStatus(res, 303);
  assert.equal(res.headers.location, '/seller/stock?adjusted=1');
  assert.equal(stockOf(v), 5);
  res = await page.get(`/seller/stock/${v}`);
  assertStatus(res, 200);
  assert.ok(res.text.includes('재입고') && res.text.includes('+3') && res.text.includes('id="variant-stock">5<'), 'history not shown');
  res = await page.post(`/seller/stock/${v}`, { csrf_token: csrfOf(res), delta: '-6', reason: '실수' });
  assertStatus(res, 409);
  assert.ok(res.text.includes(esc(t('seller_ops.below_zero'))), 'no message');
  assert.deepEqual([stockOf(v), movements(v)], [5, 1]);
  res = await page.post(`/seller/stock/${v}`, { csrf_token: csrfOf(res), delta: '0', reason: '영' });
  assertStatus(res, 422);
  assert.equal(stockOf(v), 5);
});

test('concurrency: 30 buyers and 20 seller adjustments at once: stock = initial + adjustments − sold, never below zero, every change in the history', async () => {
  const p = makeProduct(brand, { price: 10000, variants: [{ size: 'M', stock: 10 }] });
  const v = p.variants[0].id;
  const buyers = Array.from({ length: 30 }, () => buyer());
  const deltas = Array.from({ length: 20 }, (_, i) => (i % 4 === 3 ? -1 : 2));
  const work = [
    ...buyers.map((b) => order(b, [{ variant_id: v, quantity: 1 }])),
    ...deltas.map((d, i) => sellerApi.api('POST', `/api/v1/seller/variants/${v}/stock`, { delta: d, reason: `동시 ${i}` })),
  ];
  const answers = await Promise.all(work);
  const failed = answers.find((r) => r.status >= 500);
  assert.ok(!failed, failed ? `5xx: ${describe(failed)}` : '');
  const adjusted = answers.slice(30).map((r, i) => (r.status === 200 ? deltas[i] : 0)).reduce((a, b) => a + b, 0);
  for (const r of answers.slice(30)) assert.ok(r.status === 200 || r.status === 409, `adjustment: ${describe(r)}`);
  const sold = num(`SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE variant_id = ${v}`);
  assert.equal(sold, answers.slice(0, 30).filter((r) => r.status === 201).length, 'placed orders and lines differ');
  assert.equal(stockOf(v), 10 + adjusted - sold, `stock ${stockOf(v)} != 10 + ${adjusted} - ${sold}`);
  assert.ok(stockOf(v) >= 0);
  assert.equal(num(`SELECT COALESCE(SUM(delta), 0) FROM stock_movements WHERE variant_id = ${v}`), adjusted - sold,
    'the history does not add up to the change');
  const last = rows(`SELECT stock_after FROM stock_movements WHERE variant_id = ${v} ORDER BY id DESC LIMIT 1`)[0];
  assert.equal(Number(last[0]), stockOf(v), 'the last history row is not the stock');
});

const csvParts = (text, name = 'stock.csv') => [{ name: 'file', filename: name, contentType: 'text/csv', data: Buffer.from(text) }];

test('CSV upload: all or nothing, every error listed by line number; then a good file applies every row', async () => {
  const sku1 = `SKU-${uniq()}`, sku2 = `SKU-${uniq()}`;
  const p = makeProduct(brand, { variants: [{ size: 'S', stock: 4 }, { size: 'M', stock: 1 }] });
  const [a, b] = p.variants.map((x) => x.id);
  sql(`UPDATE product_variants SET sku = ${lit(sku1)} WHERE id = ${a}; UPDATE product_variants SET sku = ${lit(sku2)} WHERE id = ${b};`);
  const foreignP = makeProduct(otherBrand, { variants: [{ size: 'M', stock: 3 }] });
  const fv = foreignP.variants[0].id;
  // line 2 good, 3 below zero, 4 unknown sku, 5 bad delta, 6 missing reason
  const bad = `sku,delta,reason\r\n${sku1},5,입고\r\n${sku2},-2,반출\r\nNOPE-${uniq()},1,x\r\n${sku1},abc,x\r\n${sku1},1,\r\n`;
  let res = await sellerApi.send('POST', '/api/v1/seller/stock/csv', { parts: csvParts(bad) });
  assertStatus(res, 422);
  assert.deepEqual(res.json.lines.map((e) => [e.line, e.code]), [[5, 'delta'], [6, 'reason']], describe(res));
  assert.deepEqual([stockOf(a), stockOf(b), movements(a)], [4, 1, 0], 'a refused file changed stock');
  // with the format right, the database's refusals are listed too, and still nothing applies
  const bad2 = `sku,delta,reason\n${sku1},5,입고\n${sku2},-2,반출\nNOPE-${uniq()},1,x\n`;
  res = await sellerApi.send('POST', '/api/v1/seller/stock/csv', { parts: csvParts(bad2) });
  assertStatus(res, 422);
  assert.deepEqual(res.json.lines.map((e) => [e.line, e.code]), [[3, 'below_zero'], [4, 'not_found']]);
  assert.deepEqual([stockOf(a), stockOf(b), movements(a)], [4, 1, 0], 'a refused file changed stock');
  // another brand's variant id is "not found"
  res = await sellerApi.send('POST', '/api/v1/seller/stock/csv', { parts: csvParts(`variant_id,delta,reason\n${fv},1,x\n`) });
  assert.deepEqual(res.json.lines.map((e) => [e.line, e.code]), [[2, 'not_found']]);
  assert.equal(stockOf(fv), 3);
  for (const [text, code] of [['sku;delta;reason\nx;1;y\n', 'header'], ['sku,delta,reason\n', 'no_rows'],
    ['sku,delta,reason\n"unterminated,1,x\n', 'malformed']]) {
    res = await sellerApi.send('POST', '/api/v1/seller/stock/csv', { parts: csvParts(text) });
    assertStatus(res, 422);
    assert.equal(res.json.lines[0].code, code, describe(res));
  }
  // the page shows the errors by line
  let form = await page.get('/seller/stock');
  res = await page.send('POST', '/seller/stock/upload', { parts: [{ name: 'csrf_token', value: csrfOf(form) }, ...csvParts(bad2)] });
  assertStatus(res, 422);
  assert.ok(res.text.includes(`${t('seller_ops.line')} 3: ${esc(t('seller_ops.csv_error.below_zero'))}`), 'line 3 not listed');
  assert.ok(res.text.includes(`${t('seller_ops.line')} 4: `), 'line 4 not listed');
  assert.deepEqual([stockOf(a), stockOf(b)], [4, 1]);
  // a good file (quoted reason with a comma, id and sku forms)
  res = await page.send('POST', '/seller/stock/upload', { parts: [{ name: 'csrf_token', value: csrfOf(form) },
    ...csvParts(`sku,delta,reason\n${sku1},5,"입고, 1차"\n${sku2},-1,반출\n${sku1},+2,추가\n`)] });
  assertStatus(res, 303);
  assert.equal(res.headers.location, '/seller/stock?uploaded=3');
  assert.deepEqual([stockOf(a), stockOf(b)], [11, 0]);
  assert.equal(val(`SELECT note FROM stock_movements WHERE variant_id = ${a} ORDER BY id LIMIT 1`), '입고, 1차');
  res = await sellerApi.send('POST', '/api/v1/seller/stock/csv', { parts: csvParts(`variant_id,delta,reason\n${b},3,입고\n`) });
  assertStatus(res, 200);
  assert.deepEqual([res.json.applied, stockOf(b)], [1, 3]);
});

let flow; // a paid line of brand moved through the page

test('orders page: only the brand\'s lines with the shipping snapshot (no totals, no other brand\'s line); prepare → ship → deliver from the forms; a return approved', async () => {
  const shopper = await makeShopper();
  const api = await loginApi(shopper);
  const mine = makeProduct(brand, { name: `주문 상품 ${uniq()}`, price: 21000 });
  const theirs = makeProduct(otherBrand, { name: `남의 상품 ${uniq()}`, price: 33000 });
  const placed = await api.api('POST', '/api/v1/orders', { payment_method: 'bank_transfer',
    items: [{ variant_id: mine.variants[0].id, quantity: 1 }, { variant_id: theirs.variants[0].id, quantity: 1 }] },
  { headers: { 'Idempotency-Key': `sellerops-${uniq()}` } });
  assertStatus(placed, 201);
  const order = placed.json;
  const line = order.lines.find((l) => l.variant_id === mine.variants[0].id).id;
  const otherLine = order.lines.find((l) => l.variant_id === theirs.variants[0].id).id;
  let res = await page.get(`/seller/orders?q=${encodeURIComponent(mine.name)}`);
  assertStatus(res, 200);
  assert.ok(res.text.includes(`data-line="${line}"`) && !res.text.includes(`data-line="${otherLine}"`));
  assert.ok(!res.text.includes(`action="/seller/orders/${line}/prepare"`), 'an unpaid line can be prepared');
  assert.ok(!res.text.includes(theirs.name) && !res.text.includes(order.amounts.total_text), 'another brand\'s line or the total shows');
  assert.ok(res.text.includes(esc(order.shipping.recipient_name)) && res.text.includes(order.shipping.postal_code));
  // unpaid: prepare is refused (409, nothing changes)
  res = await page.post(`/seller/orders/${line}/prepare`, { csrf_token: csrfOf(res) });
  assertStatus(res, 409);
  assert.ok(res.text.includes(esc(t('seller_ops.not_paid'))));
  assert.equal(val(`SELECT state FROM order_lines WHERE id = ${line}`), 'ordered');
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${order.id}/payment`, { amount: order.amounts.total }), 200);
  // another brand's seller: 404 on every action
  for (const step of ['prepare', 'deliver', 'return/approve']) {
    const f = await foreignPage.get('/seller/orders');
    assertStatus(await foreignPage.post(`/seller/orders/${line}/${step}`, { csrf_token: csrfOf(f) }), 404);
  }
  res = await page.get('/seller/orders?state=ordered');
  assert.ok(res.text.includes(`action="/seller/orders/${line}/prepare"`));
  res = await page.post(`/seller/orders/${line}/prepare`, { csrf_token: csrfOf(res) });
  assertStatus(res, 303);
  assert.equal(res.headers.location, '/seller/orders?moved=1');
  res = await page.get('/seller/orders?state=preparing');
  res = await page.post(`/seller/orders/${line}/ship`, { csrf_token: csrfOf(res), courier: '', tracking_number: '1' });
  assertStatus(res, 422);
  assert.equal(val(`SELECT state FROM order_lines WHERE id = ${line}`), 'preparing');
  res = await page.post(`/seller/orders/${line}/ship`, { csrf_token: csrfOf(await page.get('/seller/orders')), courier: 'CJ대한통운', tracking_number: '6000-1234' });
  assertStatus(res, 303);
  assert.deepEqual(rows(`SELECT state, courier, tracking_number FROM order_lines WHERE id = ${line}`)[0], ['shipped', 'CJ대한통운', '6000-1234']);
  res = await page.get('/seller/orders?q=6000-1234');
  assert.ok(res.text.includes(`data-line="${line}"`), 'search by tracking number');
  res = await page.post(`/seller/orders/${line}/deliver`, { csrf_token: csrfOf(res) });
  assertStatus(res, 303);
  assert.equal(val(`SELECT state FROM order_lines WHERE id = ${line}`), 'delivered');
  res = await page.post(`/seller/orders/${line}/deliver`, { csrf_token: csrfOf(await page.get('/seller/orders')) });
  assertStatus(res, 409);
  assert.ok(res.text.includes(esc(t('seller_ops.wrong_state'))));
  assertStatus(await api.api('POST', `/api/v1/order-lines/${line}/return`, { reason: 'size', refund_bank_name: '국민은행',
    refund_account_number: '123456-01-234567', refund_account_holder: '홍길동' }), 200);
  res = await page.get('/seller/orders?state=return_requested');
  assert.ok(res.text.includes(`action="/seller/orders/${line}/return/approve"`));
  res = await page.post(`/seller/orders/${line}/return/reject`, { csrf_token: csrfOf(res), reason: '' });
  assertStatus(res, 422);
  res = await page.post(`/seller/orders/${line}/return/approve`, { csrf_token: csrfOf(await page.get('/seller/orders')) });
  assertStatus(res, 303);
  assert.equal(val(`SELECT state FROM order_lines WHERE id = ${line}`), 'returned');
  flow = { line, otherLine, mine, theirs, order };
});

test('CSV export: an attachment of the brand\'s lines, cells escaped, formulas neutralised', async () => {
  const shopper = await makeShopper();
  const api = await loginApi(shopper);
  const p = makeProduct(brand, { name: `=HYPERLINK("http://evil.example") , "따옴표" ${uniq()}` });
  const memo = '+1 call, "now"\nsecond line';
  sql(`UPDATE users SET name = '@SUM(1)' WHERE id = ${shopper.id};`);
  const placed = await api.api('POST', '/api/v1/orders', { payment_method: 'bank_transfer',
    items: [{ variant_id: p.variants[0].id, quantity: 2 }], recipient_name: '-2+3', delivery_memo: memo },
  { headers: { 'Idempotency-Key': `sellerops-${uniq()}` } });
  assertStatus(placed, 201);
  const line = placed.json.lines[0].id;
  sql(`UPDATE orders SET recipient_name = '-2+3', delivery_memo = ${lit(memo)} WHERE id = ${placed.json.id};`);
  const res = await page.get(`/seller/orders.csv?q=${encodeURIComponent(p.name.slice(0, 10))}`);
  assertStatus(res, 200);
  assert.match(res.headers['content-type'], /^text\/csv/);
  assert.match(res.headers['content-disposition'], /^attachment; filename="order-lines-\d{8}\.csv"$/);
  const body = res.text.replace(/^\uFEFF/, '');
  assert.ok(body.startsWith('line_id,order_number,ordered_at,product,'), body.slice(0, 80));
  assert.ok(body.includes(`${line},${placed.json.merchant_uid},`), 'the line is not in the file');
  assert.ok(body.includes(`"'=HYPERLINK(""http://evil.example"") , ""따옴표"" `), `product not escaped: ${body}`);
  assert.ok(body.includes(`"'-2+3"`), 'recipient not neutralised');
  assert.ok(body.includes(`,${placed.json.shipping.recipient_phone_text},`), 'the phone as people write it (010-…)');
  assert.ok(body.includes(`"'+1 call, ""now""\nsecond line"`), 'memo not escaped');
  assert.ok(!body.includes(flow.theirs.name), 'another brand\'s line exported');
  assert.ok(!/total/i.test(body.split('\r\n')[0]), 'an amount column');
  const foreign = await foreignPage.get(`/seller/orders.csv?q=${encodeURIComponent(p.name.slice(0, 10))}`);
  assert.ok(!foreign.text.includes(String(placed.json.merchant_uid)), 'another brand exports the line');
});

test('questions page: open/answered filter, a secret question readable, answered from the page (the asker\'s mail queued), the answer edited; another brand 404', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const p = makeProduct(brand);
  const q = (await api.api('POST', `/api/v1/products/${p.id}/questions`, { type: 'size', title: `비밀 문의 ${uniq()}`,
    content: '허리 몇 인치?', secret: true })).json;
  let res = await page.get('/seller/questions?answered=0');
  assertStatus(res, 200);
  assert.ok(res.text.includes(`data-question="${q.id}"`) && res.text.includes('허리 몇 인치?'), 'the secret question is not readable');
  res = await foreignPage.get('/seller/questions');
  assert.ok(!res.text.includes(`data-question="${q.id}"`));
  assertStatus(await foreignPage.post(`/seller/questions/${q.id}/answer`, { csrf_token: csrfOf(res), content: '남의 답' }), 404);
  res = await page.post(`/seller/questions/${q.id}/answer`, { csrf_token: csrfOf(await page.get('/seller/questions')), content: '' });
  assertStatus(res, 422);
  assert.equal(num(`SELECT COUNT(*) FROM answers WHERE question_id = ${q.id}`), 0);
  const before = outboxTo(s.email);
  res = await page.post(`/seller/questions/${q.id}/answer`, { csrf_token: csrfOf(await page.get('/seller/questions')), content: '32인치입니다' });
  assertStatus(res, 303);
  assert.equal(res.headers.location, '/seller/questions?saved=1');
  assert.equal(val(`SELECT body FROM answers WHERE question_id = ${q.id}`), '32인치입니다');
  assert.equal(outboxTo(s.email), before + 1, 'the asker\'s mail is not queued');
  res = await page.get('/seller/questions?answered=1');
  assert.ok(res.text.includes(`data-question="${q.id}"`) && res.text.includes('32인치입니다'));
  res = await page.post(`/seller/questions/${q.id}/answer`, { csrf_token: csrfOf(res), content: '수정: 31인치' });
  assertStatus(res, 303);
  assert.equal(val(`SELECT body FROM answers WHERE question_id = ${q.id}`), '수정: 31인치');
  assert.equal(num(`SELECT COUNT(*) FROM answers WHERE question_id = ${q.id}`), 1);
  assert.equal(outboxTo(s.email), before + 1, 'an edited answer queued a second mail');
});

test('branches: add, list, edit, delete on the pages and in the API; duplicates 409, bad input 422, another brand 404; nothing changes on refusal', async () => {
  const count = () => num(`SELECT COUNT(*) FROM branches WHERE brand_id = ${brand.id}`);
  let res = await page.get('/seller/branches');
  assertStatus(res, 200);
  const name = `성수점 ${uniq()}`;
  res = await page.post('/seller/branches', { csrf_token: csrfOf(res), name, address: '서울 성동구 성수이로 1', postal_code: '04780', phone: '02-123-4567' });
  assertStatus(res, 303);
  const id = num(`SELECT id FROM branches WHERE brand_id = ${brand.id} AND name = ${lit(name)}`);
  assert.ok(id > 0);
  res = await page.get('/seller/branches');
  assert.ok(res.text.includes(`data-branch="${id}"`) && res.text.includes(esc(name)));
  const n = count();
  res = await page.post('/seller/branches', { csrf_token: csrfOf(res), name, address: '다른 주소' });
  assertStatus(res, 409);
  res = await page.post('/seller/branches', { csrf_token: csrfOf(res), name: '', address: '' });
  assertStatus(res, 422);
  res = await page.post('/seller/branches', { csrf_token: csrfOf(res), name: 'x', address: 'y', postal_code: '12' });
  assertStatus(res, 422);
  assert.equal(count(), n);
  res = await page.get(`/seller/branches/${id}`);
  assertStatus(res, 200);
  res = await page.post(`/seller/branches/${id}`, { csrf_token: csrfOf(res), name: `${name} 2`, address: '서울 성동구 성수이로 2' });
  assertStatus(res, 303);
  assert.deepEqual(rows(`SELECT name, address, postal_code IS NULL FROM branches WHERE id = ${id}`)[0], [`${name} 2`, '서울 성동구 성수이로 2', '1']);
  // the API
  res = await sellerApi.api('POST', '/api/v1/seller/branches', { name: `API점 ${uniq()}`, address: '부산 해운대구 1' });
  assertStatus(res, 201);
  const apiId = res.json.id;
  assert.equal(res.headers.location, `/api/v1/seller/branches/${apiId}`);
  res = await sellerApi.api('POST', '/api/v1/seller/branches', { name: `${name} 2`, address: '어딘가 다른 곳' });
  assertProblem(res, 409, 'BRANCH_TAKEN');
  assert.equal(res.json.errors, undefined, 'the documented 409 has no field errors');
  assertProblem(await sellerApi.api('PATCH', `/api/v1/seller/branches/${apiId}`, { postal_code: '1234' }), 422, 'VALIDATION_FAILED');
  res = await sellerApi.api('PATCH', `/api/v1/seller/branches/${apiId}`, { phone: '01012345678' });
  assertStatus(res, 200);
  assert.equal(res.json.phone, '01012345678');
  res = await sellerApi.get('/api/v1/seller/branches');
  assert.ok(res.json.items.some((b) => b.id === apiId) && res.json.items.some((b) => b.id === id));
  // another brand: 404 everywhere, nothing changes
  assertProblem(await foreignApi.get(`/api/v1/seller/branches/${id}`), 404, 'NOT_FOUND');
  assertProblem(await foreignApi.api('PATCH', `/api/v1/seller/branches/${id}`, { name: '탈취' }), 404, 'NOT_FOUND');
  assertProblem(await foreignApi.api('DELETE', `/api/v1/seller/branches/${id}`), 404, 'NOT_FOUND');
  assert.ok(!(await foreignApi.get('/api/v1/seller/branches')).json.items.some((b) => b.id === id));
  assertStatus(await foreignPage.get(`/seller/branches/${id}`), 404);
  const fp = await foreignPage.get('/seller/branches');
  assertStatus(await foreignPage.post(`/seller/branches/${id}/delete`, { csrf_token: csrfOf(fp) }), 404);
  assertStatus(await foreignPage.post(`/seller/branches/${id}`, { csrf_token: csrfOf(fp), name: 'x', address: 'y' }), 404);
  assert.equal(val(`SELECT name FROM branches WHERE id = ${id}`), `${name} 2`);
  // delete
  res = await page.post(`/seller/branches/${id}/delete`, { csrf_token: csrfOf(await page.get('/seller/branches')) });
  assertStatus(res, 303);
  assertStatus(await sellerApi.api('DELETE', `/api/v1/seller/branches/${apiId}`), 204);
  assert.equal(num(`SELECT COUNT(*) FROM branches WHERE id IN (${id}, ${apiId})`), 0);
});

test('foreign brand: another brand\'s variant, line and question are 404 on pages and API, and nothing changes', async () => {
  const p = makeProduct(brand, { variants: [{ size: 'M', stock: 4 }] });
  const v = p.variants[0].id;
  assertProblem(await foreignApi.get(`/api/v1/seller/variants/${v}`), 404, 'NOT_FOUND');
  assertProblem(await foreignApi.api('POST', `/api/v1/seller/variants/${v}/stock`, { delta: 5, reason: 'x' }), 404, 'NOT_FOUND');
  assertStatus(await foreignPage.get(`/seller/stock/${v}`), 404);
  const f = await foreignPage.get('/seller/stock');
  assert.ok(!f.text.includes(`data-variant="${v}"`));
  assertStatus(await foreignPage.post(`/seller/stock/${v}`, { csrf_token: csrfOf(f), delta: '5', reason: 'x' }), 404);
  assert.deepEqual([stockOf(v), movements(v)], [4, 0]);
  assertStatus(await foreignPage.post(`/seller/orders/${flow.line}/ship`, { csrf_token: csrfOf(f), courier: 'a', tracking_number: 'b' }), 404);
  const lines = await foreignPage.get('/seller/orders');
  assert.ok(!lines.text.includes(`data-line="${flow.line}"`));
  assertProblem(await foreignApi.get(`/api/v1/seller/order-lines/${flow.line}`), 404, 'NOT_FOUND');
  assertStatus(await page.get('/seller/stock/999999999'), 404);
});

test('dashboard: the figures equal SQL written here; low-stock variants listed; the chart is an SVG without style attributes, with a table', async () => {
  const low = makeProduct(brand, { name: `재고 적음 ${uniq()}`, variants: [{ size: 'XS', stock: 1 }] });
  const res = await page.get('/seller');
  assertStatus(res, 200);
  const figure = (id) => Number((res.text.match(new RegExp(`id="${id}">(\\d+)<`)) || [])[1]);
  const today = "UTC_TIMESTAMP() + INTERVAL 9 HOUR";
  const kstMidnight = `(DATE(${today}) - INTERVAL 9 HOUR)`;
  assert.equal(figure('figure-orders-today'), num(`SELECT COUNT(DISTINCT order_id) FROM order_lines WHERE brand_id = ${brand.id} AND created_at >= ${kstMidnight}`));
  assert.equal(figure('figure-lines-to-ship'), num(`SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE l.brand_id = ${brand.id} AND l.state IN ('ordered', 'preparing') AND o.paid_at IS NOT NULL`));
  assert.equal(figure('figure-open-questions'), num(`SELECT COUNT(*) FROM questions WHERE brand_id = ${brand.id} AND answered_at IS NULL`));
  assert.equal(figure('figure-low-stock'), num(`SELECT COUNT(*) FROM product_variants WHERE brand_id = ${brand.id} AND stock <= 3 AND status = 'active'`));
  assert.ok(figure('figure-orders-today') >= 1, 'the orders of this run are today\'s');
  assert.ok(res.text.includes(`data-variant="${low.variants[0].id}"`), 'a low-stock variant is not listed');
  const svg = (res.text.match(/<svg class="sales-chart"[\s\S]*?<\/svg>/) || [])[0];
  assert.ok(svg, 'no chart');
  assert.ok(!/style=/i.test(svg), 'a style attribute in the chart');
  assert.equal((svg.match(/<rect /g) || []).length, 30, 'thirty bars');
  assert.ok(res.text.includes('id="sales-table"'), 'no table fallback');
  const api = await sellerApi.get('/api/v1/seller/dashboard');
  assertStatus(api, 200);
  const todaySales = num(`SELECT COALESCE(SUM(l.line_total), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE l.brand_id = ${brand.id} AND l.created_at >= ${kstMidnight} AND o.paid_at IS NOT NULL AND l.state NOT IN ('cancelled', 'returned')`);
  assert.equal(api.json.sales.length, 30);
  assert.equal(api.json.sales[29].sales, todaySales, 'today\'s sales');
  assert.equal(api.json.sales[29].date, val(`SELECT DATE(${today})`));
  assert.equal(api.json.orders_today, figure('figure-orders-today'));
  // another brand sees its own figures only
  const other = await foreignApi.get('/api/v1/seller/dashboard');
  assert.equal(other.json.low_stock_total, num(`SELECT COUNT(*) FROM product_variants WHERE brand_id = ${otherBrand.id} AND stock <= 3 AND status = 'active'`));
});

test('line totals: the orders page\'s and the API\'s totals (every state, one state, a search, a page past the end) are SQL\'s count after each write, on every worker (counts kept per worker at the brand\'s line version)', async () => {
  const shopper = await makeShopper();
  const api = await loginApi(shopper);
  const p = makeProduct(brand, { name: `합계 상품 ${uniq()}`, price: 15000, variants: [{ size: 'S' }, { size: 'M' }] });
  const count = (where) => num(`SELECT COUNT(*) FROM order_lines WHERE brand_id = ${brand.id}${where}`);
  const pageTotal = (res) => Number(/class="console-section__meta">[^<0-9]*(\d+) ·/.exec(res.text)?.[1]);
  const check = async (when) => {
    const cases = [[`/seller/orders`, ''], [`/seller/orders?q=${encodeURIComponent(p.name)}`, ` AND product_name = ${lit(p.name)}`],
      [`/seller/orders?page=100`, '']];
    for (const s of ['ordered', 'preparing', 'delivered']) cases.push([`/seller/orders?state=${s}`, ` AND state = '${s}'`]);
    for (let round = 0; round < 8; round++) { // requests in turn reach every worker
      for (const [path, where] of cases) {
        const res = await page.get(path);
        assertStatus(res, 200);
        assert.equal(pageTotal(res), count(where), `${when}: ${path}`);
      }
      for (const s of ['', 'ordered', 'preparing', 'delivered']) {
        const res = await sellerApi.api('GET', `/api/v1/seller/order-lines${s ? `?state=${s}` : ''}`);
        assertStatus(res, 200);
        assert.equal(res.json.total, count(s ? ` AND state = '${s}'` : ''), `${when}: API state ${s}`);
      }
    }
  };
  await check('before');
  const placed = await api.api('POST', '/api/v1/orders', { payment_method: 'bank_transfer',
    items: [{ variant_id: p.variants[0].id, quantity: 1 }, { variant_id: p.variants[1].id, quantity: 1 }] },
  { headers: { 'Idempotency-Key': `sellerops-${uniq()}` } });
  assertStatus(placed, 201);
  await check('two lines placed');
  const [a, b] = placed.json.lines.map((l) => l.id);
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${placed.json.id}/payment`, { amount: placed.json.amounts.total }), 200);
  assertStatus(await sellerApi.api('POST', `/api/v1/seller/order-lines/${a}/prepare`), 200);
  await check('a line preparing');
  sql(`UPDATE order_lines SET state = 'preparing' WHERE id = ${b};`);
  await check('a line prepared by a write outside the shop\'s code');
  sql(`DELETE FROM stock_movements WHERE order_line_id = ${b}; DELETE FROM order_lines WHERE id = ${b};`);
  await check('a line removed');
});

test('cleanup', () => {
  const left = cleanup();
  assert.deepEqual(left, {});
});

run();
