// Checkout under concurrency through the real stack (SPEC §6 "Checkout is one transaction"):
// many buyers at once for a few sizes in stock never oversell; one shopper's checkouts at once
// never spend the same mileage or the same coupon twice; checkouts that lock the same sizes in
// opposite orders all get through (deadlocks retried); and nothing answers 5xx.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   node tests/integration/concurrency.test.mjs
//
// The buyers are made as root with bearer sessions of their own (signing 100 people up through
// Argon2 would only measure Argon2); their e-mails are at the shop fixture's domain, so
// shop.mjs's cleanup() removes them with everything else this run made.
import crypto from 'node:crypto';
import { test, run, assert } from '../lib/tap.mjs';
import { Client, sql, val, num, rows, lit, uniq, bailUnlessSet, holdLock } from './client.mjs';
import { describe } from './http.mjs';
import { SHOP_DOMAIN, made, makeBrand, makeProduct, makeCoupon, cleanup } from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', process.env.LONUA_DB_ROOT_SOCKET,
  "the private MariaDB's socket, to make buyers and read rows as root"]]);

// An active shopper made as root, with a bearer token of its own: a client that calls the API.
function buyer({ mileage = 0 } = {}) {
  const email = `conc-${uniq()}@${SHOP_DOMAIN}`;
  const phone = `010${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
  const id = Number(val(`INSERT INTO users (role, status, email, email_verified_at, password_hash, name, phone,
      postal_code, address, grade_id, mileage_balance)
    VALUES ('shopper', 'active', ${lit(email)}, UTC_TIMESTAMP(), 'not-a-hash', '동시 구매자', '${phone}', '04524',
      '서울특별시 중구 세종대로 110', 1, ${mileage});
    SELECT LAST_INSERT_ID();`));
  made.users.add(id);
  const raw = crypto.randomBytes(32);
  const hash = crypto.createHash('sha256').update(raw).digest('hex');
  sql(`INSERT INTO sessions (token_hash, kind, user_id, csrf_secret, expires_at)
    VALUES (UNHEX('${hash}'), 'bearer', ${id}, UNHEX('${crypto.randomBytes(32).toString('hex')}'),
      UTC_TIMESTAMP() + INTERVAL 1 DAY);`);
  return { id, email, mileageSeed: mileage, api: new Client({ bearer: raw.toString('base64url') }) };
}

// POST /api/v1/orders with a fresh Idempotency-Key.
function order(b, body) {
  return b.api.api('POST', '/api/v1/orders', { payment_method: 'bank_transfer', ...body },
    { headers: { 'Idempotency-Key': `conc-${uniq()}` } });
}

const stockOf = (variantId) => num(`SELECT stock FROM product_variants WHERE id = ${variantId}`);
const soldOf = (variantId) => num(`SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l
  WHERE l.variant_id = ${variantId} AND l.state NOT IN ('cancelled', 'returned')`);
const statuses = (answers) => answers.reduce((m, r) => ({ ...m, [r.status]: (m[r.status] || 0) + 1 }), {});
function assertNo5xx(answers, what) {
  const bad = answers.filter((r) => r.status >= 500);
  assert.equal(bad.length, 0, `${what}: ${bad.length} answers 5xx, e.g. ${bad[0] ? describe(bad[0]) : ''}`);
}

test('100 buyers at once for a size with 10 in stock: exactly 10 sold, the rest 409 OUT_OF_STOCK, never below zero', async () => {
  const brand = makeBrand({ fee: 0 });
  const p = makeProduct(brand, { price: 10000, variants: [{ size: 'M', stock: 10 }] });
  const v = p.variants[0].id;
  const buyers = Array.from({ length: 100 }, () => buyer());
  const answers = await Promise.all(buyers.map((b) => order(b, { items: [{ variant_id: v, quantity: 1 }] })));
  assertNo5xx(answers, '100 buyers');
  const by = statuses(answers);
  assert.equal(by[201], 10, `exactly 10 orders placed: ${JSON.stringify(by)}`);
  assert.equal(by[409], 90, `the other 90 are 409: ${JSON.stringify(by)}`);
  for (const r of answers.filter((a) => a.status === 409))
    assert.equal(r.json?.code, 'OUT_OF_STOCK', `a refusal says why: ${describe(r)}`);
  assert.equal(stockOf(v), 0, 'the stock ends at zero');
  assert.equal(stockOf(v) + soldOf(v), 10, 'stock plus units sold is the stock there was');
  assert.equal(num(`SELECT COALESCE(SUM(delta), 0) FROM stock_movements WHERE variant_id = ${v}`), -10,
    'the stock history holds the ten sales');
});

test('two sizes bought by 40 buyers at once, half taking them in the opposite order: all placed, none 5xx', async () => {
  const brand = makeBrand({ fee: 0 });
  const p = makeProduct(brand, { price: 12000, variants: [{ size: 'S', stock: 100 }, { size: 'L', stock: 100 }] });
  const [a, b] = p.variants.map((x) => x.id);
  const buyers = Array.from({ length: 40 }, () => buyer());
  const answers = await Promise.all(buyers.map((x, i) => order(x, {
    items: i % 2 ? [{ variant_id: a, quantity: 1 }, { variant_id: b, quantity: 1 }]
      : [{ variant_id: b, quantity: 1 }, { variant_id: a, quantity: 1 }],
  })));
  assertNo5xx(answers, '40 buyers');
  assert.equal(statuses(answers)[201], 40, `all 40 placed: ${JSON.stringify(statuses(answers))}`);
  assert.equal(stockOf(a), 60, 'S: 40 taken');
  assert.equal(stockOf(b), 60, 'L: 40 taken');
});

test('20 checkouts at once by one shopper spending the same mileage: one spends it, the balance never goes negative', async () => {
  const brand = makeBrand({ fee: 0 });
  const p = makeProduct(brand, { price: 20000, variants: [{ size: 'M', stock: 100 }] });
  const b = buyer({ mileage: 5000 });
  const answers = await Promise.all(Array.from({ length: 20 }, () =>
    order(b, { items: [{ variant_id: p.variants[0].id, quantity: 1 }], mileage: 5000 })));
  assertNo5xx(answers, '20 checkouts');
  const by = statuses(answers);
  assert.equal(by[201], 1, `one checkout spends it: ${JSON.stringify(by)}`);
  for (const r of answers.filter((a) => a.status !== 201))
    assert.ok(r.status === 422 && r.json?.code === 'MILEAGE_OVER_BALANCE', `the others: ${describe(r)}`);
  const balance = num(`SELECT mileage_balance FROM users WHERE id = ${b.id}`);
  const ledger = num(`SELECT COALESCE(SUM(amount), 0) FROM mileage_entries WHERE user_id = ${b.id}`);
  assert.equal(balance, 0, 'the balance is spent once');
  assert.equal(balance, b.mileageSeed + ledger, 'the balance is the seed plus the ledger');
  assert.equal(num(`SELECT COUNT(*) FROM mileage_entries WHERE user_id = ${b.id} AND balance_after < 0`), 0,
    'no ledger row below zero');
});

test('one coupon in two checkouts at once: it is used once, the other checkout is refused and places nothing', async () => {
  const brand = makeBrand({ fee: 0 });
  const p = makeProduct(brand, { price: 30000, variants: [{ size: 'M', stock: 100 }] });
  const b = buyer();
  const coupon = makeCoupon(b.id, { percent: 10 });
  const answers = await Promise.all([0, 1].map(() =>
    order(b, { items: [{ variant_id: p.variants[0].id, quantity: 1, coupon_id: coupon.id }] })));
  assertNo5xx(answers, 'two checkouts');
  const placed = answers.filter((r) => r.status === 201);
  assert.equal(placed.length, 1, `one placed: ${answers.map(describe).join(' | ')}`);
  const other = answers.find((r) => r.status !== 201);
  assert.ok([409, 422].includes(other.status) && other.json?.code === 'COUPON_UNUSABLE', `the other: ${describe(other)}`);
  assert.equal(placed[0].json.amounts.coupon_discount, 3000, 'the coupon took 10 %');
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${coupon.id}`), 'used', 'the coupon is used');
  assert.equal(num(`SELECT COUNT(*) FROM order_lines WHERE coupon_id = ${coupon.id}`), 1, 'on one order line');
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${b.id}`), 1, 'one order in all');
});

test('a checkout locks its buyer, not the grade: it is placed while another transaction shares the grade\'s row', async () => {
  const brand = makeBrand({ fee: 0 });
  const p = makeProduct(brand, { price: 15000, variants: [{ size: 'M', stock: 5 }] });
  const b = buyer({ mileage: 1000 });
  const grade = num(`SELECT grade_id FROM users WHERE id = ${b.id}`);
  // A shared lock, as every other checkout of the grade takes for the order's foreign key: were
  // the grade read with the buyer's row lock (exclusive), the checkout would wait for this one
  // until its statement timeout and answer 503.
  const lock = await holdLock(`SELECT id FROM grades WHERE id = ${grade} LOCK IN SHARE MODE`);
  let r;
  try {
    r = await order(b, { items: [{ variant_id: p.variants[0].id, quantity: 1 }], mileage: 1000 });
  } finally {
    lock.release();
  }
  assert.equal(r.status, 201, `placed while the grade's row is locked: ${describe(r)}`);
  assert.equal(r.json?.amounts?.mileage_used, 1000, `the balance read with the lock is spent: ${describe(r)}`);
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${b.id}`), 0, 'the balance is spent');
});

test('every order of this run adds up: lines and shipping make the total, shares make the order amounts', () => {
  const ids = rows(`SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id
    WHERE u.email LIKE 'conc-%@${SHOP_DOMAIN}'`).map((r) => Number(r[0]));
  assert.ok(ids.length >= 52, `the run's orders (${ids.length})`);
  const wrong = rows(`SELECT o.id FROM orders o
    JOIN (SELECT order_id, SUM(line_total) t, SUM(subtotal) s, SUM(coupon_discount) c, SUM(grade_discount) g,
      SUM(mileage_share) m FROM order_lines GROUP BY order_id) l ON l.order_id = o.id
    JOIN (SELECT order_id, SUM(shipping_fee) f FROM order_shipping_charges GROUP BY order_id) s ON s.order_id = o.id
    WHERE o.id IN (${ids.join(',')}) AND (l.t + s.f <> o.total_amount OR l.s <> o.items_amount
      OR l.c <> o.coupon_discount_amount OR l.g <> o.grade_discount_amount OR l.m <> o.mileage_used
      OR s.f <> o.shipping_amount)`);
  assert.deepEqual(wrong, [], 'orders whose lines or shipping do not add up');
});

test('cleanup: everything this run made is removed', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
