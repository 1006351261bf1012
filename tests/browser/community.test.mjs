// Personal fit and community in headless Chromium (issue 9): so far, likes. A shopper likes a
// product on its page and finds it on /me/likes: on a desktop with script (the button goes through
// the like API and changes in place, the page stays) and on a phone without (the form's own POST
// and 303 back to the page). Ground truth comes from SQL.
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

test('desktop, with script: a like in place (the like API), the count follows, and the product is on /me/likes', async () => {
  await likeJourney(DESKTOP, 'desktop', true);
});

test('phone, without script: the like form posts and comes back liked, and the product is on /me/likes', async () => {
  await likeJourney(PHONE, 'phone', false);
});

test('cleanup: everything made here is removed', async () => {
  await closeBrowser();
  assert.deepEqual(cleanup(), {});
});

await run();
