// Browser checks of the account pages in headless Chromium: a shopper signs up with the real form,
// opens the mailed link, confirms, logs in, sees /me, edits the profile and logs out (in Korean on
// a desktop, in English on a phone); a form with three invalid fields; the 404 page's language
// links for hostile paths; the seller login, console and account pages. Every page is
// screenshotted at both sizes (390x844 and 1440x900) and checked for sideways scrolling there.
// Ground truth comes from SQL written here (the user's row, the grade, the coupons), never from
// the code that draws the pages.
// Run: node tests/browser/accounts.test.mjs
// Env: LONUA_BASE_URL, LONUA_SCREENSHOT_DIR, CHROMIUM_PATH (see browser.mjs); LONUA_RUN_DIR (the
// mails land in $LONUA_RUN_DIR/mail as .eml files); LONUA_DB_ROOT_SOCKET (MariaDB as root over its
// unix socket: the checks and the clean-up of the users made here, all named browser-acct-…).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, withPage, screenshot, checkLayout, checkHangulRendered, closeBrowser } from './browser.mjs';

const RUN_DIR = process.env.LONUA_RUN_DIR;
const SOCKET = process.env.LONUA_DB_ROOT_SOCKET;
if (!RUN_DIR || !SOCKET) {
  console.log('Bail out! LONUA_RUN_DIR (the mail folder\'s parent) and LONUA_DB_ROOT_SOCKET must be set');
  process.exit(1);
}
const MAIL_DIR = join(RUN_DIR, 'mail');

const locale = (l) => JSON.parse(readFileSync(new URL(`../../locales/${l}.json`, import.meta.url), 'utf8'));
const MSG = { ko: locale('ko'), en: locale('en') };

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const SIZES = [PHONE, DESKTOP];
const ORIGIN = new URL(BASE).origin;

// Everything this suite creates is named with this prefix (and cleaned up by it).
const PREFIX = 'browser-acct-';
const STAMP = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = `Lonua-${STAMP}-9!`;
const SELLER_PASSWORD = 'demo-Seller-1234'; // src/seed/seed.c

// ---- database ---------------------------------------------------------------------------------

function sql(script) {
  return execFileSync('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', 'lonua', '-e', script], { encoding: 'utf8' }).replace(/\n$/, '');
}
const q = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const row = (script) => { const out = sql(script); return out === '' ? null : out.split('\n')[0].split('\t'); };

function cleanUp() {
  sql(`DELETE c FROM coupons c JOIN users u ON u.id = c.user_id WHERE u.email LIKE '${PREFIX}%';
       DELETE FROM users WHERE email LIKE '${PREFIX}%';`);
}

const digits4 = () => String(Math.floor(Math.random() * 10000)).padStart(4, '0');
const randomPhone = () => `010-${digits4()}-${digits4()}`;
const digitsOf = (phone) => phone.replace(/\D/g, ''); // phones are stored as digits only

// ---- mail -------------------------------------------------------------------------------------

const mailFiles = () => (existsSync(MAIL_DIR) ? readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml')) : []);

// An .eml as `lonua jobs` writes it: RFC 5322 headers, a UTF-8 body in base64, the subject in
// RFC 2047 encoded words.
function parseMail(raw) {
  const cut = raw.indexOf('\r\n\r\n');
  assert.ok(cut > 0, 'the mail has headers and a body');
  const headers = {};
  for (const line of raw.slice(0, cut).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  assert.match(headers['content-transfer-encoding'] || '', /^base64$/i, 'body in base64');
  const subject = (headers.subject || '').replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?b\?([^?]*)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  const body = Buffer.from(raw.slice(cut + 4).replace(/\s+/g, ''), 'base64').toString('utf8');
  return { to: headers.to || '', subject, body };
}

// Waits (up to 20 s: `lonua jobs` polls the outbox) for a new mail to `to` (not one of the files
// in `before`) and returns it with the link to `path` it carries, moved to this site's origin.
async function waitForMail(to, path, before) {
  const deadline = Date.now() + 20000;
  for (;;) {
    for (const f of mailFiles().filter((x) => !before.has(x)).sort()) {
      const mail = parseMail(readFileSync(join(MAIL_DIR, f), 'utf8'));
      if (!mail.to.includes(to)) continue;
      const m = mail.body.match(new RegExp(`https?://[^\\s<>"]+${path.replace(/[/?]/g, '\\$&')}\\?token=[A-Za-z0-9_-]+`));
      assert.ok(m, `the mail to ${to} has a ${path} link: ${JSON.stringify(mail.body)}`);
      const link = new URL(m[0]);
      const base = new URL(BASE);
      link.protocol = base.protocol;
      link.host = base.host;
      return { ...mail, link: link.href };
    }
    if (Date.now() > deadline) assert.fail(`no mail to ${to} in ${MAIL_DIR} within 20 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- pages ------------------------------------------------------------------------------------

async function open(page, path, status = 200) {
  const res = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.equal(res.status(), status, `GET ${path}`);
  return res;
}

// Clicks what submits a form or follows a link, and waits for the page it leads to.
async function go(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return res;
}

const pathOf = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

// The layout's checks (header, footer, stylesheet, images, no sideways scrolling) and a full-page
// screenshot at both sizes, the page's own size last so the test goes on as it was. Korean pages
// also check that their heading's Hangul is drawn with a real font.
async function shootBoth(page, name, lang) {
  const own = page.viewportSize();
  for (const vp of [...SIZES.filter((s) => s.width !== own.width), own]) {
    await page.setViewportSize(vp);
    await checkLayout(page, lang);
    if (lang === 'ko') await checkHangulRendered(page, ['main h1']);
    await screenshot(page, `accounts-${name}-${lang}-${vp.width}x${vp.height}.png`);
  }
}

// English pages: no Hangul anywhere outside an element marked lang="ko" (the language switch).
async function checkAllEnglish(page) {
  const korean = await page.evaluate(() => {
    const found = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (/[\uAC00-\uD7A3\u3131-\u318E]/.test(n.data) && n.parentElement.closest('[lang]').lang !== 'ko') {
        found.push(n.data.trim());
      }
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], input[type=submit]')) {
      const t = `${el.getAttribute('placeholder') || ''} ${el.getAttribute('aria-label') || ''} ${el.value || ''}`;
      if (/[\uAC00-\uD7A3]/.test(t) && el.closest('[lang]').lang !== 'ko') found.push(t.trim());
    }
    return found;
  });
  assert.deepEqual(korean, [], `English page ${page.url()} shows no Korean`);
}

// The header: signed in (the name links to /me, a logout button in a POST form with the CSRF
// token) or signed out (the login and sign-up links).
async function header(page) {
  return page.evaluate(() => {
    const nav = document.querySelector('header .account-links');
    const logout = nav.querySelector('form[action="/logout"]');
    return {
      name: nav.querySelector('a[href="/me"] .account-links__name')?.textContent.trim() ?? null,
      seller: !!nav.querySelector('a[href="/seller"]'),
      logout: logout ? {
        method: logout.getAttribute('method'),
        csrf: logout.querySelector('input[name="csrf_token"]')?.value ?? '',
        button: !!logout.querySelector('button[type="submit"]'),
      } : null,
      login: !!nav.querySelector('a[href="/login"]'),
      signup: !!nav.querySelector('a[href="/signup"]'),
      cartCount: nav.querySelector('.account-links__count')?.textContent.trim() ?? null,
    };
  });
}

// The visible text of the first element matching sel, whitespace folded.
const text = async (page, sel) => (await page.locator(sel).first().innerText()).replace(/\s+/g, ' ').trim();

// The one notice or form message of the page.
async function noticeText(page, kind) {
  const n = page.locator(`main .notice--${kind}`);
  assert.equal(await n.count(), 1, `one ${kind} notice on ${page.url()}`);
  assert.ok(await n.isVisible(), `the ${kind} notice is visible`);
  return (await n.innerText()).trim();
}

// The problems recorded, but for the favicon's request cancelled by going on to the next page
// before Chromium fetched it (a missing favicon is still an HTTP 404), and for the answers
// expected of this test (the document at path answering status).
const unexpected = (problems, path = null, status = 0) => problems.filter((p) =>
  !/^requestfailed: \S+\/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED$/.test(p)
  && !(path && p.includes(`${ORIGIN}${path}`) && p.includes(` ${status}`)));

// ---- the shopper's whole way: sign up → mail → confirm → log in → /me → profile → log out -------

const PEOPLE = {
  ko: {
    name: '김하늘', birth: '1996-05-14', gender: 'W', postal: '04794', address: '서울특별시 성동구 성수이로 113',
    detail: '3층 301호', upper: '2', lower: '1', height: '165', weight: '52',
    edit: { postal: '06035', address: '서울특별시 강남구 가로수길 5', upper: '1', lower: '3', height: '167' },
  },
  en: {
    name: 'Robin Park', birth: '1990-11-02', gender: 'M', postal: '04790', address: '12 Seongsui-ro, Seongdong-gu, Seoul',
    detail: 'Flat 301', upper: '3', lower: '2', height: '178', weight: '74',
    edit: { postal: '03900', address: '7 World Cup-ro, Mapo-gu, Seoul', upper: '2', lower: '1', height: '181' },
  },
};

// Fills the sign-up form through its labels (a field without its label cannot be filled), returns
// the chosen style { value, label }.
async function fillSignup(page, T, who) {
  const field = (label) => page.getByLabel(label, { exact: true });
  await field(T.account.email).fill(who.email);
  await field(T.account.password).fill(PASSWORD);
  await field(T.account.password_confirm).fill(PASSWORD);
  await field(T.account.name).fill(who.name);
  await field(T.account.birth_date).fill(who.birth);
  await page.getByRole('group', { name: T.account.gender_label }).getByRole('radio', { name: T.account.gender[who.gender], exact: true }).check();
  await field(T.account.phone).fill(who.phone);
  await field(T.account.postal_code).fill(who.postal);
  await field(T.account.address).fill(who.address);
  await page.getByLabel(`${T.account.address_detail} ${T.form.optional}`, { exact: true }).fill(who.detail);
  const style = field(T.account.preferred_style);
  const options = await style.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })).filter((o) => o.value));
  assert.ok(options.length >= 2, 'the style list has choices');
  const chosen = options[1];
  await style.selectOption(chosen.value);
  await page.getByRole('group', { name: T.account.upper_body_type }).getByRole('radio', { name: T.account.body_type[who.upper], exact: true }).check();
  await page.getByRole('group', { name: T.account.lower_body_type }).getByRole('radio', { name: T.account.body_type[who.lower], exact: true }).check();
  await page.getByLabel(`${T.account.height_cm} ${T.form.optional}`, { exact: true }).fill(who.height);
  await page.getByLabel(`${T.account.weight_kg} ${T.form.optional}`, { exact: true }).fill(who.weight);
  await page.getByRole('checkbox', { name: T.signup.agree_terms, exact: true }).check();
  await page.getByRole('checkbox', { name: T.signup.agree_privacy, exact: true }).check();
  return { options, chosen };
}

async function shopperJourney(lang, viewport) {
  const T = MSG[lang];
  const who = { ...PEOPLE[lang], email: `${PREFIX}${lang}-${STAMP}@example.com`, phone: randomPhone() };
  const size = `${viewport.width}x${viewport.height}`;
  await withPage(viewport, async ({ page, problems }) => {
    // Sign-up, reached from the header's link; the English one through the language switch.
    await open(page, '/');
    await go(page, page.locator('header a[href="/signup"]'));
    assert.equal(pathOf(page), '/signup', 'the header links to /signup');
    if (lang === 'en') {
      await go(page, page.locator('.lang-switch a[hreflang="en"]'));
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the language link turns the page English');
      assert.equal(new URL(page.url()).pathname, '/signup', 'and stays on /signup');
    }
    assert.equal(await text(page, 'main h1'), T.signup.title);
    const { options, chosen } = await fillSignup(page, T, who);
    if (lang === 'en') {
      await checkAllEnglish(page);
      const styleNames = sql('SELECT name_en FROM styles').split('\n');
      for (const o of options) assert.ok(styleNames.includes(o.label), `style "${o.label}" is an English name`);
    }
    await shootBoth(page, 'signup', lang);

    const before = new Set(mailFiles());
    await go(page, page.getByRole('button', { name: T.signup.submit, exact: true }));
    assert.equal(pathOf(page), '/signup/done', 'sign-up goes on to /signup/done');
    assert.equal(await text(page, 'main h1'), T.signup_done.title);
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'signup-done', lang);

    const user = row(`SELECT id, status, name, phone, gender, birth_date, postal_code, address, address_detail,
      preferred_style_id, upper_body_type, lower_body_type, height_cm, weight_kg
      FROM users WHERE email = ${q(who.email)}`);
    assert.ok(user, 'the user row exists');
    const [id, status, ...stored] = user;
    assert.equal(status, 'pending', 'pending until the mail is confirmed');
    assert.deepEqual(stored, [who.name, digitsOf(who.phone), who.gender, who.birth, who.postal, who.address, who.detail,
      chosen.value, who.upper, who.lower, who.height, who.weight], 'every field stored as typed');

    // Before the link is opened the account can log in, and /me says what is missing.
    if (lang === 'ko') {
      await go(page, page.locator('main').getByRole('link', { name: T.nav.login, exact: true }));
      await page.getByLabel(T.account.email, { exact: true }).fill(who.email);
      await page.getByLabel(T.account.password, { exact: true }).fill(PASSWORD);
      await go(page, page.locator('main').getByRole('button', { name: T.login.submit, exact: true }));
      await open(page, '/me');
      assert.ok((await noticeText(page, 'warning')).includes(T.me.pending), '/me: the e-mail is not confirmed yet');
      assert.equal(await page.locator('main .notice--warning form[action="/verify/resend"] button').count(), 1, 'with a resend button');
      await shootBoth(page, 'me-pending', lang);
      await go(page, page.locator('header').getByRole('button', { name: T.nav.logout, exact: true }));
    }

    // The mail and its link; the page it opens only asks (a GET never spends the link).
    const mail = await waitForMail(who.email, '/verify', before);
    assert.equal(mail.subject, T.mail.verify_subject, 'the verification mail\'s subject (in the page\'s language)');
    assert.ok(mail.body.includes(who.name), 'the mail greets the shopper by name');
    await open(page, new URL(mail.link).pathname + new URL(mail.link).search);
    assert.equal(await text(page, 'main h1'), T.verify.title);
    assert.equal(row(`SELECT status FROM users WHERE id = ${id}`)[0], 'pending', 'opening the link changes nothing');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'verify', lang);
    await go(page, page.getByRole('button', { name: T.verify.submit, exact: true }));
    assert.equal(pathOf(page), '/login?verified=1', 'confirming leads to the login page');
    assert.ok((await noticeText(page, 'success')).includes(T.login.verified), 'with the "verified" notice');
    assert.equal(row(`SELECT status FROM users WHERE id = ${id}`)[0], 'active', 'the account is active');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'login-verified', lang);

    // Log in; the header shows the name (a link to /me) and a logout form.
    await page.getByLabel(T.account.email, { exact: true }).fill(who.email);
    await page.getByLabel(T.account.password, { exact: true }).fill(PASSWORD);
    await go(page, page.locator('main form[action="/login"]').getByRole('button', { name: T.login.submit, exact: true }));
    assert.equal(pathOf(page), '/', 'login goes home');
    let h = await header(page);
    assert.equal(h.name, who.name, 'the header shows the name');
    assert.ok(h.logout && h.logout.method.toLowerCase() === 'post' && h.logout.button, 'a logout button in a POST form');
    assert.match(h.logout.csrf, /^[A-Za-z0-9_-]{43}$/, 'the logout form carries the CSRF token');
    assert.ok(!h.login && !h.signup, 'no login or sign-up link when signed in');

    // A cart of two lines (made here in SQL): the header counts them.
    const variants = sql('SELECT id FROM product_variants ORDER BY id LIMIT 2').split('\n');
    sql(`INSERT INTO carts (user_id) VALUES (${id});
         SET @cart = LAST_INSERT_ID();
         INSERT INTO cart_lines (cart_id, variant_id, quantity)
           SELECT @cart, v.id, 1 FROM product_variants v WHERE v.id IN (${variants.join(',')});`);
    await page.reload({ waitUntil: 'load' });
    h = await header(page);
    assert.equal(h.cartCount, String(variants.length), 'the cart count badge');
    const badge = await page.locator('header .account-links__count').evaluate((b) => {
      const r = b.getBoundingClientRect(), cs = getComputedStyle(b);
      return { w: r.width, h: r.height, bg: cs.backgroundColor, color: cs.color };
    });
    assert.ok(badge.w >= 16 && badge.h >= 16 && badge.bg !== 'rgba(0, 0, 0, 0)' && badge.bg !== badge.color,
      `the count is drawn as a badge: ${JSON.stringify(badge)}`);
    await shootBoth(page, 'home-signed-in', lang);

    // /me: the name, the grade and the two welcome coupons (as SQL counts them).
    await go(page, page.locator('header a[href="/me"]'));
    assert.equal(pathOf(page), '/me');
    assert.equal(await text(page, 'main h1'), who.name, '/me is headed with the name');
    const [grade] = row(`SELECT g.name_${lang} FROM users u JOIN grades g ON g.id = u.grade_id WHERE u.id = ${id}`);
    const [coupons] = row(`SELECT COUNT(*) FROM coupons WHERE user_id = ${id} AND state = 'available'`);
    assert.equal(coupons, '2', 'two welcome coupons in the database');
    const stats = await page.locator('main .me__stat').evaluateAll((ds) => Object.fromEntries(ds.map((d) => [
      d.querySelector('dt').textContent.trim(), d.querySelector('dd').textContent.trim()])));
    assert.equal(stats[T.me.grade], grade, 'the grade');
    assert.equal(stats[T.me.coupons], '2', 'the coupons');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'me', lang);

    // The profile: the password again (the login's counts for 15 minutes: made older here), then
    // the form, prefilled; change it and see it saved.
    sql(`UPDATE sessions SET reauthenticated_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE user_id = ${id}`);
    await go(page, page.getByRole('link', { name: T.me.profile, exact: true }));
    assert.equal(pathOf(page), '/me/profile');
    assert.equal(await text(page, 'main h1'), T.profile.title);
    assert.equal(await page.locator('main form[action="/me/profile"]').count(), 0, 'no profile form before the password');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'profile-reauth', lang);
    await page.getByLabel(T.account.password, { exact: true }).fill(PASSWORD);
    await go(page, page.getByRole('button', { name: T.profile.reauth_submit, exact: true }));
    assert.equal(pathOf(page), '/me/profile');
    const fixed = await page.locator('main .profile__fixed dd').allInnerTexts();
    assert.deepEqual(fixed.map((s) => s.trim()), [who.email, who.name, who.birth], 'e-mail, name and birth date shown');
    const field = (label) => page.getByLabel(label, { exact: true });
    assert.equal(digitsOf(await field(T.account.phone).inputValue()), digitsOf(who.phone), 'the phone prefilled');
    assert.equal(await field(T.account.address).inputValue(), who.address, 'the address prefilled');
    const edit = { ...who.edit, phone: randomPhone(), style: options[options.length - 1] };
    await field(T.account.phone).fill(edit.phone);
    await field(T.account.postal_code).fill(edit.postal);
    await field(T.account.address).fill(edit.address);
    await field(T.account.preferred_style).selectOption(edit.style.value);
    await page.getByRole('group', { name: T.account.upper_body_type }).getByRole('radio', { name: T.account.body_type[edit.upper], exact: true }).check();
    await page.getByRole('group', { name: T.account.lower_body_type }).getByRole('radio', { name: T.account.body_type[edit.lower], exact: true }).check();
    await page.getByLabel(`${T.account.height_cm} ${T.form.optional}`, { exact: true }).fill(edit.height);
    await go(page, page.getByRole('button', { name: T.profile.save, exact: true }));
    assert.equal(pathOf(page), '/me/profile?saved=1', 'saved, the profile again');
    assert.ok((await noticeText(page, 'success')).includes(T.profile.saved), 'with the "saved" notice');
    assert.equal(digitsOf(await field(T.account.phone).inputValue()), digitsOf(edit.phone), 'the new phone shown');
    assert.equal(await field(T.account.address).inputValue(), edit.address, 'the new address shown');
    assert.equal(await field(T.account.preferred_style).inputValue(), edit.style.value, 'the new style shown');
    assert.equal(await page.locator('input[name="upper_body_type"]:checked').inputValue(), edit.upper, 'the new upper body type');
    assert.equal(await page.locator('input[name="lower_body_type"]:checked').inputValue(), edit.lower, 'the new lower body type');
    assert.deepEqual(row(`SELECT phone, postal_code, address, preferred_style_id, upper_body_type, lower_body_type,
      height_cm, weight_kg FROM users WHERE id = ${id}`),
    [digitsOf(edit.phone), edit.postal, edit.address, edit.style.value, edit.upper, edit.lower, edit.height, who.weight],
    'the database has the new profile (the weight untouched)');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'profile', lang);

    // The withdrawal page (only looked at).
    await open(page, '/me');
    await go(page, page.getByRole('link', { name: T.me.withdraw, exact: true }));
    assert.equal(pathOf(page), '/me/withdraw');
    assert.equal(await text(page, 'main h1'), T.withdraw.title);
    const danger = await page.getByRole('button', { name: T.withdraw.submit, exact: true })
      .evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(danger, 'rgb(196, 34, 31)', 'the withdrawal button is the red one');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'withdraw', lang);

    // Log out: the header's button; the header shows the login link again and /me needs a login.
    await go(page, page.locator('header').getByRole('button', { name: T.nav.logout, exact: true }));
    assert.equal(pathOf(page), '/', 'logout goes home');
    h = await header(page);
    assert.ok(h.login && h.signup && !h.logout && h.name === null, `signed out in the header: ${JSON.stringify(h)}`);
    assert.equal(row(`SELECT COUNT(*) FROM sessions WHERE user_id = ${id}`)[0], '0', 'the session is gone');
    await open(page, '/me');
    assert.equal(pathOf(page), '/login?next=%2Fme', '/me sends a guest to the login page');

    // A forgotten password: the link by mail opens the form for a new one.
    await go(page, page.getByRole('link', { name: T.login.forgot, exact: true }));
    assert.equal(pathOf(page), '/password/forgot');
    await page.getByLabel(T.account.email, { exact: true }).fill(who.email);
    const beforeReset = new Set(mailFiles());
    await go(page, page.getByRole('button', { name: T.password.send_link, exact: true }));
    assert.equal(pathOf(page), '/password/forgot?sent=1');
    assert.ok((await noticeText(page, 'success')).includes(T.password.sent), 'the "sent" notice');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'password-forgot', lang);
    const reset = await waitForMail(who.email, '/password/reset', beforeReset);
    await open(page, new URL(reset.link).pathname + new URL(reset.link).search);
    assert.equal(await text(page, 'main h1'), T.password.reset_title);
    assert.equal(await page.getByLabel(T.password.new, { exact: true }).count(), 1, 'the new password field');
    if (lang === 'en') await checkAllEnglish(page);
    await shootBoth(page, 'password-reset', lang);

    await page.waitForLoadState('networkidle');
    assert.deepEqual(unexpected(problems), [], 'no console errors, failed requests or dialogs');
  });
  return size;
}

test('Korean shopper at 1440x900: sign up, mailed link, confirm, log in, /me, profile, log out', async () => {
  await shopperJourney('ko', DESKTOP);
});

test('English shopper on a phone (390x844): the same way, every label English, no sideways scroll', async () => {
  await shopperJourney('en', PHONE);
});

// ---- a form with three invalid fields ---------------------------------------------------------

// The messages under the fields of the page: which input each belongs to, and how it is tied to
// it and drawn.
async function fieldErrors(page) {
  return page.evaluate(() => [...document.querySelectorAll('main .field__error')].map((p) => {
    const field = p.closest('.field');
    const input = field?.querySelector('input, select');
    const ir = input?.getBoundingClientRect(), pr = p.getBoundingClientRect();
    return {
      input: input?.id, text: p.textContent.trim(), id: p.id,
      describedBy: (input?.getAttribute('aria-describedby') || '').split(/\s+/),
      invalid: input?.getAttribute('aria-invalid'), fieldInvalid: !!field?.classList.contains('field--invalid'),
      gap: pr.top - ir?.bottom, left: pr.left - ir?.left, visible: pr.height > 0,
      color: getComputedStyle(p).color, border: input && getComputedStyle(input).borderTopColor,
    };
  }));
}

function checkFieldErrors(errors, expected) {
  assert.deepEqual(errors.map((e) => [e.input, e.text]), expected, 'one message for each invalid field, in the order of the form');
  for (const e of errors) {
    assert.ok(e.visible && e.describedBy.includes(e.id), `${e.input}: message shown and tied by aria-describedby`);
    assert.equal(e.invalid, 'true', `${e.input}: aria-invalid`);
    assert.ok(e.fieldInvalid, `${e.input}: the field is marked invalid`);
    // Right under its field: below the input (after its hint at most), aligned with it.
    assert.ok(e.gap >= 0 && e.gap < 64 && Math.abs(e.left) < 2, `${e.input}: message next to its field (${e.gap}px below, ${e.left}px across)`);
    assert.equal(e.color, 'rgb(196, 34, 31)', `${e.input}: message in red`);
    assert.equal(e.border, 'rgb(196, 34, 31)', `${e.input}: red border`);
  }
}

test('sign-up with a bad e-mail, a weak password and a bad phone: three messages by their fields, values kept', async () => {
  const T = MSG.ko;
  const who = { ...PEOPLE.ko, email: `${PREFIX}not-an-email`, phone: '02-12' };
  const weak = 'onlysmallletters'; // no capital, digit or symbol
  await withPage(PHONE, async ({ page, problems }) => {
    await open(page, '/signup');
    const { chosen } = await fillSignup(page, T, who);
    await page.getByLabel(T.account.password, { exact: true }).fill(weak);
    await page.getByLabel(T.account.password_confirm, { exact: true }).fill(weak);
    const res = await go(page, page.getByRole('button', { name: T.signup.submit, exact: true }));
    assert.equal(res.status(), 422, 'the form is drawn again with 422');
    assert.equal(pathOf(page), '/signup');
    assert.equal(await text(page, 'main .form-message--error'), T.form.fix_fields, 'the form\'s message');
    checkFieldErrors(await fieldErrors(page), [
      ['signup-email', T.validation.invalid_email],
      ['signup-password', T.validation.weak_password],
      ['signup-phone', T.validation.invalid_phone],
    ]);

    // The cursor is in the first field to fix, with a visible focus ring.
    const focus = await page.evaluate(() => {
      const a = document.activeElement, cs = getComputedStyle(a);
      return { id: a.id, outline: `${cs.outlineStyle} ${cs.outlineWidth}` };
    });
    assert.equal(focus.id, 'signup-email', 'focus on the first invalid field');
    assert.equal(focus.outline, 'solid 2px', 'a 2px focus ring');

    // What was typed is kept, except the passwords.
    const field = (label) => page.getByLabel(label, { exact: true });
    assert.equal(await field(T.account.email).inputValue(), who.email, 'the e-mail kept as typed');
    assert.equal(await field(T.account.phone).inputValue(), who.phone, 'the phone kept as typed');
    assert.equal(await field(T.account.name).inputValue(), who.name, 'the name kept');
    assert.equal(await field(T.account.birth_date).inputValue(), who.birth, 'the birth date kept');
    assert.equal(await field(T.account.postal_code).inputValue(), who.postal, 'the postal code kept');
    assert.equal(await field(T.account.address).inputValue(), who.address, 'the address kept');
    assert.equal(await field(T.account.preferred_style).inputValue(), chosen.value, 'the style kept');
    assert.equal(await page.locator('input[name="gender"]:checked').inputValue(), who.gender, 'the gender kept');
    assert.equal(await page.locator('input[name="upper_body_type"]:checked').inputValue(), who.upper, 'the upper body type kept');
    assert.equal(await page.locator('input[name="lower_body_type"]:checked').inputValue(), who.lower, 'the lower body type kept');
    assert.equal(await page.locator('input[name="height_cm"]').inputValue(), who.height, 'the height kept');
    assert.equal(await page.locator('input[name="weight_kg"]').inputValue(), who.weight, 'the weight kept');
    assert.ok(await page.getByRole('checkbox', { name: T.signup.agree_terms }).isChecked(), 'the consents kept');
    assert.equal(await field(T.account.password).inputValue(), '', 'the password is not sent back');
    assert.equal(await field(T.account.password_confirm).inputValue(), '', 'nor its confirmation');
    assert.ok(!(await page.content()).includes(weak), 'no password anywhere in the page');
    await shootBoth(page, 'signup-invalid', 'ko');

    // Fixed, but the confirmation differs: its own message (the server checks it once the rest
    // is valid), and the account is not made.
    const email = `${PREFIX}mismatch-${STAMP}@example.com`;
    await field(T.account.email).fill(email);
    await field(T.account.phone).fill(randomPhone());
    await field(T.account.password).fill(PASSWORD);
    await field(T.account.password_confirm).fill(`${PASSWORD}x`);
    const again = await go(page, page.getByRole('button', { name: T.signup.submit, exact: true }));
    assert.equal(again.status(), 422, 'drawn again');
    checkFieldErrors(await fieldErrors(page), [['signup-password-confirm', T.validation.mismatch]]);
    assert.equal(await field(T.account.email).inputValue(), email, 'the e-mail kept');
    assert.equal(row(`SELECT COUNT(*) FROM users WHERE email = ${q(email)}`)[0], '0', 'no account made');

    await page.waitForLoadState('networkidle');
    assert.deepEqual(unexpected(problems, '/signup', 422), [], 'no console errors besides the 422 answers');
  });
});

// ---- the 404 page's language links (issue 7, part 3) -----------------------------------------

// Paths that, copied raw into a link, lead browsers to another host (a backslash or a tab read as
// a slash: "/\evil.example/x" is "//evil.example/x") or put bytes that are not UTF-8 in the page.
const HOSTILE = ['/%5Cevil.example/x', '/%09/evil.example/x', '/%0D%0A/evil.example/x', '/%5C%5Cevil.example/%FF', '/%FF%FE/x'];

for (const path of HOSTILE) {
  test(`404 for ${path}: every link stays on this site, nothing raw in the page`, async () => {
    // The bytes as sent: valid UTF-8, no raw control character or backslash in any attribute.
    const raw = Buffer.from(await (await fetch(BASE + path)).arrayBuffer());
    let html;
    assert.doesNotThrow(() => { html = new TextDecoder('utf-8', { fatal: true }).decode(raw); }, 'the page is valid UTF-8');
    for (const [, attr] of html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)) {
      assert.ok(!/[\\\t\r\n\u0000-\u001f]/.test(attr) && !attr.startsWith('//'), `attribute value ${JSON.stringify(attr)} is safe`);
    }
    await withPage(PHONE, async ({ page, problems }) => {
      const res = await page.goto(BASE + path, { waitUntil: 'load' });
      assert.equal(res.status(), 404, `GET ${path}`);
      const found = await page.evaluate(() => ({
        origin: location.origin,
        urls: [...document.querySelectorAll('a[href], link[href], img[src], script[src], form[action]')]
          .map((e) => e.href || e.src || e.action),
        lang: [...document.querySelectorAll('.lang-switch a')].map((a) => a.href),
        text: document.body.innerText,
      }));
      assert.equal(found.lang.length, 2, 'two language links');
      for (const u of found.urls) {
        assert.equal(new URL(u).origin, found.origin, `${u} stays on ${found.origin}`);
      }
      for (const u of found.lang) {
        const url = new URL(u);
        assert.ok([path, '/'].includes(url.pathname), `the language link keeps the path encoded or falls back to /: ${u}`);
        assert.match(url.search, /^\?lang=(ko|en)$/);
      }
      assert.ok(!found.text.includes('\uFFFD'), 'no broken characters in the page');
      assert.ok(!found.text.includes('evil.example'), 'the path is not printed');
      if (path === HOSTILE[0]) await shootBoth(page, 'error-404-hostile', 'ko');
      assert.deepEqual(unexpected(problems, path, 404), [], 'no other errors');
    });
  });
}

// ---- the seller: login, console, account ------------------------------------------------------

test('seller: login with a seed seller, the console shows the brand, the account pages', async () => {
  const T = MSG.ko;
  // A seed seller still active, on an active brand, whose password is still the seed's (the
  // hash most seed sellers share).
  const seller = row(`SELECT s.email, s.name, b.name, b.id FROM sellers s JOIN brands b ON b.id = s.brand_id
    WHERE s.email REGEXP '^seller[0-9]+@example\\\\.com$' AND s.status = 'active' AND b.status = 'active'
      AND s.password_hash = (SELECT password_hash FROM sellers WHERE email REGEXP '^seller[0-9]+@example\\\\.com$'
        GROUP BY password_hash ORDER BY COUNT(*) DESC LIMIT 1)
    ORDER BY s.id LIMIT 1`);
  assert.ok(seller, 'a seed seller (run lonua seed)');
  const [email, name, brand, brandId] = seller;
  await withPage(DESKTOP, async ({ page, problems }) => {
    await open(page, '/seller/signup');
    assert.equal(await text(page, 'main h1'), T.seller.signup_title);
    assert.equal(await page.getByLabel(T.seller.brand_key, { exact: true }).count(), 1, 'the brand key field');
    await shootBoth(page, 'seller-signup', 'ko');

    await open(page, '/seller/account');
    assert.equal(pathOf(page), '/seller/login?next=%2Fseller%2Faccount', 'a guest is sent to the seller login');
    await open(page, '/seller/login');
    assert.equal(await text(page, 'main h1'), T.seller.login_title);
    await shootBoth(page, 'seller-login', 'ko');
    // A wrong password: the form again with its message, the e-mail kept, the password not.
    await page.getByLabel(T.account.email, { exact: true }).fill(email);
    await page.getByLabel(T.account.password, { exact: true }).fill(`${SELLER_PASSWORD}-wrong`);
    const failed = await go(page, page.locator('main').getByRole('button', { name: T.login.submit, exact: true }));
    assert.equal(failed.status(), 401, 'a wrong password answers 401');
    assert.equal(await text(page, 'main .form-message--error'), T.login.failed, 'the form\'s message');
    assert.equal(await page.getByLabel(T.account.email, { exact: true }).inputValue(), email, 'the e-mail kept');
    assert.equal(await page.getByLabel(T.account.password, { exact: true }).inputValue(), '', 'the password not');
    await shootBoth(page, 'seller-login-failed', 'ko');
    await page.getByLabel(T.account.password, { exact: true }).fill(SELLER_PASSWORD);
    await go(page, page.locator('main').getByRole('button', { name: T.login.submit, exact: true }));
    assert.equal(pathOf(page), '/seller', 'the seller console');
    assert.equal(await text(page, 'main h1'), brand, 'headed with the brand\'s name');
    const who = await text(page, 'main .me__text');
    assert.ok(who.includes(name) && who.includes(email), `signed in as the seller: ${who}`);
    assert.equal(await page.locator(`main a[href="/brands/${brandId}"]`).count(), 1, 'a link to the brand page');
    const h = await header(page);
    assert.ok(h.seller && h.logout && h.name === null && !h.login, `the header of a seller: ${JSON.stringify(h)}`);
    await shootBoth(page, 'seller-home', 'ko');

    await go(page, page.locator('main').getByRole('link', { name: T.seller.account_title, exact: true }));
    assert.equal(pathOf(page), '/seller/account');
    assert.equal(await text(page, 'main h1'), T.seller.account_title);
    const lead = await text(page, 'main .auth__lead');
    assert.ok(lead.includes(name) && lead.includes(email) && lead.includes(brand), `the account's facts: ${lead}`);
    assert.equal(await page.getByLabel(T.password.current, { exact: true }).count(), 1, 'the current password field');
    await shootBoth(page, 'seller-account', 'ko');
    await go(page, page.getByRole('link', { name: T.seller.delete_heading, exact: true }));
    assert.equal(pathOf(page), '/seller/account/delete');
    assert.equal(await text(page, 'main h1'), T.seller.delete_heading);
    await shootBoth(page, 'seller-delete', 'ko');

    await go(page, page.locator('header').getByRole('button', { name: T.nav.logout, exact: true }));
    assert.ok((await header(page)).login, 'logged out');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(unexpected(problems, '/seller/login', 401), [], 'no console errors, failed requests or dialogs');
  });
});

try {
  cleanUp(); // what an interrupted earlier run left
  await run();
} finally {
  await closeBrowser();
  try { cleanUp(); } catch (err) { console.log(`# clean-up failed: ${err.message}`); }
}
