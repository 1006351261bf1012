// The seller console's products through the real stack (SPEC §4 seller pages; docs/seller-console.md
// "Products"): create with images and sizes (API and the page forms without JavaScript), edit,
// reorder and remove images, sizes with measurements, status changes that show or hide the product
// in the shop, delete only when never ordered, another brand's product is 404, bad input changes
// nothing, and every refused upload (a text file named .jpg, an oversize image, a decompression
// bomb, too many files, a polyglot, a path in the file name) leaves nothing in the media folder.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_MEDIA_DIR=/path/to/media node tests/integration/seller-products.test.mjs
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { test, run, assert } from '../lib/tap.mjs';
import { assertStatus, assertProblem } from './http.mjs';
import { SOCKET, bailUnlessSet, num, one, rows, esc, EN, csrfOf, location, pageLogin, Client } from './client.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeAdmin, makeSeller, loginApi, loginSeller, guest, cleanup, purchase,
} from './shop.mjs';
import { png, bombPng } from './images.mjs';

const MEDIA = process.env.LONUA_MEDIA_DIR;
bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"],
  ['LONUA_MEDIA_DIR', MEDIA, 'where the media pipeline stores images, to see what a refused upload left']]);

const brand = makeBrand({ fee: 0, freeThreshold: 0 });
const other = makeBrand();
const [admin, seller, otherSeller] = await Promise.all([makeAdmin(), makeSeller(brand), makeSeller(other)]);
const api = await loginSeller(seller);
const otherApi = await loginSeller(otherSeller);
const staff = { adminApi: await loginApi(admin), sellerApi: api };
const [category, style] = rows('SELECT (SELECT MIN(id) FROM categories), (SELECT MIN(id) FROM styles)')[0].map(Number);

const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const mediaFile = (hash, size = 'card') => path.join(MEDIA, hash.slice(0, 2), hash.slice(2, 4), `${hash}-${size}.jpg`);
const stored = (buf) => fs.existsSync(mediaFile(sha(buf)));
const file = (name, data, filename = 'photo.png', contentType = 'image/png') => ({ name, filename, contentType, data });
const fields = (o) => Object.entries(o).map(([name, value]) => ({ name, value: String(value) }));
const productBody = (over = {}) => ({ name: `셀러테스트 ${crypto.randomBytes(3).toString('hex')} 셔츠`, category_id: category,
  style_id: style, list_price: 50000, sale_price: 45000, status: 'active', description: '부드러운 코튼 셔츠', ...over });
const countOf = (brandId = brand.id) => num(`SELECT COUNT(*) FROM products WHERE brand_id = ${brandId}`);
const inShop = async (id) => (await guest().get(`/api/v1/products?brand=${brand.id}&per_page=100`)).json.items.some((p) => p.id === id);

test('create by API with images and description images (multipart), then sizes with measurements in cm', async () => {
  const a = png(60, 75), b = png(40, 50), d = png(30, 90);
  const res = await api.send('POST', '/api/v1/seller/products', { parts: [...fields(productBody({ name: '멀티파트 셔츠' })),
    file('images', a), file('images', b), file('description_images', d)] });
  assertStatus(res, 201);
  assert.equal(res.headers.location, `/api/v1/seller/products/${res.json.id}`);
  assert.deepEqual(res.json.images.map((i) => i.key), [sha(a), sha(b)]);
  assert.deepEqual(res.json.description_images.map((i) => i.key), [sha(d)]);
  assert.equal(res.json.discount_percent, 10);
  assert.ok(stored(a) && stored(b) && stored(d), 'every image went through the media pipeline');
  const id = res.json.id;
  const m = await api.api('POST', `/api/v1/seller/products/${id}/variants`, { size_label: 'M', stock: 7, sku: `SKU-${id}-M`,
    chest_cm: 52.5, shoulder_cm: '45', sleeve_cm: 60.2, total_length_cm: 70 });
  assertStatus(m, 201);
  assert.deepEqual([m.json.size_label, m.json.stock, m.json.measurements.chest_cm, m.json.measurements.shoulder_cm],
    ['M', 7, 52.5, 45]);
  assert.deepEqual(one(`SELECT chest_mm, shoulder_mm, sleeve_mm, total_length_mm, waist_mm FROM product_variants WHERE id = ${m.json.id}`),
    ['525', '450', '602', '700', 'NULL']);
  const l = await api.api('POST', `/api/v1/seller/products/${id}/variants`, { size_label: 'L', stock: 3, waist_cm: 40, hip_cm: 51.5 });
  assertStatus(l, 201);
  // the same size again, or the same SKU: 422, nothing added
  assertProblem(await api.api('POST', `/api/v1/seller/products/${id}/variants`, { size_label: 'M', stock: 1 }), 422);
  const dupSku = await api.api('POST', `/api/v1/seller/products/${id}/variants`, { size_label: 'XL', stock: 1, sku: `SKU-${id}-M` });
  assertProblem(dupSku, 422);
  assert.equal(dupSku.json.errors.sku, 'sku_taken');
  assertProblem(await api.api('POST', `/api/v1/seller/products/${id}/variants`, { size_label: 'XL', chest_cm: 52.55 }), 422);
  assertProblem(await api.api('POST', `/api/v1/seller/products/${id}/variants`, { size_label: 'XL', chest_cm: 600 }), 422);
  assert.equal(num(`SELECT COUNT(*) FROM product_variants WHERE product_id = ${id}`), 2);
  // the shop shows it, with its sizes and measurements, and keyword search finds it
  const page = await guest().get(`/api/v1/products/${id}`);
  assertStatus(page, 200);
  assert.deepEqual(page.json.variants.map((v) => [v.size, v.measurements.chest ?? null]), [['M', 52.5], ['L', null]]);
  assert.ok(await inShop(id));
  const found = await guest().get(`/api/v1/products?q=${encodeURIComponent('멀티파트')}&brand=${brand.id}`);
  assert.ok(found.json.items.some((p) => p.id === id), 'the search index sees the new product');
  // the console's list and one product
  const listed = await api.get(`/api/v1/seller/products?q=${encodeURIComponent('멀티파트')}`);
  assertStatus(listed, 200);
  assert.deepEqual(listed.json.items.map((p) => [p.id, p.stock_total, p.units_sold, p.status]), [[id, 10, 0, 'active']]);
  assert.equal(listed.json.items[0].image.thumb, `/media/${sha(a).slice(0, 2)}/${sha(a).slice(2, 4)}/${sha(a)}-thumb.jpg`);
});

test('edit: fields, reorder and remove images, add more; PATCH sends only what changes', async () => {
  const a = png(20, 25), b = png(21, 25), c = png(22, 25), d = png(23, 25);
  const made = await api.send('POST', '/api/v1/seller/products', { parts: [...fields(productBody()), file('images', a),
    file('images', b), file('images', c)] });
  assertStatus(made, 201);
  const id = made.json.id;
  // the third first, the first removed, a new one at the end
  const res = await api.send('PATCH', `/api/v1/seller/products/${id}`, { parts: [{ name: 'image_3', value: '1' },
    { name: 'image_2', value: '2' }, { name: 'remove_image_1', value: '1' }, file('images', d), { name: 'sale_price', value: '30000' }] });
  assertStatus(res, 200);
  assert.deepEqual(res.json.images.map((i) => i.key), [sha(c), sha(b), sha(d)]);
  assert.deepEqual([res.json.sale_price, res.json.list_price, res.json.name], [30000, 50000, made.json.name]);
  const renamed = await api.api('PATCH', `/api/v1/seller/products/${id}`, { name: '새 이름 셔츠', description: '' });
  assertStatus(renamed, 200);
  assert.deepEqual([renamed.json.name, renamed.json.description, renamed.json.images.length], ['새 이름 셔츠', null, 3]);
  const found = await guest().get(`/api/v1/products?q=${encodeURIComponent('새 이름 셔츠')}&brand=${brand.id}`);
  assert.ok(found.json.items.some((p) => p.id === id), 'the search index sees the new name');
});

test('bad input is a 4xx that changes nothing', async () => {
  const before = countOf();
  for (const bad of [productBody({ sale_price: 60000 }), productBody({ list_price: 0 }), productBody({ name: '' }),
    productBody({ category_id: 999999 }), productBody({ style_id: 999999 }), productBody({ status: 'sold' }),
    productBody({ list_price: 1.5 }), productBody({ name: 'x'.repeat(151) })]) {
    const res = await api.api('POST', '/api/v1/seller/products', bad);
    assertProblem(res, 422);
  }
  const over = await api.api('POST', '/api/v1/seller/products', productBody({ sale_price: 60000 }));
  assert.equal(over.json.errors.sale_price, 'sale_above_list');
  assert.equal(countOf(), before);
  const p = makeProduct(brand, { price: 20000 });
  assertProblem(await api.api('PATCH', `/api/v1/seller/products/${p.id}`, { sale_price: 25000 }), 422);
  assert.equal(num(`SELECT sale_price FROM products WHERE id = ${p.id}`), 20000);
});

test('uploads: not an image, oversize, a bomb, too many, a polyglot, a path in the name: each refused, nothing stored', async () => {
  const before = countOf();
  const good = png(33, 44);
  const cases = [
    ['a text file named .jpg', [file('images', Buffer.from('just some text, not a picture'), 'photo.jpg', 'image/jpeg')], 'not_an_image'],
    ['an oversize image', [file('images', Buffer.concat([png(10, 10), Buffer.alloc(10 * 1024 * 1024 + 10)]))], null],
    ['a decompression bomb', [file('images', bombPng())], 'image_too_large'],
    ['too many files', Array.from({ length: 11 }, (_, i) => file('images', png(8, 8 + i))), 'too_many_photos'],
    ['a polyglot', [file('images', Buffer.concat([png(12, 12), Buffer.from('<html><script>alert(1)</script></html>')]))], 'polyglot'],
    ['a path in the file name', [file('images', png(9, 9), '../../etc/passwd.png')], 'bad_file_name'],
    ['a Windows path in the file name', [file('description_images', png(9, 10), 'C:\\Users\\x\\a.png')], 'bad_file_name'],
  ];
  for (const [what, parts, code] of cases) {
    const res = await api.send('POST', '/api/v1/seller/products', { parts: [...fields(productBody()), file('images', good), ...parts] });
    assert.ok(res.status === 422 || res.status === 413, `${what}: ${res.status}`);
    if (code) assert.equal(res.json.errors.images || res.json.errors.description_images, code, what);
    assert.ok(res.json ? res.json.detail || res.json.title : res.text.length > 0, `${what}: a message`);
    for (const p of parts) if (Buffer.isBuffer(p.data)) assert.equal(stored(p.data), false, `${what}: no file stored`);
    assert.equal(stored(good), false, `${what}: the good image sent with it was removed again`);
  }
  assert.equal(countOf(), before, 'no product row');
  // an edit refused for its upload keeps the images it had and stores nothing
  const kept = png(14, 18);
  const made = await api.send('POST', '/api/v1/seller/products', { parts: [...fields(productBody()), file('images', kept)] });
  assertStatus(made, 201);
  const extra = png(15, 18);
  const refused = await api.send('PATCH', `/api/v1/seller/products/${made.json.id}`, { parts: [file('images', extra),
    file('images', Buffer.from('GIF89a not really'), 'x.gif', 'image/gif')] });
  assertProblem(refused, 422);
  assert.equal(stored(extra), false);
  assert.deepEqual(rows(`SELECT image_key FROM product_images WHERE product_id = ${made.json.id}`).map((r) => r[0]), [sha(kept)]);
  // the page form says it beside the field
  const page = await pageLogin(seller, new Client(), { action: '/seller/login' });
  const form = await page.get('/seller/products/new');
  const res = await page.send('POST', '/seller/products', { parts: [...fields({ ...productBody(), csrf_token: csrfOf(form) }),
    file('images', Buffer.from('plain text'), 'a.jpg', 'image/jpeg')] });
  assertStatus(res, 422);
  assert.ok(res.text.includes(esc(EN.validation.not_an_image)), 'the message is on the page');
});

test('status: draft and hidden are not in the shop, active is; the product page follows', async () => {
  const res = await api.api('POST', '/api/v1/seller/products', productBody({ status: 'draft' }));
  assertStatus(res, 201);
  const id = res.json.id;
  assertStatus(await api.api('POST', `/api/v1/seller/products/${id}/variants`, { size_label: 'FREE', stock: 4 }), 201);
  assert.equal(await inShop(id), false);
  assertStatus(await guest().get(`/products/${id}`), 404);
  assertStatus(await api.api('PATCH', `/api/v1/seller/products/${id}`, { status: 'active' }), 200);
  assert.equal(await inShop(id), true);
  assertStatus(await guest().get(`/products/${id}`), 200);
  assertStatus(await api.api('PATCH', `/api/v1/seller/products/${id}`, { status: 'hidden' }), 200);
  assert.equal(await inShop(id), false);
  assertStatus(await guest().get(`/products/${id}`), 404);
  // the console's filters
  const hidden = await api.get(`/api/v1/seller/products?status=hidden&category=${category}&per_page=100`);
  assert.ok(hidden.json.items.some((p) => p.id === id));
  assert.ok(hidden.json.items.every((p) => p.status === 'hidden' && p.category_id === category));
  const active = await api.get('/api/v1/seller/products?status=active&per_page=100');
  assert.ok(!active.json.items.some((p) => p.id === id));
});

// Each cart's line count (schema/018: kept by triggers on cart_lines; the header's count reads it)
// and the lines it counts.
const cartCount = (shopperId) => rows(`SELECT c.line_count, (SELECT COUNT(*) FROM cart_lines l WHERE l.cart_id = c.id)
  FROM carts c WHERE c.user_id = ${shopperId}`)[0].map(Number);

test('a size or a product deleted while it is in a cart takes its lines out, and the cart\'s line count follows (no cascade left behind)', async () => {
  const p = makeProduct(brand, { variants: [{ size: 'S', stock: 5 }, { size: 'M', stock: 5 }] });
  const q = makeProduct(brand, { variants: [{ size: 'L', stock: 5 }, { size: 'XL', stock: 5 }] });
  const shopper = await makeShopper();
  const buyer = await loginApi(shopper);
  for (const v of [...p.variants, ...q.variants]) {
    assertStatus(await buyer.api('POST', '/api/v1/cart/items', { variant_id: v.id, quantity: 1 }), 201);
  }
  assert.deepEqual(cartCount(shopper.id), [4, 4]);
  assertStatus(await api.api('DELETE', `/api/v1/seller/products/${q.id}/variants/${q.variants[0].id}`), 204);
  assert.deepEqual(cartCount(shopper.id), [3, 3], 'a deleted size');
  assertStatus(await api.api('DELETE', `/api/v1/seller/products/${p.id}`), 204);
  assert.deepEqual(cartCount(shopper.id), [1, 1], 'a deleted product');
  const cart = await buyer.get('/api/v1/cart');
  assert.deepEqual(cart.json.items.map((i) => i.variant_id), [q.variants[1].id], 'the other product\'s size left the cart');
});

test('delete only when never ordered (409 otherwise, hide instead); an ordered size is hidden, not deleted', async () => {
  const fresh = await api.api('POST', '/api/v1/seller/products', productBody());
  const v = await api.api('POST', `/api/v1/seller/products/${fresh.json.id}/variants`, { size_label: 'S', stock: 1 });
  assertStatus(await api.api('DELETE', `/api/v1/seller/products/${fresh.json.id}/variants/${v.json.id}`), 204);
  assert.equal(num(`SELECT COUNT(*) FROM product_variants WHERE id = ${v.json.id}`), 0);
  assertStatus(await api.api('DELETE', `/api/v1/seller/products/${fresh.json.id}`), 204);
  assert.equal(num(`SELECT COUNT(*) FROM products WHERE id = ${fresh.json.id}`), 0);
  assert.equal(num(`SELECT COUNT(*) FROM product_search WHERE product_id = ${fresh.json.id}`), 0);

  const p = makeProduct(brand, { variants: [{ size: 'S', stock: 50 }, { size: 'M', stock: 50 }] });
  const buyer = await loginApi(await makeShopper());
  await purchase(buyer, staff, p.variants[0].id, { until: 'paid' });
  const refused = await api.api('DELETE', `/api/v1/seller/products/${p.id}`);
  assertProblem(refused, 409, 'ORDERED');
  assert.match(refused.json.detail, /hide it/);
  assert.equal(num(`SELECT COUNT(*) FROM products WHERE id = ${p.id}`), 1);
  const hid = await api.api('DELETE', `/api/v1/seller/products/${p.id}/variants/${p.variants[0].id}`);
  assertStatus(hid, 200);
  assert.equal(hid.json.status, 'hidden');
  assert.equal(val1(`SELECT status FROM product_variants WHERE id = ${p.variants[0].id}`), 'hidden');
  const listed = await api.get(`/api/v1/seller/products/${p.id}`);
  assert.deepEqual([listed.json.units_sold, listed.json.ordered], [1, true]);
});
const val1 = (q) => one(q)[0];

test("another brand's product and sizes are 404 to a seller, and unchanged", async () => {
  const p = makeProduct(brand);
  const vid = p.variants[0].id;
  assertProblem(await otherApi.get(`/api/v1/seller/products/${p.id}`), 404);
  assertProblem(await otherApi.api('PATCH', `/api/v1/seller/products/${p.id}`, { name: 'stolen' }), 404);
  assertProblem(await otherApi.api('DELETE', `/api/v1/seller/products/${p.id}`), 404);
  assertProblem(await otherApi.api('POST', `/api/v1/seller/products/${p.id}/variants`, { size_label: 'XL', stock: 1 }), 404);
  assertProblem(await otherApi.api('PATCH', `/api/v1/seller/products/${p.id}/variants/${vid}`, { stock: 0 }), 404);
  assertProblem(await otherApi.api('DELETE', `/api/v1/seller/products/${p.id}/variants/${vid}`), 404);
  // a size of another product of one's own brand is 404 too
  const mine = makeProduct(other);
  assertProblem(await otherApi.api('PATCH', `/api/v1/seller/products/${mine.id}/variants/${vid}`, { stock: 0 }), 404);
  assert.ok(!(await otherApi.get('/api/v1/seller/products?per_page=100')).json.items.some((x) => x.id === p.id));
  const page = await pageLogin(otherSeller, new Client(), { action: '/seller/login' });
  assertStatus(await page.get(`/seller/products/${p.id}`), 404);
  assert.deepEqual(one(`SELECT name, status FROM products WHERE id = ${p.id}`), [p.name, 'active']);
  assert.equal(num(`SELECT COUNT(*) FROM product_variants WHERE product_id = ${p.id}`), 1);
  // a shopper is refused the console
  const shopper = await loginApi(await makeShopper());
  assertStatus(await shopper.get('/api/v1/seller/products'), 403);
});

test('the page forms without JavaScript: list, new with images, sizes with measurements, edit, delete', async () => {
  const page = await pageLogin(seller, new Client(), { action: '/seller/login' });
  const list = await page.get('/seller/products');
  assertStatus(list, 200);
  assert.match(list.text, /href="\/seller\/products"[^>]*aria-current="page"/, 'the menu marks Products');
  const form = await page.get('/seller/products/new');
  assertStatus(form, 200);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  const token = csrfOf(form);
  const a = png(50, 60), b = png(51, 60);
  // sale above list: the form again with the message, nothing made
  const before = countOf();
  const bad = await page.send('POST', '/seller/products', { parts: [...fields({ ...productBody({ name: '페이지 셔츠', sale_price: 90000 }), csrf_token: token })] });
  assertStatus(bad, 422);
  assert.ok(bad.text.includes(esc(EN.validation.sale_above_list)));
  assert.ok(bad.text.includes('value="페이지 셔츠"'), 'what was typed is kept');
  assert.equal(countOf(), before);
  const made = await page.send('POST', '/seller/products', { parts: [...fields({ ...productBody({ name: '페이지 셔츠' }), csrf_token: token }),
    file('images', a), file('images', b)] });
  assertStatus(made, 303);
  const m = String(location(made)).match(/^\/seller\/products\/(\d+)\?created=1$/);
  assert.ok(m, location(made));
  const id = Number(m[1]);
  const edit = await page.get(location(made));
  assertStatus(edit, 200);
  assert.ok(edit.text.includes(esc(EN.seller_products.created)));
  for (const [size, chest] of [['S', '50'], ['M', '52.5'], ['L', '55']]) {
    const added = await page.post(`/seller/products/${id}/variants`, { csrf_token: token, size_label: size, stock: '5', chest_cm: chest,
      total_length_cm: '70' });
    assertStatus(added, 303);
  }
  const sizes = rows(`SELECT size_label, chest_mm, stock FROM product_variants WHERE product_id = ${id} ORDER BY id`);
  assert.deepEqual(sizes, [['S', '500', '5'], ['M', '525', '5'], ['L', '550', '5']]);
  // edit a size: stock is not in the row's form and stays as it is
  const vid = num(`SELECT id FROM product_variants WHERE product_id = ${id} AND size_label = 'M'`);
  assertStatus(await page.post(`/seller/products/${id}/variants/${vid}`, { csrf_token: token, size_label: 'M', color: '', sku: '',
    status: 'active', sort_order: '1', chest_cm: '53', total_length_cm: '71' }), 303);
  assert.deepEqual(one(`SELECT chest_mm, total_length_mm, stock FROM product_variants WHERE id = ${vid}`), ['530', '710', '5']);
  // reorder the images: the second first
  const edited = await page.send('POST', `/seller/products/${id}`, { parts: fields({ ...productBody({ name: '페이지 셔츠 2' }),
    csrf_token: token, image_1: '2', image_2: '1' }) });
  assertStatus(edited, 303);
  assert.deepEqual(rows(`SELECT image_key FROM product_images WHERE product_id = ${id} ORDER BY position`).map((r) => r[0]), [sha(b), sha(a)]);
  const shown = await page.get(`/seller/products/${id}`);
  assert.ok(shown.text.includes('페이지 셔츠 2') && shown.text.includes('value="52.5"') === false && shown.text.includes('value="53"'));
  // it is in the shop's listing and on its page
  const shop = await guest().get(`/products/${id}`);
  assertStatus(shop, 200);
  assert.ok(shop.text.includes('페이지 셔츠 2'));
  const listed = await page.get('/seller/products?q=' + encodeURIComponent('페이지 셔츠 2'));
  assert.ok(listed.text.includes(`data-product-id="${id}"`));
  // delete it from its page (never ordered)
  const del = await page.post(`/seller/products/${id}/delete`, { csrf_token: token });
  assertStatus(del, 303);
  assert.equal(location(del), '/seller/products?deleted=1');
  assert.equal(num(`SELECT COUNT(*) FROM products WHERE id = ${id}`), 0);
});

test('a suspended seller and a seller of an inactive brand are refused', async () => {
  const b2 = makeBrand();
  const s2 = await makeSeller(b2);
  const c = await loginSeller(s2);
  assertStatus(await c.get('/api/v1/seller/products'), 200);
  num(`UPDATE brands SET status = 'inactive' WHERE id = ${b2.id}; SELECT 1`);
  const refused = await c.get('/api/v1/seller/products');
  assert.ok(refused.status === 401 || refused.status === 403, `inactive brand: ${refused.status}`);
});

test('cleanup', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
