// Browser checks of the home page and the 404 page in headless Chromium, at a phone and a
// desktop size, in Korean and English. Run: node tests/browser/home.test.mjs
// Env: LONUA_BASE_URL (the running site, e.g. http://127.0.0.1:8080), LONUA_SCREENSHOT_DIR
// (full-page screenshots are written there), CHROMIUM_PATH (default /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { test, run, assert } from '../lib/tap.mjs';

const BASE = (process.env.LONUA_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SHOTS = process.env.LONUA_SCREENSHOT_DIR || '';
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const VIEWPORTS = [
  { width: 390, height: 844, minColumns: 2 },
  { width: 1440, height: 900, minColumns: 4 },
];
const LANGS = [
  { lang: 'ko', query: '', text: '브랜드' },
  { lang: 'en', query: '?lang=en', text: 'Brand' },
];

let browser;
async function getBrowser() {
  browser ||= await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // No sandbox as root; no background traffic on a machine whose network is closed.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

// A fresh page that records everything that went wrong while it loaded. The browser is a Korean
// shopper's (Accept-Language ko-KR); English pages are asked for with ?lang=en.
async function openPage(viewport) {
  const context = await (await getBrowser()).newContext({ viewport, deviceScaleFactor: 1, locale: 'ko-KR' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { context, page, problems };
}

async function screenshot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

// Checks shared by every page rendered in the layout.
async function checkLayout(page, lang) {
  assert.equal(await page.getAttribute('html', 'lang'), lang, 'html lang');
  // Scroll through the page so lazy images (product cards) load, then wait for them.
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 50));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 10000 })
    .catch(() => {}); // the per-image assertion below names the ones that did not load
  const layout = await page.evaluate(() => ({
    header: !!document.querySelector('header.site-header'),
    footer: !!document.querySelector('footer.site-footer'),
    searchName: document.querySelector('form.search[action="/products"] input')?.name,
    bodyMargin: getComputedStyle(document.body).margin,
    topbarBg: getComputedStyle(document.querySelector('.topbar')).backgroundColor,
    images: [...document.images].map((i) => ({ src: i.src, ok: i.complete && i.naturalWidth > 0 })),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(layout.header && layout.footer, 'header and footer present');
  assert.equal(layout.searchName, 'q', 'search box submits q to /products');
  // Unstyled, body has an 8px margin and the top bar is transparent.
  assert.equal(layout.bodyMargin, '0px', 'stylesheet applied (body margin)');
  assert.equal(layout.topbarBg, 'rgb(17, 17, 17)', 'stylesheet applied (top bar)');
  for (const img of layout.images) assert.ok(img.ok, `image loaded: ${img.src}`);
  assert.ok(layout.scrollWidth <= layout.innerWidth,
    `no horizontal scrolling: scrollWidth ${layout.scrollWidth} > innerWidth ${layout.innerWidth}`);
}

for (const vp of VIEWPORTS) {
  for (const l of LANGS) {
    test(`home ${l.lang} ${vp.width}x${vp.height}`, async () => {
      const { context, page, problems } = await openPage({ width: vp.width, height: vp.height });
      try {
        const res = await page.goto(`${BASE}/${l.query}`, { waitUntil: 'load' });
        assert.equal(res.status(), 200, 'status');
        await checkLayout(page, l.lang);
        const nav = await page.textContent('nav.gnb');
        assert.ok(nav.includes(l.text), `menu shows "${l.text}"`);

        const grid = await page.evaluate(() => {
          const items = [...document.querySelectorAll('.category-grid > li')];
          const top = items.length ? Math.round(items[0].getBoundingClientRect().top) : 0;
          return {
            count: items.length,
            firstRow: items.filter((i) => Math.round(i.getBoundingClientRect().top) === top).length,
            links: items.map((i) => i.querySelector('a')?.getAttribute('href')),
            chips: [...document.querySelectorAll('.style-chips a')].map((a) => a.getAttribute('href')),
          };
        });
        assert.ok(grid.count > 0, 'category tiles rendered');
        for (const href of grid.links) assert.match(href, /^\/categories\/\d+$/);
        for (const href of grid.chips) assert.match(href, /^\/styles\/\d+$/);
        assert.ok(grid.firstRow >= vp.minColumns,
          `category grid has ${grid.firstRow} columns at ${vp.width}px, want >= ${vp.minColumns}`);

        await page.waitForLoadState('networkidle');
        await screenshot(page, `home-${l.lang}-${vp.width}x${vp.height}.png`);

        // The CATEGORY menu opens (a <details>, so it works with or without site.js).
        await page.click('nav.gnb summary');
        assert.ok(await page.isVisible('nav.gnb details[open] a[href^="/categories/"]'), 'category menu opens');

        assert.deepEqual(problems, [], 'no console errors or failed requests');
      } finally {
        await context.close();
      }
    });
  }
}

test('unknown path answers 404 with the error page in the layout', async () => {
  const { context, page, problems } = await openPage({ width: 390, height: 844 });
  try {
    const res = await page.goto(`${BASE}/this-page-does-not-exist`, { waitUntil: 'load' });
    assert.equal(res.status(), 404, 'status');
    await checkLayout(page, 'ko');
    assert.equal((await page.textContent('.error-page__status')).replace(/\D/g, ''), '404');
    assert.ok((await page.textContent('.error-page__title')).trim().length > 0, 'error title');
    assert.ok((await page.textContent('.error-page__meta')).includes('요청 ID'), 'request id shown');
    await page.waitForLoadState('networkidle');
    // The document itself is the expected 404; anything else failing is a problem.
    const others = problems.filter((p) => !p.includes('/this-page-does-not-exist'));
    assert.deepEqual(others, [], 'no console errors or failed requests');
    await screenshot(page, 'error-404-ko-390x844.png');
  } finally {
    await context.close();
  }
});

try {
  await run();
} finally {
  if (browser) await browser.close();
}
