// The load of ci/soak: for SOAK_SECONDS, SOAK_USERS simulated browsers and API clients at once
// (12 by default), each in a loop of weighted actions. Guests read the home page, the listing
// (sorted, paged, searched), products, brands and the catalogue API, and add to a guest cart by the
// product page's form; shoppers (the demo accounts shopper1..8@example.com, signed in by the login
// page or by the API) also add to their cart (the form, or the API with a bearer token), open the
// cart, the checkout page and their account pages, and now and then buy one item by bank transfer
// (POST /api/v1/orders). A 4xx the state explains (sold out) is counted, not failed; a 5xx or a
// request without an answer is a failure. Writes its counts to SOAK_STATS (JSON) and prints a
// summary as TAP comments; ci/soak judges them.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { Client, csrfOf } from '../integration/client.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const USERS = Number(process.env.SOAK_USERS || 12);
const STATS = process.env.SOAK_STATS;
const PASSWORD = process.env.SOAK_SHOPPER_PASSWORD || 'demo-Shopper-1234';
const SHOPPERS = 8;

const stats = { seconds: SECONDS, users: USERS, requests: 0, failed: 0, network_errors: 0,
  status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, actions: {}, failures: [] };

function note(action, res, err, okStatuses) {
  const a = (stats.actions[action] ||= { done: 0, ok: 0 });
  a.done++;
  stats.requests++;
  if (err) {
    stats.network_errors++;
    stats.failed++;
    if (stats.failures.length < 20) stats.failures.push(`${action}: ${err.message}`);
    return;
  }
  stats.status[`${Math.floor(res.status / 100)}xx`]++;
  if (res.status >= 500) {
    stats.failed++;
    if (stats.failures.length < 20) stats.failures.push(`${action}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  if (okStatuses.includes(res.status)) a.ok++;
}

// One request, counted under action; resolves to the response (or undefined when none came).
async function go(action, fn, okStatuses = [200]) {
  try {
    const res = await fn();
    note(action, res, null, okStatuses);
    return res;
  } catch (err) {
    note(action, null, err, okStatuses);
    return undefined;
  }
}

const pick = (list) => list[crypto.randomInt(0, list.length)];
const WORDS = ['코트', '셔츠', 'jacket', '데님', 'knit', '바지', 'zzzz', '"<b>'];
const SORTS = ['newest', 'popular', 'price_asc', 'price_desc', 'discount', 'rating', 'reviews'];

// The catalogue to walk: product ids, the variants with stock, brand ids (from the API).
const catalog = { products: [], variants: [], brands: [] };
async function learnCatalog() {
  const c = new Client();
  for (const page of [1, 2, 3]) {
    const res = await c.get(`/api/v1/products?page=${page}`);
    if (res.status !== 200 || !res.json) break;
    for (const p of res.json.items || []) catalog.products.push(p.id);
  }
  for (const id of catalog.products.slice(0, 40)) {
    const res = await c.get(`/api/v1/products/${id}`);
    if (res.status !== 200 || !res.json) continue;
    const brand = res.json.brand && res.json.brand.id;
    if (brand && !catalog.brands.includes(brand)) catalog.brands.push(brand);
    for (const v of res.json.variants || []) if (v.stock > 0) catalog.variants.push({ product: id, variant: v.id });
  }
  if (!catalog.products.length || !catalog.variants.length) throw new Error('no products with stock: is the shop seeded?');
}

const GUEST = [
  [5, 'home', (c) => go('home', () => c.get('/'))],
  [8, 'listing', (c) => go('listing', () => c.get(`/products?sort=${pick(SORTS)}&page=${crypto.randomInt(1, 4)}`))],
  [4, 'search', (c) => go('search', () => c.get(`/products?q=${encodeURIComponent(pick(WORDS))}`))],
  [8, 'product', (c) => go('product', () => c.get(`/products/${pick(catalog.products)}`))],
  [2, 'brand', (c) => go('brand', () => c.get(`/brands/${pick(catalog.brands)}`))],
  [4, 'api-listing', (c) => go('api-listing', () => c.get(`/api/v1/products?sort=${pick(SORTS)}`))],
  [3, 'api-product', (c) => go('api-product', () => c.get(`/api/v1/products/${pick(catalog.products)}`))],
  [3, 'page-cart-add', async (c) => {
    const v = pick(catalog.variants);
    const page = await go('product', () => c.get(`/products/${v.product}`));
    if (!page || page.status !== 200) return;
    await go('page-cart-add', () => c.post(`/products/${v.product}/cart`,
      { variant_id: v.variant, quantity: 1, csrf_token: csrfOf(page) }), [303, 409, 422]);
  }],
  [2, 'cart', (c) => go('cart', () => c.get('/cart'))],
  [1, 'not-found', (c) => go('not-found', () => c.get('/products/999999999'), [404])],
];
const SHOPPER = [
  ...GUEST,
  [2, 'checkout-page', (c) => go('checkout-page', () => c.get('/checkout'), [200, 303])],
  [2, 'me', (c) => go('me', () => c.get('/me'))],
  [2, 'me-orders', (c) => go('me-orders', () => c.get('/me/orders'))],
];
const API_SHOPPER = [
  [4, 'api-listing', GUEST.find(([, n]) => n === 'api-listing')[2]],
  [3, 'api-product', GUEST.find(([, n]) => n === 'api-product')[2]],
  // A bearer token carries no cookie: the API needs no CSRF token (a guest's cart cookie would).
  [3, 'api-cart-add', (c) => go('api-cart-add', () => c.api('POST', '/api/v1/cart/items',
    { variant_id: pick(catalog.variants).variant, quantity: 1 }), [200, 201, 409])],
  [2, 'api-cart', (c) => go('api-cart', () => c.get('/api/v1/cart'))],
  [2, 'api-orders', (c) => go('api-orders', () => c.get('/api/v1/orders'))],
  [1, 'checkout-bank-transfer', (c) => go('checkout-bank-transfer', () => c.api('POST', '/api/v1/orders',
    { items: [{ variant_id: pick(catalog.variants).variant, quantity: 1 }], payment_method: 'bank_transfer' },
    { headers: { 'Idempotency-Key': crypto.randomUUID() } }), [201, 409])],
];

function weighted(actions) {
  const total = actions.reduce((n, [w]) => n + w, 0);
  return () => {
    let r = crypto.randomInt(0, total);
    for (const [w, , fn] of actions) if ((r -= w) < 0) return fn;
    return actions[0][2];
  };
}

async function signIn(i, api) {
  const email = `shopper${(i % SHOPPERS) + 1}@example.com`;
  const c = new Client();
  if (api) {
    const res = await go('api-login', () => c.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }));
    return res && res.status === 200 ? new Client({ ip: c.ip, bearer: res.json.token }) : null;
  }
  const page = await go('login-page', () => c.get('/login'));
  if (!page || page.status !== 200) return null;
  const res = await go('login', () => c.post('/login', { email, password: PASSWORD, csrf_token: csrfOf(page) }), [303]);
  return res && res.status === 303 ? c : null;
}

async function user(i, until) {
  // A third guests, a third signed in by the page (cookie), a third by the API (bearer).
  const kind = i % 3;
  let c = kind === 0 ? new Client() : await signIn(i, kind === 2);
  if (!c) c = new Client();
  const next = weighted(kind === 0 ? GUEST : kind === 1 ? SHOPPER : API_SHOPPER);
  while (Date.now() < until) await next()(c);
}

await learnCatalog();
const until = Date.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: USERS }, (_, i) => user(i, until)));
stats.never = Object.entries(stats.actions).filter(([, v]) => v.ok === 0).map(([k]) => k).join(' ');
if (STATS) fs.writeFileSync(STATS, JSON.stringify(stats, null, 1));
const s = stats.status;
console.log(`# ${stats.requests} requests in ${SECONDS} s (${Math.round(stats.requests / SECONDS)} req/s, ${USERS} users):`
  + ` 2xx ${s['2xx']}, 3xx ${s['3xx']}, 4xx ${s['4xx']}, 5xx ${s['5xx']}, no answer ${stats.network_errors}`);
console.log(`# ${Object.entries(stats.actions).map(([k, v]) => `${k} ${v.ok}/${v.done}`).join(', ')}`);
for (const f of stats.failures.slice(0, 10)) console.log(`# failed: ${f}`);
