import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:18080';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const [,, who, ...paths] = process.argv;
for (const vp of [{ width: 1280, height: 900, tag: 'd' }, { width: 390, height: 844, tag: 'p' }]) {
  const ctx = await b.newContext({ viewport: vp, locale: 'ko-KR' });
  const page = await ctx.newPage();
  if (who !== 'guest') {
    await page.goto(base + '/login');
    await page.fill('input[name=email]', who);
    await page.fill('input[name=password]', 'demo-Shopper-1234');
    await Promise.all([page.waitForLoadState('load'), page.click('form.form button[type=submit]')]);
  }
  for (const p of paths) {
    const [path, sel] = p.split('@');
    await page.goto(base + path);
    if (sel) await page.locator(sel).first().scrollIntoViewIfNeeded();
    const name = `/tmp/shots/${vp.tag}-${path.replace(/[^a-z0-9]+/gi, '_')}${sel ? '-' + sel.replace(/[^a-z0-9]+/gi, '_') : ''}.png`;
    if (sel) await page.locator(sel).first().screenshot({ path: name }); else await page.screenshot({ path: name, fullPage: false });
    console.log(name);
  }
  await ctx.close();
}
await b.close();
