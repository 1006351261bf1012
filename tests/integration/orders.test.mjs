// Checkout and the life of an order through the real stack (nginx → lonua workers → MariaDB, with
// `lonua jobs` delivering mail): the money rules of docs/money.md on real orders, the checkout page
// without JavaScript, the API's idempotency, refused baskets that change nothing, bank transfers,
// fulfilment by the brand, cancel, confirm, return and refunds, and the popularity counters.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_RUN_DIR=/path/to/run node tests/integration/orders.test.mjs
//
// (the stack as ci/test's start_stack runs it: the Portone fake configured, LONUA_TEST_ROUTES=1,
// LONUA_STRICT=1, mails written to LONUA_RUN_DIR/mail by `lonua jobs`).
//
// The expected amounts come from an independent JS implementation of the money rules (priceBasket
// below), first checked against every worked basket of docs/money.md, never from the server's
// answers. Brands, products and coupons are made as root, shoppers and sellers sign up through the
// API, admins are shoppers made admins as root (shop.mjs); every name carries this run's suffix and
// the last test removes all of it. After every test the invariants over this run's orders are
// checked (invariants()): the amounts add up, the mileage ledger adds up to the balances, stock plus
// units sold is the initial stock, and no order or line ever disappears.
import fs from 'node:fs';
import path from 'node:path';
import { test, run, assert } from '../lib/tap.mjs';
import { describe, assertStatus, assertProblem, sleep, workerRestarts } from './http.mjs';
import {
  SRC, SOCKET, RUN_DIR, bailUnlessSet, Client, csrfOf, sql, rows, one, val, num, lit, idList, uniq, assertRedirect,
  formMessage, esc, t, mailsTo, location,
} from './client.mjs';
import {
  SHOP_DOMAIN, made, makeBrand, makeProduct, makeShopper, makeCoupon, makeSeller, loginSeller, makeAdmin,
  makePendingShopper, loginPage, loginApi, guest, cartIdOf, cartLines, cleanup, categoryIds,
} from './shop.mjs';

bailUnlessSet([
  ['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"],
  ['LONUA_RUN_DIR', RUN_DIR, 'the run folder, whose mail/ holds the mails `lonua jobs` writes'],
]);

// ---- the money rules, independently (docs/money.md) -------------------------------------------------------

// A basket: { title, grade: { discount, mileage }, mileage, balance, brands: Map(id → { fee, free
// (null: none), ret }), lines: [{ brand, category, price, qty, coupon: null | { id, percent, amount,
// min, category (0: any) } }] }. Returns { error, line } or { lines: [{ subtotal, coupon, grade,
// discounted, mileage, paid, earned, changeOfMind, defective }], brands: Map(id → { lines, fee }),
// order: { items, coupon, grade, discounted, mileage, shipping, total } }, in whole won (BigInt
// inside: M × discounted can pass 2^53).
function priceBasket(b) {
  if (b.lines.length === 0) return { error: 'EMPTY' };
  const B = BigInt, min = (x, y) => (x < y ? x : y);
  const out = [], perBrand = new Map();
  let items = 0n, coupon = 0n, grade = 0n, D = 0n;
  for (const [i, l] of b.lines.entries()) {
    const subtotal = B(l.price) * B(l.qty);
    let cd = 0n;
    if (l.coupon) {
      if (b.lines.slice(0, i).some((e) => e.coupon && e.coupon.id === l.coupon.id)) return { error: 'COUPON_TWICE', line: i + 1 };
      if (subtotal < B(l.coupon.min)) return { error: 'COUPON_BELOW_MINIMUM', line: i + 1 };
      if (l.coupon.category && l.coupon.category !== l.category) return { error: 'COUPON_CATEGORY', line: i + 1 };
      cd = l.coupon.percent !== null ? subtotal * B(l.coupon.percent) / 100n : min(B(l.coupon.amount), subtotal);
    }
    const gd = (subtotal - cd) * B(b.grade.discount) / 100n;
    const discounted = subtotal - cd - gd;
    out.push({ subtotal, coupon: cd, grade: gd, discounted });
    perBrand.set(l.brand, (perBrand.get(l.brand) ?? 0n) + discounted);
    items += subtotal;
    coupon += cd;
    grade += gd;
    D += discounted;
  }
  const brands = new Map();
  let shipping = 0n;
  for (const [id, amount] of perBrand) {
    const br = b.brands.get(id);
    const fee = br.free !== null && amount >= B(br.free) ? 0n : B(br.fee);
    brands.set(id, { lines: amount, fee });
    shipping += fee;
  }
  const M = B(b.mileage);
  if (M > B(b.balance)) return { error: 'MILEAGE_OVER_BALANCE' };
  if (M > D) return { error: 'MILEAGE_OVER_ITEMS' };
  let rest = M;
  for (const l of out) {
    l.mileage = D === 0n ? 0n : M * l.discounted / D;
    rest -= l.mileage;
  }
  for (let i = out.length - 1; i >= 0 && rest > 0n; i--) {
    const take = min(out[i].discounted - out[i].mileage, rest);
    out[i].mileage += take;
    rest -= take;
  }
  for (const [i, l] of out.entries()) {
    l.paid = l.discounted - l.mileage;
    l.earned = l.paid * B(b.grade.mileage) / 100n;
    const cost = B(b.brands.get(b.lines[i].brand).ret);
    l.changeOfMind = l.paid > cost ? l.paid - cost : 0n;
    l.defective = l.paid;
  }
  const n = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));
  return {
    lines: out.map(n),
    brands: new Map([...brands].map(([id, x]) => [id, n(x)])),
    order: n({ items, coupon, grade, discounted: D, mileage: M, shipping, total: D - M + shipping }),
  };
}

// The `basket` blocks of docs/money.md with their inputs and expectations.
function parseBaskets(md) {
  const list = [];
  for (const m of md.matchAll(/```basket\n([\s\S]*?)```/g)) {
    const b = { title: '', grade: null, mileage: 0, balance: 0, brands: new Map(), lines: [],
      expect: { lines: new Map(), brands: new Map(), order: null, refunds: new Map(), error: null } };
    for (const raw of m[1].split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith('#')) { b.title = line.slice(1).trim(); continue; }
      const w = line.split(' ');
      const pairs = (from) => {
        const o = {};
        for (let i = from; i + 1 < w.length; i += 2) o[w[i]] = Number(w[i + 1]);
        return o;
      };
      if (w[0] === '=>') {
        if (w[1] === 'line') b.expect.lines.set(Number(w[2]), pairs(3));
        else if (w[1] === 'brand') b.expect.brands.set(Number(w[2]), pairs(3));
        else if (w[1] === 'order') b.expect.order = pairs(2);
        else if (w[1] === 'refund') b.expect.refunds.set(Number(w[3]), pairs(4));
        else if (w[1] === 'error') b.expect.error = { code: w[2], line: w[3] === 'line' ? Number(w[4]) : undefined };
        else throw new Error(`unknown expectation in docs/money.md: ${line}`);
        continue;
      }
      switch (w[0]) {
        case 'grade': b.grade = { discount: Number(w[1]), mileage: Number(w[2]) }; break;
        case 'mileage': b.mileage = Number(w[1]); b.balance = Number(w[3]); break;
        case 'brand': b.brands.set(Number(w[1]), { fee: Number(w[3]), free: w[5] === 'none' ? null : Number(w[5]), ret: Number(w[7]) }); break;
        case 'line': {
          const l = { brand: Number(w[3]), category: Number(w[5]), price: Number(w[7]), qty: Number(w[9]), coupon: null };
          if (w[10] === 'coupon') {
            l.coupon = { id: Number(w[11]), percent: w[12] === 'percent' ? Number(w[13]) : null,
              amount: w[12] === 'amount' ? Number(w[13]) : null, min: Number(w[15]), category: w[16] === 'category' ? Number(w[17]) : 0 };
          }
          b.lines.push(l);
          break;
        }
        default: throw new Error(`unknown directive in docs/money.md: ${line}`);
      }
    }
    list.push(b);
  }
  return list;
}

const BASKETS = parseBaskets(fs.readFileSync(path.join(SRC, 'docs/money.md'), 'utf8'));
const basketNamed = (id) => {
  const b = BASKETS.find((x) => x.title.startsWith(`${id} `));
  assert.ok(b, `no basket ${id} in docs/money.md`);
  return b;
};

// ---- what this run made, for the invariants --------------------------------------------------------------

const seeds = new Map(); //        user id → mileage balance set as root (no ledger row behind it)
const initialStock = new Map(); // variant id → stock when made
const knownOrders = new Map(); //  order id → number of lines when placed (orders are never deleted)

async function shopper(opts = {}) {
  const s = await makeShopper(opts);
  seeds.set(s.id, s.mileageSeed);
  return s;
}
function product(brand, opts) {
  const p = makeProduct(brand, opts);
  for (const v of p.variants) initialStock.set(v.id, v.stock);
  return p;
}
function remember(orderId) {
  const n = num(`SELECT COUNT(*) FROM order_lines WHERE order_id = ${Number(orderId)}`);
  assert.ok(n > 0, `order ${orderId} has no lines`);
  knownOrders.set(Number(orderId), n);
  made.orders.add(Number(orderId));
  return Number(orderId);
}

// The invariants over this run's orders, users and variants (SPEC §6, docs/money.md "Where the
// amounts are stored"); each failure names the row.
function invariants() {
  const users = idList(seeds.keys());
  const orders = rows(`SELECT o.id, o.items_amount, o.coupon_discount_amount, o.grade_discount_amount, o.mileage_used,
      o.shipping_amount, o.total_amount, o.refunded_amount, l.n, l.sub, l.cd, l.gd, l.ms, l.lt, s.fees,
      (SELECT COALESCE(SUM(amount), 0) FROM refunds r WHERE r.order_id = o.id AND r.state = 'done')
    FROM orders o
    JOIN (SELECT order_id, COUNT(*) n, SUM(subtotal) sub, SUM(coupon_discount) cd, SUM(grade_discount) gd,
      SUM(mileage_share) ms, SUM(line_total) lt FROM order_lines GROUP BY order_id) l ON l.order_id = o.id
    JOIN (SELECT order_id, SUM(shipping_fee) fees FROM order_shipping_charges GROUP BY order_id) s ON s.order_id = o.id
    WHERE o.user_id IN (${users}) ORDER BY o.id`).map((r) => r.map(Number));
  const seen = new Set();
  for (const [id, items, cd, gd, mu, ship, total, refunded, n, sub, lcd, lgd, lms, lt, fees, done] of orders) {
    seen.add(id);
    assert.equal(lt + fees, total, `order ${id}: Σ line_total ${lt} + Σ shipping fees ${fees} ≠ total_amount ${total}`);
    assert.deepEqual([items, cd, gd, mu, ship], [sub, lcd, lgd, lms, fees],
      `order ${id}: amounts [items, coupon, grade, mileage, shipping] ≠ the sums of its lines and shipping rows`);
    assert.equal(refunded, done, `order ${id}: refunded_amount ${refunded} ≠ Σ refunds done ${done}`);
    if (knownOrders.has(id)) assert.equal(n, knownOrders.get(id), `order ${id} lost lines`);
  }
  for (const id of knownOrders.keys()) assert.ok(seen.has(id), `order ${id} is gone (orders keep their history)`);
  for (const [id, balance, sum] of rows(`SELECT u.id, u.mileage_balance, COALESCE(SUM(e.amount), 0) FROM users u
      LEFT JOIN mileage_entries e ON e.user_id = u.id WHERE u.id IN (${users}) GROUP BY u.id`).map((r) => r.map(Number))) {
    assert.equal(balance, sum + seeds.get(id),
      `user ${id}: mileage_balance ${balance} ≠ Σ mileage_entries ${sum} + seeded ${seeds.get(id)}`);
  }
  const variants = idList(initialStock.keys());
  for (const [id, stock, sold, moved] of rows(`SELECT v.id, v.stock,
      (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.variant_id = v.id AND l.state NOT IN ('cancelled', 'returned')),
      (SELECT COALESCE(SUM(m.delta), 0) FROM stock_movements m WHERE m.variant_id = v.id)
    FROM product_variants v WHERE v.id IN (${variants})`).map((r) => r.map(Number))) {
    assert.equal(stock + sold, initialStock.get(id), `variant ${id}: stock ${stock} + units sold ${sold} ≠ initial ${initialStock.get(id)}`);
    assert.equal(moved, stock - initialStock.get(id), `variant ${id}: Σ stock_movements ${moved} ≠ stock change ${stock - initialStock.get(id)}`);
  }
}

// A test whose end checks the invariants.
function check(name, fn) {
  test(name, async () => {
    await fn();
    invariants();
  });
}

// Everything a refused request must leave as it was: this run's orders, lines, stock, coupons,
// mileage, ledger, stock history, refunds, carts and queued mail.
function world() {
  const users = idList(seeds.keys()), variants = idList(initialStock.keys());
  const flat = (q) => rows(q).map((r) => r.join(' '));
  return {
    orders: flat(`SELECT id, payment_state, refunded_amount, paid_at, COALESCE(refund_account_number, '-') FROM orders
      WHERE user_id IN (${users}) ORDER BY id`),
    lines: flat(`SELECT l.id, l.state FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.user_id IN (${users}) ORDER BY l.id`),
    stock: flat(`SELECT id, stock FROM product_variants WHERE id IN (${variants}) ORDER BY id`),
    coupons: flat(`SELECT id, state, COALESCE(used_at, '-') FROM coupons WHERE user_id IN (${users}) ORDER BY id`),
    mileage: flat(`SELECT id, mileage_balance FROM users WHERE id IN (${users}) ORDER BY id`),
    entries: num(`SELECT COUNT(*) FROM mileage_entries WHERE user_id IN (${users})`),
    movements: num(`SELECT COUNT(*) FROM stock_movements WHERE variant_id IN (${variants})`),
    refunds: num(`SELECT COUNT(*) FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.user_id IN (${users})`),
    carts: flat(`SELECT l.cart_id, l.variant_id, l.quantity, COALESCE(l.coupon_id, 0) FROM cart_lines l
      JOIN carts c ON c.id = l.cart_id WHERE c.user_id IN (${users}) ORDER BY l.id`),
    outbox: num(`SELECT COUNT(*) FROM outbox WHERE JSON_VALUE(payload, '$.to') LIKE '%@${SHOP_DOMAIN}'`),
  };
}
function assertUnchanged(before, what) {
  assert.deepEqual(world(), before, `${what} changed something`);
}

// ---- requests ---------------------------------------------------------------------------------------------

const newKey = () => `ord-${uniq()}`;
// Where a paid bank transfer's refund goes (cancel and return of such an order ask for it).
const ACCOUNT = { refund_bank_name: '국민은행', refund_account_number: '123456-01-234567', refund_account_holder: '홍길동' };
const accountOf = (table, where) => one(`SELECT refund_bank_name, refund_account_number, refund_account_holder FROM ${table} WHERE ${where}`);
const placeRaw = (api, body, key = newKey()) => api.api('POST', '/api/v1/orders', body, { headers: { 'Idempotency-Key': key } });
// POST /api/v1/orders that must succeed: the order JSON (remembered for the invariants).
async function place(api, body, key) {
  const res = await placeRaw(api, body, key);
  assert.equal(res.status, 201, `POST /api/v1/orders: ${describe(res)}`);
  remember(res.json.id);
  return res.json;
}
// How long an order may stay unpaid (the server's defaults unless the stack sets them).
const TRANSFER_HOURS = Number(process.env.LONUA_BANK_TRANSFER_HOURS || 72);
const GATEWAY_MINUTES = Number(process.env.LONUA_GATEWAY_PAYMENT_MINUTES || 30);
const won = (n) => `₩${Number(n).toLocaleString('en-US')}`;
const unesc = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&amp;/g, '&');
// The fields a browser without script would send with the POST form to `action`: inputs with
// their values, the checked radios.
function formFields(html, action) {
  const m = html.match(new RegExp(`<form[^>]*action="${action.replace(/[?]/g, '\\?')}"[^>]*method="post"[^>]*>([\\s\\S]*?)</form>`));
  assert.ok(m, `no POST form to ${action} in the page`);
  const fields = {};
  for (const tag of m[1].match(/<(input|select)\b[^>]*>/g) || []) {
    const attr = (n) => {
      const a = tag.match(new RegExp(`\\s${n}="([^"]*)"`));
      return a ? unesc(a[1]) : undefined;
    };
    const name = attr('name');
    if (!name) continue;
    const type = attr('type') || 'text';
    if (type === 'radio' || type === 'checkbox') {
      if (/\schecked(\s|>|$)/.test(tag)) fields[name] = attr('value');
      continue;
    }
    if (tag.startsWith('<select')) continue;
    fields[name] = attr('value') ?? '';
  }
  return fields;
}
const hasForm = (html, action) => new RegExp(`<form[^>]*action="${action}"[^>]*method="post"`).test(html);
// The text of a page's <main> with the tags taken out and blanks folded.
const mainText = (res) => unesc((res.text.match(/<main[\s\S]*<\/main>/) || [''])[0].replace(/<[^>]+>/g, ' ')
  .replace(/\s+/g, ' '));

// Adds a size to the cart by the product page's form, as a browser without script does.
async function addByPage(c, p, variant, quantity) {
  const page = await c.get(`/products/${p.id}`);
  assertStatus(page, 200);
  const res = await c.post(`/products/${p.id}/cart`, { variant_id: String(variant.id), quantity: String(quantity),
    csrf_token: csrfOf(page) });
  assertRedirect(res, '/cart?added=1');
}

// The mail to `to` that pred picks, waited for (lonua jobs writes it within a second or two).
async function waitMail(to, pred, what, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    const m = mailsTo(to).find(pred);
    if (m) return m;
    if (Date.now() > until) {
      assert.fail(`no ${what} mail to ${to} after ${timeout} ms; mails: ${mailsTo(to).map((x) => x.subject).join(' | ') || 'none'}`);
    }
    await sleep(100);
  }
}

// The grade row whose percents are these (reference data: Bronze 0/1, Silver 1/1, Gold 3/2, Platinum 5/3).
function gradeWith({ discount, mileage }) {
  const r = rows('SELECT id, discount_percent, mileage_percent FROM grades').map((x) => x.map(Number))
    .find(([, d, m]) => d === discount && m === mileage);
  assert.ok(r, `no grade with ${discount} % / ${mileage} % in the grades table`);
  return { id: r[0], discount, mileage };
}

// A basket of docs/money.md made real: its brands (fees, thresholds, return costs), a product per
// line (price, category), a shopper of its grade with its mileage balance (seeded), its coupons.
// Returns the real basket (real ids, for priceBasket), the shopper and the items to send.
async function realize(b) {
  const cats = categoryIds();
  const cat = (n) => {
    assert.ok(cats[n - 1], `no category #${n} in the reference data`);
    return cats[n - 1];
  };
  const brands = new Map([...b.brands].map(([id, br]) => [id, makeBrand({ fee: br.fee, freeThreshold: br.free, returnCost: br.ret })]));
  const g = gradeWith(b.grade);
  const s = await shopper({ grade: g.id, mileage: b.balance });
  const coupons = new Map();
  const lines = b.lines.map((l) => {
    const brand = brands.get(l.brand);
    const p = product(brand, { price: l.price, category: cat(l.category), variants: [{ size: 'M', stock: l.qty + 3 }] });
    let coupon = null;
    if (l.coupon) {
      coupon = coupons.get(l.coupon.id) ?? makeCoupon(s, { percent: l.coupon.percent, amount: l.coupon.amount,
        min: l.coupon.min, category: l.coupon.category ? cat(l.coupon.category) : null });
      coupons.set(l.coupon.id, coupon);
    }
    return { brand, product: p, variant: p.variants[0], qty: l.qty, price: l.price, category: cat(l.category), coupon,
      couponRule: l.coupon };
  });
  const real = {
    title: b.title, grade: g, mileage: b.mileage, balance: b.balance,
    brands: new Map([...brands.values()].map((br) => [br.id, { fee: br.fee, free: br.freeThreshold, ret: br.returnCost }])),
    lines: lines.map((l) => ({ brand: l.brand.id, category: l.category, price: l.price, qty: l.qty,
      coupon: l.coupon ? { id: l.coupon.id, percent: l.couponRule.percent, amount: l.couponRule.amount, min: l.couponRule.min,
        category: l.couponRule.category ? cat(l.couponRule.category) : 0 } : null })),
  };
  const items = lines.map((l) => ({ variant_id: l.variant.id, quantity: l.qty, ...(l.coupon ? { coupon_id: l.coupon.id } : {}) }));
  return { real, s, lines, items, coupons: [...coupons.values()] };
}

// Checks the stored order against the expectation exp of priceBasket(real): the order's amounts and
// percents, each line's shares in basket order, each brand's shipping row, the ledger's spend and
// the coupons used.
function assertStored(orderId, real, lines, exp, what) {
  const o = one(`SELECT items_amount, coupon_discount_amount, grade_discount_amount, mileage_used, shipping_amount,
    total_amount, grade_discount_percent, mileage_percent FROM orders WHERE id = ${orderId}`).map(Number);
  assert.deepEqual(o, [exp.order.items, exp.order.coupon, exp.order.grade, exp.order.mileage, exp.order.shipping,
    exp.order.total, real.grade.discount, real.grade.mileage],
  `${what}: orders [items, coupon, grade, mileage, shipping, total, grade %, mileage %]`);
  const got = rows(`SELECT variant_id, brand_id, quantity, unit_price, subtotal, COALESCE(coupon_id, 0), coupon_discount,
    grade_discount, mileage_share, line_total, return_shipping_cost, state FROM order_lines WHERE order_id = ${orderId} ORDER BY id`)
    .map((r) => [...r.slice(0, 11).map(Number), r[11]]);
  const want = lines.map((l, i) => [l.variant.id, l.brand.id, l.qty, l.price, exp.lines[i].subtotal, l.coupon ? l.coupon.id : 0,
    exp.lines[i].coupon, exp.lines[i].grade, exp.lines[i].mileage, exp.lines[i].paid, l.brand.returnCost, 'ordered']);
  assert.deepEqual(got, want,
    `${what}: order_lines [variant, brand, qty, unit price, subtotal, coupon id, coupon, grade, mileage share, line_total, return cost, state]`);
  const ship = rows(`SELECT brand_id, lines_amount, brand_shipping_fee, COALESCE(free_shipping_threshold, -1), shipping_fee
    FROM order_shipping_charges WHERE order_id = ${orderId} ORDER BY brand_id`).map((r) => r.map(Number));
  const shipWant = [...exp.brands].sort((a, b) => a[0] - b[0]).map(([id, x]) => [id, x.lines, real.brands.get(id).fee,
    real.brands.get(id).free ?? -1, x.fee]);
  assert.deepEqual(ship, shipWant, `${what}: order_shipping_charges [brand, lines, brand fee, threshold, fee]`);
  const spent = rows(`SELECT kind, amount FROM mileage_entries WHERE order_id = ${orderId} ORDER BY id`).map((r) => `${r[0]} ${r[1]}`);
  assert.deepEqual(spent, exp.order.mileage > 0 ? [`spent ${-exp.order.mileage}`] : [], `${what}: the ledger's entries for the order`);
  for (const c of new Set(lines.map((l) => l.coupon).filter(Boolean))) {
    assert.equal(val(`SELECT state FROM coupons WHERE id = ${c.id}`), 'used', `${what}: coupon ${c.id} is not used`);
  }
}

// ---- shared fixtures ----------------------------------------------------------------------------------------

let admin, adminApi, restartsBefore;

check('fixtures: an admin made as root answers the admin API; docs/money.md has its worked baskets', async () => {
  restartsBefore = await workerRestarts();
  admin = await makeAdmin();
  seeds.set(admin.id, 0);
  adminApi = await loginApi(admin);
  const res = await adminApi.get('/api/v1/admin/refunds?state=pending&per_page=1');
  assertStatus(res, 200);
  assert.ok(BASKETS.length >= 30, `only ${BASKETS.length} baskets read from docs/money.md`);
});

// ---- 1. money through the real checkout -------------------------------------------------------------------------

test('the JS money rules of this suite reproduce every worked basket of docs/money.md (lines, brands, order, refunds, errors)', () => {
  for (const b of BASKETS) {
    const got = priceBasket(b);
    if (b.expect.error) {
      assert.deepEqual([got.error, got.line], [b.expect.error.code, b.expect.error.line], `${b.title}: error`);
      continue;
    }
    assert.equal(got.error, undefined, `${b.title}: refused with ${got.error}`);
    for (const [n, e] of b.expect.lines) {
      const l = got.lines[n - 1];
      assert.deepEqual({ subtotal: l.subtotal, coupon: l.coupon, grade: l.grade, discounted: l.discounted, mileage: l.mileage,
        paid: l.paid, earned: l.earned }, e, `${b.title}: line ${n}`);
    }
    for (const [id, e] of b.expect.brands) assert.deepEqual(got.brands.get(id), e, `${b.title}: brand ${id}`);
    assert.deepEqual(got.order, b.expect.order, `${b.title}: order`);
    for (const [n, e] of b.expect.refunds) {
      assert.deepEqual({ change_of_mind: got.lines[n - 1].changeOfMind, defective: got.lines[n - 1].defective }, e,
        `${b.title}: refund of line ${n}`);
    }
  }
});

// Every basket the rules accept, placed through POST /api/v1/orders with the total the rules give.
for (const b of BASKETS.filter((x) => !x.expect.error)) {
  check(`money: ${b.title} — placed by the API, the order, every line's shares and each brand's shipping row are the rules' numbers`, async () => {
    const { real, s, lines, items } = await realize(b);
    const exp = priceBasket(real);
    assert.equal(exp.error, undefined, `${b.title}: the rules refuse the real basket (${exp.error})`);
    const api = await loginApi(s);
    const order = await place(api, { items, mileage: b.mileage, payment_method: 'bank_transfer', expected_total: exp.order.total });
    assert.deepEqual([order.payment_method, order.payment_state], ['bank_transfer', 'awaiting_payment']);
    const a = order.amounts;
    assert.deepEqual([a.items, a.coupon_discount, a.grade_discount, a.mileage_used, a.shipping, a.total],
      [exp.order.items, exp.order.coupon, exp.order.grade, exp.order.mileage, exp.order.shipping, exp.order.total], `${b.title}: the answer's amounts`);
    assert.deepEqual(order.lines.map((l) => [l.variant_id, l.subtotal, l.coupon_discount, l.grade_discount, l.mileage_share, l.line_total]),
      lines.map((l, i) => [l.variant.id, exp.lines[i].subtotal, exp.lines[i].coupon, exp.lines[i].grade, exp.lines[i].mileage, exp.lines[i].paid]),
      `${b.title}: the answer's lines`);
    assertStored(order.id, real, lines, exp, b.title);
    assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), b.balance - b.mileage, `${b.title}: balance after the spend`);
    for (const l of lines) {
      assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${l.variant.id}`), l.variant.stock - l.qty, `${b.title}: stock taken`);
    }
  });
}

// The baskets the rules refuse: the same error code (422) from the real checkout, naming the line
// for a coupon error, and nothing changed.
for (const b of BASKETS.filter((x) => x.expect.error)) {
  check(`money: ${b.title} — the real checkout refuses it with ${b.expect.error.code === 'EMPTY' ? 'CART_EMPTY' : b.expect.error.code} (422) and changes nothing`, async () => {
    const { s, items } = await realize(b);
    const api = await loginApi(s);
    const before = world();
    const res = await placeRaw(api, { items, mileage: b.mileage, payment_method: 'bank_transfer' });
    const code = b.expect.error.code === 'EMPTY' ? 'CART_EMPTY' : b.expect.error.code;
    const p = assertProblem(res, 422, code);
    if (b.expect.error.line) {
      assert.match(p.detail, new RegExp(`^items\\[${b.expect.error.line - 1}\\]`), `${b.title}: the detail does not name item ${b.expect.error.line - 1}`);
    }
    assertUnchanged(before, `${b.title}, refused,`);
  });
}

// ---- 2. the checkout page without JavaScript ------------------------------------------------------------------------

// B22 bought through the cart and the checkout page: the coupon chosen on the cart page, the mileage
// applied with the page's GET form, the shipping details prefilled from the profile.
const page = {};

check('checkout page: GET /checkout is prefilled from the profile (recipient, phone, postal code, address), carries a key, the total the rules give, and the mileage applied by its GET form', async () => {
  const b = basketNamed('B22');
  const cats = categoryIds();
  const brandSpec = b.brands.get(1);
  const brand = makeBrand({ fee: brandSpec.fee, freeThreshold: brandSpec.free, returnCost: brandSpec.ret });
  const g = gradeWith(b.grade);
  const s = await shopper({ grade: g.id, mileage: b.balance, over: { name: `주문자 ${uniq()}`, address: '부산광역시 해운대구 센텀로 1', address_detail: '101동 202호', postal_code: '48058' } });
  const c = await loginPage(s);
  const lines = [];
  for (const l of b.lines) {
    const p = product(brand, { price: l.price, category: cats[l.category - 1], variants: [{ size: 'M', stock: l.qty + 2 }] });
    await addByPage(c, p, p.variants[0], l.qty);
    lines.push({ brand, product: p, variant: p.variants[0], qty: l.qty, price: l.price, category: cats[l.category - 1], couponRule: l.coupon });
  }
  // the coupon of line 3, chosen with the cart page's form
  const rule = b.lines[2].coupon;
  const coupon = makeCoupon(s, { amount: rule.amount, min: rule.min });
  lines[2].coupon = coupon;
  const cartLine = cartLines(cartIdOf(s)).find((x) => x.variant_id === lines[2].variant.id);
  const cart = await c.get('/cart');
  assertStatus(cart, 200);
  assertRedirect(await c.post(`/cart/items/${cartLine.id}/coupon`, { coupon_id: String(coupon.id), csrf_token: csrfOf(cart) }), '/cart?updated=1');
  const real = {
    grade: g, mileage: b.mileage, balance: b.balance,
    brands: new Map([[brand.id, { fee: brand.fee, free: brand.freeThreshold, ret: brand.returnCost }]]),
    lines: lines.map((l) => ({ brand: brand.id, category: l.category, price: l.price, qty: l.qty,
      coupon: l.coupon ? { id: l.coupon.id, percent: null, amount: rule.amount, min: rule.min, category: 0 } : null })),
  };
  const without = priceBasket({ ...real, mileage: 0 });
  const exp = priceBasket(real);
  // without mileage: the profile's details, a key, the total without mileage
  const res = await c.get('/checkout');
  assertStatus(res, 200);
  const f = formFields(res.text, '/checkout');
  const digits = s.phone.replace(/-/g, '');
  // the phone as stored (digits) or as people write it (010-1234-5678): the same number
  assert.match(f.recipient_phone, /^[0-9-]+$/, `the phone field: ${f.recipient_phone}`);
  assert.deepEqual([f.recipient_name, f.recipient_phone.replace(/-/g, ''), f.postal_code, f.address, f.address_detail],
    [s.body.name, digits, '48058', '부산광역시 해운대구 센텀로 1', '101동 202호'], 'the shipping fields are not the profile\'s');
  assert.match(f.key, /^[A-Za-z0-9_-]{20,100}$/, `no key of the page: ${f.key}`);
  assert.equal(f.payment_method, 'bank_transfer', 'bank transfer is not the chosen method');
  assert.equal(Number(f.expected_total), without.order.total, 'the page carries another total');
  assert.equal(f.mileage, '0');
  assert.ok(res.text.includes(`<dt>${t('checkout.total')}</dt><dd>${won(without.order.total)}</dd>`), 'the page does not show the total');
  assert.ok(res.text.includes(won(b.balance)), 'the page does not show the mileage balance');
  // the mileage form: GET /checkout?mileage=M
  const withM = await c.get(`/checkout?mileage=${b.mileage}`);
  assertStatus(withM, 200);
  const fm = formFields(withM.text, '/checkout');
  assert.equal(Number(fm.expected_total), exp.order.total, 'the total with mileage is not the rules\' one');
  assert.equal(fm.mileage, String(b.mileage));
  assert.notEqual(fm.key, f.key, 'two page views share a key');
  assert.ok(withM.text.includes(`<dt>${t('checkout.total')}</dt><dd>${won(exp.order.total)}</dd>`), 'the page does not show the total with mileage');
  // more than the balance: the field's error, the totals without mileage
  const over = await c.get(`/checkout?mileage=${b.balance + 1}`);
  assertStatus(over, 200);
  assert.ok(over.text.includes('id="mileage-error"'), 'no error under the mileage field');
  assert.equal(Number(formFields(over.text, '/checkout').expected_total), without.order.total);
  Object.assign(page, { b, s, c, lines, real, exp, coupon, form: fm });
});

check('checkout page: POST places the order (303 to /me/orders/{id}/complete) with the rules\' amounts and the shipping as typed; the bought cart lines are gone', async () => {
  const { s, c, lines, real, exp } = page;
  page.form = { ...page.form, recipient_name: `받는분 ${uniq()}`, delivery_memo: '문 앞에 놓아 주세요', address_detail: '현관 옆' };
  const res = await c.post('/checkout', page.form);
  assertRedirect(res, /^\/me\/orders\/\d+\/complete$/);
  const id = Number(location(res).split('/')[3]);
  remember(id);
  page.orderId = id;
  page.location = location(res);
  assert.equal(num(`SELECT user_id FROM orders WHERE id = ${id}`), s.id);
  assertStored(id, real, lines, exp, 'B22 by the page');
  assert.deepEqual(one(`SELECT recipient_name, recipient_phone, postal_code, address, address_detail, delivery_memo, payment_method,
    payment_state FROM orders WHERE id = ${id}`),
  [page.form.recipient_name, s.phone.replace(/-/g, ''), '48058', '부산광역시 해운대구 센텀로 1', '현관 옆', '문 앞에 놓아 주세요',
    'bank_transfer', 'awaiting_payment']);
  assert.deepEqual(cartLines(cartIdOf(s)), [], 'the bought lines are still in the cart');
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), real.balance - real.mileage);
});

check('checkout page: the complete page shows the order number, the bank account, the amount and the deadline (LONUA_BANK_TRANSFER_HOURS after the order, in KST)', async () => {
  const { c, exp } = page;
  const res = await c.get(page.location);
  assertStatus(res, 200);
  const [uid, due, hours] = one(`SELECT merchant_uid, DATE_FORMAT(payment_due_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i'),
    TIMESTAMPDIFF(MINUTE, created_at, payment_due_at) FROM orders WHERE id = ${page.orderId}`);
  assert.equal(Number(hours), TRANSFER_HOURS * 60, `a bank transfer is not due ${TRANSFER_HOURS} hours after the order`);
  const api = await loginApi(page.s);
  const json = (await api.get(`/api/v1/orders/${page.orderId}`)).json;
  const account = json.bank_transfer && json.bank_transfer.account;
  assert.ok(account && account.length > 5, `no bank account in the order: ${JSON.stringify(json.bank_transfer)}`);
  page.account = account;
  page.due = due;
  const text = mainText(res);
  assert.ok(text.includes(uid), 'the complete page does not show the order number');
  assert.ok(text.includes(`${t('order.transfer_account')} ${account}`), `the complete page does not show the account: ${text.slice(0, 600)}`);
  assert.ok(text.includes(`${t('order.transfer_amount')} ${won(exp.order.total)}`), 'the complete page does not show the amount to send');
  assert.ok(text.includes(`${t('order.transfer_due')} ${due}`), `the complete page does not show the deadline ${due}`);
  assert.ok(res.text.includes(`href="/me/orders/${page.orderId}"`), 'no link to the order');
});

check('checkout page: the confirmation mail arrives with the order number, the account, the amount and the deadline', async () => {
  const uid = val(`SELECT merchant_uid FROM orders WHERE id = ${page.orderId}`);
  const m = await waitMail(page.s.email, (x) => x.subject.includes(uid), 'order confirmation');
  assert.ok(m.subject.startsWith(t('mail.order_placed_subject')), `subject: ${m.subject}`);
  for (const want of [`${t('order.transfer_account')}: ${page.account}`, `${t('order.transfer_amount')}: ${won(page.exp.order.total)}`,
    `${t('order.transfer_due')}: ${page.due}`, `${t('checkout.total')}: ${won(page.exp.order.total)}`, `/me/orders/${page.orderId}`]) {
    assert.ok(m.body.includes(want), `the mail does not say "${want}": ${m.body}`);
  }
  assert.equal(mailsTo(page.s.email).filter((x) => x.subject.includes(uid)).length, 1, 'more than one confirmation mail');
});

check('checkout page: the same page posted again (same key) places nothing new and answers 303 to the same order', async () => {
  const before = world();
  const res = await page.c.post('/checkout', page.form);
  assertRedirect(res, page.location);
  assertUnchanged(before, 'the page posted twice');
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${page.s.id}`), 1);
  // the same key with other details (the form changed after it placed the order): nothing new, the
  // shopper is shown the order the page placed
  const other = await page.c.post('/checkout', { ...page.form, delivery_memo: '경비실에 맡겨 주세요' });
  const placed = page.location.match(/\/me\/orders\/(\d+)\/complete$/)[1];
  assertRedirect(other, `/me/orders/${placed}`);
  assertUnchanged(before, 'the page\'s key reused with other details');
});

check('checkout page: a price changed between GET and POST is 409 with the message and the new total shown, nothing placed; posting the page drawn again places the order at the new total', async () => {
  const brand = makeBrand({ fee: 3000, freeThreshold: 50000 });
  const p = product(brand, { price: 20000, listPrice: 30000, variants: [{ size: 'L', stock: 5 }] });
  const s = await shopper({ grade: 'silver' });
  const c = await loginPage(s);
  await addByPage(c, p, p.variants[0], 2);
  const shown = await c.get('/checkout');
  assertStatus(shown, 200);
  const form = formFields(shown.text, '/checkout');
  const basket = (price) => ({ grade: gradeWith({ discount: 1, mileage: 1 }), mileage: 0, balance: 0,
    brands: new Map([[brand.id, { fee: 3000, free: 50000, ret: 6000 }]]), lines: [{ brand: brand.id, category: p.category, price, qty: 2, coupon: null }] });
  const old = priceBasket(basket(20000)), now = priceBasket(basket(26000));
  assert.equal(Number(form.expected_total), old.order.total);
  sql(`UPDATE products SET sale_price = 26000 WHERE id = ${p.id};`);
  const before = world();
  const res = await c.post('/checkout', form);
  assertStatus(res, 409);
  assert.equal(formMessage(res), esc(t('checkout.total_changed')), `no total-changed message: ${describe(res)}`);
  const again = formFields(res.text, '/checkout');
  assert.equal(Number(again.expected_total), now.order.total, 'the page drawn again does not carry the new total');
  assert.ok(res.text.includes(`<dt>${t('checkout.total')}</dt><dd>${won(now.order.total)}</dd>`), `the new total ${now.order.total} is not shown`);
  assert.equal(again.key, form.key, 'the page drawn again has another key');
  assertUnchanged(before, 'a checkout refused for a changed total');
  // the shopper confirms the new total: the form as drawn again
  const ok = await c.post('/checkout', again);
  assertRedirect(ok, /^\/me\/orders\/\d+\/complete$/);
  const id = remember(location(ok).split('/')[3]);
  assert.deepEqual(one(`SELECT total_amount, items_amount FROM orders WHERE id = ${id}`).map(Number), [now.order.total, now.order.items]);
  assert.equal(num(`SELECT unit_price FROM order_lines WHERE order_id = ${id}`), 26000);
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${s.id}`), 1);
});

check('checkout page: without the CSRF token 403, an invalid phone 422 with the field\'s message, and nothing placed; a guest goes to /login, an empty cart to /cart', async () => {
  const brand = makeBrand();
  const p = product(brand, { price: 15000, variants: [{ size: 'S', stock: 4 }] });
  const s = await shopper();
  const c = await loginPage(s);
  await addByPage(c, p, p.variants[0], 1);
  const shown = await c.get('/checkout');
  const form = formFields(shown.text, '/checkout');
  const before = world();
  const { csrf_token: _, ...noToken } = form;
  assertStatus(await c.post('/checkout', noToken), 403);
  const bad = await c.post('/checkout', { ...form, recipient_phone: '12345' });
  assertStatus(bad, 422);
  assert.ok(bad.text.includes('id="recipient_phone-error"'), `no error under the phone field: ${describe(bad)}`);
  // the hidden fields tampered with: more mileage than the balance 422, another total 409
  const tooMuch = await c.post('/checkout', { ...form, mileage: '999999' });
  assertStatus(tooMuch, 422);
  assert.equal(formMessage(tooMuch), esc(t('checkout.mileage_problem')), describe(tooMuch));
  const cheaper = await c.post('/checkout', { ...form, expected_total: '1' });
  assertStatus(cheaper, 409);
  assert.equal(formMessage(cheaper), esc(t('checkout.total_changed')));
  assertUnchanged(before, 'refused checkout pages');
  assertRedirect(await guest().get('/checkout'), '/login?next=%2Fcheckout');
  const empty = await loginPage(await shopper());
  assertRedirect(await empty.get('/checkout'), '/cart');
  // the same page posted after the cart emptied (the order placed from another tab): the cart page says so
  const other = await c.get('/checkout');
  assertRedirect(await c.post('/checkout', formFields(other.text, '/checkout')), /\/me\/orders\/\d+\/complete$/);
  const stale = await c.post('/checkout', form);
  assertStatus(stale, 422);
  assert.equal(formMessage(stale), esc(t('checkout.cart_empty')), describe(stale));
});

// ---- 3. idempotency of POST /api/v1/orders ----------------------------------------------------------------------------

let idem;

check('idempotency: the same key and body twice → the same order, 201 both times, Idempotent-Replayed: true on the second; one order, one stock take', async () => {
  const brand = makeBrand();
  const p = product(brand, { price: 12000, variants: [{ size: 'M', stock: 50 }] });
  const s = await shopper();
  const api = await loginApi(s);
  idem = { brand, p, s, api };
  const body = { items: [{ variant_id: p.variants[0].id, quantity: 2 }], payment_method: 'bank_transfer' };
  const key = newKey();
  const first = await placeRaw(api, body, key);
  assertStatus(first, 201);
  remember(first.json.id);
  assert.equal(first.headers['idempotent-replayed'], undefined, 'the first answer says it is a replay');
  assert.equal(first.headers.location, `/api/v1/orders/${first.json.id}`);
  const before = world();
  const second = await placeRaw(api, body, key);
  assertStatus(second, 201);
  assert.equal(second.headers['idempotent-replayed'], 'true', `no Idempotent-Replayed: ${describe(second)}`);
  assert.equal(second.json.id, first.json.id);
  assert.equal(second.json.amounts.total, first.json.amounts.total);
  assertUnchanged(before, 'a replay');
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${p.variants[0].id}`), 48);
});

check('idempotency: the same key fired 10 times at once → exactly one order; the others 201 replays or 409 IN_PROGRESS; no 5xx', async () => {
  const { p, s, api } = idem;
  const key = newKey();
  const body = { items: [{ variant_id: p.variants[0].id, quantity: 1 }], payment_method: 'bank_transfer' };
  const before = num(`SELECT COUNT(*) FROM orders WHERE user_id = ${s.id}`);
  const answers = await Promise.all(Array.from({ length: 10 }, () => placeRaw(api, body, key)));
  for (const r of answers) {
    assert.ok(r.status === 201 || r.status === 409, `an answer other than 201 or 409: ${describe(r)}`);
    if (r.status === 409) assertProblem(r, 409, 'IN_PROGRESS');
  }
  const created = answers.filter((r) => r.status === 201);
  assert.ok(created.length >= 1, 'no 201 at all');
  assert.equal(created.filter((r) => r.headers['idempotent-replayed'] !== 'true').length, 1, 'not exactly one first answer');
  assert.equal(new Set(created.map((r) => r.json.id)).size, 1, 'the 201 answers name different orders');
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${s.id}`), before + 1, 'not exactly one order placed');
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${s.id} AND idempotency_key = ${lit(key)}`), 1);
  remember(created[0].json.id);
});

check('idempotency: the same key with another body → 422 IDEMPOTENCY_KEY_REUSED and nothing new; no key, an empty or a 101-character key → 400; another buyer\'s same key is their own order', async () => {
  const { p, s, api } = idem;
  const key = newKey();
  const first = await place(api, { items: [{ variant_id: p.variants[0].id, quantity: 1 }] }, key);
  const before = world();
  for (const body of [{ items: [{ variant_id: p.variants[0].id, quantity: 2 }] }, { items: [{ variant_id: p.variants[0].id, quantity: 1 }], mileage: 0, expected_total: 1 },
    { items: [{ variant_id: p.variants[0].id, quantity: 1 }], payment_method: 'card' }]) {
    assertProblem(await placeRaw(api, body, key), 422, 'IDEMPOTENCY_KEY_REUSED');
  }
  const noKey = await api.api('POST', '/api/v1/orders', { items: [{ variant_id: p.variants[0].id, quantity: 1 }] });
  assertProblem(noKey, 400, 'IDEMPOTENCY_KEY_REQUIRED');
  assertProblem(await placeRaw(api, { items: [{ variant_id: p.variants[0].id, quantity: 1 }] }, 'k'.repeat(101)), 400, 'IDEMPOTENCY_KEY_REQUIRED');
  assertUnchanged(before, 'a reused or missing key');
  // the key is the buyer's own: another shopper may use the same one
  const other = await shopper();
  const theirs = await place(await loginApi(other), { items: [{ variant_id: p.variants[0].id, quantity: 1 }] }, key);
  assert.notEqual(theirs.id, first.id);
  assert.equal(num(`SELECT user_id FROM orders WHERE id = ${theirs.id}`), other.id);
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${s.id} AND idempotency_key = ${lit(key)}`), 1);
});

check('API checkout from the cart: without items[] the cart\'s lines and their coupons are bought, the shipping is the profile\'s, and the bought lines leave the cart', async () => {
  const [top, bottom] = categoryIds();
  const brand = makeBrand({ fee: 3000, freeThreshold: 50000, returnCost: 5000 });
  const p1 = product(brand, { price: 22000, category: bottom, variants: [{ size: 'M', stock: 5 }] });
  const p2 = product(brand, { price: 18000, category: top, variants: [{ size: 'L', stock: 5 }] });
  const s = await shopper({ grade: 'gold' });
  const api = await loginApi(s);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: p1.variants[0].id, quantity: 2 }), 201);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: p2.variants[0].id, quantity: 1 }), 201);
  const coupon = makeCoupon(s, { percent: 15, min: 40000, category: bottom });
  const [first] = cartLines(cartIdOf(s));
  assertStatus(await api.api('PATCH', `/api/v1/cart/items/${first.id}`, { coupon_id: coupon.id }), 200);
  const lines = [{ brand, variant: p1.variants[0], qty: 2, price: 22000, coupon }, { brand, variant: p2.variants[0], qty: 1, price: 18000 }];
  const real = { grade: gradeWith({ discount: 3, mileage: 2 }), mileage: 0, balance: 0,
    brands: new Map([[brand.id, { fee: 3000, free: 50000, ret: 5000 }]]),
    lines: [{ brand: brand.id, category: bottom, price: 22000, qty: 2, coupon: { id: coupon.id, percent: 15, amount: null, min: 40000, category: bottom } },
      { brand: brand.id, category: top, price: 18000, qty: 1, coupon: null }] };
  const exp = priceBasket(real);
  const o = await place(api, { expected_total: exp.order.total });
  assertStored(o.id, real, lines, exp, 'the cart bought by the API');
  assert.deepEqual([o.shipping.recipient_name, o.shipping.recipient_phone, o.shipping.postal_code, o.shipping.address],
    [s.body.name, s.phone.replace(/-/g, ''), s.body.postal_code, s.body.address], 'the shipping is not the profile\'s');
  assert.deepEqual(cartLines(cartIdOf(s)), [], 'the bought lines are still in the cart');
  // an empty cart now: nothing to buy
  assertProblem(await placeRaw(api, {}), 422, 'CART_EMPTY');
});

check('concurrency: eight shoppers buying the last three units at once → exactly three orders, the others 409 OUT_OF_STOCK, stock 0; one shopper spending one coupon and the whole balance in five orders at once → one order', async () => {
  const brand = makeBrand();
  const p = product(brand, { price: 10000, variants: [{ size: 'M', stock: 3 }] });
  const buyers = [];
  for (let i = 0; i < 8; i++) buyers.push(await loginApi(await shopper()));
  const answers = await Promise.all(buyers.map((api) => placeRaw(api, { items: [item(p.variants[0])] })));
  const made3 = answers.filter((r) => r.status === 201);
  for (const r of answers) {
    if (r.status === 201) remember(r.json.id);
    else assertProblem(r, 409, 'OUT_OF_STOCK');
  }
  assert.equal(made3.length, 3, `${made3.length} orders for 3 units: ${answers.map((r) => r.status).join(' ')}`);
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${p.variants[0].id}`), 0);
  // one coupon and one balance, five orders at once (each with its own key)
  const s = await shopper({ mileage: 3000 });
  const api = await loginApi(s);
  const coupon = makeCoupon(s, { amount: 1000 });
  const q = product(brand, { price: 20000, variants: [{ size: 'M', stock: 50 }] });
  const five = await Promise.all(Array.from({ length: 5 }, () => placeRaw(api, { items: [item(q.variants[0], 1, coupon)], mileage: 3000 })));
  const ok = five.filter((r) => r.status === 201);
  assert.equal(ok.length, 1, `not one order: ${five.map((r) => `${r.status} ${r.json && r.json.code}`).join(', ')}`);
  remember(ok[0].json.id);
  for (const r of five.filter((x) => x.status !== 201)) {
    assert.ok((r.status === 409 && r.json.code === 'COUPON_UNUSABLE') || (r.status === 422 && r.json.code === 'MILEAGE_OVER_BALANCE'),
      `a refused order: ${describe(r)}`);
  }
  assert.deepEqual(rows(`SELECT kind, amount FROM mileage_entries WHERE user_id = ${s.id}`), [['spent', '-3000']]);
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), 0);
  assert.equal(num(`SELECT COUNT(*) FROM order_lines WHERE coupon_id = ${coupon.id}`), 1);
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${q.variants[0].id}`), 49);
});

// ---- 4. abuse: a clear 4xx and nothing changed --------------------------------------------------------------------------

let ab;

check('abuse fixtures: a shopper with seeded mileage, products of two categories, coupons of every kind', async () => {
  const [top, bottom] = categoryIds();
  const brand = makeBrand({ fee: 3000, freeThreshold: 50000 });
  const tee = product(brand, { price: 30000, category: top, variants: [{ size: 'M', stock: 10 }, { size: 'L', stock: 2 }, { size: 'XL', stock: 5, status: 'hidden' }] });
  const jeans = product(brand, { price: 29999, category: bottom, variants: [{ size: '30', stock: 10 }] });
  const hidden = product(brand, { price: 10000, status: 'hidden', variants: [{ size: 'M', stock: 5 }] });
  const draft = product(brand, { price: 10000, status: 'draft', variants: [{ size: 'M', stock: 5 }] });
  const offBrand = makeBrand({ status: 'inactive' });
  const off = product(offBrand, { price: 10000, variants: [{ size: 'M', stock: 5 }] });
  const s = await shopper({ mileage: 5000 });
  const other = await shopper();
  ab = {
    brand, tee, jeans, hidden, draft, off, s, other, api: await loginApi(s),
    foreign: makeCoupon(other, { amount: 1000 }),
    used: makeCoupon(s, { amount: 1000, state: 'used' }),
    expired: makeCoupon(s, { amount: 1000, state: 'expired' }),
    lapsed: makeCoupon(s, { amount: 1000, validFrom: -10, validUntil: -0.01 }),
    early: makeCoupon(s, { amount: 1000, validFrom: 1, validUntil: 10 }),
    revoked: makeCoupon(s, { amount: 1000, state: 'revoked' }),
    min30000: makeCoupon(s, { amount: 2000, min: 30000 }),
    forBottoms: makeCoupon(s, { percent: 10, category: bottom }),
    good: makeCoupon(s, { percent: 10 }),
  };
  const res = await ab.api.get('/api/v1/me/coupons');
  assertStatus(res, 200);
  assert.ok(res.json.items.some((c) => c.id === ab.good.id && c.usable), 'the usable coupon is not listed as usable');
  assert.ok(!res.json.items.some((c) => c.id === ab.foreign.id), 'another shopper\'s coupon is listed');
});

// POSTs a body that must be refused with status and code, and checks that nothing changed.
async function refused(body, status, code, what, api = ab.api) {
  const before = world();
  const res = await placeRaw(api, body);
  const p = assertProblem(res, status, code);
  assertUnchanged(before, what);
  return p;
}
const item = (v, quantity = 1, coupon) => ({ variant_id: v.id, quantity, ...(coupon ? { coupon_id: coupon.id } : {}) });

check('abuse: another shopper\'s coupon 422 COUPON_NOT_FOUND (items[] and coupons[]); an unknown coupon too', async () => {
  const v = ab.tee.variants[0];
  await refused({ items: [item(v, 1, ab.foreign)] }, 422, 'COUPON_NOT_FOUND', 'a foreign coupon');
  await refused({ items: [item(v)], coupons: [{ variant_id: v.id, coupon_id: ab.foreign.id }] }, 422, 'COUPON_NOT_FOUND', 'a foreign coupon in coupons[]');
  await refused({ items: [item(v, 1, { id: 9007199254740990 })] }, 422, 'COUPON_NOT_FOUND', 'an unknown coupon');
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${ab.foreign.id}`), 'available');
});

check('abuse: a used, an expired, a lapsed, a not yet valid and a revoked coupon are 409 COUPON_UNUSABLE', async () => {
  const v = ab.tee.variants[0];
  for (const c of ['used', 'expired', 'lapsed', 'early', 'revoked']) {
    await refused({ items: [item(v, 1, ab[c])] }, 409, 'COUPON_UNUSABLE', `a ${c} coupon`);
  }
});

check('abuse: a line 1 won below the coupon\'s minimum 422 COUPON_BELOW_MINIMUM (at the minimum it applies); a coupon for another category 422 COUPON_CATEGORY; one coupon on two items 422 COUPON_TWICE', async () => {
  const p = await refused({ items: [item(ab.jeans.variants[0], 1, ab.min30000)] }, 422, 'COUPON_BELOW_MINIMUM', 'a coupon 1 won under its minimum');
  assert.match(p.detail, /^items\[0\]/);
  await refused({ items: [item(ab.tee.variants[0], 1, ab.forBottoms)] }, 422, 'COUPON_CATEGORY', 'a coupon of another category');
  const twice = await refused({ items: [item(ab.tee.variants[0], 1, ab.good), item(ab.jeans.variants[0], 1, ab.good)] }, 422, 'COUPON_TWICE', 'one coupon twice');
  assert.match(twice.detail, /^items\[1\]/);
  await refused({ items: [item(ab.tee.variants[0]), item(ab.jeans.variants[0])],
    coupons: [{ variant_id: ab.tee.variants[0].id, coupon_id: ab.good.id }, { variant_id: ab.jeans.variants[0].id, coupon_id: ab.good.id }] },
  422, 'COUPON_TWICE', 'one coupon twice in coupons[]');
  // exactly the minimum is enough (30000 ≥ 30000), on the item coupons[] names
  const ok = await place(ab.api, { items: [item(ab.tee.variants[0])], coupons: [{ variant_id: ab.tee.variants[0].id, coupon_id: ab.min30000.id }] });
  assert.deepEqual([ok.lines[0].coupon_discount, ok.amounts.total], [2000, 30000 - 2000 + 3000]);
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${ab.min30000.id}`), 'used');
  assertStatus(await ab.api.api('POST', `/api/v1/orders/${ok.id}/cancel`), 200);
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${ab.min30000.id}`), 'available', 'the cancel did not give the coupon back');
});

check('abuse: more mileage than the balance 422 MILEAGE_OVER_BALANCE; more than the items though less than items + shipping 422 MILEAGE_OVER_ITEMS; a negative or fractional mileage 422', async () => {
  const v = ab.jeans.variants[0]; // 29999 + 3000 shipping; balance 5000
  await refused({ items: [item(v)], mileage: 5001 }, 422, 'MILEAGE_OVER_BALANCE', 'mileage over the balance');
  sql(`UPDATE users SET mileage_balance = 40000 WHERE id = ${ab.s.id};`);
  seeds.set(ab.s.id, seeds.get(ab.s.id) + 35000);
  try {
    await refused({ items: [item(v)], mileage: 30000 }, 422, 'MILEAGE_OVER_ITEMS', 'mileage over the items (shipping excluded)');
  } finally {
    sql(`UPDATE users SET mileage_balance = mileage_balance - 35000 WHERE id = ${ab.s.id};`);
    seeds.set(ab.s.id, seeds.get(ab.s.id) - 35000);
  }
  for (const m of [-1, 1.5, 1e13]) await refused({ items: [item(v)], mileage: m }, 422, 'VALIDATION_FAILED', `mileage ${m}`);
});

check('abuse: quantities 0, -1, 1000, 1.5, "x", 10^20, null are 422 VALIDATION_FAILED naming items[0].quantity', async () => {
  for (const q of [0, -1, 1000, 1.5, 'x', 1e20, null]) {
    const p = await refused({ items: [{ variant_id: ab.tee.variants[0].id, quantity: q }] }, 422, 'VALIDATION_FAILED', `quantity ${q}`);
    assert.ok(p.errors && p.errors['items[0].quantity'], `quantity ${JSON.stringify(q)}: no errors["items[0].quantity"]: ${JSON.stringify(p)}`);
  }
  // and bodies of the wrong shape
  await refused({ items: 'all' }, 422, 'VALIDATION_FAILED', 'items not an array');
  await refused({ items: [{ quantity: 1 }] }, 422, 'VALIDATION_FAILED', 'an item without a variant');
  await refused({ items: [item(ab.tee.variants[0])], coupons: [{ variant_id: ab.jeans.variants[0].id, coupon_id: ab.good.id }] }, 422,
    'VALIDATION_FAILED', 'a coupon for a variant not in the order');
  await refused({ items: [item(ab.tee.variants[0])], payment_method: 'cash' }, 422, 'VALIDATION_FAILED', 'an unknown payment method');
  await refused({ items: [item(ab.tee.variants[0])], shipping: { recipient_name: 'x', recipient_phone: '123', postal_code: '1', address: '' } },
    422, 'VALIDATION_FAILED', 'invalid shipping details');
});

check('abuse: a hidden or draft product, a hidden size, an inactive brand 409 NOT_AVAILABLE; an unknown variant 422 ITEM_NOT_FOUND; the same variant twice 422 DUPLICATE_ITEM; more than the stock 409 OUT_OF_STOCK', async () => {
  for (const [v, what] of [[ab.hidden.variants[0], 'a hidden product'], [ab.draft.variants[0], 'a draft product'],
    [ab.tee.variants[2], 'a hidden size'], [ab.off.variants[0], 'an inactive brand\'s product']]) {
    await refused({ items: [item(ab.tee.variants[0]), item(v)] }, 409, 'NOT_AVAILABLE', what);
  }
  await refused({ items: [item(ab.tee.variants[0]), { variant_id: 9007199254740990, quantity: 1 }] }, 422, 'ITEM_NOT_FOUND', 'an unknown variant');
  await refused({ items: [item(ab.tee.variants[0]), item(ab.jeans.variants[0]), item(ab.tee.variants[0], 2)] }, 422, 'DUPLICATE_ITEM', 'a variant twice');
  const p = await refused({ items: [item(ab.tee.variants[1], 3)] }, 409, 'OUT_OF_STOCK', 'more than the stock');
  assert.match(p.detail, /^items\[0\]/);
  // exactly the stock is fine, and then the size is sold out
  const ok = await place(ab.api, { items: [item(ab.tee.variants[1], 2)] });
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${ab.tee.variants[1].id}`), 0);
  await refused({ items: [item(ab.tee.variants[1], 1)] }, 409, 'OUT_OF_STOCK', 'a sold-out size');
  assertStatus(await ab.api.api('POST', `/api/v1/orders/${ok.id}/cancel`), 200);
});

check('abuse: a tampered total (expected_total ±1) is 409 TOTAL_CHANGED naming the real total; unit_price, total, amounts and shipping_fee sent by the client are ignored and charge nothing else', async () => {
  const v = ab.jeans.variants[0];
  const real = 29999 * 2 + 0; // 59998 ≥ 50000: ships free, Bronze
  for (const wrong of [real - 1, real + 1, 0]) {
    const p = await refused({ items: [item(v, 2)], expected_total: wrong }, 409, 'TOTAL_CHANGED', `expected_total ${wrong}`);
    assert.ok(p.detail.includes(String(real)), `the detail does not name the total ${real}: ${p.detail}`);
  }
  const o = await place(ab.api, { items: [{ variant_id: v.id, quantity: 2, unit_price: 1, subtotal: 2, line_total: 0 }], total: 1,
    total_amount: 1, amounts: { total: 1 }, shipping_fee: 0, discount: 59997, expected_total: real });
  assert.deepEqual([o.amounts.items, o.amounts.total, o.lines[0].unit_price, o.lines[0].line_total], [real, real, 29999, real]);
  assert.deepEqual(one(`SELECT total_amount, items_amount FROM orders WHERE id = ${o.id}`).map(Number), [real, real]);
  assertStatus(await ab.api.api('POST', `/api/v1/orders/${o.id}/cancel`), 200);
});

check('abuse: a pending (unverified) shopper 403 ACCOUNT_NOT_VERIFIED, a guest 401 NOT_AUTHENTICATED, an admin 403 WRONG_ROLE; nothing placed', async () => {
  const pending = await makePendingShopper();
  seeds.set(pending.id, 0);
  const body = { items: [item(ab.tee.variants[0])] };
  await refused(body, 403, 'ACCOUNT_NOT_VERIFIED', 'a pending shopper', await loginApi(pending));
  await refused(body, 401, 'NOT_AUTHENTICATED', 'a guest', new Client());
  await refused(body, 403, 'WRONG_ROLE', 'an admin', adminApi);
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${pending.id}`), 0);
});

check('payment methods: card and KakaoPay orders are placed (the Portone fake is configured) awaiting payment for LONUA_GATEWAY_PAYMENT_MINUTES, with no bank transfer box; the admin cannot record a transfer for them', async () => {
  for (const method of ['card', 'kakaopay']) {
    const o = await place(ab.api, { items: [item(ab.tee.variants[0])], payment_method: method });
    assert.deepEqual([o.payment_method, o.payment_state, o.bank_transfer], [method, 'awaiting_payment', null]);
    assert.equal(num(`SELECT TIMESTAMPDIFF(MINUTE, created_at, payment_due_at) FROM orders WHERE id = ${o.id}`), GATEWAY_MINUTES);
    assertProblem(await adminApi.api('POST', `/api/v1/admin/orders/${o.id}/payment`, { amount: o.amounts.total }), 409, 'NOT_AWAITING');
    assertStatus(await ab.api.api('POST', `/api/v1/orders/${o.id}/cancel`), 200);
  }
});

// ---- 5. the life of an order ---------------------------------------------------------------------------------------

// Two brands, each with a seller; a Silver shopper with 5000 mileage who buys four lines (three of
// brand A, one of brand B, a 10 % coupon on the third) spending 3001 mileage.
const life = {};

check('life: an order of two brands placed with mileage and a coupon; its amounts are the rules\' numbers', async () => {
  const cats = categoryIds();
  life.brandA = makeBrand({ fee: 3000, freeThreshold: 50000, returnCost: 6000 });
  life.brandB = makeBrand({ fee: 2500, freeThreshold: null, returnCost: 4000 });
  life.sellerA = await loginSeller(await makeSeller(life.brandA));
  life.sellerB = await loginSeller(await makeSeller(life.brandB));
  life.s = await shopper({ grade: 'silver', mileage: 5000 });
  life.api = await loginApi(life.s);
  const specs = [[life.brandA, 29000, 1, cats[0]], [life.brandA, 15500, 2, cats[1]], [life.brandA, 9900, 1, cats[0]], [life.brandB, 18000, 1, cats[2]]];
  life.lines = specs.map(([brand, price, qty, category]) => {
    const p = product(brand, { price, category, variants: [{ size: 'M', stock: 10 }] });
    return { brand, product: p, variant: p.variants[0], price, qty, category };
  });
  life.coupon = makeCoupon(life.s, { percent: 10 });
  life.lines[2].coupon = life.coupon;
  life.real = {
    grade: gradeWith({ discount: 1, mileage: 1 }), mileage: 3001, balance: 5000,
    brands: new Map([[life.brandA.id, { fee: 3000, free: 50000, ret: 6000 }], [life.brandB.id, { fee: 2500, free: null, ret: 4000 }]]),
    lines: life.lines.map((l) => ({ brand: l.brand.id, category: l.category, price: l.price, qty: l.qty,
      coupon: l.coupon ? { id: l.coupon.id, percent: 10, amount: null, min: 0, category: 0 } : null })),
  };
  life.exp = priceBasket(life.real);
  const o = await place(life.api, { items: life.lines.map((l) => item(l.variant, l.qty, l.coupon)), mileage: 3001,
    expected_total: life.exp.order.total, shipping: { recipient_name: '홍길동', recipient_phone: '010-1234-5678', postal_code: '04524',
      address: '서울특별시 중구 세종대로 110', address_detail: '5층', delivery_memo: '경비실' } });
  life.order = o;
  life.ids = o.lines.map((l) => l.id);
  assertStored(o.id, life.real, life.lines, life.exp, 'the life order');
  assert.deepEqual([o.shipping.recipient_name, o.shipping.recipient_phone, o.shipping.delivery_memo], ['홍길동', '01012345678', '경비실']);
});

check('life: the admin records a wrong amount → 422 AMOUNT_MISMATCH (still awaiting); the seller cannot prepare or ship before payment (409 NOT_PAID); the total → paid; again 409 NOT_AWAITING; the paid mail arrives', async () => {
  const total = life.exp.order.total, id = life.order.id;
  const before = world();
  for (const amount of [total - 1, total + 1]) {
    assertProblem(await adminApi.api('POST', `/api/v1/admin/orders/${id}/payment`, { amount, depositor_name: '홍길동' }), 422, 'AMOUNT_MISMATCH');
  }
  assertProblem(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${life.ids[0]}/prepare`), 409, 'NOT_PAID');
  assertProblem(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${life.ids[0]}/ship`, { courier: 'CJ', tracking_number: '1' }), 409, 'NOT_PAID');
  assertUnchanged(before, 'a wrong amount and an early prepare');
  assert.equal(val(`SELECT received_amount IS NULL FROM orders WHERE id = ${id}`), '1');
  const res = await adminApi.api('POST', `/api/v1/admin/orders/${id}/payment`, { amount: total, depositor_name: '홍길동' });
  assertStatus(res, 200);
  assert.deepEqual([res.json.payment_state, res.json.received_amount, res.json.bank_transfer], ['paid', total, null]);
  assert.deepEqual(one(`SELECT payment_state, received_amount, depositor_name, received_confirmed_by, paid_at IS NOT NULL FROM orders WHERE id = ${id}`),
    ['paid', String(total), '홍길동', String(admin.id), '1']);
  assertProblem(await adminApi.api('POST', `/api/v1/admin/orders/${id}/payment`, { amount: total }), 409, 'NOT_AWAITING');
  const uid = val(`SELECT merchant_uid FROM orders WHERE id = ${id}`);
  const m = await waitMail(life.s.email, (x) => x.subject.startsWith(t('mail.order_paid_subject')) && x.subject.includes(uid), 'payment received');
  assert.ok(m.body.includes(uid));
});

check('life: another brand\'s seller gets 404 for the line (GET, prepare, ship, deliver, approve, reject) and never sees it; a seller sees its lines and where to ship them, never the order\'s totals', async () => {
  const a = life.ids[0];
  const before = world();
  assertProblem(await life.sellerB.get(`/api/v1/seller/order-lines/${a}`), 404, 'NOT_FOUND');
  for (const [p, body] of [['prepare'], ['ship', { courier: 'CJ', tracking_number: '1' }], ['deliver'], ['return/approve'], ['return/reject', { reason: 'no' }]]) {
    assertProblem(await life.sellerB.api('POST', `/api/v1/seller/order-lines/${a}/${p}`, body), 404, 'NOT_FOUND');
  }
  assertUnchanged(before, 'another brand\'s seller');
  const listB = await life.sellerB.get('/api/v1/seller/order-lines?per_page=100');
  assertStatus(listB, 200);
  const orderLinesB = listB.json.items.filter((l) => l.order.id === life.order.id).map((l) => l.id);
  assert.deepEqual(orderLinesB, [life.ids[3]], 'brand B sees other lines of the order');
  const listA = await life.sellerA.get('/api/v1/seller/order-lines?per_page=100');
  assert.deepEqual(listA.json.items.filter((l) => l.order.id === life.order.id).map((l) => l.id).sort((x, y) => x - y),
    life.ids.slice(0, 3).sort((x, y) => x - y));
  const one_ = await life.sellerA.get(`/api/v1/seller/order-lines/${a}`);
  assertStatus(one_, 200);
  assert.deepEqual([one_.json.shipping.recipient_name, one_.json.shipping.address, one_.json.order.payment_state], ['홍길동', '서울특별시 중구 세종대로 110', 'paid']);
  const text = JSON.stringify(one_.json);
  for (const secret of ['amounts', 'total', 'mileage_share', 'line_total', 'grade_discount']) {
    assert.ok(!text.includes(`"${secret}`), `the seller sees "${secret}": ${text}`);
  }
});

check('life: the brand prepares → ships (422 without courier or tracking number; the shipped mail carries the tracking number) → delivers; wrong edges are 409 WRONG_STATE', async () => {
  const a = life.ids[0];
  const S = life.sellerA;
  const move = (p, body) => S.api('POST', `/api/v1/seller/order-lines/${a}/${p}`, body);
  const state = () => val(`SELECT state FROM order_lines WHERE id = ${a}`);
  assertProblem(await move('ship', { courier: 'CJ대한통운', tracking_number: '1' }), 409, 'WRONG_STATE');
  assertProblem(await move('deliver'), 409, 'WRONG_STATE');
  assertProblem(await move('return/approve'), 409, 'WRONG_STATE');
  let res = await move('prepare');
  assertStatus(res, 200);
  assert.equal(res.json.state, 'preparing');
  assertProblem(await move('prepare'), 409, 'WRONG_STATE');
  assertProblem(await move('deliver'), 409, 'WRONG_STATE');
  assertProblem(await move('ship', { courier: 'CJ대한통운' }), 422, 'VALIDATION_FAILED');
  assertProblem(await move('ship', { tracking_number: '1' }), 422, 'VALIDATION_FAILED');
  assert.equal(state(), 'preparing');
  life.tracking = `6${String(Date.now()).slice(-9)}${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`;
  res = await move('ship', { courier: 'CJ대한통운', tracking_number: life.tracking });
  assertStatus(res, 200);
  assert.deepEqual([res.json.state, res.json.courier, res.json.tracking_number], ['shipped', 'CJ대한통운', life.tracking]);
  assertProblem(await move('ship', { courier: 'CJ', tracking_number: '2' }), 409, 'WRONG_STATE');
  assertProblem(await move('prepare'), 409, 'WRONG_STATE');
  assert.deepEqual(one(`SELECT state, courier, tracking_number, shipped_at IS NOT NULL FROM order_lines WHERE id = ${a}`),
    ['shipped', 'CJ대한통운', life.tracking, '1']);
  const m = await waitMail(life.s.email, (x) => x.subject.startsWith(t('mail.order_shipped_subject')) && x.body.includes(life.tracking), 'shipped');
  assert.ok(m.body.includes(`${t('mail.tracking_number')}: ${life.tracking}`), `the shipped mail: ${m.body}`);
  assert.ok(m.body.includes(`${t('mail.courier')}: CJ대한통운`));
  res = await move('deliver');
  assertStatus(res, 200);
  assert.equal(res.json.state, 'delivered');
  assertProblem(await move('deliver'), 409, 'WRONG_STATE');
  assert.equal(val(`SELECT delivered_at IS NOT NULL FROM order_lines WHERE id = ${a}`), '1');
});

check('life: the buyer cannot cancel once a line has shipped: 409 NOT_CANCELLABLE by the API and by the page (drawn again with the message), nothing changes', async () => {
  const before = world();
  assertProblem(await life.api.api('POST', `/api/v1/orders/${life.order.id}/cancel`), 409, 'NOT_CANCELLABLE');
  const c = await loginPage(life.s);
  const pageRes = await c.get(`/me/orders/${life.order.id}`);
  assertStatus(pageRes, 200);
  assert.ok(!hasForm(pageRes.text, `/me/orders/${life.order.id}/cancel`), 'the page offers to cancel a shipped order');
  const res = await c.post(`/me/orders/${life.order.id}/cancel`, { csrf_token: csrfOf(pageRes) });
  assertStatus(res, 409);
  assert.equal(formMessage(res), esc(t('order.not_cancellable')));
  assertUnchanged(before, 'a refused cancel');
  const json = (await life.api.get(`/api/v1/orders/${life.order.id}`)).json;
  assert.equal(json.can_cancel, false);
});

// Moves a paid line through preparing and shipped to delivered.
async function deliver(sellerApi, lineId) {
  for (const [p, body] of [['prepare'], ['ship', { courier: '우체국택배', tracking_number: `T${lineId}` }], ['deliver']]) {
    const res = await sellerApi.api('POST', `/api/v1/seller/order-lines/${lineId}/${p}`, body);
    assert.equal(res.status, 200, `${p} line ${lineId}: ${describe(res)}`);
  }
}

check('life: confirming a delivered line credits ⌊line_total × mileage % / 100⌋ (the order\'s percent, even after a grade change) in the ledger and /api/v1/me/mileage; again, or a line not delivered, 409 NOT_DELIVERED', async () => {
  await deliver(life.sellerA, life.ids[1]);
  await deliver(life.sellerA, life.ids[2]);
  const d = life.ids[3];
  assertProblem(await life.api.api('POST', `/api/v1/order-lines/${d}/confirm`), 409, 'NOT_DELIVERED');
  await deliver(life.sellerB, d);
  // a grade change after checkout does not change what the line earns
  sql(`UPDATE users SET grade_id = ${gradeWith({ discount: 5, mileage: 3 }).id} WHERE id = ${life.s.id};`);
  const balance = num(`SELECT mileage_balance FROM users WHERE id = ${life.s.id}`);
  const earned = life.exp.lines[3].earned;
  assert.equal(earned, Math.floor(life.exp.lines[3].paid * 1 / 100));
  const res = await life.api.api('POST', `/api/v1/order-lines/${d}/confirm`);
  assertStatus(res, 200);
  const line = res.json.lines.find((l) => l.id === d);
  assert.deepEqual([line.state, line.mileage_earned, line.can_confirm, line.can_return], ['confirmed', earned, false, false]);
  assert.deepEqual(rows(`SELECT kind, amount, balance_after FROM mileage_entries WHERE order_line_id = ${d}`),
    [['earned', String(earned), String(balance + earned)]]);
  assert.equal(num(`SELECT mileage_earned FROM order_lines WHERE id = ${d}`), earned);
  const mileage = await life.api.get('/api/v1/me/mileage');
  assertStatus(mileage, 200);
  assert.equal(mileage.json.balance, balance + earned);
  assert.deepEqual([mileage.json.items[0].kind, mileage.json.items[0].amount, mileage.json.items[0].order_line_id], ['earned', earned, d]);
  const before = world();
  assertProblem(await life.api.api('POST', `/api/v1/order-lines/${d}/confirm`), 409, 'NOT_DELIVERED');
  assertProblem(await life.api.api('POST', `/api/v1/order-lines/${d}/return`, { reason: 'defective' }), 409, 'NOT_DELIVERED');
  assertUnchanged(before, 'confirming twice');
  sql(`UPDATE users SET grade_id = ${life.real.grade.id} WHERE id = ${life.s.id};`);
});

check('life: a change-of-mind return approved by the brand refunds line_total − the return cost, gives the mileage share and the stock back; the refund waits for the admin', async () => {
  const [a] = life.ids;
  const l = life.exp.lines[0];
  const stock = num(`SELECT stock FROM product_variants WHERE id = ${life.lines[0].variant.id}`);
  const balance = num(`SELECT mileage_balance FROM users WHERE id = ${life.s.id}`);
  assertProblem(await life.api.api('POST', `/api/v1/order-lines/${a}/return`, {}), 422, 'VALIDATION_FAILED');
  // paid by bank transfer: the refund account is asked for, whole and well-formed; nothing changes until it is
  const before = world();
  const ask = (extra) => life.api.api('POST', `/api/v1/order-lines/${a}/return`, { reason: 'change_of_mind', note: '색이 달라요', ...extra });
  assertProblem(await ask({}), 422, 'REFUND_ACCOUNT_REQUIRED');
  assertProblem(await ask({ refund_bank_name: ' ', refund_account_number: '\u3000', refund_account_holder: '' }), 422, 'REFUND_ACCOUNT_REQUIRED');
  let res = await ask({ refund_bank_name: '국민은행' });
  assertProblem(res, 422, 'VALIDATION_FAILED');
  assert.equal(res.json.errors.refund_account_number, 'required');
  for (const number of ['12-34', '123456789012345678901234567890-', 'abc123456', '------']) {
    res = await ask({ ...ACCOUNT, refund_account_number: number });
    assertProblem(res, 422, 'VALIDATION_FAILED');
    assert.equal(res.json.errors.refund_account_number, number.length > 30 ? 'too_long' : 'invalid_account_number', number);
  }
  assertUnchanged(before, 'a return without a good refund account');
  res = await ask(ACCOUNT);
  assertStatus(res, 200);
  assert.deepEqual(accountOf('orders', `id = ${life.order.id}`), Object.values(ACCOUNT));
  const asked = res.json.lines.find((x) => x.id === a);
  assert.deepEqual([asked.state, asked.return.reason, asked.return.note], ['return_requested', 'change_of_mind', '색이 달라요']);
  assertProblem(await life.api.api('POST', `/api/v1/order-lines/${a}/return`, { reason: 'change_of_mind' }), 409, 'NOT_DELIVERED');
  res = await life.sellerA.api('POST', `/api/v1/seller/order-lines/${a}/return/approve`);
  assertStatus(res, 200);
  assert.equal(res.json.state, 'returned');
  assert.equal(l.changeOfMind, l.paid - 6000);
  assert.deepEqual(rows(`SELECT reason, method, state, amount, shipping_amount, return_cost_deducted FROM refunds WHERE order_line_id = ${a}`),
    [['return', 'bank_transfer', 'pending', String(l.changeOfMind), '0', '6000']]);
  assert.deepEqual(accountOf('refunds', `order_line_id = ${a}`), Object.values(ACCOUNT), 'the refund does not say where it goes');
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${life.lines[0].variant.id}`), stock + life.lines[0].qty);
  assert.deepEqual(rows(`SELECT reason, delta FROM stock_movements WHERE order_line_id = ${a} ORDER BY id`), [['order', '-1'], ['return', '1']]);
  assert.deepEqual(rows(`SELECT kind, amount FROM mileage_entries WHERE order_line_id = ${a}`), [['reversed', String(l.mileage)]]);
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${life.s.id}`), balance + l.mileage);
  assert.equal(val(`SELECT payment_state FROM orders WHERE id = ${life.order.id}`), 'refund_pending');
  assertProblem(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${a}/return/approve`), 409, 'WRONG_STATE');
});

check('life: a defective return (by the page form, with its CSRF token) approved refunds the whole line; a rejected one keeps its money and stock and shows the reason', async () => {
  const [, b, c] = life.ids;
  const lb = life.exp.lines[1];
  const browser = await loginPage(life.s);
  let pageRes = await browser.get(`/me/orders/${life.order.id}`);
  assertStatus(pageRes, 200);
  assert.ok(hasForm(pageRes.text, `/me/order-lines/${b}/return`), 'no return form for a delivered line');
  assert.ok(hasForm(pageRes.text, `/me/order-lines/${b}/confirm`), 'no confirm form for a delivered line');
  // without the token: 403, nothing changes
  const before = world();
  assertStatus(await browser.post(`/me/order-lines/${b}/return`, { reason: 'defective' }), 403);
  assertUnchanged(before, 'a return form without its token');
  const fields = formFields(pageRes.text, `/me/order-lines/${b}/return`);
  for (const f of Object.keys(ACCOUNT)) assert.ok(f in fields, `the return form of a bank-transfer order does not ask for ${f}`);
  // sent with the account fields left empty: the page again, saying why, nothing changed
  const refused = await browser.post(`/me/order-lines/${b}/return`, { ...fields, reason: 'defective' });
  assertStatus(refused, 422);
  assert.ok(refused.text.includes(esc(t('order.refund_account_required'))), 'the refused form does not say the account is needed');
  assertUnchanged(before, 'a return form without the refund account');
  const other = { refund_bank_name: '신한은행', refund_account_number: '110-123-456789', refund_account_holder: '홍길동' };
  assertRedirect(await browser.post(`/me/order-lines/${b}/return`, { ...fields, ...other, reason: 'defective', note: '박음질이 풀렸어요' }),
    `/me/orders/${life.order.id}?return_requested=1`);
  assert.deepEqual(accountOf('orders', `id = ${life.order.id}`), Object.values(other), 'the latest account given is not the order\'s');
  pageRes = await browser.get(`/me/orders/${life.order.id}?return_requested=1`);
  assert.ok(pageRes.text.includes(esc(t('order.return_notice'))), 'no notice after the return request');
  const stock = num(`SELECT stock FROM product_variants WHERE id = ${life.lines[1].variant.id}`);
  assertStatus(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${b}/return/approve`), 200);
  assert.deepEqual(rows(`SELECT amount, return_cost_deducted FROM refunds WHERE order_line_id = ${b}`), [[String(lb.defective), '0']]);
  assert.equal(lb.defective, lb.paid);
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${life.lines[1].variant.id}`), stock + 2);
  assert.deepEqual(rows(`SELECT kind, amount FROM mileage_entries WHERE order_line_id = ${b}`), [['reversed', String(lb.mileage)]]);
  // the third line: asked, then rejected with a reason
  assertStatus(await life.api.api('POST', `/api/v1/order-lines/${c}/return`, { reason: 'size', ...ACCOUNT }), 200);
  const stockC = num(`SELECT stock FROM product_variants WHERE id = ${life.lines[2].variant.id}`);
  assertProblem(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${c}/return/reject`, {}), 422, 'VALIDATION_FAILED');
  const rejected = await life.sellerA.api('POST', `/api/v1/seller/order-lines/${c}/return/reject`, { reason: '착용 흔적이 있습니다' });
  assertStatus(rejected, 200);
  assert.equal(rejected.json.state, 'return_rejected');
  assert.equal(num(`SELECT COUNT(*) FROM refunds WHERE order_line_id = ${c}`), 0);
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${life.lines[2].variant.id}`), stockC);
  assert.equal(num(`SELECT COUNT(*) FROM mileage_entries WHERE order_line_id = ${c}`), 0);
  const json = (await life.api.get(`/api/v1/orders/${life.order.id}`)).json;
  const lc = json.lines.find((x) => x.id === c);
  assert.deepEqual([lc.state, lc.return.rejection_reason, lc.can_return, lc.can_confirm], ['return_rejected', '착용 흔적이 있습니다', false, true]);
  const html = await browser.get(`/me/orders/${life.order.id}`);
  assert.ok(html.text.includes(esc('착용 흔적이 있습니다')), 'the buyer\'s page does not show the rejection reason');
  assertProblem(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${c}/return/approve`), 409, 'WRONG_STATE');
  // refused, the line is the buyer's to keep: confirming it earns its mileage (at the order's percent)
  const keptBalance = num(`SELECT mileage_balance FROM users WHERE id = ${life.s.id}`);
  const kept = await life.api.api('POST', `/api/v1/order-lines/${c}/confirm`);
  assertStatus(kept, 200);
  const keptLine = kept.json.lines.find((x) => x.id === c);
  assert.deepEqual([keptLine.state, keptLine.mileage_earned, keptLine.can_confirm, keptLine.can_return],
    ['confirmed', life.exp.lines[2].earned, false, false]);
  assert.deepEqual(rows(`SELECT kind, amount, balance_after FROM mileage_entries WHERE order_line_id = ${c}`),
    [['earned', String(life.exp.lines[2].earned), String(keptBalance + life.exp.lines[2].earned)]]);
  assertProblem(await life.api.api('POST', `/api/v1/order-lines/${c}/confirm`), 409, 'NOT_DELIVERED');
});

check('life: the admin records the two return refunds → partially refunded, refunded_amount = Σ refunds, each line\'s refunded_amount its refund; again 409 NOT_PENDING', async () => {
  const [a, b] = life.ids;
  const ids = rows(`SELECT id FROM refunds WHERE order_id = ${life.order.id} ORDER BY id`).map((r) => Number(r[0]));
  assert.equal(ids.length, 2);
  // the pending list holds them
  let listed = [];
  for (let p = 1; p <= 100; p++) {
    const res = await adminApi.get(`/api/v1/admin/refunds?state=pending&per_page=100&page=${p}`);
    assertStatus(res, 200);
    listed = listed.concat(res.json.items.filter((r) => r.order_id === life.order.id));
    if (res.json.items.length < 100) break;
  }
  assert.deepEqual(listed.map((r) => [r.id, r.reason, r.state]).sort((x, y) => x[0] - y[0]), ids.map((id) => [id, 'return', 'pending']));
  // each with the account it goes to: the one given with its return
  assert.deepEqual(listed.sort((x, y) => x.id - y.id).map((r) => r.refund_account && r.refund_account.account_number),
    ['123456-01-234567', '110-123-456789']);
  for (const id of ids) {
    const res = await adminApi.api('POST', `/api/v1/admin/refunds/${id}/record`);
    assertStatus(res, 200);
    assert.equal(res.json.state, 'done');
    assertProblem(await adminApi.api('POST', `/api/v1/admin/refunds/${id}/record`), 409, 'NOT_PENDING');
  }
  const refund = life.exp.lines[0].changeOfMind + life.exp.lines[1].defective;
  assert.deepEqual(one(`SELECT payment_state, refunded_amount FROM orders WHERE id = ${life.order.id}`), ['partially_refunded', String(refund)]);
  assert.deepEqual(rows(`SELECT id, refunded_amount FROM order_lines WHERE order_id = ${life.order.id} ORDER BY id`).map((r) => r.map(Number)),
    [[a, life.exp.lines[0].changeOfMind], [b, life.exp.lines[1].defective], [life.ids[2], 0], [life.ids[3], 0]]);
  const json = (await life.api.get(`/api/v1/orders/${life.order.id}`)).json;
  assert.deepEqual([json.payment_state, json.amounts.refunded], ['partially_refunded', refund]);
});

check('life: a change-of-mind return whose return cost is more than the line paid refunds nothing (no refunds row) yet gives the mileage share and the stock back', async () => {
  const brand = makeBrand({ fee: 3000, freeThreshold: 0, returnCost: 3000 });
  const seller = await loginSeller(await makeSeller(brand));
  const s = await shopper({ mileage: 1000 });
  const api = await loginApi(s);
  const p = product(brand, { price: 1500, variants: [{ size: 'FREE', stock: 3 }] });
  const real = { grade: gradeWith({ discount: 0, mileage: 1 }), mileage: 500, balance: 1000,
    brands: new Map([[brand.id, { fee: 3000, free: 0, ret: 3000 }]]), lines: [{ brand: brand.id, category: p.category, price: 1500, qty: 1, coupon: null }] };
  const exp = priceBasket(real);
  assert.deepEqual([exp.lines[0].paid, exp.lines[0].changeOfMind, exp.order.total], [1000, 0, 1000]);
  const o = await place(api, { items: [item(p.variants[0])], mileage: 500, expected_total: exp.order.total });
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${o.id}/payment`, { amount: o.amounts.total }), 200);
  const lineId = o.lines[0].id;
  await deliver(seller, lineId);
  assertStatus(await api.api('POST', `/api/v1/order-lines/${lineId}/return`, { reason: 'change_of_mind', ...ACCOUNT }), 200);
  assertStatus(await seller.api('POST', `/api/v1/seller/order-lines/${lineId}/return/approve`), 200);
  assert.equal(num(`SELECT COUNT(*) FROM refunds WHERE order_id = ${o.id}`), 0, 'a refunds row of 0 won');
  assert.deepEqual(one(`SELECT state, refunded_amount FROM order_lines WHERE id = ${lineId}`), ['returned', '0']);
  assert.deepEqual(rows(`SELECT kind, amount FROM mileage_entries WHERE order_line_id = ${lineId}`), [['reversed', '500']]);
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), 1000);
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${p.variants[0].id}`), 3);
  const [state, refunded] = one(`SELECT payment_state, refunded_amount FROM orders WHERE id = ${o.id}`);
  assert.notEqual(state, 'refund_pending', 'the order waits for a refund of nothing');
  assert.equal(refunded, '0');
});

check('life: a return more than 7 days after delivery is 409 RETURN_WINDOW_CLOSED (can_return false); the line can still be confirmed', async () => {
  const s = await shopper({ grade: 'gold' });
  const api = await loginApi(s);
  const p = product(life.brandA, { price: 42000, variants: [{ size: 'M', stock: 3 }] });
  const o = await place(api, { items: [item(p.variants[0])] });
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${o.id}/payment`, { amount: o.amounts.total }), 200);
  const lineId = o.lines[0].id;
  await deliver(life.sellerA, lineId);
  sql(`UPDATE order_lines SET delivered_at = delivered_at - INTERVAL 8 DAY, shipped_at = shipped_at - INTERVAL 9 DAY WHERE id = ${lineId};`);
  const json = (await api.get(`/api/v1/orders/${o.id}`)).json;
  assert.deepEqual([json.lines[0].can_return, json.lines[0].can_confirm], [false, true]);
  const before = world();
  assertProblem(await api.api('POST', `/api/v1/order-lines/${lineId}/return`, { reason: 'defective' }), 409, 'RETURN_WINDOW_CLOSED');
  const browser = await loginPage(s);
  const html = await browser.get(`/me/orders/${o.id}`);
  assert.ok(!hasForm(html.text, `/me/order-lines/${lineId}/return`), 'the page offers a return after 7 days');
  const res = await browser.post(`/me/order-lines/${lineId}/return`, { reason: 'defective', csrf_token: csrfOf(html) });
  assertStatus(res, 409);
  assert.equal(formMessage(res), esc(t('order.return_window_closed')));
  assertUnchanged(before, 'a late return');
  // confirmed by the page's form: Gold earns 2 %
  const confirmed = await browser.post(`/me/order-lines/${lineId}/confirm`, formFields(html.text, `/me/order-lines/${lineId}/confirm`));
  assertRedirect(confirmed, `/me/orders/${o.id}?confirmed=1`);
  assert.deepEqual(one(`SELECT state, mileage_earned FROM order_lines WHERE id = ${lineId}`), ['confirmed', String(Math.floor(o.lines[0].line_total * 2 / 100))]);
});

check('life: mileage earned by a real confirmed order is spent on the next one: the ledger holds earned +E and spent −E, the balance is their sum', async () => {
  const s = await shopper({ grade: 'platinum' }); // no seed: every won of the balance is in the ledger
  const api = await loginApi(s);
  const p = product(life.brandB, { price: 50000, variants: [{ size: 'M', stock: 5 }] });
  const o = await place(api, { items: [item(p.variants[0])] });
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${o.id}/payment`, { amount: o.amounts.total }), 200);
  await deliver(life.sellerB, o.lines[0].id);
  assertStatus(await api.api('POST', `/api/v1/order-lines/${o.lines[0].id}/confirm`), 200);
  const E = Math.floor(47500 * 3 / 100); // Platinum: 50000 − 5 % = 47500 paid, 3 % earned
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), E);
  const real = { grade: gradeWith({ discount: 5, mileage: 3 }), mileage: E, balance: E,
    brands: new Map([[life.brandB.id, { fee: 2500, free: null, ret: 4000 }]]),
    lines: [{ brand: life.brandB.id, category: p.category, price: 50000, qty: 1, coupon: null }] };
  const exp = priceBasket(real);
  const second = await place(api, { items: [item(p.variants[0])], mileage: E, expected_total: exp.order.total });
  assertStored(second.id, real, [{ variant: p.variants[0], brand: life.brandB, qty: 1, price: 50000 }], exp, 'spending earned mileage');
  assert.deepEqual(rows(`SELECT kind, amount FROM mileage_entries WHERE user_id = ${s.id} ORDER BY id`), [['earned', String(E)], ['spent', String(-E)]]);
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), 0);
  assertProblem(await placeRaw(api, { items: [item(p.variants[0])], mileage: 1 }), 422, 'MILEAGE_OVER_BALANCE');
});

check('life: cancelling an unpaid order (page form) → cancelled, lines cancelled, stock, coupon and mileage back, no refund; again 409 NOT_CANCELLABLE', async () => {
  const s = await shopper({ grade: 'gold', mileage: 7000 });
  const api = await loginApi(s);
  const p1 = product(life.brandA, { price: 31000, variants: [{ size: 'S', stock: 4 }] });
  const p2 = product(life.brandB, { price: 12000, variants: [{ size: 'M', stock: 4 }] });
  const coupon = makeCoupon(s, { amount: 5000, min: 30000 });
  const o = await place(api, { items: [item(p1.variants[0], 2, coupon), item(p2.variants[0], 1)], mileage: 4000 });
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${coupon.id}`), 'used');
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), 3000);
  const browser = await loginPage(s);
  const html = await browser.get(`/me/orders/${o.id}`);
  assertStatus(html, 200);
  assert.ok(html.text.includes(`${t('order.transfer_amount')}</dt><dd>${won(o.amounts.total)}`), 'the order page shows no transfer amount while awaiting payment');
  const fields = formFields(html.text, `/me/orders/${o.id}/cancel`);
  assert.ok(fields.csrf_token, 'the cancel form has no CSRF token');
  assertRedirect(await browser.post(`/me/orders/${o.id}/cancel`, fields), `/me/orders/${o.id}?cancelled=1`);
  const after = await browser.get(`/me/orders/${o.id}?cancelled=1`);
  assert.ok(after.text.includes(esc(t('order.cancelled_notice'))), 'no notice after the cancel');
  assert.ok(after.text.includes(esc(t('order.payment.cancelled'))), 'the page does not say cancelled');
  assert.ok(!hasForm(after.text, `/me/orders/${o.id}/cancel`), 'a cancelled order still offers to cancel');
  assert.deepEqual(one(`SELECT payment_state, cancelled_at IS NOT NULL, refunded_amount FROM orders WHERE id = ${o.id}`), ['cancelled', '1', '0']);
  assert.deepEqual(rows(`SELECT DISTINCT state FROM order_lines WHERE order_id = ${o.id}`), [['cancelled']]);
  assert.deepEqual([num(`SELECT stock FROM product_variants WHERE id = ${p1.variants[0].id}`), num(`SELECT stock FROM product_variants WHERE id = ${p2.variants[0].id}`)], [4, 4]);
  assert.deepEqual(one(`SELECT state, used_at IS NULL FROM coupons WHERE id = ${coupon.id}`), ['available', '1']);
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), 7000);
  assert.deepEqual(rows(`SELECT kind, amount, order_line_id IS NULL FROM mileage_entries WHERE order_id = ${o.id} ORDER BY id`),
    [['spent', '-4000', '1'], ['reversed', '4000', '1']]);
  assert.equal(num(`SELECT COUNT(*) FROM refunds WHERE order_id = ${o.id}`), 0);
  assert.deepEqual(rows(`SELECT reason, delta FROM stock_movements WHERE order_line_id IN (SELECT id FROM order_lines WHERE order_id = ${o.id}) ORDER BY id`),
    [['order', '-2'], ['order', '-1'], ['cancel', '2'], ['cancel', '1']]);
  const before = world();
  assertProblem(await api.api('POST', `/api/v1/orders/${o.id}/cancel`), 409, 'NOT_CANCELLABLE');
  assertProblem(await adminApi.api('POST', `/api/v1/admin/orders/${o.id}/payment`, { amount: o.amounts.total }), 409, 'NOT_AWAITING');
  assertUnchanged(before, 'a second cancel and a payment of a cancelled order');
  // the coupon and the mileage can be used again
  const again = await place(api, { items: [item(p1.variants[0], 1, coupon)], mileage: 7000 });
  assert.equal(again.amounts.mileage_used, 7000);
});

check('life: cancelling a paid bank-transfer order → refund_pending with an order-level refunds row (total, shipping); the admin records it → refunded, refunded_amount = total; lines and shipping rows refunded; again 409 NOT_PENDING', async () => {
  const s = await shopper({ mileage: 2000 });
  const api = await loginApi(s);
  const p = product(life.brandA, { price: 21000, variants: [{ size: 'M', stock: 6 }] });
  const q = product(life.brandB, { price: 8000, variants: [{ size: 'M', stock: 6 }] });
  const o = await place(api, { items: [item(p.variants[0], 2), item(q.variants[0], 1)], mileage: 1500 });
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${o.id}/payment`, { amount: o.amounts.total }), 200);
  assertStatus(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${o.lines[0].id}/prepare`), 200);
  const before = world();
  assertProblem(await api.api('POST', `/api/v1/orders/${o.id}/cancel`), 422, 'REFUND_ACCOUNT_REQUIRED');
  assertUnchanged(before, 'cancelling a paid bank transfer without a refund account');
  const res = await api.api('POST', `/api/v1/orders/${o.id}/cancel`, ACCOUNT);
  assertStatus(res, 200);
  assert.deepEqual([res.json.payment_state, res.json.can_cancel, res.json.lines.map((l) => l.state)],
    ['refund_pending', false, ['cancelled', 'cancelled']]);
  const refund = rows(`SELECT id, order_line_id IS NULL, reason, method, state, amount, shipping_amount FROM refunds WHERE order_id = ${o.id}`);
  assert.deepEqual(refund.map((r) => r.slice(1)), [['1', 'cancel', 'bank_transfer', 'pending', String(o.amounts.total), String(o.amounts.shipping)]]);
  assert.deepEqual(accountOf('refunds', `order_id = ${o.id}`), Object.values(ACCOUNT));
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), 2000, 'the mileage spent did not come back');
  assert.deepEqual([num(`SELECT stock FROM product_variants WHERE id = ${p.variants[0].id}`), num(`SELECT stock FROM product_variants WHERE id = ${q.variants[0].id}`)], [6, 6]);
  // a cancelled line cannot be moved on
  const moved = await life.sellerA.api('POST', `/api/v1/seller/order-lines/${o.lines[0].id}/ship`, { courier: 'CJ', tracking_number: '9' });
  assertStatus(moved, 409);
  assert.ok(['NOT_PAID', 'WRONG_STATE'].includes(moved.json.code), describe(moved));
  const rec = await adminApi.api('POST', `/api/v1/admin/refunds/${refund[0][0]}/record`);
  assertStatus(rec, 200);
  assert.deepEqual([rec.json.state, rec.json.amount], ['done', o.amounts.total]);
  assert.deepEqual(one(`SELECT payment_state, refunded_amount FROM orders WHERE id = ${o.id}`), ['refunded', String(o.amounts.total)]);
  assert.deepEqual(rows(`SELECT refunded_amount = line_total FROM order_lines WHERE order_id = ${o.id}`), [['1'], ['1']]);
  assert.deepEqual(rows(`SELECT refunded_amount = shipping_fee FROM order_shipping_charges WHERE order_id = ${o.id}`), [['1'], ['1']]);
  assertProblem(await adminApi.api('POST', `/api/v1/admin/refunds/${refund[0][0]}/record`), 409, 'NOT_PENDING');
  const json = (await api.get(`/api/v1/orders/${o.id}`)).json;
  assert.deepEqual([json.payment_state, json.amounts.refunded], ['refunded', o.amounts.total]);
});

check('life: another shopper\'s order is 404 NOT_FOUND on GET (API, order page, complete page), cancel, confirm and return (API and page forms); nothing changes', async () => {
  const intruder = await shopper();
  const api = await loginApi(intruder);
  const browser = await loginPage(intruder);
  const token = await browser.csrf('/me/orders');
  const o = life.order.id;
  const before = world();
  // every answer is looked at, so that one report names all the wrong ones
  const wrong = [];
  const want404 = (what, res, problem) => {
    const code = res.json && res.json.code;
    if (res.status !== 404 || (problem && (code !== 'NOT_FOUND' || !/^urn:lonua:problem:[a-z0-9-]+$/.test(String(res.json.type))))) {
      wrong.push(`${what}: ${res.status} ${res.json ? JSON.stringify({ code: res.json.code, type: res.json.type }) : ''}`);
    }
  };
  want404(`GET /api/v1/orders/${o}`, await api.get(`/api/v1/orders/${o}`), true);
  want404(`GET /me/orders/${o}`, await browser.get(`/me/orders/${o}`));
  want404(`GET /me/orders/${o}/complete`, await browser.get(`/me/orders/${o}/complete`));
  want404(`POST /api/v1/orders/${o}/cancel`, await api.api('POST', `/api/v1/orders/${o}/cancel`), true);
  want404(`POST /me/orders/${o}/cancel`, await browser.post(`/me/orders/${o}/cancel`, { csrf_token: token }));
  for (const id of [...life.ids, 9007199254740990]) {
    want404(`POST /api/v1/order-lines/${id}/confirm`, await api.api('POST', `/api/v1/order-lines/${id}/confirm`), true);
    want404(`POST /api/v1/order-lines/${id}/return`, await api.api('POST', `/api/v1/order-lines/${id}/return`, { reason: 'defective' }), true);
    want404(`POST /me/order-lines/${id}/confirm`, await browser.post(`/me/order-lines/${id}/confirm`, { csrf_token: token }));
    want404(`POST /me/order-lines/${id}/return`, await browser.post(`/me/order-lines/${id}/return`, { csrf_token: token, reason: 'defective' }));
  }
  const list = await api.get('/api/v1/orders');
  assertStatus(list, 200);
  assert.deepEqual([list.json.total, list.json.items.length], [0, 0], 'the intruder lists orders');
  assertUnchanged(before, 'another shopper');
  assert.equal(wrong.length, 0, `${wrong.length} answers other than 404 problem+json NOT_FOUND: ${wrong.join('; ')}`);
});

check('life: the buyer\'s pages show the states: /me/orders lists each order with its state and total; /me/orders/{id} each line\'s state, courier and tracking number, the refund', async () => {
  const browser = await loginPage(life.s);
  const list = await browser.get('/me/orders');
  assertStatus(list, 200);
  const card = list.text.match(new RegExp(`<a class="order-card__link" href="/me/orders/${life.order.id}">([\\s\\S]*?)</a>`));
  assert.ok(card, 'the order is not in /me/orders');
  const cardText = unesc(card[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
  assert.ok(cardText.includes(`${t('order.payment.partially_refunded')} · ${won(life.exp.order.total)}`), `the card: ${cardText}`);
  // the line whose return was refused was then confirmed (kept)
  for (const s of ['returned', 'confirmed']) assert.ok(cardText.includes(t(`order.line.${s}`)), `the card does not show ${s}`);
  const apiList = await life.api.get('/api/v1/orders');
  assertStatus(apiList, 200);
  assert.deepEqual(apiList.json.items.map((o) => [o.id, o.payment_state, o.amounts.total]),
    [[life.order.id, 'partially_refunded', life.exp.order.total]]);
  const res = await browser.get(`/me/orders/${life.order.id}`);
  assertStatus(res, 200);
  const text = mainText(res);
  for (const [i, s] of [[0, 'returned'], [1, 'returned'], [2, 'confirmed'], [3, 'confirmed']]) {
    const li = res.text.match(new RegExp(`<li class="cart-line" id="line-${life.ids[i]}">([\\s\\S]*?)</li>`));
    assert.ok(li, `no line ${life.ids[i]} on the page`);
    assert.ok(li[1].includes(`<p class="order-line__state">${t(`order.line.${s}`)}`), `line ${i + 1} is not shown ${s}: ${li[1]}`);
    assert.ok(li[1].includes(won(life.exp.lines[i].paid)), `line ${i + 1} does not show what it paid`);
  }
  assert.ok(res.text.includes(`${t('order.line.returned')} · CJ대한통운 ${life.tracking}`), 'the first line does not show its courier and tracking number');
  assert.ok(res.text.includes(esc('착용 흔적이 있습니다')), 'the kept line no longer shows why its return was refused');
  assert.ok(text.includes(`${t('order.refunded')} ${won(life.exp.lines[0].changeOfMind + life.exp.lines[1].defective)}`), 'the refund is not shown');
  assert.ok(text.includes(t('order.payment.partially_refunded')), 'the payment state is not shown');
  assert.ok(!res.text.includes('bank-transfer__facts'), 'a paid order still shows where to send the money');
  assert.ok(!/<form[^>]*action="\/me\/(orders|order-lines)\//.test(res.text), 'a settled order still offers an action');
});

// ---- 6. popularity ------------------------------------------------------------------------------------------------------

function popularity(p) {
  const units = num(`SELECT units_sold_30d FROM products WHERE id = ${p.id}`);
  const r = one(`SELECT upper1_units, upper2_units, upper3_units, lower1_units, lower2_units, lower3_units
    FROM product_body_type_counts WHERE product_id = ${p.id}`);
  return { units, counts: r ? r.map(Number) : [0, 0, 0, 0, 0, 0] };
}

check('popularity: paying raises units_sold_30d by the units and the buyer\'s upper and lower body-type counters; an unpaid or cancelled unpaid order counts nothing', async () => {
  const s = await shopper({ over: { upper_body_type: 3, lower_body_type: 2 } });
  const api = await loginApi(s);
  const p1 = product(life.brandA, { price: 26000, variants: [{ size: 'M', stock: 20 }] });
  const p2 = product(life.brandA, { price: 13000, variants: [{ size: 'M', stock: 20 }] });
  const o = await place(api, { items: [item(p1.variants[0], 2), item(p2.variants[0], 1)] });
  const unpaid = await place(api, { items: [item(p1.variants[0], 4)] });
  assertStatus(await api.api('POST', `/api/v1/orders/${unpaid.id}/cancel`), 200);
  assert.deepEqual([popularity(p1), popularity(p2)], [{ units: 0, counts: [0, 0, 0, 0, 0, 0] }, { units: 0, counts: [0, 0, 0, 0, 0, 0] }],
    'an unpaid order moved the counters');
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${o.id}/payment`, { amount: o.amounts.total }), 200);
  assert.deepEqual(popularity(p1), { units: 2, counts: [0, 0, 2, 0, 2, 0] });
  assert.deepEqual(popularity(p2), { units: 1, counts: [0, 0, 1, 0, 1, 0] });
  Object.assign(life, { pop: { s, api, p1, p2, o } });
});

check('popularity: an approved return takes its units back; cancelling a paid order takes all of its units back', async () => {
  const { api, p1, p2, o } = life.pop;
  const line2 = o.lines.find((l) => l.variant_id === p2.variants[0].id).id;
  await deliver(life.sellerA, line2);
  assertStatus(await api.api('POST', `/api/v1/order-lines/${line2}/return`, { reason: 'wrong_item', ...ACCOUNT }), 200);
  assert.equal(popularity(p2).units, 1, 'a return request alone moved the counters');
  assertStatus(await life.sellerA.api('POST', `/api/v1/seller/order-lines/${line2}/return/approve`), 200);
  assert.deepEqual(popularity(p2), { units: 0, counts: [0, 0, 0, 0, 0, 0] });
  assert.deepEqual(popularity(p1), { units: 2, counts: [0, 0, 2, 0, 2, 0] });
  // a second order of p1, paid, then cancelled
  const o2 = await place(api, { items: [item(p1.variants[0], 3)] });
  assertStatus(await adminApi.api('POST', `/api/v1/admin/orders/${o2.id}/payment`, { amount: o2.amounts.total }), 200);
  assert.deepEqual(popularity(p1), { units: 5, counts: [0, 0, 5, 0, 5, 0] });
  const cancelled = await api.api('POST', `/api/v1/orders/${o2.id}/cancel`, ACCOUNT);
  assertStatus(cancelled, 200);
  assert.equal(cancelled.json.payment_state, 'refund_pending');
  assert.deepEqual(popularity(p1), { units: 2, counts: [0, 0, 2, 0, 2, 0] });
});

check('nothing to pay (a 100 % coupon, mileage for the rest, a brand that always ships free): paid at checkout even by card, counted as sold, mailed as placed and paid; cancelled, the coupon and mileage come back and no refund is made', async () => {
  const brand = makeBrand({ fee: 3000, freeThreshold: 0 });
  const s = await shopper({ mileage: 5000 });
  const api = await loginApi(s);
  const p1 = product(brand, { price: 20000, variants: [{ size: 'M', stock: 5 }] });
  const p2 = product(brand, { price: 4000, variants: [{ size: 'M', stock: 5 }] });
  const coupon = makeCoupon(s, { percent: 100 });
  const o = await place(api, { items: [item(p1.variants[0], 1, coupon), item(p2.variants[0], 1)], mileage: 4000,
    payment_method: 'card' });
  assert.deepEqual([o.amounts.total, o.payment_state, o.paid_at !== null, o.gateway_payment], [0, 'paid', true, null]);
  assert.deepEqual(one(`SELECT imp_uid IS NULL, received_amount IS NULL FROM orders WHERE id = ${o.id}`), ['1', '1']);
  assert.equal(popularity(p1).units + popularity(p2).units, 2, 'the units paid for with nothing are not counted as sold');
  assert.equal(num(`SELECT COUNT(*) FROM outbox WHERE dedupe_key IN ('order-placed:${o.id}:0', 'order-paid:${o.id}:0')`), 2);
  const res = await api.api('POST', `/api/v1/orders/${o.id}/cancel`);
  assertStatus(res, 200);
  assert.equal(res.json.payment_state, 'cancelled');
  assert.equal(num(`SELECT COUNT(*) FROM refunds WHERE order_id = ${o.id}`), 0, 'a refund of nothing');
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${coupon.id}`), 'available');
  assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${s.id}`), 5000);
  assert.equal(popularity(p1).units + popularity(p2).units, 0);
});

test('no worker died during the suite (lonua_worker_restarts_total unchanged)', async () => {
  assert.equal(await workerRestarts(), restartsBefore);
});

// ---- cleanup --------------------------------------------------------------------------------------------------------------

test('cleanup: every order, brand, product, seller, shopper, admin, coupon and throttle row of this run is removed', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
