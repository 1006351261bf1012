// Size advice through the real stack (GET /api/v1/products/{id}/size-advice and the product page;
// SPEC §6 "Size advice"): the purchases are made as a shopper makes them (checkout by bank
// transfer, the admin records the transfer, the brand delivers, the shopper confirms), and the
// advice compares the sizes kept in the same category with this product's, says why in words, leaves
// out returned lines and other categories, falls back to what similar buyers kept, and says what to
// enter in the profile. The rule's own table of cases is tests/unit/test-size-advice.c.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   node tests/integration/fit.test.mjs
import { test, run, assert } from '../lib/tap.mjs';
import { assertStatus, assertProblem } from './http.mjs';
import { SOCKET, bailUnlessSet, sql, num, esc, EN } from './client.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeAdmin, makeSeller, loginApi, loginPage, loginSeller, guest, cleanup,
  categoryIds, purchase,
} from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

const brand = makeBrand({ fee: 0, freeThreshold: 0 });
const [admin, seller] = await Promise.all([makeAdmin(), makeSeller(brand)]);
const [adminApi, sellerApi] = await Promise.all([loginApi(admin), loginSeller(seller)]);
const [tops, bottoms] = categoryIds();

// A product whose sizes carry measurements (mm): sizes = { S: { chest_mm: 500, ... }, ... }.
function measured(category, sizes) {
  const p = makeProduct(brand, { category, variants: Object.keys(sizes).map((size) => ({ size, stock: 500 })) });
  sql(p.variants.map((v) => `UPDATE product_variants SET ${Object.entries(sizes[v.size]).map(([k, mm]) => `${k} = ${mm}`)
    .join(', ')} WHERE id = ${v.id};`).join('\n'));
  return p;
}

// The shopper buys the size and keeps it (confirmed), or returns it: the whole way through the API.
async function buy(api, product, size, { keep = true, quantity = 1 } = {}) {
  const v = product.variants.find((x) => x.size === size);
  await purchase(api, { adminApi, sellerApi }, v.id, { quantity, until: keep ? 'confirmed' : 'returned' });
}

const advice = async (api, p, lang = 'en') => {
  const res = await api.get(`/api/v1/products/${p.id}/size-advice`, { headers: { 'Accept-Language': lang } });
  assertStatus(res, 200);
  return res.json;
};

// A product to advise on: S, M, L of a top.
const shirt = measured(tops, {
  S: { total_length_mm: 680, shoulder_mm: 440, chest_mm: 520 },
  M: { total_length_mm: 700, shoulder_mm: 460, chest_mm: 540 },
  L: { total_length_mm: 720, shoulder_mm: 480, chest_mm: 560 },
});

test('history: the size closest to the one kept in the category, and why in words (the measure that differs most)', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const kept = measured(tops, { M: { total_length_mm: 700, shoulder_mm: 455, chest_mm: 560 } });
  await buy(api, kept, 'M');
  const a = await advice(api, shirt);
  assert.deepEqual([a.kind, a.size, a.variant_id, a.measure, a.difference_cm, a.peers, a.missing],
    ['history', 'M', shirt.variants[1].id, 'chest', -2, null, []]);
  assert.deepEqual(a.compared_with, { size: 'M', brand: brand.name, product: kept.name });
  assert.equal(a.reason, `We advise M: ${EN.measure.chest} 2 cm narrower than the M you kept from ${brand.name}.`);
  const ko = await advice(api, shirt, 'ko');
  assert.equal(ko.reason, `M 사이즈를 추천해요. ${brand.name}에서 구매 확정한 M 사이즈보다 가슴단면 2cm 좁아요.`);
  // the product page says the same, escaped
  const page = await loginPage(s);
  const res = await page.get(`/products/${shirt.id}`, { headers: { 'Accept-Language': 'ko' } });
  assertStatus(res, 200);
  assert.ok(res.text.includes(`data-size-advice="history">${esc(ko.reason)}</p>`), 'the product page does not show the advice');
});

test('a returned line and a size of another category are not compared; a later kept one is', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const returned = measured(tops, { XL: { total_length_mm: 740, shoulder_mm: 500, chest_mm: 580 } });
  await buy(api, returned, 'XL', { keep: false });
  const pants = measured(bottoms, { M: { total_length_mm: 1000, waist_mm: 380 } });
  await buy(api, pants, 'M');
  // no kept top: the profile (full by default) and no similar buyers of this shirt yet
  let a = await advice(api, shirt);
  assert.equal(a.kind, 'nothing_to_go_on', `a returned or other-category line was compared: ${JSON.stringify(a)}`);
  const small = measured(tops, { S: { total_length_mm: 681, shoulder_mm: 440, chest_mm: 520 } });
  await buy(api, small, 'S');
  a = await advice(api, shirt);
  assert.deepEqual([a.kind, a.size, a.compared_with.product], ['history', 'S', small.name]);
  assert.equal(a.reason, `We advise S: ${EN.measure.total_length} 0.1 cm shorter than the S you kept from ${brand.name}.`);
});

test('no history: the size most buyers of the same build, height (±5 cm) and weight (±5 kg) kept (each buyer once); others do not count', async () => {
  const product = measured(tops, { S: { chest_mm: 500 }, M: { chest_mm: 520 }, L: { chest_mm: 540 } });
  const like = { upper_body_type: 3, lower_body_type: 2, height_cm: 181, weight_kg: 80 };
  const buyers = await Promise.all([
    makeShopper({ over: { ...like, height_cm: 178 } }), makeShopper({ over: { ...like, weight_kg: 84 } }),
    makeShopper({ over: like }), makeShopper({ over: { ...like, upper_body_type: 1 } }),
    makeShopper({ over: { ...like, height_cm: 170 } }),
  ]);
  const apis = await Promise.all(buyers.map((b) => loginApi(b)));
  await buy(apis[0], product, 'L');
  await buy(apis[1], product, 'L');
  for (let i = 0; i < 3; i++) await buy(apis[2], product, 'M'); // one buyer, counted once
  await buy(apis[3], product, 'S'); // another body type
  await buy(apis[4], product, 'S'); // 11 cm shorter
  const s = await makeShopper({ over: like });
  const a = await advice(await loginApi(s), product);
  assert.deepEqual([a.kind, a.size, a.peers, a.compared_with], ['peers', 'L', 2, null]);
  assert.equal(a.reason, 'We advise L: 2 buyers of your build, height and weight kept it.');
  // The page asks for these only when the product has kept lines (schema/026 counts them).
  const kept = () => num(`SELECT COALESCE((SELECT kept FROM product_kept_counts WHERE product_id = ${product.id}), 0)`);
  assert.equal(kept(), 7);
  const page = await loginPage(s);
  let res = await page.get(`/products/${product.id}`, { headers: { 'Accept-Language': 'en' } });
  assert.ok(res.text.includes(esc(a.reason)), 'the page does not show what buyers like the shopper kept');
  // its lines no longer confirmed (as an operator's repair would): their kept rows go, and the count
  sql(`UPDATE order_lines SET state = 'delivered', confirmed_at = NULL WHERE product_id = ${product.id};`);
  assert.equal(kept(), 0);
  res = await page.get(`/products/${product.id}`, { headers: { 'Accept-Language': 'en' } });
  assert.ok(!res.text.includes(esc(a.reason)) && res.text.includes('fit-advice'), 'advice from kept lines that are gone');
});

test('no history and no height or body type in the profile: what to enter, with a link on the page', async () => {
  const s = await makeShopper();
  sql(`UPDATE users SET height_cm = NULL, weight_kg = NULL WHERE id = ${s.id};`);
  const a = await advice(await loginApi(s), shirt);
  assert.deepEqual([a.kind, a.size, a.missing], ['profile_needed', null, ['height', 'weight']]);
  assert.equal(a.reason, 'Enter your height and weight in your profile and we will advise a size from what buyers like you kept.');
  const res = await (await loginPage(s)).get(`/products/${shirt.id}`);
  assert.ok(res.text.includes('class="fit-advice__link" href="/me/profile"'), 'no way to the profile');
});

test('a guest gets 401 and no advice on the page; a product not shown is 404; one without a size on sale has nothing to advise, and its page opens', async () => {
  assertStatus(await guest().get(`/api/v1/products/${shirt.id}/size-advice`), 401);
  const res = await guest().get(`/products/${shirt.id}`);
  assertStatus(res, 200);
  assert.ok(!res.text.includes('fit-advice'), 'a guest is shown size advice');
  const hidden = makeProduct(brand, { status: 'hidden' });
  const s = await makeShopper();
  assertProblem(await (await loginApi(s)).get(`/api/v1/products/${hidden.id}/size-advice`), 404, 'NOT_FOUND');
  // a product shown with every size taken off sale: nothing to advise among, and its page still opens
  const bare = makeProduct(brand, { variants: [{ size: 'M', status: 'hidden' }] });
  const a = await advice(await loginApi(s), bare);
  assert.deepEqual([a.kind, a.size], ['nothing_to_go_on', null]);
  assertStatus(await (await loginPage(s)).get(`/products/${bare.id}`), 200);
});

test('/for-me: "popular with your body type" ranks by the units bought by the same upper-body type, then the same lower-body type; products of other builds stay out; a guest picks a build, or is invited', async () => {
  const [a, b, c, d] = [1, 2, 3, 4].map(() => measured(tops, { M: { chest_mm: 520 } }));
  const shopperOf = (upper, lower) => makeShopper({ over: { upper_body_type: upper, lower_body_type: lower } });
  const [s31, s31b, s32, s33, s11] = await Promise.all([shopperOf(3, 1), shopperOf(3, 1), shopperOf(3, 2), shopperOf(3, 3), shopperOf(1, 2)]);
  const [a31, a31b, a32, a33, a11] = await Promise.all([s31, s31b, s32, s33, s11].map((s) => loginApi(s)));
  // paid units (popularity moves when an order is paid): a 60 by type 3 (lower 1), b 40 by 3/2,
  // d 40 by 3/3, c 90 by type 1 only; more than any demo order buys
  await buy(a31, a, 'M', { quantity: 30 });
  await buy(a31b, a, 'M', { quantity: 30 });
  await buy(a32, b, 'M', { quantity: 40 });
  await buy(a33, d, 'M', { quantity: 40 });
  await buy(a11, c, 'M', { quantity: 90 });
  const viewer = await loginPage(await shopperOf(3, 2));
  const ids = (html) => {
    const section = html.match(/<section class="section" aria-labelledby="body-type-title">([\s\S]*?)<\/section>/);
    assert.ok(section, 'no "popular with your body type" section');
    return [...section[1].matchAll(/href="\/products\/(\d+)"/g)].map((m) => Number(m[1])).filter((id, i, all) => all.indexOf(id) === i);
  };
  const ours = (list) => list.filter((id) => [a.id, b.id, c.id, d.id].includes(id));
  // upper 3 first by its units (a 60, then b and d 40), then lower 2 among equals (b before d); c not at all
  let res = await viewer.get('/for-me');
  assertStatus(res, 200);
  assert.deepEqual(ours(ids(res.text)), [a.id, b.id, d.id]);
  // a guest who picks 3/3: d before b
  res = await guest().get('/for-me?upper=3&lower=3');
  assertStatus(res, 200);
  assert.deepEqual(ours(ids(res.text)), [a.id, d.id, b.id]);
  // a guest who picks nothing: invited to sign up or pick, no lists
  res = await guest().get('/for-me');
  assert.ok(res.text.includes('href="/signup"') && !res.text.includes('body-type-title'), 'the guest is not invited');
  assertStatus(await guest().get('/for-me?upper=4'), 422);
});

// Size advice reads the kept sizes from kept_sizes (schema/022), which triggers keep: it must hold
// exactly the confirmed lines, follow a product to another category and a line out of 'confirmed'.
test('the kept sizes are exactly the confirmed lines (shopper, category, time); they follow a product\'s category and a line that is no longer confirmed', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const kept = measured(tops, { L: { total_length_mm: 720, shoulder_mm: 470, chest_mm: 570 } });
  await buy(api, kept, 'L');
  const differ = () => Number(sql(`SELECT
    (SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id
      WHERE l.state = 'confirmed' AND NOT EXISTS (SELECT 1 FROM kept_sizes k WHERE k.order_line_id = l.id
        AND k.user_id = o.user_id AND k.category_id = p.category_id AND k.product_id = l.product_id
        AND k.confirmed_at = l.confirmed_at))
    + (SELECT COUNT(*) FROM kept_sizes k WHERE NOT EXISTS (SELECT 1 FROM order_lines l
      WHERE l.id = k.order_line_id AND l.state = 'confirmed'))`).trim());
  assert.equal(differ(), 0, 'kept_sizes and the confirmed lines differ');
  assert.equal((await advice(api, shirt)).kind, 'history');
  sql(`UPDATE products SET category_id = ${bottoms} WHERE id = ${kept.id};`);
  assert.equal(differ(), 0, 'a product moved to another category left its kept sizes behind');
  assert.notEqual((await advice(api, shirt)).kind, 'history', 'a kept size of another category is compared');
  sql(`UPDATE products SET category_id = ${tops} WHERE id = ${kept.id};`);
  assert.equal((await advice(api, shirt)).kind, 'history');
  const line = Number(sql(`SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE o.user_id = ${s.id} AND l.product_id = ${kept.id}`).trim());
  sql(`UPDATE order_lines SET state = 'delivered', confirmed_at = NULL WHERE id = ${line};`);
  assert.equal(differ(), 0, 'a line no longer confirmed is still kept');
  assert.notEqual((await advice(api, shirt)).kind, 'history', 'a line no longer confirmed is compared');
  sql(`UPDATE order_lines SET state = 'confirmed', confirmed_at = UTC_TIMESTAMP() WHERE id = ${line};`);
  assert.equal(differ(), 0, 'a line confirmed again is not kept');
});

test('cleanup: every brand, product, shopper, seller, admin and order row of this run is removed', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
