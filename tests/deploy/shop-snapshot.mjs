// What a shopper sees of the shop, as JSON on standard output, so tests/deploy/backup.sh can
// compare the shop before a backup with the shop after a restore: the products of the first two
// listing pages and the ordered ones (names, prices, sizes, stock, picture URLs and the SHA-256 of
// every picture's bytes as nginx serves them), and the shopper's orders (every field the API gives:
// totals, lines, states). Signs in afresh every run (a token of its own, from an address of its own
// so the login throttle never counts two runs together).
//
//   node tests/deploy/shop-snapshot.mjs BASE_URL EMAIL PASSWORD [--order VARIANT_ID]
//
// With --order it first puts one of VARIANT_ID in the cart and checks out by bank transfer.
// Exits non-zero (with a message on standard error) when any call does not answer as expected.
import crypto from 'node:crypto';

const [base, email, password, flag, variant] = process.argv.slice(2);
if (!base || !email || !password) {
  console.error('usage: shop-snapshot.mjs BASE_URL EMAIL PASSWORD [--order VARIANT_ID]');
  process.exit(2);
}
const ip = `198.18.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

async function call(path, { method = 'GET', token, body, headers = {} } = {}) {
  const h = { 'X-Forwarded-For': ip, Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const buf = Buffer.from(await res.arrayBuffer());
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${buf.toString('utf8').slice(0, 300)}`);
  return { res, buf, json: /json/.test(res.headers.get('content-type') || '') ? JSON.parse(buf.toString('utf8')) : undefined };
}

// A picture's status is noted rather than required: another suite's product may point at a file
// it never stored, and a restore must give back exactly that too.
async function picture(url) {
  const res = await fetch(base + url, { headers: { 'X-Forwarded-For': ip, Accept: 'image/*' } });
  const buf = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return { url, status: res.status };
  return { url, status: 200, type: res.headers.get('content-type'), bytes: buf.length, sha256: sha256(buf) };
}

async function product(id) {
  const p = (await call(`/api/v1/products/${id}`)).json;
  const pictures = [];
  for (const im of p.images) for (const size of ['thumb', 'card', 'detail']) pictures.push(await picture(im[size]));
  return {
    id: p.id, name: p.name, brand: p.brand.name, list_price: p.list_price, sale_price: p.sale_price,
    variants: p.variants.map((v) => ({ id: v.id, size: v.size, sku: v.sku, stock: v.stock })), pictures,
  };
}

const login = (await call('/api/v1/auth/login', { method: 'POST', body: { email, password } })).json;
const token = login.token;
let placed = null;
if (flag === '--order') {
  await call('/api/v1/cart/items', { method: 'POST', token, body: { variant_id: Number(variant), quantity: 1 } });
  placed = (await call('/api/v1/orders', {
    method: 'POST', token, body: { payment_method: 'bank_transfer' },
    headers: { 'Idempotency-Key': `deploy-backup-${crypto.randomUUID()}` },
  })).json.id;
}
const ids = new Set();
let total = 0;
for (const page of [1, 2]) {
  const list = (await call(`/api/v1/products?sort=newest&page=${page}`)).json;
  total = list.total;
  for (const p of list.items) ids.add(p.id);
}
const orders = [];
for (let page = 1; ; page++) {
  const list = (await call(`/api/v1/orders?page=${page}`, { token })).json;
  orders.push(...list.items);
  if (list.items.length === 0 || page * list.per_page >= list.total) break;
}
for (const o of orders) for (const l of o.lines || []) ids.add(l.product.id);
const products = [];
for (const id of [...ids].sort((a, b) => a - b)) products.push(await product(id));
await call('/api/v1/auth/logout', { method: 'POST', token });
console.log(JSON.stringify({ user: login.user.id, placed, total_products: total, products, orders }, null, 1));
