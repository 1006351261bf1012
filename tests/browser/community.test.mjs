// Personal fit and community in headless Chromium (issue 9): so far, likes. A shopper likes a
// product on its page and finds it on /me/likes, and likes another from a listing's card: on a
// desktop with script (the button goes through the like API and changes in place, the page stays)
// and on a phone without (the form's own POST and 303 back to the page). Ground truth comes from
// SQL.
// Run: node tests/browser/community.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs); LONUA_DB_ROOT_SOCKET
// (fixtures and checks as root; tests/integration/shop.mjs makes and removes them).
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, withPage, screenshot, checkLayout, closeBrowser } from './browser.mjs';
import { num } from '../integration/client.mjs';
import { makeBrand, makeProduct, makeShopper, cleanup } from '../integration/shop.mjs';

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
    const card = page.locator('li.product-card', { has: page.locator(`form[data-like="${product.id}"]`) });
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

test('cleanup: everything made here is removed', async () => {
  await closeBrowser();
  assert.deepEqual(cleanup(), {});
});

await run();
