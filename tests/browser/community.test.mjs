// Personal fit and community in headless Chromium (issue 9). A shopper likes a product on its page
// and finds it on /me/likes, and likes another from a listing's card: on a desktop with script (the
// button goes through the like API and changes in place, the page stays) and on a phone without
// (the form's own POST and 303 back to the page). And a demo shopper of the seed, with the history
// the seed gave them, sees size advice that names a size they kept, likes the product, buys it,
// and writes a review with a photo and fit feedback that the product page then shows. Ground truth
// comes from SQL and the API.
// Run: node tests/browser/community.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs); LONUA_DB_ROOT_SOCKET
// (fixtures and checks as root; tests/integration/shop.mjs makes and removes them).
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, withPage, screenshot, checkLayout, closeBrowser } from './browser.mjs';
import { num, one, sql, apiLogin } from '../integration/client.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeAdmin, makeSeller, loginApi, loginSeller, purchase, cleanup,
} from '../integration/shop.mjs';
import { png } from '../integration/images.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const brand = makeBrand();

async function likeJourney(viewport, tag, script) {
  const shopper = await makeShopper();
  const product = makeProduct(brand, { price: 42000 });
  const count = () => num(`SELECT like_count FROM products WHERE id = ${product.id}`);
  const before = count();
  await withPage(viewport, async ({ page, problems }) => {
    await page.goto(`${BASE}/login?next=${encodeURIComponent(`/products/${product.id}`)}`);
    await page.fill('input[name=email]', shopper.email);
    await page.fill('input[name=password]', shopper.password);
    await Promise.all([page.waitForURL(new RegExp(`/products/${product.id}$`)), page.click('form.form button[type=submit]')]);
    const button = page.locator('form.like button');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    assert.equal((await page.textContent('form.like [data-like-count]')).trim(), String(before));
    if (script) {
      const url = page.url();
      await button.click();
      await page.waitForFunction(() => document.querySelector('form.like button').getAttribute('aria-pressed') === 'true');
      assert.equal(page.url(), url, 'the page was left: the script did not take the like');
    } else {
      await Promise.all([page.waitForLoadState('load'), button.click()]);
      assert.equal(await page.locator('form.like button').getAttribute('aria-pressed'), 'true');
    }
    assert.equal((await page.textContent('form.like [data-like-count]')).trim(), String(before + 1), 'the count shown');
    assert.equal(count(), before + 1, 'the count stored');
    await screenshot(page, `community-${tag}-1-liked.png`);
    await page.goto(`${BASE}/me/likes`);
    if (script) await checkLayout(page, 'ko'); // it scrolls and measures with script
    await screenshot(page, `community-${tag}-2-likes.png`);
    assert.ok(await page.isVisible(`.product-card a[href="/products/${product.id}"]`), '/me/likes does not show the product');
    assert.deepEqual(problems, [], 'no console error, failed request or error answer on the way');
  }, { javaScriptEnabled: script });
}

// The boxes of a card's parts (null when absent), to check where its like button sits. Measured
// through the browser's protocol, which works on a page without script too.
async function boxesOf(card) {
  const box = async (sel) => ((await card.locator(sel).count()) ? card.locator(sel).first().boundingBox() : null);
  const out = {};
  for (const [part, sel] of Object.entries({ button: '.card-like__button', media: '.product-card__media',
    badge: '.product-card__badge', brand: '.product-card__brand', name: '.product-card__name', prices: '.product-card__prices' })) {
    out[part] = await box(sel);
  }
  return out;
}
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

// A shopper likes a product from a listing's card, with script (in place) or without (the form
// posts and comes back to the listing). The button is a 44 px target on the image, clear of the
// sold-out badge and of the card's text.
async function cardJourney(viewport, tag, script) {
  const shopper = await makeShopper();
  const b = makeBrand();
  const product = makeProduct(b, { price: 42000 });
  const soldOut = makeProduct(b, { price: 39000, variants: [{ size: 'M', stock: 0 }] });
  const count = () => num(`SELECT like_count FROM products WHERE id = ${product.id}`);
  const before = count();
  const listing = `/products?brand=${b.id}&sort=price_desc`;
  await withPage(viewport, async ({ page, problems }) => {
    await page.goto(`${BASE}/login?next=${encodeURIComponent(listing)}`);
    await page.fill('input[name=email]', shopper.email);
    await page.fill('input[name=password]', shopper.password);
    await Promise.all([page.waitForURL((u) => u.pathname + u.search === listing), page.click('form.form button[type=submit]')]);
    const card = page.locator('li.product-card', { has: page.locator(`button[data-like="${product.id}"]`) });
    const button = card.locator('.card-like__button');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    assert.equal((await card.locator('[data-like-count]').textContent()).trim(), String(before));
    for (const li of [card, page.locator('li.product-card--sold-out')]) {
      const box = await boxesOf(li);
      assert.ok(box.button.width >= 44 && box.button.height >= 44, `the like button is a small target: ${JSON.stringify(box.button)}`);
      assert.ok(overlap(box.button, box.media), 'the like button is not on the image');
      for (const part of ['badge', 'brand', 'name', 'prices']) {
        if (box[part]) assert.ok(!overlap(box.button, box[part]), `the like button covers the card's ${part}`);
      }
    }
    const url = page.url();
    if (script) await page.evaluate(() => { window.stayed = true; });
    await button.click();
    // with script the same page changes; without, the listing comes again (its button then on)
    await card.locator('.card-like__button[aria-pressed="true"]').waitFor({ timeout: 10000 });
    assert.equal(page.url(), url, script ? 'the page was left' : 'the form did not come back to the listing');
    if (script) assert.equal(await page.evaluate(() => window.stayed), true, 'the page was loaded again');
    assert.equal((await card.locator('[data-like-count]').textContent()).trim(), String(before + 1), 'the count shown');
    assert.equal(count(), before + 1, 'the count stored');
    assert.equal(num(`SELECT COUNT(*) FROM likes WHERE user_id = ${shopper.id} AND product_id = ${soldOut.id}`), 0, 'the other card was liked');
    await screenshot(page, `community-${tag}-3-card-liked.png`);
    assert.deepEqual(problems, [], 'no console error, failed request or error answer on the way');
  }, { javaScriptEnabled: script });
}

test('desktop, with script: a like in place (the like API), the count follows, and the product is on /me/likes', async () => {
  await likeJourney(DESKTOP, 'desktop', true);
});

test('phone, without script: the like form posts and comes back liked, and the product is on /me/likes', async () => {
  await likeJourney(PHONE, 'phone', false);
});

test('desktop, with script: a like from a listing\'s card, in place: the heart turns on and the count follows', async () => {
  await cardJourney(DESKTOP, 'desktop', true);
});

test('phone, without script: a card\'s like form posts and comes back to the listing, liked, with the count', async () => {
  await cardJourney(PHONE, 'phone', false);
});

// ---- a demo shopper: size advice from their history, a like, a review with a photo ---------------

const DEMO_PASSWORD = 'demo-Shopper-1234';
const MEASURES = ['total_length_mm', 'shoulder_mm', 'chest_mm', 'sleeve_mm', 'waist_mm', 'hip_mm', 'thigh_mm', 'rise_mm', 'hem_mm'];

// A size the demo shopper kept (a confirmed line of the seed's demo orders) whose variant has
// measurements: its category, label and measurements, and the brand it came from.
function keptSize(email) {
  const row = one(`SELECT p.category_id, l.size_label, l.brand_name, ${MEASURES.map((m) => `COALESCE(v.${m}, 'NULL')`).join(', ')}
    FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN users u ON u.id = o.user_id
    JOIN products p ON p.id = l.product_id JOIN product_variants v ON v.id = l.variant_id
    WHERE u.email = '${email}' AND l.state = 'confirmed' AND v.chest_mm IS NOT NULL
    ORDER BY l.confirmed_at DESC, l.id DESC LIMIT 1`);
  assert.ok(row, `${email} has no kept size with measurements: is the demo shop seeded (lonua seed)?`);
  const [category, size, brandName, ...mm] = row;
  return { category: Number(category), size, brandName, mm: Object.fromEntries(MEASURES.map((m, i) => [m, mm[i]])) };
}

async function demoJourney(viewport, tag, email) {
  const kept = keptSize(email);
  const brand = makeBrand({ fee: 0, freeThreshold: 0 });
  // three sizes; the middle one measures as the size kept, the others 3 cm either side
  const product = makeProduct(brand, { category: kept.category, variants: [{ size: 'A1', stock: 50 }, { size: 'B2', stock: 50 }, { size: 'C3', stock: 50 }] });
  sql(product.variants.map((v, i) => `UPDATE product_variants SET ${MEASURES.filter((m) => kept.mm[m] !== 'NULL')
    .map((m) => `${m} = ${Number(kept.mm[m]) + (i - 1) * 30}`).join(', ')} WHERE id = ${v.id};`).join('\n'));
  const shopperApi = await apiLogin({ email, password: DEMO_PASSWORD });
  const advice = await shopperApi.get(`/api/v1/products/${product.id}/size-advice`, { headers: { 'Accept-Language': 'ko' } });
  assert.equal(advice.status, 200, advice.text);
  assert.deepEqual([advice.json.kind, advice.json.size, advice.json.compared_with.size, advice.json.compared_with.brand],
    ['history', 'B2', kept.size, kept.brandName], 'the advice compares with the size the demo shopper kept');
  const staff = { adminApi: await loginApi(await makeAdmin()), sellerApi: await loginSeller(await makeSeller(brand)) };
  await withPage(viewport, async ({ page, problems }) => {
    await page.goto(`${BASE}/login?next=${encodeURIComponent(`/products/${product.id}`)}`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(new RegExp(`/products/${product.id}$`)), page.click('form.form button[type=submit]')]);
    // the size advice, with its reason in words
    const reason = page.locator('.fit-advice__reason[data-size-advice="history"]');
    assert.equal((await reason.textContent()).trim(), advice.json.reason);
    assert.ok(advice.json.reason.includes(kept.brandName), 'the reason names where the kept size came from');
    await screenshot(page, `community-${tag}-4-size-advice.png`);
    // a like, in place
    await page.click('form.like button');
    await page.waitForFunction(() => document.querySelector('form.like button').getAttribute('aria-pressed') === 'true');
    // bought and delivered (the brand's steps through the API), then reviewed from the order page
    const { order } = await purchase(shopperApi, staff, product.variants[1].id);
    await page.goto(`${BASE}/me/orders/${order.id}`);
    await Promise.all([page.waitForURL(/\/review$/), page.click('a[href$="/review"]')]);
    await page.click('label.choice:has(input[name=rating][value="5"])');
    await page.click('label.choice:has(input[name=fit][value="true"])');
    await page.fill('textarea[name=body]', `데모 리뷰 ${tag}: 실측대로 딱 맞아요.`);
    await page.setInputFiles('input[name=photos]', { name: 'fit.png', mimeType: 'image/png', buffer: png(300, 375) });
    await screenshot(page, `community-${tag}-5-review-form.png`);
    await Promise.all([page.waitForURL(new RegExp(`/products/${product.id}/reviews#review-\\d+$`)), page.click('form[data-review-form] button[type=submit]')]);
    const review = one(`SELECT r.id, r.rating, r.fit, (SELECT COUNT(*) FROM review_photos p WHERE p.review_id = r.id)
      FROM reviews r JOIN users u ON u.id = r.user_id WHERE u.email = '${email}' AND r.product_id = ${product.id}`);
    assert.deepEqual(review.slice(1), ['5', 'true', '1'], 'the review stored, with its photo');
    // the product page: the summary and the review with its size, fit and photo
    await page.goto(`${BASE}/products/${product.id}`);
    const item = page.locator(`#review-${review[0]}`);
    await item.scrollIntoViewIfNeeded();
    assert.ok((await item.textContent()).includes(`데모 리뷰 ${tag}`));
    assert.ok((await item.locator('.review__facts').textContent()).includes('B2'), 'the size bought');
    assert.equal((await item.locator('.review__fit').textContent()).trim(), '딱 맞아요');
    const img = item.locator('.review__photos img');
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the photo shows');
    assert.match(await page.textContent('.fit-summary__headline'), /100/);
    await screenshot(page, `community-${tag}-6-review-shown.png`);
    assert.deepEqual(problems, [], 'no console error, failed request or error answer on the way');
  });
  assert.equal(num(`SELECT like_count FROM products WHERE id = ${product.id}`), 1);
}

test('desktop: a demo shopper sees size advice from the size they kept, likes, buys and reviews with a photo', async () => {
  await demoJourney(DESKTOP, 'desktop', 'shopper1@example.com');
});

test('phone: another demo shopper, the same journey', async () => {
  await demoJourney(PHONE, 'phone', 'shopper2@example.com');
});

test('cleanup: everything made here is removed', async () => {
  await closeBrowser();
  assert.deepEqual(cleanup(), {});
});

await run();
