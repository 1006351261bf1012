// The guests' micro-cache through the real stack (run by page-cache.sh, which starts a stack of its
// own with LONUA_PAGE_CACHE_SECONDS=1): which answers nginx shares among guests and which it never
// keeps. nginx logs each request's cache state ("cache": HIT, MISS, BYPASS, EXPIRED, UPDATING, or
// "" when the location does not cache) next to its request id, which every answer carries.
//
//   LONUA_BASE_URL=… LONUA_RUN_DIR=… LONUA_DB_ROOT_SOCKET=… node tests/integration/page-cache.test.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test, run, assert } from '../lib/tap.mjs';
import { describe, assertStatus, sleep, request } from './http.mjs';
import { SOCKET, RUN_DIR, bailUnlessSet, csrfOf, esc, sql } from './client.mjs';
import { makeBrand, makeProduct, makeShopper, loginPage, loginApi, guest, cleanup } from './shop.mjs';

bailUnlessSet([
  ['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make rows as root"],
  ['LONUA_RUN_DIR', RUN_DIR, "the run folder of this suite's nginx, for its access log"],
]);

const brand = makeBrand();
const first = makeProduct(brand);
const listing = `/products?brand=${brand.id}`;
const cartBadge = /class="account-links__count"/;
const signedIn = /<form class="account-links__logout" action="\/logout"/;

// The access log's line of an answer (by its X-Request-Id), waiting a little for nginx to write it.
async function logOf(res) {
  const id = res.headers['x-request-id'];
  assert.ok(id, `no X-Request-Id on ${describe(res)}`);
  for (let i = 0; i < 50; i++) {
    const line = fs.readFileSync(path.join(RUN_DIR, 'nginx', 'access.log'), 'utf8').split('\n')
      .find((l) => l.includes(`"request_id":"${id}"`));
    if (line) return JSON.parse(line);
    await sleep(20);
  }
  throw new Error(`no access log line for request ${id}`);
}
const cacheOf = async (res) => (await logOf(res)).cache;

// Two requests for the same page at once from a fresh start: a MISS then a HIT, whatever the
// second's timing (the first fills the cache before answering).
async function twice(client, p, headers) {
  const a = await client.send('GET', p, { headers });
  const b = await client.send('GET', p, { headers });
  return [a, b];
}

test("a guest's listing is shared: the next guest within the second gets it from the cache, with a request id of its own", async () => {
  const [a] = await twice(guest(), listing);
  const b = await guest().send('GET', listing);
  assertStatus(a, 200);
  assertStatus(b, 200);
  assert.ok(a.text.includes(esc(first.name)), 'the listing shows the brand\'s product');
  assert.equal(b.text, a.text, 'the shared page is the same page');
  assert.equal(await cacheOf(b), 'HIT');
  assert.notEqual(b.headers['x-request-id'], a.headers['x-request-id'], 'a cached answer carries the request id of its own request');
  assert.equal((await logOf(b)).request_id, b.headers['x-request-id']);
  assert.equal(b.headers['x-accel-expires'], undefined, 'nginx keeps X-Accel-Expires to itself');
  assert.equal(b.headers['cache-control'], undefined, 'browsers are told nothing about caching a shared page');
});

test('a shared page lives about a second: a product added shows up within two', async () => {
  await guest().send('GET', listing);
  const added = makeProduct(brand);
  const started = Date.now();
  let seen = false;
  while (!seen && Date.now() - started < 5000) {
    seen = (await guest().send('GET', listing)).text.includes(esc(added.name));
    if (!seen) await sleep(100);
  }
  const took = Date.now() - started;
  assert.ok(seen && took < 2500, `the new product appeared after ${took} ms (seen: ${seen})`);
});

test('a signed-in shopper never gets a shared page, and never leaves one behind', async () => {
  await twice(guest(), listing);
  const s = await makeShopper();
  const browser = await loginPage(s);
  const mine = await browser.send('GET', listing);
  assertStatus(mine, 200);
  assert.equal(await cacheOf(mine), 'BYPASS');
  assert.match(mine.text, signedIn, "the shopper's page is a signed-in page");
  const theirs = await guest().send('GET', listing);
  assert.doesNotMatch(theirs.text, signedIn, "a guest never sees the shopper's page");
  const api = await loginApi(s);
  const viaApi = await api.send('GET', `/api/v1/products?brand=${brand.id}`);
  assertStatus(viaApi, 200);
  assert.equal(await cacheOf(viaApi), 'BYPASS', 'a bearer token bypasses the cache');
});

test("a guest's cart count is never shared: the guest with a cart is served by a worker, the others never see it", async () => {
  const buyer = guest();
  const page = await buyer.send('GET', `/products/${first.id}`);
  const added = await buyer.send('POST', `/products/${first.id}/cart`,
    { body: { csrf_token: csrfOf(page), variant_id: first.variants[0].id, quantity: 1 } });
  assert.ok(added.status < 400, `adding to the cart: ${describe(added)}`);
  assert.ok(buyer.cookies.has('lonua_cart'), 'the guest has a cart cookie');
  await twice(guest(), listing);
  const own = await buyer.send('GET', listing);
  assert.equal(await cacheOf(own), 'BYPASS');
  assert.match(own.text, cartBadge, 'the guest with a cart sees its count');
  const other = await guest().send('GET', listing);
  assert.doesNotMatch(other.text, cartBadge, "another guest never sees that count");
});

test('a page with a CSRF token (a product page for a guest) is never stored; a guest holding only a CSRF cookie shares the listing', async () => {
  const c = guest();
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await c.send('GET', `/products/${first.id}`));
  for (const r of answers) {
    assertStatus(r, 200);
    assert.match(r.headers['cache-control'] || '', /no-store/);
    assert.equal(await cacheOf(r), 'MISS', 'each product page request reaches a worker');
  }
  assert.ok(c.cookies.has('lonua_csrf'), 'the guest holds a CSRF cookie');
  await guest().send('GET', listing);
  const shared = await c.send('GET', listing);
  assert.equal(await cacheOf(shared), 'HIT');
  assert.doesNotMatch(shared.text, /name="csrf_token"/, 'a shared page carries no token');
});

test('each language has its own copy; a ?lang= switch (which sets a cookie) is never stored', async () => {
  const en = guest({ lang: 'en' }), ko = guest({ lang: 'ko' });
  await twice(en, listing);
  await twice(ko, listing);
  const e = await en.send('GET', listing), k = await ko.send('GET', listing);
  assert.equal(await cacheOf(e), 'HIT');
  assert.equal(await cacheOf(k), 'HIT');
  assert.match(e.text, /<html lang="en"/);
  assert.match(k.text, /<html lang="ko"/);
  const sw = guest({ lang: 'en' });
  const [s1, s2] = await twice(sw, `${listing}&lang=ko`, { Cookie: undefined });
  for (const r of [s1, s2]) assert.equal(await cacheOf(r), 'MISS', 'a page that sets the lang cookie reaches a worker');
});

test('health, readiness and pages that are not shared (a product page) are never stored, even as 404', async () => {
  for (const p of ['/products/999999999', '/readyz', '/healthz']) {
    const [a, b] = await twice(guest(), p);
    assert.equal(await cacheOf(a), 'MISS', `${p} (first)`);
    assert.equal(await cacheOf(b), 'MISS', `${p} (second): ${describe(b)}`);
  }
});

test("a shared page that turns into a 404 is replaced by it, not served stale while nginx refreshes it", async () => {
  const closing = makeBrand();
  makeProduct(closing);
  const p = `/brands/${closing.id}`;
  const [, b] = await twice(guest(), p);
  assertStatus(b, 200);
  assert.equal(await cacheOf(b), 'HIT');
  sql(`UPDATE brands SET status = 'inactive' WHERE id = ${closing.id}`);
  const started = Date.now();
  let last;
  do {
    last = await guest().send('GET', p);
    if (last.status !== 404) await sleep(100);
  } while (last.status !== 404 && Date.now() - started < 5000);
  const took = Date.now() - started;
  assert.ok(last.status === 404 && took < 2500, `the closed brand's page: ${last.status} after ${took} ms`);
  const again = await guest().send('GET', p);
  assertStatus(again, 404);
  const api = await twice(guest(), '/api/v1/products/999999999');
  assert.equal(await cacheOf(api[1]), 'HIT', "a shared route's 404 is shared like its page");
});

test("the API's guest listing is shared", async () => {
  const p = `/api/v1/products?brand=${brand.id}&per_page=5`;
  const [a, b] = await twice(guest(), p);
  assertStatus(b, 200);
  assert.equal(await cacheOf(a), 'MISS');
  assert.equal(await cacheOf(b), 'HIT');
  assert.deepEqual(b.json, a.json);
});

test('compression: the workers gzip a page for a client that takes it, and the cache keeps each kind apart; /dist/ sends the .gz made at build', async () => {
  const gz = { 'Accept-Encoding': 'gzip, deflate, br' };
  const plain = await guest().send('GET', listing);
  const zipped = await guest().send('GET', listing, { headers: gz });
  const again = await guest().send('GET', listing, { headers: gz });
  const plainAgain = await guest().send('GET', listing);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(zipped.body).toString('utf8'), plain.text, 'the same page, compressed');
  assert.ok(zipped.body.length * 3 < plain.body.length, `${zipped.body.length} bytes against ${plain.body.length}`);
  assert.equal(await cacheOf(again), 'HIT', 'the compressed page comes from the cache');
  assert.ok(again.body.equals(zipped.body), 'as compressed once by the worker');
  assert.equal(plainAgain.headers['content-encoding'], undefined, 'a client without gzip never gets the compressed copy');
  assert.equal(plainAgain.text, plain.text);
  const signedOff = await guest().send('GET', listing, { headers: { 'Accept-Encoding': 'gzip;q=0' } });
  assert.equal(signedOff.headers['content-encoding'], undefined, 'gzip;q=0 refuses gzip');
  const dist = process.env.LONUA_DIST_DIR;
  assert.ok(dist, 'LONUA_DIST_DIR (page-cache.sh exports it)');
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.json'), 'utf8'));
  const css = manifest['css/site.css'];
  const res = await request(`/dist/${css}`, { headers: { 'Accept-Encoding': 'gzip' } });
  assertStatus(res, 200);
  assert.equal(res.headers['content-encoding'], 'gzip');
  assert.ok(res.body.equals(fs.readFileSync(path.join(dist, `${css}.gz`))), 'the bytes of the .gz file itself');
});

test('clean up', () => cleanup());

run();
