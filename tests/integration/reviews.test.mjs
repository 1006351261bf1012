// Reviews through the real stack (SPEC §3 Review, §4 product page and /me/reviews, §5, §6
// "Reviews"): only the buyer of a delivered or confirmed line reviews it, once; photos go through the
// media pipeline and a refused one leaves nothing behind; the product's rating, review count and fit
// summary move in the same transaction as each create, edit and delete; "reviews from people like
// me"; the page forms without JavaScript; and review text comes back escaped on every page.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_MEDIA_DIR=/path/to/media node tests/integration/reviews.test.mjs
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { test, run, assert } from '../lib/tap.mjs';
import { assertStatus, assertProblem } from './http.mjs';
import { SOCKET, bailUnlessSet, sql, num, one, esc, EN, csrfOf, location, fieldError } from './client.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeAdmin, makeSeller, loginApi, loginPage, loginSeller, guest, cleanup,
  purchase, communityVersion, productPages,
} from './shop.mjs';
import { png, bombPng } from './images.mjs';

const MEDIA = process.env.LONUA_MEDIA_DIR;
bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"],
  ['LONUA_MEDIA_DIR', MEDIA, 'where the media pipeline stores images, to see what a refused upload left']]);

const brand = makeBrand({ fee: 0, freeThreshold: 0 });
const [admin, seller] = await Promise.all([makeAdmin(), makeSeller(brand)]);
const staff = { adminApi: await loginApi(admin), sellerApi: await loginSeller(seller) };
const product = makeProduct(brand, { variants: [{ size: 'S', stock: 500 }, { size: 'M', stock: 500 }] });
const [S, M] = product.variants;
const build = (height, upper, lower) => ({ height_cm: height, weight_kg: 60, upper_body_type: upper, lower_body_type: lower });

const counters = (id = product.id) => {
  const [count, sum, small, fits, large] = one(`SELECT review_count, rating_sum, fit_small_count, fit_true_count,
    fit_large_count FROM products WHERE id = ${id}`).map(Number);
  return { count, sum, small, true: fits, large };
};
// What the product's counters must be: recomputed from its published reviews.
const recount = (id = product.id) => {
  const [count, sum, small, fits, large] = one(`SELECT COUNT(*), COALESCE(SUM(rating), 0), COALESCE(SUM(fit = 'small'), 0),
    COALESCE(SUM(fit = 'true'), 0), COALESCE(SUM(fit = 'large'), 0) FROM reviews WHERE product_id = ${id}
    AND status = 'published'`).map(Number);
  return { count, sum, small, true: fits, large };
};
const mediaFile = (hash, size = 'card') => path.join(MEDIA, hash.slice(0, 2), hash.slice(2, 4), `${hash}-${size}.jpg`);
const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const photoPart = (data, filename = 'photo.png', contentType = 'image/png') => ({ name: 'photos', filename, contentType, data });
const fields = (o) => Object.entries(o).map(([name, value]) => ({ name, value: String(value) }));

// A shopper of a build, logged in, with a delivered line of size (S or M).
async function buyer(over = build(170, 2, 2), variant = M, until = 'delivered') {
  const s = await makeShopper({ over });
  const api = await loginApi(s);
  const { line, order } = await purchase(api, staff, variant.id, { until });
  return { s, api, line, order };
}

test('only the buyer of a delivered or confirmed line reviews it: not yet delivered 409, another\'s line 404', async () => {
  const a = await makeShopper();
  const api = await loginApi(a);
  const placed = await api.api('POST', '/api/v1/orders', { items: [{ variant_id: S.id, quantity: 1 }], payment_method: 'bank_transfer' },
    { headers: { 'Idempotency-Key': `rv-${Math.random()}` } });
  assertStatus(placed, 201);
  const body = { rating: 5, fit: 'true', body: '아직 안 왔어요' };
  assertProblem(await api.api('POST', `/api/v1/order-lines/${placed.json.lines[0].id}/review`, body), 409, 'NOT_DELIVERED');
  const other = await buyer();
  assertProblem(await api.api('POST', `/api/v1/order-lines/${other.line}/review`, body), 404);
  assertProblem(await api.api('POST', '/api/v1/order-lines/999999999/review', body), 404);
  assert.equal(num(`SELECT COUNT(*) FROM reviews WHERE user_id = ${a.id}`), 0);
  // a returned line is not the shopper's to review either
  const returned = await buyer(build(170, 2, 2), S, 'returned');
  assertProblem(await returned.api.api('POST', `/api/v1/order-lines/${returned.line}/review`, body), 409, 'NOT_DELIVERED');
});

test('a review by JSON: 201 with Location, once per line (a second is 409), the counters move with it', async () => {
  const before = counters();
  const b = await buyer();
  const res = await b.api.api('POST', `/api/v1/order-lines/${b.line}/review`, { rating: 4, fit: 'large', body: '넉넉해요', share_profile: true });
  assertStatus(res, 201);
  assert.equal(res.headers.location, `/api/v1/reviews/${res.json.id}`);
  assert.deepEqual([res.json.rating, res.json.fit, res.json.body, res.json.size_label, res.json.status],
    [4, 'large', '넉넉해요', 'M', 'published']);
  assert.equal(res.json.shared.height_cm, 170);
  assert.equal(res.json.shared.upper_body_type, '2');
  assert.match(res.json.reviewer, /^.\*+$/u, 'the reviewer\'s name is masked');
  assertStatus(await b.api.get(res.headers.location), 200);
  assertProblem(await b.api.api('POST', `/api/v1/order-lines/${b.line}/review`, { rating: 1, fit: 'small', body: 'again' }),
    409, 'ALREADY_REVIEWED');
  const after = counters();
  assert.deepEqual(after, { count: before.count + 1, sum: before.sum + 4, small: before.small, true: before.true, large: before.large + 1 });
  assert.deepEqual(after, recount());
  // bad input changes nothing
  const c = await buyer();
  for (const bad of [{ rating: 6, fit: 'true', body: 'x' }, { rating: 3, fit: 'tight', body: 'x' }, { rating: 3, fit: 'true' },
    { rating: 3, fit: 'true', body: 'x'.repeat(2001) }]) {
    assertStatus(await c.api.api('POST', `/api/v1/order-lines/${c.line}/review`, bad), 422);
  }
  assert.equal(num(`SELECT COUNT(*) FROM reviews WHERE order_line_id = ${c.line}`), 0);
  assert.deepEqual(counters(), after);
});

test('photos through the media pipeline; a file that is not an image, a bomb or a sixth photo is refused and nothing is kept', async () => {
  const b = await buyer();
  const url = `/api/v1/order-lines/${b.line}/review`;
  const good = png(60, 75), second = png(30, 40);
  const text = { rating: 5, fit: 'true', body: '사진 리뷰' };
  // one good photo and a text file named .jpg: 422, and the good one's files are removed again
  const refused = await b.api.send('POST', url, { parts: [...fields(text), photoPart(good), photoPart(Buffer.from('not an image'), 'x.jpg', 'image/jpeg')] });
  assertProblem(refused, 422);
  assert.equal(refused.json.errors.photos, 'not_an_image');
  assert.equal(fs.existsSync(mediaFile(sha(good))), false, 'the refused review left no photo behind');
  const bomb = await b.api.send('POST', url, { parts: [...fields(text), photoPart(bombPng())] });
  assert.equal(bomb.json.errors.photos, 'image_too_large');
  const six = await b.api.send('POST', url, { parts: [...fields(text), ...[1, 2, 3, 4, 5, 6].map(() => photoPart(png(8, 8)))] });
  assert.equal(six.json.errors.photos, 'too_many_photos');
  const truncated = await b.api.send('POST', url, { parts: [...fields(text), photoPart(good.subarray(0, good.length - 30))] });
  assert.equal(truncated.json.errors.photos, 'corrupt_image');
  assert.equal(num(`SELECT COUNT(*) FROM reviews WHERE order_line_id = ${b.line}`), 0);
  // two good ones: stored as JPEG renditions, in order
  const ok = await b.api.send('POST', url, { parts: [...fields(text), photoPart(good), photoPart(second)] });
  assertStatus(ok, 201);
  assert.equal(ok.json.photos.length, 2);
  assert.equal(ok.json.photos[0].card, `/media/${sha(good).slice(0, 2)}/${sha(good).slice(2, 4)}/${sha(good)}-card.jpg`);
  assert.ok(fs.existsSync(mediaFile(sha(second), 'detail')));
  const img = await guest().get(ok.json.photos[0].thumb);
  assertStatus(img, 200);
  assert.equal(img.headers['content-type'], 'image/jpeg');
  // editing: remove the first, add one more
  const third = png(20, 25);
  const edited = await b.api.send('PATCH', `/api/v1/reviews/${ok.json.id}`, { parts: [{ name: 'remove_photo_1', value: '1' }, photoPart(third)] });
  assertStatus(edited, 200);
  assert.deepEqual(edited.json.photos.map((p) => p.card.split('/').pop()), [`${sha(second)}-card.jpg`, `${sha(third)}-card.jpg`]);
  assert.equal(edited.json.body, '사진 리뷰', 'what was not sent stays');
});

test('edit and delete keep the summary right; another shopper\'s review is 404 to them', async () => {
  const b = await buyer();
  const created = await b.api.api('POST', `/api/v1/order-lines/${b.line}/review`, { rating: 5, fit: 'true', body: '좋아요' });
  assertStatus(created, 201);
  const id = created.json.id;
  const edited = await b.api.api('PATCH', `/api/v1/reviews/${id}`, { rating: 2, fit: 'small' });
  assertStatus(edited, 200);
  assert.deepEqual([edited.json.rating, edited.json.fit, edited.json.body], [2, 'small', '좋아요']);
  assert.deepEqual(counters(), recount());
  const other = await loginApi(await makeShopper());
  assertProblem(await other.api('PATCH', `/api/v1/reviews/${id}`, { rating: 1 }), 404);
  assertProblem(await other.api('DELETE', `/api/v1/reviews/${id}`), 404);
  assertProblem(await other.get(`/api/v1/reviews/${id}`), 404);
  assert.equal(num(`SELECT rating FROM reviews WHERE id = ${id}`), 2);
  const before = counters();
  assertStatus(await b.api.api('DELETE', `/api/v1/reviews/${id}`), 204);
  assert.deepEqual(counters(), { count: before.count - 1, sum: before.sum - 2, small: before.small - 1, true: before.true, large: before.large });
  assert.deepEqual(counters(), recount());
  assertProblem(await b.api.api('DELETE', `/api/v1/reviews/${id}`), 404);
  // the line can be reviewed again once its review is gone
  assertStatus(await b.api.api('POST', `/api/v1/order-lines/${b.line}/review`, { rating: 3, fit: 'true', body: '다시' }), 201);
});

test('reviews from people like me: the same body types and a height within 5 cm, when they shared it', async () => {
  const p = makeProduct(brand, { variants: [{ size: 'M', stock: 100 }] });
  const write = async (over, share, body) => {
    const b = await buyer(over, p.variants[0]);
    assertStatus(await b.api.api('POST', `/api/v1/order-lines/${b.line}/review`, { rating: 4, fit: 'true', body, share_profile: share }), 201);
  };
  await write(build(172, 1, 3), true, 'like me 172');
  await write(build(168, 1, 3), true, 'like me 168');
  await write(build(180, 1, 3), true, 'taller');
  await write(build(170, 2, 3), true, 'other upper');
  await write(build(170, 1, 3), false, 'not shared');
  const me = await loginApi(await makeShopper({ over: build(170, 1, 3) }));
  const all = await me.get(`/api/v1/products/${p.id}/reviews`);
  assertStatus(all, 200);
  assert.equal(all.json.total, 5);
  const like = await me.get(`/api/v1/products/${p.id}/reviews?like_me=1`);
  assert.deepEqual(like.json.items.map((r) => r.body).sort(), ['like me 168', 'like me 172']);
  assert.equal(like.json.total, 2);
  // a guest, or a shopper without a height, cannot ask
  assertProblem(await guest().get(`/api/v1/products/${p.id}/reviews?like_me=1`), 422);
  const page = await loginPage(await makeShopper({ over: { height_cm: '' } }));
  const res = await page.get(`/products/${p.id}/reviews?like_me=1`);
  assertStatus(res, 200);
  assert.ok(res.text.includes(esc(EN.review.needs_profile)));
  // a product the shop does not show has no reviews page
  sql(`UPDATE products SET status = 'hidden' WHERE id = ${p.id}`);
  assertProblem(await guest().get(`/api/v1/products/${p.id}/reviews`), 404);
  assertStatus(await guest().get(`/products/${p.id}/reviews`), 404);
});

test('the page forms without JavaScript: write from the order, errors keep what was typed, edit, delete', async () => {
  const b = await buyer();
  const page = await loginPage(b.s);
  const order = await page.get(`/me/orders/${b.order.id}`);
  assert.ok(order.text.includes(`href="/me/order-lines/${b.line}/review"`), 'the order page offers the review');
  const form = await page.get(`/me/order-lines/${b.line}/review`);
  assertStatus(form, 200);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  const token = csrfOf(form);
  const action = `/me/order-lines/${b.line}/review`;
  // no rating: the form again, the text kept, one message by the field
  const bad = await page.send('POST', action, { parts: fields({ csrf_token: token, fit: 'small', body: '작게 나와요', share_profile: '0' }) });
  assertStatus(bad, 422);
  assert.ok(bad.text.includes('>작게 나와요</textarea>'));
  assert.equal(fieldError(bad, 'review-rating-error'), EN.validation.required);
  const good = await page.send('POST', action, { parts: [...fields({ csrf_token: token, rating: 3, fit: 'small', body: '작게 나와요',
    share_profile: '0' }), photoPart(png(50, 60))] });
  assertStatus(good, 303);
  const id = num(`SELECT id FROM reviews WHERE order_line_id = ${b.line}`);
  assert.equal(location(good), `/products/${product.id}/reviews#review-${id}`);
  const list = await page.get(`/products/${product.id}/reviews`);
  assert.ok(list.text.includes(`id="review-${id}"`));
  assert.equal(num(`SELECT shared_height_cm IS NULL FROM reviews WHERE id = ${id}`), 1, 'an unticked box shares nothing');
  // the order page now links to the review; the form redirects there too
  assert.ok((await page.get(`/me/orders/${b.order.id}`)).text.includes(`href="/me/reviews/${id}/edit"`));
  assert.equal(location(await page.get(`/me/order-lines/${b.line}/review`)), `/me/reviews/${id}/edit`);
  // edit: share, keep the photo
  const edit = await page.get(`/me/reviews/${id}/edit`);
  assert.match(edit.text, /name="remove_photo_1"/);
  const saved = await page.send('POST', `/me/reviews/${id}`, { parts: fields({ csrf_token: csrfOf(edit), rating: 4, fit: 'true',
    body: '고쳤어요', share_profile: '1' }) });
  assert.equal(location(saved), '/me/reviews?saved=1');
  assert.deepEqual(one(`SELECT rating, fit, body, shared_height_cm, (SELECT COUNT(*) FROM review_photos WHERE review_id = ${id})
    FROM reviews WHERE id = ${id}`), ['4', 'true', '고쳤어요', '170', '1']);
  const mine = await page.get('/me/reviews?saved=1');
  assert.ok(mine.text.includes(esc(EN.review.saved)) && mine.text.includes('고쳤어요'));
  const gone = await page.post(`/me/reviews/${id}/delete`, { csrf_token: csrfOf(mine) });
  assert.equal(location(gone), '/me/reviews?deleted=1');
  assert.equal(num(`SELECT COUNT(*) FROM reviews WHERE id = ${id}`), 0);
  assert.deepEqual(counters(), recount());
});

test('the product page: the rating and fit summary and each review with its size and shared build; text escaped everywhere', async () => {
  const p = makeProduct(brand, { variants: [{ size: 'L', stock: 100 }] });
  const xss = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
  const fits = ['true', 'true', 'small'];
  const ids = [];
  for (const [i, fit] of fits.entries()) {
    const b = await buyer(build(165 + i, 2, 1), p.variants[0]);
    const res = await b.api.api('POST', `/api/v1/order-lines/${b.line}/review`, { rating: 5 - i, fit, body: `${xss} ${i}`, share_profile: true });
    assertStatus(res, 201);
    assert.equal(res.json.body, `${xss} ${i}`, 'the API gives the text as written');
    ids.push(res.json.id);
  }
  const res = await guest().get(`/products/${p.id}`);
  assertStatus(res, 200);
  assert.ok(!res.text.includes('<script>alert(1)') && !res.text.includes('<img src=x'), 'no markup from a review');
  assert.ok(res.text.includes(esc(`${xss} 2`)));
  assert.ok(res.text.includes(`${EN.review.fit_headline_before}67${EN.review.fit_headline_after}`), '2 of 3 true to size');
  assert.match(res.text, /review-summary__score">4\.0</);
  assert.match(res.text, new RegExp(`${EN.review.size_bought} <strong>L</strong>`));
  assert.ok(res.text.includes('167cm · 60kg'));
  const shopper = await loginPage((await buyer(build(170, 2, 2), p.variants[0])).s);
  const shopperView = await shopper.get(`/products/${p.id}/reviews`);
  assert.ok(!shopperView.text.includes('<script>alert(1)') && shopperView.text.includes(esc(`${xss} 0`)));
  // the writer's own pages: /me/reviews and the edit form's textarea
  const writer = await makeShopper({ over: build(170, 2, 1) });
  const w = await loginApi(writer);
  const { line } = await purchase(w, staff, p.variants[0].id);
  const mine = await w.api('POST', `/api/v1/order-lines/${line}/review`, { rating: 3, fit: 'large', body: xss });
  assertStatus(mine, 201);
  const wp = await loginPage(writer);
  for (const path of ['/me/reviews', `/me/reviews/${mine.json.id}/edit`]) {
    const res = await wp.get(path);
    assertStatus(res, 200);
    assert.ok(!res.text.includes('<script>alert(1)') && !res.text.includes('<img src=x') && res.text.includes(esc(xss)), path);
  }
});

// Each worker keeps a product page's newest reviews while the product's community version
// (schema/020) stays: every write to what they show must move it, and show on every worker's next
// page. 8 requests in a row reach the 4 workers (each has kept the list before the write).
test('the product page\'s newest reviews follow every write at once, on every worker: a review, an edit, a photo, the reviewer\'s name, hiding, deleting', async () => {
  const p = makeProduct(brand, { variants: [{ size: 'L', stock: 100 }] });
  const pages = (what, check) => productPages(p.id, what, check);
  const mark = `kept-${crypto.randomUUID().slice(0, 8)}`;
  await pages('before any review', (t) => !t.includes(mark));
  const b = await buyer(build(170, 2, 2), p.variants[0]);
  const version = communityVersion(p.id);
  const created = await b.api.api('POST', `/api/v1/order-lines/${b.line}/review`, { rating: 4, fit: 'true', body: `${mark} first` });
  assertStatus(created, 201);
  const id = created.json.id;
  const moved = version.moved;
  moved('a new review');
  await pages('a new review', (t) => t.includes(`${mark} first`));
  assertStatus(await b.api.api('PATCH', `/api/v1/reviews/${id}`, { body: `${mark} edited` }), 200);
  moved('an edit');
  await pages('an edit', (t) => t.includes(`${mark} edited`) && !t.includes(`${mark} first`));
  const key = sha(Buffer.from(mark)).slice(0, 64);
  sql(`INSERT INTO review_photos (review_id, position, image_key) VALUES (${id}, 1, '${key}');`);
  moved('a photo');
  await pages('a photo', (t) => t.includes(key));
  sql(`UPDATE users SET name = 'Ω${mark}' WHERE id = ${b.s.id};`);
  moved('the reviewer\'s new name');
  await pages('the reviewer\'s new name', (t) => t.includes('Ω*'));
  sql(`UPDATE products SET name = CONCAT(name, ' 2') WHERE id = ${p.id};`);
  moved('the product\'s new name');
  sql(`INSERT INTO product_images (product_id, position, image_key) VALUES (${p.id}, 9, '${key}');`);
  moved('a new picture of the product');
  sql(`UPDATE reviews SET status = 'hidden' WHERE id = ${id};`);
  moved('hiding the review');
  await pages('hiding the review', (t) => !t.includes(mark));
  sql(`UPDATE reviews SET status = 'published' WHERE id = ${id};`);
  await pages('showing it again', (t) => t.includes(`${mark} edited`));
  assertStatus(await b.api.api('DELETE', `/api/v1/reviews/${id}`), 204);
  moved('deleting the review');
  await pages('deleting the review', (t) => !t.includes(mark));
  const before = version.read();
  sql(`UPDATE users SET last_login_at = UTC_TIMESTAMP() WHERE id = ${b.s.id};`);
  assert.equal(version.read(), before, 'a write to a user that changes neither name nor e-mail moves the version');
});

test('/me/reviews and its API list the shopper\'s reviews with their product, newest first', async () => {
  const b = await buyer();
  const second = await purchase(b.api, staff, S.id);
  for (const [line, body] of [[b.line, 'first'], [second.line, '<b>second</b>']]) {
    assertStatus(await b.api.api('POST', `/api/v1/order-lines/${line}/review`, { rating: 4, fit: 'true', body }), 201);
  }
  const list = await b.api.get('/api/v1/me/reviews');
  assertStatus(list, 200);
  assert.deepEqual(list.json.items.map((r) => [r.body, r.size_label, r.product.id]), [['<b>second</b>', 'S', product.id], ['first', 'M', product.id]]);
  assert.equal(list.json.total, 2);
  const page = await (await loginPage(b.s)).get('/me/reviews');
  assert.ok(page.text.includes('&lt;b&gt;second&lt;/b&gt;') && !page.text.includes('<b>second</b>'));
});

test('cleanup', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
