// The platform through the real stack (nginx → lonua workers → MariaDB): pages and their
// language, health and metrics, the reference lists, headers, static files, errors.
//   node tests/integration/platform.test.mjs      (needs LONUA_BASE_URL etc., see http.mjs)
import zlib from 'node:zlib';
import { test, run, assert } from '../lib/tap.mjs';
import {
  WORKERS, request, get, describe, assertStatus, assertProblem, mediaType, headerCount,
  metrics, workerRestarts, assertHealthy, sleep,
} from './http.mjs';

const CATEGORIES = [
  ['tops', '상의', 'Tops'], ['bottoms', '하의', 'Bottoms'], ['outerwear', '아우터', 'Outerwear'],
  ['dresses', '원피스', 'Dresses'], ['skirts', '스커트', 'Skirts'], ['shoes', '신발', 'Shoes'],
  ['hats', '모자', 'Hats'], ['bags', '가방', 'Bags'], ['accessories', '액세서리', 'Accessories'],
  ['sports', '스포츠/용품', 'Sports'],
];
const STYLES = [
  ['casual', '캐주얼', 'Casual'], ['chic', '시크', 'Chic'], ['dandy', '댄디', 'Dandy'], ['street', '스트릿', 'Street'],
  ['business_casual', '비지니스 캐주얼', 'Business casual'], ['hiphop', '힙합', 'Hip-hop'],
  ['feminine', '페미닌', 'Feminine'], ['office', '오피스', 'Office'], ['sports', '스포츠', 'Sports'],
];

function htmlLang(res) {
  const m = res.text.match(/<html[^>]*\slang="([^"]*)"/i);
  return m ? m[1] : null;
}

function assertHtml(res, status) {
  assertStatus(res, status);
  assert.equal(String(res.headers['content-type']).toLowerCase().replace(/\s+/g, ''), 'text/html;charset=utf-8',
    `content type: ${describe(res)}`);
}

// ---- pages and language ------------------------------------------------------------------

test('GET / answers a Korean HTML page by default', async () => {
  const res = await get('/');
  assertHtml(res, 200);
  assert.equal(htmlLang(res), 'ko', `<html lang>: ${describe(res)}`);
});

test('GET /?lang=en answers the English page', async () => {
  const res = await get('/?lang=en');
  assertHtml(res, 200);
  assert.equal(htmlLang(res), 'en', `<html lang>: ${describe(res)}`);
});

test('a lang=en cookie chooses English', async () => {
  const res = await get('/', { Cookie: 'lang=en' });
  assertHtml(res, 200);
  assert.equal(htmlLang(res), 'en', `<html lang>: ${describe(res)}`);
});

test('Accept-Language chooses English by quality', async () => {
  const res = await get('/', { 'Accept-Language': 'ko;q=0.5, en-US;q=0.9' });
  assertHtml(res, 200);
  assert.equal(htmlLang(res), 'en', `<html lang>: ${describe(res)}`);
});

test('Accept-Language for another language falls back to Korean', async () => {
  const res = await get('/', { 'Accept-Language': 'fr-FR, de;q=0.8' });
  assertHtml(res, 200);
  assert.equal(htmlLang(res), 'ko', `<html lang>: ${describe(res)}`);
});

test('the query wins over the cookie', async () => {
  const res = await get('/?lang=ko', { Cookie: 'lang=en' });
  assert.equal(htmlLang(res), 'ko', `<html lang>: ${describe(res)}`);
});

test('the cookie wins over Accept-Language', async () => {
  const res = await get('/', { Cookie: 'lang=ko', 'Accept-Language': 'en' });
  assert.equal(htmlLang(res), 'ko', `<html lang>: ${describe(res)}`);
});

test('an unknown ?lang value is ignored, not an error', async () => {
  const res = await get('/?lang=xx', { 'Accept-Language': 'en' });
  assertHtml(res, 200);
  assert.equal(htmlLang(res), 'en', `<html lang>: ${describe(res)}`);
});

// ---- health and metrics ------------------------------------------------------------------

test('GET /healthz answers 200 text/plain "ok"', async () => {
  const res = await get('/healthz');
  assertStatus(res, 200);
  assert.equal(mediaType(res), 'text/plain', describe(res));
  assert.equal(res.text.trim(), 'ok', describe(res));
});

test('GET /readyz answers 200 while the database is up', async () => {
  const res = await get('/readyz');
  assertStatus(res, 200);
});

test('GET /metrics is Prometheus text with every documented family', async () => {
  const res = await get('/metrics');
  assertStatus(res, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain;\s*version=0\.0\.4/, describe(res));
  for (const family of [
    /^lonua_http_requests_total\{[^}]*route="[^"]+"[^}]*status="[^"]+"[^}]*\} \d+/m,
    /^lonua_http_request_duration_seconds_bucket\{[^}]*le="[^"]+"[^}]*\} \d+/m,
    /^lonua_http_request_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} \d+/m,
    /^lonua_http_request_duration_seconds_sum\{[^}]*\} [\d.e+-]+/m,
    /^lonua_http_request_duration_seconds_count\{[^}]*\} \d+/m,
    /^lonua_worker_restarts_total \d+/m,
    /^lonua_db_reconnects_total \d+/m,
    /^lonua_workers \d+/m,
  ]) {
    assert.match(res.text, family, `missing ${family} in:\n${res.text.slice(0, 3000)}`);
  }
});

test('lonua_workers equals the configured worker count', async () => {
  const m = await metrics();
  assert.equal(m.get('lonua_workers'), WORKERS, `lonua_workers ${m.get('lonua_workers')}, LONUA_WORKERS ${WORKERS}`);
});

function labels(key) {
  const out = {};
  const inner = key.slice(key.indexOf('{') + 1, key.lastIndexOf('}'));
  for (const m of inner.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]] = m[2];
  return out;
}

// Sum of a family's series whose route label names path (with or without the method).
function seriesFor(m, family, path, extra = {}) {
  let sum = 0;
  let found = false;
  for (const [key, v] of m) {
    if (!key.startsWith(family + '{')) continue;
    const l = labels(key);
    if (!l.route || !(l.route === path || l.route.endsWith(' ' + path))) continue;
    if (Object.entries(extra).some(([k, want]) => l[k] !== want)) continue;
    sum += v;
    found = true;
  }
  return found ? sum : null;
}

test('metrics count requests just made, across all workers', async () => {
  const before = await metrics();
  const n = 3 * WORKERS; // enough to land on several workers
  for (let i = 0; i < n; i++) assertStatus(await get('/api/v1/styles'), 200);
  const after = await metrics();
  const b = seriesFor(before, 'lonua_http_requests_total', '/api/v1/styles', { status: '200' }) ?? 0;
  const a = seriesFor(after, 'lonua_http_requests_total', '/api/v1/styles', { status: '200' });
  const routes = [...after.keys()].filter((k) => k.startsWith('lonua_http_requests_total{')).join('\n# ');
  assert.notEqual(a, null, `no lonua_http_requests_total series for /api/v1/styles status 200 among:\n# ${routes}`);
  assert.equal(a - b, n, `lonua_http_requests_total for /api/v1/styles 200 went ${b} → ${a}, expected +${n}`);
});

test('the duration histogram counts the same requests and its buckets add up', async () => {
  const before = await metrics();
  for (let i = 0; i < 4; i++) assertStatus(await get('/api/v1/categories'), 200);
  const after = await metrics();
  const fam = 'lonua_http_request_duration_seconds';
  const cb = seriesFor(before, fam + '_count', '/api/v1/categories') ?? 0;
  const ca = seriesFor(after, fam + '_count', '/api/v1/categories');
  assert.notEqual(ca, null, 'no duration histogram for /api/v1/categories');
  assert.equal(ca - cb, 4, `_count went ${cb} → ${ca}, expected +4`);
  const inf = seriesFor(after, fam + '_bucket', '/api/v1/categories', { le: '+Inf' });
  assert.equal(inf, ca, `bucket le="+Inf" (${inf}) differs from _count (${ca})`);
  // buckets are cumulative: never decreasing with le
  const buckets = [...after].filter(([k]) => k.startsWith(fam + '_bucket{') && labels(k).route?.endsWith('/api/v1/categories'))
    .map(([k, v]) => [labels(k).le === '+Inf' ? Infinity : Number(labels(k).le), v]).sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < buckets.length; i++) {
    assert.ok(buckets[i][1] >= buckets[i - 1][1], `bucket le=${buckets[i][0]} (${buckets[i][1]}) < le=${buckets[i - 1][0]} (${buckets[i - 1][1]})`);
  }
});

test('a 404 is counted under its status', async () => {
  const before = await metrics();
  await get('/api/v1/categories/999999');
  const after = await metrics();
  const b = seriesFor(before, 'lonua_http_requests_total', '/api/v1/categories/{id}', { status: '404' }) ?? 0;
  const a = seriesFor(after, 'lonua_http_requests_total', '/api/v1/categories/{id}', { status: '404' });
  assert.equal(a - b, 1, `lonua_http_requests_total{route=…/categories/{id},status="404"} went ${b} → ${a}`);
});

// ---- reference lists ---------------------------------------------------------------------

function assertList(res, expected) {
  assertStatus(res, 200);
  assert.equal(mediaType(res), 'application/json', describe(res));
  const body = res.json;
  assert.ok(body && Array.isArray(body.items), `no items[]: ${describe(res)}`);
  assert.equal(body.page, 1, `page: ${describe(res)}`);
  assert.equal(body.total, expected.length, `total: ${describe(res)}`);
  assert.equal(body.total_is_lower_bound, false, `total_is_lower_bound: ${describe(res)}`);
  assert.ok(Number.isInteger(body.per_page) && body.per_page >= expected.length, `per_page: ${describe(res)}`);
  assert.deepEqual(body.items.map((i) => [i.code, i.name_ko, i.name_en]), expected, `items: ${describe(res)}`);
  const ids = body.items.map((i) => i.id);
  assert.ok(ids.every((id) => Number.isInteger(id) && id > 0), `ids: ${ids}`);
  assert.equal(new Set(ids).size, ids.length, `ids repeat: ${ids}`);
  return body.items;
}

for (const [what, expected] of [['categories', CATEGORIES], ['styles', STYLES]]) {
  test(`GET /api/v1/${what} lists all ${expected.length}, named in Korean by default`, async () => {
    const items = assertList(await get(`/api/v1/${what}`), expected);
    for (const i of items) assert.equal(i.name, i.name_ko, `name of ${i.code}: ${JSON.stringify(i)}`);
  });

  test(`GET /api/v1/${what}?lang=en names them in English`, async () => {
    const items = assertList(await get(`/api/v1/${what}?lang=en`), expected);
    for (const i of items) assert.equal(i.name, i.name_en, `name of ${i.code}: ${JSON.stringify(i)}`);
  });

  test(`GET /api/v1/${what}/{id} answers each item as listed`, async () => {
    const list = (await get(`/api/v1/${what}`)).json.items;
    for (const item of list) {
      const res = await get(`/api/v1/${what}/${item.id}`);
      assertStatus(res, 200);
      assert.deepEqual(res.json, item, `GET /api/v1/${what}/${item.id}: ${describe(res)}`);
    }
  });

  test(`GET /api/v1/${what}/{id}?lang=en names the item in English`, async () => {
    const first = (await get(`/api/v1/${what}`)).json.items[0];
    const res = await get(`/api/v1/${what}/${first.id}?lang=en`);
    assertStatus(res, 200);
    assert.equal(res.json.name, first.name_en, describe(res));
  });

  test(`GET /api/v1/${what}/{absent id} is a 404 problem`, async () => {
    assertProblem(await get(`/api/v1/${what}/999999`), 404, 'NOT_FOUND');
  });
}

// ---- headers -------------------------------------------------------------------------------

function assertSecurityHeaders(res) {
  assert.equal(res.headers['x-content-type-options'], 'nosniff', describe(res));
  assert.equal(res.headers['x-frame-options'], 'DENY', describe(res));
  assert.ok(res.headers['referrer-policy'], `no Referrer-Policy: ${describe(res)}`);
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, describe(res));
}

test('a page carries the security headers, each once', async () => {
  const res = await get('/');
  assertSecurityHeaders(res);
  for (const h of ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy', 'x-request-id']) {
    assert.equal(headerCount(res, h), 1, `${h} appears ${headerCount(res, h)} times: ${describe(res)}`);
  }
});

test('an API answer carries the security headers, each once', async () => {
  const res = await get('/api/v1/categories');
  assertSecurityHeaders(res);
  for (const h of ['x-content-type-options', 'x-frame-options', 'content-security-policy', 'x-request-id']) {
    assert.equal(headerCount(res, h), 1, `${h} appears ${headerCount(res, h)} times: ${describe(res)}`);
  }
});

test('an error answer carries the security headers', async () => {
  assertSecurityHeaders(await get('/api/v1/categories/999999'));
  assertSecurityHeaders(await get('/no-such-page'));
});

test('every answer has an X-Request-Id, a new one each time', async () => {
  const ids = [];
  for (const path of ['/', '/healthz', '/api/v1/categories', '/api/v1/categories', '/no-such-page']) {
    const res = await get(path);
    const id = res.headers['x-request-id'];
    assert.match(String(id), /^[0-9a-f]{32}$/, `X-Request-Id of ${path}: ${describe(res)}`);
    ids.push(id);
  }
  assert.equal(new Set(ids).size, ids.length, `request ids repeat: ${ids.join(' ')}`);
});

// ---- static files ---------------------------------------------------------------------------

async function stylesheetHref() {
  const home = await get('/');
  assertStatus(home, 200);
  for (const tag of home.text.match(/<link\b[^>]*>/gi) || []) {
    if (/\brel=["']?stylesheet\b/i.test(tag)) {
      const m = tag.match(/\bhref=["']([^"']+)["']/i);
      if (m) return m[1];
    }
  }
  assert.fail(`no <link rel="stylesheet" href> in the home page: ${home.text.slice(0, 2000)}`);
}

test('the home page links a content-hashed stylesheet under /dist/', async () => {
  const href = await stylesheetHref();
  assert.match(href, /^\/dist\/.+\.[0-9a-f]{8,}\.css$/, `href: ${href}`);
});

test('a /dist/ asset is served by nginx with a one-year immutable cache', async () => {
  const href = await stylesheetHref();
  const res = await get(href);
  assertStatus(res, 200);
  assert.equal(mediaType(res), 'text/css', describe(res));
  const cc = String(res.headers['cache-control']);
  const maxAge = Number((cc.match(/max-age=(\d+)/) || [])[1]);
  assert.ok(maxAge >= 31536000, `Cache-Control: ${cc}`);
  assert.match(cc, /immutable/, `Cache-Control: ${cc}`);
  assert.match(String(res.headers['x-request-id']), /^[0-9a-f]{32}$/, `X-Request-Id: ${describe(res)}`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', describe(res));
  assert.ok(res.body.length > 0, 'empty stylesheet');
});

test('CSS is gzipped for a client that accepts gzip, and unzips to the same bytes', async () => {
  const href = await stylesheetHref();
  const plain = await get(href);
  const zipped = await get(href, { 'Accept-Encoding': 'gzip' });
  assertStatus(zipped, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip', describe(zipped));
  assert.match(String(zipped.headers.vary), /Accept-Encoding/i, describe(zipped));
  assert.ok(zipped.body.length < plain.body.length, `gzip ${zipped.body.length} B is not smaller than ${plain.body.length} B`);
  assert.deepEqual(zlib.gunzipSync(zipped.body), plain.body, 'gunzipped CSS differs from the plain one');
});

test('a client without Accept-Encoding gets the CSS uncompressed', async () => {
  const res = await get(await stylesheetHref());
  assert.equal(res.headers['content-encoding'], undefined, describe(res));
});

test('JSON answers are gzipped too', async () => {
  const res = await get('/api/v1/categories', { 'Accept-Encoding': 'gzip' });
  assertStatus(res, 200);
  assert.equal(res.headers['content-encoding'], 'gzip', describe(res));
  const body = JSON.parse(zlib.gunzipSync(res.body).toString('utf8'));
  assert.equal(body.total, CATEGORIES.length);
});

test('a missing /dist/ file is a 404 from nginx, not cached for a year', async () => {
  const res = await get('/dist/no-such-file.0123456789.css');
  assertStatus(res, 404);
  assert.doesNotMatch(String(res.headers['cache-control'] || ''), /max-age=31536000|immutable/, describe(res));
  assert.ok(res.headers['x-request-id'], `no X-Request-Id: ${describe(res)}`);
});

test('a missing /media/ file is a 404', async () => {
  assertStatus(await get('/media/no-such-image.webp'), 404);
});

test('HEAD of a /dist/ asset answers its headers without a body', async () => {
  const href = await stylesheetHref();
  const res = await request(href, { method: 'HEAD' });
  assertStatus(res, 200);
  assert.equal(res.body.length, 0);
});

// ---- errors ----------------------------------------------------------------------------------

test('an unknown page is a 404 HTML page', async () => {
  const res = await get('/no-such-page');
  assertHtml(res, 404);
  assert.match(res.text, /<html/i, describe(res));
});

test('an unknown API path is a 404 problem', async () => {
  assertProblem(await get('/api/v1/no-such-thing'), 404, 'NOT_FOUND');
});

test('under /api/ errors stay problem+json for a client that prefers HTML', async () => {
  assertProblem(await get('/api/v1/no-such-thing', { Accept: 'text/html' }), 404, 'NOT_FOUND');
});

test('DELETE /api/v1/categories is a 405 problem with an Allow header', async () => {
  const res = await request('/api/v1/categories', { method: 'DELETE' });
  assertProblem(res, 405, 'METHOD_NOT_ALLOWED');
  const allow = String(res.headers.allow || '').split(/\s*,\s*/);
  assert.ok(allow.includes('GET'), `Allow: ${res.headers.allow}`);
  assert.ok(!allow.includes('DELETE'), `Allow: ${res.headers.allow}`);
});

test('POST to a page that only answers GET is a 405 HTML page', async () => {
  const res = await request('/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 3 }, body: 'a=1' });
  assertHtml(res, 405);
  assert.ok(res.headers.allow, `no Allow header: ${describe(res)}`);
});

test('an unknown method (BREW) is a 405 and the workers survive it', async () => {
  const restarts = await workerRestarts();
  const res = await request('/api/v1/categories', { method: 'BREW' });
  assertProblem(res, 405, 'METHOD_NOT_ALLOWED');
  const page = await request('/', { method: 'BREW' });
  assert.equal(page.status, 405, describe(page));
  await assertHealthy(restarts);
});

// ---- nginx: login rate limit and the real client address --------------------------------------
// Last: it fills the login bucket of one address (another address, a fresh bucket each).

test('login attempts past the burst get 429 problems from nginx', async () => {
  const headers = { 'Content-Type': 'application/json', 'Content-Length': 2, 'X-Forwarded-For': '198.51.100.7' };
  const answers = await Promise.all(Array.from({ length: 80 }, () =>
    request('/api/v1/auth/login', { method: 'POST', headers, body: '{}' })));
  const limited = answers.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, `no 429 among: ${answers.map((r) => r.status).join(' ')}`);
  assertProblem(limited[0], 429, 'RATE_LIMITED');
  assert.ok(limited[0].headers['retry-after'], `no Retry-After: ${describe(limited[0])}`);
  await sleep(2500); // let the bucket drain for whatever logs in next
});

test('the rate limit is per client address taken from X-Forwarded-For of the trusted proxy', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': 2, 'X-Forwarded-For': `203.0.113.${i + 1}` },
      body: '{}',
    })));
  const limited = answers.filter((r) => r.status === 429);
  assert.equal(limited.length, 0, `${limited.length} of 40 distinct addresses were limited`);
});

test('the login page itself (GET) is never rate limited', async () => {
  const answers = await Promise.all(Array.from({ length: 60 }, () => get('/login', { 'X-Forwarded-For': '198.51.100.8' })));
  assert.ok(answers.every((r) => r.status !== 429), answers.map((r) => r.status).join(' '));
});

// Every path that checks a password or a token, or sends mail (lonua-common.conf): a burst of
// POSTs from one address (a fresh one per path) gets 429s from nginx, problem+json under /api/
// and the HTML page elsewhere, whatever the workers would answer.
const TOKEN_PATHS = [
  '/login', '/seller/login', '/api/v1/auth/login', '/api/v1/seller/auth/login',
  '/password/forgot', '/password/reset', '/verify', '/verify/resend', '/seller/signup', '/signup',
  '/api/v1/users', '/api/v1/sellers', '/api/v1/auth/password/forgot', '/api/v1/auth/password/reset',
  '/api/v1/auth/verify', '/api/v1/auth/verify/resend',
];

function burst(path, address, n, method = 'POST') {
  const headers = { 'X-Forwarded-For': address };
  if (method === 'POST') Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': 2 });
  return Promise.all(Array.from({ length: n }, () =>
    request(path, { method, headers, body: method === 'POST' ? '{}' : undefined })));
}

TOKEN_PATHS.forEach((path, i) => {
  test(`POST ${path} is rate limited per address`, async () => {
    const answers = await burst(path, `192.0.2.${i + 1}`, 45);
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, `no 429 among: ${answers.map((r) => r.status).join(' ')}`);
    assert.ok(limited.length < answers.length, `all ${answers.length} were limited: the burst lets some through`);
    const res = limited[0];
    if (path.startsWith('/api/')) {
      assertProblem(res, 429, 'RATE_LIMITED');
    } else {
      assertHtml(res, 429);
      assert.match(res.text, /<title>429 /, describe(res));
    }
    assert.equal(res.headers['retry-after'], '60', describe(res));
    assert.equal(res.headers['cache-control'], 'no-store', describe(res));
  });
});

test('GET /auth/kakao and its callback (the Kakao login) are rate limited per address too', async () => {
  for (const [path, address] of [['/auth/kakao/callback?code=abc&state=def', '192.0.2.100'], ['/auth/kakao', '192.0.2.101']]) {
    const answers = await burst(path, address, 45, 'GET');
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, `${path}: no 429 among: ${answers.map((r) => r.status).join(' ')}`);
    assertHtml(limited[0], 429);
    assert.equal(limited[0].headers['retry-after'], '60', describe(limited[0]));
  }
});

test('paths next to the limited ones are not limited', async () => {
  for (const [path, method] of [['/api/v1/users/1', 'POST'], ['/login/x', 'POST'], ['/api/v1/auth/logout', 'POST'],
    ['/auth/kakao/x', 'GET'], ['/verify', 'GET']]) {
    const answers = await burst(path, '192.0.2.200', 45, method);
    assert.ok(answers.every((r) => r.status !== 429), `${method} ${path}: ${answers.map((r) => r.status).join(' ')}`);
  }
});

await run();
