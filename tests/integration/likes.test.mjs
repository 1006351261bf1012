// Likes through the real stack (nginx → lonua workers → MariaDB): the API (POST and DELETE
// /api/v1/products/{id}/like, GET /api/v1/me/likes), the product page's like form without
// JavaScript, and /me/likes. A like is a state, not a toggle: liking twice or taking back what was
// not liked changes nothing; like_count moves with the like row in one transaction, also with many
// shoppers at once; a product the shop does not show cannot be liked (404), a like kept from before
// can still be taken back, and /me/likes shows only what the shop shows.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   node tests/integration/likes.test.mjs
//
// Brands and products are made as root, shoppers sign up through the API (shop.mjs); all carry this
// run's suffix, and the last test removes them.
import { test, run, assert } from '../lib/tap.mjs';
import { describe, assertStatus, assertProblem } from './http.mjs';
import { SOCKET, bailUnlessSet, csrfOf, sql, num, assertRedirect, esc, t } from './client.mjs';
import { makeBrand, makeProduct, makeShopper, makeSeller, loginSeller, loginPage, loginApi, guest, cleanup } from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

const brand = makeBrand();
const countOf = (p) => num(`SELECT like_count FROM products WHERE id = ${p.id}`);
const likeRows = (p) => num(`SELECT COUNT(*) FROM likes WHERE product_id = ${p.id}`);
const liked = (s, p) => num(`SELECT COUNT(*) FROM likes WHERE user_id = ${s.id} AND product_id = ${p.id}`) === 1;
const like = (api, p) => api.api('POST', `/api/v1/products/${p.id}/like`);
const unlike = (api, p) => api.api('DELETE', `/api/v1/products/${p.id}/like`);
// The product page's own like form (the cards of its brand strip have theirs).
const pageLike = (html) => (html.match(/<form class="like"[\s\S]*?<\/form>/) || [''])[0];
// The card of product p on a page (its <li>), or undefined.
const cardOf = (html, p) => html.split('<li class="product-card').slice(1)
  .map((c) => c.slice(0, c.indexOf('</li>'))).find((c) => c.includes(`href="/products/${p.id}"`));
// A shopper's like button of the card of p: {pressed, like, next, count}. The button submits the
// page's one form#card-like (its CSRF token and next, as the page escapes it) to p's like address.
function cardLike(html, p) {
  const card = cardOf(html, p);
  assert.ok(card, `no card of product ${p.id}`);
  const button = card.match(new RegExp(`<button class="card-like__button" type="submit" form="card-like" formaction="/products/${p.id}/like" name="like" value="(\\d)" aria-pressed="(\\w+)" data-like="${p.id}">[\\s\\S]*?</button>`));
  assert.ok(button, `the card of product ${p.id} has no like button`);
  const forms = html.match(/<form id="card-like" method="post" hidden>[\s\S]*?<\/form>/g) || [];
  assert.equal(forms.length, 1, 'the page has not exactly one form for its cards\' like buttons');
  assert.match(forms[0], /<input type="hidden" name="csrf_token" value="[^"]+">/, 'the cards\' form has no CSRF token');
  return { pressed: button[2], like: button[1], next: (forms[0].match(/name="next" value="([^"]*)"/) || [])[1],
    count: Number((button[0].match(/data-like-count>(\d+)</) || [])[1]) };
}
// The product ids of a page's section (by its heading's id), in order.
const sectionIds = (html, title) => {
  const section = html.match(new RegExp(`<section class="[^"]*" aria-labelledby="${title}">([\\s\\S]*?)</section>`));
  return section ? [...section[1].matchAll(/href="\/products\/(\d+)"/g)].map((m) => Number(m[1])) : null;
};

test('API: a like answers the state and the count; liking again and taking back twice change nothing', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const p = makeProduct(brand);
  const before = countOf(p);
  let res = await like(api, p);
  assertStatus(res, 200);
  assert.deepEqual(res.json, { product_id: p.id, liked: true, like_count: before + 1 });
  res = await like(api, p);
  assert.deepEqual(res.json, { product_id: p.id, liked: true, like_count: before + 1 }, 'a second like counted');
  assert.deepEqual([likeRows(p), countOf(p)], [1, before + 1]);
  res = await unlike(api, p);
  assertStatus(res, 200);
  assert.deepEqual(res.json, { product_id: p.id, liked: false, like_count: before });
  res = await unlike(api, p);
  assert.deepEqual(res.json, { product_id: p.id, liked: false, like_count: before }, 'taking back twice counted');
  assert.deepEqual([likeRows(p), countOf(p)], [0, before]);
});

test('API: products the shop does not show (hidden, draft, an inactive brand\'s, none) cannot be liked, and nothing changes; a like kept from before is taken back', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const hidden = makeProduct(brand, { status: 'hidden' });
  const draft = makeProduct(brand, { status: 'draft' });
  const closed = makeProduct(makeBrand({ status: 'inactive' }));
  for (const p of [hidden, draft, closed]) {
    const before = countOf(p);
    assertProblem(await like(api, p), 404, 'NOT_FOUND');
    assert.deepEqual([likeRows(p), countOf(p)], [0, before], `a like of a product not shown: ${p.status}`);
  }
  assertProblem(await like(api, { id: 999999999 }), 404, 'NOT_FOUND');
  assertProblem(await unlike(api, { id: 999999999 }), 404, 'NOT_FOUND');
  // liked while shown, then hidden: it leaves /me/likes, and can still be taken back
  const later = makeProduct(brand);
  assertStatus(await like(api, later), 200);
  sql(`UPDATE products SET status = 'hidden' WHERE id = ${later.id};`);
  const mine = await api.get('/api/v1/me/likes');
  assertStatus(mine, 200);
  assert.ok(!mine.json.items.some((i) => i.id === later.id), 'a hidden product is listed in /api/v1/me/likes');
  const count = countOf(later);
  const res = await unlike(api, later);
  assertStatus(res, 200);
  assert.deepEqual([res.json.liked, res.json.like_count, likeRows(later)], [false, count - 1, 0]);
});

test('API: GET /api/v1/me/likes lists the products liked, newest like first, paged, as ProductSummary items', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const products = [makeProduct(brand), makeProduct(brand), makeProduct(brand)];
  for (const p of products) assertStatus(await like(api, p), 200);
  // newest first: the like times as root, so that the order does not hang on one second
  sql(products.map((p, i) => `UPDATE likes SET created_at = UTC_TIMESTAMP() - INTERVAL ${10 - i} MINUTE
    WHERE user_id = ${s.id} AND product_id = ${p.id};`).join('\n'));
  const all = await api.get('/api/v1/me/likes');
  assertStatus(all, 200);
  assert.deepEqual(all.json.items.map((i) => i.id), products.map((p) => p.id).reverse());
  assert.deepEqual([all.json.page, all.json.per_page, all.json.total, all.json.total_is_lower_bound], [1, 24, 3, false]);
  assert.equal(all.json.items[0].name, products[2].name);
  const page2 = await api.get('/api/v1/me/likes?per_page=2&page=2');
  assert.deepEqual([page2.json.items.map((i) => i.id), page2.json.total], [[products[0].id], 3]);
  assertProblem(await api.get('/api/v1/me/likes?page=101'), 422, 'VALIDATION_FAILED');
  // another shopper's likes are not in it
  const other = await loginApi(await makeShopper());
  assert.deepEqual((await other.get('/api/v1/me/likes')).json.items, []);
});

test('API: a guest is 401, a seller 403, and neither changes a count', async () => {
  const p = makeProduct(brand);
  const before = countOf(p);
  const g = guest();
  const res = await g.api('POST', `/api/v1/products/${p.id}/like`);
  assertStatus(res, 401);
  const seller = await loginSeller(await makeSeller(brand));
  assertProblem(await seller.api('POST', `/api/v1/products/${p.id}/like`), 403, 'WRONG_ROLE');
  assert.deepEqual([likeRows(p), countOf(p)], [0, before]);
});

test('at once: 20 shoppers like one product (the count rises by exactly 20), then take it back; one shopper\'s 10 likes at once count once', async () => {
  const p = makeProduct(brand);
  const before = countOf(p);
  const apis = await Promise.all(Array.from({ length: 20 }, async () => loginApi(await makeShopper())));
  let answers = await Promise.all(apis.map((api) => like(api, p)));
  for (const a of answers) assertStatus(a, 200);
  assert.deepEqual([likeRows(p), countOf(p)], [20, before + 20]);
  answers = await Promise.all(apis.map((api) => unlike(api, p)));
  for (const a of answers) assertStatus(a, 200);
  assert.deepEqual([likeRows(p), countOf(p)], [0, before]);
  answers = await Promise.all(Array.from({ length: 10 }, () => like(apis[0], p)));
  for (const a of answers) assertStatus(a, 200);
  assert.deepEqual([likeRows(p), countOf(p)], [1, before + 1]);
});

test('page: the product page shows a shopper the like form with the count, a guest a way to log in; the form (no JavaScript) likes and comes back, next= goes to a local path only', async () => {
  const p = makeProduct(brand);
  const before = countOf(p);
  const g = await guest().get(`/products/${p.id}`);
  assertStatus(g, 200);
  assert.ok(g.text.includes(`href="/login?next=%2Fproducts%2F${p.id}"`), 'a guest has no way to log in to like');
  assert.ok(!g.text.includes(`action="/products/${p.id}/like"`), 'a guest is given the like form');
  const s = await makeShopper();
  const page = await loginPage(s);
  let res = await page.get(`/products/${p.id}`);
  assertStatus(res, 200);
  assert.match(res.text, new RegExp(`<form class="like" action="/products/${p.id}/like" method="post"`));
  let form = pageLike(res.text);
  assert.ok(form.includes('aria-pressed="false"') && form.includes('name="like" value="1"'), 'not offered to like');
  assert.ok(form.includes(`data-like-count>${before}<`), 'the count is not shown');
  // without the CSRF token: 403, nothing changes
  assertStatus(await page.post(`/products/${p.id}/like`, { like: '1' }), 403);
  assert.equal(liked(s, p), false);
  // a like field that is neither 0 nor 1: 422, nothing changes
  assertStatus(await page.post(`/products/${p.id}/like`, { like: '2', csrf_token: csrfOf(res) }), 422);
  assert.equal(liked(s, p), false);
  assertRedirect(await page.post(`/products/${p.id}/like`, { like: '1', csrf_token: csrfOf(res) }), `/products/${p.id}`);
  assert.equal(liked(s, p), true);
  res = await page.get(`/products/${p.id}`);
  form = pageLike(res.text);
  assert.ok(form.includes('aria-pressed="true"') && form.includes('name="like" value="0"'), 'not shown as liked');
  assert.ok(form.includes(`data-like-count>${before + 1}<`), 'the count did not follow');
  assertRedirect(await page.post(`/products/${p.id}/like`, { like: '0', next: '/me/likes', csrf_token: csrfOf(res) }), '/me/likes');
  assert.equal(liked(s, p), false);
  assertRedirect(await page.post(`/products/${p.id}/like`, { like: '1', next: 'https://evil.example/', csrf_token: csrfOf(res) }),
    `/products/${p.id}`);
  assert.equal(countOf(p), before + 1);
});

test('page: /me/likes shows the cards of the products liked (names escaped), the count, and an empty state; a guest is sent to log in', async () => {
  const s = await makeShopper();
  const page = await loginPage(s);
  let res = await page.get('/me/likes');
  assertStatus(res, 200);
  assert.ok(res.text.includes(esc(t('likes.empty'))), `no empty state: ${describe(res)}`);
  const hostile = makeProduct(brand, { name: `<script>alert("like")</script> ${Date.now()}` });
  const api = await loginApi(s);
  assertStatus(await like(api, hostile), 200);
  res = await page.get('/me/likes');
  assertStatus(res, 200);
  assert.ok(res.text.includes(esc(hostile.name)), 'the liked product is not shown, escaped');
  assert.ok(!res.text.includes(hostile.name), 'a product name reached the page unescaped');
  assert.ok(res.text.includes(`href="/products/${hostile.id}"`), 'the card does not link to the product');
  assertRedirect(await guest().get('/me/likes'), '/login?next=%2Fme%2Flikes');
});

test('cards: a shopper\'s listing marks the products liked (aria-pressed, like=0) and no others, another shopper\'s none; a guest\'s cards link to the login page and have no button', async () => {
  const b = makeBrand();
  const [p1, p2, p3] = [makeProduct(b, { price: 1000 }), makeProduct(b, { price: 2000 }), makeProduct(b, { price: 3000 })];
  const s = await makeShopper();
  assertStatus(await like(await loginApi(s), p2), 200);
  const url = `/products?brand=${b.id}&sort=price_asc`;
  const res = await (await loginPage(s)).get(url);
  assertStatus(res, 200);
  assert.deepEqual([p1, p2, p3].map((p) => [cardLike(res.text, p).pressed, cardLike(res.text, p).like]),
    [['false', '1'], ['true', '0'], ['false', '1']]);
  assert.equal(cardLike(res.text, p2).next, esc(url), 'the form does not come back to this page');
  assert.ok(!cardOf(res.text, p2).split('</a>')[0].includes('<button'), 'the button is inside the card\'s link');
  assert.equal(csrfOf(res), res.text.match(/<form id="card-like"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)">/)[1],
    'the cards\' form does not carry the page\'s CSRF token');
  assert.match(cardOf(res.text, p2), new RegExp(`<span class="visually-hidden">${esc(t('product.like'))}: ${esc(p2.name)}, `),
    'the button does not name the product');
  const other = await (await loginPage(await makeShopper())).get(url);
  assert.deepEqual([p1, p2, p3].map((p) => cardLike(other.text, p).pressed), ['false', 'false', 'false'], 'another shopper\'s like shown');
  const g = await guest().get(url);
  assertStatus(g, 200);
  const login = `href="/login?next=${encodeURIComponent(url)}"`;
  for (const p of [p1, p2, p3]) {
    const card = cardOf(g.text, p);
    assert.ok(card.includes(`<a class="card-like__button" ${login}>`), `a guest's card has no way to log in to like: ${card}`);
    assert.ok(!card.includes('<button') && !card.includes('aria-pressed'), 'a guest\'s card has a like button');
  }
  assert.ok(!g.text.includes('id="card-like"'), 'a guest\'s page has the cards\' like form');
});

test('cards: the like form of a card (no JavaScript) likes and comes back to next, the card then liked with the count; taking it back too', async () => {
  const b = makeBrand();
  const p = makeProduct(b);
  const page = await loginPage(await makeShopper());
  const url = `/brands/${b.id}?sort=newest`;
  let res = await page.get(url);
  assertStatus(res, 200);
  const before = cardLike(res.text, p);
  assert.deepEqual([before.pressed, before.count], ['false', countOf(p)]);
  assertRedirect(await page.post(`/products/${p.id}/like`, { like: before.like, next: url, csrf_token: csrfOf(res) }), url);
  res = await page.get(url);
  const after = cardLike(res.text, p);
  assert.deepEqual([after.pressed, after.like, after.count], ['true', '0', before.count + 1]);
  assertRedirect(await page.post(`/products/${p.id}/like`, { like: after.like, next: url, csrf_token: csrfOf(res) }), url);
  res = await page.get(url);
  assert.deepEqual([cardLike(res.text, p).pressed, cardLike(res.text, p).count], ['false', before.count]);
});

test('home: a shopper with a profile has "popular with your body type" and "your style", the first products of /for-me\'s lists in its order, liked ones marked; a guest\'s home has neither', async () => {
  const b = makeBrand();
  const p = makeProduct(b);
  // bought by the build of makeShopper's profile (upper 2, lower 1) more than anything else
  sql(`INSERT INTO product_body_type_counts (product_id, upper2_units, lower1_units) VALUES (${p.id}, 1000000, 1000000);`);
  const s = await makeShopper();
  assertStatus(await like(await loginApi(s), p), 200);
  const page = await loginPage(s);
  const [home, forMe] = [await page.get('/'), await page.get('/for-me')];
  assertStatus(home, 200);
  for (const title of ['body-type-title', 'style-title']) {
    const all = sectionIds(forMe.text, title), shown = sectionIds(home.text, title);
    assert.ok(all && all.length > 0, `/for-me has no ${title} list`);
    assert.ok(shown, `the home page has no ${title} strip`);
    assert.deepEqual(shown, all.slice(0, 10), `the home's ${title} strip is not /for-me's list`);
  }
  assert.equal(sectionIds(home.text, 'body-type-title')[0], p.id, 'the most bought by the build is not first');
  assert.equal(cardLike(home.text.split('body-type-title')[2], p).pressed, 'true', 'a liked product is not marked');
  assert.equal((home.text.match(/<a class="section__more" href="\/for-me">/g) || []).length, 2, 'no link to /for-me per strip');
  const g = await guest().get('/');
  assertStatus(g, 200);
  assert.ok(!g.text.includes('body-type-title') && !g.text.includes('style-title'), 'a guest\'s home has the recommendations');
});

test('cleanup: every brand, product, shopper, seller and like of this run is removed', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
