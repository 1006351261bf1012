// Browser checks of the home page and the 404 page in headless Chromium, at a phone and a
// desktop size, in Korean and English. Run: node tests/browser/home.test.mjs
// Env: LONUA_BASE_URL (the running site, e.g. http://127.0.0.1:8080), LONUA_SCREENSHOT_DIR
// (full-page screenshots are written there), CHROMIUM_PATH (default /usr/bin/chromium); see
// browser.mjs for the shared helpers. The product grids are checked by catalog.test.mjs.
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, VIEWPORTS, openPage, screenshot, checkLayout, closeBrowser } from './browser.mjs';

const LANGS = [
  { lang: 'ko', query: '', text: '브랜드' },
  { lang: 'en', query: '?lang=en', text: 'Brand' },
];

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
  await closeBrowser();
}
