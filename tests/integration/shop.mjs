// A fixture kit for the buying suites (cart now; checkout, orders, payments and concurrency after
// it): brands, products with sizes, shoppers with a grade, coupons, logged-in clients, and one
// cleanup() that removes everything this run made, children first.
//
// Rows are made as root through LONUA_DB_ROOT_SOCKET (client.mjs sql), except shoppers, who sign
// up through POST /api/v1/users like anyone and are then made active as root. Every name carries
// this run's suffix (client.mjs uniq()): CI runs each suite twice against one database (release
// and sanitizer builds), and other suites run before and after, so nothing here may collide with
// another run or leave rows that change what the next suite counts.
//
//   import { makeBrand, makeProduct, makeShopper, makeCoupon, loginPage, loginApi, cleanup } from './shop.mjs';
//   const brand = makeBrand({ fee: 3000, freeThreshold: 50000 });
//   const p = makeProduct(brand, { price: 39000, variants: [{ size: 'S', stock: 3 }, { size: 'M', stock: 0 }] });
//   const s = await makeShopper({ grade: 'gold' });
//   const page = await loginPage(s), api = await loginApi(s);
//   const seller = await loginSeller(await makeSeller(brand)), admin = await loginApi(await makeAdmin());
//   …
//   test('cleanup', () => { const left = cleanup(); assert.deepEqual(left, {}); });
import crypto from 'node:crypto';
import { assert } from '../lib/tap.mjs';
import {
  Client, accountKit, apiLogin, pageLogin, sql, val, num, rows, lit, idList, sha256, tokenHash, uniq, forgetThrottles,
  throttleKeys,
} from './client.mjs';
import { describe } from './http.mjs';

// Shoppers of every buying suite sign up at this domain (e-mail `tag-<run suffix>@SHOP_DOMAIN`).
export const SHOP_DOMAIN = 'shop.lonua-test.example';
export const SHOPPER_PASSWORD = 'Shop-Test-1234!';

// What this run made (ids), for cleanup(). Suites may add to these sets (an order they placed, a
// user who signed up through a page…) so that cleanup() removes those too.
export const made = {
  users: new Set(), brands: new Set(), products: new Set(), variants: new Set(), coupons: new Set(),
  orders: new Set(), clients: new Set(),
};

const accounts = accountKit({ domain: SHOP_DOMAIN, password: SHOPPER_PASSWORD, users: made.users });
export const { newEmail, signupBody } = accounts;

// ---- reference data ---------------------------------------------------------------------------------

export const GRADES = { bronze: 1, silver: 2, gold: 3, platinum: 4 };
// A grade's id by code or id, with its percents as the database holds them.
export function grade(g) {
  const id = typeof g === 'number' ? g : GRADES[String(g).toLowerCase()];
  assert.ok(id, `no grade ${g}`);
  const [discount, mileage] = rows(`SELECT discount_percent, mileage_percent FROM grades WHERE id = ${id}`)[0].map(Number);
  return { id, discount, mileage };
}

let categoryCache, styleCache;
// The ids of the categories and styles (reference data, from the database).
export function categoryIds() {
  categoryCache ??= rows('SELECT id FROM categories ORDER BY id').map((r) => Number(r[0]));
  assert.ok(categoryCache.length >= 2, 'fewer than two categories in the reference data');
  return categoryCache;
}
export function styleIdsFromDb() {
  styleCache ??= rows('SELECT id FROM styles ORDER BY id').map((r) => Number(r[0]));
  assert.ok(styleCache.length >= 1, 'no style in the reference data');
  return styleCache;
}

// ---- brands and products ------------------------------------------------------------------------------

// A brand made as root with a unique name and a known key (key_hash = SHA-256 of 32 random bytes,
// the key their base64url text). fee: shipping fee; freeThreshold: free-shipping threshold (null:
// never free; 0: always); returnCost: return shipping cost; status: 'active' or 'inactive'.
export function makeBrand({ fee = 3000, freeThreshold = 50000, returnCost = 6000, status = 'active', name } = {}) {
  const raw = crypto.randomBytes(32);
  name ??= `shoptest ${uniq()} 브랜드`;
  const id = Number(val(`INSERT INTO brands (name, key_hash, status, business_address, phone,
      business_registration_number, bank_name, bank_account_number, bank_account_holder, return_address,
      return_courier, shipping_fee, free_shipping_threshold, return_shipping_cost)
    VALUES (${lit(name)}, UNHEX('${sha256(raw)}'), ${lit(status)}, '서울특별시 중구 1', '0212345678', '1234567890',
      '테스트은행', '123-456-789', '예금주', '서울 반품센터', 'CJ대한통운', ${fee}, ${lit(freeThreshold)}, ${returnCost});
    SELECT LAST_INSERT_ID();`));
  made.brands.add(id);
  return { id, name, key: raw.toString('base64url'), fee, freeThreshold, returnCost, status };
}

// A product of brand made as root (products, product_variants; no pictures), with a unique name.
// price: sale price; listPrice (default price: not on sale); category, style: ids (default the
// first of each); status: 'active', 'draft' or 'hidden'; variants: [{ size, stock, status, color }]
// in display order (status 'active' or 'hidden'). Returns { id, name, price, listPrice, category,
// style, status, brand, variants: [{ id, size, stock, status, color }] }.
export function makeProduct(brand, {
  price = 39000, listPrice = price, category = categoryIds()[0], style = styleIdsFromDb()[0], status = 'active', name,
  variants = [{ size: 'M', stock: 10 }],
} = {}) {
  name ??= `shoptest ${uniq()} 상품`;
  assert.ok(variants.length > 0, 'a product needs at least one variant');
  const vs = variants.map((v, i) => ({ size: v.size ?? `S${i}`, stock: v.stock ?? 10, status: v.status ?? 'active',
    color: v.color ?? '' }));
  const values = vs.map((v, i) => `(@p, ${brand.id}, ${lit(v.size)}, ${lit(v.color)}, ${v.stock}, ${lit(v.status)}, ${i})`);
  const out = rows(`INSERT INTO products (brand_id, category_id, style_id, name, description, list_price, sale_price, status)
      VALUES (${brand.id}, ${category}, ${style}, ${lit(name)}, '테스트 상품', ${listPrice}, ${price}, ${lit(status)});
    SET @p = LAST_INSERT_ID();
    INSERT INTO product_variants (product_id, brand_id, size_label, color, stock, status, sort_order) VALUES ${values.join(', ')};
    SELECT @p, id FROM product_variants WHERE product_id = @p ORDER BY sort_order, id;`);
  const id = Number(out[0][0]);
  made.products.add(id);
  const variantsOut = vs.map((v, i) => ({ ...v, id: Number(out[i][1]) }));
  for (const v of variantsOut) made.variants.add(v.id);
  return { id, name, price, listPrice, category, style, status, brand, variants: variantsOut };
}

// ---- shoppers ------------------------------------------------------------------------------------------

// An active shopper: signs up through POST /api/v1/users (over: fields of the sign-up body), then,
// as root, active with the e-mail verified, grade set (code or id; default bronze) and no welcome
// coupons (none are granted without the mailed link).
//
// mileage: sets users.mileage_balance as root, with no mileage_entries row (the ledger's CHECK
// wants an order for every entry). For such a shopper the ledger invariant is
// balance = mileageSeed + Σ entries, not Σ entries alone; the returned mileageSeed says how much
// was seeded. Suites that check the plain invariant should make shoppers without it.
export async function makeShopper({ grade: g = 'bronze', mileage = 0, over = {} } = {}) {
  const a = await accounts.signUp(over, { active: true });
  const gr = grade(g);
  sql(`UPDATE users SET grade_id = ${gr.id}, mileage_balance = ${Number(mileage)} WHERE id = ${a.id};`);
  return { ...a, grade: gr, mileageSeed: Number(mileage) };
}

// A browser logged in through /login (its lonua_sid cookie), or a client with a bearer token.
export const loginPage = (shopper, client = guest()) => pageLogin(shopper, client);
export const loginApi = (shopper) => apiLogin(shopper);

// ---- buying, the whole way ------------------------------------------------------------------------

// The shopper (api: a logged-in client) buys quantity of the variant by bank transfer, the admin
// records the transfer and the brand's seller prepares, ships and delivers it; then, by `until`,
// the shopper confirms it ('confirmed'), returns it and the seller approves ('returned'), or
// nothing more ('delivered'). Returns { order, line } (the line's id).
export async function purchase(api, { adminApi, sellerApi }, variantId, { quantity = 1, until = 'delivered' } = {}) {
  const placed = await api.api('POST', '/api/v1/orders', { items: [{ variant_id: variantId, quantity }],
    payment_method: 'bank_transfer' }, { headers: { 'Idempotency-Key': `buy-${variantId}-${uniq()}` } });
  assert.equal(placed.status, 201, placed.text);
  const order = placed.json, line = order.lines[0].id;
  const ok = (res) => assert.equal(res.status, 200, res.text);
  ok(await adminApi.api('POST', `/api/v1/admin/orders/${order.id}/payment`, { amount: order.amounts.total }));
  for (const [step, body] of [['prepare', {}], ['ship', { courier: 'CJ대한통운', tracking_number: '1' }], ['deliver', {}]]) {
    ok(await sellerApi.api('POST', `/api/v1/seller/order-lines/${line}/${step}`, body));
  }
  if (until === 'confirmed') ok(await api.api('POST', `/api/v1/order-lines/${line}/confirm`));
  if (until === 'returned') {
    ok(await api.api('POST', `/api/v1/order-lines/${line}/return`, { reason: 'size', refund_bank_name: '국민은행',
      refund_account_number: '123456-01-234567', refund_account_holder: '홍길동' }));
    ok(await sellerApi.api('POST', `/api/v1/seller/order-lines/${line}/return/approve`));
  }
  return { order, line };
}

// A guest browser whose cart cookie cleanup() will find.
export function guest(opts) {
  const c = new Client(opts);
  made.clients.add(c);
  return c;
}

// Each worker keeps a product page's newest reviews and questions while the product's community
// version (schema/020) stays. communityVersion(id).moved(what) asserts that a write moved it since
// the last call; productPages(id, what, check) asks the product page on 8 guest requests in a row
// (they reach the 4 workers) and asserts check(html) on each.
export function communityVersion(productId) {
  const read = () => num(`SELECT COALESCE((SELECT version FROM product_community_versions WHERE product_id = ${productId}), 0)`);
  let v = read();
  return {
    read,
    moved(what) {
      const now = read();
      assert.ok(now > v, `${what} does not move the version (${v} -> ${now})`);
      v = now;
    },
  };
}
export async function productPages(productId, what, check) {
  for (let i = 0; i < 8; i++) {
    const res = await guest().get(`/products/${productId}`);
    assert.equal(res.status, 200, `${what}: ${describe(res)}`);
    assert.ok(check(res.text), `${what}: request ${i + 1} shows the product page as it was before`);
  }
}

// A shopper who signed up and has not confirmed the e-mail address (status pending): can log in,
// cannot buy. over: fields of the sign-up body.
export async function makePendingShopper({ over = {} } = {}) {
  const a = await accounts.signUp(over);
  return { ...a, mileageSeed: 0 };
}

// An active admin: signs up like a shopper, then is made an admin as root (role admin, e-mail
// verified). The account is removed by cleanup() with the shoppers (same domain).
export async function makeAdmin() {
  const a = await accounts.signUp({ name: `shoptest ${uniq()} 관리자` }, { active: true });
  sql(`UPDATE users SET role = 'admin' WHERE id = ${a.id};`);
  return { ...a, mileageSeed: 0 };
}

// A seller of brand (made by makeBrand, which knows its key): signs up through POST /api/v1/sellers
// with the brand's id and key, like anyone holding the key. Returns { id, email, password, brand,
// seller }; loginSeller(s) gives a client with its bearer token. cleanup() removes the sellers of
// the run's brands, their sessions, and the throttle rows of the brand key's check.
export async function makeSeller(brand, { name = `셀러 ${uniq()}` } = {}) {
  assert.ok(brand && brand.key, 'makeSeller needs a brand made by makeBrand (with its key)');
  const c = new Client();
  throttleKeys('brand-key', String(brand.id), c.ip);
  const body = { brand_id: brand.id, brand_key: brand.key, email: newEmail('seller'), password: SHOPPER_PASSWORD,
    name, agree_terms: true };
  const res = await c.api('POST', '/api/v1/sellers', body);
  assert.equal(res.status, 201, `seller sign-up: ${describe(res)}`);
  return { id: res.json.id, email: body.email, password: body.password, brand, seller: res.json };
}
export const loginSeller = (seller) => apiLogin(seller, { seller: true });

// ---- coupons --------------------------------------------------------------------------------------------

// A date for SQL: a Date, an ISO string, or a number of days from now (negative: in the past).
function when(v) {
  if (typeof v === 'number') return `UTC_TIMESTAMP() + INTERVAL ${Math.round(v * 86400)} SECOND`;
  const d = v instanceof Date ? v : new Date(v);
  assert.ok(!Number.isNaN(d.getTime()), `not a date: ${v}`);
  return lit(d.toISOString().slice(0, 19).replace('T', ' '));
}

// A coupon of user (a shopper or an id) made as root: percent OR amount, min (minimum line amount),
// category (id or null: any), validFrom and validUntil (Date, ISO string, or days from now; default
// -1 and +30, and for state 'expired' -30 and -1), state ('available', 'used', 'expired',
// 'revoked'; 'used' gets a used_at), name (default unique). Returns { id, name, … }.
export function makeCoupon(user, {
  percent = null, amount = null, min = 0, category = null, state = 'available', name,
  validFrom = state === 'expired' ? -30 : -1, validUntil = state === 'expired' ? -1 : 30,
} = {}) {
  assert.ok((percent === null) !== (amount === null), 'a coupon takes a percent or an amount');
  const userId = typeof user === 'object' ? user.id : user;
  name ??= `쿠폰 ${uniq()} ${percent !== null ? `${percent}%` : `${amount}원`}`;
  const id = Number(val(`INSERT INTO coupons (user_id, name, discount_percent, discount_amount, min_line_amount,
      category_id, valid_from, valid_until, state, used_at)
    VALUES (${userId}, ${lit(name)}, ${lit(percent)}, ${lit(amount)}, ${min}, ${lit(category)}, ${when(validFrom)},
      ${when(validUntil)}, ${lit(state)}, ${state === 'used' ? 'UTC_TIMESTAMP()' : 'NULL'});
    SELECT LAST_INSERT_ID();`));
  made.coupons.add(id);
  return { id, name, userId, percent, amount, min, category, state };
}

// ---- reading the cart as root -----------------------------------------------------------------------------

// The cart id of a user, or of a guest browser (its lonua_cart cookie); undefined when it has none.
export function cartIdOf(owner) {
  if (owner instanceof Client) {
    const cookie = owner.cookies.get('lonua_cart');
    if (!cookie) return undefined;
    const v = val(`SELECT id FROM carts WHERE guest_token_hash = UNHEX('${tokenHash(cookie)}')`);
    return v === undefined ? undefined : Number(v);
  }
  const v = val(`SELECT id FROM carts WHERE user_id = ${typeof owner === 'object' ? owner.id : owner}`);
  return v === undefined ? undefined : Number(v);
}
// The lines of a cart as rows { id, variant_id, quantity, coupon_id (null: none) }, oldest first.
export function cartLines(cartId) {
  if (cartId === undefined) return [];
  return rows(`SELECT id, variant_id, quantity, COALESCE(coupon_id, 0) FROM cart_lines WHERE cart_id = ${cartId} ORDER BY id`)
    .map(([id, variant, q, c]) => ({ id: Number(id), variant_id: Number(variant), quantity: Number(q),
      coupon_id: Number(c) || null }));
}

// ---- cleanup ------------------------------------------------------------------------------------------

// Deletes everything this run made, children first: orders and what hangs on them (payment events,
// refunds, stock movements, mileage entries, lines, shipping charges), reviews and questions, cart
// lines and carts (the users' and the guest browsers' of guest()), coupons, sessions, outbox mail to
// the run's shoppers, variants, pictures and search rows, products, sellers, brands, users, and the
// login_throttles rows of the keys used. Returns what is left of it by table ({} when all is gone).
export function cleanup() {
  const byEmail = rows(`SELECT id FROM users WHERE email LIKE '%@${SHOP_DOMAIN}'`).map((r) => Number(r[0]));
  for (const id of byEmail) made.users.add(id);
  const users = idList(made.users), brands = idList(made.brands);
  const products = idList(rows(`SELECT id FROM products WHERE brand_id IN (${brands})`).map((r) => r[0])
    .concat([...made.products]));
  const variants = idList(rows(`SELECT id FROM product_variants WHERE product_id IN (${products})`).map((r) => r[0]));
  const orderIds = rows(`SELECT id FROM orders WHERE user_id IN (${users})
    UNION SELECT order_id FROM order_lines WHERE brand_id IN (${brands}) OR variant_id IN (${variants})`)
    .map((r) => r[0]).concat([...made.orders]);
  const orders = idList(orderIds);
  const guestHashes = [...made.clients].map((c) => c.cookies.get('lonua_cart')).filter(Boolean)
    .map((t) => `UNHEX('${tokenHash(t)}')`).join(',') || "''";
  const guestCarts = idList(rows(`SELECT id FROM carts WHERE guest_token_hash IN (${guestHashes})
    UNION SELECT l.cart_id FROM cart_lines l JOIN carts c ON c.id = l.cart_id
    WHERE c.user_id IS NULL AND l.variant_id IN (${variants})`).map((r) => r[0]));
  const script = [
    `DELETE FROM payment_events WHERE order_id IN (${orders});`,
    `DELETE FROM refunds WHERE order_id IN (${orders});`,
    `DELETE FROM stock_movements WHERE order_line_id IN (SELECT id FROM order_lines WHERE order_id IN (${orders}))
      OR variant_id IN (${variants});`,
    `DELETE FROM mileage_entries WHERE order_id IN (${orders}) OR user_id IN (${users});`,
    `DELETE FROM reviews WHERE user_id IN (${users}) OR product_id IN (${products})
      OR order_line_id IN (SELECT id FROM order_lines WHERE order_id IN (${orders}));`,
    `DELETE a FROM answers a JOIN questions q ON q.id = a.question_id
      WHERE q.user_id IN (${users}) OR q.product_id IN (${products});`,
    `DELETE FROM questions WHERE user_id IN (${users}) OR product_id IN (${products});`,
  ];
  script.push(
    `DELETE FROM order_lines WHERE order_id IN (${orders});`,
    `DELETE FROM order_shipping_charges WHERE order_id IN (${orders});`,
    `DELETE FROM orders WHERE id IN (${orders});`,
    // the run's sizes in any cart (each cart's line count follows, by trigger), then the run's carts
    // with their lines (a statement that reads carts cannot delete lines: their trigger writes carts)
    `DELETE FROM cart_lines WHERE variant_id IN (${variants});`,
    `DELETE FROM carts WHERE user_id IN (${users}) OR id IN (${guestCarts});`,
    `DELETE FROM coupons WHERE user_id IN (${users}) OR id IN (${idList(made.coupons)});`,
    `DELETE FROM sessions WHERE user_id IN (${users})
      OR seller_id IN (SELECT id FROM sellers WHERE brand_id IN (${brands}));`,
    `DELETE FROM outbox WHERE JSON_VALUE(payload, '$.to') LIKE '%@${SHOP_DOMAIN}';`,
    `DELETE FROM product_search WHERE product_id IN (${products});`,
    `DELETE FROM likes WHERE product_id IN (${products}) OR user_id IN (${users});`,
    `DELETE FROM product_variants WHERE product_id IN (${products});`,
    `DELETE FROM products WHERE id IN (${products});`,
    // after the reviews and questions, whose triggers move these versions
    `DELETE FROM product_community_versions WHERE product_id IN (${products});`,
    `DELETE FROM product_versions WHERE product_id IN (${products});`,
    `DELETE FROM brand_versions WHERE brand_id IN (${brands});`,
    `DELETE FROM sellers WHERE brand_id IN (${brands});`,
    `DELETE FROM brands WHERE id IN (${brands});`,
    `DELETE FROM users WHERE id IN (${users});`,
  );
  sql(script.join('\n'));
  const throttlesLeft = forgetThrottles();
  const left = {
    users: num(`SELECT COUNT(*) FROM users WHERE id IN (${users}) OR email LIKE '%@${SHOP_DOMAIN}'`),
    brands: num(`SELECT COUNT(*) FROM brands WHERE id IN (${brands})`),
    products: num(`SELECT COUNT(*) FROM products WHERE id IN (${products})`),
    variants: num(`SELECT COUNT(*) FROM product_variants WHERE id IN (${variants})`),
    coupons: num(`SELECT COUNT(*) FROM coupons WHERE id IN (${idList(made.coupons)})`),
    carts: num(`SELECT COUNT(*) FROM carts WHERE user_id IN (${users}) OR id IN (${guestCarts})`),
    orders: num(`SELECT COUNT(*) FROM orders WHERE id IN (${orders})`),
    throttles: throttlesLeft,
  };
  return Object.fromEntries(Object.entries(left).filter(([, n]) => n !== 0));
}
