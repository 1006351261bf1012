// The catalogue pages through the real stack (nginx → lonua workers → MariaDB), checked against
// the JSON API as the ground truth: /, /products (filters, sorts, search, pages), /products/{id},
// /brands, /brands/{id}, /categories/{id}, /styles/{id}; the 404 and 422 error pages; the
// escaping of the seed's hostile names and of its hostile brand's introduction and return terms
// on every page that shows them; ?lang=en. Because the API and the pages share the catalogue
// code (src/db/catalog.c), a few pages are also checked against SQL written here, over the
// tables themselves: listings (ids, order, total, prices), product pages (prices, sizes with
// their stock state, measurements, terms), and the products no one may see (hidden, draft, or of
// an inactive brand), taken from the database.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//     node tests/integration/pages.test.mjs
//
// Needs the demo seed (`lonua seed`: ten brands, ~225 active products, a few hidden and draft
// ones, the hostile names). It reads the database as root through the socket, and writes only
// what a case needs and the seed lacks (an inactive brand with a product; a hidden or draft
// product; a size hidden for a moment), named "pages-test …", and removes or restores it at the
// end of that case (and removes leftovers of a run that died at the start). The HTML is read by
// stable things only (hrefs, form field names, selected and checked, <h1>, <table>, <dd>, rel,
// hreflang, text from locales/*.json), never by CSS classes.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { get, describe, shorten, mediaType, assertProblem } from './http.mjs';

const SOCKET = process.env.LONUA_DB_ROOT_SOCKET;
if (!SOCKET) {
  console.log('Bail out! LONUA_DB_ROOT_SOCKET is not set (the private MariaDB\'s socket: the SQL checks and fixtures)');
  process.exit(1);
}

const T = {
  ko: JSON.parse(fs.readFileSync(new URL('../../locales/ko.json', import.meta.url), 'utf8')),
  en: JSON.parse(fs.readFileSync(new URL('../../locales/en.json', import.meta.url), 'utf8')),
};
const SORTS = ['newest', 'popular', 'price_asc', 'price_desc', 'discount', 'rating', 'reviews'];
const PER_PAGE = 24; // the listing's default, as the API's
const MEASURES = ['total_length', 'shoulder', 'chest', 'sleeve', 'waist', 'hip', 'thigh', 'rise', 'hem'];

// ---- a tolerant HTML reader -------------------------------------------------------------------

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ldquo: '\u201c', rdquo: '\u201d',
  lsquo: '\u2018', rsquo: '\u2019', hellip: '\u2026', middot: '\u00b7', ndash: '\u2013', mdash: '\u2014', times: '\u00d7' };

function decode(s) {
  return String(s).replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(cp);
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

const collapse = (s) => s.replace(/[\s\u00a0]+/g, ' ').trim();

// The visible text: comments, scripts and tags dropped, entities decoded, whitespace collapsed.
function textOf(html) {
  return collapse(decode(String(html)
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')));
}

// Attributes of a start tag's inside: { name: raw value } (a bare attribute → '').
function attrsOf(s) {
  const out = {};
  for (const m of String(s).matchAll(/([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
}

function elements(html, tag) {
  const re = new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)<\\/${tag}>`, 'gi');
  return [...String(html).matchAll(re)].map((m) => ({ attrs: attrsOf(m[1]), raw: m[0], inner: m[2], index: m.index }));
}

function voidElements(html, tag) {
  const re = new RegExp(`<${tag}\\b([^>]*)>`, 'gi');
  return [...String(html).matchAll(re)].map((m) => ({ attrs: attrsOf(m[1]), raw: m[0], index: m.index }));
}

// Links: { href (entities decoded), rawHref, text, attrs, index }.
const anchors = (html) => elements(html, 'a').map((a) => ({
  ...a, href: decode(a.attrs.href ?? ''), rawHref: a.attrs.href ?? '', text: textOf(a.inner),
}));

function mainOf(html) {
  const start = html.search(/<main\b/i);
  const end = html.search(/<\/main>/i);
  assert.ok(start >= 0 && end > start, `no <main> in the page: ${shorten(html, 500)}`);
  return html.slice(start, end);
}

// Product ids linked in html, in order of first appearance (a card may link its product twice).
function productIds(html) {
  const ids = [];
  for (const a of anchors(html)) {
    const m = a.href.match(/^\/products\/(\d+)$/);
    if (m && !ids.includes(Number(m[1]))) ids.push(Number(m[1]));
  }
  return ids;
}

// The listing's filter form (the one with the price fields, not the header's search box).
function filterForm(html) {
  const form = elements(html, 'form').find((f) => /name\s*=\s*"?(min_price|max_price)/.test(f.inner));
  assert.ok(form, 'no filter form (a form with min_price/max_price) on the page');
  const selects = {};
  for (const s of elements(form.inner, 'select')) {
    selects[s.attrs.name] = elements(s.inner, 'option').map((o) => ({
      value: decode(o.attrs.value ?? textOf(o.inner)), text: textOf(o.inner), selected: 'selected' in o.attrs,
    }));
  }
  const inputs = voidElements(form.inner, 'input').map((i) => ({
    ...i, name: i.attrs.name, value: decode(i.attrs.value ?? ''), rawValue: i.attrs.value ?? '',
  }));
  return { action: decode(form.attrs.action ?? ''), method: (form.attrs.method ?? 'get').toLowerCase(), selects, inputs };
}

const selectedValues = (options) => options.filter((o) => o.selected).map((o) => o.value);

// The sort links: the links whose text is one of the sort labels of the language.
function sortLinks(html, lang = 'ko') {
  const byLabel = new Map(SORTS.map((s) => [T[lang].sort[s], s]));
  return anchors(mainOf(html)).filter((a) => byLabel.has(a.text)).map((a) => ({ ...a, sort: byLabel.get(a.text) }));
}

// The pagination: rel=prev/next links and the numbered page links.
function pagination(html) {
  const links = anchors(mainOf(html));
  return {
    prev: links.filter((a) => /(^|\s)prev(\s|$)/.test(a.attrs.rel ?? '')),
    next: links.filter((a) => /(^|\s)next(\s|$)/.test(a.attrs.rel ?? '')),
    numbers: links.filter((a) => /^\d+$/.test(a.text) && !/^\/products\/\d+$/.test(a.href)),
  };
}

// The number in the results bar ("상품 1,234개" / "1,234 products").
function shownCount(html, lang = 'ko') {
  const esc = (s) => s.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const l = T[lang].listing;
  const re = new RegExp(`${esc(l.count_before)}\\s*([\\d,]+)(\\+?)\\s*${esc(l.count_after)}`);
  const m = textOf(mainOf(html)).match(re);
  assert.ok(m, `no result count like "${l.count_before}N${l.count_after}" in the page`);
  return m[1] + m[2];
}

const h1Of = (html) => {
  const h = elements(html, 'h1');
  assert.equal(h.length, 1, `expected one <h1>, found ${h.length}`);
  return textOf(h[0].inner);
};

const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const won = (n, lang = 'ko') => (lang === 'en' ? `₩${grouped(n)}` : `${grouped(n)}원`);

// href → [pathname, sorted [name, value] pairs]
function splitHref(href) {
  const u = new URL(href, 'http://pages.test');
  assert.equal(u.origin, 'http://pages.test', `link ${href} leaves the site`);
  return [u.pathname, [...u.searchParams].sort((a, b) => (a[0] + '=' + a[1] < b[0] + '=' + b[1] ? -1 : 1))];
}

function assertLink(href, path, params, what) {
  const [p, q] = splitHref(href);
  const want = Object.entries(params).map(([k, v]) => [k, String(v)]).sort((a, b) => (a[0] + '=' + a[1] < b[0] + '=' + b[1] ? -1 : 1));
  assert.deepEqual([p, q], [path, want], `${what}: ${href}`);
}

const qs = (params) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
const withQuery = (path, params) => (Object.keys(params).length ? `${path}?${qs(params)}` : path);

// ---- the database ------------------------------------------------------------------------------

// Runs SQL as root on database lonua; the output raw (-r: no escaping), one row a line, tabs between.
function sql(script) {
  return execFileSync('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', '-r', 'lonua'], { input: script, encoding: 'utf8', maxBuffer: 64 << 20 });
}

const lit = (v) => (v === null || v === undefined ? 'NULL'
  : typeof v === 'number' ? String(v)
    : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);

// The rows of a SELECT JSON_OBJECT(...) (one JSON object a line) as objects.
const sqlRows = (query) => sql(query).split('\n').filter(Boolean).map((l) => JSON.parse(l));
// The first column of every row, as numbers.
const sqlNumbers = (query) => sql(query).split('\n').filter(Boolean).map((l) => Number(l.split('\t')[0]));

// Rows this suite adds when the seed lacks them: products named "pages-test …", a brand named
// FIXTURE_BRAND, sizes whose colour is "pages-test …" and SKU "pages-test-…".
const FIXTURE = 'pages-test';
const FIXTURE_BRAND = `${FIXTURE} 비활성 브랜드`;
function removeFixtures() {
  sql(`DELETE FROM product_variants WHERE sku LIKE '${FIXTURE}-%' AND color LIKE '${FIXTURE} %';
DELETE s FROM product_search s JOIN products p ON p.id = s.product_id WHERE p.name LIKE '${FIXTURE} %';
DELETE FROM products WHERE name LIKE '${FIXTURE} %';
DELETE FROM brands WHERE name = ${lit(FIXTURE_BRAND)};`);
}
removeFixtures(); // leftovers of a run that died

// ---- requests ---------------------------------------------------------------------------------

// GET an HTML page: the status, text/html, and the body.
async function page(path, status = 200) {
  const res = await get(path);
  assert.equal(res.status, status, `GET ${path}: expected ${status}, got ${describe(res)}`);
  assert.equal(mediaType(res), 'text/html', `GET ${path}: not HTML: ${describe(res)}`);
  assert.match(String(res.headers['content-type']), /charset=utf-8/i, `GET ${path}: charset`);
  return res.text;
}

// The layout around every page: a document that starts with the doctype, <html lang>, a title,
// the header (search form, language links, menus), <main> and the footer.
function assertLayout(html, path, lang = 'ko') {
  assert.match(html, /^\uFEFF?\s*<!doctype html>/i, `GET ${path}: the document does not start with <!doctype html>: ${shorten(JSON.stringify(html.slice(0, 300)))}`);
  assert.match(html, /<\/html>\s*$/i, `GET ${path}: the document does not end with </html>`);
  const htmls = voidElements(html, 'html');
  assert.equal(htmls.length, 1, `GET ${path}: ${htmls.length} <html> tags`);
  assert.equal(htmls[0].attrs.lang, lang, `GET ${path}: <html lang>`);
  const titles = elements(html, 'title');
  assert.equal(titles.length, 1, `GET ${path}: ${titles.length} <title>s`);
  assert.ok(textOf(titles[0].inner).length > 0, `GET ${path}: empty <title>`);
  assert.ok(/<header\b/i.test(html) && /<footer\b/i.test(html), `GET ${path}: no header or footer`);
  mainOf(html);
  const search = elements(html, 'form').find((f) => f.attrs.action === '/products' && /name\s*=\s*"q"/.test(f.inner));
  assert.ok(search, `GET ${path}: no search form (action=/products, field q) in the header`);
  const links = anchors(html);
  for (const l of ['ko', 'en']) {
    assert.ok(links.some((a) => a.attrs.hreflang === l), `GET ${path}: no language link hreflang=${l}`);
  }
  for (const href of ['/', '/products', '/brands']) {
    assert.ok(links.some((a) => a.href === href), `GET ${path}: no link to ${href}`);
  }
  const t = T[lang];
  const text = textOf(html);
  for (const label of [t.nav.brand, t.nav.category, t.nav.style, t.nav.all_products, t.footer.help_title]) {
    assert.ok(text.includes(label), `GET ${path}: the layout's label "${label}" (${lang}) is missing`);
  }
}

const apiCache = new Map();
async function api(path) {
  if (apiCache.has(path)) return apiCache.get(path);
  const res = await get(path);
  assert.equal(res.status, 200, `GET ${path}: ${describe(res)}`);
  assert.ok(res.json, `GET ${path}: no JSON: ${describe(res)}`);
  apiCache.set(path, res.json);
  return res.json;
}

const apiList = (params) => api(withQuery('/api/v1/products', params));

// Every item of an API list (page after page of 100).
async function apiAll(params) {
  const items = [];
  for (let p = 1; p <= 100; p++) {
    const body = await apiList({ ...params, per_page: 100, page: p });
    items.push(...body.items);
    if (body.items.length < 100) break;
  }
  return items;
}

const detail = (id) => api(`/api/v1/products/${id}`);

// The listing page (path + params) against the API for the same filter (apiParams).
async function assertListingMatches(path, params, apiParams, lang = 'ko') {
  const url = withQuery(path, lang === 'ko' ? params : { ...params, lang });
  const html = await page(url);
  const want = await apiList(apiParams);
  const got = productIds(mainOf(html));
  assert.deepEqual(got, want.items.map((x) => x.id), `GET ${url}: the grid differs from the API's list for ${qs(apiParams)}`);
  assert.equal(shownCount(html, lang), grouped(want.total) + (want.total_is_lower_bound ? '+' : ''),
    `GET ${url}: the count shown differs from the API's total ${want.total}`);
  return { html, want };
}

// ---- reference data ---------------------------------------------------------------------------

const categories = async () => (await api('/api/v1/categories')).items;
const styles = async () => (await api('/api/v1/styles')).items;
const brands = async () => {
  const out = [];
  for (let p = 1; p <= 100; p++) {
    const b = await api(`/api/v1/brands?per_page=100&page=${p}`);
    out.push(...b.items);
    if (b.items.length < 100) break;
  }
  return out;
};

// The category with the most products (at least two pages of 24), for paging.
// Ids come from the API, never from assumptions about the seed: in CI other suites add and remove
// rows before the seed runs, so its brands and products do not start at 1.
const productIds2 = async () => (await apiList({ per_page: 2 })).items.map((p) => p.id);
const brandAt = async (i) => (await brands())[i];

async function bigCategory() {
  let best = null;
  for (const c of await categories()) {
    const t = (await apiList({ category: c.id, per_page: 1 })).total;
    if (!best || t > best.total) best = { ...c, total: t };
  }
  assert.ok(best.total > PER_PAGE, `no category with more than ${PER_PAGE} products (the seed should have one)`);
  return best;
}

async function styleWithProducts() {
  for (const s of await styles()) {
    if ((await apiList({ style: s.id, per_page: 1 })).total > 0) return s;
  }
  assert.fail('no style has products');
}

// The seed's hostile products, found through the API by a distinctive word of their names.
const HOSTILE = [
  { word: 'script', name: '<script>alert("x")</script> 셔츠', escaped: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 셔츠',
    raw: '<script>alert' },
  { word: 'Quote', name: 'O\'Neil "Quote" 후드', escaped: 'O&#39;Neil &quot;Quote&quot; 후드', raw: 'O\'Neil "Quote"' },
  { word: '이모지', name: '이모지 👕✨ 티셔츠', escaped: '이모지 👕✨ 티셔츠', raw: null },
  { word: '앰퍼샌드', name: '&amp; 앰퍼샌드 팬츠', escaped: '&amp;amp; 앰퍼샌드 팬츠', raw: '&amp; 앰퍼샌드' },
  { word: '중괄호', name: '{{title}} 중괄호 스커트', escaped: '{{title}} 중괄호 스커트', raw: null },
];
const HOSTILE_BRAND = { name: "O'Rourke & Kim", escaped: 'O&#39;Rourke &amp; Kim', raw: "O'Rourke & Kim" };

let hostileFound = null;
async function hostileProducts() {
  if (hostileFound) return hostileFound;
  hostileFound = [];
  for (const h of HOSTILE) {
    const body = await apiList({ q: h.word, per_page: 100 });
    const item = body.items.find((x) => x.name === h.name);
    assert.ok(item, `the seed's hostile product "${h.name}" is not found by the API (q=${h.word}): ${JSON.stringify(body.items.map((x) => x.name))}`);
    hostileFound.push({ ...h, item, detail: await detail(item.id) });
  }
  return hostileFound;
}

// Every raw form of a hostile string is absent from the body, except inside an escaped form.
function assertNoRaw(html, where) {
  assert.ok(!html.includes('<script>alert'), `${where}: "<script>alert" occurs unescaped`);
  assert.ok(!html.includes('<script>x</script>'), `${where}: "<script>x</script>" occurs unescaped`);
  assert.ok(!html.includes('O\'Neil "Quote"'), `${where}: O'Neil "Quote" occurs unescaped`);
  assert.ok(!html.includes(HOSTILE_BRAND.raw), `${where}: ${HOSTILE_BRAND.raw} occurs unescaped`);
  assert.ok(!html.includes('&amp; 앰퍼샌드'), `${where}: "&amp; 앰퍼샌드" occurs without its & escaped`);
}

// ---- 1. every page in the layout, in Korean and English ----------------------------------------

async function catalogPaths() {
  const c = (await categories())[0];
  const s = (await styles())[0];
  const [p1, p2] = await productIds2();
  return ['/', '/products', `/products?q=${encodeURIComponent('바지')}`, `/products/${p1}`, `/products/${p2}`, '/brands',
    `/brands/${(await brandAt(0)).id}`, `/categories/${c.id}`, `/styles/${s.id}`];
}

// Runs check(item) for every item and fails once at the end with every failure, so that one
// broken page does not hide the others.
async function forEach(items, check) {
  const failures = [];
  for (const item of items) {
    try {
      await check(item);
    } catch (err) {
      failures.push(String(err && err.message ? err.message : err).split('\n')[0]);
    }
  }
  assert.ok(failures.length === 0, `${failures.length} of ${items.length} failed:\n${failures.join('\n')}`);
}

test('every catalogue page answers 200 text/html inside the layout (Korean by default)', async () => {
  await forEach(await catalogPaths(), async (path) => {
    const res = await get(path);
    assert.equal(res.headers['content-language'], 'ko', `GET ${path}: Content-Language`);
    const html = await page(path);
    assertLayout(html, path, 'ko');
    assertNoRaw(html, `GET ${path}`);
  });
});

test('?lang=en renders every catalogue page in English: <html lang="en">, English labels, ₩ prices', async () => {
  await forEach(await catalogPaths(), async (path) => {
    const url = path + (path.includes('?') ? '&' : '?') + 'lang=en';
    const res = await get(url);
    assert.equal(res.headers['content-language'], 'en', `GET ${url}: Content-Language`);
    const html = await page(url);
    const text = textOf(html);
    for (const ko of [T.ko.nav.all_products, T.ko.search.label, T.ko.footer.help_title]) {
      assert.ok(!text.includes(ko), `GET ${url}: the Korean label "${ko}" is still there`);
    }
    if (/^\/(products|categories|styles)|^\/brands\//.test(path) && !/^\/products\/\d/.test(path)) {
      shownCount(html, 'en');
      assert.ok(sortLinks(html, 'en').length === SORTS.length, `GET ${url}: the sort links are not in English`);
      const first = (await get(path, { Accept: 'application/json' })).json?.items?.[0];
      if (first) {
        const card = textOf(mainOf(html));
        assert.ok(card.includes(won(first.sale_price, 'en')), `GET ${url}: the first card's price is not ${won(first.sale_price, 'en')}`);
      }
    }
    if (/^\/products\/\d/.test(path)) {
      const d = await detail(Number(path.split('/')[2]));
      for (const label of [T.en.product.sizes, T.en.policy.title, T.en.measure.title]) {
        assert.ok(text.includes(label), `GET ${url}: no "${label}"`);
      }
      assert.ok(text.includes(won(d.sale_price, 'en')), `GET ${url}: the price is not shown as ${won(d.sale_price, 'en')}`);
      assert.ok(!text.includes(won(d.sale_price, 'ko')), `GET ${url}: the price is still shown in 원`);
      assert.ok(text.includes(d.category.name_en), `GET ${url}: the category is not named in English (${d.category.name_en})`);
      assert.ok(text.includes(d.style.name_en), `GET ${url}: the style is not named in English (${d.style.name_en})`);
      const sizes = region(mainOf(html), T.en.product.sizes, T.en.policy.title);
      for (const v of d.variants) {
        const want = `${v.size}${v.color ? ` ${v.color}` : ''} ${stockText(v, 'en')}`;
        assert.ok(sizes.includes(want), `GET ${url}: size ${v.size} should read "${want}": ${sizes}`);
      }
    }
    assertLayout(html, url, 'en');
  });
});

test('a page that answers HTML or JSON by Accept says Vary: Accept', async () => {
  const [p1] = await productIds2();
  await forEach(['/products', `/products/${p1}`, '/brands', `/brands/${(await brandAt(0)).id}`, '/'], async (path) => {
    const html = await get(path);
    const json = await get(path, { Accept: 'application/json' });
    assert.equal(mediaType(html), 'text/html', `GET ${path}: ${describe(html)}`);
    if (mediaType(json) !== 'application/json') return; // this page does not negotiate
    for (const res of [html, json]) {
      const vary = [res.headers.vary].flat().join(',').toLowerCase().split(/\s*,\s*/);
      assert.ok(vary.includes('accept') || vary.includes('*'),
        `GET ${path} (${mediaType(res)}): the body depends on Accept but Vary is ${JSON.stringify(res.headers.vary)}`);
    }
  });
});

// ---- 2. the listing equals the API -------------------------------------------------------------

test('a listing\'s grid (ids, in order) and count equal the API\'s items and total for the same query', async () => {
  const big = await bigCategory();
  const style = await styleWithProducts();
  const cases = [
    {},
    { category: big.id, sort: 'price_asc', page: 2 },
    { style: style.id },
    { brand: (await brandAt(0)).id },
    { size: 'M' },
    { min_price: 30000, max_price: 60000 },
    { on_sale: 'true' },
    { q: '바지' },
    { q: '청바지', sort: 'price_desc' },
    { category: big.id, size: 'M', on_sale: 'false', sort: 'discount' },
    { sort: 'popular', page: 3 },
    { sort: 'rating' },
    { sort: 'reviews', per_page: 7, page: 2 },
  ];
  let nonEmpty = 0;
  for (const params of cases) {
    const { want } = await assertListingMatches('/products', params, params);
    if (want.items.length) nonEmpty++;
    if (params.q === '바지') {
      assert.ok(want.items.some((x) => x.name.includes('청바지')), 'q=바지 should find a 청바지 (the seed has some)');
    }
  }
  assert.ok(nonEmpty >= cases.length - 1, 'the cases should list products');
});

test('a listing\'s JSON view model (Accept: application/json) carries the API\'s items and total', async () => {
  const params = { q: '바지', sort: 'price_asc' };
  const res = await get(withQuery('/products', params), { Accept: 'application/json' });
  assert.equal(res.status, 200, describe(res));
  assert.ok(res.json, `not JSON: ${describe(res)}`);
  const want = await apiList(params);
  assert.deepEqual(res.json.items.map((x) => x.id), want.items.map((x) => x.id));
  assert.equal(res.json.total, want.total);
});

// ---- 3. the form, the sort links and the pages reflect the request -----------------------------

test('the filter form reflects the request: selected options, prices, on_sale checked, hidden q and sort', async () => {
  const big = await bigCategory();
  const style = await styleWithProducts();
  const params = { q: '바지', category: big.id, style: style.id, brand: (await brandAt(1)).id, size: 'M', min_price: 1000, max_price: 90000,
    on_sale: 'true', sort: 'price_asc' };
  const html = await page(withQuery('/products', params));
  const f = filterForm(html);
  assert.equal(f.method, 'get', 'the filter form is a GET form');
  assertLink(f.action, '/products', {}, 'the filter form\'s action');
  for (const name of ['category', 'style', 'brand', 'size']) {
    assert.ok(f.selects[name], `no <select name="${name}">`);
    assert.deepEqual(selectedValues(f.selects[name]), [String(params[name])], `<select name="${name}">: the selected option`);
  }
  const cats = await categories();
  assert.deepEqual(f.selects.category.filter((o) => o.value).map((o) => [o.value, o.text]),
    cats.map((c) => [String(c.id), c.name]), 'the category options are the API\'s categories');
  const bs = await brands();
  assert.deepEqual(f.selects.brand.filter((o) => o.value).map((o) => o.value).sort(), bs.map((b) => String(b.id)).sort(),
    'the brand options are the API\'s brands');
  const input = (name) => f.inputs.filter((i) => i.name === name);
  assert.deepEqual(input('min_price').map((i) => i.value), ['1000'], 'min_price');
  assert.deepEqual(input('max_price').map((i) => i.value), ['90000'], 'max_price');
  const onSale = input('on_sale');
  assert.equal(onSale.length, 1, 'one on_sale field');
  assert.ok('checked' in onSale[0].attrs, 'on_sale is checked');
  assert.equal(onSale[0].value, 'true', 'on_sale sends true');
  const hidden = (name) => f.inputs.filter((i) => i.name === name && i.attrs.type === 'hidden').map((i) => i.value);
  assert.deepEqual(hidden('q'), ['바지'], 'a hidden q input keeps the search');
  assert.deepEqual(hidden('sort'), ['price_asc'], 'a hidden sort input keeps the sort');
});

test('an unfiltered listing\'s form selects nothing, checks nothing and keeps no q or sort', async () => {
  const f = filterForm(await page('/products'));
  for (const name of ['category', 'style', 'brand', 'size']) {
    assert.ok(f.selects[name], `no <select name="${name}">`);
    assert.ok(selectedValues(f.selects[name]).every((v) => v === ''), `<select name="${name}"> selects ${selectedValues(f.selects[name])}`);
  }
  for (const name of ['min_price', 'max_price']) {
    assert.deepEqual(f.inputs.filter((i) => i.name === name).map((i) => i.value), [''], `${name} is empty`);
  }
  assert.ok(!('checked' in f.inputs.find((i) => i.name === 'on_sale').attrs), 'on_sale is not checked');
  assert.deepEqual(f.inputs.filter((i) => i.name === 'q' || i.name === 'sort').map((i) => i.name), [], 'no q or sort field');
  // and on_sale=false is not shown as checked
  const off = filterForm(await page('/products?on_sale=false'));
  assert.ok(!('checked' in off.inputs.find((i) => i.name === 'on_sale').attrs), 'on_sale=false: the box is not checked');
});

// Nothing chosen, each worker renders a list's options once and keeps them (src/handlers/shop/
// listing.c): Korean and English pages in turn, so that workers serve both from what they keep.
test('an unfiltered listing offers the API\'s categories, styles and brands, named in the page\'s language, and the sizes', async () => {
  const cats = await categories();
  const sts = await styles();
  const bs = (await brands()).map((b) => String(b.id)).sort();
  for (let i = 0; i < 8; i++) {
    const lang = i % 2 ? 'en' : 'ko';
    const f = filterForm(await page(lang === 'en' ? '/products?lang=en' : '/products'));
    const named = (list) => list.map((x) => [String(x.id), lang === 'en' ? x.name_en : x.name_ko]);
    assert.deepEqual(f.selects.category.filter((o) => o.value).map((o) => [o.value, o.text]), named(cats),
      `${lang}: the category options are the API's categories`);
    assert.deepEqual(f.selects.style.filter((o) => o.value).map((o) => [o.value, o.text]), named(sts),
      `${lang}: the style options are the API's styles`);
    assert.deepEqual(f.selects.brand.filter((o) => o.value).map((o) => o.value).sort(), bs,
      `${lang}: the brand options are the API's brands`);
    const sizes = f.selects.size.filter((o) => o.value);
    assert.ok(sizes.some((o) => o.value === 'M'), `${lang}: M is among the sizes`);
    assert.ok(sizes.every((o) => o.value === o.text), `${lang}: a size's option is its label`);
  }
});

test('sort links keep every filter, percent-encode q, switch the sort and drop the page', async () => {
  const big = await bigCategory();
  const filters = { q: '바지', category: big.id, size: 'M', min_price: 1000, max_price: 200000, on_sale: 'true' };
  const html = await page(withQuery('/products', { ...filters, sort: 'price_asc', page: 1 }));
  const links = sortLinks(html);
  assert.deepEqual(links.map((l) => l.sort).sort(), [...SORTS].sort(), 'one link per sort order');
  for (const l of links) {
    assertLink(l.href, '/products', l.sort === 'newest' ? filters : { ...filters, sort: l.sort }, `the ${l.sort} link`);
    assert.ok(l.rawHref.includes('q=%EB%B0%94%EC%A7%80'), `the ${l.sort} link does not percent-encode q: ${l.rawHref}`);
    assert.ok(/^[\x21-\x7e]+$/.test(l.href), `the ${l.sort} link has raw characters: ${l.href}`);
  }
  const current = links.filter((l) => l.attrs['aria-current'] && l.attrs['aria-current'] !== 'false');
  assert.deepEqual(current.map((l) => l.sort), ['price_asc'], 'the current sort is marked (aria-current)');
  // Following a sort link lists what the API lists for that sort.
  const pick = links.find((l) => l.sort === 'price_desc');
  const got = productIds(mainOf(await page(pick.href)));
  assert.deepEqual(got, (await apiList({ ...filters, sort: 'price_desc' })).items.map((x) => x.id), 'after following the price_desc link');
});

test('pagination: page 1 has no prev and a next to page=2, no link says page=1, the last page has no next', async () => {
  const big = await bigCategory();
  const filters = { category: big.id, sort: 'price_asc' };
  const last = Math.min(100, Math.ceil(big.total / PER_PAGE));
  assert.ok(last >= 2, 'the category has two pages');

  const first = await page(withQuery('/products', filters));
  const p1 = pagination(first);
  assert.equal(p1.prev.length, 0, 'page 1 has no prev link');
  assert.equal(p1.next.length, 1, 'page 1 has one next link');
  assertLink(p1.next[0].href, '/products', { ...filters, page: 2 }, 'page 1\'s next');
  assert.ok(p1.numbers.length >= 2, 'page 1 has numbered page links');
  for (const a of p1.numbers) assertLink(a.href, '/products', a.text === '1' ? filters : { ...filters, page: a.text }, `the link to page ${a.text}`);
  assert.ok(p1.numbers.some((a) => a.text === String(last)), `page 1 links the last page ${last}`);

  const second = await page(withQuery('/products', { ...filters, page: 2 }));
  const p2 = pagination(second);
  assert.equal(p2.prev.length, 1, 'page 2 has a prev link');
  assertLink(p2.prev[0].href, '/products', filters, 'page 2\'s prev (page 1 without page=1)');
  assert.ok(p2.numbers.some((a) => a.text === '1'), 'page 2 links page 1');

  for (const [n, html] of [[1, first], [2, second]]) {
    for (const a of anchors(html)) {
      if (!a.href.startsWith('/') || a.href.startsWith('//')) continue;
      assert.notEqual(new URL(a.href, 'http://x').searchParams.get('page'), '1', `page ${n}: a link says page=1: ${a.href}`);
    }
  }

  const lastHtml = await page(withQuery('/products', { ...filters, page: last }));
  const pl = pagination(lastHtml);
  assert.equal(pl.next.length, 0, `the last page (${last}) has no next link`);
  assert.equal(pl.prev.length, 1, 'the last page has a prev link');
  assertLink(pl.prev[0].href, '/products', last - 1 === 1 ? filters : { ...filters, page: last - 1 }, 'the last page\'s prev');
  assert.deepEqual(productIds(mainOf(lastHtml)), (await apiList({ ...filters, page: last })).items.map((x) => x.id), 'the last page\'s grid');

  // One page only: no pagination at all.
  const one = pagination(await page('/products?q=' + encodeURIComponent('청바지') + '&per_page=100'));
  assert.deepEqual([one.prev.length, one.next.length], [0, 0], 'a single page has no prev or next');
});

test('pagination keeps a quoted q and per_page, percent-encoded', async () => {
  const q = '"바지"';
  const want = await apiList({ q, per_page: 1 });
  assert.ok(want.total >= 3, `q=${q} should find three products or more (found ${want.total})`);
  const html = await page(withQuery('/products', { q, per_page: 1, page: 2 }));
  assert.deepEqual(productIds(mainOf(html)), (await apiList({ q, per_page: 1, page: 2 })).items.map((x) => x.id));
  const p = pagination(html);
  assert.equal(p.prev.length, 1);
  assert.equal(p.next.length, 1);
  assertLink(p.prev[0].href, '/products', { q, per_page: 1 }, 'prev');
  assertLink(p.next[0].href, '/products', { q, per_page: 1, page: 3 }, 'next');
  for (const a of [...p.prev, ...p.next, ...p.numbers]) {
    assert.ok(a.rawHref.includes('q=%22%EB%B0%94%EC%A7%80%22'), `a page link does not percent-encode q: ${a.rawHref}`);
  }
  const f = filterForm(html);
  assert.deepEqual(f.inputs.filter((i) => i.name === 'q').map((i) => i.rawValue), ['&quot;바지&quot;'], 'the hidden q input');
  assert.deepEqual(f.inputs.filter((i) => i.name === 'per_page').map((i) => i.value), ['1'], 'a hidden per_page input');
});

// ---- 4. category, style and brand pages --------------------------------------------------------

test('category, style and brand pages list exactly the API\'s products for their filter, page after page', async () => {
  const big = await bigCategory();
  const cases = [];
  for (const c of (await categories()).slice(0, 3)) cases.push([`/categories/${c.id}`, { category: c.id }, c.name]);
  cases.push([`/categories/${big.id}`, { category: big.id }, big.name]);
  for (const s of (await styles()).slice(0, 3)) cases.push([`/styles/${s.id}`, { style: s.id }, s.name]);
  for (const b of (await brands()).slice(0, 3)) cases.push([`/brands/${b.id}`, { brand: b.id }, b.name]);
  for (const [path, fixed, name] of cases) {
    const { html, want } = await assertListingMatches(path, {}, fixed);
    assert.equal(h1Of(mainOf(html)), name, `GET ${path}: the heading`);
    const last = Math.min(100, Math.ceil(want.total / PER_PAGE));
    if (last >= 2) {
      await assertListingMatches(path, { page: 2 }, { ...fixed, page: 2 });
      await assertListingMatches(path, { page: last, sort: 'price_desc' }, { ...fixed, page: last, sort: 'price_desc' });
    }
  }
  // with more filters on top
  await assertListingMatches(`/categories/${big.id}`, { on_sale: 'true', sort: 'discount' }, { category: big.id, on_sale: 'true', sort: 'discount' });
  const b3 = (await brandAt(2)).id;
  await assertListingMatches(`/brands/${b3}`, { size: 'M', sort: 'price_asc' }, { brand: b3, size: 'M', sort: 'price_asc' });
  await assertListingMatches(`/styles/${(await styleWithProducts()).id}`, { q: '셔츠' }, { style: (await styleWithProducts()).id, q: '셔츠' });
});

test('pre-filtered pages: no select for the fixed filter, every form, sort and page link stays on the path', async () => {
  const big = await bigCategory();
  const style = await styleWithProducts();
  let brand = null;
  for (const b of await brands()) if (b.product_count > PER_PAGE) { brand = b; break; }
  assert.ok(brand, 'a brand with two pages');
  const cases = [
    [`/categories/${big.id}`, 'category', { category: big.id }],
    [`/styles/${style.id}`, 'style', { style: style.id }],
    [`/brands/${brand.id}`, 'brand', { brand: brand.id }],
  ];
  for (const [path, fixed, apiFixed] of cases) {
    const extra = { on_sale: 'false', sort: 'price_asc' };
    const total = (await apiList({ ...apiFixed, ...extra })).total;
    const html = await page(withQuery(path, extra));
    const f = filterForm(html);
    assert.equal(f.selects[fixed], undefined, `GET ${path}: the form still has a ${fixed} select`);
    const others = ['category', 'style', 'brand', 'size'].filter((n) => n !== fixed);
    for (const n of others) assert.ok(f.selects[n], `GET ${path}: no ${n} select`);
    assert.ok(!f.inputs.some((i) => i.name === fixed), `GET ${path}: the form sends ${fixed}`);
    assertLink(f.action, path, {}, `GET ${path}: the form's action`);
    const links = sortLinks(html);
    assert.equal(links.length, SORTS.length, `GET ${path}: sort links`);
    for (const l of links) assertLink(l.href, path, l.sort === 'newest' ? { on_sale: 'false' } : { on_sale: 'false', sort: l.sort }, `GET ${path}: the ${l.sort} link`);
    const p = pagination(html);
    if (total > PER_PAGE) {
      assert.equal(p.next.length, 1, `GET ${path}: a next link (${total} products)`);
      assertLink(p.next[0].href, path, { ...extra, page: 2 }, `GET ${path}: next`);
    }
    for (const a of [...p.prev, ...p.next, ...p.numbers]) assert.equal(splitHref(a.href)[0], path, `GET ${path}: a page link leaves the path`);
    for (const a of anchors(mainOf(html))) {
      if (/^\/(products|categories|styles|brands)\b/.test(a.href) && a.href.includes('?')) {
        assert.equal(new URL(a.href, 'http://x').searchParams.get(fixed), null, `GET ${path}: a link repeats ${fixed}: ${a.href}`);
      }
    }
  }
});

test('a brand page shows its introduction and shipping and return terms', async () => {
  const all = await brands();
  const free = all.filter((b) => b.id !== undefined);
  let sawFree = false, sawThreshold = false, sawNoThreshold = false;
  for (const b of free) {
    const d = await api(`/api/v1/brands/${b.id}`);
    const html = await page(`/brands/${b.id}`);
    const main = mainOf(html);
    const text = textOf(main);
    assert.equal(h1Of(main), d.name, `/brands/${b.id}: the heading`);
    if (d.introduction) assert.ok(text.includes(collapse(d.introduction)), `/brands/${b.id}: no introduction "${d.introduction}"`);
    if (d.style_label) assert.ok(text.includes(d.style_label), `/brands/${b.id}: no style label`);
    const t = T.ko.policy;
    for (const label of [t.shipping, t.return_cost, t.courier, t.return_address]) {
      assert.ok(text.includes(label), `/brands/${b.id}: no "${label}"`);
    }
    if (d.shipping_fee === 0) {
      sawFree = true;
      assert.ok(text.includes(t.free_shipping), `/brands/${b.id}: a zero fee should read ${t.free_shipping}`);
      assert.ok(!text.includes(`${t.shipping} 0원`), `/brands/${b.id}: a zero fee shown as 0원`);
    } else {
      assert.ok(text.includes(`${t.shipping} ${won(d.shipping_fee)}`), `/brands/${b.id}: the fee ${won(d.shipping_fee)}`);
      assert.ok(!text.includes(t.free_shipping), `/brands/${b.id}: ${t.free_shipping} shown for a fee of ${d.shipping_fee}`);
      if (d.free_shipping_threshold) {
        sawThreshold = true;
        assert.ok(text.includes(`${t.free_over_before}${won(d.free_shipping_threshold)}${t.free_over_after}`),
          `/brands/${b.id}: the free-shipping threshold ${won(d.free_shipping_threshold)}`);
      } else {
        sawNoThreshold = true;
        assert.ok(!text.includes(t.free_over_after.trim()), `/brands/${b.id}: a threshold shown for a brand without one`);
      }
    }
    assert.ok(text.includes(`${t.return_cost} ${won(d.return_shipping_cost)}`), `/brands/${b.id}: the return cost ${won(d.return_shipping_cost)}`);
    assert.ok(text.includes(d.return_courier), `/brands/${b.id}: the courier ${d.return_courier}`);
    assert.ok(text.includes(d.return_address), `/brands/${b.id}: the return address ${d.return_address}`);
    if (d.return_postal_code) assert.ok(text.includes(d.return_postal_code), `/brands/${b.id}: the postal code`);
  }
  assert.ok(sawFree && sawThreshold && sawNoThreshold, 'the seed has a free, a threshold and a never-free brand');
});

// ---- 5. the product page -----------------------------------------------------------------------

// Products that between them show every case: on sale or not, a size sold out, a size with 1–3
// left, every size sold out, several images, no measurements, product 1.
let showcase = null;
async function showcaseProducts() {
  if (showcase) return showcase;
  const wanted = {
    first: (d) => d.id === 1,
    onSale: (d) => d.on_sale,
    notOnSale: (d) => !d.on_sale,
    soldOutSize: (d) => !d.sold_out && d.variants.some((v) => v.stock === 0),
    fewLeft: (d) => d.variants.some((v) => v.stock >= 1 && v.stock <= 3),
    allSoldOut: (d) => d.sold_out,
    images: (d) => d.images.length >= 2,
    noMeasurements: (d) => d.variants.every((v) => Object.keys(v.measurements).length === 0),
    bottoms: (d) => d.variants.some((v) => 'waist' in v.measurements),
    noImages: (d) => d.images.length === 0,
    noDescription: (d) => !d.description,
  };
  const found = {};
  const ids = (await apiAll({ sort: 'price_asc' })).map((x) => x.id).sort((a, b) => a - b);
  for (const id of ids) {
    const d = await detail(id);
    for (const [k, f] of Object.entries(wanted)) if (!found[k] && f(d)) found[k] = d;
    if (Object.keys(wanted).every((k) => found[k] || k === 'noImages' || k === 'noDescription')) break;
  }
  for (const k of ['first', 'onSale', 'notOnSale', 'soldOutSize', 'fewLeft', 'allSoldOut', 'noMeasurements', 'bottoms']) {
    assert.ok(found[k], `the seed has no product for the case ${k}`);
  }
  showcase = [...new Set(Object.values(found))];
  return showcase;
}

// The text of the product page from the heading (h1–h3) reading `from` (or the <h1> when from
// is null) to the heading reading `to` (or the end of html).
function region(html, from, to) {
  const headings = [...html.matchAll(/<h([1-3])\b[^>]*>([\s\S]*?)<\/h\1>/gi)].map((m) => ({ index: m.index, level: m[1], text: textOf(m[2]) }));
  const a = headings.find((h) => (from === null ? h.level === '1' : h.text === from));
  assert.ok(a, `no heading "${from ?? '<h1>'}" on the page`);
  const b = to === undefined ? null : headings.find((h) => h.index > a.index && h.text === to);
  assert.ok(to === undefined || b, `no heading "${to}" after "${from ?? '<h1>'}"`);
  return textOf(html.slice(a.index, b ? b.index : undefined));
}

function stockText(v, lang = 'ko') {
  const p = T[lang].product;
  if (v.stock <= 0) return p.sold_out;
  if (v.stock <= 3) return `${p.few_left_before}${v.stock}${p.few_left_after}`;
  return p.in_stock;
}

test('a product page shows name, brand, price and discount, every size with its stock state, description, terms and images', async () => {
  for (const d of await showcaseProducts()) {
    const path = `/products/${d.id}`;
    const html = await page(path);
    const main = mainOf(html);
    const text = textOf(main);
    assert.equal(h1Of(main), d.name, `${path}: <h1>`);
    const links = anchors(main);
    assert.ok(links.some((a) => a.href === `/brands/${d.brand.id}` && a.text === d.brand.name), `${path}: no link to /brands/${d.brand.id} named ${d.brand.name}`);
    assert.ok(links.some((a) => a.href === `/categories/${d.category_id}` && a.text === d.category.name), `${path}: no link to the category`);
    assert.ok(links.some((a) => a.href === `/styles/${d.style_id}` && a.text === d.style.name), `${path}: no link to the style`);

    // prices: between the name and the sizes heading
    const prices = region(main, null, T.ko.product.sizes);
    assert.ok(prices.includes(won(d.sale_price)), `${path}: the sale price ${won(d.sale_price)} is not shown (${prices})`);
    const h1At = main.search(/<h1\b/i);
    const sizesAt = [...main.matchAll(/<h([1-3])\b[^>]*>([\s\S]*?)<\/h\1>/gi)].find((m) => textOf(m[2]) === T.ko.product.sizes)?.index ?? -1;
    assert.ok(h1At >= 0 && sizesAt > h1At, `${path}: the sizes heading should follow the <h1>`);
    const struck = elements(main.slice(h1At, sizesAt), 'del').map((x) => textOf(x.inner));
    if (d.on_sale) {
      assert.ok(prices.includes(`${d.discount_percent}%`), `${path}: the discount ${d.discount_percent}% is not shown`);
      assert.ok(struck.some((s) => s.includes(won(d.list_price))), `${path}: the list price ${won(d.list_price)} is not struck (<del>): ${JSON.stringify(struck)}`);
    } else {
      assert.deepEqual(struck, [], `${path}: a struck price on a product not on sale`);
      assert.ok(!/\d+%/.test(prices), `${path}: a discount on a product not on sale: ${prices}`);
    }

    // sizes, in order, each with its state
    const sizes = region(main, T.ko.product.sizes, T.ko.policy.title);
    let at = 0;
    for (const v of d.variants) {
      const want = `${v.size}${v.color ? ` ${v.color}` : ''} ${stockText(v)}`;
      const i = sizes.indexOf(want, at);
      assert.ok(i >= 0, `${path}: size ${v.size} (stock ${v.stock}) should read "${want}" in order, in: ${sizes}`);
      at = i + want.length;
    }
    const count = (s, w) => s.split(w).length - 1;
    const states = sizes.split(T.ko.product.all_sold_out).join(' ');
    assert.equal(count(states, T.ko.product.sold_out), d.variants.filter((v) => v.stock <= 0).length, `${path}: sizes marked ${T.ko.product.sold_out}`);
    assert.equal(count(states, T.ko.product.in_stock), d.variants.filter((v) => v.stock > 3).length, `${path}: sizes marked ${T.ko.product.in_stock}`);
    assert.equal(text.includes(T.ko.product.all_sold_out), d.sold_out, `${path}: "${T.ko.product.all_sold_out}" iff every size is sold out`);

    // the brand's terms
    const policy = region(main, T.ko.policy.title);
    assert.ok(policy.includes(d.brand.return_address), `${path}: the return address`);
    assert.ok(policy.includes(d.brand.return_shipping_cost === 0 ? '0원' : won(d.brand.return_shipping_cost)), `${path}: the return cost`);
    assert.ok(policy.includes(d.brand.shipping_fee === 0 ? T.ko.policy.free_shipping : won(d.brand.shipping_fee)), `${path}: the shipping fee`);

    // the description
    if (d.description) {
      assert.ok(text.includes(collapse(d.description)), `${path}: the description is not shown`);
    } else {
      assert.ok(!text.includes(T.ko.product.description), `${path}: a description heading without a description`);
    }

    // images: the API's detail images, in order
    const imgs = voidElements(main, 'img').map((i) => decode(i.attrs.src ?? '')).filter((s) => s.endsWith('-detail.jpg'));
    assert.deepEqual(imgs, d.images.map((i) => i.detail), `${path}: the -detail.jpg images`);
    if (!d.images.length) assert.ok(text.includes(T.ko.product.no_image), `${path}: no placeholder for a product without images`);
    for (const img of voidElements(main, 'img')) assert.ok('alt' in img.attrs, `${path}: an <img> without alt: ${img.raw}`);
  }
});

test('the measurement table equals the API\'s measurements in cm with one decimal, or is absent', async () => {
  for (const d of await showcaseProducts()) {
    const path = `/products/${d.id}`;
    const main = mainOf(await page(path));
    const used = MEASURES.filter((m) => d.variants.some((v) => m in v.measurements));
    const tables = elements(main, 'table');
    if (!used.length) {
      assert.equal(tables.length, 0, `${path}: a measurement table for a product without measurements`);
      continue;
    }
    assert.equal(tables.length, 1, `${path}: one measurement table`);
    const rows = elements(tables[0].inner, 'tr').map((tr) => [...tr.inner.matchAll(/<(th|td)\b[^>]*>([\s\S]*?)<\/\1>/gi)].map((c) => textOf(c[2])));
    const [head, ...body] = rows;
    const labels = used.map((m) => T.ko.measure[m]);
    assert.deepEqual(head.slice(1).slice().sort(), labels.slice().sort(), `${path}: the columns are the measurements any size has`);
    assert.deepEqual(body.map((r) => r[0]), d.variants.map((v) => (v.color ? `${v.size} (${v.color})` : v.size)),
      `${path}: one row per size (and its colour), in order`);
    for (const [i, v] of d.variants.entries()) {
      for (const m of used) {
        const cell = body[i][head.indexOf(T.ko.measure[m])];
        if (m in v.measurements) {
          assert.equal(cell, v.measurements[m].toFixed(1), `${path}: size ${v.size}, ${m}`);
        } else {
          assert.ok(!/\d/.test(cell), `${path}: size ${v.size} has no ${m}, the cell says ${cell}`);
        }
      }
    }
  }
});

test('"more from this brand" lists the brand\'s most popular products, never the product itself', async () => {
  const ds = await showcaseProducts();
  const hostile = await hostileProducts();
  for (const d of [...ds, ...hostile.map((h) => h.detail)]) {
    const path = `/products/${d.id}`;
    const main = mainOf(await page(path));
    const title = T.ko.product.more_from_brand;
    const at = main.indexOf(title);
    const popular = (await apiList({ brand: d.brand.id, sort: 'popular', per_page: 11 })).items.map((x) => x.id).filter((id) => id !== d.id);
    if (!popular.length) {
      assert.ok(at < 0, `${path}: a "${title}" strip, but the brand has no other product`);
      continue;
    }
    assert.ok(at >= 0, `${path}: no "${title}" strip (the brand has other products)`);
    const strip = productIds(main.slice(at));
    assert.ok(!strip.includes(d.id), `${path}: the strip shows the product itself`);
    assert.ok(strip.length >= 1 && strip.length <= 10, `${path}: the strip shows ${strip.length} products`);
    assert.deepEqual(strip, popular.slice(0, strip.length), `${path}: the strip is not the brand's most popular products in order`);
    assert.equal(strip.length, Math.min(10, popular.length), `${path}: the strip should show ${Math.min(10, popular.length)} products`);
  }
});

// Each worker keeps a brand's strip while the brand's card version stays (schema/019): a change to
// one of its cards must show on every worker's next page, never a kept strip.
test('"more from this brand" follows a change to the brand\'s cards at once, on every worker', async () => {
  const [first] = await apiAll({ sort: 'popular' });
  const d = await detail(first.id);
  const path = `/products/${d.id}`;
  const stripOf = (html) => {
    const main = mainOf(html);
    const at = main.indexOf(T.ko.product.more_from_brand);
    return at < 0 ? [] : productIds(main.slice(at));
  };
  const before = stripOf(await page(path));
  assert.ok(before.length >= 2, `${path}: a strip of at least two products (${before.length})`);
  for (let i = 0; i < 8; i++) assert.deepEqual(stripOf(await page(path)), before, `${path}: the same strip again`);
  const last = before[before.length - 1];
  const [units] = sqlNumbers(`SELECT units_sold_30d FROM products WHERE id = ${last}`);
  sql(`UPDATE products SET units_sold_30d = (SELECT m FROM (SELECT MAX(units_sold_30d) + 1000 AS m FROM products) x) WHERE id = ${last}`);
  try {
    for (let i = 0; i < 8; i++) {
      const strip = stripOf(await page(path));
      assert.equal(strip[0], last, `${path}: request ${i + 1} after the sale: the strip starts with ${strip[0]}, not ${last}`);
    }
  } finally {
    sql(`UPDATE products SET units_sold_30d = ${units} WHERE id = ${last}`);
  }
});

// Each worker keeps the product it read while the product's and its brand's versions stay
// (schema/021): a change to what the page shows must show on every worker's next page.
test('the product page follows a change to the product, its sizes or its brand at once, on every worker', async () => {
  const [first] = await apiAll({ sort: 'newest' });
  const d = await detail(first.id);
  const path = `/products/${d.id}`;
  const [brand] = sqlNumbers(`SELECT brand_id FROM products WHERE id = ${d.id}`);
  const [{ description }] = sqlRows(`SELECT JSON_OBJECT('description', description) FROM products WHERE id = ${d.id}`);
  const [fee] = sqlNumbers(`SELECT COALESCE(shipping_fee, -1) FROM brands WHERE id = ${brand}`);
  const mark = `kept${Date.now()}`;
  const pages = async (what, check, status = 200) => {
    for (let i = 0; i < 8; i++) {
      const html = await page(path, status);
      assert.ok(check(html), `${path}: request ${i + 1} after ${what} shows the page as it was before`);
    }
  };
  await pages('nothing', (html) => !html.includes(mark));
  try {
    sql(`UPDATE products SET description = '${mark} description' WHERE id = ${d.id};`);
    await pages('a new description', (html) => html.includes(`${mark} description`));
    sql(`INSERT INTO product_variants (product_id, brand_id, size_label, stock, sort_order)
      VALUES (${d.id}, ${brand}, 'K${mark.slice(-6)}', 5, 99);`);
    await pages('a new size', (html) => html.includes(`K${mark.slice(-6)}`));
    sql(`UPDATE product_variants SET status = 'hidden' WHERE product_id = ${d.id} AND size_label = 'K${mark.slice(-6)}';`);
    await pages('a size hidden', (html) => !html.includes(`K${mark.slice(-6)}`));
    sql(`UPDATE brands SET shipping_fee = 4321 WHERE id = ${brand};`);
    await pages('the brand\'s shipping fee', (html) => html.includes('4,321'));
    sql(`UPDATE products SET status = 'hidden' WHERE id = ${d.id};`);
    await pages('hiding the product', () => true, 404);
  } finally {
    sql(`UPDATE products SET status = 'active', description = ${lit(description)} WHERE id = ${d.id};
      DELETE FROM product_variants WHERE product_id = ${d.id} AND size_label = 'K${mark.slice(-6)}';
      UPDATE brands SET shipping_fee = ${fee < 0 ? 'NULL' : fee} WHERE id = ${brand};`);
  }
});

test('sizes that share a label are told apart on the product page (by their colour)', async () => {
  let checked = 0;
  for (const item of await apiAll({ sort: 'price_asc' })) {
    const d = await detail(item.id);
    const labels = d.variants.map((v) => v.size);
    if (new Set(labels).size === labels.length) continue;
    const path = `/products/${d.id}`;
    const sizes = region(mainOf(await page(path)), T.ko.product.sizes, T.ko.policy.title);
    for (const v of d.variants.filter((x) => labels.filter((l) => l === x.size).length > 1)) {
      assert.ok(v.color && sizes.includes(v.color), `${path}: sizes ${JSON.stringify(labels)} repeat a label and the colour "${v.color}" of ${v.size} is not shown: ${sizes}`);
    }
    if (++checked >= 3) break;
  }
  assert.ok(checked > 0, 'the seed should have a product with two variants of one size');
});

// ---- 5b. pages against SQL written here ------------------------------------------------------
//
// The API and the pages share src/db/catalog.c: a bug there makes both agree. These cases compute
// what a page must show with SQL over products, product_variants and brands (the rules of
// docs/openapi.json: only active products of active brands; a size filter matches an offered
// size in stock; ties end in the id in the direction of the sort key, ascending for price_asc).

const SQL_ORDER = {
  newest: 'p.created_at DESC, p.id DESC',
  popular: 'p.units_sold_30d DESC, p.id DESC',
  price_asc: 'p.sale_price ASC, p.id ASC',
  price_desc: 'p.sale_price DESC, p.id DESC',
  discount: 'FLOOR((p.list_price - p.sale_price) * 100 / p.list_price) DESC, p.id DESC',
  rating: 'p.rating_avg IS NULL, p.rating_avg DESC, p.id DESC', // products without reviews last
  reviews: 'p.review_count DESC, p.id DESC',
};

// A listing by SQL: { ids of the page asked for, in order; total; products by id {list, sale} }.
function sqlListing({ category, style, brand, size, min_price: min, max_price: max, on_sale: onSale, sort = 'newest', page: n = 1,
  per_page: per = PER_PAGE }) {
  const where = ["p.status = 'active'", "b.status = 'active'"];
  if (category) where.push(`p.category_id = ${Number(category)}`);
  if (style) where.push(`p.style_id = ${Number(style)}`);
  if (brand) where.push(`p.brand_id = ${Number(brand)}`);
  if (size) {
    where.push(`EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.size_label = ${lit(size)}
      AND v.status = 'active' AND v.stock > 0)`);
  }
  if (min !== undefined) where.push(`p.sale_price >= ${Number(min)}`);
  if (max !== undefined) where.push(`p.sale_price <= ${Number(max)}`);
  if (onSale !== undefined) where.push(onSale === 'true' ? 'p.sale_price < p.list_price' : 'p.sale_price = p.list_price');
  const from = `FROM products p JOIN brands b ON b.id = p.brand_id WHERE ${where.join(' AND ')}`;
  const items = sqlRows(`SELECT JSON_OBJECT('id', p.id, 'list', p.list_price, 'sale', p.sale_price) ${from}
    ORDER BY ${SQL_ORDER[sort]} LIMIT ${Number(per)} OFFSET ${(Number(n) - 1) * Number(per)}`);
  const total = sqlNumbers(`SELECT COUNT(*) ${from}`)[0];
  return { ids: items.map((x) => x.id), total, byId: new Map(items.map((x) => [x.id, x])) };
}

// The product cards of a listing's <main>: { id, text }.
const cardsOf = (main) => elements(main, 'li')
  .map((li) => ({ ids: productIds(li.inner), text: textOf(li.inner) }))
  .filter((c) => c.ids.length === 1)
  .map((c) => ({ id: c.ids[0], text: c.text }));

const percentOff = (list, sale) => Math.floor(((list - sale) * 100) / list);

test('listings against SQL: the ids and order of the page, the count, and each card\'s prices', async () => {
  const [big, other] = sqlNumbers(`SELECT p.category_id FROM products p JOIN brands b ON b.id = p.brand_id
    WHERE p.status = 'active' AND b.status = 'active' GROUP BY p.category_id ORDER BY COUNT(*) DESC, p.category_id LIMIT 2`);
  const [style] = sqlNumbers(`SELECT p.style_id FROM products p JOIN brands b ON b.id = p.brand_id
    WHERE p.status = 'active' AND b.status = 'active' GROUP BY p.style_id ORDER BY COUNT(*) DESC, p.style_id LIMIT 1`);
  const [brand] = sqlNumbers(`SELECT id FROM brands WHERE name = ${lit(HOSTILE_BRAND.name)} AND status = 'active'`);
  const [brand2] = sqlNumbers(`SELECT p.brand_id FROM products p JOIN brands b ON b.id = p.brand_id
    WHERE p.status = 'active' AND b.status = 'active' GROUP BY p.brand_id ORDER BY COUNT(*) DESC, p.brand_id LIMIT 1`);
  assert.ok(big && other && style && brand && brand2, 'the seed has categories, styles and brands with products');
  const cases = [ // [path, query, the filter the path sets]
    ['/products', {}, {}],
    ['/products', { sort: 'price_asc', on_sale: 'true' }, {}],
    ['/products', { sort: 'popular', size: 'M', page: 2 }, {}],
    ['/products', { sort: 'discount', min_price: 30000, max_price: 80000 }, {}],
    ['/products', { sort: 'rating', page: 3 }, {}],
    ['/products', { sort: 'reviews', brand: brand2, per_page: 10 }, {}],
    ['/products', { sort: 'price_desc', style, on_sale: 'false' }, {}],
    ['/products', { sort: 'price_asc', category: big, size: 'L', max_price: 100000 }, {}],
    [`/categories/${big}`, { sort: 'price_desc' }, { category: big }],
    [`/categories/${big}`, { page: 2, on_sale: 'false' }, { category: big }],
    [`/categories/${other}`, { sort: 'price_asc', per_page: 5, page: 2 }, { category: other }],
    [`/brands/${brand}`, { sort: 'discount' }, { brand }],
    [`/styles/${style}`, { sort: 'popular' }, { style }],
  ];
  let shown = 0;
  await forEach(cases, async ([path, query, fixed]) => {
    const url = withQuery(path, query);
    const want = sqlListing({ ...query, ...fixed });
    const html = await page(url);
    const main = mainOf(html);
    assert.deepEqual(productIds(main), want.ids, `GET ${url}: the grid differs from SQL's ids and order`);
    assert.equal(shownCount(html), want.total > 10000 ? '10,000+' : grouped(want.total), `GET ${url}: the count shown differs from SQL's ${want.total}`);
    for (const c of cardsOf(main)) {
      const p = want.byId.get(c.id);
      assert.ok(c.text.includes(won(p.sale)), `GET ${url}: the card of ${c.id} does not show the sale price ${won(p.sale)}: ${c.text}`);
      if (p.sale < p.list) {
        assert.ok(c.text.includes(`${percentOff(p.list, p.sale)}%`) && c.text.includes(won(p.list)),
          `GET ${url}: the card of ${c.id} does not show ${percentOff(p.list, p.sale)}% off ${won(p.list)}: ${c.text}`);
      } else {
        assert.ok(!/\d%/.test(c.text), `GET ${url}: the card of ${c.id} shows a discount at list price: ${c.text}`);
      }
    }
    if (want.ids.length) shown++;
  });
  assert.ok(shown >= cases.length - 1, `the cases should list products (${shown} of ${cases.length} did)`);
});

// The product rows a page shows, by SQL: name, prices, the brand's terms, and its offered sizes
// in the seller's order (sort_order) with stock and measurements in mm.
function sqlProduct(id) {
  const [p] = sqlRows(`SELECT JSON_OBJECT('id', p.id, 'name', p.name, 'list', p.list_price, 'sale', p.sale_price,
      'brand_id', b.id, 'brand', b.name, 'fee', b.shipping_fee, 'threshold', b.free_shipping_threshold,
      'return_cost', b.return_shipping_cost, 'postal', b.return_postal_code, 'address', b.return_address,
      'courier', b.return_courier)
    FROM products p JOIN brands b ON b.id = p.brand_id WHERE p.id = ${Number(id)} AND p.status = 'active' AND b.status = 'active'`);
  assert.ok(p, `product ${id} is not active in the database`);
  p.variants = sqlRows(`SELECT JSON_OBJECT('size', size_label, 'color', color, 'stock', stock,
      ${MEASURES.map((m) => `'${m}', ${m}_mm`).join(', ')})
    FROM product_variants WHERE product_id = ${Number(id)} AND status = 'active' ORDER BY sort_order, id`);
  return p;
}

// Products that between them show every case, chosen by SQL.
function sqlShowcase() {
  const visible = "p.status = 'active' AND (SELECT b.status FROM brands b WHERE b.id = p.brand_id) = 'active'";
  const offered = 'FROM product_variants v WHERE v.product_id = p.id AND v.status = \'active\'';
  const measured = MEASURES.map((m) => `v.${m}_mm IS NOT NULL`).join(' OR ');
  const picks = {
    'on sale': 'p.sale_price < p.list_price',
    'at list price': 'p.sale_price = p.list_price',
    'a size with 1-3 left': `EXISTS (SELECT 1 ${offered} AND v.stock BETWEEN 1 AND 3)`,
    'a size sold out, another in stock': `EXISTS (SELECT 1 ${offered} AND v.stock = 0) AND EXISTS (SELECT 1 ${offered} AND v.stock > 3)`,
    'every size sold out': `NOT EXISTS (SELECT 1 ${offered} AND v.stock > 0)`,
    'bottoms (waist, hem)': `EXISTS (SELECT 1 ${offered} AND v.waist_mm IS NOT NULL AND v.hem_mm IS NOT NULL)`,
    'no measurements': `NOT EXISTS (SELECT 1 ${offered} AND (${measured}))`,
    'colours': `EXISTS (SELECT 1 ${offered} AND v.color <> '')`,
    'the hostile brand': `p.brand_id = (SELECT id FROM brands WHERE name = ${lit(HOSTILE_BRAND.name)})`,
    'a free-shipping brand': '(SELECT b.shipping_fee FROM brands b WHERE b.id = p.brand_id) = 0',
    'a never-free brand': '(SELECT b.shipping_fee > 0 AND b.free_shipping_threshold IS NULL FROM brands b WHERE b.id = p.brand_id)',
  };
  const out = [];
  for (const [what, cond] of Object.entries(picks)) {
    const [id] = sqlNumbers(`SELECT p.id FROM products p WHERE ${visible} AND ${cond} ORDER BY p.id LIMIT 1`);
    assert.ok(id, `the seed has no product for the case "${what}"`);
    out.push({ what, id });
  }
  return out;
}

const cm = (mm) => (mm / 10).toFixed(1);

// The product page of p (from sqlProduct) against p; what: the case, for messages.
async function assertProductPageIsSql(p, what) {
  const path = `/products/${p.id}`;
  const main = mainOf(await page(path));
  const where = `${path} (${what})`;
  assert.equal(h1Of(main), p.name, `${where}: <h1>`);
  assert.ok(anchors(main).some((a) => a.href === `/brands/${p.brand_id}` && a.text === p.brand), `${where}: no link to its brand ${p.brand}`);

  // prices, between the <h1> and the sizes heading
  const prices = region(main, null, T.ko.product.sizes);
  const h1At = main.search(/<h1\b/i);
  const sizesAt = [...main.matchAll(/<h([1-3])\b[^>]*>([\s\S]*?)<\/h\1>/gi)].find((m) => textOf(m[2]) === T.ko.product.sizes).index;
  const struck = elements(main.slice(h1At, sizesAt), 'del').map((x) => textOf(x.inner));
  const amounts = (prices.match(/[\d,]+원/g) || []);
  if (p.sale < p.list) {
    assert.deepEqual(amounts.sort(), [won(p.list), won(p.sale)].sort(), `${where}: the prices shown (${prices}) are not ${won(p.sale)} and ${won(p.list)}`);
    assert.deepEqual(struck, [won(p.list)], `${where}: the struck price should be the list price ${won(p.list)}`);
    const pct = (prices.match(/(\d+)%/) || [])[1];
    assert.equal(pct, String(percentOff(p.list, p.sale)), `${where}: the discount shown`);
  } else {
    assert.deepEqual(amounts, [won(p.sale)], `${where}: the price shown (${prices}) is not ${won(p.sale)}`);
    assert.deepEqual(struck, [], `${where}: a struck price at list price`);
  }

  // sizes: each offered size, in order, with its state; nothing else
  const sizes = region(main, T.ko.product.sizes, T.ko.policy.title);
  const t = T.ko.product;
  const stateRe = new RegExp(`(${[t.sold_out, t.in_stock].join('|')}|${t.few_left_before}\\d+${t.few_left_after})`, 'g');
  // the form's hidden legend ("choose a size") names the group; it is not a size
  const body = sizes.slice(T.ko.product.sizes.length).split(t.all_sold_out).join(' ').split(t.choose_size).join(' ');
  const shown = [];
  let last = 0;
  for (const m of body.matchAll(stateRe)) {
    shown.push(`${body.slice(last, m.index).trim()} ${m[1]}`);
    last = m.index + m[0].length;
  }
  const want = p.variants.map((v) => {
    const state = v.stock <= 0 ? t.sold_out : v.stock <= 3 ? `${t.few_left_before}${v.stock}${t.few_left_after}` : t.in_stock;
    return `${v.size}${v.color ? ` ${v.color}` : ''} ${state}`;
  });
  assert.deepEqual(shown, want, `${where}: the sizes and their states`);
  assert.equal(sizes.includes(t.all_sold_out), p.variants.every((v) => v.stock <= 0), `${where}: "${t.all_sold_out}" iff every size is sold out`);

  // the measurement table: the measurements any size has, a row per size, cm with one decimal
  const used = MEASURES.filter((m) => p.variants.some((v) => v[m] !== null));
  const tables = elements(main, 'table');
  if (!used.length) {
    assert.equal(tables.length, 0, `${where}: a measurement table without measurements`);
  } else {
    assert.equal(tables.length, 1, `${where}: one measurement table`);
    const rows = elements(tables[0].inner, 'tr').map((tr) => [...tr.inner.matchAll(/<(th|td)\b[^>]*>([\s\S]*?)<\/\1>/gi)].map((c) => textOf(c[2])));
    const [head, ...rest] = rows;
    assert.deepEqual(head.slice(1).slice().sort(), used.map((m) => T.ko.measure[m]).sort(), `${where}: the measurement columns`);
    assert.deepEqual(rest.map((r) => r[0]), p.variants.map((v) => (v.color ? `${v.size} (${v.color})` : v.size)), `${where}: a row per size, in order`);
    for (const [i, v] of p.variants.entries()) {
      for (const m of used) {
        const cell = rest[i][head.indexOf(T.ko.measure[m])];
        assert.equal(cell, v[m] === null ? '-' : cm(v[m]), `${where}: size ${v.size}, ${m} (${v[m]} mm)`);
      }
    }
  }

  // the brand's terms
  const policyAt = [...main.matchAll(/<h([1-3])\b[^>]*>([\s\S]*?)<\/h\1>/gi)].find((m) => textOf(m[2]) === T.ko.policy.title)?.index;
  assert.ok(policyAt > 0, `${where}: no heading "${T.ko.policy.title}"`);
  const dds = elements(main.slice(policyAt), 'dd').map((d) => collapse(decode(d.inner.replace(/<[^>]*>/g, ' '))));
  const pol = T.ko.policy;
  const fee = p.fee === 0 ? pol.free_shipping
    : `${won(p.fee)}${p.threshold !== null ? ` (${pol.free_over_before}${won(p.threshold)}${pol.free_over_after})` : ''}`;
  assert.deepEqual(dds, [fee, `${won(p.return_cost)} (${pol.one_way})`, collapse(p.courier),
    collapse(`${p.postal ? `(${p.postal}) ` : ''}${p.address}`)], `${where}: the terms (shipping, return cost, courier, return address)`);
}

test('product pages against SQL: prices, discount, sizes with their stock state, measurements and the brand\'s terms', async () => {
  const picks = sqlShowcase();
  console.log(`# ${picks.map((x) => `${x.what}: ${x.id}`).join('; ')}`);
  await forEach(picks, async ({ what, id }) => assertProductPageIsSql(sqlProduct(id), what));
});

test('sizes made here for a moment: a hidden one is shown nowhere, an offered one shows its odd millimetres to the tenth', async () => {
  const [id] = sqlNumbers(`SELECT p.id FROM products p JOIN brands b ON b.id = p.brand_id
    WHERE p.status = 'active' AND b.status = 'active'
    AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.status = 'active' AND v.chest_mm IS NOT NULL)
    ORDER BY p.id LIMIT 1`);
  assert.ok(id, 'the seed has a product with measured sizes');
  const hiddenColour = `${FIXTURE} 숨김`;
  const offeredColour = `${FIXTURE} 판매`;
  try {
    // The hidden size comes first in the seller's order, in stock and measured: it would show
    // first if it showed at all. The offered one comes last, with one left and measurements the
    // seed never has (the seed's are multiples of 5 mm).
    sql(`INSERT INTO product_variants (product_id, brand_id, size_label, color, sku, stock, status, sort_order, chest_mm, total_length_mm)
      SELECT id, brand_id, 'M', ${lit(hiddenColour)}, '${FIXTURE}-1', 7, 'hidden', 0, 999, 999 FROM products WHERE id = ${id};
    INSERT INTO product_variants (product_id, brand_id, size_label, color, sku, stock, status, sort_order, chest_mm, total_length_mm, sleeve_mm)
      SELECT id, brand_id, 'M', ${lit(offeredColour)}, '${FIXTURE}-2', 1, 'active', 999, 523, 701, 8 FROM products WHERE id = ${id};`);
    const p = sqlProduct(id);
    assert.ok(!p.variants.some((v) => v.color === hiddenColour), 'the hidden size is not among the offered ones');
    assert.equal(p.variants[p.variants.length - 1].color, offeredColour, 'the offered size made here comes last');
    await assertProductPageIsSql(p, 'with sizes made here');
    const main = mainOf(await page(`/products/${id}`));
    assert.ok(!textOf(main).includes(hiddenColour) && !textOf(main).includes('99.9'), `/products/${id}: the hidden size shows`);
    for (const v of ['52.3', '70.1', '0.8']) assert.ok(elements(main, 'td').some((td) => textOf(td.inner) === v), `/products/${id}: no cell reads ${v}`);
    const d = (await fresh(`/api/v1/products/${id}`)).json;
    assert.ok(!d.variants.some((v) => v.color === hiddenColour), `/api/v1/products/${id}: the hidden size is in the API's variants`);
  } finally {
    removeFixtures();
  }
});

// ---- 6. /brands and the home page --------------------------------------------------------------

test('/brands lists every brand of the API with a link to /brands/{id} and a strip of its popular products', async () => {
  const want = await brands();
  // Page by page, following rel=next.
  const shown = []; // { id, name, strip, text }
  let path = '/brands';
  for (let n = 1; path && n <= 100; n++) {
    const html = await page(path);
    const main = mainOf(html);
    assert.equal(h1Of(main), T.ko.brands.title, `GET ${path}: the heading`);
    const text = textOf(main);
    const countRe = new RegExp(`${T.ko.brands.count_before.trim()}\\s*([\\d,]+)\\s*${T.ko.brands.count_after.trim()}`);
    assert.equal((text.match(countRe) || [])[1], grouped(want.length), `GET ${path}: the count of brands`);
    const links = anchors(main).filter((a) => /^\/brands\/\d+$/.test(a.href));
    const ids = [];
    for (const a of links) if (!ids.includes(a.href)) ids.push(a.href);
    for (const [i, href] of ids.entries()) {
      const own = links.filter((a) => a.href === href);
      const from = own[0].index;
      const to = i + 1 < ids.length ? links.find((a) => a.href === ids[i + 1]).index : undefined;
      shown.push({ id: Number(href.split('/')[2]), names: own.map((a) => a.text), strip: productIds(main.slice(from, to)),
        text: textOf(main.slice(from, to)) });
    }
    const next = pagination(html).next;
    if (next.length) assert.equal(splitHref(next[0].href)[0], '/brands', `GET ${path}: next leaves /brands`);
    path = next.length ? next[0].href : null;
  }
  assert.deepEqual(shown.map((b) => b.id), want.map((b) => b.id), '/brands: the brands, in the API\'s order');
  for (const [i, b] of want.entries()) {
    const row = shown[i];
    assert.ok(row.names.includes(b.name), `/brands: no link named "${b.name}" to /brands/${b.id} (${JSON.stringify(row.names)})`);
    const popular = (await apiList({ brand: b.id, sort: 'popular', per_page: 5 })).items.map((x) => x.id);
    assert.deepEqual(row.strip, popular, `/brands: the strip of ${b.name}`);
    assert.ok(row.text.includes(`${T.ko.brands.products_before}${grouped(b.product_count)}${T.ko.brands.products_after}`),
      `/brands: the product count of ${b.name} (${b.product_count})`);
    if (b.introduction) assert.ok(row.text.includes(collapse(b.introduction)), `/brands: the introduction of ${b.name}`);
  }
});

test('/brands?per_page=N: the page links keep per_page', async () => {
  const want = await brands();
  const per = 3;
  assert.ok(want.length > per, 'more brands than one page of 3');
  const html = await page(`/brands?per_page=${per}`);
  const next = pagination(html).next;
  assert.equal(next.length, 1, '/brands?per_page=3 has a next link');
  assertLink(next[0].href, '/brands', { page: 2, per_page: per }, '/brands?per_page=3: next');
  for (const a of pagination(html).numbers) {
    assert.equal(new URL(a.href, 'http://x').searchParams.get('per_page'), String(per), `/brands?per_page=3: the link to page ${a.text}: ${a.href}`);
  }
  const second = await page(next[0].href);
  const ids = [];
  for (const a of anchors(mainOf(second))) {
    const m = a.href.match(/^\/brands\/(\d+)$/);
    if (m && !ids.includes(Number(m[1]))) ids.push(Number(m[1]));
  }
  assert.deepEqual(ids, want.slice(per, 2 * per).map((b) => b.id), `GET ${next[0].href}: the brands of page 2 (3 per page)`);
});

test('the home page shows the API\'s newest and most popular products, and links every category and style', async () => {
  const main = mainOf(await page('/'));
  const heading = (title) => {
    const h = elements(main, 'h2').find((x) => textOf(x.inner) === title);
    assert.ok(h, `the home page has no "${title}" section`);
    return h.index;
  };
  const newAt = heading(T.ko.home.new_title);
  const bestAt = heading(T.ko.home.best_title);
  assert.ok(newAt < bestAt, 'new arrivals come before best sellers');
  const newest = (await apiList({ sort: 'newest', per_page: 10 })).items.map((x) => x.id);
  const popular = (await apiList({ sort: 'popular', per_page: 10 })).items.map((x) => x.id);
  assert.deepEqual(productIds(main.slice(newAt, bestAt)), newest, 'new arrivals');
  assert.deepEqual(productIds(main.slice(bestAt)), popular, 'best sellers');
  const links = anchors(main);
  for (const c of await categories()) assert.ok(links.some((a) => a.href === `/categories/${c.id}` && a.text === c.name), `no link to category ${c.name}`);
  for (const s of await styles()) assert.ok(links.some((a) => a.href === `/styles/${s.id}` && a.text === s.name), `no link to style ${s.name}`);
});

// ---- 7. errors ---------------------------------------------------------------------------------

async function errorPage(path, status) {
  const html = await page(path, status);
  assertLayout(html, path, 'ko');
  assert.equal(h1Of(mainOf(html)), T.ko.error[status].title, `GET ${path}: the error page's heading`);
  return html;
}

test('absent ids are 404 HTML error pages (products, categories, styles, brands)', async () => {
  for (const path of ['/products/999999999', '/products/0', '/products/abc', '/products/9007199254740993',
    '/categories/999999', '/categories/0', '/styles/999999', '/brands/999999', '/brands/0']) {
    await errorPage(path, 404);
  }
  // and JSON clients get a problem
  const res = await get('/products/999999999', { Accept: 'application/json' });
  assert.equal(res.status, 404, describe(res));
  assert.equal(mediaType(res), 'application/problem+json', describe(res));
});

// ---- 7b. the products no one may see, from the database ----------------------------------------

// GET without the API cache (the case changes the database) and with the status checked.
async function fresh(path, status = 200) {
  const res = await get(path);
  assert.equal(res.status, status, `GET ${path}: expected ${status}, got ${describe(res)}`);
  return res;
}

// Every product id of a listing page and the pages after it (100 a page, following rel=next).
async function listedEverywhere(path, params = {}) {
  const ids = [];
  let url = withQuery(path, { ...params, per_page: 100 });
  for (let n = 1; url && n <= 100; n++) {
    const html = (await fresh(url)).text;
    ids.push(...productIds(mainOf(html)));
    const next = pagination(html).next;
    url = next.length ? next[0].href : null;
  }
  return ids;
}

// Every product id the API lists for params (100 a page).
async function apiListedEverywhere(params = {}) {
  const ids = [];
  for (let p = 1; p <= 100; p++) {
    const body = (await fresh(withQuery('/api/v1/products', { ...params, per_page: 100, page: p }))).json;
    ids.push(...body.items.map((x) => x.id));
    if (body.items.length < 100) break;
  }
  return ids;
}

// The words of a name that a search can take (letters and digits), for q.
const searchWords = (name) => (name.match(/[\p{L}\p{N}]+/gu) || []).join(' ').slice(0, 100);

// A product (active unless status says otherwise) of brandSql (an SQL expression for its id),
// with one size in stock and a search row, first on most sorts (newest, popular, discount,
// rating, price_asc) so that a listing that let it through would show it on page 1.
function insertFixtureProduct(brandSql, status, name) {
  sql(`INSERT INTO products (brand_id, category_id, style_id, name, list_price, sale_price, status, units_sold_30d,
      like_count, review_count, rating_sum, created_at)
    VALUES (${brandSql}, (SELECT MIN(id) FROM categories), (SELECT MIN(id) FROM styles), ${lit(name)}, 50000, 1000,
      ${lit(status)}, 1000000, 1000, 5, 25, UTC_TIMESTAMP());
  SET @p = LAST_INSERT_ID();
  INSERT INTO product_variants (product_id, brand_id, size_label, color, stock, status, sort_order, chest_mm)
    SELECT @p, brand_id, 'M', '', 10, 'active', 0, 500 FROM products WHERE id = @p;
  INSERT INTO product_search (product_id, body)
    SELECT p.id, CONCAT_WS(' ', p.name, b.name, c.name_ko, c.name_en, st.name_ko, st.name_en)
    FROM products p JOIN brands b ON b.id = p.brand_id JOIN categories c ON c.id = p.category_id
    JOIN styles st ON st.id = p.style_id WHERE p.id = @p;`);
}

// Hidden, draft and inactive-brand products from the database: { kind, id, name, brand_id, … }.
function invisibleProducts() {
  return sqlRows(`SELECT JSON_OBJECT('id', p.id, 'name', p.name, 'status', p.status, 'brand_status', b.status,
      'brand_id', p.brand_id, 'category_id', p.category_id, 'style_id', p.style_id)
    FROM products p JOIN brands b ON b.id = p.brand_id WHERE p.status <> 'active' OR b.status <> 'active' ORDER BY p.id`)
    .map((r) => ({ ...r, kind: r.brand_status !== 'active' ? 'inactive brand' : r.status }));
}

test('hidden, draft and inactive-brand products (from the database) are 404 on their page and in the API, and no listing shows them', async () => {
  const made = [];
  try {
    // The kinds the seed lacks are made here: an inactive brand (the seed has none) with an
    // active product; a hidden or a draft product of an active brand when there is none.
    let rows = invisibleProducts();
    const activeBrand = `(SELECT MIN(id) FROM brands WHERE status = 'active' AND name <> ${lit(FIXTURE_BRAND)})`;
    for (const kind of ['hidden', 'draft']) {
      if (rows.some((r) => r.kind === kind)) continue;
      insertFixtureProduct(activeBrand, kind, `${FIXTURE} ${kind} 상품`);
      made.push(kind);
    }
    if (!rows.some((r) => r.kind === 'inactive brand')) {
      sql(`INSERT INTO brands (name, key_hash, status, business_address, phone, business_registration_number, bank_name,
          bank_account_number, bank_account_holder, return_address, return_courier)
        VALUES (${lit(FIXTURE_BRAND)}, UNHEX(SHA2(${lit(FIXTURE_BRAND)}, 256)), 'inactive', '서울특별시 중구 1', '0212345678',
          '1234567890', '테스트은행', '123-456-789', '예금주', '서울 어딘가', 'CJ대한통운');`);
      insertFixtureProduct(`(SELECT id FROM brands WHERE name = ${lit(FIXTURE_BRAND)})`, 'active', `${FIXTURE} 비활성 브랜드 상품`);
      made.push('inactive brand');
    }
    rows = invisibleProducts();
    const kinds = [...new Set(rows.map((r) => r.kind))].sort();
    assert.deepEqual(kinds, ['draft', 'hidden', 'inactive brand'], 'a product of every kind no one may see');
    console.log(`# ${rows.length} products no one may see: ${rows.map((r) => `${r.id} (${r.kind})`).join(', ')}`
      + (made.length ? `; made here: ${made.join(', ')}` : ''));
    const hidden = new Set(rows.map((r) => r.id));

    // Their own pages and API answers.
    for (const r of rows) {
      const path = `/products/${r.id}`;
      const html = (await fresh(path, 404)).text;
      assert.equal(h1Of(mainOf(html)), T.ko.error[404].title, `GET ${path} (${r.kind}): the error page's heading`);
      assert.ok(!html.includes(`<h1 class="product__name"`) && !textOf(mainOf(html)).includes(r.name),
        `GET ${path} (${r.kind}): the 404 page shows the product "${r.name}"`);
      assertProblem(await get(`/api/v1/products/${r.id}`), 404);
      assertProblem(await get(path, { Accept: 'application/json' }), 404);
    }
    const inactiveBrands = [...new Set(rows.filter((r) => r.kind === 'inactive brand').map((r) => r.brand_id))];
    for (const b of inactiveBrands) {
      await fresh(`/brands/${b}`, 404);
      assertProblem(await get(`/api/v1/brands/${b}`), 404);
    }

    // Every listing that could show them, in full: HTML and API.
    const where = []; // [what, ids]
    where.push(['/products', await listedEverywhere('/products')]);
    where.push(['/api/v1/products', await apiListedEverywhere()]);
    for (const sort of ['popular', 'discount']) where.push([`/products?sort=${sort} (page 1)`, productIds(mainOf((await fresh(`/products?sort=${sort}`)).text))]);
    for (const c of new Set(rows.map((r) => r.category_id))) {
      where.push([`/categories/${c}`, await listedEverywhere(`/categories/${c}`)]);
      where.push([`/api/v1/products?category=${c}`, await apiListedEverywhere({ category: c })]);
    }
    for (const st of new Set(rows.map((r) => r.style_id))) {
      where.push([`/styles/${st}`, await listedEverywhere(`/styles/${st}`)]);
      where.push([`/api/v1/products?style=${st}`, await apiListedEverywhere({ style: st })]);
    }
    for (const b of new Set(rows.map((r) => r.brand_id))) {
      if (!inactiveBrands.includes(b)) where.push([`/brands/${b}`, await listedEverywhere(`/brands/${b}`)]);
      where.push([`/products?brand=${b}`, await listedEverywhere('/products', { brand: b })]);
      where.push([`/api/v1/products?brand=${b}`, await apiListedEverywhere({ brand: b })]);
      // the "more from this brand" strip of another product of the brand
      const other = sqlNumbers(`SELECT p.id FROM products p JOIN brands b ON b.id = p.brand_id WHERE p.brand_id = ${b}
        AND p.status = 'active' AND b.status = 'active' ORDER BY p.units_sold_30d DESC, p.id DESC LIMIT 1`)[0];
      if (other) where.push([`/products/${other} (more from the brand)`, productIds(mainOf((await fresh(`/products/${other}`)).text))]);
    }
    for (const r of rows) {
      const q = searchWords(r.name);
      if (!q) continue;
      where.push([`/products?q=${q}`, await listedEverywhere('/products', { q })]);
      where.push([`/api/v1/products?q=${q}`, await apiListedEverywhere({ q })]);
    }
    where.push(['/', productIds(mainOf((await fresh('/')).text))]);
    let url = '/brands';
    const brandLinks = [];
    for (let n = 1; url && n <= 100; n++) {
      const html = (await fresh(url)).text;
      where.push([url, productIds(mainOf(html))]);
      for (const a of anchors(mainOf(html))) if (/^\/brands\/\d+$/.test(a.href)) brandLinks.push(Number(a.href.split('/')[2]));
      const next = pagination(html).next;
      url = next.length ? next[0].href : null;
    }
    for (const b of inactiveBrands) assert.ok(!brandLinks.includes(b), `/brands links the inactive brand ${b}`);
    const apiBrands = [];
    for (let p = 1; p <= 100; p++) {
      const body = (await fresh(`/api/v1/brands?per_page=100&page=${p}`)).json;
      apiBrands.push(...body.items.map((x) => x.id));
      if (body.items.length < 100) break;
    }
    for (const b of inactiveBrands) assert.ok(!apiBrands.includes(b), `/api/v1/brands lists the inactive brand ${b}`);

    const leaks = where.flatMap(([what, ids]) => ids.filter((id) => hidden.has(id))
      .map((id) => `${what} shows product ${id} (${rows.find((r) => r.id === id).kind})`));
    assert.deepEqual(leaks, [], 'a listing shows a product no one may see');
    assert.ok(where.find(([w]) => w === '/products')[1].length > 0, '/products lists products');
  } finally {
    removeFixtures();
  }
});

test('invalid listing inputs are 422 HTML error pages on every listing path, never a 5xx', async () => {
  const c = (await categories())[0].id;
  for (const base of ['/products', `/categories/${c}`, `/styles/${(await styles())[0].id}`, `/brands/${(await brandAt(0)).id}`]) {
    for (const query of ['page=101', 'page=0', 'min_price=5&max_price=1', 'sort=nope', 'category=abc', 'per_page=101',
      'on_sale=maybe', 'min_price=1.5', `q=${encodeURIComponent('바'.repeat(101))}`]) {
      await errorPage(`${base}?${query}`, 422);
    }
  }
  await errorPage('/brands?page=101', 422);
  for (const path of ['/products?q=%FF', '/products?size=%00', '/products?category=99999999999999999999']) {
    const res = await get(path);
    assert.ok(res.status < 500, `GET ${path}: ${describe(res)}`);
  }
});

// ---- 8. escaping -------------------------------------------------------------------------------

// The page (and page number) of a listing that shows product id, from the API's list.
async function listingPageWith(path, apiParams, id) {
  const items = await apiAll(apiParams);
  const i = items.findIndex((x) => x.id === id);
  assert.ok(i >= 0, `product ${id} is not in the API's list for ${qs(apiParams)}`);
  const n = Math.floor(i / PER_PAGE) + 1;
  assert.ok(n <= 100, `product ${id} is beyond page 100 of ${qs(apiParams)}`);
  const extra = Object.fromEntries(Object.entries(apiParams).filter(([k]) => !path.includes(`/${k === 'category' ? 'categories' : k + 's'}/`)));
  return withQuery(path, n > 1 ? { ...extra, page: n } : extra);
}

test('hostile product names are escaped on every page that shows them, never raw', async () => {
  const hostile = await hostileProducts();
  for (const h of hostile) {
    const d = h.detail;
    const pages = [`/products/${d.id}`, withQuery('/products', { q: h.word })];
    pages.push(await listingPageWith(`/brands/${d.brand.id}`, { brand: d.brand.id }, d.id));
    const inCat = (await apiList({ category: d.category_id })).items.some((x) => x.id === d.id);
    pages.push(inCat ? `/categories/${d.category_id}`
      : await listingPageWith(`/categories/${d.category_id}`, { category: d.category_id, brand: d.brand.id }, d.id));
    const inStyle = (await apiList({ style: d.style_id })).items.some((x) => x.id === d.id);
    pages.push(inStyle ? `/styles/${d.style_id}`
      : await listingPageWith(`/styles/${d.style_id}`, { style: d.style_id, brand: d.brand.id }, d.id));
    const newest = (await apiList({ sort: 'newest', per_page: 10 })).items.map((x) => x.id);
    const popular = (await apiList({ sort: 'popular', per_page: 10 })).items.map((x) => x.id);
    if (newest.includes(d.id) || popular.includes(d.id)) pages.push('/');
    const brandPopular = (await apiList({ brand: d.brand.id, sort: 'popular', per_page: 11 })).items.map((x) => x.id);
    if (brandPopular.slice(0, 5).includes(d.id)) pages.push('/brands');
    const other = brandPopular.find((id) => id !== d.id);
    if (brandPopular.includes(d.id) && other) pages.push(`/products/${other}`);
    console.log(`# ${h.name}: ${[...new Set(pages)].join(' ')}`);
    for (const path of [...new Set(pages)]) {
      const html = await page(path);
      const where = `GET ${path} (${h.name})`;
      assertNoRaw(html, where);
      assert.ok(productIds(mainOf(html)).includes(d.id) || path === `/products/${d.id}`, `${where}: the page does not show product ${d.id}`);
      assert.ok(html.includes(h.escaped), `${where}: the escaped name ${h.escaped} is not there`);
      // the name shown, once decoded, is the stored name: escaped once, not twice, and no
      // template tag in it was interpreted
      const shown = path === `/products/${d.id}` ? [h1Of(mainOf(html))]
        : anchors(mainOf(html)).filter((a) => a.href === `/products/${d.id}`).map((a) => a.text);
      assert.ok(shown.some((s) => s.includes(h.name)), `${where}: the name reads ${JSON.stringify(shown)}, expected it to contain ${JSON.stringify(h.name)}`);
    }
  }
});

test('the hostile brand name is escaped in cards, the brand select, the brand page and /brands', async () => {
  const b = (await brands()).find((x) => x.name === HOSTILE_BRAND.name);
  assert.ok(b, `the seed's brand ${HOSTILE_BRAND.name} is not in /api/v1/brands`);
  const product = (await apiList({ brand: b.id, per_page: 1 })).items[0];
  for (const path of [`/brands/${b.id}`, '/brands', '/products', `/products/${product.id}`, withQuery('/products', { brand: b.id })]) {
    const html = await page(path);
    assertNoRaw(html, `GET ${path}`);
    assert.ok(html.includes(HOSTILE_BRAND.escaped), `GET ${path}: no ${HOSTILE_BRAND.escaped}`);
  }
  const html = await page(`/brands/${b.id}`);
  assert.equal(h1Of(mainOf(html)), b.name);
  assert.equal(textOf(elements(html, 'title')[0].inner).startsWith(b.name), true, 'the <title> names the brand');
  const f = filterForm(await page('/products'));
  assert.ok(f.selects.brand.some((o) => o.value === String(b.id) && o.text === b.name), 'the brand select names the brand');
});

// The hostile brand's seller-entered text (introduction, return address, courier), from the database.
function hostileBrandRow() {
  const [b] = sqlRows(`SELECT JSON_OBJECT('id', id, 'introduction', introduction, 'return_address', return_address,
      'return_courier', return_courier, 'return_postal_code', return_postal_code)
    FROM brands WHERE name = ${lit(HOSTILE_BRAND.name)} AND status = 'active'`);
  assert.ok(b, `the seed's brand ${HOSTILE_BRAND.name} is not in the database`);
  for (const f of ['introduction', 'return_address', 'return_courier']) {
    assert.ok(/[<>"'&]/.test(b[f] ?? ''), `the seed should give ${HOSTILE_BRAND.name} a hostile ${f} (markup, quotes, &): ${JSON.stringify(b[f])}`);
  }
  return b;
}

// Markup that must never reach a page unescaped, and what escaping it twice would look like.
const RAW_MARKUP = ['<script>alert(1)', '<img src=x', "onfocus='x'"];
const TWICE = ['&amp;lt;', '&amp;gt;', '&amp;quot;', '&amp;#39;', '&amp;#x27;', '&amp;apos;'];

// One element of html whose content is exactly text, escaped once: decoded it reads text, and
// every character that needs escaping is escaped (no tag, no quote, no bare &).
function assertShownOnce(html, tag, text, where) {
  const all = elements(html, tag).map((e) => e.inner.trim());
  const same = all.filter((inner) => collapse(decode(inner)) === collapse(text));
  assert.ok(same.length > 0, `${where}: no <${tag}> reads ${JSON.stringify(text)} (escaped once); the <${tag}>s: ${shorten(JSON.stringify(all), 1200)}`);
  for (const inner of same) {
    assert.ok(!/[<>"']|&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)/i.test(inner), `${where}: <${tag}>${inner}</${tag}> is not escaped`);
  }
}

function assertNoHostileMarkup(html, where) {
  for (const raw of RAW_MARKUP) assert.ok(!html.includes(raw), `${where}: ${JSON.stringify(raw)} occurs unescaped`);
  for (const twice of TWICE) assert.ok(!html.includes(twice), `${where}: ${JSON.stringify(twice)}: something is escaped twice`);
}

test('the hostile brand\'s introduction and return terms are escaped exactly once on its product pages, its brand page and /brands, and verbatim in the API', async () => {
  const b = hostileBrandRow();
  const address = `${b.return_postal_code ? `(${b.return_postal_code}) ` : ''}${b.return_address}`;
  const products = sqlNumbers(`SELECT id FROM products WHERE brand_id = ${b.id} AND status = 'active' ORDER BY id`);
  assert.ok(products.length > 0, `${HOSTILE_BRAND.name} has active products`);
  // The pages that show the terms: the brand page and every product page of the brand (the
  // brand-policy partial, included indented), in both languages for one of each.
  const termsPages = [`/brands/${b.id}`, `/brands/${b.id}?lang=en`, `/brands/${b.id}?sort=price_asc&page=1`,
    ...products.map((id) => `/products/${id}`), `/products/${products[0]}?lang=en`];
  await forEach(termsPages, async (path) => {
    const html = await page(path);
    assertNoHostileMarkup(html, `GET ${path}`);
    const main = mainOf(html);
    assertShownOnce(main, 'dd', b.return_courier, `GET ${path}: the courier`);
    assertShownOnce(main, 'dd', address, `GET ${path}: the return address`);
    if (path.startsWith('/brands/')) assertShownOnce(main, 'p', b.introduction, `GET ${path}: the introduction`);
    const text = textOf(main);
    for (const s of [b.return_courier, b.return_address]) assert.ok(text.includes(collapse(s)), `GET ${path}: the text ${JSON.stringify(s)} is not shown as text`);
  });
  // /brands shows the introduction: the page of /brands that links the brand.
  let url = '/brands';
  let found = false;
  for (let n = 1; url && n <= 100 && !found; n++) {
    const html = await page(url);
    assertNoHostileMarkup(html, `GET ${url}`);
    const main = mainOf(html);
    if (anchors(main).some((a) => a.href === `/brands/${b.id}`)) {
      found = true;
      assertShownOnce(main, 'p', b.introduction, `GET ${url}: the introduction of ${HOSTILE_BRAND.name}`);
    }
    const next = pagination(html).next;
    url = next.length ? next[0].href : null;
  }
  assert.ok(found, `/brands does not link /brands/${b.id}`);
  // The API gives the text back as stored: JSON, never HTML-escaped.
  const brand = (await fresh(`/api/v1/brands/${b.id}`)).json;
  assert.deepEqual([brand.introduction, brand.return_address, brand.return_courier, brand.return_postal_code],
    [b.introduction, b.return_address, b.return_courier, b.return_postal_code], `/api/v1/brands/${b.id}: the text as stored`);
  const listed = (await brands()).find((x) => x.id === b.id);
  assert.equal(listed?.introduction, b.introduction, '/api/v1/brands: the introduction as stored');
  for (const id of products.slice(0, 3)) {
    const d = (await fresh(`/api/v1/products/${id}`)).json;
    assert.deepEqual([d.brand.return_address, d.brand.return_courier, d.brand.return_postal_code],
      [b.return_address, b.return_courier, b.return_postal_code], `/api/v1/products/${id}: the brand's terms as stored`);
  }
});

test('the product page\'s <title> and meta description carry the hostile names escaped', async () => {
  for (const h of await hostileProducts()) {
    const path = `/products/${h.item.id}`;
    const html = await page(path);
    const title = elements(html, 'title');
    assert.equal(title.length, 1);
    assert.ok(title[0].inner.includes(h.escaped), `${path}: the <title> holds ${JSON.stringify(title[0].inner)}, not ${h.escaped}`);
    assert.ok(textOf(title[0].inner).startsWith(h.name), `${path}: the <title> reads ${textOf(title[0].inner)}`);
    const desc = voidElements(html, 'meta').find((m) => m.attrs.name === 'description');
    assert.ok(desc && decode(desc.attrs.content).includes(h.name), `${path}: the meta description: ${desc && desc.raw}`);
    const alts = voidElements(mainOf(html), 'img').map((i) => i.attrs.alt).filter((a) => a && a.includes(h.escaped.slice(0, 10)));
    for (const alt of alts) assert.ok(decode(alt).includes(h.name), `${path}: an image's alt: ${alt}`);
  }
});

test('a hostile q is echoed escaped in the heading, the <title>, the hidden q input and the sort and language links', async () => {
  const q = '<script>x</script>"\'';
  const path = withQuery('/products', { q, on_sale: 'true' });
  const html = await page(path);
  assertNoRaw(html, `GET ${path}`);
  assert.ok(!/<script>x/i.test(html), 'the raw q is in the page');
  const h1 = h1Of(mainOf(html));
  assert.ok(h1.includes(q), `the heading reads ${JSON.stringify(h1)}`);
  assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt;&quot;&#39;'), 'the escaped q is not in the page');
  assert.ok(textOf(elements(html, 'title')[0].inner).includes(q), 'the <title> does not carry the q');
  const f = filterForm(html);
  const hidden = f.inputs.filter((i) => i.name === 'q');
  assert.equal(hidden.length, 1, 'one q field in the filter form');
  assert.equal(hidden[0].value, q, 'the hidden q input\'s value');
  assert.equal(hidden[0].rawValue, '&lt;script&gt;x&lt;/script&gt;&quot;&#39;', 'the hidden q input, escaped');
  const enc = 'q=%3Cscript%3Ex%3C%2Fscript%3E%22%27';
  const links = sortLinks(html);
  assert.equal(links.length, SORTS.length);
  for (const l of links) {
    assert.ok(l.rawHref.includes(enc), `the ${l.sort} link: ${l.rawHref}`);
    assertLink(l.href, '/products', l.sort === 'newest' ? { q, on_sale: 'true' } : { q, on_sale: 'true', sort: l.sort }, `the ${l.sort} link`);
  }
  for (const lang of ['ko', 'en']) {
    const a = anchors(html).find((x) => x.attrs.hreflang === lang);
    assert.ok(a.rawHref.includes(enc), `the ${lang} link: ${a.rawHref}`);
    assertLink(a.href, '/products', { q, on_sale: 'true', lang }, `the ${lang} link`);
  }
});

// ---- 9. the language links ---------------------------------------------------------------------

test('the language links keep the listing\'s filters and lead to the same listing in the other language', async () => {
  const big = await bigCategory();
  const cases = [
    ['/products', { category: big.id, sort: 'price_asc' }],
    ['/products', { q: '바지', on_sale: 'true', page: 2, per_page: 5 }],
    [`/categories/${big.id}`, { sort: 'price_desc', page: 2 }],
    [`/brands/${(await brandAt(2)).id}`, { size: 'M', max_price: 100000 }],
  ];
  for (const [path, params] of cases) {
    const html = await page(withQuery(path, params));
    for (const lang of ['ko', 'en']) {
      const a = anchors(html).filter((x) => x.attrs.hreflang === lang);
      assert.equal(a.length, 1, `${path}: one ${lang} link`);
      assertLink(a[0].href, path, { ...params, lang }, `${withQuery(path, params)}: the ${lang} link`);
    }
    const en = anchors(html).find((x) => x.attrs.hreflang === 'en').href;
    const enHtml = await page(en);
    assert.equal(voidElements(enHtml, 'html')[0].attrs.lang, 'en', `${en}: <html lang>`);
    assert.deepEqual(productIds(mainOf(enHtml)), productIds(mainOf(html)), `${en}: the same products as in Korean`);
  }
  // the product page's language links
  const [p1] = await productIds2();
  const p = await page(`/products/${p1}`);
  assertLink(anchors(p).find((x) => x.attrs.hreflang === 'en').href, `/products/${p1}`, { lang: 'en' }, `/products/${p1}: the en link`);
});

await run();
