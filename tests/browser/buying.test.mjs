// Buying in headless Chromium (SPEC §4 shopper pages; issue: "browse → pick a size → cart → checkout
// by bank transfer → (admin records the payment; the seller ships and delivers through the API) →
// confirm → mileage credited; on a phone viewport as well"). A guest picks a size on the product
// page, adds it with the page's own form, sees the cart, goes to checkout, logs in on the way (the
// guest cart is merged), checks out by bank transfer with the details prefilled from the profile,
// and sees the account and deadline; then the admin and the brand move the order through the API,
// and the shopper confirms the delivered line in the browser and finds the mileage credited. Once
// on a desktop with script (the add-to-cart form goes through the cart API), once on a phone
// without (every form a plain POST). Ground truth comes from SQL, never from the pages' own code.
// Run: node tests/browser/buying.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs); LONUA_DB_ROOT_SOCKET
// (fixtures and checks as root; tests/integration/shop.mjs makes and removes them).
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, withPage, screenshot, checkLayout, closeBrowser } from './browser.mjs';
import { num, val, one } from '../integration/client.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeAdmin, makeSeller, loginApi, loginSeller, cleanup,
} from '../integration/shop.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

// One brand (3,000 won shipping, free from 50,000) whose seller ships, and an admin.
const brand = makeBrand({ fee: 3000, freeThreshold: 50000, returnCost: 5000 });
const [admin, seller] = await Promise.all([makeAdmin(), makeSeller(brand)]);
const [adminApi, sellerApi] = await Promise.all([loginApi(admin), loginSeller(seller)]);

const won = (n) => `${n.toLocaleString('en-US')}원`;

// The whole journey at one viewport, for a Silver shopper (1 % grade discount, 1 % mileage).
// script: whether the page runs site.js (the add-to-cart form then goes through the cart API and
// the shopper stays on the product page) or not (the form's own POST and 303 to the cart).
async function journey(viewport, tag, script) {
  const shopper = await makeShopper({ grade: 'silver' });
  const product = makeProduct(brand, { price: 39000, listPrice: 49000,
    variants: [{ size: 'S', stock: 5 }, { size: 'M', stock: 5 }] });
  const size = product.variants[1];
  // The money rules (docs/money.md): 2 x 39,000 = 78,000; Silver takes floor(78,000 x 1 %) = 780;
  // 77,220 reaches the brand's 50,000, so shipping is free; the shopper pays 77,220 and earns
  // floor(77,220 x 1 %) = 772 mileage at confirmation.
  const subtotal = 78000, gradeDiscount = 780, total = 77220, earned = 772;

  await withPage(viewport, async ({ page, problems }) => {
    // the product page, as a guest: pick M, two of them, add to the cart (the page's form)
    await page.goto(`${BASE}/products/${product.id}`);
    await page.click(`#size-${size.id}`);
    await page.fill('#quantity', '2');
    if (script) {
      await page.click('.sizes__add');
      await page.waitForSelector('.sizes__added', { state: 'visible' });
      assert.ok(page.url().endsWith(`/products/${product.id}`), 'with script the shopper stays on the product page');
      assert.equal((await page.textContent('.account-links__count'))?.trim(), '1', 'and the header counts the line');
      await screenshot(page, `buying-${tag}-0-added.png`);
      await page.click('.sizes__added a[href="/cart"]');
      await page.waitForURL(/\/cart$/);
    } else {
      await Promise.all([page.waitForURL(/\/cart\?added=1$/), page.click('.sizes__add')]);
    }
    if (script) await checkLayout(page, 'ko'); // it scrolls and measures with script
    await screenshot(page, `buying-${tag}-1-cart.png`);
    assert.ok(await page.isVisible(`text=${product.name}`), 'the cart lists the product');
    assert.equal((await page.textContent('.account-links__count'))?.trim(), '1', 'the header counts one line');
    assert.match(await page.textContent('.totals__total'), new RegExp(won(subtotal)), 'a guest pays the subtotal (no grade yet)');

    // to checkout: the login page first (next=/checkout), then back with the cart merged
    await Promise.all([page.waitForURL(/\/login\?next=%2Fcheckout$/), page.click('a[href="/checkout"]')]);
    await page.fill('input[name=email]', shopper.email);
    await page.fill('input[name=password]', shopper.password);
    await Promise.all([page.waitForURL(/\/checkout$/), page.click('form.form button[type=submit]')]);
    if (script) await checkLayout(page, 'ko'); // it scrolls and measures with script
    await screenshot(page, `buying-${tag}-2-checkout.png`);
    const u = one(`SELECT name, phone, postal_code, address FROM users WHERE id = ${shopper.id}`);
    assert.equal(await page.inputValue('#recipient_name'), u[0], 'the recipient is the profile\'s name');
    assert.equal((await page.inputValue('#recipient_phone')).replace(/\D/g, ''), u[1], 'the phone is the profile\'s');
    assert.equal(await page.inputValue('#postal_code'), u[2], 'the postal code is the profile\'s');
    assert.equal(await page.inputValue('#address'), u[3], 'the address is the profile\'s');
    assert.match(await page.textContent('.totals__total'), new RegExp(won(total)), 'the Silver discount is taken');
    assert.ok((await page.textContent('.totals')).includes(won(gradeDiscount)), 'the grade discount is shown');
    await page.check('input[name=payment_method][value=bank_transfer]');
    await Promise.all([page.waitForURL(/\/me\/orders\/\d+\/complete$/), page.click('button[form=checkout-form]')]);
    if (script) await checkLayout(page, 'ko'); // it scrolls and measures with script
    await screenshot(page, `buying-${tag}-3-complete.png`);
    const orderId = Number(page.url().match(/orders\/(\d+)\/complete/)[1]);
    const o = one(`SELECT payment_state, total_amount, shipping_amount, grade_discount_amount, payment_method
      FROM orders WHERE id = ${orderId} AND user_id = ${shopper.id}`);
    assert.deepEqual(o, ['awaiting_payment', String(total), '0', String(gradeDiscount), 'bank_transfer'],
      'the order as the money rules make it');
    const transfer = await page.textContent('.bank-transfer');
    assert.ok(transfer.includes(won(total)), 'the amount to transfer is shown');
    assert.ok(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(transfer), 'the deadline is shown');
    assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${size.id}`), 3, 'two of M are taken');
    assert.equal(num(`SELECT COUNT(*) FROM cart_lines l JOIN carts c ON c.id = l.cart_id WHERE c.user_id = ${shopper.id}`),
      0, 'the bought line left the cart');

    // the admin records the transfer; the brand prepares, ships and delivers (the API)
    let r = await adminApi.api('POST', `/api/v1/admin/orders/${orderId}/payment`, { amount: total, depositor_name: u[0] });
    assert.equal(r.status, 200, `the transfer recorded: ${r.text}`);
    const lineId = num(`SELECT id FROM order_lines WHERE order_id = ${orderId}`);
    for (const [step, body] of [['prepare', {}], ['ship', { courier: 'CJ대한통운', tracking_number: '612345678901' }],
      ['deliver', {}]]) {
      r = await sellerApi.api('POST', `/api/v1/seller/order-lines/${lineId}/${step}`, body);
      assert.equal(r.status, 200, `the brand: ${step}: ${r.text}`);
    }

    // the shopper confirms the delivered line on the order page
    await page.goto(`${BASE}/me/orders/${orderId}`);
    if (script) await checkLayout(page, 'ko'); // it scrolls and measures with script
    await screenshot(page, `buying-${tag}-4-delivered.png`);
    assert.ok((await page.textContent('main')).includes('612345678901'), 'the tracking number is shown');
    await Promise.all([page.waitForURL(/confirmed=1$/), page.click(`form[action="/me/order-lines/${lineId}/confirm"] button`)]);
    await screenshot(page, `buying-${tag}-5-confirmed.png`);
    assert.equal(val(`SELECT state FROM order_lines WHERE id = ${lineId}`), 'confirmed', 'the line is confirmed');

    // the mileage is credited, and the ledger shows it
    await page.goto(`${BASE}/me/mileage`);
    if (script) await checkLayout(page, 'ko'); // it scrolls and measures with script
    await screenshot(page, `buying-${tag}-6-mileage.png`);
    assert.equal(num(`SELECT mileage_balance FROM users WHERE id = ${shopper.id}`), earned, 'the balance is the earned mileage');
    assert.ok((await page.textContent('.mileage__balance')).includes(won(earned)), 'the page shows the balance');
    assert.ok((await page.textContent('.ledger')).includes(won(earned)), 'the ledger shows the credit');
    assert.deepEqual(problems, [], 'no console error, failed request or error answer on the way');
  }, { javaScriptEnabled: script });
}

test('desktop, with script: product page (added in place) → cart → login → checkout by bank transfer → paid, shipped, delivered → confirmed, mileage credited', async () => {
  await journey(DESKTOP, 'desktop', true);
});

test('phone, without script: the same journey at 390 x 844 with every form a plain POST', async () => {
  await journey(PHONE, 'phone', false);
});

test('phone, without script: returning a line of a bank-transfer order asks where the refund goes; the form with the account sends the request, the account kept for the refund', async () => {
  const shopper = await makeShopper();
  const api = await loginApi(shopper);
  const product = makeProduct(brand, { price: 25000, variants: [{ size: 'L', stock: 3 }] });
  const placed = await api.api('POST', '/api/v1/orders', { items: [{ variant_id: product.variants[0].id, quantity: 1 }],
    payment_method: 'bank_transfer' }, { headers: { 'Idempotency-Key': `browser-return-${shopper.id}` } });
  assert.equal(placed.status, 201, placed.text);
  const order = placed.json, lineId = order.lines[0].id;
  let r = await adminApi.api('POST', `/api/v1/admin/orders/${order.id}/payment`, { amount: order.amounts.total });
  assert.equal(r.status, 200, r.text);
  for (const [step, body] of [['prepare', {}], ['ship', { courier: 'CJ대한통운', tracking_number: '612345678902' }], ['deliver', {}]]) {
    r = await sellerApi.api('POST', `/api/v1/seller/order-lines/${lineId}/${step}`, body);
    assert.equal(r.status, 200, `the brand: ${step}: ${r.text}`);
  }
  await withPage(PHONE, async ({ page, problems }) => {
    await page.goto(`${BASE}/login?next=${encodeURIComponent(`/me/orders/${order.id}`)}`);
    await page.fill('input[name=email]', shopper.email);
    await page.fill('input[name=password]', shopper.password);
    await Promise.all([page.waitForURL(new RegExp(`/me/orders/${order.id}$`)), page.click('form.form button[type=submit]')]);
    await page.click('.order-line__return summary');
    const form = `form[action="/me/order-lines/${lineId}/return"]`;
    for (const name of ['refund_bank_name', 'refund_account_number', 'refund_account_holder']) {
      assert.ok(await page.isVisible(`${form} input[name=${name}]`), `the return form does not ask for ${name}`);
    }
    await page.selectOption(`${form} select[name=reason]`, 'size');
    await page.fill(`${form} input[name=refund_bank_name]`, '국민은행');
    await page.fill(`${form} input[name=refund_account_number]`, '123456-01-234567');
    await page.fill(`${form} input[name=refund_account_holder]`, '홍길동');
    await screenshot(page, 'buying-phone-7-return-account.png');
    await Promise.all([page.waitForURL(/return_requested=1$/), page.click(`${form} button[type=submit]`)]);
    await screenshot(page, 'buying-phone-8-return-requested.png');
    assert.deepEqual(one(`SELECT l.state, o.refund_bank_name, o.refund_account_number, o.refund_account_holder
      FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.id = ${lineId}`),
    ['return_requested', '국민은행', '123456-01-234567', '홍길동']);
    assert.deepEqual(problems, [], 'no console error, failed request or error answer on the way');
  }, { javaScriptEnabled: false });
});

test('cleanup: everything made here is removed', async () => {
  await closeBrowser();
  assert.deepEqual(cleanup(), {});
});

await run();
