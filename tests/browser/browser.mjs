// Shared helpers of the browser suites (home.test.mjs, catalog.test.mjs): one headless Chromium,
// pages that record everything that goes wrong, screenshots, and the checks every page in the
// layout must pass. Env: LONUA_BASE_URL (the running site, e.g. http://127.0.0.1:8080),
// LONUA_SCREENSHOT_DIR (full-page screenshots are written there), CHROMIUM_PATH (default
// /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { assert } from '../lib/tap.mjs';

export const BASE = (process.env.LONUA_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SHOTS = process.env.LONUA_SCREENSHOT_DIR || '';
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

// The two sizes every page must work at, and the product columns each must show at least.
export const VIEWPORTS = [
  { width: 390, height: 844, minColumns: 2 },
  { width: 1440, height: 900, minColumns: 4 },
];

let browser;
export async function getBrowser() {
  browser ||= await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // No sandbox as root; no background traffic on a machine whose network is closed.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

export async function closeBrowser() {
  if (browser) await browser.close();
  browser = undefined;
}

// A fresh page (in its own context) that records everything that went wrong while it was used:
// console errors, uncaught exceptions, failed requests, HTTP >= 400 answers, and any dialog
// (alert/confirm/prompt: the pages never open one, so one means script ran that should not have;
// it is dismissed so the page goes on). The browser is a Korean shopper's (Accept-Language
// ko-KR); English pages are asked for with ?lang=en.
// options: more settings of the context (javaScriptEnabled: false for a page without script).
export async function openPage(viewport, options = {}) {
  const context = await (await getBrowser()).newContext({ viewport, deviceScaleFactor: 1, locale: 'ko-KR', ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // A picture still loading when the test moves to the next page is cancelled by the browser
  // (net::ERR_ABORTED): no fault of the shop. The favicon is a picture too, though Chromium gives
  // its request no type. A picture that does not exist answers 404 (below).
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText;
    const picture = r.resourceType() === 'image' || /\/dist\/img\/favicon\.[0-9a-f]+\.svg$/.test(r.url());
    if (!(picture && why === 'net::ERR_ABORTED')) problems.push(`requestfailed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${JSON.stringify(d.message())}`);
    d.dismiss().catch(() => {});
  });
  return { context, page, problems };
}

// openPage for the length of fn({page, problems}); the context is closed whatever happens. When
// fn fails, the problems recorded so far are added to its error (they often explain it).
export async function withPage(viewport, fn, options = {}) {
  const { context, page, problems } = await openPage(viewport, options);
  try {
    return await fn({ page, problems });
  } catch (err) {
    if (problems.length && err instanceof Error && !err.message.includes(problems[0])) {
      // The TAP harness prints the first lines of the stack: put them after its first line.
      const [first, ...rest] = String(err.stack).split('\n');
      err.stack = [first, ...problems.slice(0, 5).map((p) => `  recorded meanwhile: ${p}`), ...rest].join('\n');
    }
    throw err;
  } finally {
    await context.close();
  }
}

export async function screenshot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

// Scrolls through the whole page, a screen at a time, so lazy images (product cards) start
// loading, then brings into view any image still not loaded (one scrolled past between two
// frames on a busy machine), back to the top, and waits for every image to finish (loaded or
// broken).
export async function scrollThrough(page) {
  await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
      window.scrollTo(0, y);
      await frame();
    }
    for (const img of document.images) {
      if (!img.complete) { img.scrollIntoView({ block: 'center', inline: 'nearest' }); await frame(); }
    }
    window.scrollTo(0, 0);
  });
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 10000 })
    .catch(() => {}); // the per-image assertion in checkLayout names the ones that did not load
}

// Checks shared by every page rendered in the layout: the header and footer, the stylesheet,
// every image loaded (after scrolling through the page), no horizontal scrolling.
export async function checkLayout(page, lang) {
  assert.equal(await page.getAttribute('html', 'lang'), lang, 'html lang');
  await scrollThrough(page);
  const layout = await page.evaluate(() => ({
    header: !!document.querySelector('header.site-header'),
    footer: !!document.querySelector('footer.site-footer'),
    searchName: document.querySelector('form.search[action="/products"] input')?.name,
    bodyMargin: getComputedStyle(document.body).margin,
    topbarBg: getComputedStyle(document.querySelector('.topbar')).backgroundColor,
    images: [...document.images].map((i) => ({ src: i.src, complete: i.complete, ok: i.complete && i.naturalWidth > 0 })),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(layout.header && layout.footer, 'header and footer present');
  assert.equal(layout.searchName, 'q', 'search box submits q to /products');
  // Unstyled, body has an 8px margin and the top bar is transparent.
  assert.equal(layout.bodyMargin, '0px', 'stylesheet applied (body margin)');
  assert.equal(layout.topbarBg, 'rgb(17, 17, 17)', 'stylesheet applied (top bar)');
  for (const img of layout.images) {
    assert.ok(img.ok, `image loaded: ${img.src} (${img.complete ? 'broken' : 'still loading'})`);
  }
  assert.ok(layout.scrollWidth <= layout.innerWidth,
    `no horizontal scrolling: scrollWidth ${layout.scrollWidth} > innerWidth ${layout.innerWidth}`);
}

// How many items of the grid sit in its first row: those whose top equals the first item's.
// grid is a selector of the grid's <ul> (the first match is used); items are its <li> children.
export async function firstRowColumns(page, grid) {
  return page.evaluate((sel) => {
    const ul = document.querySelector(sel);
    const items = ul ? [...ul.children].filter((e) => e.tagName === 'LI') : [];
    if (!items.length) return { count: 0, firstRow: 0 };
    const top = Math.round(items[0].getBoundingClientRect().top);
    return {
      count: items.length,
      firstRow: items.filter((i) => Math.round(i.getBoundingClientRect().top) === top).length,
    };
  }, grid);
}

// Asserts that Hangul text of the page is drawn with a font that has Hangul glyphs rather than
// as "tofu" boxes. Takes the first element matching one of selectors whose text holds Hangul
// (else the first visible text in main that does), and draws two different syllables of that
// text and U+10FFFF (a noncharacter no font has: it is always drawn as the .notdef glyph) on a
// canvas with the element's own computed font (style, weight, family; at 32px so glyphs are
// large enough to tell apart). Without a font that covers Hangul (fonts-noto-cjk missing), both
// syllables fall back to the same .notdef glyph as U+10FFFF, so the three drawings are identical
// pixel for pixel; with one, the two syllables differ from each other and from .notdef. A check
// of document.fonts.check() or of the computed font-family alone would not fail: they describe
// what the page asks for, not what the system can draw.
// Returns a description of what was checked.
export async function checkHangulRendered(page, selectors = ['main h1']) {
  const r = await page.evaluate((sels) => {
    const hangul = /[\uAC00-\uD7A3]/;
    let el = null;
    for (const s of sels) {
      el = [...document.querySelectorAll(s)].find((e) => hangul.test(e.textContent) && e.getClientRects().length);
      if (el) break;
    }
    if (!el) {
      const walk = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (hangul.test(n.data) && n.parentElement.getClientRects().length) { el = n.parentElement; break; }
      }
    }
    if (!el) return { error: 'no visible Hangul text on the page' };
    const text = el.textContent.replace(/\s+/g, ' ').trim();
    const syllables = [...new Set(text.match(/[\uAC00-\uD7A3]/g))];
    // A text of one repeated syllable is compared with 한 (or 글 if that is the one).
    if (syllables.length < 2) syllables.push(syllables[0] === '한' ? '글' : '한');
    const cs = getComputedStyle(el);
    const font = `${cs.fontStyle} ${cs.fontWeight} 32px ${cs.fontFamily}`;
    const draw = (s) => {
      const c = document.createElement('canvas');
      c.width = 64; c.height = 64;
      const g = c.getContext('2d');
      g.font = font;
      g.textBaseline = 'top';
      g.fillStyle = '#000';
      g.fillText(s, 8, 8);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      let ink = 0, sig = '';
      for (let i = 3; i < px.length; i += 4) { if (px[i]) ink++; sig += px[i] > 127 ? '1' : '0'; }
      return { ink, sig, width: g.measureText(s).width };
    };
    const a = draw(syllables[0]), b = draw(syllables[1]), notdef = draw('\u{10FFFF}');
    return {
      text, font, syllables: syllables.slice(0, 2),
      ink: [a.ink, b.ink],
      differ: a.sig !== b.sig,
      notNotdef: a.sig !== notdef.sig && b.sig !== notdef.sig,
    };
  }, selectors);
  assert.ok(!r.error, r.error);
  const what = `"${r.syllables.join('", "')}" of "${r.text}" in ${r.font}`;
  assert.ok(r.ink[0] > 0 && r.ink[1] > 0, `Hangul draws something: ${what}`);
  assert.ok(r.differ, `two Hangul syllables draw differently (not the same tofu box): ${what}`);
  assert.ok(r.notNotdef, `Hangul does not draw as the .notdef glyph: ${what}`);
  return r;
}

// GET a JSON document of the site (the API is the ground truth of the page checks).
export async function api(path) {
  const res = await fetch(BASE + path, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}
