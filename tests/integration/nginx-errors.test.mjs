// nginx's own answers through the running stack: every status nginx answers itself
// (lonua-common.conf, "errors nginx answers itself") is made with a real request and checked for
// its status, media type, body (problem+json under /api/, the small HTML page elsewhere) and
// headers; what nginx does where it answers nothing (408); and the headers of lonua-headers.conf
// on every kind of answer, each exactly once. Requests node:http cannot send (HTTP/2.0 request
// lines, unknown transfer codings, TRACE with a body …) go over a raw socket (node:net).
//   node tests/integration/nginx-errors.test.mjs      (needs LONUA_BASE_URL etc., see http.mjs)
// Two cases briefly break what nginx depends on, and put it back: the 500 case turns nginx's
// client_body temp folder (LONUA_RUN_DIR/nginx/client_body, ci/lib.sh) into a file, the 502
// case moves the workers' socket (LONUA_LISTEN) aside.
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, assert } from '../lib/tap.mjs';
import {
  BASE, request, get, describe, assertStatus, assertProblem, mediaType, headerCount, assertHealthy, sleep,
} from './http.mjs';

const base = new URL(BASE);
const PORT = Number(base.port || 80);

// ---- a raw HTTP/1.1 client -------------------------------------------------------------------

// Sends `bytes` (string or Buffer) as is and reads the answer: done once its Content-Length
// has come (nginx may linger a few seconds before closing after an error), or when nginx closes.
// Resolves the same shape as http.mjs request(), plus `version`, `bytes` (all that came back) and
// `elapsed` (ms).
function raw(bytes, { timeout = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = net.connect(PORT, base.hostname);
    const chunks = [];
    let done = false;
    const finish = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) return reject(err);
      try {
        resolve(parse(Buffer.concat(chunks), Date.now() - started));
      } catch (e) {
        reject(e);
      }
    };
    const timer = setTimeout(() => finish(new Error(`no end of the answer within ${timeout} ms; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 500)}`)), timeout);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (c) => {
      chunks.push(c);
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = all.subarray(0, end).toString('latin1').match(/\r\ncontent-length: *(\d+)/i);
      if (len && all.length >= end + 4 + Number(len[1])) finish();
    });
    // nginx may reset a connection whose request it did not read in full: keep what came
    sock.on('error', (err) => finish(chunks.length && (err.code === 'ECONNRESET' || err.code === 'EPIPE') ? undefined : err));
    sock.on('close', () => finish());
  });
}

function parse(all, elapsed) {
  const end = all.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, rawHeaders: [], body: all, text: all.toString('utf8'), bytes: all, elapsed };
  const lines = all.subarray(0, end).toString('latin1').split('\r\n');
  const m = lines[0].match(/^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/);
  assert.ok(m, `not an HTTP status line: ${JSON.stringify(lines[0])}`);
  const headers = {};
  const rawHeaders = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    rawHeaders.push(name, value);
    const k = name.toLowerCase();
    headers[k] = k in headers ? `${headers[k]}, ${value}` : value;
  }
  let body = all.subarray(end + 4);
  if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  const text = Buffer.from(body).toString('utf8');
  let json;
  if (/json/.test(headers['content-type'] || '')) {
    try { json = JSON.parse(text); } catch { json = undefined; }
  }
  return { version: m[1], status: Number(m[2]), reason: m[3], headers, rawHeaders, body, text, json, bytes: all, elapsed };
}

// A request line and headers (Host and Connection: close added), then an optional body.
function req(line, headers = {}, body = '') {
  let s = `${line}\r\nHost: ${base.host}\r\nConnection: close\r\n`;
  for (const [k, v] of Object.entries(headers)) s += `${k}: ${v}\r\n`;
  return Buffer.concat([Buffer.from(s + '\r\n', 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

// ---- what every answer carries -------------------------------------------------------------------

// lonua-headers.conf, on every answer (nginx's own and the workers'), once; never HSTS locally.
function assertEveryAnswerHeaders(res) {
  assert.equal(headerCount(res, 'permissions-policy'), 1, `Permissions-Policy appears ${headerCount(res, 'permissions-policy')} times: ${describe(res)}`);
  const pp = String(res.headers['permissions-policy']);
  for (const want of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=(self)']) {
    assert.ok(pp.split(/\s*,\s*/).includes(want), `Permissions-Policy lacks ${want}: ${pp}`);
  }
  assert.equal(headerCount(res, 'strict-transport-security'), 0, `HSTS over plain HTTP: ${describe(res)}`);
  for (const [name, n] of Object.entries(countAll(res))) {
    if (name !== 'vary' && name !== 'set-cookie') assert.equal(n, 1, `${name} appears ${n} times: ${describe(res)}`);
  }
}

function countAll(res) {
  const n = {};
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const k = res.rawHeaders[i].toLowerCase();
    n[k] = (n[k] || 0) + 1;
  }
  return n;
}

// An error nginx answered itself: problem+json (api) or the HTML page, with its headers.
function assertNginxError(res, status, { api, code, allow, retryAfter } = {}) {
  assertStatus(res, status);
  const id = res.headers['x-request-id'];
  assert.match(String(id), /^[0-9a-f]{32}$/, `X-Request-Id: ${describe(res)}`);
  if (api) {
    assertProblem(res, status, code);
  } else {
    assert.equal(String(res.headers['content-type']).toLowerCase().replace(/\s+/g, ''), 'text/html;charset=utf-8',
      `content type: ${describe(res)}`);
    assert.match(res.text, new RegExp(`^<!doctype html>.*<title>${status} `, 's'), `not our ${status} page: ${describe(res)}`);
    assert.ok(res.text.includes(`request id: ${id}`), `the page does not show its request id ${id}: ${describe(res)}`);
  }
  assert.equal(res.headers['x-content-type-options'], 'nosniff', describe(res));
  assert.equal(res.headers['x-frame-options'], 'DENY', describe(res));
  assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", describe(res));
  assert.equal(res.headers['cache-control'], 'no-store', describe(res));
  assert.equal(res.headers.server, 'nginx', `Server: ${describe(res)}`);
  assert.equal(res.headers.allow, allow, `Allow: ${describe(res)}`);
  assert.equal(res.headers['retry-after'], retryAfter, `Retry-After: ${describe(res)}`);
  assert.equal(res.headers.etag, undefined, `an error with the file's ETag: ${describe(res)}`);
  assertEveryAnswerHeaders(res);
}

async function stylesheet() {
  const home = await get('/');
  assertStatus(home, 200);
  const m = home.text.match(/<link rel="stylesheet" href="(\/dist\/[^"]+\.css)"/);
  assert.ok(m, `no stylesheet link in the home page: ${home.text.slice(0, 1500)}`);
  return m[1];
}

// ---- 408: nginx answers nothing -----------------------------------------------------------------
// Started first and checked last, so the 15 s of client_header_timeout pass while the rest runs.
const headerTimeout = raw(`GET /api/v1/categories HTTP/1.1\r\nHost: ${base.host}\r\nX-Slow: yes\r\n`, { timeout: 40000 })
  .catch((err) => err);

// ---- 400 ----------------------------------------------------------------------------------------

test('400: Content-Length together with Transfer-Encoding is a 400 problem under /api/', async () => {
  const res = await raw(req('POST /api/v1/test/echo/7 HTTP/1.1', { 'Content-Length': 1, 'Transfer-Encoding': 'chunked' }, '0\r\n\r\n'));
  assertNginxError(res, 400, { api: true, code: 'MALFORMED_REQUEST' });
});

test('400: Transfer-Encoding in an HTTP/1.0 request is a 400 HTML page elsewhere', async () => {
  const res = await raw(req('POST /login HTTP/1.0', { 'Transfer-Encoding': 'chunked' }, '0\r\n\r\n'));
  assertNginxError(res, 400);
});

test('400: a request without Host is a 400 HTML page', async () => {
  const res = await raw('GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
  assertNginxError(res, 400);
});

test('400 (494): a 20 KiB header line is a 400 problem under /api/', async () => {
  const res = await raw(req('GET /api/v1/categories HTTP/1.1', { 'X-Padding': 'p'.repeat(20 * 1024) }));
  assertNginxError(res, 400, { api: true, code: 'MALFORMED_REQUEST' });
});

// ---- 404, 405 -----------------------------------------------------------------------------------

test('404: a missing /dist/ file is nginx\'s 404 HTML page', async () => {
  assertNginxError(await get('/dist/no-such-file.0123456789.css'), 404);
});

test('404: an upload\'s temporary dot-file under /media/ is never served', async () => {
  assertNginxError(await get('/media/ab/.upload-tmp'), 404);
});

test('405: POST to a static file is a 405 HTML page with Allow', async () => {
  const res = await request(await stylesheet(), { method: 'POST', headers: { 'Content-Length': 0 } });
  assertNginxError(res, 405, { allow: 'GET, HEAD' });
});

test('405: TRACE under /api/ is refused by nginx itself with a 405 problem', async () => {
  const res = await raw(req('TRACE /api/v1/categories HTTP/1.1'));
  assertNginxError(res, 405, { api: true, code: 'METHOD_NOT_ALLOWED', allow: 'GET, HEAD' });
});

test('405: TRACE on a page is a 405 HTML page', async () => {
  assertNginxError(await raw(req('TRACE / HTTP/1.1')), 405, { allow: 'GET, HEAD' });
});

// ---- 412, and Range (never 416) ----------------------------------------------------------------

test('412: If-Match that fails on a static file is a 412 HTML page without the file\'s headers', async () => {
  const res = await get(await stylesheet(), { 'If-Match': '"no-such-etag"' });
  assertNginxError(res, 412);
  assert.doesNotMatch(String(res.headers['cache-control']), /immutable/, describe(res));
});

test('412: If-Unmodified-Since before the file\'s date is a 412 too', async () => {
  assertNginxError(await get(await stylesheet(), { 'If-Unmodified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' }), 412);
});

test('a matching If-Match still gets the file', async () => {
  const href = await stylesheet();
  const etag = (await get(href)).headers.etag;
  assert.ok(etag, 'no ETag on a static file');
  assertStatus(await get(href, { 'If-Match': etag }), 200);
});

test('no 416: a Range past the end of a static file gets the whole file with 200', async () => {
  const href = await stylesheet();
  const whole = await get(href);
  const res = await get(href, { Range: 'bytes=99999999-' });
  assertStatus(res, 200);
  assert.equal(res.headers['content-range'], undefined, describe(res));
  assert.deepEqual(res.body, whole.body, 'the body differs from the whole file');
  assert.match(String(res.headers['cache-control']), /immutable/, describe(res));
  assertEveryAnswerHeaders(res);
});

test('no 206 either: static files ignore Range altogether (max_ranges 0)', async () => {
  const res = await get(await stylesheet(), { Range: 'bytes=0-3' });
  assertStatus(res, 200);
  assert.ok(res.body.length > 4, describe(res));
  assert.equal(res.headers['accept-ranges'], undefined, describe(res));
});

test('a Range on a worker\'s answer is ignored too (200, never 416)', async () => {
  const res = await get('/api/v1/categories', { Range: 'bytes=99999999-' });
  assertStatus(res, 200);
  assert.equal(res.headers['content-range'], undefined, describe(res));
});

// ---- 413, 414 -----------------------------------------------------------------------------------

test('413: a Content-Length over 10 MiB is refused before the body, a problem under /api/', async () => {
  const res = await raw(req('POST /api/v1/test/echo/7 HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': 11 * 1024 * 1024 }));
  assertNginxError(res, 413, { api: true, code: 'BODY_TOO_LARGE' });
});

test('413: the same on a page is the 413 HTML page', async () => {
  const res = await raw(req('POST /seller/products HTTP/1.1', { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': 11 * 1024 * 1024 }));
  assertNginxError(res, 413);
});

test('414: a 20 KiB request line is a 414 problem under /api/ and a page elsewhere', async () => {
  assertNginxError(await raw(req(`GET /api/v1/categories?q=${'a'.repeat(20 * 1024)} HTTP/1.1`)), 414, { api: true, code: 'URI_TOO_LONG' });
  assertNginxError(await raw(req(`GET /products?q=${'a'.repeat(20 * 1024)} HTTP/1.1`)), 414);
});

// ---- 500: nginx cannot spool a body --------------------------------------------------------------

// nginx's client_body temp folder, as ci/lib.sh start_nginx lays it out.
function clientBodyDir() {
  const run = process.env.LONUA_RUN_DIR;
  assert.ok(run, 'LONUA_RUN_DIR is not set (the 500 case needs nginx\'s temp folder, ci/lib.sh)');
  const dir = path.join(run, 'nginx', 'client_body');
  assert.ok(fs.statSync(dir).isDirectory(), `${dir} is not nginx's client_body_temp_path`);
  return dir;
}

// Runs fn while client_body_temp_path is a plain file: a body larger than the 256 KiB buffer
// cannot be spooled (like a full /tmp in the pod), and nginx answers 500 itself.
async function withoutBodyTempDir(fn) {
  const dir = clientBodyDir();
  const aside = `${dir}.lonua-test`;
  fs.renameSync(dir, aside);
  try {
    fs.writeFileSync(dir, '');
    return await fn();
  } finally {
    fs.rmSync(dir, { force: true });
    fs.renameSync(aside, dir);
  }
}

const bigJson = Buffer.from(`{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`);

test('500: a body nginx cannot spool is a 500 problem under /api/ and a page elsewhere', async () => {
  const [api, page] = await withoutBodyTempDir(async () => [
    await raw(req('POST /api/v1/test/echo/7 HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': bigJson.length }, bigJson)),
    await raw(req('POST /seller/products HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': bigJson.length }, bigJson)),
  ]);
  assertNginxError(api, 500, { api: true, code: 'INTERNAL_ERROR' });
  assertNginxError(page, 500);
});

test('after the 500 case the same body reaches the worker again', async () => {
  const res = await raw(req('POST /api/v1/test/echo/7 HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': bigJson.length }, bigJson));
  assert.ok(res.status !== 500, describe(res));
  assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, `not the worker's answer: ${describe(res)}`);
  await assertHealthy();
});

// ---- 501 ----------------------------------------------------------------------------------------

test('501: Transfer-Encoding gzip is a 501 problem under /api/', async () => {
  const res = await raw(req('POST /api/v1/test/echo/7 HTTP/1.1', { 'Transfer-Encoding': 'gzip' }));
  assertNginxError(res, 501, { api: true, code: 'NOT_IMPLEMENTED' });
});

test('501: Transfer-Encoding "gzip, chunked" on a page is the 501 HTML page', async () => {
  const res = await raw(req('POST /login HTTP/1.1', { 'Transfer-Encoding': 'gzip, chunked' }, '0\r\n\r\n'));
  assertNginxError(res, 501);
});

// ---- 502 ----------------------------------------------------------------------------------------

function workersSocket() {
  const listen = process.env.LONUA_LISTEN || (process.env.LONUA_RUN_DIR ? path.join(process.env.LONUA_RUN_DIR, 'lonua.sock') : '');
  const p = listen.replace(/^unix:/, '');
  assert.ok(p.startsWith('/') && fs.statSync(p).isSocket(), `the 502 case needs the workers' unix socket, LONUA_LISTEN is "${listen}"`);
  return p;
}

test('502: with the workers\' socket gone, a 502 problem under /api/ and a page elsewhere', async () => {
  const sock = workersSocket();
  const aside = `${sock}.lonua-test`;
  let api;
  let page;
  fs.renameSync(sock, aside);
  try {
    api = await get('/api/v1/categories');
    page = await get('/products');
  } finally {
    fs.renameSync(aside, sock);
  }
  assertNginxError(api, 502, { api: true, code: 'BAD_GATEWAY', retryAfter: '5' });
  assertNginxError(page, 502, { retryAfter: '5' });
  await assertHealthy();
});

// ---- 505 ----------------------------------------------------------------------------------------

test('505: an HTTP/2.0 request line under /api/ is a 505 problem', async () => {
  const res = await raw(req('GET /api/v1/categories HTTP/2.0'));
  assertNginxError(res, 505, { api: true, code: 'HTTP_VERSION_NOT_SUPPORTED' });
  assert.equal(res.version, '1.1', describe(res));
});

test('505: HTTP/3.0 on a page is the 505 HTML page', async () => {
  assertNginxError(await raw(req('GET / HTTP/3.0')), 505);
});

test('505: the absolute form of an /api/ URL is recognised as /api/ too', async () => {
  assertNginxError(await raw(req(`GET http://${base.host}/api/v1/categories HTTP/2.0`)), 505, { api: true, code: 'HTTP_VERSION_NOT_SUPPORTED' });
});

test('HTTP/1.2 is still HTTP/1.x to nginx: answered, not 505', async () => {
  const res = await raw(req('GET /api/v1/categories HTTP/1.2'));
  assertStatus(res, 200);
});

// ---- the error pages themselves ------------------------------------------------------------------

test('the error locations are internal: asked for directly they are a plain 404', async () => {
  for (const p of ['/__lonua_error/500', '/__lonua_error/500.json', '/__lonua_error/404.html', '/__lonua_error/']) {
    const res = await get(p);
    assertNginxError(res, 404);
  }
});

// ---- every answer carries the headers once ---------------------------------------------------------

test('a static file carries Permissions-Policy once and no HSTS', async () => {
  const res = await get(await stylesheet());
  assertStatus(res, 200);
  assertEveryAnswerHeaders(res);
});

test('nginx\'s own 200 and 204 (/nginx-healthz, /favicon.ico) carry it too', async () => {
  const h = await get('/nginx-healthz');
  assertStatus(h, 200);
  assertEveryAnswerHeaders(h);
  const f = await get('/favicon.ico');
  assertStatus(f, 204);
  assertEveryAnswerHeaders(f);
});

test('the workers\' answers carry it once, and their own headers are not doubled', async () => {
  const cases = [
    ['GET', '/'], ['GET', '/api/v1/categories'], ['GET', '/no-such-page'], ['GET', '/api/v1/no-such-thing'],
    ['GET', '/healthz'], ['GET', '/metrics'], ['GET', '/login'], ['GET', '/auth/kakao/callback?code=x&state=y'],
    ['POST', '/api/v1/auth/login'], ['DELETE', '/api/v1/categories'],
  ];
  for (const [method, p] of cases) {
    const res = await request(p, {
      method,
      headers: method === 'POST' ? { 'Content-Type': 'application/json', 'Content-Length': 2, 'X-Forwarded-For': '192.0.2.250' } : {},
      body: method === 'POST' ? '{}' : undefined,
    });
    assert.ok(res.status < 500, `${method} ${p}: ${describe(res)}`);
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, `not the worker's answer: ${method} ${p}: ${describe(res)}`);
    assertEveryAnswerHeaders(res);
  }
});

// ---- 408, last -----------------------------------------------------------------------------------

test('408: a request whose headers never end is closed after client_header_timeout, with no answer', async () => {
  const res = await headerTimeout;
  assert.ok(!(res instanceof Error), `the connection was not closed: ${res}`);
  assert.equal(res.bytes.length, 0, `nginx answered: ${res.bytes.toString('latin1').slice(0, 500)}`);
  assert.ok(res.elapsed >= 14000, `closed after ${res.elapsed} ms, before client_header_timeout (15 s)`);
});

await run();
