// The admin console's pages for what its API already does (issue 10 item 2; SPEC §4 admin console):
// members searched, one member viewed with the numbers of their orders and reviews, withdrawn and
// erased through the page's forms, through the same handlers as the API
// (src/handlers/admin/console.c). Pages answer a guest with the login and a shopper with 403; a
// refused form (erase before withdrawal) is a 4xx that changes nothing.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   node tests/integration/admin-pages.test.mjs
import { test, run, assert } from '../lib/tap.mjs';
import { describe } from './http.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { png } from './images.mjs';
import { SOCKET, RUN_DIR, bailUnlessSet, sql, rows, val, num, one, sha256, Client, pageLogin, throttleKeys } from './client.mjs';
import { made, makeBrand, makeShopper, makePendingShopper, makeAdmin, cleanup, newEmail, SHOPPER_PASSWORD } from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

let admin, page, member, shopper;
const keysShown = [];
const brandFields = (name) => ({ name, business_address: '서울특별시 성동구 1', phone: '02-1234-5678',
  business_registration_number: '2208162517', bank_name: '국민은행', bank_account_number: '123-456-789',
  bank_account_holder: '주식회사 테스트', return_address: '경기도 반품센터', return_courier: 'CJ대한통운',
  shipping_fee: '3500', free_shipping_threshold: '60000', return_shipping_cost: '7000', introduction: '페이지 브랜드' });
const fieldParts = (o) => Object.entries(o).map(([name, value]) => ({ name, value: String(value) }));
const keyOf = (res) => (res.text.match(/<code data-brand-key>([^<]*)<\/code>/) || [])[1];

async function signUpSeller(brandId, key) {
  const c = new Client();
  throttleKeys('brand-key', String(brandId), c.ip);
  return c.api('POST', '/api/v1/sellers', { brand_id: brandId, brand_key: key, email: newEmail('seller'),
    password: SHOPPER_PASSWORD, name: '키 셀러', agree_terms: true });
}
const ABSENT = 999999999;

test('setup: an admin signed in on the pages, two shoppers', async () => {
  admin = await makeAdmin();
  page = await pageLogin(admin);
  member = await makeShopper();
  shopper = await makeShopper();
  member.name = val(`SELECT name FROM users WHERE id = ${member.id}`);
  assert.ok(member.name.length > 0);
});

test('members: a guest is sent to the login, a shopper is refused', async () => {
  const guest = await new Client().get('/admin/members');
  assert.equal(guest.status, 303, describe(guest));
  assert.match(guest.headers.location, /^\/login\?next=/);
  const other = await pageLogin(shopper);
  for (const p of ['/admin/members', `/admin/members/${member.id}`]) {
    const res = await other.get(p);
    assert.equal(res.status, 403, `${p}: ${describe(res)}`);
  }
  const token = await other.csrf('/me');
  const res = await other.post(`/admin/members/${member.id}/withdraw`, { csrf_token: token });
  assert.equal(res.status, 403, describe(res));
  assert.equal(val(`SELECT status FROM users WHERE id = ${member.id}`), 'active');
});

test('members page: searched by e-mail and by name prefix, the menu marks it, the query drawn again', async () => {
  const byEmail = await page.get(`/admin/members?q=${encodeURIComponent(member.email)}`);
  assert.equal(byEmail.status, 200, describe(byEmail));
  assert.match(byEmail.text, /href="\/admin\/members" aria-current="page"/);
  assert.ok(byEmail.text.includes(`href="/admin/members/${member.id}"`), 'the member is listed');
  assert.ok(!byEmail.text.includes(`href="/admin/members/${shopper.id}"`), 'only the one searched');
  assert.ok(byEmail.text.includes(`value="${member.email}"`), 'the search box keeps the query');
  const prefix = member.name;
  const byName = await page.get(`/admin/members?q=${encodeURIComponent(prefix)}&per_page=100`);
  assert.equal(byName.status, 200);
  assert.ok(byName.text.includes(`href="/admin/members/${member.id}"`));
  const none = await page.get('/admin/members?q=nobody-at-all-zz%40');
  assert.match(none.text, /data-count="total">0</);
  const tooLong = await page.get(`/admin/members?q=${'x'.repeat(101)}`);
  assert.ok(tooLong.status >= 400 && tooLong.status < 500, describe(tooLong));
});

test('one member: the numbers of orders and reviews; an unknown or admin id is 404', async () => {
  const res = await page.get(`/admin/members/${member.id}`);
  assert.equal(res.status, 200, describe(res));
  const orders = val(`SELECT COUNT(*) FROM orders WHERE user_id = ${member.id}`);
  const reviews = val(`SELECT COUNT(*) FROM reviews WHERE user_id = ${member.id}`);
  assert.match(res.text, new RegExp(`data-count="orders">${orders}<`));
  assert.match(res.text, new RegExp(`data-count="reviews">${reviews}<`));
  assert.ok(res.text.includes(member.email));
  assert.ok(res.text.includes(`action="/admin/members/${member.id}/withdraw"`));
  assert.ok(!res.text.includes(`action="/admin/members/${member.id}/erase"`), 'no erase before withdrawal');
  assert.equal((await page.get(`/admin/members/${ABSENT}`)).status, 404);
  assert.equal((await page.get(`/admin/members/${admin.id}`)).status, 404);
});

test('erase before withdrawal is refused (409) and changes nothing; withdraw, then erase, through the forms', async () => {
  const token = await page.csrf(`/admin/members/${member.id}`);
  const before = one(`SELECT status, name, email, erased_at FROM users WHERE id = ${member.id}`).join();
  const early = await page.post(`/admin/members/${member.id}/erase`, { csrf_token: token });
  assert.equal(early.status, 409, describe(early));
  assert.equal(one(`SELECT status, name, email, erased_at FROM users WHERE id = ${member.id}`).join(), before);
  const w = await page.post(`/admin/members/${member.id}/withdraw`, { csrf_token: token });
  assert.deepEqual([w.status, w.headers.location], [303, `/admin/members/${member.id}?updated=1`], describe(w));
  assert.equal(val(`SELECT status FROM users WHERE id = ${member.id}`), 'withdrawn');
  const after = await page.get(`/admin/members/${member.id}?updated=1`);
  assert.match(after.text, /role="status"/);
  assert.ok(after.text.includes(`action="/admin/members/${member.id}/erase"`));
  assert.ok(!after.text.includes(member.email), 'the e-mail is gone');
  const e = await page.post(`/admin/members/${member.id}/erase`, { csrf_token: token });
  assert.equal(e.status, 303, describe(e));
  const [name, erased] = one(`SELECT COALESCE(name, ''), erased_at IS NOT NULL FROM users WHERE id = ${member.id}`);
  assert.deepEqual([name, erased], ['', '1']);
  const gone = await page.get(`/admin/members/${member.id}`);
  assert.ok(!gone.text.includes(member.name), 'the name is gone');
  assert.ok(!gone.text.includes(`action="/admin/members/${member.id}/erase"`));
  const absent = await page.post(`/admin/members/${ABSENT}/withdraw`, { csrf_token: token });
  assert.equal(absent.status, 404, describe(absent));
});

test('brands page: every brand by name, active or not, each linking to its page; the menu marks it', async () => {
  const off = makeBrand({ status: 'inactive', name: `AAAA 비활성 ${Date.now()}` });
  const res = await page.get('/admin/brands?per_page=100');
  assert.equal(res.status, 200, describe(res));
  assert.match(res.text, /href="\/admin\/brands" aria-current="page"/);
  assert.ok(res.text.includes(`href="/admin/brands/${off.id}"`), 'an inactive brand is listed');
  assert.match(res.text, new RegExp(`data-count="total">${num('SELECT COUNT(*) FROM brands')}<`));
  assert.ok(res.text.includes('href="/admin/brands/new"'));
  const paged = await page.get('/admin/brands?per_page=2');
  assert.ok(paged.text.includes('href="/admin/brands?per_page=2&amp;page=2"'), 'the page links keep per_page');
  const members = await page.get(`/admin/members?q=${encodeURIComponent(shopper.email.slice(0, 1))}&per_page=1&page=1`);
  if (Number((members.text.match(/data-count="total">(\d+)</) || [])[1]) > 1) {
    const q = encodeURIComponent(shopper.email.slice(0, 1));
    assert.ok(members.text.includes(`href="/admin/members?q=${q}&amp;per_page=1&amp;page=2"`), 'and the query');
  }
});

test('a brand created through the page with a logo: its key shown once on the next page, never again', async () => {
  const form = await page.get('/admin/brands/new');
  assert.equal(form.status, 200, describe(form));
  assert.ok(form.text.includes('enctype="multipart/form-data"'));
  const token = await page.csrf('/admin/brands/new');
  const name = `페이지 브랜드 ${Date.now()}`;
  const res = await page.send('POST', '/admin/brands', { parts: [{ name: 'csrf_token', value: token },
    ...fieldParts(brandFields(name)), { name: 'logo', filename: 'logo.png', contentType: 'image/png', data: png(100, 100) }] });
  assert.equal(res.status, 201, describe(res));
  assert.match(res.headers['cache-control'] || '', /no-store/);
  const key = keyOf(res);
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  keysShown.push(key);
  const id = Number(val(`SELECT id FROM brands WHERE name = '${name}'`));
  made.brands.add(id);
  assert.equal(val(`SELECT HEX(key_hash) FROM brands WHERE id = ${id}`), sha256(Buffer.from(key, 'base64url')));
  assert.match(val(`SELECT logo_image FROM brands WHERE id = ${id}`), /^[0-9a-f]{64}$/);
  for (const p of [`/admin/brands/${id}`, '/admin/brands?per_page=100', '/admin/brands/new']) {
    const again = await page.get(p);
    assert.equal(again.status, 200);
    assert.ok(!again.text.includes(key), `${p} shows the key again`);
  }
  assert.equal((await signUpSeller(id, key)).status, 201, 'the key signs a seller up');
});

test('a brand refused on the page: the form again with the values entered and a message per field; nothing stored', async () => {
  const token = await page.csrf('/admin/brands/new');
  const before = num('SELECT COUNT(*) FROM brands');
  const name = `거절 브랜드 ${Date.now()}`;
  const bad = await page.send('POST', '/admin/brands', { parts: [{ name: 'csrf_token', value: token },
    ...fieldParts({ ...brandFields(name), business_registration_number: '12345' })] });
  assert.equal(bad.status, 422, describe(bad));
  assert.ok(bad.text.includes(`value="${name}"`), 'the name entered is drawn again');
  assert.match(bad.text, /id="brand-business-registration-number-error"/);
  const txt = await page.send('POST', '/admin/brands', { parts: [{ name: 'csrf_token', value: token },
    ...fieldParts(brandFields(name)), { name: 'logo', filename: 'x.png', contentType: 'image/png', data: Buffer.from('no') }] });
  assert.equal(txt.status, 422, describe(txt));
  assert.match(txt.text, /id="brand-logo-error"/);
  assert.equal(num('SELECT COUNT(*) FROM brands'), before);
});

test('a brand edited on its page; the key rotated (shown once, the old one refused); deactivated and reactivated', async () => {
  const b = makeBrand();
  const res = await page.get(`/admin/brands/${b.id}`);
  assert.equal(res.status, 200, describe(res));
  assert.ok(res.text.includes(`value="${b.fee}"`), 'the shipping fee is the form\'s start');
  const token = await page.csrf(`/admin/brands/${b.id}`);
  const fields = { csrf_token: token, shipping_fee: '2500', free_shipping_threshold: '40000', return_shipping_cost: '5000',
    return_courier: '우체국택배', return_address: '부산 반품센터', introduction: '새 소개', notify_webhook_url: 'https://hooks.example.com/T/B/x' };
  const ok = await page.post(`/admin/brands/${b.id}`, fields);
  assert.deepEqual([ok.status, ok.headers.location], [303, `/admin/brands/${b.id}?updated=1`], describe(ok));
  assert.equal(one(`SELECT shipping_fee, free_shipping_threshold, return_shipping_cost, return_courier, introduction,
    notify_webhook_url FROM brands WHERE id = ${b.id}`).join('|'), '2500|40000|5000|우체국택배|새 소개|https://hooks.example.com/T/B/x');
  const shown = await page.get(`/admin/brands/${b.id}?updated=1`);
  assert.ok(!shown.text.includes('hooks.example.com'), 'the webhook URL is never drawn');
  assert.ok(shown.text.includes('name="notify_webhook_clear"'));
  const shop = await new Client().get(`/brands/${b.id}`);
  assert.ok(shop.text.includes('새 소개'), 'the introduction shows in the shop');
  // bad input: the form again, nothing changes
  const before = one(`SELECT shipping_fee, return_courier, notify_webhook_url FROM brands WHERE id = ${b.id}`).join('|');
  for (const [bad, field] of [[{ shipping_fee: '-5' }, 'shipping-fee'], [{ notify_webhook_url: 'ftp://x' }, 'webhook'],
    [{ return_courier: 'x'.repeat(51) }, 'return-courier']]) {
    const r = await page.post(`/admin/brands/${b.id}`, { ...fields, return_courier: '바뀌면 안됨', ...bad });
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${describe(r)}`);
    assert.ok(r.text.includes(`id="brand-${field}-error"`), `${field}: a message by the field`);
  }
  assert.equal(one(`SELECT shipping_fee, return_courier, notify_webhook_url FROM brands WHERE id = ${b.id}`).join('|'), before);
  // the key
  const rot = await page.post(`/admin/brands/${b.id}/key`, { csrf_token: token });
  assert.equal(rot.status, 200, describe(rot));
  const key = keyOf(rot);
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  keysShown.push(key);
  assert.ok(!(await page.get(`/admin/brands/${b.id}`)).text.includes(key), 'not on the next GET');
  assert.equal((await signUpSeller(b.id, b.key)).status, 422, 'the old key is refused');
  assert.equal((await signUpSeller(b.id, key)).status, 201, 'the new key signs a seller up');
  // deactivate, reactivate
  const off = await page.post(`/admin/brands/${b.id}/deactivate`, { csrf_token: token });
  assert.deepEqual([off.status, val(`SELECT status FROM brands WHERE id = ${b.id}`)], [303, 'inactive']);
  assert.match((await page.get(`/admin/brands/${b.id}`)).text, new RegExp(`action="/admin/brands/${b.id}/reactivate"`));
  const on = await page.post(`/admin/brands/${b.id}/reactivate`, { csrf_token: token });
  assert.deepEqual([on.status, val(`SELECT status FROM brands WHERE id = ${b.id}`)], [303, 'active']);
  assert.equal((await page.get('/admin/brands/999999999')).status, 404);
});

const couponNames = [];
const future = () => `${new Date().getUTCFullYear() + 1}-12-31`;

test('coupons page: issued to every active shopper through the form; each has it on /me/coupons, nobody else', async () => {
  const pending = await makePendingShopper();
  const list = await page.get('/admin/coupons');
  assert.equal(list.status, 200, describe(list));
  assert.match(list.text, /href="\/admin\/coupons" aria-current="page"/);
  const token = await page.csrf('/admin/coupons');
  const name = `모두에게 ${Date.now()}`;
  couponNames.push(name);
  const active = num(`SELECT COUNT(*) FROM users WHERE role = 'shopper' AND status = 'active'`);
  const res = await page.post('/admin/coupons', { csrf_token: token, name, to_email: '', discount_percent: '10',
    discount_amount: '', min_line_amount: '20000', category_id: '', valid_from: '', valid_until: future() });
  assert.deepEqual([res.status, res.headers.location], [303, `/admin/coupons?issued=${active}`], describe(res));
  assert.equal(num(`SELECT COUNT(*) FROM coupons WHERE name = '${name}'`), active);
  assert.equal(num(`SELECT COUNT(*) FROM coupons c JOIN users u ON u.id = c.user_id WHERE c.name = '${name}'
    AND (u.role <> 'shopper' OR u.status <> 'active')`), 0, 'only active shoppers');
  assert.equal(num(`SELECT COUNT(DISTINCT user_id) FROM coupons WHERE name = '${name}'`), active, 'one each');
  for (const who of [member, shopper].filter((w) => val(`SELECT status FROM users WHERE id = ${w.id}`) === 'active')) {
    const mine = await (await pageLogin(who)).get('/me/coupons');
    assert.equal(mine.status, 200);
    assert.ok(mine.text.includes(name), `shopper ${who.id} sees it on /me/coupons`);
  }
  assert.equal(num(`SELECT COUNT(*) FROM coupons WHERE name = '${name}' AND user_id = ${pending.id}`), 0);
  const after = await page.get(`/admin/coupons?issued=${active}`);
  assert.match(after.text, new RegExp(`data-count="issued">${active}<`));
});

test('a coupon to one shopper by e-mail, with a category; revoked through its form', async () => {
  const token = await page.csrf('/admin/coupons');
  const name = `한 명에게 ${Date.now()}`;
  couponNames.push(name);
  const category = val('SELECT MIN(id) FROM categories');
  const res = await page.post('/admin/coupons', { csrf_token: token, name, to_email: shopper.email.toUpperCase(),
    discount_amount: '5000', category_id: category, valid_until: future() });
  assert.deepEqual([res.status, res.headers.location], [303, '/admin/coupons?issued=1'], describe(res));
  const [id, user, amount, cat, state] = one(`SELECT id, user_id, discount_amount, category_id, state FROM coupons
    WHERE name = '${name}'`);
  assert.deepEqual([Number(user), amount, cat, state], [shopper.id, '5000', category, 'available']);
  const listed = await page.get(`/admin/coupons?email=${encodeURIComponent(shopper.email)}`);
  assert.ok(listed.text.includes(`data-coupon="${id}"`));
  assert.ok(listed.text.includes(`action="/admin/coupons/${id}/revoke"`));
  const rv = await page.post(`/admin/coupons/${id}/revoke`, { csrf_token: token });
  assert.deepEqual([rv.status, rv.headers.location], [303, '/admin/coupons?revoked=1'], describe(rv));
  assert.equal(val(`SELECT state FROM coupons WHERE id = ${id}`), 'revoked');
  assert.ok(!(await page.get(`/admin/coupons?email=${encodeURIComponent(shopper.email)}`)).text
    .includes(`action="/admin/coupons/${id}/revoke"`), 'no revoke form for a revoked coupon');
  assert.equal((await page.post('/admin/coupons/999999999/revoke', { csrf_token: token })).status, 404);
});

test('a coupon refused on the page: the form again with the values and a message per field; nothing issued', async () => {
  const token = await page.csrf('/admin/coupons');
  const name = `거절 쿠폰 ${Date.now()}`;
  const before = num('SELECT COUNT(*) FROM coupons');
  const base = { csrf_token: token, name, to_email: '', discount_percent: '10', valid_until: future() };
  for (const [bad, field] of [
    [{ discount_amount: '1000' }, 'discount-amount'], [{ discount_percent: '' }, 'discount-percent'],
    [{ discount_percent: '101' }, 'discount-percent'], [{ valid_until: '2001-01-01' }, 'valid-until'],
    [{ to_email: 'nobody-here@example.invalid' }, 'to-email'], [{ category_id: '99999' }, 'category-id'],
    [{ to_email: admin.email }, 'to-email'], [{ valid_until: 'soon' }, 'valid-until']]) {
    const r = await page.post('/admin/coupons', { ...base, ...bad });
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${describe(r)}`);
    assert.ok(r.text.includes(`id="coupon-${field}-error"`), `${JSON.stringify(bad)}: the message by ${field}`);
    assert.ok(r.text.includes(`value="${name}"`), 'the name entered is drawn again');
  }
  assert.equal(num('SELECT COUNT(*) FROM coupons'), before);
});

test('cleanup: the coupons issued to everyone', () => {
  for (const n of couponNames) sql(`DELETE FROM coupons WHERE name = '${n}' AND state <> 'used';`);
  assert.ok(couponNames.length === 2);
});

// Categories, styles and grades: the originals, restored by the cleanup whatever happens.
const restore = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// True once check() is, asking every 2 s for up to 75 s (a reference cache's minute and more).
async function eventually(check) {
  const deadline = Date.now() + 75000;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(2000);
  }
}
const everyWorker = async (p, test) => (await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() =>
  new Client({ lang: 'ko' }).get(p)))).every((v) => test(v.text));

test('categories, styles and grades: the API lists them in display order; a shopper is refused', async () => {
  for (const [kind, order] of [['categories', 'sort_order, id'], ['styles', 'sort_order, id'], ['grades', 'min_monthly_spend']]) {
    const res = await page.send('GET', `/api/v1/admin/${kind}`, { headers: { Accept: 'application/json' } });
    assert.equal(res.status, 200, `${kind}: ${describe(res)}`);
    const ids = JSON.parse(res.text).items.map((x) => String(x.id));
    const want = rows(`SELECT id FROM ${kind} ORDER BY ${order}`).map((r) => r[0]);
    assert.deepEqual(ids, want, `${kind} in order`);
    const other = await pageLogin(shopper);
    assert.equal((await other.get(`/admin/${kind}`)).status, 403);
  }
});

test('a category and a style edited on their pages show in the shop; bad input is a 422 that changes nothing', async () => {
  const cat = one('SELECT id, name_ko, name_en, sort_order FROM categories ORDER BY sort_order, id LIMIT 1');
  const sty = one('SELECT id, name_ko, name_en, sort_order FROM styles ORDER BY sort_order, id LIMIT 1');
  restore.push(`UPDATE categories SET name_ko = '${cat[1]}', name_en = '${cat[2]}', sort_order = ${cat[3]} WHERE id = ${cat[0]};`);
  restore.push(`UPDATE styles SET name_ko = '${sty[1]}', name_en = '${sty[2]}', sort_order = ${sty[3]} WHERE id = ${sty[0]};`);
  const stamp = String(Date.now()).slice(-6);
  const list = await page.get('/admin/categories');
  assert.equal(list.status, 200, describe(list));
  assert.match(list.text, /href="\/admin\/categories" aria-current="page"/);
  assert.ok(list.text.includes(`href="/admin/categories/${cat[0]}"`));
  const token = await page.csrf(`/admin/categories/${cat[0]}`);
  const takenName = val(`SELECT name_ko FROM categories WHERE id <> ${cat[0]} LIMIT 1`);
  const before = one(`SELECT name_ko, name_en, sort_order FROM categories WHERE id = ${cat[0]}`).join('|');
  for (const [bad, field] of [[{ name_ko: '' }, 'name-ko'], [{ name_ko: takenName }, 'name-ko'],
    [{ sort_order: '-1' }, 'sort-order'], [{ sort_order: 'x' }, 'sort-order'], [{ name_en: 'x'.repeat(51) }, 'name-en']]) {
    const r = await page.post(`/admin/categories/${cat[0]}`, { csrf_token: token, name_ko: `바뀜${stamp}`, name_en: 'Changed', sort_order: '5', ...bad });
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${describe(r)}`);
    assert.ok(r.text.includes(`id="taxon-${field}-error"`), `${JSON.stringify(bad)}: the message by ${field}`);
  }
  assert.equal(one(`SELECT name_ko, name_en, sort_order FROM categories WHERE id = ${cat[0]}`).join('|'), before);
  const catKo = `새상의${stamp}`, styKo = `새스타일${stamp}`;
  const ok = await page.post(`/admin/categories/${cat[0]}`, { csrf_token: token, name_ko: catKo, name_en: `New tops ${stamp}`, sort_order: cat[3] });
  assert.deepEqual([ok.status, ok.headers.location], [303, '/admin/categories?updated=1'], describe(ok));
  assert.equal(one(`SELECT name_ko, name_en FROM categories WHERE id = ${cat[0]}`).join('|'), `${catKo}|New tops ${stamp}`);
  const s2 = await page.post(`/admin/styles/${sty[0]}`, { csrf_token: token, name_ko: styKo, name_en: `New style ${stamp}`, sort_order: sty[3] });
  assert.deepEqual([s2.status, s2.headers.location], [303, '/admin/styles?updated=1'], describe(s2));
  assert.ok((await page.get('/admin/styles?updated=1')).text.includes(styKo), 'the console lists it at once');
  assert.equal((await page.post('/admin/styles/999999/', { csrf_token: token, name_ko: 'x' })).status, 404);
  assert.equal((await page.post('/admin/styles/999999', { csrf_token: token, name_ko: 'x' })).status, 404);
  // The shop's menus come from each worker's reference cache (a minute at most).
  assert.ok(await eventually(() => everyWorker('/', (t) => t.includes(catKo) && t.includes(styKo))),
    'the new names are in the shop\'s menus');
  const shopCat = await new Client().get(`/categories/${cat[0]}`);
  assert.equal(shopCat.status, 200);
});

test('a grade edited on its page: the shopper\'s /me shows it; the lowest keeps 0; bad input changes nothing', async () => {
  const g = one(`SELECT id, name_ko, name_en, discount_percent, mileage_percent, min_monthly_spend FROM grades
    WHERE id = ${val(`SELECT grade_id FROM users WHERE id = ${shopper.id}`)}`);
  restore.push(`UPDATE grades SET name_ko = '${g[1]}', name_en = '${g[2]}', discount_percent = ${g[3]},
    mileage_percent = ${g[4]}, min_monthly_spend = ${g[5]} WHERE id = ${g[0]};`);
  const list = await page.get('/admin/grades');
  assert.match(list.text, /href="\/admin\/grades" aria-current="page"/);
  assert.ok(list.text.includes(`href="/admin/grades/${g[0]}"`));
  const token = await page.csrf(`/admin/grades/${g[0]}`);
  const top = one('SELECT id, min_monthly_spend FROM grades ORDER BY min_monthly_spend DESC LIMIT 1');
  const before = one(`SELECT * FROM grades WHERE id = ${g[0]}`).join('|');
  const base = { csrf_token: token, name_ko: g[1], name_en: g[2], discount_percent: g[3], mileage_percent: g[4], min_monthly_spend: g[5] };
  const cases = [[{ discount_percent: '101' }, 'discount-percent'], [{ mileage_percent: '-1' }, 'mileage-percent'],
    [{ name_en: '' }, 'name-en'], [{ min_monthly_spend: 'lots' }, 'min-monthly-spend']];
  cases.push(g[5] === '0' ? [{ min_monthly_spend: '1000' }, 'min-monthly-spend'] : [{ min_monthly_spend: '0' }, 'min-monthly-spend']);
  if (top[0] !== g[0]) cases.push([{ min_monthly_spend: top[1] }, 'min-monthly-spend']);
  for (const [bad, field] of cases) {
    const r = await page.post(`/admin/grades/${g[0]}`, { ...base, discount_percent: '7', ...bad });
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${describe(r)}`);
    assert.ok(r.text.includes(`id="grade-${field}-error"`), `${JSON.stringify(bad)}: the message by ${field}`);
  }
  assert.equal(one(`SELECT * FROM grades WHERE id = ${g[0]}`).join('|'), before);
  const name = `새등급${String(Date.now()).slice(-6)}`;
  const ok = await page.post(`/admin/grades/${g[0]}`, { ...base, name_ko: name, name_en: `${name} en`, discount_percent: '7',
    mileage_percent: '4' });
  assert.deepEqual([ok.status, ok.headers.location], [303, '/admin/grades?updated=1'], describe(ok));
  assert.equal(one(`SELECT name_ko, discount_percent, mileage_percent FROM grades WHERE id = ${g[0]}`).join('|'), `${name}|7|4`);
  // /me names the grade through the workers' reference cache (a minute at most)
  const browser = await pageLogin(shopper);
  assert.ok(await eventually(async () => (await browser.get('/me')).text.includes(`${name} en`)),
    'the shopper\'s page names the grade');
  const after = await page.get('/admin/grades?updated=1');
  assert.match(after.text, new RegExp(`data-grade="${g[0]}">[\\s\\S]*?data-discount>7<`));
});

test('the API edits a category (what is given changes) and refuses bad input', async () => {
  const id = val('SELECT MAX(id) FROM categories');
  const was = one(`SELECT name_ko, name_en, sort_order FROM categories WHERE id = ${id}`);
  restore.push(`UPDATE categories SET name_ko = '${was[0]}', name_en = '${was[1]}', sort_order = ${was[2]} WHERE id = ${id};`);
  const token = await page.csrf('/admin/categories');
  const send = (body) => page.api('PATCH', `/api/v1/admin/categories/${id}`, body, { headers: { 'X-CSRF-Token': token } });
  const ok = await send({ sort_order: 42 });
  assert.equal(ok.status, 200, describe(ok));
  assert.deepEqual(JSON.parse(ok.text).sort_order, 42);
  assert.equal(one(`SELECT name_ko, sort_order FROM categories WHERE id = ${id}`).join('|'), `${was[0]}|42`);
  for (const bad of [{ sort_order: 70000 }, { name_ko: '' }, { name_en: 5 }]) {
    const r = await send(bad);
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${describe(r)}`);
  }
  assert.equal(one(`SELECT name_ko, sort_order FROM categories WHERE id = ${id}`).join('|'), `${was[0]}|42`);
});

const added = `zz-${String(Date.now()).slice(-7)}`;
test('a category and a style added (a page form and the API); a bad or taken code and a taken name are 422, nothing added', async () => {
  const token = await page.csrf('/admin/categories');
  const count = () => num(`SELECT (SELECT COUNT(*) FROM categories) + (SELECT COUNT(*) FROM styles)`);
  const before = count();
  const takenName = val('SELECT name_ko FROM categories LIMIT 1');
  for (const [bad, field] of [[{ code: 'Bad Code', name_ko: '새 분류', name_en: 'New' }, 'code'],
    [{ code: 'tops', name_ko: `${added} 상의`, name_en: 'Tops again' }, 'code'],
    [{ code: `${added}-x`, name_ko: takenName, name_en: 'Taken' }, 'name_ko'], [{ code: `${added}-y`, name_en: 'No Korean' }, 'name_ko']]) {
    const res = await page.post('/admin/categories', { ...bad, csrf_token: token });
    assert.equal(res.status, 422, `${JSON.stringify(bad)}: ${describe(res)}`);
    assert.ok(res.text.includes(`id="taxon-${field.replace('_', '-')}-error"`), `${JSON.stringify(bad)}: the message by ${field}`);
    assert.ok(!bad.code || res.text.includes(`value="${bad.code}"`), 'the code entered is drawn again');
  }
  assert.equal(count(), before, 'nothing added');
  const made1 = await page.post('/admin/categories', { code: added, name_ko: `${added} 분류`, name_en: `${added} kind`, sort_order: 90, csrf_token: token });
  assert.equal(made1.status, 303, describe(made1));
  assert.equal(made1.headers.location, '/admin/categories?created=1');
  assert.deepEqual(one(`SELECT name_ko, name_en, sort_order FROM categories WHERE code = '${added}'`), [`${added} 분류`, `${added} kind`, '90']);
  const listed = await page.get('/admin/categories?created=1');
  assert.ok(listed.text.includes(`${added} 분류`));
  const api = await page.api('POST', '/api/v1/admin/styles', { code: added, name_ko: `${added} 스타일`, name_en: `${added} style` },
    { headers: { 'X-CSRF-Token': token } });
  assert.equal(api.status, 201, describe(api));
  const id = val(`SELECT id FROM styles WHERE code = '${added}'`);
  assert.equal(api.headers.location, `/api/v1/admin/styles/${id}`);
  assert.deepEqual([JSON.parse(api.text).code, JSON.parse(api.text).sort_order], [added, 0]);
  assert.equal(count(), before + 2);
});

test('cleanup: categories, styles and grades as they were, in every worker\'s menus too', async () => {
  sql(`DELETE FROM categories WHERE code = '${added}'; DELETE FROM styles WHERE code = '${added}';`);
  for (const q of restore) sql(q);
  assert.equal(restore.length, 4);
  // Later suites compare the shop's pages with the tables: wait out every worker's reference cache
  // (db/reference.c, CACHE_SECONDS 60; a request cannot choose its worker, so polling proves nothing).
  await sleep(61000);
  const names = rows('SELECT name_ko FROM categories UNION ALL SELECT name_ko FROM styles').map((r) => r[0]);
  assert.ok(await everyWorker('/', (t) => names.every((n) => t.includes(n))), 'the menus are as they were');
});

test('no brand key shown by this run is in a log', () => {
  if (!RUN_DIR) return;
  for (const name of ['lonua.log', 'jobs.log']) {
    const file = path.join(RUN_DIR, name);
    if (!fs.existsSync(file)) continue;
    const log = fs.readFileSync(file, 'utf8');
    for (const key of keysShown) assert.ok(!log.includes(key), `${name} holds a brand key`);
  }
  assert.equal(keysShown.length, 2);
});

test('cleanup', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
