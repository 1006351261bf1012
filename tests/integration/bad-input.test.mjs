// Bad input through the real stack: every case gets a clear 4xx (problem+json under /api/),
// and after every case the server is still whole: /healthz answers, the master still has
// LONUA_WORKERS children, and no worker died meanwhile (lonua_worker_restarts_total unchanged,
// so a crash is caught even after the master replaced the worker).
// Drives the test-only routes (LONUA_TEST_ROUTES=1): GET|POST /api/v1/test/echo/{id} with
// name (string 1..50, required), count (int 1..10), on_sale (bool), sort (newest|price_asc|
// price_desc), photo (file, body only, <= 1 MiB).
//   node tests/integration/bad-input.test.mjs      (needs LONUA_BASE_URL etc., see http.mjs)
import { test, run, assert } from '../lib/tap.mjs';
import {
  request, get, postJson, postForm, postMultipart, multipart, describe, assertStatus, assertProblem,
  assertInvalid, mediaType, workerRestarts, assertHealthy,
} from './http.mjs';

const ECHO = '/api/v1/test/echo/7';
const ECHO_KEYS = ['count', 'id', 'name', 'on_sale', 'photo', 'sort'];

// A case: runs fn, then checks that no worker died and the server still serves.
function badCase(name, fn) {
  test(name, async () => {
    const restarts = await workerRestarts();
    await fn();
    await assertHealthy(restarts);
  });
}

// ---- path ids ------------------------------------------------------------------------------

for (const id of ['abc', '99999999999999999999', '-1', '0', '1.5', '1e3', '0x10', '%20']) {
  badCase(`path id "${id}" is a 404 problem`, async () => {
    assertProblem(await get(`/api/v1/categories/${id}`), 404, 'NOT_FOUND');
  });
}

badCase('a huge path id on a page is a 404 HTML page', async () => {
  const res = await get('/categories/99999999999999999999');
  assertStatus(res, 404);
  assert.equal(mediaType(res), 'text/html', describe(res));
});

// ---- size limits -----------------------------------------------------------------------------

badCase('a 1 MB query string is refused by nginx with a 414 problem', async () => {
  const res = await get(`${ECHO}?name=${'a'.repeat(1 << 20)}`);
  assertProblem(res, 414, 'URI_TOO_LONG');
});

badCase('a 1 MB query string on a page is a 414 HTML page', async () => {
  const res = await get(`/?q=${'a'.repeat(1 << 20)}`);
  assertStatus(res, 414);
  assert.equal(mediaType(res), 'text/html', describe(res));
});

badCase('a 12 KB query string (under nginx\'s limit) is refused by the worker with 414', async () => {
  assertProblem(await get(`${ECHO}?name=a&pad=${'b'.repeat(12 * 1024)}`), 414, 'URI_TOO_LONG');
});

badCase('a 20 KB header is refused by nginx with a 400 problem', async () => {
  assertProblem(await get(ECHO + '?name=a', { 'X-Padding': 'p'.repeat(20 * 1024) }), 400, 'MALFORMED_REQUEST');
});

// Streams `total` zero bytes in 64 KiB chunks, honestly announced in Content-Length; the server
// may answer before reading them all (and close), which ends the stream.
async function* zeros(total) {
  const chunk = Buffer.alloc(64 * 1024);
  for (let sent = 0; sent < total; sent += chunk.length) {
    yield sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
  }
}

badCase('a 100 MB body is refused with a 413 problem (without reading it all)', async () => {
  const total = 100 * 1024 * 1024;
  const started = Date.now();
  const res = await request(ECHO, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': total },
    body: zeros(total),
    timeout: 30000,
  });
  assertProblem(res, 413, 'BODY_TOO_LARGE');
  assert.ok(Date.now() - started < 20000, `the 413 took ${Date.now() - started} ms`);
});

badCase('a chunked 11 MB body (no Content-Length) is refused with 413', async () => {
  const total = 11 * 1024 * 1024;
  const res = await request(ECHO, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    body: zeros(total),
    timeout: 30000,
  });
  assertProblem(res, 413, 'BODY_TOO_LARGE');
});

badCase('a photo over 1 MiB is a 422 too_large', async () => {
  const res = await postMultipart(ECHO, [
    { name: 'name', value: 'big' },
    { name: 'photo', filename: 'big.jpg', contentType: 'image/jpeg', data: Buffer.alloc((1 << 20) + 1, 0xff) },
  ]);
  assertInvalid(res, { photo: 'too_large' });
});

badCase('multipart with 10,000 parts is a 413 problem', async () => {
  const parts = Array.from({ length: 10000 }, (_, i) => ({ name: `f${i}`, value: 'x' }));
  parts[0] = { name: 'name', value: 'many' };
  assertProblem(await postMultipart(ECHO, parts), 413, 'BODY_TOO_LARGE');
});

badCase('an urlencoded body with 10,000 fields is a 413 problem', async () => {
  const body = 'name=many&' + Array.from({ length: 10000 }, (_, i) => `f${i}=x`).join('&');
  const res = await request(ECHO, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
    body,
  });
  assertProblem(res, 413, 'BODY_TOO_LARGE');
});

// ---- encodings -------------------------------------------------------------------------------

badCase('invalid UTF-8 in a query parameter (%C3%28) is a 422 invalid_utf8', async () => {
  assertInvalid(await get(`${ECHO}?name=%C3%28`), { name: 'invalid_utf8' });
});

badCase('an overlong UTF-8 encoding (%C0%AF) is a 422 invalid_utf8', async () => {
  assertInvalid(await get(`${ECHO}?name=%C0%AF`), { name: 'invalid_utf8' });
});

badCase('a NUL byte in a string parameter (%00) is a 422 not_allowed', async () => {
  assertInvalid(await get(`${ECHO}?name=a%00b`), { name: 'not_allowed' });
});

badCase('a bad percent escape in the query (%ZZ) is a 400 problem', async () => {
  assertProblem(await get(`${ECHO}?name=%ZZ`), 400, 'MALFORMED_REQUEST');
});

badCase('a truncated percent escape in the query (%C) is a 400 problem', async () => {
  assertProblem(await get(`${ECHO}?name=%C`), 400, 'MALFORMED_REQUEST');
});

badCase('raw invalid UTF-8 inside a JSON body is a 400 problem', async () => {
  const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
  assertProblem(await postJson(ECHO, body), 400, 'MALFORMED_REQUEST');
});

badCase('a lone surrogate escape in JSON (\\ud800) is a 400 problem', async () => {
  assertProblem(await postJson(ECHO, '{"name":"\\ud800"}'), 400, 'MALFORMED_REQUEST');
});

// ---- JSON ------------------------------------------------------------------------------------

for (const [what, body] of [
  ['malformed JSON', '{"name": "a",'],
  ['JSON with trailing data', '{"name":"a"} x'],
  ['a JSON array body', '[{"name":"a"}]'],
  ['a JSON string body', '"name"'],
  ['JSON with a repeated member', '{"name":"a","name":"b"}'],
  ['JSON nested 100,000 deep', '{"a":'.repeat(100000) + '1' + '}'.repeat(100000)],
  ['JSON arrays nested 100,000 deep', '{"name":"a","x":' + '['.repeat(100000) + ']'.repeat(100000) + '}'],
]) {
  badCase(`${what} is a 400 problem`, async () => {
    assertProblem(await postJson(ECHO, body), 400, 'MALFORMED_REQUEST');
  });
}

for (const [what, body, errors] of [
  ['a number where a string is expected (name: 5)', { name: 5 }, { name: 'wrong_type' }],
  ['null where a string is expected', { name: null }, { name: 'wrong_type' }],
  ['an object where a string is expected', { name: { a: 1 } }, { name: 'wrong_type' }],
  ['text that is no integer (count: "abc")', { name: 'a', count: 'abc' }, { count: 'not_integer' }],
  ['a fraction for an integer (count: 1.5)', { name: 'a', count: 1.5 }, { count: 'not_integer' }],
  ['an exponent for an integer (count: 1e1)', { name: 'a', count: '1e1' }, { count: 'not_integer' }],
  ['an integer below the minimum (count: 0)', { name: 'a', count: 0 }, { count: 'too_small' }],
  ['an integer above the maximum (count: 11)', { name: 'a', count: 11 }, { count: 'too_large' }],
  ['an integer beyond 64 bits', '{"name":"a","count":99999999999999999999999}', { count: 'too_large' }],
  ['an array for a boolean', { name: 'a', on_sale: [true] }, { on_sale: 'wrong_type' }],
  ['a value outside the enum (sort: "oldest")', { name: 'a', sort: 'oldest' }, { sort: 'not_allowed' }],
  ['a 51-character name', { name: 'ㄱ'.repeat(51) }, { name: 'too_long' }],
  ['an empty required name', { name: '' }, { name: 'required' }],
  ['a string where a file is expected (photo: "x")', { name: 'a', photo: 'x' }, { photo: 'not_a_file' }],
  ['several invalid fields at once', { name: 5, count: 0, sort: 'x' }, { name: 'wrong_type', count: 'too_small', sort: 'not_allowed' }],
]) {
  badCase(`JSON: ${what} is a 422`, async () => {
    assertInvalid(await postJson(ECHO, body), errors);
  });
}

// ---- multipart -------------------------------------------------------------------------------

badCase('multipart without a boundary is a 400 problem', async () => {
  const body = '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--x--\r\n';
  const res = await request(ECHO, {
    method: 'POST',
    headers: { 'Content-Type': 'multipart/form-data', 'Content-Length': body.length },
    body,
  });
  assertProblem(res, 400, 'MALFORMED_REQUEST');
});

badCase('multipart cut off before its closing boundary is a 400 problem', async () => {
  const { body, contentType } = multipart([{ name: 'name', value: 'a' }]);
  const cut = body.subarray(0, body.length - 10);
  const res = await request(ECHO, {
    method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': cut.length }, body: cut,
  });
  assertProblem(res, 400, 'MALFORMED_REQUEST');
});

badCase('a file part where a string is expected is a 422 wrong_type', async () => {
  const res = await postMultipart(ECHO, [
    { name: 'name', filename: 'name.txt', contentType: 'text/plain', data: Buffer.from('a') },
  ]);
  assertInvalid(res, { name: 'wrong_type' });
});

badCase('a text part where a file is expected is a 422 not_a_file', async () => {
  const res = await postMultipart(ECHO, [{ name: 'name', value: 'a' }, { name: 'photo', value: 'not a file' }]);
  assertInvalid(res, { photo: 'not_a_file' });
});

badCase('a file in the query string is impossible: photo=x there is ignored', async () => {
  const res = await get(`${ECHO}?name=a&photo=x`);
  assertStatus(res, 200);
  assert.equal(res.json.photo, null, describe(res));
});

// ---- media types -----------------------------------------------------------------------------

for (const ct of ['text/plain', 'application/xml', 'application/jsonx']) {
  badCase(`a ${ct} body is a 415 problem`, async () => {
    const res = await request(ECHO, { method: 'POST', headers: { 'Content-Type': ct, 'Content-Length': 8 }, body: 'name=abc' });
    assertProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
}

badCase('a body without a Content-Type is a 415 problem', async () => {
  const res = await request(ECHO, { method: 'POST', headers: { 'Content-Length': 8 }, body: 'name=abc' });
  assertProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
});

// ---- required, undeclared, repeated ------------------------------------------------------------

badCase('a missing required parameter is a 422 required', async () => {
  assertInvalid(await get(ECHO), { name: 'required' });
});

badCase('an empty JSON body is no input at all: 422 required', async () => {
  assertInvalid(await postJson(ECHO, ''), { name: 'required' });
});

badCase('a POST without the required field is a 422 required', async () => {
  assertInvalid(await postJson(ECHO, { count: 2 }), { name: 'required' });
});

badCase('undeclared parameters are ignored, never echoed', async () => {
  const res = await get(`${ECHO}?name=a&evil=1&__proto__=x&constructor=y&id=999`);
  assertStatus(res, 200);
  assert.deepEqual(Object.keys(res.json).sort(), ECHO_KEYS, describe(res));
  assert.equal(res.json.id, 7, `the path id must win over ?id=: ${describe(res)}`);
  assert.ok(!res.text.includes('evil'), describe(res));
});

badCase('undeclared JSON members are ignored, never echoed', async () => {
  const res = await postJson(ECHO, { name: 'a', admin: true, nested: { deep: [1, 2] } });
  assertStatus(res, 200);
  assert.deepEqual(Object.keys(res.json).sort(), ECHO_KEYS, describe(res));
});

badCase('a repeated query parameter: the first one counts', async () => {
  const res = await get(`${ECHO}?name=first&name=second`);
  assertStatus(res, 200);
  assert.equal(res.json.name, 'first', describe(res));
});

// ---- valid input in every encoding -------------------------------------------------------------

function assertEcho(res, expected) {
  assertStatus(res, 200);
  assert.equal(mediaType(res), 'application/json', describe(res));
  assert.deepEqual(res.json, { id: 7, name: null, count: null, on_sale: null, sort: null, photo: null, ...expected }, describe(res));
}

badCase('a valid query string echoes typed values', async () => {
  const res = await get(`${ECHO}?name=${encodeURIComponent('니트 조끼')}&count=10&on_sale=true&sort=price_asc`);
  assertEcho(res, { name: '니트 조끼', count: 10, on_sale: true, sort: 'price_asc' });
});

badCase('a valid JSON body echoes typed values', async () => {
  const res = await postJson(ECHO, { name: '청바지 "slim"', count: 1, on_sale: false, sort: 'newest' });
  assertEcho(res, { name: '청바지 "slim"', count: 1, on_sale: false, sort: 'newest' });
});

badCase('a JSON body with a charset parameter is accepted', async () => {
  const body = JSON.stringify({ name: 'a' });
  const res = await request(ECHO, {
    method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }, body,
  });
  assertEcho(res, { name: 'a' });
});

badCase('a valid urlencoded body echoes typed values', async () => {
  const res = await postForm(ECHO, { name: '셔츠 & 타이', count: '3', on_sale: 'on', sort: 'price_desc' });
  assertEcho(res, { name: '셔츠 & 타이', count: 3, on_sale: true, sort: 'price_desc' });
});

badCase('a body field wins over the same query field', async () => {
  const res = await postForm(`${ECHO}?name=query`, { name: 'body' });
  assertEcho(res, { name: 'body' });
});

badCase('a chunked JSON body (no Content-Length) is read whole', async () => {
  const body = Buffer.from(JSON.stringify({ name: 'chunked', count: 4 }));
  async function* pieces() { for (let i = 0; i < body.length; i += 5) yield body.subarray(i, i + 5); }
  const res = await request(ECHO, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: pieces(),
  });
  assertEcho(res, { name: 'chunked', count: 4 });
});

badCase('multipart with a binary file (NUL bytes included) reports its exact size', async () => {
  const data = Buffer.alloc(4099);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff; // starts with NUL, holds many
  data.write('\r\n--', 100, 'latin1'); // boundary-like bytes inside the file
  const res = await postMultipart(ECHO, [
    { name: 'name', value: '사진' },
    { name: 'count', value: '2' },
    { name: 'photo', filename: 'photo.png', contentType: 'image/png', data },
  ]);
  assertEcho(res, { name: '사진', count: 2, photo: { filename: 'photo.png', content_type: 'image/png', size: data.length } });
});

badCase('a photo of exactly 1 MiB is accepted', async () => {
  const data = Buffer.alloc(1 << 20, 0);
  const res = await postMultipart(ECHO, [
    { name: 'name', value: 'max' },
    { name: 'photo', filename: 'max.bin', contentType: 'application/octet-stream', data },
  ]);
  assertEcho(res, { name: 'max', photo: { filename: 'max.bin', content_type: 'application/octet-stream', size: 1 << 20 } });
});

badCase('a 9 MB body (under nginx\'s 10 MiB) reaches the worker and is judged there', async () => {
  const res = await postMultipart(ECHO, [
    { name: 'name', value: 'nine' },
    { name: 'photo', filename: 'big.bin', contentType: 'application/octet-stream', data: Buffer.alloc(9 * 1024 * 1024, 1) },
  ]);
  assertInvalid(res, { photo: 'too_large' });
});

await run();
