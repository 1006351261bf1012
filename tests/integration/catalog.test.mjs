// The catalogue API through the real stack (nginx → lonua workers → MariaDB with Mroonga):
// GET /api/v1/products (every filter, every sort, pages, bounded totals, Korean substring search
// with hostile input), GET /api/v1/products/{id} (images, sizes with measurements, brand terms),
// GET /api/v1/brands and /api/v1/brands/{id}. Hidden, draft and inactive-brand products never show.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//     node tests/integration/catalog.test.mjs
//
// The test brings its own rows (no seed needed): four brands named below, ~30 products with
// sizes, images and search rows, and 10,050 generated products for the 10,000 cap. It removes
// them at the start (leftovers of a run that died) and at the end. Every expectation is scoped
// to these brands, so other rows in the database (a seed) do not disturb it.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { get, describe, assertStatus, assertProblem, assertInvalid } from './http.mjs';

const SOCKET = process.env.LONUA_DB_ROOT_SOCKET;
if (!SOCKET) {
  console.log('Bail out! LONUA_DB_ROOT_SOCKET is not set (the private MariaDB\'s socket, for the fixtures)');
  process.exit(1);
}

// ---- fixtures ---------------------------------------------------------------------------------

const B1 = '테스트브랜드 <b>';
const B2 = 'catalog-test 둘째 브랜드';
const B3 = 'catalog-test 비활성 브랜드';
const B4 = 'catalog-test 대량 브랜드';
const BRANDS = [B1, B2, B3, B4];
const BULK = 10050; // products of B4: more than the 10,000 a total counts exactly

function sql(script) {
  return execFileSync('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', 'lonua'], { input: script, encoding: 'utf8', maxBuffer: 64 << 20 });
}

const lit = (v) => (v === null || v === undefined ? 'NULL'
  : typeof v === 'number' ? String(v)
    : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');
const brandList = BRANDS.map(lit).join(', ');

const CLEANUP = `
DELETE s FROM product_search s JOIN products p ON p.id = s.product_id JOIN brands b ON b.id = p.brand_id
  WHERE b.name IN (${brandList});
DELETE p FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name IN (${brandList});
DELETE FROM brands WHERE name IN (${brandList});
`;

const LOGO = sha('catalog-test-logo');
const BRAND_ROWS = [
  { name: B1, status: 'active', intro: '테스트용 브랜드 소개 <script>alert(1)</script>', style: '캐주얼', logo: LOGO,
    fee: 3000, free: 50000, ret: 6000, postal: '04524', address: '서울특별시 중구 세종대로 110', courier: 'CJ대한통운' },
  { name: B2, status: 'active', intro: null, style: null, logo: null,
    fee: 2500, free: null, ret: 0, postal: null, address: '부산광역시 해운대구 1', courier: '우체국택배' },
  { name: B3, status: 'inactive', intro: null, style: null, logo: null,
    fee: 3000, free: null, ret: 0, postal: null, address: '서울 어딘가', courier: 'CJ대한통운' },
  { name: B4, status: 'active', intro: null, style: null, logo: null,
    fee: 3000, free: null, ret: 0, postal: null, address: '서울 어딘가', courier: 'CJ대한통운' },
];

// B1's products: i = 1..30, tops (odd) and bottoms (even), casual or street (every third), with
// repeating prices, creation times, ratings and sales so that every sort meets ties.
function b1Products() {
  const out = [];
  for (let i = 1; i <= 30; i++) {
    const top = i % 2 === 1;
    let name = `카탈로그테스트 ${top ? '셔츠' : '슬랙스'} ${i}`;
    if (i === 2) name = '스트레이트 청바지';
    if (i === 4) name = '반바지';
    if (i === 29) name = '숨김 반바지';
    if (i === 30) name = '초안 청바지';
    const list = 20000 + (i % 10) * 1000;
    const sale = i % 4 === 0 ? list - 2000 - (i % 3) * 1000 : list;
    const reviews = i % 5;
    out.push({
      key: i, brand: B1, name, top,
      category: top ? 'tops' : 'bottoms',
      style: i % 3 === 0 ? 'street' : 'casual',
      description: i === 2 ? '<p>일자 핏</p> "따옴표" & 설명' : null,
      list, sale,
      discount: Math.floor(((list - sale) * 100) / list),
      units: (i * 7) % 13,
      reviews,
      ratingSum: reviews * (1 + (i % 4)),
      rating: reviews ? 1 + (i % 4) : null,
      likes: i % 6,
      created: `2026-11-01 ${String(i % 12).padStart(2, '0')}:00:00`,
      status: i === 29 ? 'hidden' : i === 30 ? 'draft' : 'active',
      images: i === 3 ? [] : [1, 0], // inserted out of order: the answer orders by position
    });
  }
  return out;
}

const OTHER_PRODUCTS = [
  ...[101, 102, 103, 104].map((i) => ({
    key: i, brand: B2, name: `둘째 브랜드 니트 ${i}`, top: true, category: 'tops', style: 'casual', description: null,
    list: 30000, sale: 30000, discount: 0, units: 0, reviews: 0, ratingSum: 0, rating: null, likes: 0,
    created: '2026-10-01 00:00:00', status: 'active', images: [],
  })),
  { key: 201, brand: B3, name: '비활성 브랜드 청바지', top: false, category: 'bottoms', style: 'casual', description: null,
    list: 30000, sale: 25000, discount: 16, units: 0, reviews: 0, ratingSum: 0, rating: null, likes: 0,
    created: '2026-10-01 00:00:00', status: 'active', images: [0] },
];

const B1_PRODUCTS = b1Products();
const ALL_PRODUCTS = [...B1_PRODUCTS, ...OTHER_PRODUCTS];

// Sizes: tops S/M/L, bottoms 28/30/32 (plus, for 청바지, a hidden 34 with stock). Inserted in
// reverse order, so the answer's order (sort_order) differs from the ids'.
function variantsOf(p) {
  const labels = p.top ? ['S', 'M', 'L'] : ['28', '30', '32'];
  const rows = labels.map((size, k) => {
    let stock = 5;
    if (k === 1 && p.key % 5 === 0) stock = 0; // the middle size is sold out for every fifth
    if (p.key === 8) stock = 0;                // product 8 is sold out altogether
    if (p.brand === B2) stock = k === 1 ? 3 : 0;
    const m = p.top
      ? { shoulder_mm: 440 + k * 20, chest_mm: 500 + k * 25, sleeve_mm: 600 + k * 10, total_length_mm: 680 + k * 20 }
      : { waist_mm: 370 + k * 15, hip_mm: 480 + k * 20, thigh_mm: 305, rise_mm: 280, hem_mm: k === 0 ? null : 195,
        total_length_mm: 1000 + k * 5 };
    return { size, sort: k + 1, stock, status: 'active', color: p.key === 2 ? '인디고' : '',
      sku: p.key === 2 ? `CT-2-${size}` : null, m };
  });
  if (p.key === 2) {
    rows.push({ size: '34', sort: 4, stock: 3, status: 'hidden', color: '인디고', sku: 'CT-2-34', m: { waist_mm: 415 } });
  }
  return rows.reverse();
}

const ids = new Map(); // product key → id
const brandIds = new Map(); // brand name → id
const idOf = (key) => ids.get(key);
const keyOf = new Map(); // id → product

function insertFixtures() {
  sql(CLEANUP);
  let s = '';
  for (const b of BRAND_ROWS) {
    s += `INSERT INTO brands (name, key_hash, status, introduction, logo_image, style_label, business_address, phone,
      business_registration_number, bank_name, bank_account_number, bank_account_holder, shipping_fee,
      free_shipping_threshold, return_postal_code, return_address, return_shipping_cost, return_courier)
      VALUES (${lit(b.name)}, UNHEX(SHA2(${lit(b.name)}, 256)), ${lit(b.status)}, ${lit(b.intro)}, ${lit(b.logo)},
      ${lit(b.style)}, '서울특별시 중구 1', '0212345678', '1234567890', '테스트은행', '123-456-789', '예금주',
      ${b.fee}, ${lit(b.free)}, ${lit(b.postal)}, ${lit(b.address)}, ${b.ret}, ${lit(b.courier)});\n`;
  }
  for (const p of ALL_PRODUCTS) {
    s += `INSERT INTO products (brand_id, category_id, style_id, name, description, list_price, sale_price, status,
      like_count, units_sold_30d, review_count, rating_sum, created_at)
      VALUES ((SELECT id FROM brands WHERE name = ${lit(p.brand)}), (SELECT id FROM categories WHERE code = ${lit(p.category)}),
      (SELECT id FROM styles WHERE code = ${lit(p.style)}), ${lit(p.name)}, ${lit(p.description)}, ${p.list}, ${p.sale},
      ${lit(p.status)}, ${p.likes}, ${p.units}, ${p.reviews}, ${p.ratingSum}, ${lit(p.created)});\n`;
  }
  sql(s);
  for (const line of sql(`SELECT id, name FROM brands WHERE name IN (${brandList})`).trim().split('\n')) {
    const [id, name] = line.split('\t');
    brandIds.set(name, Number(id));
  }
  const byName = new Map(ALL_PRODUCTS.map((p) => [`${p.brand}\t${p.name}`, p]));
  const rows = sql(`SELECT p.id, b.name, p.name FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name IN (${brandList})`);
  for (const line of rows.trim().split('\n')) {
    const [id, brand, name] = line.split('\t');
    const p = byName.get(`${brand}\t${name}`);
    p.id = Number(id);
    ids.set(p.key, p.id);
    keyOf.set(p.id, p);
  }
  s = '';
  for (const p of ALL_PRODUCTS) {
    p.variants = variantsOf(p);
    for (const v of p.variants) {
      const cols = Object.keys(v.m);
      s += `INSERT INTO product_variants (product_id, brand_id, size_label, color, sku, stock, status, sort_order${cols.map((c) => `, ${c}`).join('')})
        VALUES (${p.id}, ${brandIds.get(p.brand)}, ${lit(v.size)}, ${lit(v.color)}, ${lit(v.sku)}, ${v.stock}, ${lit(v.status)}, ${v.sort}${cols.map((c) => `, ${lit(v.m[c])}`).join('')});\n`;
    }
    for (const pos of p.images) {
      s += `INSERT INTO product_images (product_id, position, image_key) VALUES (${p.id}, ${pos}, '${sha(`catalog-test-${p.key}-${pos}`)}');\n`;
    }
  }
  // 10,050 more products of B4 for the cap on totals (no sizes, no images, no search rows).
  s += `INSERT INTO products (brand_id, category_id, style_id, name, list_price, sale_price, status, created_at)
    SELECT (SELECT id FROM brands WHERE name = ${lit(B4)}), (SELECT MIN(id) FROM categories), (SELECT MIN(id) FROM styles),
    CONCAT('대량 상품 ', seq), 10000, 10000, 'active', '2026-09-01 00:00:00' FROM seq_1_to_${BULK};\n`;
  // The search rows as the application writes them: product, brand, category and style names.
  s += `INSERT INTO product_search (product_id, body)
    SELECT p.id, CONCAT_WS(' ', p.name, b.name, c.name_ko, c.name_en, st.name_ko, st.name_en)
    FROM products p JOIN brands b ON b.id = p.brand_id JOIN categories c ON c.id = p.category_id
    JOIN styles st ON st.id = p.style_id WHERE b.name IN (${[B1, B2, B3].map(lit).join(', ')});\n`;
  sql(s);
}

// ---- helpers ----------------------------------------------------------------------------------

async function listProducts(query) {
  const res = await get(`/api/v1/products?${query}`);
  assertStatus(res, 200);
  assert.equal(res.headers['content-type'], 'application/json', describe(res));
  const body = res.json;
  assert.ok(body && Array.isArray(body.items), `no items: ${describe(res)}`);
  for (const k of ['page', 'per_page', 'total']) assert.equal(typeof body[k], 'number', `${k}: ${describe(res)}`);
  assert.equal(typeof body.total_is_lower_bound, 'boolean', describe(res));
  return body;
}

// Every item of a list, page after page (other rows, e.g. a seed, may push ours past page 1).
async function allItems(path) {
  const items = [];
  for (let page = 1; page <= 100; page++) {
    const res = await get(`${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${page}`);
    assertStatus(res, 200);
    items.push(...res.json.items);
    if (res.json.items.length < 100 || items.length >= res.json.total) break;
  }
  return items;
}

const b1 = () => `brand=${brandIds.get(B1)}`;
const active = (list) => list.filter((p) => p.status === 'active');
const B1_ACTIVE = () => active(B1_PRODUCTS);
const idsOf = (items) => items.map((x) => x.id);
const namesOf = (items) => items.map((x) => keyOf.get(x.id)?.name ?? `(foreign ${x.id})`);

const newestFirst = (a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : b.id - a.id);
const ORDERS = {
  newest: newestFirst,
  popular: (a, b) => b.units - a.units || b.id - a.id,
  price_asc: (a, b) => a.sale - b.sale || a.id - b.id,
  price_desc: (a, b) => b.sale - a.sale || b.id - a.id,
  discount: (a, b) => b.discount - a.discount || b.id - a.id,
  rating: (a, b) => (b.rating ?? 0) - (a.rating ?? 0) || b.id - a.id,
  reviews: (a, b) => b.reviews - a.reviews || b.id - a.id,
};
// The same orders checked on the answer's own values (popular's units are not in the answer).
const ANSWER_ORDERS = {
  newest: (a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id),
  price_asc: (a, b) => a.sale_price - b.sale_price || a.id - b.id,
  price_desc: (a, b) => b.sale_price - a.sale_price || b.id - a.id,
  discount: (a, b) => b.discount_percent - a.discount_percent || b.id - a.id,
  rating: (a, b) => (b.rating ?? 0) - (a.rating ?? 0) || b.id - a.id,
  reviews: (a, b) => b.review_count - a.review_count || b.id - a.id,
};

function assertExactly(body, expected, what) {
  assert.deepEqual(idsOf(body.items), expected.map((p) => p.id),
    `${what}: got ${JSON.stringify(namesOf(body.items))}, expected ${JSON.stringify(expected.map((p) => p.name))}`);
  assert.equal(body.total, expected.length, `${what}: total`);
  assert.equal(body.total_is_lower_bound, false, `${what}: total_is_lower_bound`);
}

const mediaUrl = (hash, size) => `/media/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}-${size}.jpg`;

// ---- the tests --------------------------------------------------------------------------------

test('fixtures: 4 brands, 35 products with sizes, images and search rows, and 10,050 bulk products', () => {
  insertFixtures();
  assert.equal(brandIds.size, 4, 'brands inserted');
  assert.equal(ids.size, ALL_PRODUCTS.length, 'products inserted');
});

test('a brand\'s listing holds exactly its active products, newest first, in the list shape', async () => {
  const body = await listProducts(`${b1()}&per_page=100`);
  assertExactly(body, B1_ACTIVE().sort(newestFirst), 'brand B1');
  assert.deepEqual([body.page, body.per_page], [1, 100]);
  assert.deepEqual(Object.keys(body).sort(), ['items', 'page', 'per_page', 'total', 'total_is_lower_bound']);
});

test('a summary carries every field of SPEC §5 with the right values and types', async () => {
  const body = await listProducts(`${b1()}&per_page=100`);
  for (const item of body.items) {
    const p = keyOf.get(item.id);
    assert.deepEqual(Object.keys(item).sort(), ['brand', 'category_id', 'created_at', 'discount_percent', 'id', 'image',
      'like_count', 'list_price', 'name', 'on_sale', 'rating', 'review_count', 'sale_price', 'sold_out', 'style_id'].sort());
    assert.equal(item.name, p.name);
    assert.deepEqual(item.brand, { id: brandIds.get(B1), name: B1 }, 'the brand name comes back as stored, not HTML-escaped');
    assert.equal(item.list_price, p.list);
    assert.equal(item.sale_price, p.sale);
    assert.equal(item.discount_percent, p.discount, `${p.name}: discount`);
    assert.equal(item.on_sale, p.sale < p.list, `${p.name}: on_sale`);
    assert.equal(item.like_count, p.likes);
    assert.equal(item.review_count, p.reviews);
    assert.equal(item.rating, p.rating, `${p.name}: rating`);
    assert.equal(item.sold_out, p.key === 8, `${p.name}: sold_out`);
    assert.equal(item.created_at, p.created.replace(' ', 'T') + 'Z', 'created_at in ISO 8601 UTC');
    if (p.images.length) {
      const h = sha(`catalog-test-${p.key}-0`);
      assert.deepEqual(item.image, { thumb: mediaUrl(h, 'thumb'), card: mediaUrl(h, 'card') }, `${p.name}: image`);
    } else {
      assert.equal(item.image, null, `${p.name} has no image`);
    }
  }
  const categories = JSON.parse((await get('/api/v1/categories')).text).items;
  const tops = categories.find((c) => c.code === 'tops').id;
  assert.ok(body.items.filter((x) => keyOf.get(x.id).top).every((x) => x.category_id === tops), 'category_id');
});

test('hidden and draft products, and products of an inactive brand, never appear', async () => {
  const hidden = [idOf(29), idOf(30), idOf(201)];
  const seen = [];
  for (const query of [b1(), `brand=${brandIds.get(B3)}`, 'q=%EB%B0%94%EC%A7%80', 'q=%EC%B2%AD%EB%B0%94%EC%A7%80',
    'q=%EC%88%A8%EA%B9%80', '', `${b1()}&size=M`, `${b1()}&sort=price_asc`]) {
    seen.push(...idsOf(await allItems(`/api/v1/products?${query}`.replace(/\?$/, ''))));
  }
  assert.deepEqual(seen.filter((id) => hidden.includes(id)), [], 'a hidden, draft or inactive-brand product was listed');
  assert.equal((await listProducts(`brand=${brandIds.get(B3)}`)).total, 0, 'an inactive brand lists nothing');
});

test('the detail of a hidden product, a draft, a product of an inactive brand, and a huge id is 404', async () => {
  for (const id of [idOf(29), idOf(30), idOf(201), 999999999999999999, 9007199254740993]) {
    const res = await get(`/api/v1/products/${id}`);
    assertProblem(res, 404, 'NOT_FOUND');
  }
  assertProblem(await get('/api/v1/products/0'), 404, 'NOT_FOUND');
  assertProblem(await get('/api/v1/products/abc'), 404, 'NOT_FOUND');
});

// ---- filters ----------------------------------------------------------------------------------

test('category, style, brand, size, price and on_sale each narrow to exactly the matching products', async () => {
  const refs = async (path) => new Map(JSON.parse((await get(path)).text).items.map((x) => [x.code, x.id]));
  const cats = await refs('/api/v1/categories');
  const styles = await refs('/api/v1/styles');
  const all = B1_ACTIVE().sort(newestFirst);
  const hasSize = (p, size) => p.variants.some((v) => v.size === size && v.stock > 0 && v.status === 'active');
  const cases = [
    [`category=${cats.get('bottoms')}`, (p) => p.category === 'bottoms'],
    [`style=${styles.get('street')}`, (p) => p.style === 'street'],
    ['size=M', (p) => hasSize(p, 'M')],
    ['size=m', (p) => hasSize(p, 'M')], // labels compare case-insensitively
    ['size=30', (p) => hasSize(p, '30')],
    ['size=34', () => false], // only a hidden size of 청바지 has 34 in stock
    ['min_price=24000', (p) => p.sale >= 24000],
    ['max_price=23000', (p) => p.sale <= 23000],
    ['min_price=21000&max_price=21000', (p) => p.sale === 21000], // bounds are inclusive
    ['on_sale=true', (p) => p.sale < p.list],
    ['on_sale=1', (p) => p.sale < p.list],
    ['on_sale=false', (p) => p.sale === p.list],
    ['on_sale=', () => true], // blank: not filtered
    ['size=', () => true],
    [`category=${cats.get('tops')}&style=${styles.get('casual')}&size=M&min_price=20000&max_price=28000`,
      (p) => p.category === 'tops' && p.style === 'casual' && hasSize(p, 'M') && p.sale >= 20000 && p.sale <= 28000],
    [`category=${cats.get('bottoms')}&on_sale=true&max_price=26000`,
      (p) => p.category === 'bottoms' && p.sale < p.list && p.sale <= 26000],
  ];
  for (const [query, match] of cases) {
    const body = await listProducts(`${b1()}&${query}&per_page=100`);
    const expected = all.filter(match);
    assertExactly(body, expected, query);
    if (query.includes('=') && !query.endsWith('=')) {
      assert.ok(expected.length < all.length, `${query}: the fixture should make this filter narrow`);
    }
  }
});

test('each filter alone (without a brand) returns only matching products', async () => {
  const cats = new Map(JSON.parse((await get('/api/v1/categories')).text).items.map((x) => [x.code, x.id]));
  const checks = [
    [`category=${cats.get('bottoms')}`, (x) => x.category_id === cats.get('bottoms')],
    ['min_price=25000&max_price=26000', (x) => x.sale_price >= 25000 && x.sale_price <= 26000],
    ['on_sale=true', (x) => x.on_sale && x.sale_price < x.list_price],
    ['on_sale=false', (x) => !x.on_sale && x.sale_price === x.list_price],
  ];
  for (const [query, ok] of checks) {
    const body = await listProducts(`${query}&per_page=100`);
    assert.ok(body.items.length > 0, `${query}: nothing`);
    assert.deepEqual(body.items.filter((x) => !ok(x)).map((x) => x.id), [], `${query}: items that do not match`);
  }
  const b2 = await listProducts(`brand=${brandIds.get(B2)}`);
  assertExactly(b2, OTHER_PRODUCTS.filter((p) => p.brand === B2).sort(newestFirst), 'brand B2');
});

// ---- sorts ------------------------------------------------------------------------------------

for (const sort of Object.keys(ORDERS)) {
  test(`sort=${sort} orders by its key, ties by id`, async () => {
    const body = await listProducts(`${b1()}&sort=${sort}&per_page=100`);
    assertExactly(body, B1_ACTIVE().sort(ORDERS[sort]), `sort=${sort}`);
    const check = ANSWER_ORDERS[sort];
    if (check) {
      for (let i = 1; i < body.items.length; i++) {
        assert.ok(check(body.items[i - 1], body.items[i]) < 0,
          `sort=${sort}: items ${i - 1} and ${i} out of order: ${JSON.stringify([body.items[i - 1], body.items[i]])}`);
      }
    }
    const ties = body.items.length - new Set(body.items.map((x) => JSON.stringify(
      { newest: x.created_at, price_asc: x.sale_price, price_desc: x.sale_price, discount: x.discount_percent,
        rating: x.rating, reviews: x.review_count, popular: keyOf.get(x.id).units }[sort]))).size;
    assert.ok(ties > 0, `sort=${sort}: the fixture should have ties to break`);
  });
}

test('a sort combined with filters and a search keeps its order', async () => {
  const body = await listProducts(`${b1()}&q=%EC%B9%B4%ED%83%88%EB%A1%9C%EA%B7%B8%ED%85%8C%EC%8A%A4%ED%8A%B8&on_sale=false&sort=price_desc&per_page=100`);
  const expected = B1_ACTIVE().filter((p) => p.name.startsWith('카탈로그테스트') && p.sale === p.list).sort(ORDERS.price_desc);
  assertExactly(body, expected, 'q=카탈로그테스트&on_sale=false&sort=price_desc');
});

// ---- pages and totals -------------------------------------------------------------------------

test('pages: per_page is honoured, pages never overlap, together they are the whole list', async () => {
  const whole = await listProducts(`${b1()}&per_page=100`);
  const pages = [];
  for (let page = 1; page <= 3; page++) {
    const body = await listProducts(`${b1()}&per_page=10&page=${page}`);
    assert.deepEqual([body.page, body.per_page, body.total, body.total_is_lower_bound], [page, 10, 28, false], `page ${page}`);
    pages.push(body.items);
  }
  assert.deepEqual(pages.map((p) => p.length), [10, 10, 8]);
  assert.notDeepEqual(idsOf(pages[0]), idsOf(pages[1]), 'page 2 differs from page 1');
  assert.deepEqual(pages.flat().map((x) => x.id), idsOf(whole.items), 'the pages, in order, are the whole list');
  const beyond = await listProducts(`${b1()}&per_page=10&page=4`);
  assert.deepEqual([beyond.items.length, beyond.total, beyond.total_is_lower_bound], [0, 28, false], 'past the end');
  const def = await listProducts(b1());
  assert.deepEqual([def.page, def.per_page, def.items.length], [1, 24, 24], 'defaults: page 1, 24 per page');
});

test('totals are exact up to 10,000 and otherwise 10,000 with total_is_lower_bound', async () => {
  const bulk = await listProducts(`brand=${brandIds.get(B4)}&per_page=100`);
  assert.deepEqual([bulk.total, bulk.total_is_lower_bound, bulk.items.length], [10000, true, 100]);
  const last = await listProducts(`brand=${brandIds.get(B4)}&per_page=100&page=100`);
  assert.deepEqual([last.total, last.total_is_lower_bound, last.items.length], [10000, true, 100], 'page 100 still answers');
  assert.equal(new Set([...idsOf(bulk.items), ...idsOf(last.items)]).size, 200, 'page 100 differs from page 1');
  const narrowed = await listProducts(`brand=${brandIds.get(B4)}&per_page=100&page=2&max_price=10000&size=`);
  assert.equal(narrowed.total_is_lower_bound, true);
  const exact = await listProducts(`${b1()}&per_page=5`);
  assert.deepEqual([exact.total, exact.total_is_lower_bound], [28, false], 'a small list counts exactly');
});

test('bad paging, sorting and price inputs are 422 with the field named', async () => {
  const cases = [
    ['page=101', { page: 'too_large' }],
    ['page=0', { page: 'too_small' }],
    ['per_page=0', { per_page: 'too_small' }],
    ['per_page=101', { per_page: 'too_large' }],
    ['sort=bogus', { sort: 'not_allowed' }],
    ['sort=NEWEST', { sort: 'not_allowed' }],
    ['min_price=5000&max_price=4000', { min_price: 'too_large' }],
    ['min_price=-1', { min_price: 'too_small' }],
    ['max_price=100000001', { max_price: 'too_large' }],
    ['min_price=1.5', { min_price: 'not_integer' }],
    ['category=abc', { category: 'not_integer' }],
    ['category=0', { category: 'too_small' }],
    ['style=-3', { style: 'too_small' }],
    ['brand=9007199254740992', { brand: 'too_large' }],
    ['on_sale=maybe', { on_sale: 'not_allowed' }],
    [`size=${'L'.repeat(11)}`, { size: 'too_long' }],
    [`q=${'바'.repeat(101)}`, { q: 'too_long' }],
  ];
  for (const [query, errors] of cases) {
    const res = await get(`/api/v1/products?${encodeURI(query)}`);
    assertInvalid(res, errors);
  }
  const both = await get('/api/v1/products?page=101&per_page=0');
  assertInvalid(both, { page: 'too_large', per_page: 'too_small' });
});

// ---- search -----------------------------------------------------------------------------------

const q = (s) => `q=${encodeURIComponent(s)}`;

test('?q=바지 finds 청바지 and 반바지 (Korean substrings) and nothing else', async () => {
  const body = await listProducts(`${b1()}&${q('바지')}&per_page=100`);
  assertExactly(body, [B1_PRODUCTS[1], B1_PRODUCTS[3]].sort(newestFirst), 'q=바지');
  const anywhere = await allItems(`/api/v1/products?${q('바지')}`);
  const names = namesOf(anywhere);
  assert.ok(names.includes('스트레이트 청바지') && names.includes('반바지'), `q=바지 everywhere: ${names}`);
  assert.ok(anywhere.every((x) => x.name.includes('바지') || !keyOf.has(x.id)), `q=바지: ${names}`);
  assert.deepEqual(idsOf(anywhere).filter((id) => [idOf(29), idOf(30), idOf(201)].includes(id)), [],
    'q=바지 lists no hidden, draft or inactive-brand product');
});

test('search words all have to match, in the name, the brand, the category or the style', async () => {
  const one = (name) => B1_ACTIVE().filter((p) => p.name === name);
  const cases = [
    ['청바지', one('스트레이트 청바지')],
    ['스트레이트 청바지', one('스트레이트 청바지')],
    ['청바지 스트레이트', one('스트레이트 청바지')],
    ['테스트브랜드 청바지', one('스트레이트 청바지')], // a word of the brand's name
    ['반바지 청바지', []],
    ['하의', B1_ACTIVE().filter((p) => p.category === 'bottoms')], // the category's name
    ['bottoms', B1_ACTIVE().filter((p) => p.category === 'bottoms')], // in English, any case
    ['BOTTOMS 스트릿', B1_ACTIVE().filter((p) => p.category === 'bottoms' && p.style === 'street')],
    ['   ', B1_ACTIVE()], // blank: no search
  ];
  for (const [words, expected] of cases) {
    const body = await listProducts(`${b1()}&${q(words)}&per_page=100`);
    assertExactly(body, expected.sort(newestFirst), `q=${words}`);
  }
});

test('quotes, backslashes and search operators in q are taken literally and never fail', async () => {
  const jeans = [B1_PRODUCTS[1], B1_PRODUCTS[3]].sort(newestFirst);
  for (const words of ['"바지', '바지"', '\\바지', '"바\\지"']) {
    assertExactly(await listProducts(`${b1()}&${q(words)}&per_page=100`), jeans, `q=${words}`);
  }
  for (const words of ['+-*()', '"', '\\', '"""', '바지 OR 셔츠', '바지 -청', '*D+ 바지', '바지*', '(바지)',
    '<바지>', '~바지', '@바지', "바지' OR 1=1 --", '%', '_', 'ＡＢＣ', '😀', 'a"b"c', '*', '-']) {
    const res = await get(`/api/v1/products?${b1()}&${q(words)}&per_page=100`);
    assertStatus(res, 200);
    const names = namesOf(res.json.items);
    if (words.includes('바지')) {
      assert.ok(names.every((n) => n.includes('바지')), `q=${words}: an operator was interpreted? ${names}`);
    }
  }
  assert.equal((await listProducts(`${b1()}&${q('바지 OR 셔츠')}`)).total, 0, 'OR is a word to find, not an operator');
});

// ---- the detail -------------------------------------------------------------------------------

test('a product\'s detail: fields, description, brand terms, category and style in the language', async () => {
  const p = B1_PRODUCTS[1];
  const res = await get(`/api/v1/products/${p.id}`);
  assertStatus(res, 200);
  const d = res.json;
  assert.deepEqual(Object.keys(d).sort(), ['brand', 'category', 'category_id', 'created_at', 'description',
    'discount_percent', 'id', 'image', 'images', 'like_count', 'list_price', 'name', 'on_sale', 'rating',
    'review_count', 'sale_price', 'sold_out', 'style', 'style_id', 'updated_at', 'variants'].sort());
  assert.equal(d.name, '스트레이트 청바지');
  assert.equal(d.description, p.description, 'description comes back as stored');
  assert.deepEqual([d.list_price, d.sale_price, d.discount_percent, d.on_sale, d.sold_out, d.rating, d.review_count,
    d.like_count], [p.list, p.sale, p.discount, p.sale < p.list, false, p.rating, p.reviews, p.likes]);
  assert.deepEqual(d.brand, { id: brandIds.get(B1), name: B1, shipping_fee: 3000, free_shipping_threshold: 50000,
    return_shipping_cost: 6000, return_postal_code: '04524', return_address: '서울특별시 중구 세종대로 110',
    return_courier: 'CJ대한통운' });
  assert.deepEqual([d.category.code, d.category.name, d.category.id], ['bottoms', '하의', d.category_id]);
  assert.deepEqual([d.style.code, d.style.name, d.style.id], ['casual', '캐주얼', d.style_id]);
  assert.match(d.created_at, /^2026-11-01T\d\d:00:00Z$/);
  assert.match(d.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(res.headers['content-language'], 'ko');
  const en = await get(`/api/v1/products/${p.id}?lang=en`);
  assert.deepEqual([en.json.category.name, en.json.style.name, en.headers['content-language']], ['Bottoms', 'Casual', 'en']);
});

test('a product\'s detail: images in position order with their three sizes', async () => {
  const p = B1_PRODUCTS[1];
  const d = (await get(`/api/v1/products/${p.id}`)).json;
  const h = [0, 1].map((pos) => sha(`catalog-test-${p.key}-${pos}`));
  assert.deepEqual(d.images, [0, 1].map((pos) => ({ position: pos, thumb: mediaUrl(h[pos], 'thumb'),
    card: mediaUrl(h[pos], 'card'), detail: mediaUrl(h[pos], 'detail') })));
  assert.deepEqual(d.image, { thumb: mediaUrl(h[0], 'thumb'), card: mediaUrl(h[0], 'card') });
  const none = (await get(`/api/v1/products/${idOf(3)}`)).json;
  assert.deepEqual([none.images, none.image], [[], null], 'a product without images');
});

test('a product\'s detail: offered sizes in order with stock and measurements in cm', async () => {
  const p = B1_PRODUCTS[1];
  const res = await get(`/api/v1/products/${p.id}`);
  const d = res.json;
  assert.deepEqual(d.variants.map((v) => v.size), ['28', '30', '32'], 'by the seller\'s order, the hidden 34 left out');
  const [v28, v30] = d.variants;
  assert.deepEqual(Object.keys(v30).sort(), ['color', 'id', 'in_stock', 'measurements', 'size', 'sku', 'stock']);
  assert.deepEqual([v30.color, v30.sku, v30.stock, v30.in_stock], ['인디고', 'CT-2-30', 5, true]);
  assert.deepEqual(v30.measurements, { waist: 38.5, hip: 50, thigh: 30.5, rise: 28, hem: 19.5, total_length: 100.5 });
  assert.deepEqual(v28.measurements, { waist: 37, hip: 48, thigh: 30.5, rise: 28, total_length: 100 }, 'null ones are left out');
  assert.ok(res.text.includes('"waist":38.5') && !/\d\.\d{2,}/.test(JSON.stringify(d.variants)), 'one decimal, exactly');
  const ids = (await get(`/api/v1/products/${idOf(5)}`)).json.variants; // a top with its M sold out
  assert.deepEqual(ids.map((v) => [v.size, v.stock, v.in_stock, v.color, v.sku]),
    [['S', 5, true, null, null], ['M', 0, false, null, null], ['L', 5, true, null, null]]);
  assert.deepEqual(ids[1].measurements, { shoulder: 46, chest: 52.5, sleeve: 61, total_length: 70 });
  const soldOut = (await get(`/api/v1/products/${idOf(8)}`)).json;
  assert.equal(soldOut.sold_out, true);
  assert.ok(soldOut.variants.every((v) => !v.in_stock));
});

// ---- brands -----------------------------------------------------------------------------------

test('GET /api/v1/brands lists active brands by name with their product counts', async () => {
  const res = await get('/api/v1/brands?per_page=100');
  assertStatus(res, 200);
  const body = res.json;
  assert.deepEqual(Object.keys(body).sort(), ['items', 'page', 'per_page', 'total', 'total_is_lower_bound']);
  const everyBrand = await allItems('/api/v1/brands');
  assert.equal(everyBrand.length, body.total, 'the pages hold total brands');
  const mine = everyBrand.filter((b) => BRANDS.includes(b.name));
  assert.deepEqual(mine.map((b) => b.name).sort(), [B1, B2, B4].sort(), 'the inactive brand is left out');
  const one = mine.find((b) => b.name === B1);
  assert.deepEqual(one, { id: brandIds.get(B1), name: B1, introduction: BRAND_ROWS[0].intro, style_label: '캐주얼',
    logo: { thumb: mediaUrl(LOGO, 'thumb'), card: mediaUrl(LOGO, 'card') }, product_count: 28 });
  const two = mine.find((b) => b.name === B2);
  assert.deepEqual([two.logo, two.introduction, two.style_label, two.product_count], [null, null, null, 4]);
  assert.equal(mine.find((b) => b.name === B4).product_count, BULK, 'counts beyond 10,000 too');
});

test('brand pages: per_page is honoured and page 2 differs', async () => {
  const p1 = (await get('/api/v1/brands?per_page=1')).json;
  const p2 = (await get('/api/v1/brands?per_page=1&page=2')).json;
  assert.deepEqual([p1.items.length, p2.items.length, p1.per_page, p2.page], [1, 1, 1, 2]);
  assert.notEqual(p1.items[0].id, p2.items[0].id);
  assert.equal(p1.total, p2.total);
  assert.ok(p1.total >= 3);
  assertInvalid(await get('/api/v1/brands?per_page=0'), { per_page: 'too_small' });
  assertInvalid(await get('/api/v1/brands?page=101'), { page: 'too_large' });
});

test('GET /api/v1/brands/{id}: the brand with its terms; inactive, absent and huge ids are 404', async () => {
  const res = await get(`/api/v1/brands/${brandIds.get(B1)}`);
  assertStatus(res, 200);
  assert.deepEqual(res.json, { id: brandIds.get(B1), name: B1, introduction: BRAND_ROWS[0].intro, style_label: '캐주얼',
    logo: { thumb: mediaUrl(LOGO, 'thumb'), card: mediaUrl(LOGO, 'card') }, product_count: 28, shipping_fee: 3000,
    free_shipping_threshold: 50000, return_shipping_cost: 6000, return_postal_code: '04524',
    return_address: '서울특별시 중구 세종대로 110', return_courier: 'CJ대한통운' });
  const two = (await get(`/api/v1/brands/${brandIds.get(B2)}`)).json;
  assert.deepEqual([two.free_shipping_threshold, two.return_postal_code, two.shipping_fee], [null, null, 2500]);
  for (const id of [brandIds.get(B3), 999999999999999999]) {
    assertProblem(await get(`/api/v1/brands/${id}`), 404, 'NOT_FOUND');
  }
});

test('fixtures removed', () => {
  sql(CLEANUP);
  assert.equal(sql(`SELECT COUNT(*) FROM brands WHERE name IN (${brandList})`).trim(), '0');
});

await run();
