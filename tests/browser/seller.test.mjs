// The seller console in headless Chromium (issue 10). A seller logs in at /seller/login, creates a
// product with two images on the new-product form (a multipart form, no script needed), adds
// three sizes with measurements on its page, and the product then appears in the shop's listing
// of the brand and on its own page with its sizes; the console's list shows it with its stock.
// On a desktop and on a phone, with screenshots of each step. Ground truth comes from SQL.
// Run: node tests/browser/seller.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs); LONUA_DB_ROOT_SOCKET
// (fixtures and checks as root; tests/integration/shop.mjs makes and removes them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, withPage, screenshot, closeBrowser } from './browser.mjs';
import { num, rows } from '../integration/client.mjs';
import { makeBrand, makeSeller, cleanup } from '../integration/shop.mjs';
import { png } from '../integration/images.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const brand = makeBrand();
const seller = await makeSeller(brand);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lonua-seller-'));

async function journey(viewport, tag) {
  const name = `브라우저 셔츠 ${tag} ${Date.now() % 100000}`;
  const files = [1, 2].map((i) => {
    const f = path.join(dir, `${tag}-${i}.png`);
    fs.writeFileSync(f, png(300 + i, 375, (i * 0x404040 + (tag === 'phone' ? 0x202020 : 0)) & 0xffffff));
    return f;
  });
  await withPage(viewport, async ({ page, problems }) => {
    await page.goto(`${BASE}/seller/login`);
    await page.fill('input[name=email]', seller.email);
    await page.fill('input[name=password]', seller.password);
    await Promise.all([page.waitForURL(/\/seller$/), page.click('form.form button[type=submit]')]);
    await page.goto(`${BASE}/seller/products/new`);
    await page.fill('#product-name', name);
    await page.fill('#product-description', '브라우저에서 등록한 셔츠');
    await page.fill('#product-list-price', '59000');
    await page.fill('#product-sale-price', '49000');
    await page.selectOption('#product-status', 'active');
    await page.setInputFiles('#product-images', files);
    await screenshot(page, `seller-${tag}-1-new.png`);
    await Promise.all([page.waitForURL(/\/seller\/products\/\d+\?created=1$/), page.click('form.console-form button[type=submit]')]);
    const id = Number(page.url().match(/\/seller\/products\/(\d+)/)[1]);
    assert.equal(num(`SELECT COUNT(*) FROM product_images WHERE product_id = ${id}`), 2, 'two images stored');
    for (const [size, chest] of [['S', '50'], ['M', '52.5'], ['L', '55']]) {
      await page.fill('#variant-size', size);
      await page.fill('#variant-stock', '5');
      await page.fill('input[name=chest_cm]:not([value])', chest);
      await Promise.all([page.waitForURL(/variant_saved=1/), page.click('form[action$="/variants"] button[type=submit]')]);
    }
    assert.deepEqual(rows(`SELECT size_label, chest_mm FROM product_variants WHERE product_id = ${id} ORDER BY id`),
      [['S', '500'], ['M', '525'], ['L', '550']]);
    await screenshot(page, `seller-${tag}-2-product.png`);
    await page.goto(`${BASE}/seller/products`);
    assert.ok(await page.isVisible(`tr[data-product-id="${id}"]`), 'the console lists it');
    assert.equal((await page.textContent(`tr[data-product-id="${id}"] td:nth-child(5)`)).trim(), '15', 'its stock total');
    await screenshot(page, `seller-${tag}-3-list.png`);
    // the shop: the brand's listing and the product's page
    await page.goto(`${BASE}/brands/${brand.id}`);
    assert.ok(await page.isVisible(`.product-card a[href="/products/${id}"]`), 'the shop lists it');
    await page.goto(`${BASE}/products/${id}`);
    assert.ok((await page.textContent('main h1')).includes(name), 'its page');
    for (const size of ['S', 'M', 'L']) assert.ok((await page.textContent('main')).includes(size));
    await screenshot(page, `seller-${tag}-4-shop.png`);
    // a favicon still loading when the next page is asked for is aborted by the browser: no fault
    assert.deepEqual(problems.filter((p) => !/favicon.*ERR_ABORTED/.test(p)), [], 'no console error, failed request or error answer on the way');
  });
}

test('a seller creates a product with two images and three sizes on a desktop; it is in the shop', () => journey(DESKTOP, 'desktop'));
test('the same on a phone', () => journey(PHONE, 'phone'));

test('cleanup', async () => {
  await closeBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(cleanup(), {});
});

await run();
