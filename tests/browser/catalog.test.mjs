// Browser checks of the catalogue pages in headless Chromium: home, the listing and a product
// page at a phone and a desktop size (columns, Hangul fonts, images, no sideways scrolling, no
// errors), and what a shopper does with them: search, filter, sort, page, the category / style /
// brand pages, /brands, the product page's details, and products whose names are hostile markup.
// The JSON API of the same site is the ground truth. Run: node tests/browser/catalog.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs).
import { readFileSync } from 'node:fs';
import { test, run, assert } from '../lib/tap.mjs';
import {
  BASE, VIEWPORTS, withPage, screenshot, checkLayout, firstRowColumns, checkHangulRendered, api, closeBrowser,
} from './browser.mjs';

// The messages the pages are rendered with (labels of the measurement table, the count line).
const KO = JSON.parse(readFileSync(new URL('../../locales/ko.json', import.meta.url), 'utf8'));

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

// The grid of product cards of the page: the listing's, the product page's "more from this
// brand", the first one (new arrivals) on home.
const GRID = 'main .product-grid';

const won = (n) => `${n.toLocaleString('en-US')}원`;
const ids = (list) => list.items.map((p) => p.id);
const qs = (params) => new URLSearchParams(params).toString();

// The product cards of the first grid matching sel: the product id (from the card's link), the
// card's visible text, and the price paid (the amount in won outside <del>, i.e. not the list
// price of a discounted product): "31,900원" in Korean, "₩31,900" in English.
async function cards(page, sel = GRID) {
  return page.evaluate((s) => {
    const ul = document.querySelector(s);
    if (!ul) return [];
    return [...ul.children].filter((e) => e.tagName === 'LI').map((li) => {
      const a = li.querySelector('a[href*="/products/"]');
      const id = a ? Number(new URL(a.href).pathname.match(/^\/products\/(\d+)$/)?.[1]) : NaN;
      const copy = li.cloneNode(true);
      copy.querySelectorAll('del, s').forEach((d) => d.remove());
      const m = copy.textContent.match(/(\d[\d,]*)\s*원|₩\s*(\d[\d,]*)/);
      return {
        id,
        text: li.innerText,
        price: m ? Number((m[1] || m[2]).replace(/,/g, '')) : NaN,
      };
    });
  }, sel);
}

// Opens path and checks it answered 200.
async function open(page, path) {
  const res = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.equal(res.status(), 200, `GET ${path}`);
  return res;
}

// Follows a link (a locator) and waits for the new document.
async function follow(page, link) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  return new URL(page.url());
}

// The first product (newest first) whose API detail satisfies pred, or null.
async function findProduct(pred) {
  for (let p = 1; p <= 3; p++) {
    const list = await api(`/api/v1/products?per_page=100&page=${p}`);
    for (let i = 0; i < list.items.length; i += 16) {
      const details = await Promise.all(list.items.slice(i, i + 16).map((x) => api(`/api/v1/products/${x.id}`)));
      const hit = details.find(pred);
      if (hit) return hit;
    }
    if (p * 100 >= list.total) break;
  }
  return null;
}

let galleryProduct;
// A product with at least two images (the gallery shows them all), else the newest one.
async function getGalleryProduct() {
  galleryProduct ||= (await findProduct((d) => d.images.length >= 2))
    || (await api(`/api/v1/products/${(await api('/api/v1/products?per_page=1')).items[0].id}`));
  return galleryProduct;
}

// ---- every page at every size -------------------------------------------------------------------

const VIEWS = [];
for (const vp of VIEWPORTS) {
  for (const kind of ['home', 'listing', 'product']) VIEWS.push({ kind, lang: 'ko', vp });
}
VIEWS.push({ kind: 'listing', lang: 'en', vp: VIEWPORTS[0] });

for (const { kind, lang, vp } of VIEWS) {
  const size = `${vp.width}x${vp.height}`;
  test(`${kind} ${lang} ${size}: columns, Hangul, images, no sideways scroll, no errors`, async () => {
    const product = kind === 'product' ? await getGalleryProduct() : null;
    const path = { home: '/', listing: '/products', product: `/products/${product?.id}` }[kind]
      + (lang === 'en' ? '?lang=en' : '');
    await withPage({ width: vp.width, height: vp.height }, async ({ page, problems }) => {
      await open(page, path);
      await checkLayout(page, lang);

      // The grid is the one meant: its cards are the products the API says it shows.
      const shown = (await cards(page)).map((c) => c.id);
      if (kind === 'home') {
        assert.deepEqual(shown, ids(await api('/api/v1/products?sort=newest&per_page=10')), 'home: new arrivals');
      } else if (kind === 'listing') {
        assert.deepEqual(shown, ids(await api('/api/v1/products')), 'listing: the first page of newest');
      } else {
        const brand = ids(await api(`/api/v1/products?brand=${product.brand.id}&sort=popular&per_page=11`));
        assert.ok(shown.length > 0, 'more from the brand shown');
        assert.ok(!shown.includes(product.id), 'more from the brand leaves this product out');
        for (const id of shown) assert.ok(brand.includes(id), `more from the brand: ${id} is of brand ${product.brand.id}`);
        const gallery = await page.$$eval('main img', (imgs) => imgs.filter((i) => !i.closest('.product-grid')).length);
        assert.equal(gallery, product.images.length, 'every product image in the gallery');
      }

      const cols = await firstRowColumns(page, GRID);
      assert.ok(cols.firstRow >= vp.minColumns,
        `product grid has ${cols.firstRow} columns at ${vp.width}px, want >= ${vp.minColumns}`);

      // Korean pages: the heading. English listing: a product name (the seed's are Korean).
      await checkHangulRendered(page, lang === 'ko' ? ['main h1'] : ['main h1', `${GRID} > li a`]);

      await page.waitForLoadState('networkidle');
      // home-ko-… is home.test.mjs's (the same page, checked for its category tiles there).
      await screenshot(page, `${kind === 'home' ? 'home-products' : kind}-${lang}-${size}.png`);
      assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
    });
  });
}

// ---- what a shopper does ------------------------------------------------------------------------

test('header search: 바지 lists what the API finds (청바지 too), with its total', async () => {
  const q = '바지';
  const expected = await api(`/api/v1/products?${qs({ q })}`);
  assert.ok(expected.total > 0, 'the seed has products matching 바지');
  await withPage(DESKTOP, async ({ page, problems }) => {
    await open(page, '/');
    await page.fill('header.site-header form.search input[name=q]', q);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('header.site-header form.search input[name=q]', 'Enter')]);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/products', 'search goes to /products');
    assert.equal(url.searchParams.get('q'), q, 'q in the URL');

    const shown = await cards(page);
    assert.deepEqual(shown.map((c) => c.id), ids(expected), 'the products the API finds, in its order');
    for (const [i, c] of shown.entries()) {
      const name = expected.items[i].name;
      assert.ok(name.includes(q), `API name "${name}" contains ${q}`);
      assert.ok(c.text.includes(name), `card ${c.id} shows its name "${name}"`);
    }
    assert.ok(shown.some((c) => c.text.includes('청바지')), '청바지 found by 바지');
    const count = `${KO.listing.count_before}${expected.total.toLocaleString('en-US')}${KO.listing.count_after}`;
    assert.ok((await page.innerText('main')).includes(count), `the count line says "${count}"`);
    assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
  });
});

test('filter form (phone): a category and on sale give the API\'s products for that query', async () => {
  // The category with the most products on sale, so the filters narrow a full page.
  const categories = (await api('/api/v1/categories')).items;
  const counts = await Promise.all(categories.map(async (c) => ({
    c, total: (await api(`/api/v1/products?category=${c.id}&on_sale=true&per_page=1`)).total,
  })));
  const { c: category } = counts.sort((a, b) => b.total - a.total)[0];
  await withPage(PHONE, async ({ page, problems }) => {
    await open(page, '/products');
    const form = page.locator('main form[method=get]').filter({ has: page.locator('select[name=category]') });
    assert.equal(await form.count(), 1, 'one filter form');
    // Folded on phones: open it the way a shopper does, with its summary.
    if (!(await form.isVisible())) await page.locator('main details:has(form[method=get]) > summary').click();
    assert.ok(await form.isVisible(), 'the filter form opens');
    await form.locator('select[name=category]').selectOption(String(category.id));
    await form.locator('input[name=on_sale]').check();
    const url = await follow(page, form.locator('[type=submit]'));

    assert.equal(url.pathname, '/products');
    assert.equal(url.searchParams.get('category'), String(category.id), 'category in the URL');
    assert.equal(url.searchParams.get('on_sale'), 'true', 'on_sale=true in the URL');
    // site.js leaves the filters left blank out of the address.
    assert.deepEqual([...url.searchParams.keys()].sort(), ['category', 'on_sale'], `only the chosen filters: ${url.search}`);
    const expected = await api(`/api/v1/products${url.search}`);
    assert.ok(expected.total > 0, 'the API finds products on sale in the category');
    for (const p of expected.items) assert.ok(p.on_sale && p.category_id === category.id, `API item ${p.id} fits`);
    const shown = await cards(page);
    assert.deepEqual(shown.map((c) => c.id), ids(expected), 'the API\'s products for the same query, in order');
    // The form shows the choices made.
    assert.equal(await page.inputValue('main select[name=category]'), String(category.id), 'category still chosen');
    assert.ok(await page.isChecked('main input[name=on_sale]'), 'on sale still ticked');
    assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
  });
});

test('sort link price_asc (phone): prices non-decreasing, the API\'s products', async () => {
  await withPage(PHONE, async ({ page, problems }) => {
    await open(page, '/products');
    const url = await follow(page, page.locator('main a[href*="sort=price_asc"]').first());
    assert.equal(url.searchParams.get('sort'), 'price_asc', 'sort in the URL');
    const expected = await api(`/api/v1/products${url.search}`);
    const shown = await cards(page);
    assert.deepEqual(shown.map((c) => c.id), ids(expected), 'the API\'s products in price order');
    const prices = shown.map((c) => c.price);
    for (const [i, c] of shown.entries()) assert.equal(c.price, expected.items[i].sale_price, `card ${c.id} price`);
    for (let i = 1; i < prices.length; i++) {
      assert.ok(prices[i - 1] <= prices[i], `prices non-decreasing: ${prices.join(', ')}`);
    }
    assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
  });
});

test('pagination: the next link shows page 2 of the API', async () => {
  await withPage(DESKTOP, async ({ page, problems }) => {
    await open(page, '/products');
    const first = (await cards(page)).map((c) => c.id);
    const url = await follow(page, page.locator('main a[rel=next]'));
    assert.equal(url.searchParams.get('page'), '2', 'page=2 in the URL');
    const expected = await api('/api/v1/products?page=2');
    assert.ok(expected.items.length > 0, 'the API has a page 2');
    const shown = (await cards(page)).map((c) => c.id);
    assert.deepEqual(shown, ids(expected), 'the API\'s page 2');
    assert.ok(shown.every((id) => !first.includes(id)), 'page 2 repeats nothing of page 1');
    assert.ok(await page.locator('main a[rel=prev]').count() > 0, 'a link back to page 1');
    assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
  });
});

// A listing pre-filtered by its path: its heading and the API's products for the filter.
async function checkPreFiltered(path, heading, apiQuery) {
  await withPage(DESKTOP, async ({ page, problems }) => {
    await open(page, path);
    assert.equal((await page.textContent('main h1')).trim(), heading, 'heading');
    const expected = await api(`/api/v1/products?${apiQuery}`);
    assert.ok(expected.total > 0, `the API has products for ${apiQuery}`);
    assert.deepEqual((await cards(page)).map((c) => c.id), ids(expected), `the API's products for ${apiQuery}`);
    const count = `${KO.listing.count_before}${expected.total.toLocaleString('en-US')}${KO.listing.count_after}`;
    assert.ok((await page.innerText('main')).includes(count), `the count line says "${count}"`);
    assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
  });
}

// The category / style with the most products (most likely to fill more than one page).
async function biggest(kind) {
  const items = (await api(`/api/v1/${kind === 'category' ? 'categories' : 'styles'}`)).items;
  const totals = await Promise.all(items.map(async (x) => (await api(`/api/v1/products?${kind}=${x.id}&per_page=1`)).total));
  return items[totals.indexOf(Math.max(...totals))];
}

test('category page shows the API\'s products of the category', async () => {
  const c = await biggest('category');
  await checkPreFiltered(`/categories/${c.id}`, c.name, `category=${c.id}`);
});

test('style page shows the API\'s products of the style', async () => {
  const s = await biggest('style');
  await checkPreFiltered(`/styles/${s.id}`, s.name, `style=${s.id}`);
});

test('brand page: the brand name as heading, the API\'s products of the brand', async () => {
  // A brand whose name needs escaping (O'Rourke & Kim) when the seed has one.
  const brands = (await api('/api/v1/brands?per_page=100')).items;
  const b = brands.find((x) => /[&'"<]/.test(x.name)) || brands[0];
  await checkPreFiltered(`/brands/${b.id}`, b.name, `brand=${b.id}`);
});

test('/brands lists every brand of the API', async () => {
  const expected = (await api('/api/v1/brands?per_page=100')).items;
  assert.ok(expected.length > 0, 'the API has brands');
  await withPage(DESKTOP, async ({ page, problems }) => {
    await open(page, '/brands');
    const seen = new Map();
    for (let n = 0; n < 20; n++) { // the pages of /brands, following its next links
      for (const [href, text] of await page.$$eval('main a[href^="/brands/"]',
        (as) => as.map((a) => [a.getAttribute('href'), a.textContent.trim()]))) {
        seen.set(href, [...(seen.get(href) || []), text]);
      }
      const next = page.locator('main a[rel=next]');
      if (!(await next.count())) break;
      await follow(page, next);
    }
    for (const b of expected) {
      const texts = seen.get(`/brands/${b.id}`) || [];
      assert.ok(texts.includes(b.name), `brand ${b.id} "${b.name}" listed with a link to its page (${JSON.stringify(texts)})`);
    }
    const ours = new Set(expected.map((b) => `/brands/${b.id}`));
    assert.deepEqual([...seen.keys()].filter((h) => /^\/brands\/\d+$/.test(h) && !ours.has(h)), [], 'no other brand');
    assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
  });
});

test('product page: name, brand, prices, sizes, measurement table, return address', async () => {
  // A discounted product with several sizes and measurements.
  const p = await findProduct((d) => d.on_sale && d.variants.length >= 2
    && d.variants.some((v) => v.measurements && Object.keys(v.measurements).length));
  assert.ok(p, 'the seed has a discounted product with sizes and measurements');
  await withPage(DESKTOP, async ({ page, problems }) => {
    await open(page, `/products/${p.id}`);
    assert.equal((await page.textContent('main h1')).trim(), p.name, 'name as heading');
    const info = await page.evaluate(({ price }) => {
      // The block around the heading that holds the price (not the cards of "more from the brand").
      let el = document.querySelector('main h1');
      while (el && !el.innerText.includes(price)) el = el.parentElement;
      return el && { text: el.innerText, hasGrid: !!el.querySelector('.product-grid') };
    }, { price: won(p.sale_price) });
    assert.ok(info && !info.hasGrid, `sale price ${won(p.sale_price)} shown with the name`);
    assert.ok(info.text.includes(won(p.list_price)), `list price ${won(p.list_price)} shown`);
    assert.ok(info.text.includes(`${p.discount_percent}%`), `discount ${p.discount_percent}% shown`);
    const brandLinks = await page.$$eval(`main a[href="/brands/${p.brand.id}"]`, (as) => as.map((a) => a.textContent.trim()));
    assert.ok(brandLinks.includes(p.brand.name), `brand "${p.brand.name}" linked to its page`);

    // Sizes: an element of its own for each size label (outside the table and the cards).
    const labels = await page.evaluate(() => [...document.querySelectorAll('main *')]
      .filter((e) => !e.children.length && !e.closest('table, .product-grid') && e.getClientRects().length)
      .map((e) => e.textContent.trim()));
    for (const v of p.variants) assert.ok(labels.includes(v.size), `size ${v.size} shown`);

    // The measurement table: a column per measurement any size has (labels from the messages),
    // a row per size, the API's values in cm, "-" where a size lacks one.
    const table = await page.evaluate(() => {
      const t = document.querySelector('main table');
      if (!t) return null;
      const rows = [...t.rows].map((r) => [...r.cells].map((c) => c.textContent.trim()));
      return { head: rows[0], body: rows.slice(1) };
    });
    assert.ok(table, 'a measurement table');
    const keyOf = Object.fromEntries(Object.entries(KO.measure).map(([k, label]) => [label, k]));
    assert.equal(table.head[0], KO.measure.size, 'first column: size');
    const columns = table.head.slice(1).map((label) => keyOf[label]);
    for (const [i, k] of columns.entries()) assert.ok(k, `column "${table.head[i + 1]}" is a measurement`);
    const used = new Set(p.variants.flatMap((v) => Object.entries(v.measurements || {})
      .filter(([, x]) => x !== null).map(([k]) => k)));
    assert.deepEqual([...columns].sort(), [...used].sort(), 'a column for each measurement the sizes have');
    assert.equal(table.body.length, p.variants.length, 'a row per size');
    for (const [i, v] of p.variants.entries()) {
      const [size, ...cells] = table.body[i];
      assert.equal(size, v.size, `row ${i + 1}: size`);
      for (const [j, k] of columns.entries()) {
        const want = v.measurements?.[k];
        if (want === undefined || want === null) assert.equal(cells[j], '-', `${v.size} ${k}: none`);
        else assert.equal(Number(cells[j]), want, `${v.size} ${k}: ${cells[j]} cm`);
      }
    }

    // The brand's terms: where to send a return.
    const main = await page.innerText('main');
    assert.ok(main.includes(p.brand.return_address), `return address "${p.brand.return_address}"`);
    if (p.brand.return_postal_code) assert.ok(main.includes(p.brand.return_postal_code), 'return postal code');
    if (p.brand.return_courier) assert.ok(main.includes(p.brand.return_courier), 'return courier');
    assert.ok(main.includes(p.brand.shipping_fee ? won(p.brand.shipping_fee) : KO.policy.free_shipping), 'shipping fee');
    assert.deepEqual(problems, [], 'no console errors, failed requests or dialogs');
  });
});

// ---- hostile product names ----------------------------------------------------------------------

// Each name the seed gives a product, and a search that finds it (a search for the whole of the
// first finds nothing: see the report of this suite). The queries are hostile too.
const HOSTILE = [
  { name: '<script>alert("x")</script> 셔츠', q: '<script>alert' },
  { name: 'O\'Neil "Quote" 후드', q: 'O\'Neil "Quote"' },
  { name: '이모지 👕✨ 티셔츠', q: '이모지 👕✨' },
  { name: '&amp; 앰퍼샌드 팬츠', q: '&amp; 앰퍼샌드' },
  { name: '{{title}} 중괄호 스커트', q: '{{title}} 중괄호' },
];

// The script elements of a page, each as its src without the content hash of the file name
// (the site may be redeployed between two pages); "" for an inline script.
const scriptsOf = (page) => page.$$eval('script', (ss) => ss.map((s) => s.src.replace(/\.[0-9a-f]{8,}\./, '.#.')));

let layoutScripts;
// The script elements of the layout itself, from a page without product data in it.
async function getLayoutScripts(page) {
  if (!layoutScripts) {
    await open(page, '/products?lang=ko');
    layoutScripts = await scriptsOf(page);
    assert.ok(layoutScripts.length > 0 && layoutScripts.every((s) => s.startsWith(`${BASE}/`)),
      `the layout has its own script files: ${layoutScripts}`);
  }
  return layoutScripts;
}

// Nothing of the data ran or became markup: no dialog (recorded as a problem), the layout's own
// scripts only, the literal text visible.
async function checkInert(page, what, texts) {
  assert.deepEqual(await scriptsOf(page), layoutScripts, `${what}: only the layout's script elements`);
  assert.equal(await page.locator('main [onerror], main [onload], main [onclick]').count(), 0, `${what}: no event handler attributes`);
  const body = await page.innerText('body');
  for (const t of texts) assert.ok(body.includes(t), `${what}: the text ${JSON.stringify(t)} shown literally`);
}

for (const h of HOSTILE) {
  test(`hostile name ${JSON.stringify(h.name)}: product page and search show it as text`, async () => {
    const found = await api(`/api/v1/products?${qs({ q: h.q })}`);
    const product = found.items.find((x) => x.name === h.name);
    assert.ok(product, `the API finds "${h.name}" with q=${h.q}`);
    await withPage(PHONE, async ({ page, problems }) => {
      await getLayoutScripts(page);

      await open(page, `/products/${product.id}`);
      assert.equal(await page.textContent('main h1'), h.name, 'product page: the name as heading, literally');
      assert.ok((await page.title()).includes(h.name), 'product page: the name in the title');
      const alts = await page.$$eval('main img[alt]:not([alt=""])', (imgs) => imgs.map((i) => i.getAttribute('alt')));
      for (const alt of alts) assert.equal(alt, h.name, 'product page: image alt text is the name');
      await checkInert(page, 'product page', [h.name]);

      await open(page, `/products?${qs({ q: h.q })}`);
      assert.ok((await page.textContent('main h1')).includes(h.q), 'search page: the query in the heading, literally');
      assert.ok((await page.title()).includes(h.q), 'search page: the query in the title');
      assert.equal(await page.inputValue('main form[method=get] input[name=q]'), h.q, 'search page: the query kept in the filter form');
      const shown = await cards(page);
      const card = shown.find((c) => c.id === product.id);
      assert.ok(card, 'search page: the product listed');
      assert.ok(card.text.includes(h.name), 'search page: the card shows the name literally');
      await checkInert(page, 'search page', [h.name, h.q]);

      assert.deepEqual(problems, [], 'no dialog, console error or failed request');
    });
  });
}

try {
  await run();
} finally {
  await closeBrowser();
}
