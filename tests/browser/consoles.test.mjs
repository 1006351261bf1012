// The consoles' journey in headless Chromium (issue 10, "A Chromium journey"), every step through
// the real pages, on a desktop and on a phone:
//   1. a seller logs in at /seller/login, creates a draft product at /seller/products/new with two
//      images, adds three sizes on its page, and makes it active with the product's form;
//   2. it appears in the shop's listing of the brand (/products?brand=…) and on its own page;
//   3. a shopper picks a size, adds it to the cart and checks out by bank transfer (/cart, /checkout);
//   4. an admin logs in at /login and records the transfer at /admin/orders;
//   5. the seller prepares the line at /seller/orders, then ships it with a courier and tracking number;
//   6. the shopper sees it shipped, with the tracking number, on /me/orders/{id};
// then the seller's dashboard (/seller) shows today's sale in its chart (screenshots
// consoles-{desktop,phone}-7-dashboard.png). Each role has its own browser context; each step
// checks that no page logged a console error, failed a request or answered >= 400. Ground truth
// comes from SQL (the product's status and pictures, the order's payment state, the line's state,
// courier and tracking number). And an admin issues a coupon to every shopper at /admin/coupons; a
// shopper sees it on /me/coupons, chooses it for a cart line and checks out with its discount.
// Run: node tests/browser/consoles.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs); LONUA_DB_ROOT_SOCKET
// (fixtures and checks as root; tests/integration/shop.mjs makes and removes them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, openPage, screenshot, checkLayout, closeBrowser } from './browser.mjs';
import { num, one, rows, val, sql } from '../integration/client.mjs';
import { makeBrand, makeProduct, makeSeller, makeShopper, makeAdmin, made, cleanup } from '../integration/shop.mjs';
import { png } from '../integration/images.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const brand = makeBrand({ fee: 3000, freeThreshold: 50000 });
const [seller, admin] = await Promise.all([makeSeller(brand, { name: '여정 셀러' }), makeAdmin()]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lonua-consoles-'));
const won = (n) => `${Number(n).toLocaleString('en-US')}원`;

// A browser context per role, logged in through its own page; closed by closeAll().
const opened = [];
async function as(viewport, who, loginPath, landing) {
  const p = await openPage(viewport);
  opened.push(p);
  await p.page.goto(`${BASE}${loginPath}`);
  await p.page.fill('input[name=email]', who.email);
  await p.page.fill('input[name=password]', who.password);
  await Promise.all([p.page.waitForURL(landing), p.page.click('form.form button[type=submit]')]);
  return p;
}
async function closeAll() {
  while (opened.length) await opened.pop().context.close();
}
// Nothing went wrong in any page so far (a favicon still loading when the next page is asked for
// is aborted by the browser: no fault).
function clean(step, ...ps) {
  const problems = ps.flatMap((p) => p.problems).filter((p) => !/favicon.*ERR_ABORTED/.test(p));
  assert.deepEqual(problems, [], `${step}: no console error, failed request or error answer`);
}

async function journey(viewport, tag) {
  const name = `여정 셔츠 ${tag} ${Date.now() % 100000}`;
  const files = [1, 2].map((i) => {
    const f = path.join(dir, `${tag}-${i}.png`);
    fs.writeFileSync(f, png(320 + i, 400, (i * 0x305070 + (tag === 'phone' ? 0x401020 : 0)) & 0xffffff));
    return f;
  });
  const shopper = await makeShopper();
  try {
    // 1. the seller: a draft with two images, three sizes, then active
    const s = await as(viewport, seller, '/seller/login', /\/seller$/);
    await s.page.goto(`${BASE}/seller/products/new`);
    await s.page.fill('#product-name', name);
    await s.page.fill('#product-description', '콘솔 여정에서 등록한 셔츠');
    await s.page.fill('#product-list-price', '59000');
    await s.page.fill('#product-sale-price', '45000');
    await s.page.selectOption('#product-status', 'draft');
    await s.page.setInputFiles('#product-images', files);
    await Promise.all([s.page.waitForURL(/\/seller\/products\/\d+\?created=1$/), s.page.click('form.console-form button[type=submit]')]);
    const id = Number(s.page.url().match(/\/seller\/products\/(\d+)/)[1]);
    made.products.add(id);
    assert.deepEqual(one(`SELECT brand_id, status, sale_price FROM products WHERE id = ${id}`), [String(brand.id), 'draft', '45000'],
      'the product is the brand\'s, a draft, at the price entered');
    assert.equal(num(`SELECT COUNT(*) FROM product_images WHERE product_id = ${id}`), 2, 'two images stored');
    for (const size of ['S', 'M', 'L']) {
      await s.page.fill('#variant-size', size);
      await s.page.fill('#variant-stock', '4');
      await Promise.all([s.page.waitForURL(/variant_saved=1/), s.page.click('form[action$="/variants"] button[type=submit]')]);
    }
    assert.deepEqual(rows(`SELECT size_label, stock, status FROM product_variants WHERE product_id = ${id} ORDER BY id`),
      [['S', '4', 'active'], ['M', '4', 'active'], ['L', '4', 'active']], 'three sizes of 4');
    // a draft is not in the shop
    await s.page.goto(`${BASE}/products?brand=${brand.id}`);
    assert.equal(await s.page.locator(`.product-card a[href="/products/${id}"]`).count(), 0, 'a draft is not listed');
    await s.page.goto(`${BASE}/seller/products/${id}`);
    await s.page.selectOption('#product-status', 'active');
    await Promise.all([s.page.waitForURL(new RegExp(`/seller/products/${id}\\?saved=1$`)),
      s.page.click(`form.console-form[action="/seller/products/${id}"] button[type=submit]`)]);
    assert.equal(val(`SELECT status FROM products WHERE id = ${id}`), 'active', 'the product is active');
    await screenshot(s.page, `consoles-${tag}-1-product.png`);
    clean('the seller creates the product', s);

    // 2. the shop: the brand's listing and the product's page, as the shopper (logged in)
    const listing = `/products?brand=${brand.id}`;
    const b = await as(viewport, shopper, `/login?next=${encodeURIComponent(listing)}`, (u) => u.pathname === '/products');
    assert.ok(await b.page.isVisible(`.product-card a[href="/products/${id}"]`), 'the shop lists it');
    await checkLayout(b.page, 'ko'); // and its pictures loaded before the next page is asked for
    await screenshot(b.page, `consoles-${tag}-2-listing.png`);
    await b.page.goto(`${BASE}/products/${id}`);
    assert.ok((await b.page.textContent('main h1')).includes(name), 'its page');
    const variants = rows(`SELECT id, size_label FROM product_variants WHERE product_id = ${id} ORDER BY id`);
    for (const [vid, size] of variants) {
      assert.equal((await b.page.textContent(`label[for="size-${vid}"]`))?.includes(size), true, `size ${size} offered`);
    }
    assert.equal(await b.page.locator('.gallery__image').count(), 2, 'its two images are shown');
    await checkLayout(b.page, 'ko');

    // 3. the shopper buys M by bank transfer
    const [mId] = variants.find(([, size]) => size === 'M');
    await b.page.click(`#size-${mId}`);
    await b.page.click('.sizes__add');
    await b.page.waitForSelector('.sizes__added', { state: 'visible' });
    await b.page.goto(`${BASE}/cart`);
    assert.ok(await b.page.isVisible(`text=${name}`), 'the cart lists the product');
    await Promise.all([b.page.waitForURL(/\/checkout$/), b.page.click('a[href="/checkout"]')]);
    await b.page.check('input[name=payment_method][value=bank_transfer]');
    await Promise.all([b.page.waitForURL(/\/me\/orders\/\d+\/complete$/), b.page.click('button[form=checkout-form]')]);
    const orderId = Number(b.page.url().match(/orders\/(\d+)\/complete/)[1]);
    made.orders.add(orderId);
    await screenshot(b.page, `consoles-${tag}-3-ordered.png`);
    const [state, method, total] = one(`SELECT payment_state, payment_method, total_amount FROM orders
      WHERE id = ${orderId} AND user_id = ${shopper.id}`);
    assert.deepEqual([state, method], ['awaiting_payment', 'bank_transfer'], 'a bank transfer awaiting payment');
    assert.equal(Number(total), 45000 + 3000, 'the price and the brand\'s shipping fee');
    const [lineId, lineState, variantId] = one(`SELECT id, state, variant_id FROM order_lines WHERE order_id = ${orderId}`);
    assert.deepEqual([lineState, Number(variantId)], ['ordered', Number(mId)], 'one line of M');
    assert.ok((await b.page.textContent('.bank-transfer')).includes(won(total)), 'the amount to transfer is shown');
    clean('the shopper buys', b);

    // 4. the admin records the transfer. The list (oldest first) has no pager: its page is asked
    // for by number, from where the order stands among those waiting.
    const a = await as(viewport, admin, '/login?next=%2Fadmin%2Forders', /\/admin\/orders$/);
    const before = num(`SELECT COUNT(*) FROM orders WHERE payment_method = 'bank_transfer' AND payment_state = 'awaiting_payment'
      AND (created_at, id) < (SELECT created_at, id FROM orders WHERE id = ${orderId})`);
    const perPage = 20, pageNo = Math.floor(before / perPage) + 1; // the list's default page size
    if (pageNo > 1) await a.page.goto(`${BASE}/admin/orders?page=${pageNo}&per_page=${perPage}`);
    const item = a.page.locator(`li[data-order="${orderId}"]`);
    assert.ok(await item.isVisible(), 'the order waits in the admin\'s list');
    assert.equal(await a.page.inputValue(`#amount-${orderId}`), String(total), 'the amount is prefilled with the total');
    await a.page.fill(`#depositor-${orderId}`, '홍길동');
    await screenshot(a.page, `consoles-${tag}-4-admin.png`);
    await Promise.all([a.page.waitForURL(/\/admin\/orders\?recorded=1$/), item.locator('button[type=submit]').click()]);
    assert.equal(val(`SELECT payment_state FROM orders WHERE id = ${orderId}`), 'paid', 'the order is paid');
    assert.equal(await a.page.locator(`li[data-order="${orderId}"]`).count(), 0, 'and leaves the list');
    clean('the admin records the payment', a);

    // 5. the seller prepares, then ships with a courier and a tracking number
    const tracking = `6${String(Date.now()).slice(-11)}`;
    await s.page.goto(`${BASE}/seller/orders`);
    const line = s.page.locator(`#line-${lineId}`);
    assert.equal(await line.getAttribute('data-state'), 'ordered', 'the line waits to be prepared');
    await Promise.all([s.page.waitForURL(/\/seller\/orders\?moved=1$/),
      line.locator(`form[action="/seller/orders/${lineId}/prepare"] button`).click()]);
    assert.equal(val(`SELECT state FROM order_lines WHERE id = ${lineId}`), 'preparing', 'the line is being prepared');
    assert.equal(await s.page.locator(`#line-${lineId}`).getAttribute('data-state'), 'preparing', 'the page shows it');
    await s.page.fill(`#courier-${lineId}`, 'CJ대한통운');
    await s.page.fill(`#tracking-${lineId}`, tracking);
    await screenshot(s.page, `consoles-${tag}-5-ship.png`);
    await Promise.all([s.page.waitForURL(/\/seller\/orders\?moved=1$/),
      s.page.click(`form[action="/seller/orders/${lineId}/ship"] button[type=submit]`)]);
    assert.deepEqual(one(`SELECT state, courier, tracking_number FROM order_lines WHERE id = ${lineId}`),
      ['shipped', 'CJ대한통운', tracking], 'the line is shipped with its courier and tracking number');
    assert.ok((await s.page.textContent(`#line-${lineId}`)).includes(tracking), 'the console shows the tracking number');
    clean('the seller ships', s);

    // 6. the shopper sees it shipped
    await b.page.goto(`${BASE}/me/orders/${orderId}`);
    const shown = (await b.page.textContent(`#line-${lineId} .order-line__state`)).replace(/\s+/g, ' ');
    assert.ok(shown.includes('배송 중') && shown.includes('CJ대한통운') && shown.includes(tracking),
      `shipped with the tracking number: "${shown}"`);
    await screenshot(b.page, `consoles-${tag}-6-shipped.png`);
    clean('the shopper sees it shipped', b);

    // 7. the seller's dashboard: today's sale in the chart (the last of its 30 days)
    await s.page.goto(`${BASE}/seller`);
    const bars = await s.page.locator('svg.sales-chart rect.sales-chart__bar')
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
    assert.equal(bars.length, 30, 'thirty bars');
    assert.ok(bars[29] > 0, `today has a bar: ${bars}`);
    const sold = num(`SELECT SUM(l.line_total) FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE l.brand_id = ${brand.id} AND o.paid_at IS NOT NULL`);
    assert.ok((await s.page.textContent('#sales-title')).includes(won(sold)), `the month's total is ${won(sold)}`);
    const box = await s.page.locator('svg.sales-chart').boundingBox();
    assert.ok(box && box.width > 300 && box.width <= viewport.width, `the chart fits: ${JSON.stringify(box)}`);
    assert.equal(await s.page.locator('[style]').count(), 0, 'an inline style attribute (the CSP refuses them)');
    await checkLayout(s.page, 'ko');
    await screenshot(s.page, `consoles-${tag}-7-dashboard.png`);
    clean('the dashboard', s);
  } finally {
    await closeAll();
  }
}

test('desktop: seller creates → shop lists → shopper buys by transfer → admin records it → seller ships → shopper sees it shipped', () => journey(DESKTOP, 'desktop'));
test('phone: the same journey at 390 x 844', () => journey(PHONE, 'phone'));

// An admin issues a 10 % coupon to every active shopper; a shopper finds it on /me/coupons, picks
// it for the line in /cart and checks out: the order carries its discount and the coupon is used.
async function couponJourney(viewport, tag) {
  const shopper = await makeShopper();
  const product = makeProduct(brand, { price: 40000, variants: [{ size: 'M', stock: 10 }] });
  const name = `여정 쿠폰 ${tag} ${Date.now() % 100000}`;
  const until = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  try {
    const a = await as(viewport, admin, `/login?next=${encodeURIComponent('/admin/coupons')}`, /\/admin\/coupons$/);
    await a.page.fill('#coupon-name', name);
    await a.page.fill('#coupon-discount-percent', '10');
    await a.page.fill('#coupon-valid-until', until);
    await Promise.all([a.page.waitForURL(/\/admin\/coupons\?/), a.page.click('form[action="/admin/coupons"] button[type=submit]')]);
    const issued = num(`SELECT COUNT(*) FROM coupons WHERE name = '${name}'`);
    assert.equal(issued, num("SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'active'"), 'one for every active shopper');
    assert.equal(Number(await a.page.textContent('[data-count="issued"]')), issued, 'the page says how many');
    assert.equal(num(`SELECT COUNT(*) FROM coupons WHERE name = '${name}' AND user_id = ${shopper.id}`), 1, 'the shopper has one');
    await screenshot(a.page, `consoles-${tag}-8-coupon-issued.png`);
    clean('the admin issues a coupon', a);

    const b = await as(viewport, shopper, `/login?next=${encodeURIComponent('/me/coupons')}`, /\/me\/coupons$/);
    assert.ok(await b.page.isVisible(`text=${name}`), '/me/coupons shows it');
    await b.page.goto(`${BASE}/products/${product.id}`);
    await b.page.click(`#size-${product.variants[0].id}`);
    await b.page.click('.sizes__add');
    await b.page.waitForSelector('.sizes__added', { state: 'visible' });
    await b.page.goto(`${BASE}/cart`);
    const couponId = val(`SELECT id FROM coupons WHERE name = '${name}' AND user_id = ${shopper.id}`);
    await b.page.selectOption('select[name=coupon_id]', couponId);
    await Promise.all([b.page.waitForLoadState('load'), b.page.click('form.cart-line__coupon button[type=submit]')]);
    await Promise.all([b.page.waitForURL(/\/checkout$/), b.page.click('a[href="/checkout"]')]);
    await b.page.check('input[name=payment_method][value=bank_transfer]');
    await Promise.all([b.page.waitForURL(/\/me\/orders\/\d+\/complete$/), b.page.click('button[form=checkout-form]')]);
    const orderId = Number(b.page.url().match(/orders\/(\d+)\/complete/)[1]);
    made.orders.add(orderId);
    assert.deepEqual(one(`SELECT coupon_discount_amount, total_amount FROM orders WHERE id = ${orderId}`).map(Number),
      [4000, 40000 - 4000 + 3000], '10 % off the line; the shipping fee still due under the free threshold');
    assert.equal(val(`SELECT state FROM coupons WHERE id = ${couponId}`), 'used', 'the coupon is used');
    await screenshot(b.page, `consoles-${tag}-9-coupon-used.png`);
    clean('the shopper uses the coupon', b);
  } finally {
    await closeAll();
    // the other shoppers' copies (this run's shopper's goes with cleanup)
    sql(`DELETE FROM coupons WHERE name = '${name}' AND user_id <> ${shopper.id}`);
  }
}

test('desktop: an admin issues a coupon to every shopper → a shopper sees it and uses it at checkout', () => couponJourney(DESKTOP, 'desktop'));
test('phone: the coupon journey at 390 x 844', () => couponJourney(PHONE, 'phone'));

test('cleanup', async () => {
  await closeBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(cleanup(), {});
});

await run();
