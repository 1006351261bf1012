// The seller console's dashboard in headless Chromium (issue 10): a seller of a brand with paid
// sales on several of the last 30 days, a low-stock size and an open question logs in at
// /seller/login and sees the figures, the chart (an SVG drawn by the server: 30 bars, the tallest
// on the best day) and the low-stock list; on a desktop and on a phone, with no console error, no
// failed request, no inline style the CSP would refuse. Screenshots: seller-dashboard-desktop.png,
// seller-dashboard-phone.png, and the stock and orders pages.
// Run: node tests/browser/seller-console.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs); LONUA_DB_ROOT_SOCKET.
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, withPage, screenshot, checkLayout, closeBrowser } from './browser.mjs';
import { num, sql } from '../integration/client.mjs';
import { makeBrand, makeProduct, makeShopper, makeAdmin, makeSeller, loginApi, loginSeller, purchase, cleanup } from '../integration/shop.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const brand = makeBrand({ fee: 0 });
let seller;

test('setup: a brand with sales over the month, a low-stock size, an open question', async () => {
  seller = await makeSeller(brand, { name: '대시보드 셀러' });
  const sellerApi = await loginSeller(seller), adminApi = await loginApi(await makeAdmin());
  const shopper = await makeShopper();
  const api = await loginApi(shopper);
  const p = makeProduct(brand, { name: '차트 셔츠', price: 30000, variants: [{ size: 'M', stock: 50 }, { size: 'L', stock: 2 }] });
  for (let i = 0; i < 6; i++) {
    const { line } = await purchase(api, { adminApi, sellerApi }, p.variants[0].id, { quantity: 1 + (i % 3) });
    // spread the sales over the month: line i on day 29 - 5i
    sql(`UPDATE order_lines SET created_at = UTC_TIMESTAMP() - INTERVAL ${i * 5} DAY WHERE id = ${line};`);
  }
  await api.api('POST', `/api/v1/products/${p.id}/questions`, { type: 'size', title: '사이즈 문의', content: '95 맞나요?' });
});

async function dashboard(viewport, tag) {
  await withPage(viewport, async ({ page, problems }) => {
    await page.goto(`${BASE}/seller/login`);
    await page.fill('input[name=email]', seller.email);
    await page.fill('input[name=password]', seller.password);
    await Promise.all([page.waitForURL(/\/seller$/), page.click('form.form button[type=submit]')]);
    const figure = async (id) => Number((await page.textContent(`#${id}`)).trim());
    assert.equal(await figure('figure-open-questions'), num(`SELECT COUNT(*) FROM questions WHERE brand_id = ${brand.id} AND answered_at IS NULL`));
    assert.equal(await figure('figure-low-stock'), num(`SELECT COUNT(*) FROM product_variants WHERE brand_id = ${brand.id} AND stock <= 3 AND status = 'active'`));
    const bars = page.locator('svg.sales-chart rect.sales-chart__bar');
    assert.equal(await bars.count(), 30, 'thirty bars');
    const heights = await bars.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
    assert.ok(heights.filter((h) => h > 0).length >= 5, `bars on the days with sales: ${heights}`);
    const box = await page.locator('svg.sales-chart').boundingBox();
    assert.ok(box && box.width > 300 && box.width <= viewport.width, `the chart fits: ${JSON.stringify(box)}`);
    assert.equal(await page.locator('[style]').count(), 0, 'an inline style attribute');
    await checkLayout(page, 'ko');
    await screenshot(page, `seller-dashboard-${tag}.png`);
    await page.goto(`${BASE}/seller/stock`);
    await screenshot(page, `seller-stock-${tag}.png`);
    await page.goto(`${BASE}/seller/orders`);
    await screenshot(page, `seller-orders-${tag}.png`);
    assert.deepEqual(problems, [], 'no console error, failed request or error answer on the way');
  });
}

test('desktop: the dashboard with its chart', () => dashboard(DESKTOP, 'desktop'));
test('phone: the dashboard with its chart', () => dashboard(PHONE, 'phone'));

test('cleanup', async () => {
  await closeBrowser();
  assert.deepEqual(cleanup(), {});
});

run();
