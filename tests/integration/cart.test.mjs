// The cart through the real stack (nginx → lonua workers → MariaDB): a guest's cart under the
// lonua_cart cookie and a member's, by page forms without JavaScript and by the JSON API; adding
// (stock, sizes not on sale, the 100-line limit, every invalid quantity), changing quantity and
// size, removing, clearing, CSRF, the guest cart merged at login, ownership (another cart's line is
// 404), per-line coupons (own, foreign, used, expired, revoked, below the minimum by one won, wrong
// category, moved, taken off), prices re-read, lines no longer on sale, and the totals: grade
// discount, coupons and shipping per brand against the worked baskets of docs/money.md.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   node tests/integration/cart.test.mjs
//
// Brands, products and coupons are made as root, shoppers sign up through the API (shop.mjs); all
// carry this run's suffix, and the last test removes them. Each simulated browser has its own
// client address (X-Forwarded-For).
import { test, run, assert } from '../lib/tap.mjs';
import { describe, assertStatus, assertProblem, assertInvalid, mediaType } from './http.mjs';
import {
  SOCKET, bailUnlessSet, Client, csrfOf, sql, val, num, assertRedirect, assertClears, assertPrivate, setCookie,
  formMessage, esc, t, throttleKeys, tokenHash, uniq,
} from './client.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeCoupon, loginPage, loginApi, guest, cartIdOf, cartLines, cleanup,
  categoryIds, SHOPPER_PASSWORD,
} from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

// ---- helpers ------------------------------------------------------------------------------------------

// The count in the header's cart link, or undefined when the header shows none.
function headerCount(res) {
  assertStatus(res, 200);
  const link = res.text.match(/<a class="account-links__item" href="\/cart"[^>]*>[\s\S]*?<\/a>/);
  assert.ok(link, `no cart link in the header: ${describe(res)}`);
  const m = link[0].match(/<span class="account-links__count"[^>]*>(\d+)<\/span>/);
  return m ? Number(m[1]) : undefined;
}

// The cart as GET /api/v1/cart answers it to this client.
async function apiCart(c) {
  const res = await c.get('/api/v1/cart');
  assertStatus(res, 200);
  assert.equal(mediaType(res), 'application/json', describe(res));
  return res.json;
}

// A CSRF token for this browser: from the login page for a guest (a form page), any page for a member.
async function tokenOf(c) {
  return c.csrf(c.sid ? '/' : '/login');
}

// An unsafe API call with the X-CSRF-Token of this browser's page (a guest, or a member by cookie).
async function apiWithToken(c, method, p, body) {
  const token = await tokenOf(c);
  return c.api(method, p, body, { headers: { 'X-CSRF-Token': token } });
}

// Adds through the product page's form, as a browser without script does: GET the page, POST its form.
async function addByPage(c, product, variant, quantity) {
  const page = await c.get(`/products/${product.id}`);
  assertStatus(page, 200);
  const fields = { variant_id: String(variant.id ?? variant), csrf_token: csrfOf(page) };
  if (quantity !== undefined) fields.quantity = String(quantity);
  return c.post(`/products/${product.id}/cart`, fields);
}

// Submits a form of the cart page (change, coupon, delete, clear) with the page's token.
async function cartForm(c, action, fields = {}) {
  const page = await c.get('/cart');
  assertStatus(page, 200);
  return c.post(action, { ...fields, csrf_token: csrfOf(page) });
}

// The cart's lines as rows (shop.mjs cartLines) of a user or a guest browser.
const linesOf = (owner) => cartLines(cartIdOf(owner));
// [variant_id, quantity] of each line, oldest first.
const pairs = (owner) => linesOf(owner).map((l) => [l.variant_id, l.quantity]);
const itemOf = (cart, variantId) => cart.items.find((i) => i.variant_id === variantId);
const brandOf = (cart, brandId) => cart.brands.find((b) => b.id === brandId);
// The numbers of the totals (the *_text strings and flags left out).
function amounts(totals) {
  const { items, coupon_discount, grade_discount, discounted, mileage, shipping, total } = totals;
  return { items, coupon_discount, grade_discount, discounted, mileage, shipping, total };
}
const won = (n) => `₩${n.toLocaleString('en-US')}`;
// The text of a page's <main> with tags and extra blanks taken out.
const mainText = (res) => (res.text.match(/<main[\s\S]*<\/main>/) || [''])[0].replace(/<[^>]+>/g, ' ')
  .replace(/\s+/g, ' ');

// ---- fixtures ------------------------------------------------------------------------------------------

// One ordinary brand (fee 3000, free from 50000) with a few products shared by the simple cases.
let brand, tee, jeans, soldOut;

test('fixtures: a brand and products made as root are on sale (product pages 200)', async () => {
  const [top, bottom] = categoryIds();
  brand = makeBrand({ fee: 3000, freeThreshold: 50000, returnCost: 6000 });
  tee = makeProduct(brand, { price: 19000, listPrice: 25000, category: top,
    variants: [{ size: 'S', stock: 3 }, { size: 'M', stock: 0 }, { size: 'L', stock: 5 }, { size: 'XL', stock: 8, status: 'hidden' }] });
  jeans = makeProduct(brand, { price: 45000, category: bottom, variants: [{ size: '28', stock: 20 }, { size: '30', stock: 20 }] });
  soldOut = makeProduct(brand, { price: 9900, variants: [{ size: 'FREE', stock: 0 }] });
  for (const p of [tee, jeans, soldOut]) {
    const res = await new Client().get(`/products/${p.id}`);
    assertStatus(res, 200);
    assert.ok(res.text.includes(esc(p.name)), `the page of ${p.id} does not name it`);
  }
});

// ---- 1. a guest by page, without script --------------------------------------------------------------

test('guest, product page form: 303 to /cart?added=1, lonua_cart cookie (HttpOnly, SameSite=Lax), the header counts the line, /cart lists it with price and total', async () => {
  const g = guest();
  const page = await g.get(`/products/${tee.id}`);
  assertStatus(page, 200);
  // the form a browser without script submits: action, the token, a radio per size (sold out disabled)
  assert.ok(page.text.includes(`action="/products/${tee.id}/cart" method="post"`), 'no add-to-cart form');
  const [s, m, l, xl] = tee.variants;
  assert.match(page.text, new RegExp(`name="variant_id" value="${s.id}"[^>]*required`), 'no radio for S');
  assert.match(page.text, new RegExp(`name="variant_id" value="${m.id}"[^>]* disabled`), 'the sold-out M is not disabled');
  assert.ok(!page.text.includes(`value="${xl.id}"`), 'the hidden XL is offered');
  assert.equal(headerCount(page), undefined, 'a new guest has a count in the header');
  const res = await g.post(`/products/${tee.id}/cart`, { variant_id: String(s.id), quantity: '2', csrf_token: csrfOf(page) });
  assertRedirect(res, '/cart?added=1');
  const cookie = setCookie(res, 'lonua_cart');
  assert.ok(cookie, `no lonua_cart cookie: ${describe(res)}`);
  assert.match(cookie, /^lonua_cart=[A-Za-z0-9_-]{43};/, cookie);
  assert.match(cookie, /;\s*HttpOnly/i, cookie);
  assert.match(cookie, /;\s*SameSite=Lax/i, cookie);
  assert.match(cookie, /;\s*Path=\/(;|$)/, cookie);
  // only the cookie's hash is stored, as a guest cart (no user)
  const cartId = cartIdOf(g);
  assert.ok(cartId, 'no carts row for the cookie');
  assert.equal(val(`SELECT user_id IS NULL FROM carts WHERE id = ${cartId}`), '1');
  assert.equal(num(`SELECT COUNT(*) FROM carts WHERE guest_token_hash = UNHEX('${tokenHash(g.cookies.get('lonua_cart'))}')`), 1);
  assert.deepEqual(pairs(g), [[s.id, 2]]);
  // the next page counts one line; /cart shows it
  const cart = await g.get('/cart?added=1');
  assertStatus(cart, 200);
  assertPrivate(cart, '/cart');
  assert.equal(headerCount(cart), 1);
  assert.ok(cart.text.includes(t('cart.added')), 'no "added" notice');
  const body = mainText(cart);
  assert.ok(cart.text.includes(esc(tee.name)), 'the line does not name the product');
  assert.ok(cart.text.includes(esc(brand.name)), 'the line does not name the brand');
  assert.match(body, /Size S\b/, 'the line does not show its size');
  assert.ok(cart.text.includes(`<del>${won(25000)}</del> <span>${won(19000)}</span>`), 'no list and sale price');
  assert.ok(cart.text.includes(`value="2" required`), 'the quantity field does not hold 2');
  assert.ok(cart.text.includes(`<p class="cart-line__subtotal">${won(38000)}</p>`), 'no line subtotal 38000');
  // 38000 < 50000: the fee is due, total 41000
  assert.ok(/<dt>Items<\/dt><dd>₩38,000<\/dd>/.test(cart.text), 'items total is not 38000');
  assert.ok(/<dt>Shipping<\/dt><dd>₩3,000<\/dd>/.test(cart.text), 'shipping is not 3000');
  assert.ok(/<dt>Total<\/dt><dd>₩41,000<\/dd>/.test(cart.text), 'the total is not 41000');
  assert.ok(body.includes(`${won(12000)} more for free shipping`), 'no "12000 more for free shipping"');
  assert.ok(cart.text.includes('href="/checkout"'), 'no checkout link for a cart that can be bought');
  // another page's header counts it too
  assert.equal(headerCount(await g.get('/products')), 1);
});

test('guest: adding the same size again adds the quantities on one line; another size is a second line (header 2)', async () => {
  const g = guest();
  const [, , l] = tee.variants;
  assertRedirect(await addByPage(g, tee, l, 2), '/cart?added=1');
  assertRedirect(await addByPage(g, tee, l, 1), '/cart?added=1');
  assertRedirect(await addByPage(g, jeans, jeans.variants[0]), '/cart?added=1'); // quantity left out: 1
  assert.deepEqual(pairs(g), [[l.id, 3], [jeans.variants[0].id, 1]]);
  const cart = await apiCart(g);
  assert.equal(cart.count, 2);
  assert.deepEqual(cart.items.map((i) => [i.variant_id, i.quantity, i.unit_price, i.subtotal]),
    [[l.id, 3, 19000, 57000], [jeans.variants[0].id, 1, 45000, 45000]]);
  assert.equal(headerCount(await g.get('/')), 2);
});

test('guest: more than the stock is 409 OUT_OF_STOCK, the page drawn again with the message, the API detail says how many are left; nothing changes', async () => {
  const g = guest();
  const [s] = tee.variants; // stock 3
  assertRedirect(await addByPage(g, tee, s, 2), '/cart?added=1');
  const before = linesOf(g);
  const res = await addByPage(g, tee, s, 2); // 2 + 2 > 3
  assertStatus(res, 409);
  assert.equal(formMessage(res), esc(t('validation.out_of_stock')), `no out-of-stock message: ${describe(res)}`);
  assert.ok(res.text.includes(`action="/products/${tee.id}/cart"`), 'the product page is not drawn again');
  assert.ok(res.text.includes(esc(tee.name)), 'the page drawn again is not the product\'s');
  const api = await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: s.id, quantity: 2 });
  const p = assertProblem(api, 409, 'OUT_OF_STOCK');
  assert.match(p.detail, /\b3\b/, `the detail does not say 3 are left: ${p.detail}`);
  assert.deepEqual(linesOf(g), before, 'a refused addition changed the cart');
  // exactly the stock is fine
  assertRedirect(await addByPage(g, tee, s, 1), '/cart?added=1');
  assert.deepEqual(pairs(g), [[s.id, 3]]);
});

test('the product form drawn again keeps what was entered (SPEC §4): the chosen size checked and the quantity typed', async () => {
  const g = guest();
  const [, , l] = tee.variants; // stock 5
  const res = await addByPage(g, tee, l, 7);
  assertStatus(res, 409);
  assert.match(res.text, new RegExp(`name="variant_id" value="${l.id}"[^>]* checked`), 'the size chosen is not checked any more');
  assert.match(res.text, /id="quantity" name="quantity"[^>]* value="7"/, 'the quantity typed is not kept');
  assert.deepEqual(linesOf(g), []);
});

test('a sold-out size is 409 OUT_OF_STOCK (page and API) and adds nothing; a sold-out product page has no quantity or add button', async () => {
  const g = guest();
  const [, m] = tee.variants; // stock 0
  const res = await addByPage(g, tee, m, 1);
  assertStatus(res, 409);
  assert.equal(formMessage(res), esc(t('validation.out_of_stock')));
  const api = await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: m.id, quantity: 1 });
  const p = assertProblem(api, 409, 'OUT_OF_STOCK');
  assert.match(p.detail, /sold out/i, p.detail);
  const only = await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: soldOut.variants[0].id, quantity: 1 });
  assertProblem(only, 409, 'OUT_OF_STOCK');
  assert.deepEqual(linesOf(g), []);
  const page = await g.get(`/products/${soldOut.id}`);
  assertStatus(page, 200);
  assert.ok(!page.text.includes('name="quantity"'), 'a sold-out product offers a quantity');
  assert.ok(!/sizes__add/.test(page.text), 'a sold-out product offers the add button');
});

test('not on sale: a hidden product, a draft product, a hidden size, an inactive brand, an unknown variant are 404 NOT_FOUND and add nothing', async () => {
  const g = guest();
  const hidden = makeProduct(brand, { status: 'hidden' });
  const draft = makeProduct(brand, { status: 'draft' });
  const closed = makeBrand({ status: 'inactive' });
  const ofClosed = makeProduct(closed);
  const hiddenSize = tee.variants[3];
  const cases = [['hidden product', hidden, hidden.variants[0]], ['draft product', draft, draft.variants[0]],
    ['hidden size', tee, hiddenSize], ['inactive brand', ofClosed, ofClosed.variants[0]]];
  const token = await tokenOf(g);
  for (const [what, product, variant] of cases) {
    const api = await g.api('POST', '/api/v1/cart/items', { variant_id: variant.id, quantity: 1 }, { headers: { 'X-CSRF-Token': token } });
    const p = assertProblem(api, 404, 'NOT_FOUND');
    assert.ok(p.detail.length > 0, what);
    const form = await g.post(`/products/${product.id}/cart`, { variant_id: String(variant.id), quantity: '1', csrf_token: token });
    assertStatus(form, 404);
    assert.ok(mediaType(form) === 'text/html', `${what}: the page answer is not HTML: ${describe(form)}`);
  }
  // the page of a product on sale, posting a size that is not on sale: the form again with the message
  const form = await g.post(`/products/${tee.id}/cart`, { variant_id: String(hiddenSize.id), quantity: '1', csrf_token: token });
  assertStatus(form, 404);
  assert.equal(formMessage(form), esc(t('validation.not_available')), describe(form));
  assert.ok(form.text.includes(`action="/products/${tee.id}/cart"`), 'the product page is not drawn again');
  const unknown = await g.api('POST', '/api/v1/cart/items', { variant_id: 999999999, quantity: 1 }, { headers: { 'X-CSRF-Token': token } });
  assertProblem(unknown, 404, 'NOT_FOUND');
  assert.deepEqual(linesOf(g), [], 'something not on sale was added');
});

test('the product page form adds only a size of that product: another product\'s variant is 404 and adds nothing', async () => {
  const g = guest();
  const res = await addByPage(g, tee, jeans.variants[0], 1);
  assertStatus(res, 404);
  assert.deepEqual(linesOf(g), [], `POST /products/${tee.id}/cart added a size of product ${jeans.id}`);
});

// ---- 2. invalid quantities ------------------------------------------------------------------------------

// [what, value, the code in errors.quantity]. A JSON string of digits counts as the number and an
// empty optional field as left out (the input rules of every route, tests/integration/bad-input.test.mjs).
const BAD_QUANTITIES = [['0', 0, 'too_small'], ['-1', -1, 'too_small'], ['1000', 1000, 'too_large'],
  ['1.5', 1.5, 'not_integer'], ['abc', 'abc', 'not_integer'], ['huge', '99999999999999999999', 'too_large'],
  ['1e30', 1e30, 'not_integer']];

test('invalid quantities (0, -1, 1000, 1.5, "abc", huge) are 422 VALIDATION_FAILED on every route that takes one (API and pages), and change nothing', async () => {
  const g = guest();
  const [, , l] = tee.variants;
  assertRedirect(await addByPage(g, tee, l, 1), '/cart?added=1');
  const [line] = linesOf(g);
  const before = linesOf(g);
  const token = await tokenOf(g);
  for (const [what, q, code] of BAD_QUANTITIES) {
    // API: add and change
    const add = await g.api('POST', '/api/v1/cart/items', { variant_id: l.id, quantity: q }, { headers: { 'X-CSRF-Token': token } });
    assertInvalid(add, { quantity: code });
    const patch = await g.api('PATCH', `/api/v1/cart/items/${line.id}`, { quantity: q }, { headers: { 'X-CSRF-Token': token } });
    assertInvalid(patch, { quantity: code });
    // pages: the product form and the cart's change form, drawn again with a message
    const form = await g.post(`/products/${tee.id}/cart`, { variant_id: String(l.id), quantity: String(q), csrf_token: token });
    assertStatus(form, 422);
    assert.ok(formMessage(form), `product form, quantity ${what}: no message: ${describe(form)}`);
    assert.ok(form.text.includes(`action="/products/${tee.id}/cart"`), `quantity ${what}: the product page is not drawn again`);
    const change = await g.post(`/cart/items/${line.id}`, { quantity: String(q), csrf_token: token });
    assertStatus(change, 422);
    assert.ok(formMessage(change), `cart form, quantity ${what}: no message: ${describe(change)}`);
    assert.ok(change.text.includes('class="cart-lines"'), `quantity ${what}: the cart is not drawn again`);
    assert.deepEqual(linesOf(g), before, `quantity ${what} changed the cart`);
  }
  // variant_id missing, 0, or not a number
  for (const [body, code] of [[{ quantity: 1 }, 'required'], [{ variant_id: 0, quantity: 1 }, 'too_small'],
    [{ variant_id: 'x', quantity: 1 }, 'not_integer']]) {
    assertInvalid(await g.api('POST', '/api/v1/cart/items', body, { headers: { 'X-CSRF-Token': token } }), { variant_id: code });
  }
  assertStatus(await g.post(`/products/${tee.id}/cart`, { quantity: '1', csrf_token: token }), 422);
  // the cart page's change form needs a quantity
  assertStatus(await g.post(`/cart/items/${line.id}`, { csrf_token: token }), 422);
  assertStatus(await g.post(`/cart/items/${line.id}`, { quantity: '', csrf_token: token }), 422);
  assert.deepEqual(linesOf(g), before);
});

test('999 is the largest quantity: accepted when the stock allows it', async () => {
  const big = makeProduct(brand, { price: 1000, variants: [{ size: 'FREE', stock: 5000 }] });
  const s = await makeShopper();
  const api = await loginApi(s);
  const res = await api.api('POST', '/api/v1/cart/items', { variant_id: big.variants[0].id, quantity: 999 });
  assertStatus(res, 201);
  assert.equal(itemOf(res.json, big.variants[0].id).quantity, 999);
  assert.equal(res.json.totals.items, 999000);
  assert.deepEqual(pairs(s), [[big.variants[0].id, 999]]);
  // adding more to a line of 999 is capped at 999, never over
  const more = await api.api('POST', '/api/v1/cart/items', { variant_id: big.variants[0].id, quantity: 5 });
  assert.ok([201, 409, 422].includes(more.status), describe(more));
  assert.deepEqual(pairs(s), [[big.variants[0].id, 999]]);
});

// ---- 3. changing, removing, clearing by page ----------------------------------------------------------------

test('cart page: the quantity changes (303 to /cart?updated=1); beyond the stock 409 with the cart drawn again and nothing changed', async () => {
  const g = guest();
  const [, , l] = tee.variants; // stock 5
  assertRedirect(await addByPage(g, tee, l, 1), '/cart?added=1');
  const [line] = linesOf(g);
  assertRedirect(await cartForm(g, `/cart/items/${line.id}`, { quantity: '4' }), '/cart?updated=1');
  assert.deepEqual(pairs(g), [[l.id, 4]]);
  const page = await g.get('/cart?updated=1');
  assert.ok(page.text.includes(t('cart.updated')), 'no "updated" notice');
  assert.ok(page.text.includes(`<p class="cart-line__subtotal">${won(76000)}</p>`), 'the subtotal is not 4 × 19000');
  const over = await cartForm(g, `/cart/items/${line.id}`, { quantity: '6' });
  assertStatus(over, 409);
  assert.equal(formMessage(over), esc(t('validation.out_of_stock')));
  assert.ok(over.text.includes('class="cart-lines"'), 'the cart is not drawn again');
  assert.deepEqual(pairs(g), [[l.id, 4]]);
});

test('cart page: the size changes on the line (same line id); to a sold-out or hidden size or another product\'s it is refused and nothing changes', async () => {
  const g = guest();
  const [s, m, l, xl] = tee.variants;
  assertRedirect(await addByPage(g, tee, s, 2), '/cart?added=1');
  const [line] = linesOf(g);
  const page = await g.get('/cart');
  // the size choice lists the sizes on sale, the sold-out one disabled, the hidden one not at all
  assert.ok(page.text.includes(`<option value="${s.id}" selected>S</option>`), 'S is not the chosen size');
  assert.ok(page.text.includes(`<option value="${m.id}" disabled>M`), 'the sold-out M is not disabled');
  assert.ok(page.text.includes(`<option value="${l.id}">L</option>`), 'L is not offered');
  assert.ok(!page.text.includes(`<option value="${xl.id}"`), 'the hidden XL is offered');
  assertRedirect(await g.post(`/cart/items/${line.id}`, { variant_id: String(l.id), quantity: '2', csrf_token: csrfOf(page) }),
    '/cart?updated=1');
  assert.deepEqual(linesOf(g).map((x) => [x.id, x.variant_id, x.quantity]), [[line.id, l.id, 2]]);
  const token = await tokenOf(g);
  const soldOutSize = await g.post(`/cart/items/${line.id}`, { variant_id: String(m.id), quantity: '1', csrf_token: token });
  assertStatus(soldOutSize, 409);
  const hiddenSize = await g.post(`/cart/items/${line.id}`, { variant_id: String(xl.id), quantity: '1', csrf_token: token });
  assertStatus(hiddenSize, 404);
  const otherProduct = await g.post(`/cart/items/${line.id}`, { variant_id: String(jeans.variants[0].id), quantity: '1', csrf_token: token });
  assertStatus(otherProduct, 404);
  assert.deepEqual(linesOf(g).map((x) => [x.id, x.variant_id, x.quantity]), [[line.id, l.id, 2]]);
});

test('cart page: changing a line to a size the cart already holds merges them into one line with the quantities added', async () => {
  const g = guest();
  const [s, , l] = tee.variants; // S stock 3, L stock 5
  assertRedirect(await addByPage(g, tee, s, 2), '/cart?added=1');
  assertRedirect(await addByPage(g, tee, l, 1), '/cart?added=1');
  const [sLine, lLine] = linesOf(g);
  assertRedirect(await cartForm(g, `/cart/items/${sLine.id}`, { variant_id: String(l.id), quantity: '2' }), '/cart?updated=1');
  const after = linesOf(g);
  assert.equal(after.length, 1, `two lines of one size, or none: ${JSON.stringify(after)}`);
  assert.equal(after[0].variant_id, l.id);
  assert.equal(after[0].quantity, 3, 'the L already in the cart (1) and the changed line (2) do not add up to 3');
  assert.ok([sLine.id, lLine.id].includes(after[0].id));
  assert.equal(headerCount(await g.get('/cart')), 1);
});

test('cart page: remove (303 to /cart?removed=1) and clear (303 to /cart?cleared=1, the empty cart page)', async () => {
  const g = guest();
  assertRedirect(await addByPage(g, tee, tee.variants[0], 1), '/cart?added=1');
  assertRedirect(await addByPage(g, jeans, jeans.variants[0], 1), '/cart?added=1');
  assertRedirect(await addByPage(g, jeans, jeans.variants[1], 1), '/cart?added=1');
  const [first, second, third] = linesOf(g);
  assertRedirect(await cartForm(g, `/cart/items/${first.id}/delete`), '/cart?removed=1');
  assert.deepEqual(linesOf(g).map((x) => x.id), [second.id, third.id]);
  const removed = await g.get('/cart?removed=1');
  assert.ok(removed.text.includes(t('cart.removed')), 'no "removed" notice');
  assert.equal(headerCount(removed), 2);
  // the same line again is gone: 404
  const token = await tokenOf(g);
  assertStatus(await g.post(`/cart/items/${first.id}/delete`, { csrf_token: token }), 404);
  assertRedirect(await cartForm(g, '/cart/clear'), '/cart?cleared=1');
  assert.deepEqual(linesOf(g), []);
  const cleared = await g.get('/cart?cleared=1');
  assert.ok(cleared.text.includes(t('cart.cleared')), 'no "cleared" notice');
  assert.ok(cleared.text.includes(esc(t('cart.empty'))), 'the empty cart does not say so');
  assert.equal(headerCount(cleared), undefined, 'an empty cart is still counted in the header');
});

test('a guest without a cart: GET /cart and /api/v1/cart show an empty cart and make no cart and no cookie', async () => {
  const g = guest();
  const carts = num('SELECT COUNT(*) FROM carts');
  const page = await g.get('/cart');
  assertStatus(page, 200);
  assert.ok(page.text.includes(esc(t('cart.empty'))), 'the empty cart does not say so');
  const api = await apiCart(g);
  assert.deepEqual([api.count, api.empty, api.items, api.can_checkout, api.blocker], [0, true, [], false, 'CART_EMPTY']);
  assert.equal(api.totals.total, 0);
  assert.ok(!g.cookies.has('lonua_cart'), 'looking at the cart set a cart cookie');
  assert.equal(num('SELECT COUNT(*) FROM carts'), carts, 'looking at the cart made a carts row');
  // clearing nothing is fine too
  assertStatus(await apiWithToken(g, 'DELETE', '/api/v1/cart'), 204);
});

// ---- 4. CSRF and the guest API -------------------------------------------------------------------------------

test('CSRF: a guest\'s unsafe API calls need X-CSRF-Token (403 CSRF_FAILED without or with a wrong one, nothing changed); page forms need csrf_token', async () => {
  const g = guest();
  const [, , l] = tee.variants;
  // without a token nothing is made, not even the cart
  assertProblem(await g.api('POST', '/api/v1/cart/items', { variant_id: l.id, quantity: 1 }), 403, 'CSRF_FAILED');
  assert.ok(!g.cookies.has('lonua_cart'), 'a refused call set a cart cookie');
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: l.id, quantity: 1 }), 201);
  const [line] = linesOf(g);
  const before = linesOf(g);
  const wrong = { 'X-CSRF-Token': 'x'.repeat(43) };
  for (const [method, p, body] of [['POST', '/api/v1/cart/items', { variant_id: l.id, quantity: 1 }],
    ['PATCH', `/api/v1/cart/items/${line.id}`, { quantity: 3 }], ['DELETE', `/api/v1/cart/items/${line.id}`],
    ['DELETE', '/api/v1/cart']]) {
    assertProblem(await g.api(method, p, body), 403, 'CSRF_FAILED');
    assertProblem(await g.api(method, p, body, { headers: wrong }), 403, 'CSRF_FAILED');
  }
  // another browser's token is not this one's
  const other = guest();
  const otherToken = await tokenOf(other);
  assertProblem(await g.api('PATCH', `/api/v1/cart/items/${line.id}`, { quantity: 3 }, { headers: { 'X-CSRF-Token': otherToken } }),
    403, 'CSRF_FAILED');
  // page forms without the token, or with a wrong one
  for (const [p, fields] of [[`/products/${tee.id}/cart`, { variant_id: String(l.id), quantity: '1' }],
    [`/cart/items/${line.id}`, { quantity: '3' }], [`/cart/items/${line.id}/delete`, {}], ['/cart/clear', {}]]) {
    assertStatus(await g.post(p, fields), 403);
    assertStatus(await g.post(p, { ...fields, csrf_token: 'x'.repeat(43) }), 403);
  }
  assert.deepEqual(linesOf(g), before, 'a refused call changed the cart');
  // GET needs no token
  assert.equal((await apiCart(g)).count, 1);
});

test('a guest\'s first addition by API (the cart made by it) answers 201 with the cart holding the line, and sets lonua_cart', async () => {
  const g = guest();
  const [s] = tee.variants;
  const add = await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: s.id, quantity: 2 });
  assertStatus(add, 201);
  assert.equal(mediaType(add), 'application/json');
  assertPrivate(add, 'POST /api/v1/cart/items');
  assert.ok(setCookie(add, 'lonua_cart'), 'the first addition by API set no lonua_cart cookie');
  const [line] = linesOf(g);
  assert.deepEqual([line.variant_id, line.quantity], [s.id, 2]);
  assert.deepEqual([add.json.count, add.json.items.map((i) => [i.id, i.variant_id, i.quantity]), add.json.totals.items],
    [1, [[line.id, s.id, 2]], 38000], `the 201 answer is not the cart with the new line: ${add.text.slice(0, 300)}`);
});

test('POST /api/v1/cart/items: 201 with a Location (SPEC §5: "201 with Location")', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const add = await api.api('POST', '/api/v1/cart/items', { variant_id: tee.variants[2].id, quantity: 1 });
  assertStatus(add, 201);
  assert.match(String(add.headers.location), /^\/api\/v1\/cart(\/|$)/, `201 without a Location in the cart: ${describe(add)}`);
});

test('guest API with the token: PATCH 200 with the cart, DELETE line 204, DELETE cart 204; a removed line is 404', async () => {
  const g = guest();
  const [s, , l] = tee.variants;
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: s.id, quantity: 1 }), 201);
  const [line] = linesOf(g);
  const again = await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: s.id, quantity: 1 });
  assertStatus(again, 201);
  assert.deepEqual(again.json.items.map((i) => [i.id, i.quantity]), [[line.id, 2]]);
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: jeans.variants[1].id, quantity: 2 }), 201);
  const patched = await apiWithToken(g, 'PATCH', `/api/v1/cart/items/${line.id}`, { quantity: 3, variant_id: l.id });
  assertStatus(patched, 200);
  assert.deepEqual(patched.json.items.map((i) => [i.id, i.variant_id, i.quantity]),
    [[line.id, l.id, 3], [linesOf(g)[1].id, jeans.variants[1].id, 2]]);
  assert.equal(patched.json.totals.items, 3 * 19000 + 2 * 45000);
  const del = await apiWithToken(g, 'DELETE', `/api/v1/cart/items/${line.id}`);
  assertStatus(del, 204);
  assert.equal(del.text, '');
  assert.deepEqual(pairs(g), [[jeans.variants[1].id, 2]]);
  assertProblem(await apiWithToken(g, 'DELETE', `/api/v1/cart/items/${line.id}`), 404, 'NOT_FOUND');
  assertProblem(await apiWithToken(g, 'PATCH', `/api/v1/cart/items/${line.id}`, { quantity: 1 }), 404, 'NOT_FOUND');
  assertStatus(await apiWithToken(g, 'DELETE', '/api/v1/cart'), 204);
  assert.deepEqual(linesOf(g), []);
  assert.equal((await apiCart(g)).count, 0);
});

// ---- 5. members ------------------------------------------------------------------------------------------------

test('member by bearer token: add, patch, delete, clear with no CSRF header; the cart is the user\'s; a cookie session needs X-CSRF-Token', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const [sm, , l] = tee.variants;
  const add = await api.api('POST', '/api/v1/cart/items', { variant_id: sm.id, quantity: 2 });
  assertStatus(add, 201);
  assert.equal(add.json.count, 1);
  assert.ok(!setCookie(add, 'lonua_cart'), 'a member got a guest cart cookie');
  assert.ok(cartIdOf(s), 'no carts row for the user');
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: jeans.variants[0].id, quantity: 1 }), 201);
  const [line, line2] = linesOf(s);
  assert.deepEqual(pairs(s), [[sm.id, 2], [jeans.variants[0].id, 1]]);
  const patched = await api.api('PATCH', `/api/v1/cart/items/${line.id}`, { quantity: 1, variant_id: l.id });
  assertStatus(patched, 200);
  assert.equal(itemOf(patched.json, l.id).quantity, 1);
  assertStatus(await api.api('DELETE', `/api/v1/cart/items/${line2.id}`), 204);
  assert.deepEqual(pairs(s), [[l.id, 1]]);
  assertStatus(await api.api('DELETE', '/api/v1/cart'), 204);
  assert.deepEqual(linesOf(s), []);
  // the same member in a browser: the cookie session's API calls need the header
  const browser = await loginPage(s);
  assertProblem(await browser.api('POST', '/api/v1/cart/items', { variant_id: l.id, quantity: 1 }), 403, 'CSRF_FAILED');
  assert.deepEqual(linesOf(s), []);
  assertStatus(await apiWithToken(browser, 'POST', '/api/v1/cart/items', { variant_id: l.id, quantity: 1 }), 201);
  assert.deepEqual(pairs(s), [[l.id, 1]]);
  // one cart for both sessions, and the header counts it
  assert.equal((await apiCart(api)).count, 1);
  assert.equal(headerCount(await browser.get('/')), 1);
});

test('member: the header count comes with the session and follows adds and removals', async () => {
  const s = await makeShopper();
  const c = await loginPage(s);
  assert.equal(headerCount(await c.get('/')), undefined);
  assertRedirect(await addByPage(c, tee, tee.variants[0], 1), '/cart?added=1');
  assert.equal(headerCount(await c.get('/')), 1);
  assertRedirect(await addByPage(c, jeans, jeans.variants[0], 1), '/cart?added=1');
  assertRedirect(await addByPage(c, jeans, jeans.variants[0], 1), '/cart?added=1');
  assert.equal(headerCount(await c.get('/products')), 2, 'the header counts quantities, not lines');
  const [first] = linesOf(s);
  assertRedirect(await cartForm(c, `/cart/items/${first.id}/delete`), '/cart?removed=1');
  assert.equal(headerCount(await c.get('/')), 1);
  // a change made elsewhere (as root) shows at the next request
  sql(`DELETE FROM cart_lines WHERE cart_id = ${cartIdOf(s)};`);
  assert.equal(headerCount(await c.get('/')), undefined);
});

test('the guest cart merges into the member\'s at page login: same sizes add up, the rest is added, the guest cart and its cookie are gone', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const [sm, , l] = tee.variants;
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: l.id, quantity: 1 }), 201);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: jeans.variants[1].id, quantity: 4 }), 201);
  const g = guest();
  assertRedirect(await addByPage(g, tee, l, 2), '/cart?added=1');
  assertRedirect(await addByPage(g, tee, sm, 1), '/cart?added=1');
  const guestCart = cartIdOf(g);
  assert.ok(guestCart);
  throttleKeys('user', s.email, g.ip);
  const login = await g.submit('/login', '/login', { email: s.email, password: s.password });
  assertStatus(login, 303);
  assertClears(login, 'lonua_cart');
  assert.ok(!g.cookies.has('lonua_cart'));
  assert.equal(num(`SELECT COUNT(*) FROM carts WHERE id = ${guestCart}`), 0, 'the guest cart is left');
  assert.equal(num(`SELECT COUNT(*) FROM cart_lines WHERE cart_id = ${guestCart}`), 0);
  const merged = new Map(pairs(s));
  assert.deepEqual([...merged].sort((a, b) => a[0] - b[0]),
    [[sm.id, 1], [l.id, 3], [jeans.variants[1].id, 4]].sort((a, b) => a[0] - b[0]));
  assert.equal(headerCount(await g.get('/')), 3);
  assert.equal((await apiCart(g)).count, 3);
});

test('the guest cart merges at API login too (the cookie sent with POST /api/v1/auth/login)', async () => {
  const s = await makeShopper();
  const g = guest();
  const [, , l] = tee.variants;
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: l.id, quantity: 2 }), 201);
  const guestCart = cartIdOf(g);
  throttleKeys('user', s.email, g.ip);
  const res = await g.api('POST', '/api/v1/auth/login', { email: s.email, password: SHOPPER_PASSWORD });
  assertStatus(res, 200);
  assertClears(res, 'lonua_cart');
  assert.equal(num(`SELECT COUNT(*) FROM carts WHERE id = ${guestCart}`), 0, 'the guest cart is left');
  assert.deepEqual(pairs(s), [[l.id, 2]]);
  const bearer = new Client({ bearer: res.json.token });
  assert.equal((await apiCart(bearer)).items[0].quantity, 2);
});

test('merging never makes a line over 999 nor a cart over 100 lines, and every line stays visible', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const big = makeProduct(brand, { price: 1000, variants: [{ size: 'FREE', stock: 5000 }] });
  const v = big.variants[0].id;
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: v, quantity: 900 }), 201);
  const g = guest();
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: v, quantity: 500 }), 201);
  // 100 lines in the member's cart (as root), then a guest line of another size
  const many = Array.from({ length: 99 }, () => makeProduct(brand, { price: 1000, variants: [{ size: 'FREE', stock: 5 }] }));
  const cart = cartIdOf(s);
  sql(`INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES ${many.map((p) => `(${cart}, ${p.variants[0].id}, 1)`).join(', ')};`);
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: jeans.variants[0].id, quantity: 1 }), 201);
  throttleKeys('user', s.email, g.ip);
  assertStatus(await g.submit('/login', '/login', { email: s.email, password: s.password }), 303);
  const lines = linesOf(s);
  assert.equal(lines.find((x) => x.variant_id === v).quantity, 999, 'the merged quantity is not capped at 999');
  assert.ok(lines.length <= 100, `the merge made a cart of ${lines.length} lines`);
  const after = await apiCart(g);
  assert.equal(after.items.length, after.count, `the cart says ${after.count} lines and shows ${after.items.length}`);
});

test('ownership: a member cannot change, re-size, put a coupon on or remove another member\'s line, nor a guest\'s (404, nothing changed); a guest cannot touch a member\'s', async () => {
  const a = await makeShopper(), b = await makeShopper();
  const apiA = await loginApi(a), apiB = await loginApi(b);
  assertStatus(await apiA.api('POST', '/api/v1/cart/items', { variant_id: tee.variants[0].id, quantity: 1 }), 201);
  const [lineA] = linesOf(a);
  const g = guest();
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: tee.variants[2].id, quantity: 1 }), 201);
  const [lineG] = linesOf(g);
  // b has a cart too, so "no cart" is not the reason for the 404
  assertStatus(await apiB.api('POST', '/api/v1/cart/items', { variant_id: jeans.variants[0].id, quantity: 1 }), 201);
  const couponB = makeCoupon(b, { amount: 1000 });
  const before = { a: linesOf(a), g: linesOf(g), b: linesOf(b) };
  for (const id of [lineA.id, lineG.id]) {
    assertProblem(await apiB.api('PATCH', `/api/v1/cart/items/${id}`, { quantity: 2 }), 404, 'NOT_FOUND');
    assertProblem(await apiB.api('PATCH', `/api/v1/cart/items/${id}`, { variant_id: tee.variants[2].id }), 404, 'NOT_FOUND');
    assertProblem(await apiB.api('PATCH', `/api/v1/cart/items/${id}`, { coupon_id: couponB.id }), 404, 'NOT_FOUND');
    assertProblem(await apiB.api('PATCH', `/api/v1/cart/items/${id}`, { coupon_id: 0 }), 404, 'NOT_FOUND');
    assertProblem(await apiB.api('DELETE', `/api/v1/cart/items/${id}`), 404, 'NOT_FOUND');
  }
  // by page, in b's browser
  const pageB = await loginPage(b);
  const token = await tokenOf(pageB);
  for (const [p, fields] of [[`/cart/items/${lineA.id}`, { quantity: '2' }], [`/cart/items/${lineA.id}/coupon`, { coupon_id: String(couponB.id) }],
    [`/cart/items/${lineA.id}/delete`, {}]]) {
    assertStatus(await pageB.post(p, { ...fields, csrf_token: token }), 404);
  }
  // the guest against a's line
  assertProblem(await apiWithToken(g, 'PATCH', `/api/v1/cart/items/${lineA.id}`, { quantity: 2 }), 404, 'NOT_FOUND');
  assertProblem(await apiWithToken(g, 'DELETE', `/api/v1/cart/items/${lineA.id}`), 404, 'NOT_FOUND');
  // b clearing its own cart leaves the others alone
  assertStatus(await apiB.api('DELETE', '/api/v1/cart'), 204);
  assert.deepEqual(linesOf(a), before.a, 'a\'s line changed');
  assert.deepEqual(linesOf(g), before.g, 'the guest\'s line changed');
  assert.deepEqual(linesOf(b), []);
});

// ---- 6. coupons ----------------------------------------------------------------------------------------------------

// A member with two lines: tee L × 2 (38000, Tops) and jeans 28 × 1 (45000, Bottoms): items 83000, free shipping.
async function memberWithTwoLines(opts) {
  const s = await makeShopper(opts);
  const api = await loginApi(s);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: tee.variants[2].id, quantity: 2 }), 201);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: jeans.variants[0].id, quantity: 1 }), 201);
  const [teeLine, jeansLine] = linesOf(s);
  return { s, api, teeLine, jeansLine };
}

test('coupons: a percent coupon and a fixed one on their lines show in the line and the totals (⌊subtotal × p / 100⌋, fixed capped at the subtotal)', async () => {
  const { s, api, teeLine, jeansLine } = await memberWithTwoLines();
  const tenPercent = makeCoupon(s, { percent: 10, min: 30000 });
  const fixed = makeCoupon(s, { amount: 50000 }); // more than the 38000 line: capped
  let res = await api.api('PATCH', `/api/v1/cart/items/${jeansLine.id}`, { coupon_id: tenPercent.id });
  assertStatus(res, 200);
  res = await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: fixed.id });
  assertStatus(res, 200);
  const cart = res.json;
  const j = itemOf(cart, jeans.variants[0].id), tl = itemOf(cart, tee.variants[2].id);
  assert.deepEqual(j.coupon && [j.coupon.id, j.coupon.name, j.coupon.discount, j.coupon.applied, j.coupon.problem],
    [tenPercent.id, tenPercent.name, 4500, true, null]);
  assert.equal(j.discounted, 40500);
  assert.deepEqual(tl.coupon && [tl.coupon.id, tl.coupon.discount, tl.coupon.applied], [fixed.id, 38000, true]);
  assert.equal(tl.discounted, 0);
  // 83000 − 4500 − 38000 = 40500 < 50000: the fee is due again
  assert.deepEqual(amounts(cart.totals), { items: 83000, coupon_discount: 42500, grade_discount: 0, discounted: 40500,
    mileage: 0, shipping: 3000, total: 43500 });
  assert.equal(cart.can_checkout, true);
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [fixed.id, tenPercent.id]);
  // the cart page shows the discounts and offers the member's coupons
  const page = await loginPage(s);
  const html = await page.get('/cart');
  assert.ok(html.text.includes(`${esc(tenPercent.name)} −${won(4500)}`), 'the percent coupon\'s discount is not on the page');
  assert.ok(/<dt>Coupon discount<\/dt><dd>−₩42,500<\/dd>/.test(html.text), 'no coupon discount in the summary');
  assert.ok(/<dt>Total<\/dt><dd>₩43,500<\/dd>/.test(html.text), 'the page total is not 43500');
  assert.ok(html.text.includes(`<option value="${tenPercent.id}" selected>${esc(tenPercent.name)}</option>`),
    'the jeans line does not show its coupon chosen');
});

test('coupons: another shopper\'s coupon is 404 NOT_FOUND, a guest has none (404); nothing is applied', async () => {
  const { s, api, teeLine } = await memberWithTwoLines();
  const other = await makeShopper();
  const foreign = makeCoupon(other, { percent: 10 });
  assertProblem(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: foreign.id }), 404, 'NOT_FOUND');
  assertProblem(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: 999999999 }), 404, 'NOT_FOUND');
  const page = await loginPage(s);
  const res = await cartForm(page, `/cart/items/${teeLine.id}/coupon`, { coupon_id: String(foreign.id) });
  assertStatus(res, 404);
  assert.equal(formMessage(res), esc(t('validation.coupon_not_found')), describe(res));
  assert.ok(!res.text.includes(esc(foreign.name)), 'the page names another shopper\'s coupon');
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [null, null]);
  const g = guest();
  assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: jeans.variants[0].id, quantity: 1 }), 201);
  const [gl] = linesOf(g);
  assertProblem(await apiWithToken(g, 'PATCH', `/api/v1/cart/items/${gl.id}`, { coupon_id: foreign.id }), 404, 'NOT_FOUND');
  assert.equal(linesOf(g)[0].coupon_id, null);
  // the guest's page has no coupon choice
  const gp = await g.get('/cart');
  assert.ok(!gp.text.includes('name="coupon_id"'), 'a guest is offered coupons');
});

test('coupons: used, expired, revoked and not yet valid are 409 COUPON_UNUSABLE; the page offers only usable ones of the shopper', async () => {
  const { s, api, teeLine } = await memberWithTwoLines();
  const used = makeCoupon(s, { amount: 1000, state: 'used' });
  const expired = makeCoupon(s, { amount: 1000, state: 'expired' });
  const pastDate = makeCoupon(s, { amount: 1000, validFrom: -10, validUntil: -1 }); // 'available' but past its date
  const revoked = makeCoupon(s, { amount: 1000, state: 'revoked' });
  const future = makeCoupon(s, { amount: 1000, validFrom: 2, validUntil: 30 });
  const good = makeCoupon(s, { amount: 1000 });
  const other = makeCoupon(await makeShopper(), { amount: 1000 });
  for (const [what, c] of [['used', used], ['expired', expired], ['past its date', pastDate], ['revoked', revoked], ['not yet valid', future]]) {
    const res = await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: c.id });
    const p = assertProblem(res, 409, 'COUPON_UNUSABLE');
    assert.ok(p.errors && p.errors.coupon_id, `${what}: no errors.coupon_id: ${describe(res)}`);
  }
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [null, null]);
  const page = await loginPage(s);
  const html = await page.get('/cart');
  assert.ok(html.text.includes(`<option value="${good.id}">${esc(good.name)}</option>`), 'the usable coupon is not offered');
  for (const c of [used, expired, pastDate, revoked, future, other]) {
    assert.ok(!html.text.includes(`<option value="${c.id}"`), `coupon ${c.name} (${c.state}) is offered`);
  }
  const res = await page.post(`/cart/items/${teeLine.id}/coupon`, { coupon_id: String(used.id), csrf_token: csrfOf(html) });
  assertStatus(res, 409);
  assert.equal(formMessage(res), esc(t('validation.coupon_unusable')));
});

test('coupons: a line 1 won below the minimum is 422 COUPON_BELOW_MINIMUM, at the minimum it applies; another category is 422 COUPON_CATEGORY', async () => {
  const [top, bottom] = categoryIds();
  const p = makeProduct(brand, { price: 29999, category: top, variants: [{ size: 'S', stock: 5 }] });
  const p2 = makeProduct(brand, { price: 30000, category: top, variants: [{ size: 'S', stock: 5 }] });
  const s = await makeShopper();
  const api = await loginApi(s);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: p.variants[0].id, quantity: 1 }), 201);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: p2.variants[0].id, quantity: 1 }), 201);
  const [under, at] = linesOf(s);
  const min = makeCoupon(s, { amount: 5000, min: 30000 });
  const res = await api.api('PATCH', `/api/v1/cart/items/${under.id}`, { coupon_id: min.id });
  const prob = assertProblem(res, 422, 'COUPON_BELOW_MINIMUM');
  assert.ok(prob.errors && prob.errors.coupon_id, describe(res));
  assert.equal(linesOf(s)[0].coupon_id, null);
  const ok = await api.api('PATCH', `/api/v1/cart/items/${at.id}`, { coupon_id: min.id });
  assertStatus(ok, 200);
  assert.equal(itemOf(ok.json, p2.variants[0].id).coupon.discount, 5000);
  // two of the cheaper one reach the minimum: the minimum is the line's subtotal, not the unit price
  assertStatus(await api.api('PATCH', `/api/v1/cart/items/${under.id}`, { quantity: 2 }), 200);
  const cat = makeCoupon(s, { percent: 10, category: bottom });
  assertProblem(await api.api('PATCH', `/api/v1/cart/items/${under.id}`, { coupon_id: cat.id }), 422, 'COUPON_CATEGORY');
  const page = await loginPage(s);
  const form = await cartForm(page, `/cart/items/${under.id}/coupon`, { coupon_id: String(cat.id) });
  assertStatus(form, 422);
  assert.equal(formMessage(form), esc(t('validation.coupon_category')));
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [null, min.id]);
  // in its category it applies
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: jeans.variants[0].id, quantity: 1 }), 201);
  const jl = linesOf(s)[2];
  const applied = await api.api('PATCH', `/api/v1/cart/items/${jl.id}`, { coupon_id: cat.id });
  assertStatus(applied, 200);
  assert.equal(itemOf(applied.json, jeans.variants[0].id).coupon.discount, 4500);
});

test('coupons: choosing a coupon for another line moves it there; coupon_id 0 takes it off (page and API)', async () => {
  const { s, api, teeLine, jeansLine } = await memberWithTwoLines();
  const c = makeCoupon(s, { amount: 2000 });
  assertStatus(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: c.id }), 200);
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [c.id, null]);
  const page = await loginPage(s);
  assertRedirect(await cartForm(page, `/cart/items/${jeansLine.id}/coupon`, { coupon_id: String(c.id) }), '/cart?updated=1');
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [null, c.id], 'the coupon did not move to the jeans line');
  const cart = await apiCart(api);
  assert.equal(itemOf(cart, tee.variants[2].id).coupon, null);
  assert.equal(itemOf(cart, jeans.variants[0].id).coupon.discount, 2000);
  assert.equal(cart.totals.coupon_discount, 2000);
  assertRedirect(await cartForm(page, `/cart/items/${jeansLine.id}/coupon`, { coupon_id: '0' }), '/cart?updated=1');
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [null, null]);
  assertStatus(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: c.id }), 200);
  const off = await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: 0 });
  assertStatus(off, 200);
  assert.equal(off.json.totals.coupon_discount, 0);
  assert.deepEqual(linesOf(s).map((x) => x.coupon_id), [null, null]);
});

test('coupons: a refused coupon in a PATCH that also changes the quantity changes nothing', async () => {
  const { s, api, teeLine } = await memberWithTwoLines();
  const foreign = makeCoupon(await makeShopper(), { amount: 1000 });
  const used = makeCoupon(s, { amount: 1000, state: 'used' });
  const before = linesOf(s);
  assertProblem(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { quantity: 1, coupon_id: foreign.id }), 404, 'NOT_FOUND');
  assertProblem(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { quantity: 1, coupon_id: used.id }), 409, 'COUPON_UNUSABLE');
  assert.deepEqual(linesOf(s), before, 'a refused PATCH changed the quantity');
});

test('coupons: a coupon that stops applying (quantity lowered under its minimum, or used elsewhere) is shown unapplied and blocks checkout', async () => {
  const { s, api, teeLine } = await memberWithTwoLines();
  const c = makeCoupon(s, { amount: 3000, min: 38000 }); // the tee line is 2 × 19000 = 38000
  assertStatus(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { coupon_id: c.id }), 200);
  let cart = (await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { quantity: 1 })).json;
  let item = itemOf(cart, tee.variants[2].id);
  assert.deepEqual([item.coupon.id, item.coupon.applied, item.coupon.problem, item.coupon.discount],
    [c.id, false, 'COUPON_BELOW_MINIMUM', 0]);
  assert.equal(cart.totals.coupon_discount, 0);
  assert.deepEqual([cart.can_checkout, cart.blocker], [false, 'COUPON_BELOW_MINIMUM']);
  const page = await (await loginPage(s)).get('/cart');
  assert.ok(page.text.includes(esc(t('cart.coupon_not_applied'))), 'the page does not say the coupon does not apply');
  assert.ok(!page.text.includes('href="/checkout"'), 'the page offers checkout');
  // back to 2: applies again; then used by an order elsewhere (as root)
  assertStatus(await api.api('PATCH', `/api/v1/cart/items/${teeLine.id}`, { quantity: 2 }), 200);
  sql(`UPDATE coupons SET state = 'used', used_at = UTC_TIMESTAMP() WHERE id = ${c.id};`);
  cart = await apiCart(api);
  item = itemOf(cart, tee.variants[2].id);
  assert.deepEqual([item.coupon.applied, item.coupon.problem], [false, 'COUPON_UNUSABLE']);
  assert.deepEqual([cart.can_checkout, cart.blocker], [false, 'COUPON_UNUSABLE']);
  assert.equal(cart.totals.total, 83000);
});

// ---- 7. prices, availability, stock ------------------------------------------------------------------------

test('prices are re-read: a new sale price as root shows at once in the line and the totals (page and API)', async () => {
  const p = makeProduct(brand, { price: 30000, listPrice: 40000, variants: [{ size: 'M', stock: 9 }] });
  const g = guest();
  assertRedirect(await addByPage(g, p, p.variants[0], 2), '/cart?added=1');
  let cart = await apiCart(g);
  assert.deepEqual([cart.items[0].unit_price, cart.items[0].subtotal, cart.totals.total], [30000, 60000, 60000]);
  sql(`UPDATE products SET sale_price = 24500 WHERE id = ${p.id};`);
  cart = await apiCart(g);
  assert.deepEqual([cart.items[0].unit_price, cart.items[0].list_price, cart.items[0].subtotal], [24500, 40000, 49000]);
  // 49000 < 50000 now: the fee is due
  assert.deepEqual(amounts(cart.totals), { items: 49000, coupon_discount: 0, grade_discount: 0, discounted: 49000,
    mileage: 0, shipping: 3000, total: 52000 });
  const page = await g.get('/cart');
  assert.ok(page.text.includes(`<span>${won(24500)}</span>`), 'the page shows the old price');
  assert.ok(/<dt>Total<\/dt><dd>₩52,000<\/dd>/.test(page.text), 'the page total is not 52000');
});

test('a line whose product is hidden, whose size is hidden or whose brand is deactivated shows as unavailable: left out of the totals, can_checkout false, blocker NOT_AVAILABLE', async () => {
  for (const what of ['product', 'size', 'brand']) {
    const b = makeBrand({ fee: 2500, freeThreshold: 100000 });
    const p = makeProduct(b, { price: 20000, variants: [{ size: 'M', stock: 9 }] });
    const g = guest();
    assertRedirect(await addByPage(g, tee, tee.variants[2], 1), '/cart?added=1');
    assertRedirect(await addByPage(g, p, p.variants[0], 1), '/cart?added=1');
    let cart = await apiCart(g);
    assert.deepEqual([cart.can_checkout, cart.totals.total], [true, 19000 + 3000 + 20000 + 2500]);
    if (what === 'product') sql(`UPDATE products SET status = 'hidden' WHERE id = ${p.id};`);
    if (what === 'size') sql(`UPDATE product_variants SET status = 'hidden' WHERE id = ${p.variants[0].id};`);
    if (what === 'brand') sql(`UPDATE brands SET status = 'inactive' WHERE id = ${b.id};`);
    cart = await apiCart(g);
    const item = itemOf(cart, p.variants[0].id);
    assert.ok(item, `${what}: the line is gone from the cart instead of shown unavailable`);
    assert.deepEqual([item.state, item.unavailable], ['unavailable', true], what);
    assert.deepEqual([cart.can_checkout, cart.blocker], [false, 'NOT_AVAILABLE'], what);
    assert.equal(cart.count, 2, what);
    // the totals are the line still on sale
    assert.deepEqual(amounts(cart.totals), { items: 19000, coupon_discount: 0, grade_discount: 0, discounted: 19000,
      mileage: 0, shipping: 3000, total: 22000 }, what);
    assert.equal(brandOf(cart, b.id), undefined, `${what}: the unavailable line's brand charges shipping`);
    const page = await g.get('/cart');
    assert.ok(page.text.includes('cart-line--unavailable'), `${what}: the line is not marked on the page`);
    assert.ok(page.text.includes(esc(t('cart.state_unavailable'))), `${what}: the page does not say it is not on sale`);
    assert.ok(!page.text.includes('href="/checkout"'), `${what}: the page offers checkout`);
    assert.ok(page.text.includes(esc(t('cart.fix_first'))), `${what}: the page does not say what to fix`);
    // its quantity cannot be changed, but it can be removed
    const [, line] = linesOf(g);
    assertProblem(await apiWithToken(g, 'PATCH', `/api/v1/cart/items/${line.id}`, { quantity: 2 }), 404, 'NOT_FOUND');
    assertStatus(await apiWithToken(g, 'DELETE', `/api/v1/cart/items/${line.id}`), 204);
    cart = await apiCart(g);
    assert.deepEqual([cart.can_checkout, cart.blocker, cart.count], [true, null, 1], what);
  }
});

test('a line with more than the stock left (stock lowered as root) shows out_of_stock with how many are left and blocks checkout', async () => {
  const p = makeProduct(brand, { price: 10000, variants: [{ size: 'M', stock: 9 }] });
  const g = guest();
  assertRedirect(await addByPage(g, p, p.variants[0], 4), '/cart?added=1');
  sql(`UPDATE product_variants SET stock = 2 WHERE id = ${p.variants[0].id};`);
  const cart = await apiCart(g);
  const item = cart.items[0];
  assert.deepEqual([item.state, item.out_of_stock, item.stock, item.quantity], ['out_of_stock', true, 2, 4]);
  assert.deepEqual([cart.can_checkout, cart.blocker], [false, 'OUT_OF_STOCK']);
  const page = await g.get('/cart');
  assert.ok(page.text.includes(`${esc(t('cart.state_out_of_stock_before'))}2${esc(t('cart.state_out_of_stock_after'))}`),
    'the page does not say 2 are left');
  // lowering the quantity to the stock mends it
  const [line] = linesOf(g);
  assertRedirect(await cartForm(g, `/cart/items/${line.id}`, { quantity: '2' }), '/cart?updated=1');
  const mended = await apiCart(g);
  assert.deepEqual([mended.items[0].state, mended.can_checkout], ['ok', true]);
});

// ---- 8. totals: grade discount and shipping (docs/money.md) -------------------------------------------------------

test('shipping per brand: B02 three lines reaching the threshold exactly ship free; B03 one won less (a price re-read) pays the fee', async () => {
  const [top, bottom] = categoryIds();
  const b = makeBrand({ fee: 3000, freeThreshold: 50000, returnCost: 5000 });
  const p1 = makeProduct(b, { price: 19900, category: top, variants: [{ size: 'M', stock: 5 }] });
  const p2 = makeProduct(b, { price: 15050, category: bottom, variants: [{ size: 'S', stock: 5 }, { size: 'M', stock: 5 }] });
  const s = await makeShopper(); // Bronze: no grade discount
  const api = await loginApi(s);
  for (const v of [p1.variants[0], p2.variants[0], p2.variants[1]]) {
    assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: v.id, quantity: 1 }), 201);
  }
  let cart = await apiCart(api);
  assert.deepEqual(amounts(cart.totals), { items: 50000, coupon_discount: 0, grade_discount: 0, discounted: 50000,
    mileage: 0, shipping: 0, total: 50000 });
  let bb = brandOf(cart, b.id);
  assert.deepEqual([bb.lines_amount, bb.shipping_fee, bb.free, bb.free_shipping_threshold], [50000, 0, true, 50000]);
  assert.equal(bb.short_of_free, undefined, 'a brand that ships free is short of something');
  const page = await (await loginPage(s)).get('/cart');
  assert.ok(page.text.includes(`${esc(b.name)}: ${t('cart.free_shipping')}`), 'the page does not say the brand ships free');
  sql(`UPDATE products SET sale_price = 19899 WHERE id = ${p1.id};`);
  cart = await apiCart(api);
  assert.deepEqual(amounts(cart.totals), { items: 49999, coupon_discount: 0, grade_discount: 0, discounted: 49999,
    mileage: 0, shipping: 3000, total: 52999 });
  bb = brandOf(cart, b.id);
  assert.deepEqual([bb.lines_amount, bb.shipping_fee, bb.free, bb.short_of_free], [49999, 3000, false, 1]);
});

test('shipping per brand: B06 two brands with interleaved lines, one free and one not; a brand without a threshold never ships free, a threshold of 0 always does', async () => {
  const b1 = makeBrand({ fee: 3000, freeThreshold: 50000 });
  const b2 = makeBrand({ fee: 2500, freeThreshold: 30000, returnCost: 5000 });
  const [top, bottom, outer] = categoryIds();
  const a = makeProduct(b2, { price: 12900, category: top });
  const c = makeProduct(b1, { price: 59000, category: outer });
  const d = makeProduct(b2, { price: 8900, category: bottom });
  const g = guest();
  for (const p of [a, c, d]) assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: p.variants[0].id, quantity: 1 }), 201);
  let cart = await apiCart(g);
  assert.deepEqual(amounts(cart.totals), { items: 80800, coupon_discount: 0, grade_discount: 0, discounted: 80800,
    mileage: 0, shipping: 2500, total: 83300 });
  assert.deepEqual([brandOf(cart, b1.id).lines_amount, brandOf(cart, b1.id).shipping_fee, brandOf(cart, b1.id).free], [59000, 0, true]);
  assert.deepEqual([brandOf(cart, b2.id).lines_amount, brandOf(cart, b2.id).shipping_fee, brandOf(cart, b2.id).free], [21800, 2500, false]);
  assert.equal(brandOf(cart, b2.id).short_of_free, 8200);
  assert.equal(cart.brands.length, 2);
  // no threshold (NULL) and a threshold of 0
  const never = makeBrand({ fee: 3500, freeThreshold: null });
  const always = makeBrand({ fee: 4000, freeThreshold: 0 });
  const big = makeProduct(never, { price: 500000, variants: [{ size: 'M', stock: 3 }] });
  const small = makeProduct(always, { price: 1000, variants: [{ size: 'M', stock: 3 }] });
  const g2 = guest();
  for (const p of [big, small]) assertStatus(await apiWithToken(g2, 'POST', '/api/v1/cart/items', { variant_id: p.variants[0].id, quantity: 1 }), 201);
  cart = await apiCart(g2);
  assert.deepEqual([brandOf(cart, never.id).shipping_fee, brandOf(cart, never.id).free, brandOf(cart, never.id).free_shipping_threshold],
    [3500, false, null]);
  assert.deepEqual([brandOf(cart, always.id).shipping_fee, brandOf(cart, always.id).free], [0, true]);
  assert.deepEqual([cart.totals.shipping, cart.totals.total], [3500, 504500]);
});

test('grade: B04 a Gold shopper gets 3 % per line and the threshold is compared after it (fee due); a guest with the same lines ships free', async () => {
  const b = makeBrand({ fee: 2500, freeThreshold: 70000, returnCost: 5000 });
  const [top, bottom] = categoryIds();
  const p1 = makeProduct(b, { price: 45990, category: top });
  const p2 = makeProduct(b, { price: 24010, category: bottom });
  const s = await makeShopper({ grade: 'gold' });
  assert.equal(s.grade.discount, 3);
  const api = await loginApi(s);
  for (const p of [p1, p2]) assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: p.variants[0].id, quantity: 1 }), 201);
  const cart = await apiCart(api);
  assert.deepEqual(cart.items.map((i) => [i.subtotal, i.grade_discount, i.discounted]), [[45990, 1379, 44611], [24010, 720, 23290]]);
  assert.deepEqual(amounts(cart.totals), { items: 70000, coupon_discount: 0, grade_discount: 2099, discounted: 67901,
    mileage: 0, shipping: 2500, total: 70401 });
  assert.equal(cart.totals.grade_percent, 3);
  assert.deepEqual([brandOf(cart, b.id).lines_amount, brandOf(cart, b.id).shipping_fee], [67901, 2500]);
  const page = await (await loginPage(s)).get('/cart');
  assert.ok(/<dt>Grade discount \(3%\)<\/dt><dd>−₩2,099<\/dd>/.test(page.text), 'the page does not show the 3 % grade discount of 2099');
  assert.ok(/<dt>Total<\/dt><dd>₩70,401<\/dd>/.test(page.text), 'the page total is not 70401');
  // a guest: no grade, 70000 reaches the threshold
  const g = guest();
  for (const p of [p1, p2]) assertStatus(await apiWithToken(g, 'POST', '/api/v1/cart/items', { variant_id: p.variants[0].id, quantity: 1 }), 201);
  const gc = await apiCart(g);
  assert.deepEqual(amounts(gc.totals), { items: 70000, coupon_discount: 0, grade_discount: 0, discounted: 70000,
    mileage: 0, shipping: 0, total: 70000 });
  // a grade changed as root applies at the next request (Silver 1 %)
  sql(`UPDATE users SET grade_id = 2 WHERE id = ${s.id};`);
  const silver = await apiCart(api);
  assert.deepEqual([silver.totals.grade_discount, silver.totals.grade_percent], [459 + 240, 1]);
});

test('coupons with shipping and grade: B05 a coupon takes the brand under its threshold; B16 Platinum takes the grade after a 7 % coupon', async () => {
  const [, , outer] = categoryIds();
  const b = makeBrand({ fee: 3000, freeThreshold: 50000 });
  const p = makeProduct(b, { price: 52000, category: outer });
  const s = await makeShopper();
  const api = await loginApi(s);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: p.variants[0].id, quantity: 1 }), 201);
  const c5 = makeCoupon(s, { amount: 3000, min: 50000 });
  const [line] = linesOf(s);
  let cart = (await api.api('PATCH', `/api/v1/cart/items/${line.id}`, { coupon_id: c5.id })).json;
  assert.deepEqual(amounts(cart.totals), { items: 52000, coupon_discount: 3000, grade_discount: 0, discounted: 49000,
    mileage: 0, shipping: 3000, total: 52000 });
  const q = makeProduct(b, { price: 68900, category: outer });
  const plat = await makeShopper({ grade: 'platinum' });
  const papi = await loginApi(plat);
  assertStatus(await papi.api('POST', '/api/v1/cart/items', { variant_id: q.variants[0].id, quantity: 1 }), 201);
  const c16 = makeCoupon(plat, { percent: 7, min: 50000 });
  const [pl] = linesOf(plat);
  cart = (await papi.api('PATCH', `/api/v1/cart/items/${pl.id}`, { coupon_id: c16.id })).json;
  const it = cart.items[0];
  assert.deepEqual([it.subtotal, it.coupon.discount, it.grade_discount, it.discounted], [68900, 4823, 3203, 60874]);
  assert.deepEqual(amounts(cart.totals), { items: 68900, coupon_discount: 4823, grade_discount: 3203, discounted: 60874,
    mileage: 0, shipping: 0, total: 60874 });
});

// ---- 9. the 100-line limit ---------------------------------------------------------------------------------------

test('a cart holds 100 lines: the 101st size is 409 CART_FULL (page and API), more of a size already in it is fine', async () => {
  const b = makeBrand({ fee: 0, freeThreshold: 0 });
  const products = Array.from({ length: 101 }, () => makeProduct(b, { price: 1000, variants: [{ size: 'FREE', stock: 50 }] }));
  const s = await makeShopper();
  const api = await loginApi(s);
  for (const p of products.slice(0, 100)) {
    assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: p.variants[0].id, quantity: 1 }), 201);
  }
  const before = linesOf(s);
  assert.equal(before.length, 100);
  const last = products[100];
  const full = await api.api('POST', '/api/v1/cart/items', { variant_id: last.variants[0].id, quantity: 1 });
  assertProblem(full, 409, 'CART_FULL');
  const page = await loginPage(s);
  const form = await addByPage(page, last, last.variants[0], 1);
  assertStatus(form, 409);
  assert.equal(formMessage(form), esc(t('validation.cart_full')));
  assert.deepEqual(linesOf(s), before, 'a full cart took another line');
  const more = await api.api('POST', '/api/v1/cart/items', { variant_id: products[0].variants[0].id, quantity: 2 });
  assertStatus(more, 201);
  assert.equal(more.json.count, 100);
  assert.equal(more.json.items.length, 100);
  assert.equal(more.json.totals.items, 102000);
  assert.equal(headerCount(await page.get('/')), 100);
  // one removed, one more fits
  assertStatus(await api.api('DELETE', `/api/v1/cart/items/${before[5].id}`), 204);
  assertStatus(await api.api('POST', '/api/v1/cart/items', { variant_id: last.variants[0].id, quantity: 1 }), 201);
  assert.equal(linesOf(s).length, 100);
});

// ---- 10. escaping ------------------------------------------------------------------------------------------------

test('hostile product, brand, size and coupon names are escaped once on the cart page and verbatim in JSON', async () => {
  const x = '<script>alert(1)</script>&"\'';
  const b = makeBrand({ name: `shoptest ${uniq()} ${x}` });
  const p = makeProduct(b, { name: `상품 ${x}`, variants: [{ size: '<b>M</b>', stock: 5 }] });
  const s = await makeShopper();
  const c = await loginPage(s);
  assertRedirect(await addByPage(c, p, p.variants[0], 1), '/cart?added=1');
  const coupon = makeCoupon(s, { amount: 1000, name: `쿠폰 ${x}` });
  const [line] = linesOf(s);
  assertRedirect(await cartForm(c, `/cart/items/${line.id}/coupon`, { coupon_id: String(coupon.id) }), '/cart?updated=1');
  const page = await c.get('/cart');
  assertStatus(page, 200);
  assert.ok(!page.text.includes(x) && !page.text.includes('<b>M</b>'), 'the cart page holds hostile text unescaped');
  for (const v of [p.name, b.name, coupon.name, '<b>M</b>']) {
    assert.ok(page.text.includes(esc(v)), `the cart page does not show ${v} escaped`);
    assert.ok(!page.text.includes(esc(esc(v))), `the cart page escapes ${v} twice`);
  }
  const json = await apiCart(await loginApi(s));
  assert.deepEqual([json.items[0].product.name, json.items[0].brand.name, json.items[0].size, json.items[0].coupon.name],
    [p.name, b.name, '<b>M</b>', coupon.name]);
});

// ---- cleanup ------------------------------------------------------------------------------------------------------

test('cleanup: every brand, product, shopper, coupon, cart and throttle row of this run is removed', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
