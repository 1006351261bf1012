// Helpers shared by the integration suites: raw HTTP through nginx (node:http, so no header is
// added or decoded behind the test's back), problem+json checks, and the health of the process
// tree of `lonua serve`. The stack is started by the test script, which exports:
//   LONUA_BASE_URL  nginx in front of the workers, e.g. http://127.0.0.1:18080
//   LONUA_PIDFILE   file holding the pid of the `lonua serve` master
//   LONUA_WORKERS   how many workers the master keeps
//   LONUA_RUN_DIR   scratch folder;  LONUA_LOG  the master's and workers' log
import http from 'node:http';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { assert } from '../lib/tap.mjs';

export const BASE = (process.env.LONUA_BASE_URL || '').replace(/\/+$/, '');
if (!BASE) {
  console.log('Bail out! LONUA_BASE_URL is not set (the URL of nginx in front of `lonua serve`)');
  process.exit(1);
}
export const WORKERS = Number(process.env.LONUA_WORKERS || 0);
const base = new URL(BASE);

// One HTTP request. opts: method, headers (exactly these, plus Host), body (string | Buffer |
// async iterable of Buffers), timeout (ms, default 15 s), rawPath (sent as is, unencoded).
// Resolves { status, headers (lower-case names), rawHeaders, body (Buffer), text, json (or
// undefined) }.
// The connection is not reused (agent: false), so every request is independent.
export function request(path, opts = {}) {
  const method = opts.method || 'GET';
  const timeout = opts.timeout ?? 15000;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: base.hostname,
      port: base.port || 80,
      method,
      path,
      headers: opts.headers || {},
      agent: false,
      setHost: true,
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer to ${method} ${shorten(path)} within ${timeout} ms`));
    }, timeout);
    req.on('error', (err) => { clearTimeout(timer); reject(err); });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => { clearTimeout(timer); reject(err); });
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json;
        const ct = res.headers['content-type'] || '';
        if (/json/.test(ct)) {
          try { json = JSON.parse(text); } catch { json = undefined; }
        }
        resolve({ status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders, body, text, json });
      });
    });
    const body = opts.body;
    if (body === undefined || body === null) {
      req.end();
    } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
    } else {
      (async () => {
        try {
          for await (const chunk of body) {
            if (req.destroyed) return;
            if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
          }
          req.end();
        } catch (err) {
          req.destroy(err);
        }
      })();
    }
  });
}

export const get = (path, headers = {}) => request(path, { headers });

// POSTs a JSON value (or a raw string/Buffer taken as already-encoded JSON).
export function postJson(path, value, headers = {}) {
  const body = typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value);
  return request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
    body,
  });
}

export function postForm(path, fields, headers = {}) {
  const body = new URLSearchParams(fields).toString();
  return request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), ...headers },
    body,
  });
}

// Builds a multipart/form-data body from parts: { name, value } (a text field) or
// { name, filename, contentType, data (Buffer) } (a file). Returns { body, contentType }.
export function multipart(parts, boundary = 'lonua-test-' + Math.random().toString(16).slice(2)) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.filename !== undefined) head += `Content-Type: ${p.contentType || 'application/octet-stream'}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head, 'utf8'));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(String(p.value ?? p.data ?? ''), 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function postMultipart(path, parts, headers = {}) {
  const { body, contentType } = multipart(parts);
  return request(path, {
    method: 'POST',
    headers: { 'Content-Type': contentType, 'Content-Length': body.length, ...headers },
    body,
  });
}

export function shorten(s, n = 300) {
  s = String(s);
  return s.length > n ? s.slice(0, n) + `… (${s.length} chars)` : s;
}

// What a response was, for assertion messages.
export function describe(res) {
  if (!res) return String(res);
  const h = Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('; ');
  return `${res.status} [${h}] ${shorten(res.text)}`;
}

export function assertStatus(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${describe(res)}`);
}

// How many times the answer carries header `name` (duplicates are what node would join).
export function headerCount(res, name) {
  let n = 0;
  for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() === name.toLowerCase()) n++;
  return n;
}

export function mediaType(res) {
  return String(res.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
}

// Checks an RFC 9457 problem: status, media type, and the members every LONUA problem has.
// When the answer came from a worker, request_id equals the X-Request-Id header.
export function assertProblem(res, status, code) {
  assertStatus(res, status);
  assert.equal(mediaType(res), 'application/problem+json', `expected problem+json, got ${describe(res)}`);
  const p = res.json;
  assert.ok(p && typeof p === 'object', `problem body is not a JSON object: ${describe(res)}`);
  assert.equal(p.status, status, `problem.status: ${describe(res)}`);
  if (code) assert.equal(p.code, code, `problem.code: ${describe(res)}`);
  assert.match(String(p.type), /^urn:lonua:problem:[a-z0-9-]+$/, `problem.type: ${describe(res)}`);
  assert.equal(typeof p.title, 'string', `problem.title: ${describe(res)}`);
  assert.ok(p.title.length > 0, `problem.title is empty: ${describe(res)}`);
  assert.equal(typeof p.detail, 'string', `problem.detail: ${describe(res)}`);
  assert.equal(typeof p.request_id, 'string', `problem.request_id: ${describe(res)}`);
  assert.ok(p.request_id.length > 0, `problem.request_id is empty: ${describe(res)}`);
  if (res.headers['x-request-id']) {
    assert.equal(p.request_id, res.headers['x-request-id'], `request_id differs from X-Request-Id: ${describe(res)}`);
  }
  return p;
}

// A 422 with errors[field] === code for each entry of fields.
export function assertInvalid(res, fields) {
  const p = assertProblem(res, 422, 'VALIDATION_FAILED');
  assert.ok(p.errors && typeof p.errors === 'object', `422 without an errors object: ${describe(res)}`);
  for (const [field, code] of Object.entries(fields)) {
    assert.equal(p.errors[field], code, `errors.${field}: ${describe(res)}`);
  }
  return p;
}

// ---- the process tree ---------------------------------------------------------------------

export function masterPid() {
  const f = process.env.LONUA_PIDFILE;
  if (!f) return null;
  const pid = Number(fs.readFileSync(f, 'utf8').trim());
  assert.ok(Number.isInteger(pid) && pid > 1, `no pid in ${f}`);
  return pid;
}

// True while pid runs; a zombie (exited, not yet reaped by its parent) does not count.
export function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

// Pids of the master's children (pgrep -P), or [] when it has none.
export function childPids(pid) {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
  } catch (err) {
    if (err.status === 1) return [];
    throw err;
  }
}

// Prometheus text → Map of 'name{labels}' → number.
export function parseMetrics(text) {
  const m = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    // label values may hold braces ("GET /api/v1/categories/{id}"): skip over quoted strings
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?)\s+(\S+)/);
    if (match) m.set(match[1], Number(match[2]));
  }
  return m;
}

export async function metrics() {
  const res = await get('/metrics');
  assertStatus(res, 200);
  return parseMetrics(res.text);
}

export async function workerRestarts() {
  const m = await metrics();
  assert.ok(m.has('lonua_worker_restarts_total'), 'no lonua_worker_restarts_total in /metrics');
  return m.get('lonua_worker_restarts_total');
}

let warnedNoPidfile = false;

// The server is healthy: /healthz answers, the master lives with LONUA_WORKERS children, and no
// worker died since `restartsBefore` (a crash is caught even after the master replaced it).
export async function assertHealthy(restartsBefore) {
  const h = await get('/healthz');
  assert.equal(h.status, 200, `GET /healthz after the case: ${describe(h)}`);
  const pid = masterPid();
  if (pid === null) {
    if (!warnedNoPidfile) console.log('# LONUA_PIDFILE is not set: process checks skipped');
    warnedNoPidfile = true;
  } else {
    assert.ok(alive(pid), `the master (pid ${pid}) is gone`);
    const kids = childPids(pid);
    assert.equal(kids.length, WORKERS, `the master has ${kids.length} children (${kids.join(' ')}), expected ${WORKERS}`);
  }
  if (restartsBefore !== undefined) {
    const after = await workerRestarts();
    assert.equal(after, restartsBefore, `a worker died during the case (lonua_worker_restarts_total ${restartsBefore} → ${after})`);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
