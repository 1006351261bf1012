// Proves the test fakes speak their protocols: the SMTP sink driven by the real curl CLI (libcurl,
// as the shop will use it) and by a raw socket, the Kakao and Portone fakes driven with fetch (and
// Portone with curl too), and all run as processes and driven through their control surfaces.
// Needs node 20 and curl; no network.
// Run: node tests/fakes/fakes.test.mjs   (TAP on stdout, exit 1 when anything failed)
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import http from 'node:http';
import path from 'node:path';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test, run, assert } from '../lib/tap.mjs';
import * as smtp from './smtp-sink.mjs';
import * as kakao from './kakao-fake.mjs';
import * as portone from './portone-fake.mjs';
import * as slackFake from './slack-fake.mjs';
import { launch } from './proc.mjs';

const HERE_SLACK = path.dirname(fileURLToPath(import.meta.url));

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'lonua-fakes-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { // exit (so TMP goes); launched fakes follow through --exit-with-stdin
    console.log(`Bail out! ${sig}`);
    process.exit(1);
  });
}
const usedPorts = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- helpers: SMTP ---------------------------------------------------------------------------

async function withSink(options, fn) {
  const sink = await smtp.start(options);
  usedPorts.add(sink.port);
  if (sink.controlPort) usedPorts.add(sink.controlPort);
  try {
    return await fn(sink);
  } finally {
    await sink.close();
  }
}

let fileNo = 0;
function messageFile(text) {
  const f = path.join(TMP, `msg-${++fileNo}.eml`);
  fs.writeFileSync(f, text);
  return f;
}

const MESSAGE = [
  'From: LONUA <shop@example.test>',
  'To: buyer@example.test',
  'Subject: =?UTF-8?B?7KO866y4IO2ZleyduA==?=',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=UTF-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  '주문이 접수되었습니다.',
  '.a line that starts with a dot',
  '..two dots',
  '.',
  'the line above is a lone dot; the message goes on',
  '',
].join('\r\n');

// curl CLI sending one mail. Resolves { code (curl's exit status), stderr, ms }.
function sendMail(port, { file = messageFile(MESSAGE), from = 'shop@example.test', to = ['buyer@example.test'], maxTime = 10, extra = [] } = {}) {
  const args = ['-sS', `smtp://127.0.0.1:${port}/shop.example.test`, '--mail-from', from, '--upload-file', file, '--max-time', String(maxTime), ...extra];
  for (const r of to) args.push('--mail-rcpt', r);
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile('curl', args, { timeout: (maxTime + 10) * 1000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stderr, ms: Date.now() - t0 });
    });
  });
}

// A raw SMTP client: read() is the next complete reply (its lines), cmd(line) sends and reads.
async function smtpClient(port) {
  const sock = net.connect(port, '127.0.0.1');
  const replies = [];
  const waiting = [];
  let buf = '';
  let lines = [];
  const closed = new Promise((r) => sock.on('close', r));
  sock.on('error', () => {});
  sock.on('data', (d) => {
    buf += d.toString('utf8');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      lines.push(line);
      if (!/^\d{3}-/.test(line)) {
        replies.push(lines);
        lines = [];
      }
    }
    while (replies.length && waiting.length) waiting.shift()(replies.shift());
  });
  const read = () => new Promise((resolve, reject) => {
    if (replies.length) return resolve(replies.shift());
    const t = setTimeout(() => reject(new Error('no SMTP reply within 5 s')), 5000);
    waiting.push((r) => { clearTimeout(t); resolve(r); });
  });
  return {
    read,
    write: (s) => sock.write(s),
    cmd: (line) => { sock.write(line + '\r\n'); return read(); },
    closed,
    end: () => sock.destroy(),
  };
}

// Resolves what promise resolves to, or rejects when it takes longer than ms (no timer is left).
function within(promise, ms, what) {
  let t;
  const late = new Promise((resolve, reject) => { t = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(t));
}

// True when nothing accepts connections on port any more.
function refused(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (err) => resolve(err.code === 'ECONNREFUSED'));
  });
}

function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function controlFetch(port, route, body) {
  const [method, p] = route.split(' ');
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

// ---- SMTP sink -----------------------------------------------------------------------------

test('smtp: curl delivers a message; envelope, SIZE, UTF-8 and dot-stuffed lines round-trip exactly', () => withSink({}, async (sink) => {
  const r = await sendMail(sink.port);
  assert.equal(r.code, 0, `curl failed: ${r.stderr}`);
  assert.equal(sink.messages.length, 1);
  const m = sink.messages[0];
  assert.equal(m.mail_from, 'shop@example.test');
  assert.deepEqual(m.rcpt_tos, ['buyer@example.test']);
  assert.equal(m.helo, 'shop.example.test');
  assert.equal(m.content, MESSAGE);
  assert.ok(m.raw.equals(Buffer.from(MESSAGE, 'utf8')), 'raw bytes differ from the file');
  assert.equal(m.size, Buffer.byteLength(MESSAGE));
  assert.equal(m.mail_params.SIZE, String(Buffer.byteLength(MESSAGE)), 'curl sends SIZE= because the sink advertises SIZE');
  assert.equal(m.bare_lf, false);
  const dialogue = sink.log.map((e) => `${e.from} ${e.line}`);
  assert.deepEqual(dialogue.slice(0, 5), ['S 220 sink.test ESMTP LONUA test sink', 'C EHLO shop.example.test', 'S 250-sink.test greets shop.example.test', 'S 250-8BITMIME', 'S 250 SIZE 10485760']);
  assert.ok(dialogue.includes('C QUIT') && dialogue.at(-1) === 'S 221 2.0.0 Bye', dialogue.join('\n'));
}));

test('smtp: several recipients; each message lands in dir as NNNN.eml (exact bytes) + NNNN.json', () => {
  const dir = path.join(TMP, 'spool');
  return withSink({ dir }, async (sink) => {
    assert.equal((await sendMail(sink.port, { to: ['a@example.test', 'b@example.test'] })).code, 0);
    assert.equal((await sendMail(sink.port, { file: messageFile('Subject: two\r\n\r\nsecond\r\n') })).code, 0);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['0001.eml', '0001.json', '0002.eml', '0002.json']);
    assert.ok(fs.readFileSync(path.join(dir, '0001.eml')).equals(Buffer.from(MESSAGE)));
    const env = JSON.parse(fs.readFileSync(path.join(dir, '0001.json'), 'utf8'));
    assert.deepEqual(env.rcpt_tos, ['a@example.test', 'b@example.test']);
    assert.equal(env.mail_from, 'shop@example.test');
    assert.equal(fs.readFileSync(path.join(dir, '0002.eml'), 'utf8'), 'Subject: two\r\n\r\nsecond\r\n');
    assert.deepEqual(sink.messages.map((m) => m.id), [1, 2]);
  });
});

test('smtp: raw dialogue: multi-line EHLO, HELO, RSET, NOOP, 502 for unknown verbs, 503 out of order, QUIT 221 closes', () => withSink({}, async (sink) => {
  const c = await smtpClient(sink.port);
  assert.deepEqual(await c.read(), ['220 sink.test ESMTP LONUA test sink']);
  assert.deepEqual(await c.cmd('MAIL FROM:<a@example.test>'), ['503 5.5.1 Error: send HELO/EHLO first']);
  assert.deepEqual(await c.cmd('EHLO client.test'), ['250-sink.test greets client.test', '250-8BITMIME', '250 SIZE 10485760']);
  assert.deepEqual(await c.cmd('HELO client.test'), ['250 sink.test']);
  assert.deepEqual(await c.cmd('RCPT TO:<b@example.test>'), ['503 5.5.1 Error: need MAIL command']);
  assert.deepEqual(await c.cmd('MAIL FROM:<a@example.test>'), ['250 2.1.0 Ok']);
  assert.deepEqual(await c.cmd('DATA'), ['503 5.5.1 Error: need RCPT command']);
  assert.deepEqual(await c.cmd('RSET'), ['250 2.0.0 Ok']);
  assert.deepEqual(await c.cmd('RCPT TO:<b@example.test>'), ['503 5.5.1 Error: need MAIL command'], 'RSET ends the transaction');
  assert.deepEqual(await c.cmd('NOOP'), ['250 2.0.0 Ok']);
  assert.deepEqual(await c.cmd('VRFY root'), ['502 5.5.2 Error: command not recognized']);
  assert.deepEqual(await c.cmd('STARTTLS'), ['502 5.5.2 Error: command not recognized']);
  assert.deepEqual(await c.cmd('MAIL FROM: nobody'), ['501 5.5.4 Syntax: MAIL FROM:<address>']);
  assert.deepEqual(await c.cmd('MAIL FROM:<a@example.test> SIZE=99999999'), ['552 5.3.4 Message size exceeds fixed limit']);
  assert.deepEqual(await c.cmd('QUIT'), ['221 2.0.0 Bye']);
  await c.closed;
  assert.equal(sink.messages.length, 0);
}));

test('smtp: raw DATA: a leading ".." loses one dot, only CRLF.CRLF ends the data, a bare LF is kept and flagged', () => withSink({}, async (sink) => {
  const c = await smtpClient(sink.port);
  await c.read();
  await c.cmd('EHLO client.test');
  await c.cmd('MAIL FROM:<>');
  assert.deepEqual(await c.cmd('RCPT TO:<x@example.test>'), ['250 2.1.5 Ok']);
  assert.deepEqual(await c.cmd('DATA'), ['354 End data with <CR><LF>.<CR><LF>']);
  c.write('Subject: raw\r\n\r\n..one\r\n...two\r\nbare\n.\nnot the end\r\n');
  c.write('.\r\n');
  assert.deepEqual(await c.read(), ['250 2.0.0 Ok: queued as 1']);
  assert.deepEqual(await c.cmd('QUIT'), ['221 2.0.0 Bye']);
  const m = sink.messages[0];
  assert.equal(m.content, 'Subject: raw\r\n\r\n.one\r\n..two\r\nbare\n.\nnot the end\r\n');
  assert.equal(m.mail_from, '', 'the null sender <> is kept as ""');
  assert.equal(m.bare_lf, true);
}));

test('smtp: greeting knob: 421 (or the code given) and the sink closes the connection', () => withSink({}, async (sink) => {
  sink.set({ greeting: 1 });
  const c = await smtpClient(sink.port);
  assert.deepEqual(await c.read(), ['421 4.3.2 sink.test Service not available, closing transmission channel']);
  await within(c.closed, 2000, 'the connection stays open after 421');
  sink.set({ greeting: { times: 1, code: 554, message: '5.3.2 No SMTP service here' } });
  const d = await smtpClient(sink.port);
  assert.deepEqual(await d.read(), ['554 5.3.2 No SMTP service here']);
  await within(d.closed, 2000, 'the connection stays open after 554');
  const e = await smtpClient(sink.port);
  assert.deepEqual(await e.read(), ['220 sink.test ESMTP LONUA test sink']);
  e.end();
}));

test('smtp: rejectRcpt → 550 to RCPT TO: curl exits 55 (CURLE_SEND_ERROR) without DATA; the knob is then used up', () => withSink({}, async (sink) => {
  sink.set({ rejectRcpt: 1 });
  const r = await sendMail(sink.port);
  assert.equal(r.code, 55, r.stderr);
  assert.match(r.stderr, /RCPT failed: 550/);
  assert.equal(sink.messages.length, 0);
  assert.ok(sink.log.some((e) => e.line === '550 5.1.1 <buyer@example.test>: Recipient address rejected: User unknown'));
  assert.ok(!sink.log.some((e) => e.line === 'DATA'), 'curl must not reach DATA');
  assert.deepEqual(sink.knobs(), {});
  assert.equal((await sendMail(sink.port)).code, 0);
  assert.equal(sink.messages.length, 1);
}));

test('smtp: rejectRcpt for one address + --mail-rcpt-allowfails: the mail goes to the others', () => withSink({}, async (sink) => {
  sink.set({ rejectRcpt: { addresses: ['Bad@Example.test'] } });
  const r = await sendMail(sink.port, { to: ['good@example.test', 'bad@example.test'], extra: ['--mail-rcpt-allowfails'] });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(sink.messages[0].rcpt_tos, ['good@example.test']);
  const strict = await sendMail(sink.port, { to: ['good@example.test', 'bad@example.test'] });
  assert.equal(strict.code, 55, 'without allowfails one refused recipient fails the send');
  assert.equal(sink.messages.length, 1);
  assert.equal(sink.knobs().rejectRcpt.used, 2, 'one use per message');
  assert.equal(sink.knobs().rejectRcpt.times, null, 'on until reset');
}));

test('smtp: rejectData → 554 after the final ".": curl exits 8 (CURLE_WEIRD_SERVER_REPLY), nothing kept', () => withSink({}, async (sink) => {
  sink.set({ rejectData: 1 });
  const r = await sendMail(sink.port);
  assert.equal(r.code, 8, r.stderr);
  assert.equal(sink.messages.length, 0);
  assert.ok(sink.log.some((e) => e.line === '554 5.7.1 Message rejected'));
  assert.equal((await sendMail(sink.port)).code, 0);
}));

test('smtp: temporary failures: 451 to MAIL (curl 55), to RCPT (55), at end of DATA (8); 421 greeting (8)', () => withSink({}, async (sink) => {
  const cases = [
    [{ rejectMail: 1 }, 55, /MAIL failed: 451/, '451 4.3.0 Temporary failure, try again later'],
    [{ rejectRcpt: { times: 1, code: 451 } }, 55, /RCPT failed: 451/, '451 4.2.0 <buyer@example.test>: Recipient address temporarily rejected'],
    [{ rejectData: { times: 1, code: 451 } }, 8, /Weird server reply/, '451 4.3.0 Temporary failure, try again later'],
    [{ greeting: 1 }, 8, /421/, '421 4.3.2 sink.test Service not available, closing transmission channel'],
  ];
  for (const [knob, code, stderr, line] of cases) {
    sink.reset();
    sink.set(knob);
    const r = await sendMail(sink.port);
    assert.equal(r.code, code, `${JSON.stringify(knob)}: ${r.stderr}`);
    assert.match(r.stderr, stderr);
    assert.ok(sink.log.some((e) => e.line === line), `${JSON.stringify(knob)}: no "${line}" in ${JSON.stringify(sink.log)}`);
    assert.equal(sink.messages.length, 0);
  }
  assert.equal((await sendMail(sink.port)).code, 0, 'every knob was for one message only');
}));

test('smtp: silent → curl --max-time 1 times out (28); refuse → curl fails at once (56)', () => withSink({}, async (sink) => {
  sink.set({ silent: 1 });
  const s = await sendMail(sink.port, { maxTime: 1 });
  assert.equal(s.code, 28, s.stderr);
  assert.ok(s.ms >= 900, `timed out after only ${s.ms} ms`);
  sink.set({ refuse: 1 });
  const r = await sendMail(sink.port, { maxTime: 5 });
  assert.equal(r.code, 56, r.stderr);
  assert.ok(r.ms < 4000, `a refused connection took ${r.ms} ms`);
  assert.equal(sink.messages.length, 0);
  assert.deepEqual(sink.log.map((e) => e.line), ['silent (never answers)', 'refused (closed at once)']);
  assert.equal((await sendMail(sink.port)).code, 0);
}));

test('smtp: knob counts: N times then off, true until reset; reset forgets messages and knobs; bad values refused', () => withSink({}, async (sink) => {
  sink.set({ rejectData: 2 });
  assert.equal((await sendMail(sink.port)).code, 8);
  assert.equal((await sendMail(sink.port)).code, 8);
  assert.equal((await sendMail(sink.port)).code, 0);
  sink.set({ rejectData: true });
  for (let i = 0; i < 3; i++) assert.equal((await sendMail(sink.port)).code, 8);
  assert.deepEqual(sink.knobs(), { rejectData: { times: null, used: 3 } });
  sink.set({ rejectData: false });
  assert.equal((await sendMail(sink.port)).code, 0);
  assert.equal(sink.messages.length, 2);
  sink.set({ rejectMail: true });
  sink.reset();
  assert.equal(sink.messages.length, 0);
  assert.deepEqual(sink.knobs(), {});
  assert.equal((await sendMail(sink.port)).code, 0);
  assert.equal(sink.messages[0].id, 3, 'ids keep counting across reset');
  assert.throws(() => sink.set({ rejectEverything: 1 }), /unknown knob "rejectEverything"/);
  assert.throws(() => sink.set({ rejectRcpt: { code: 250 } }), /code must be an SMTP failure code/);
  assert.throws(() => sink.set({ rejectRcpt: -1 }), /times must be a positive integer/);
}));

test('smtp: close() ends the sessions still open (an idle client, a silent session) at once', () => withSink({}, async (sink) => {
  const idle = await smtpClient(sink.port);
  assert.deepEqual(await idle.read(), ['220 sink.test ESMTP LONUA test sink']);
  sink.set({ silent: 1 });
  const quiet = await smtpClient(sink.port);
  for (let i = 0; i < 100 && !sink.log.some((e) => e.line.startsWith('silent')); i++) await sleep(10);
  assert.equal(sink.log.at(-1).line, 'silent (never answers)');
  await within(sink.close(), 1000, 'close() with open sessions');
  await within(idle.closed, 1000, 'the idle client');
  await within(quiet.closed, 1000, 'the silent session');
})); // withSink closes once more: a second close() is harmless

test('smtp process: "control"/"listening" lines; GET /messages, POST /config, POST /reset, GET /log; SIGTERM exits 0 and frees both ports', async () => {
  const dir = path.join(TMP, 'cli-spool');
  const p = await launch(path.join(HERE, 'smtp-sink.mjs'), ['--port', '0', '--control-port', '0', '--dir', dir, '--name', 'cli.sink']);
  usedPorts.add(p.port).add(p.controlPort);
  try {
    assert.deepEqual(p.output.slice(0, 2), [`control ${p.controlPort}\n`, `listening ${p.port}\n`]);
    assert.ok(p.port > 0 && p.controlPort > 0 && p.port !== p.controlPort);
    assert.equal((await sendMail(p.port)).code, 0);
    const list = await controlFetch(p.controlPort, 'GET /messages');
    assert.equal(list.status, 200);
    assert.equal(list.json.length, 1);
    assert.equal(list.json[0].content, MESSAGE);
    assert.deepEqual(list.json[0].rcpt_tos, ['buyer@example.test']);
    assert.ok(fs.existsSync(path.join(dir, '0001.eml')));
    const cfg = await controlFetch(p.controlPort, 'POST /config', { rejectRcpt: { times: 1, code: 550 } });
    assert.equal(cfg.status, 200);
    assert.deepEqual(cfg.json.knobs, { rejectRcpt: { code: 550, times: 1, used: 0 } });
    assert.equal((await sendMail(p.port)).code, 55);
    assert.equal((await sendMail(p.port)).code, 0);
    const bad = await controlFetch(p.controlPort, 'POST /config', { noSuchKnob: true });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /unknown knob/);
    const log = await controlFetch(p.controlPort, 'GET /log');
    assert.equal(log.json[0].line, '220 cli.sink ESMTP LONUA test sink');
    assert.equal((await controlFetch(p.controlPort, 'POST /reset')).status, 200);
    assert.deepEqual((await controlFetch(p.controlPort, 'GET /messages')).json, []);
    assert.equal((await controlFetch(p.controlPort, 'GET /nothing')).status, 404);
  } finally {
    const exit = await p.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
  }
  assert.ok(!alive(p.pid));
  assert.ok(await refused(p.port), 'SMTP port still open');
  assert.ok(await refused(p.controlPort), 'control port still open');
});

// ---- Kakao fake: helpers ---------------------------------------------------------------------

const CB = 'http://127.0.0.1:18080/auth/kakao/callback';
const CB2 = 'http://shop.example.test/auth/kakao/callback?from=app';
const CLIENT = 'lonua-kakao-test-key';

async function withKakao(options, fn) {
  const k = await kakao.start({ redirectUris: [CB, CB2], ...options });
  usedPorts.add(k.port);
  try {
    return await fn(k);
  } finally {
    await k.close();
  }
}

// GET /oauth/authorize; resolves { status, location, params (of the Location), text }.
async function authorize(k, query = {}) {
  const q = new URLSearchParams({ client_id: CLIENT, redirect_uri: CB, response_type: 'code', state: 'st-123', ...query });
  const res = await fetch(`${k.url}/oauth/authorize?${q}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location, params: location ? new URL(location).searchParams : null, type: res.headers.get('content-type'), text: await res.text() };
}

async function tokenRequest(k, fields, { json = false, headers = {}, signal } = {}) {
  const res = await fetch(`${k.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
    body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
    signal,
  });
  return { status: res.status, type: res.headers.get('content-type'), json: await res.json() };
}

const exchange = (k, code, extra = {}, signal = undefined) =>
  tokenRequest(k, { grant_type: 'authorization_code', client_id: CLIENT, redirect_uri: CB, code, ...extra }, { signal });

// authorize + exchange; resolves the token response body.
async function login(k, extra = {}) {
  const a = await authorize(k);
  assert.equal(a.status, 302, a.text);
  const t = await exchange(k, a.params.get('code'), extra);
  assert.equal(t.status, 200, JSON.stringify(t.json));
  return t.json;
}

async function api(k, p, token, method = 'GET') {
  const res = await fetch(`${k.url}${p}`, { method, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  const type = res.headers.get('content-type');
  return { status: res.status, type, text, json: /json/.test(type) ? JSON.parse(text) : undefined };
}

const DEAD = { msg: 'this access token does not exist', code: -401 };

// ---- Kakao fake ------------------------------------------------------------------------------

test('kakao: full code flow: 302 with code + echoed state, token JSON per §2.1, /v2/user/me by GET and POST', () => withKakao({}, async (k) => {
  const a = await authorize(k);
  assert.equal(a.status, 302);
  assert.ok(a.location.startsWith(CB + '?code='), a.location);
  assert.equal(a.params.get('state'), 'st-123');
  const code = a.params.get('code');
  assert.match(code, /^[A-Za-z0-9_-]{40,}$/);
  const t = await exchange(k, code);
  assert.equal(t.status, 200);
  assert.equal(t.type, 'application/json;charset=UTF-8');
  assert.deepEqual(Object.keys(t.json).sort(), ['access_token', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope', 'token_type']);
  assert.equal(t.json.token_type, 'bearer');
  assert.equal(t.json.expires_in, 21599);
  assert.equal(t.json.refresh_token_expires_in, 5183999);
  assert.equal(t.json.scope, 'profile_nickname account_email');
  assert.notEqual(t.json.access_token, t.json.refresh_token);
  for (const method of ['GET', 'POST']) {
    const me = await api(k, '/v2/user/me', t.json.access_token, method);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.id, 1000000001);
    assert.equal(me.json.kakao_account.email, 'gildong@example.test');
    assert.equal(me.json.kakao_account.is_email_verified, true);
    assert.equal(me.json.kakao_account.is_email_valid, true);
    assert.equal(me.json.kakao_account.profile.nickname, 'Gildong');
  }
  const info = await api(k, '/v1/user/access_token_info', t.json.access_token);
  assert.equal(info.json.id, 1000000001);
  assert.ok(info.json.expires_in > 21500 && info.json.expires_in <= 21599, info.text);
  assert.deepEqual(k.requests.map((r) => `${r.method} ${r.path} ${r.status}`), [
    'GET /oauth/authorize 302', 'POST /oauth/token 200', 'GET /v2/user/me 200', 'POST /v2/user/me 200', 'GET /v1/user/access_token_info 200',
  ]);
  assert.equal(k.requests[1].body.includes(`code=${code}`), true);
}));

test('kakao: authorize refuses a wrong client_id (KOE101), an unregistered redirect_uri (KOE006), response_type≠code (KOE001) with an HTML page and no redirect', () => withKakao({}, async (k) => {
  const cases = [
    [{ client_id: 'someone-else' }, 'KOE101'],
    [{ redirect_uri: 'http://evil.example.test/cb' }, 'KOE006'],
    [{ redirect_uri: CB + '/' }, 'KOE006'],
    [{ redirect_uri: '' }, 'KOE006'],
    [{ response_type: 'token' }, 'KOE001'],
  ];
  for (const [query, koe] of cases) {
    const a = await authorize(k, query);
    assert.equal(a.status, 400, JSON.stringify(query));
    assert.equal(a.location, null, `${JSON.stringify(query)} redirected to ${a.location}`);
    assert.match(a.type, /^text\/html/);
    assert.match(a.text, new RegExp(`<h1>${koe}</h1>`));
  }
  const withQuery = await authorize(k, { redirect_uri: CB2, state: 'a b&c' });
  assert.equal(withQuery.status, 302);
  assert.ok(withQuery.location.startsWith(CB2 + '&code='), withQuery.location);
  assert.ok(withQuery.location.endsWith('&state=a%20b%26c'), withQuery.location);
  assert.equal(withQuery.params.get('from'), 'app');
}));

test('kakao: a code is single-use: the second exchange is 400 invalid_grant KOE320; unknown codes too', () => withKakao({}, async (k) => {
  const a = await authorize(k);
  const code = a.params.get('code');
  assert.equal((await exchange(k, code)).status, 200);
  const again = await exchange(k, code);
  assert.equal(again.status, 400);
  assert.deepEqual(again.json, { error: 'invalid_grant', error_description: `authorization code not found for code=${code}`, error_code: 'KOE320' });
  for (const bad of ['made-up-code', '']) {
    const r = await exchange(k, bad);
    assert.equal(r.status, 400);
    assert.equal(r.json.error_code, 'KOE320');
  }
  const none = await tokenRequest(k, { grant_type: 'authorization_code', client_id: CLIENT, redirect_uri: CB });
  assert.equal(none.json.error_code, 'KOE320');
}));

test('kakao: a code is bound to its redirect_uri and client_id; a mismatch is KOE320 / 401 KOE101 and does not use it up', () => withKakao({}, async (k) => {
  const code = (await authorize(k)).params.get('code');
  const otherUri = await exchange(k, code, { redirect_uri: CB2 });
  assert.equal(otherUri.status, 400);
  assert.equal(otherUri.json.error, 'invalid_grant');
  assert.equal(otherUri.json.error_code, 'KOE320');
  const otherClient = await exchange(k, code, { client_id: 'someone-else' });
  assert.equal(otherClient.status, 401);
  assert.deepEqual(otherClient.json, { error: 'invalid_client', error_description: 'Bad client credentials', error_code: 'KOE101' });
  assert.equal((await exchange(k, code)).status, 200);
}));

test('kakao: the token endpoint takes form bodies only: JSON → 400 invalid_request (the code stays usable); other grant types → 400', () => withKakao({}, async (k) => {
  const code = (await authorize(k)).params.get('code');
  const asJson = await tokenRequest(k, { grant_type: 'authorization_code', client_id: CLIENT, redirect_uri: CB, code }, { json: true });
  assert.equal(asJson.status, 400);
  assert.equal(asJson.json.error, 'invalid_request');
  assert.match(asJson.json.error_description, /application\/x-www-form-urlencoded/);
  const grant = await tokenRequest(k, { grant_type: 'password', client_id: CLIENT });
  assert.equal(grant.status, 400);
  assert.equal(grant.json.error, 'invalid_request');
  assert.equal((await exchange(k, code)).status, 200);
  const get = await fetch(`${k.url}/oauth/token`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
}));

test('kakao: with a client_secret configured, a missing or wrong one is 401 invalid_client KOE010', () => withKakao({ clientSecret: 's3cret' }, async (k) => {
  for (const extra of [{}, { client_secret: 'wrong' }]) {
    const code = (await authorize(k)).params.get('code');
    const r = await exchange(k, code, extra);
    assert.equal(r.status, 401, JSON.stringify(extra));
    assert.deepEqual(r.json, { error: 'invalid_client', error_description: 'Bad client credentials', error_code: 'KOE010' });
    assert.equal((await exchange(k, code, { client_secret: 's3cret' })).status, 200, 'the refused exchange left the code usable');
  }
  const t = await login(k, { client_secret: 's3cret' });
  const noSecret = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: t.refresh_token });
  assert.equal(noSecret.json.error_code, 'KOE010');
}));

test('kakao: /v2/user/me without a token, with an unknown, expired or issued-dead one: 401 {"msg":…,"code":-401}', () => withKakao({}, async (k) => {
  for (const token of [undefined, 'no-such-token']) {
    const r = await api(k, '/v2/user/me', token);
    assert.equal(r.status, 401);
    assert.equal(r.text, JSON.stringify(DEAD));
  }
  const raw = await fetch(`${k.url}/v2/user/me`, { headers: { Authorization: 'KakaoAK whatever' } });
  assert.equal(raw.status, 401);
  const t = await login(k);
  assert.equal((await api(k, '/v2/user/me', t.access_token)).status, 200);
  assert.equal(k.expire(t.access_token), 1);
  assert.deepEqual((await api(k, '/v2/user/me', t.access_token)).json, DEAD);
  k.set({ accessTokenTtl: 0 });
  const zero = await login(k);
  assert.equal(zero.expires_in, 0);
  assert.equal((await api(k, '/v2/user/me', zero.access_token)).status, 401);
  k.set({ accessTokenTtl: 21599, issueExpired: 1 });
  const dead = await login(k);
  assert.equal(dead.expires_in, 21599, 'the response looks normal');
  assert.deepEqual((await api(k, '/v2/user/me', dead.access_token)).json, DEAD);
  const refreshed = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: dead.refresh_token });
  assert.equal(refreshed.status, 200);
  assert.equal((await api(k, '/v2/user/me', refreshed.json.access_token)).status, 200, 'refresh-once path: the new token works');
}));

test('kakao: refresh_token grant: new access token, no new refresh token while > 1 month is left; renewed (old one dies) below that; unknown → KOE322', () => withKakao({}, async (k) => {
  const t = await login(k);
  const r1 = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: t.refresh_token });
  assert.equal(r1.status, 200);
  assert.deepEqual(Object.keys(r1.json).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
  assert.notEqual(r1.json.access_token, t.access_token);
  assert.equal((await api(k, '/v2/user/me', r1.json.access_token)).json.id, 1000000001);
  const r2 = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: t.refresh_token });
  assert.equal(r2.status, 200, 'a refresh token that was not renewed stays valid');
  k.set({ refreshTokenTtl: 3600 });
  const short = await login(k);
  assert.equal(short.refresh_token_expires_in, 3600);
  const r3 = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: short.refresh_token });
  assert.equal(r3.status, 200);
  assert.equal(typeof r3.json.refresh_token, 'string');
  assert.notEqual(r3.json.refresh_token, short.refresh_token);
  assert.equal(r3.json.refresh_token_expires_in, 3600);
  const old = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: short.refresh_token });
  assert.equal(old.status, 400);
  assert.deepEqual(old.json, { error: 'invalid_grant', error_description: 'expired_or_invalid_refresh_token', error_code: 'KOE322' });
  const unknown = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: 'nope' });
  assert.equal(unknown.json.error_code, 'KOE322');
}));

test('kakao: logout and unlink answer {"id":…} and kill the token (unlink: every token of that user, not of others)', () => withKakao({}, async (k) => {
  const a = await login(k);
  const out = await api(k, '/v1/user/logout', a.access_token, 'POST');
  assert.equal(out.status, 200);
  assert.equal(out.text, '{"id":1000000001}');
  assert.deepEqual((await api(k, '/v2/user/me', a.access_token)).json, DEAD);
  assert.equal((await api(k, '/v1/user/logout', a.access_token, 'POST')).status, 401);
  const dead = await tokenRequest(k, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: a.refresh_token });
  assert.equal(dead.json.error_code, 'KOE322', 'logout kills the refresh token too');
  const b1 = await login(k);
  const b2 = await login(k);
  k.set({ nextProfile: 'no_email' });
  const other = await login(k);
  const un = await api(k, '/v1/user/unlink', b1.access_token, 'POST');
  assert.equal(un.text, '{"id":1000000001}');
  assert.equal((await api(k, '/v2/user/me', b2.access_token)).status, 401, 'the same user\'s other token dies too');
  assert.equal((await api(k, '/v2/user/me', other.access_token)).status, 200, 'another user keeps theirs');
  assert.equal((await api(k, '/v1/user/unlink', b1.access_token)).status, 405);
}));

test('kakao: each profile per login: full, no_email, unverified_email, no_account, big_id; nextProfile is for one login', () => withKakao({}, async (k) => {
  const seen = {};
  for (const name of ['no_email', 'unverified_email', 'no_account', 'big_id']) {
    k.set({ nextProfile: name });
    const t = await login(k);
    seen[name] = { scope: t.scope, me: await api(k, '/v2/user/me', t.access_token) };
  }
  const ne = seen.no_email.me.json.kakao_account;
  assert.equal(ne.email_needs_agreement, true);
  assert.ok(!('email' in ne) && !('is_email_verified' in ne), JSON.stringify(ne));
  assert.equal(seen.no_email.scope, 'profile_nickname');
  const uv = seen.unverified_email.me.json.kakao_account;
  assert.equal(uv.email, 'simcheong@example.test');
  assert.equal(uv.is_email_verified, false);
  assert.equal(uv.is_email_valid, true);
  assert.equal(seen.no_account.me.json.id, 1000000004);
  assert.ok(!('kakao_account' in seen.no_account.me.json), seen.no_account.me.text);
  assert.equal(seen.no_account.me.json.properties.nickname, 'Heungbu');
  assert.match(seen.big_id.me.text, /^\{"id":9007199254740993,/);
  assert.equal(seen.big_id.me.json.kakao_account.email, 'kongjwi@example.test');
  const ids = Object.values(seen).map((s) => s.me.text.match(/"id":(\d+)/)[1]);
  assert.equal(new Set(ids).size, 4, 'every profile has its own id');
  const after = await login(k);
  assert.equal((await api(k, '/v2/user/me', after.access_token)).json.id, 1000000001, 'back to the default profile');
  k.set({ profile: 'no_account' });
  const dflt = await login(k);
  assert.equal((await api(k, '/v2/user/me', dflt.access_token)).json.id, 1000000004, 'profile sets the default');
  assert.throws(() => k.set({ nextProfile: 'nobody' }), /unknown profile "nobody"/);
}));

test('kakao: an id above 2^53 is written as an exact JSON integer in /v2/user/me, access_token_info, logout (built-in and custom profiles)', () => withKakao({ profile: 'big_id' }, async (k) => {
  const t = await login(k);
  const me = await api(k, '/v2/user/me', t.access_token);
  assert.ok(me.text.includes('"id":9007199254740993,'), me.text);
  assert.notEqual(String(JSON.parse(me.text).id), '9007199254740993', 'JSON.parse cannot hold it: the raw text is what counts');
  assert.ok((await api(k, '/v1/user/access_token_info', t.access_token)).text.startsWith('{"id":9007199254740993,'));
  assert.equal((await api(k, '/v1/user/logout', t.access_token, 'POST')).text, '{"id":9007199254740993}');
  k.set({ nextProfile: { id: '9223372036854775807', connected_at: '2025-02-01T00:00:00Z', kakao_account: { email: 'max@example.test', is_email_valid: true, is_email_verified: true } } });
  const c = await login(k);
  const cm = await api(k, '/v2/user/me', c.access_token);
  assert.equal(cm.text, '{"id":9223372036854775807,"connected_at":"2025-02-01T00:00:00Z","kakao_account":{"email":"max@example.test","is_email_valid":true,"is_email_verified":true}}');
  assert.equal(c.scope, 'account_email');
  assert.throws(() => k.set({ nextProfile: { id: 2 ** 60 } }), /profile id must be an integer/);
}));

test('kakao: deny → 302 error=access_denied&error_description=User%20denied%20access&state=…, no code; next login works', () => withKakao({}, async (k) => {
  k.set({ deny: 1 });
  const a = await authorize(k);
  assert.equal(a.status, 302);
  assert.equal(a.location, `${CB}?error=access_denied&error_description=User%20denied%20access&state=st-123`);
  const b = await authorize(k);
  assert.ok(b.params.get('code'));
  assert.equal(b.params.get('error'), null);
}));

test('kakao: tamperState returns a different state, dropState none; each for the given number of logins', () => withKakao({}, async (k) => {
  k.set({ tamperState: 2 });
  for (let i = 0; i < 2; i++) {
    const a = await authorize(k);
    assert.ok(a.params.get('code'));
    assert.match(a.params.get('state'), /^tampered-/);
  }
  assert.equal((await authorize(k)).params.get('state'), 'st-123');
  k.set({ dropState: 1 });
  const d = await authorize(k);
  assert.ok(d.params.get('code'));
  assert.equal(d.params.has('state'), false, d.location);
  assert.equal((await authorize(k)).params.get('state'), 'st-123');
  const none = await authorize(k, { state: '' });
  assert.equal(none.params.get('state'), '', 'an empty state is echoed as sent');
}));

test('kakao: delay on /oauth/token outlasts a client timeout; the exchange still happened (a retry gets KOE320); close() does not wait for it', async () => {
  const k = await kakao.start({ redirectUris: [CB] });
  usedPorts.add(k.port);
  let closed = false;
  try {
    k.set({ delay: { ms: 5000, path: '/oauth/token', times: 1 } });
    assert.equal((await api(k, '/v2/user/me', 'x')).status, 401, 'other paths are not delayed');
    const code = (await authorize(k)).params.get('code');
    const t0 = Date.now();
    await assert.rejects(exchange(k, code, {}, AbortSignal.timeout(300)), (err) => err.name === 'TimeoutError');
    const waited = Date.now() - t0;
    assert.ok(waited >= 250 && waited < 2000, `gave up after ${waited} ms`);
    const retry = await exchange(k, code);
    assert.equal(retry.status, 400, 'the retry is not delayed (times: 1) and finds the code used');
    assert.equal(retry.json.error_code, 'KOE320');
    assert.deepEqual(k.requests.map((r) => `${r.path} ${r.status}`), ['/v2/user/me 401', '/oauth/authorize 302', '/oauth/token 200', '/oauth/token 400']);
    k.set({ delay: { ms: 60000 } });
    const pending = fetch(`${k.url}/v2/user/me`).then(() => 'answered', (err) => err);
    for (let i = 0; i < 100 && k.requests.length < 5; i++) await sleep(20);
    assert.equal(k.requests.length, 5, 'the delayed request reached the fake');
    await within(k.close(), 1000, 'close() with a delayed answer pending');
    closed = true;
    const outcome = await pending;
    assert.ok(outcome instanceof Error, `the pending request was ${outcome}`);
  } finally {
    if (!closed) await k.close();
  }
});

test('kakao: meFail: 500 JSON, 500 HTML, 503 -9798 JSON and HTML, 403 -402 with required_scopes; then back to 200', () => withKakao({}, async (k) => {
  const t = await login(k);
  k.set({ meFail: 1 });
  let r = await api(k, '/v2/user/me', t.access_token);
  assert.equal(r.status, 500);
  assert.deepEqual(r.json, { msg: 'internal server error', code: -1 });
  k.set({ meFail: { times: 1, status: 500, html: true } });
  r = await api(k, '/v2/user/me', t.access_token);
  assert.equal(r.status, 500);
  assert.equal(r.type, 'text/html');
  assert.match(r.text, /^<html>\r\n<head><title>500 Internal Server Error<\/title>/);
  k.set({ meFail: { times: 1, status: 503 } });
  r = await api(k, '/v2/user/me', t.access_token, 'POST');
  assert.equal(r.status, 503);
  assert.equal(r.json.code, -9798);
  assert.equal(typeof r.json.msg, 'string');
  k.set({ meFail: { times: 1, status: 503, html: true } });
  r = await api(k, '/v2/user/me', t.access_token);
  assert.equal(r.status, 503);
  assert.match(r.text, /<h1>503 Service Unavailable<\/h1>/);
  k.set({ meFail: { times: 1, status: 403, required_scopes: ['account_email', 'phone_number'] } });
  r = await api(k, '/v2/user/me', t.access_token);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, -402);
  assert.deepEqual(r.json.required_scopes, ['account_email', 'phone_number']);
  assert.deepEqual(r.json.allowed_scopes, ['profile_nickname', 'account_email']);
  assert.equal(typeof r.json.api_type, 'string');
  r = await api(k, '/v2/user/me', t.access_token);
  assert.equal(r.status, 200);
  assert.equal(r.json.id, 1000000001);
  k.set({ meFail: true });
  const dead = await api(k, '/v2/user/me', 'unknown');
  assert.equal(dead.status, 401, 'a dead token is still a -401 (the knob is for authenticated calls)');
  assert.deepEqual(k.config().knobs, { meFail: { times: null, used: 0 } });
}));

test('kakao: control surface: POST/GET /__fake/config, GET /__fake/log, POST /__fake/expire, POST /__fake/reset', () => withKakao({}, async (k) => {
  const set = await controlFetch(k.port, 'POST /__fake/config', { nextProfile: 'big_id', tamperState: 1, clientSecret: 'cs' });
  assert.equal(set.status, 200);
  assert.equal(set.json.nextProfile, 'big_id');
  assert.equal(set.json.clientSecret, 'cs');
  assert.deepEqual(set.json.knobs, { tamperState: { times: 1, used: 0 } });
  assert.deepEqual(set.json.redirectUris, [CB, CB2]);
  const bad = await controlFetch(k.port, 'POST /__fake/config', { tamperstate: 1 });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /unknown setting or knob "tamperstate"/);
  const badProfile = await controlFetch(k.port, 'POST /__fake/config', { nextProfile: 'ghost', deny: true });
  assert.equal(badProfile.status, 400);
  assert.deepEqual((await controlFetch(k.port, 'GET /__fake/config')).json.knobs, { tamperState: { times: 1, used: 0 } }, 'a refused config changes nothing');
  const a = await authorize(k);
  assert.match(a.params.get('state'), /^tampered-/);
  const t = await exchange(k, a.params.get('code'), { client_secret: 'cs' });
  assert.match((await api(k, '/v2/user/me', t.json.access_token)).text, /^\{"id":9007199254740993,/);
  const log = await controlFetch(k.port, 'GET /__fake/log');
  assert.deepEqual(log.json.map((e) => `${e.method} ${e.path} ${e.status}`), ['GET /oauth/authorize 302', 'POST /oauth/token 200', 'GET /v2/user/me 200']);
  assert.equal(log.json[0].query.state, 'st-123');
  assert.equal(log.json[2].headers.authorization, `Bearer ${t.json.access_token}`);
  assert.deepEqual((await controlFetch(k.port, 'POST /__fake/expire')).json, { expired: 1 });
  assert.equal((await api(k, '/v2/user/me', t.json.access_token)).status, 401);
  const reset = await controlFetch(k.port, 'POST /__fake/reset');
  assert.equal(reset.json.clientSecret, null);
  assert.equal(reset.json.nextProfile, null);
  assert.deepEqual((await controlFetch(k.port, 'GET /__fake/log')).json, []);
  assert.equal((await controlFetch(k.port, 'GET /__fake/nope')).status, 404);
  assert.equal((await api(k, '/v3/nothing')).status, 404);
}));

test('kakao process: --client-id/--client-secret/--redirect-uri/--profile; full flow over HTTP; SIGTERM exits 0 and frees the port', async () => {
  const p = await launch(path.join(HERE, 'kakao-fake.mjs'), ['--port', '0', '--client-id', 'cli-key', '--client-secret', 'cli-secret', '--redirect-uri', CB, '--redirect-uri', CB2, '--profile', 'unverified_email']);
  usedPorts.add(p.port);
  const k = { url: `http://127.0.0.1:${p.port}`, port: p.port };
  try {
    assert.deepEqual(p.output, [`listening ${p.port}\n`]);
    const a = await authorize(k, { client_id: 'cli-key', redirect_uri: CB2 });
    assert.equal(a.status, 302, a.text);
    const t = await tokenRequest(k, { grant_type: 'authorization_code', client_id: 'cli-key', client_secret: 'cli-secret', redirect_uri: CB2, code: a.params.get('code') });
    assert.equal(t.status, 200, JSON.stringify(t.json));
    assert.equal((await api(k, '/v2/user/me', t.json.access_token)).json.kakao_account.is_email_verified, false);
    assert.equal((await authorize(k)).status, 400, 'the default client id is not the configured one');
  } finally {
    assert.deepEqual(await p.stop(), { code: 0, signal: null });
  }
  assert.ok(!alive(p.pid));
  assert.ok(await refused(p.port));
});

// ---- Portone fake: helpers -------------------------------------------------------------------

const IMP_KEY = '2716450838101446';
const IMP_SECRET = 'EXAMPLEsecretEXAMPLEsecretEXAMPLEsecretEXAMPLEsecret';
const PG_JSON = 'application/json; charset=UTF-8';
const NOT_FOUND_BODY = '{"code":-1,"message":"존재하지 않는 결제정보입니다.","response":null}';
const NOTHING_TO_CANCEL_BODY = '{"code":1,"message":"취소할 결제건이 존재하지 않습니다.","response":null}';
const UNAUTHORIZED_BODY = '{"code":-1,"message":"Unauthorized","response":null}';
const PAID = { imp_uid: 'imp_448280090638', merchant_uid: 'ORD-20250101-0001', amount: 39000, status: 'paid' };

async function withPortone(options, fn) {
  const pg = await portone.start({ impKey: IMP_KEY, impSecret: IMP_SECRET, ...options });
  usedPorts.add(pg.port);
  try {
    return await fn(pg);
  } finally {
    await pg.close();
  }
}

// One call to the fake (or to a launched one: { url }); resolves { status, type, text, json }.
// header: how the token goes: 'bearer' (Authorization: Bearer t), 'bare' (Authorization: t), 'imp'
// (X-ImpTokenHeader: t), or a raw Authorization value with { authorization }.
async function pgCall(pg, method, p, { token, header = 'bearer', authorization, body, form = false, type, signal } = {}) {
  const headers = {};
  if (token !== undefined) {
    if (header === 'bearer') headers.Authorization = `Bearer ${token}`;
    else if (header === 'bare') headers.Authorization = token;
    else headers['X-ImpTokenHeader'] = token;
  }
  if (authorization !== undefined) headers.Authorization = authorization;
  if (body !== undefined) headers['Content-Type'] = type ?? (form ? 'application/x-www-form-urlencoded' : 'application/json');
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : form ? new URLSearchParams(body).toString() : JSON.stringify(body);
  const res = await fetch(`${pg.url}${p}`, { method, headers, body: payload, signal });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch { /* left undefined: not JSON */ }
  return { status: res.status, type: res.headers.get('content-type'), allow: res.headers.get('allow'), text, json };
}

const getToken = (pg, fields = { imp_key: IMP_KEY, imp_secret: IMP_SECRET }, form = false) => pgCall(pg, 'POST', '/users/getToken', { body: fields, form });
async function pgToken(pg, fields) {
  const r = await getToken(pg, fields);
  assert.equal(r.status, 200, r.text);
  return r.json.response.access_token;
}
const lookup = (pg, token, impUid, query = '', opts = {}) => pgCall(pg, 'GET', `/payments/${encodeURIComponent(impUid)}${query}`, { token, ...opts });
const cancelPay = (pg, token, body, opts = {}) => pgCall(pg, 'POST', '/payments/cancel', { token, body, ...opts });

// The shop's webhook endpoint: records each request and answers with the next of `answers`
// ({ status, body, delay ms }), then 200 "OK".
async function receiver(answers = []) {
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method, path: req.url, type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      const a = answers.shift() || { status: 200, body: 'OK' };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(a.status ?? 200, { 'Content-Type': 'text/plain' });
        res.end(a.body ?? '');
      };
      if (!a.delay) return send();
      const t = setTimeout(send, a.delay);
      res.on('close', () => clearTimeout(t));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  usedPorts.add(port);
  return {
    url: `http://127.0.0.1:${port}/portone/webhook`,
    got,
    close() {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

async function until(check, what, ms = 2000) {
  for (let i = 0; i < ms / 20; i++) {
    if (check()) return;
    await sleep(20);
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

// The curl CLI (libcurl, as the shop talks to Portone). Resolves { code, stdout, stderr }.
function curl(args) {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', ...args], { timeout: 20000 }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

// ---- Portone fake ----------------------------------------------------------------------------

test('portone: getToken by JSON and by form: the envelope, a 40-hex token, expired_at = now + 1800; the same token is handed out again', () => withPortone({}, async (pg) => {
  const a = await getToken(pg);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.type, PG_JSON);
  assert.deepEqual(Object.keys(a.json), ['code', 'message', 'response']);
  assert.equal(a.json.code, 0);
  assert.equal(a.json.message, null);
  const r = a.json.response;
  assert.deepEqual(Object.keys(r).sort(), ['access_token', 'expired_at', 'now']);
  assert.match(r.access_token, /^[0-9a-f]{40}$/);
  assert.ok(Number.isInteger(r.now) && Math.abs(r.now - Date.now() / 1000) < 5, `now = ${r.now}`);
  assert.equal(r.expired_at, r.now + 1800);
  const b = await getToken(pg, { imp_key: IMP_KEY, imp_secret: IMP_SECRET }, true);
  assert.equal(b.status, 200, b.text);
  assert.equal(b.json.response.access_token, r.access_token, 'reused until it expires');
  assert.equal(b.json.response.expired_at, r.expired_at, 'reuse does not move the expiry');
  assert.equal(pg.requests[1].headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(pg.requests[1].body, { imp_key: IMP_KEY, imp_secret: IMP_SECRET });
  assert.deepEqual(pg.requests.map((e) => `${e.method} ${e.path} ${e.status}`), ['POST /users/getToken 200', 'POST /users/getToken 200']);
}));

test('portone: getToken refuses a wrong or missing key or secret with 401 + envelope; an unreadable body is 400; GET is 405', () => withPortone({}, async (pg) => {
  const cases = [
    [{ imp_key: 'wrong', imp_secret: IMP_SECRET }, false],
    [{ imp_key: IMP_KEY, imp_secret: 'wrong' }, false],
    [{ imp_key: IMP_KEY }, false],
    [{ imp_secret: IMP_SECRET }, true],
    [{}, false],
    [{ imp_key: IMP_KEY, imp_secret: IMP_SECRET.toLowerCase() }, true],
  ];
  for (const [fields, form] of cases) {
    const r = await getToken(pg, fields, form);
    assert.equal(r.status, 401, JSON.stringify(fields));
    assert.equal(r.type, PG_JSON);
    assert.equal(r.json.code, -1);
    assert.equal(r.json.response, null);
    assert.match(r.json.message, /imp_key, imp_secret/);
  }
  const garbled = await pgCall(pg, 'POST', '/users/getToken', { body: '{"imp_key":', type: 'application/json' });
  assert.equal(garbled.status, 400);
  assert.equal(garbled.json.response, null);
  const plain = await pgCall(pg, 'POST', '/users/getToken', { body: `imp_key=${IMP_KEY}`, type: 'text/plain' });
  assert.equal(plain.status, 400);
  const get = await pgCall(pg, 'GET', '/users/getToken');
  assert.equal(get.status, 405);
  assert.equal(get.allow, 'POST');
  assert.equal((await getToken(pg)).status, 200, 'the right pair still works');
}));

test('portone: token expiry: asked for in its last minute the same token lives 5 minutes longer; once expired → 401, then a new token that works', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t1 = (await getToken(pg)).json.response;
  assert.equal((await lookup(pg, t1.access_token, PAID.imp_uid)).status, 200);
  pg.set({ clockOffset: 1750 }); // about 50 s left
  const t2 = (await getToken(pg)).json.response;
  assert.equal(t2.access_token, t1.access_token);
  assert.equal(t2.expired_at, t1.expired_at + 300);
  assert.ok(t2.now - t1.now >= 1750, 'now follows the fake clock');
  pg.set({ clockOffset: 1800 }); // past the first expiry, within the extension
  assert.equal((await lookup(pg, t1.access_token, PAID.imp_uid)).status, 200);
  pg.set({ clockOffset: 2101 }); // past the extension too
  const dead = await lookup(pg, t1.access_token, PAID.imp_uid);
  assert.equal(dead.status, 401);
  assert.equal(dead.text, UNAUTHORIZED_BODY);
  const t3 = (await getToken(pg)).json.response;
  assert.notEqual(t3.access_token, t1.access_token);
  assert.equal(t3.expired_at, t3.now + 1800);
  assert.equal((await lookup(pg, t3.access_token, PAID.imp_uid)).status, 200);
  assert.equal((await lookup(pg, t1.access_token, PAID.imp_uid)).status, 401, 'the old token stays dead');
  pg.set({ tokenTtl: 600 });
  assert.equal(pg.expire(), 1);
  const t4 = (await getToken(pg)).json.response;
  assert.equal(t4.expired_at, t4.now + 600, 'tokenTtl sets the lifetime');
}));

test('portone: auth by "Authorization: Bearer t", "Authorization: t" and "X-ImpTokenHeader: t"; missing/unknown/other → 401 + envelope', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t = await pgToken(pg);
  for (const header of ['bearer', 'bare', 'imp']) {
    const r = await lookup(pg, t, PAID.imp_uid, '', { header });
    assert.equal(r.status, 200, `${header}: ${r.text}`);
    assert.equal(r.json.response.imp_uid, PAID.imp_uid);
  }
  const sent = pg.requests.slice(1).map((e) => [e.headers.authorization, e.headers['x-imptokenheader']]);
  assert.deepEqual(sent, [[`Bearer ${t}`, undefined], [t, undefined], [undefined, t]]);
  const refused = [
    {},
    { token: 'f'.repeat(40) },
    { token: t.slice(1) },
    { token: 'f'.repeat(40), header: 'imp' },
    { authorization: `Basic ${t}` },
    { authorization: `Bearer ${t} extra` },
  ];
  for (const opts of refused) {
    const r = await lookup(pg, opts.token, PAID.imp_uid, '', opts);
    assert.equal(r.status, 401, JSON.stringify(opts));
    assert.equal(r.type, PG_JSON);
    assert.equal(r.text, UNAUTHORIZED_BODY);
  }
  const c = await cancelPay(pg, undefined, { imp_uid: PAID.imp_uid });
  assert.equal(c.status, 401);
  assert.equal(pg.payment(PAID.imp_uid).cancel_amount, 0, 'an unauthenticated cancel does nothing');
  const find = await pgCall(pg, 'GET', `/payments/find/${PAID.merchant_uid}`);
  assert.equal(find.status, 401);
}));

test('portone: GET /payments/{imp_uid}: a full §1.3 Payment; notice_url stays the fake\'s; unknown → 404 with the exact envelope', () => withPortone({}, async (pg) => {
  const t = await pgToken(pg);
  const added = pg.addPayment({ ...PAID, notice_url: 'http://127.0.0.1:9/hook', custom_data: '{"cart":42}' });
  assert.equal(added.notice_url, 'http://127.0.0.1:9/hook');
  const r = await lookup(pg, t, PAID.imp_uid);
  assert.equal(r.status, 200);
  assert.equal(r.type, PG_JSON);
  assert.deepEqual([r.json.code, r.json.message], [0, null]);
  const p = r.json.response;
  const fields = ['imp_uid', 'merchant_uid', 'amount', 'cancel_amount', 'currency', 'status', 'pay_method', 'channel', 'pg_provider', 'emb_pg_provider', 'pg_tid', 'pg_id',
    'sandbox', 'name', 'buyer_name', 'buyer_email', 'buyer_tel', 'buyer_addr', 'buyer_postcode', 'custom_data', 'started_at', 'paid_at', 'failed_at', 'cancelled_at',
    'fail_reason', 'cancel_reason', 'receipt_url', 'card_code', 'card_name', 'card_number', 'card_quota', 'card_type', 'apply_num', 'bank_code', 'bank_name',
    'vbank_code', 'vbank_name', 'vbank_num', 'vbank_holder', 'vbank_date', 'vbank_issued_at', 'cancel_history', 'cancel_receipt_urls', 'cash_receipt_issued',
    'escrow', 'customer_uid', 'customer_uid_usage', 'user_agent', 'promotion'];
  for (const f of fields) assert.ok(f in p, `no ${f}`);
  assert.ok(!('notice_url' in p), 'notice_url is not a Payment field');
  assert.deepEqual([p.imp_uid, p.merchant_uid, p.amount, p.cancel_amount, p.currency, p.status, p.pay_method, p.sandbox], [PAID.imp_uid, PAID.merchant_uid, 39000, 0, 'KRW', 'paid', 'card', false]);
  assert.equal(p.custom_data, '{"cart":42}');
  for (const f of ['started_at', 'paid_at', 'failed_at', 'cancelled_at', 'vbank_date']) assert.ok(Number.isInteger(p[f]), `${f} = ${p[f]}`);
  assert.ok(p.paid_at > p.started_at && p.paid_at <= Date.now() / 1000 + 1, `${p.started_at} → ${p.paid_at}`);
  assert.deepEqual([p.failed_at, p.cancelled_at, p.vbank_date], [0, 0, 0]);
  assert.match(p.card_number, /^\d{6}\*{6}\d{4}$/);
  assert.match(p.apply_num, /^\d{8}$/);
  assert.deepEqual(p.cancel_history, []);
  assert.equal(typeof p.receipt_url, 'string');
  for (const id of ['imp_000000000000', 'IMP_448280090638', 'no such/thing']) {
    const u = await lookup(pg, t, id);
    assert.equal(u.status, 404, id);
    assert.equal(u.type, PG_JSON);
    assert.equal(u.text, NOT_FOUND_BODY);
  }
  const v = pg.addPayment({ merchant_uid: 'ORD-VBANK-1', amount: 51000, status: 'ready', pay_method: 'vbank' });
  assert.match(v.imp_uid, /^imp_\d{12}$/);
  const vp = (await lookup(pg, t, v.imp_uid)).json.response;
  assert.deepEqual([vp.status, vp.paid_at, vp.card_name, vp.receipt_url], ['ready', 0, null, null]);
  assert.equal(typeof vp.vbank_num, 'string');
  assert.ok(vp.vbank_date > vp.vbank_issued_at && vp.vbank_issued_at > 0);
  const f = (await lookup(pg, t, pg.addPayment({ merchant_uid: 'ORD-F', amount: 1000, status: 'failed' }).imp_uid)).json.response;
  assert.ok(f.failed_at > 0 && f.paid_at === 0 && typeof f.fail_reason === 'string');
  const usd = (await lookup(pg, t, pg.addPayment({ merchant_uid: 'ORD-USD', amount: 12.5, currency: 'USD', status: 'paid', pay_method: 'paypal' }).imp_uid)).json.response;
  assert.deepEqual([usd.amount, usd.currency, usd.pay_method, usd.card_number], [12.5, 'USD', 'paypal', null]);
}));

test('portone: a sandbox payment is "not found" unless include_sandbox=true (lookup and find)', () => withPortone({}, async (pg) => {
  const t = await pgToken(pg);
  const s = pg.addPayment({ merchant_uid: 'ORD-SANDBOX-1', amount: 1000, status: 'paid', sandbox: true });
  for (const q of ['', '?include_sandbox=false', '?include_sandbox=1']) {
    const r = await lookup(pg, t, s.imp_uid, q);
    assert.equal(r.status, 404, q);
    assert.equal(r.text, NOT_FOUND_BODY);
  }
  const r = await lookup(pg, t, s.imp_uid, '?include_sandbox=true');
  assert.equal(r.status, 200);
  assert.equal(r.json.response.sandbox, true);
  assert.equal((await pgCall(pg, 'GET', '/payments/find/ORD-SANDBOX-1', { token: t })).status, 404);
  const found = await pgCall(pg, 'GET', '/payments/find/ORD-SANDBOX-1/paid?include_sandbox=true', { token: t });
  assert.equal(found.status, 200);
  assert.equal(found.json.response.imp_uid, s.imp_uid);
  assert.deepEqual(pg.requests.at(-1).query, { include_sandbox: 'true' });
}));

test('portone: GET /payments/find/{merchant_uid}[/{status}]: latest started first, the status filter, ?sorting=, 404, 400 for a bad status', () => withPortone({}, async (pg) => {
  const t = await pgToken(pg);
  const base = Math.floor(Date.now() / 1000);
  const failed = pg.addPayment({ merchant_uid: 'ORD-7', amount: 20000, status: 'failed', started_at: base - 600 });
  const paid = pg.addPayment({ merchant_uid: 'ORD-7', amount: 20000, status: 'paid', started_at: base - 300 });
  pg.addPayment({ merchant_uid: 'ORD-8', amount: 5000, status: 'paid', started_at: base });
  const korean = pg.addPayment({ merchant_uid: '주문 9', amount: 7000, status: 'paid' });
  const find = (p) => pgCall(pg, 'GET', `/payments/find/${p}`, { token: t });
  assert.equal((await find('ORD-7')).json.response.imp_uid, paid.imp_uid);
  assert.equal((await find('ORD-7/paid')).json.response.imp_uid, paid.imp_uid);
  assert.equal((await find('ORD-7/failed')).json.response.imp_uid, failed.imp_uid);
  assert.equal((await find('ORD-7?sorting=started')).json.response.imp_uid, failed.imp_uid);
  assert.equal((await find(`${encodeURIComponent('주문 9')}`)).json.response.imp_uid, korean.imp_uid);
  for (const p of ['ORD-7/cancelled', 'ORD-7/ready', 'ORD-NONE']) {
    const r = await find(p);
    assert.equal(r.status, 404, p);
    assert.equal(r.text, NOT_FOUND_BODY);
  }
  const bad = await find('ORD-7/refunded');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, -1);
  assert.equal((await find('ORD-7?sorting=price')).status, 400);
}));

test('portone: full cancel (amount absent or 0): status cancelled, cancel_amount = amount, a cancel_history entry; again → 200 + code 1, no change', () => withPortone({ payments: [PAID, { ...PAID, imp_uid: 'imp_000000000002', merchant_uid: 'ORD-2' }] }, async (pg) => {
  const t = await pgToken(pg);
  const r = await cancelPay(pg, t, { imp_uid: PAID.imp_uid, reason: '단순 변심' });
  assert.equal(r.status, 200);
  assert.equal(r.type, PG_JSON);
  assert.deepEqual([r.json.code, r.json.message], [0, null]);
  const p = r.json.response;
  assert.deepEqual([p.status, p.amount, p.cancel_amount, p.cancel_reason], ['cancelled', 39000, 39000, '단순 변심']);
  assert.ok(Number.isInteger(p.cancelled_at) && p.cancelled_at > 0);
  assert.equal(p.cancel_history.length, 1);
  const h = p.cancel_history[0];
  assert.deepEqual([h.amount, h.reason, h.pg_tid, h.cancelled_at], [39000, '단순 변심', p.pg_tid, p.cancelled_at]);
  assert.match(h.cancellation_id, /^[0-9A-F]{16}$/);
  assert.deepEqual(p.cancel_receipt_urls, [h.receipt_url]);
  assert.ok(!('notice_url' in p));
  assert.deepEqual((await lookup(pg, t, PAID.imp_uid)).json.response, p, 'a lookup shows the same');
  const before = pg.payment(PAID.imp_uid);
  const again = await cancelPay(pg, t, { imp_uid: PAID.imp_uid });
  assert.equal(again.status, 200);
  assert.notEqual(again.json.code, 0);
  assert.equal(again.json.response, null);
  assert.equal(typeof again.json.message, 'string');
  const part = await cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: 1000 });
  assert.notEqual(part.json.code, 0, 'nothing left to cancel in part either');
  assert.deepEqual(pg.payment(PAID.imp_uid), before, 'a refused cancel changes nothing');
  const zero = await cancelPay(pg, t, { imp_uid: 'imp_000000000002', amount: 0, checksum: 39000 });
  assert.equal(zero.json.code, 0, zero.text);
  assert.deepEqual([zero.json.response.status, zero.json.response.cancel_amount], ['cancelled', 39000]);
}));

test('portone: partial cancels keep status paid (partialCancelStatus: cancelled switches it); each adds a history entry; the rest cancels fully', () => withPortone({}, async (pg) => {
  const t = await pgToken(pg);
  const a = pg.addPayment({ merchant_uid: 'ORD-P1', amount: 50000, status: 'paid' });
  const r1 = await cancelPay(pg, t, { imp_uid: a.imp_uid, amount: 10000, checksum: 50000, reason: '한 벌 반품' });
  assert.equal(r1.json.code, 0, r1.text);
  assert.deepEqual([r1.json.response.status, r1.json.response.cancel_amount], ['paid', 10000]);
  const r2 = await cancelPay(pg, t, { imp_uid: a.imp_uid, amount: 15000, checksum: 40000 });
  assert.deepEqual([r2.json.response.status, r2.json.response.cancel_amount], ['paid', 25000]);
  const r3 = await cancelPay(pg, t, { imp_uid: a.imp_uid, checksum: 25000 });
  const p = r3.json.response;
  assert.deepEqual([p.status, p.cancel_amount], ['cancelled', 50000]);
  assert.deepEqual(p.cancel_history.map((h) => h.amount), [10000, 15000, 25000]);
  assert.equal(new Set(p.cancel_history.map((h) => h.cancellation_id)).size, 3, 'a new cancellation_id each time');
  assert.equal(p.cancel_history[0].reason, '한 벌 반품');

  pg.set({ partialCancelStatus: 'cancelled' });
  const b = pg.addPayment({ merchant_uid: 'ORD-P2', amount: 20000, status: 'paid' });
  const s1 = await cancelPay(pg, t, { imp_uid: b.imp_uid, amount: 5000 });
  assert.deepEqual([s1.json.response.status, s1.json.response.cancel_amount], ['cancelled', 5000]);
  const s2 = await cancelPay(pg, t, { imp_uid: b.imp_uid, amount: 5000, checksum: 15000 });
  assert.equal(s2.json.code, 0, 'a "cancelled" payment with a balance left can be cancelled further');
  assert.equal(s2.json.response.cancel_amount, 10000);
  assert.equal((await cancelPay(pg, t, { imp_uid: b.imp_uid })).json.response.cancel_amount, 20000);
  assert.notEqual((await cancelPay(pg, t, { imp_uid: b.imp_uid })).json.code, 0);
  assert.throws(() => pg.set({ partialCancelStatus: 'partial_cancelled' }), /partialCancelStatus must be/);
}));

test('portone: cancel refusals are HTTP 200 + code ≠ 0 and change nothing: checksum mismatch, above the balance, not paid; unknown/none → code 1 exactly', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t = await pgToken(pg);
  const snapshot = pg.payment(PAID.imp_uid);
  const refusals = [
    { imp_uid: PAID.imp_uid, amount: 1000, checksum: 38000 },
    { imp_uid: PAID.imp_uid, checksum: 0 },
    { imp_uid: PAID.imp_uid, amount: 39001 },
    { imp_uid: PAID.imp_uid, amount: -5 },
    { imp_uid: PAID.imp_uid, amount: 'lots' },
  ];
  for (const body of refusals) {
    const r = await cancelPay(pg, t, body);
    assert.equal(r.status, 200, JSON.stringify(body));
    assert.ok(Number.isInteger(r.json.code) && r.json.code !== 0, `${JSON.stringify(body)} → ${r.text}`);
    assert.equal(r.json.response, null);
    assert.ok(r.json.message.length > 0);
  }
  assert.deepEqual(pg.payment(PAID.imp_uid), snapshot);
  for (const body of [{ imp_uid: 'imp_999999999999', merchant_uid: PAID.merchant_uid }, { merchant_uid: 'ORD-NONE' }, {}, { imp_uid: '', merchant_uid: '' }]) {
    const r = await cancelPay(pg, t, body);
    assert.equal(r.status, 200);
    assert.equal(r.text, NOTHING_TO_CANCEL_BODY, JSON.stringify(body));
  }
  assert.deepEqual(pg.payment(PAID.imp_uid), snapshot, 'an unknown imp_uid does not fall back to merchant_uid');
  const form = await cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: '5000', checksum: '39000', reason: 'form' }, { form: true });
  assert.equal(form.json.code, 0, form.text);
  assert.equal(form.json.response.cancel_amount, 5000);
  assert.deepEqual(pg.requests.at(-1).body, { imp_uid: PAID.imp_uid, amount: '5000', checksum: '39000', reason: 'form' });
  const exact = await cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: 34000, checksum: null });
  assert.equal(exact.json.code, 0, 'checksum null skips the check; exactly the balance is fine');
  assert.equal(exact.json.response.status, 'cancelled');
  const ready = pg.addPayment({ merchant_uid: 'ORD-READY', amount: 8000, status: 'ready', pay_method: 'vbank' });
  const notPaid = await cancelPay(pg, t, { imp_uid: ready.imp_uid });
  assert.notEqual(notPaid.json.code, 0);
  assert.deepEqual(pg.payment(ready.imp_uid).cancel_history, []);
  const garbled = await pgCall(pg, 'POST', '/payments/cancel', { token: t, body: '{"imp_uid":', type: 'application/json' });
  assert.equal(garbled.status, 400);
}));

test('portone: cancel by merchant_uid alone takes that order\'s paid payment', () => withPortone({}, async (pg) => {
  const t = await pgToken(pg);
  const base = Math.floor(Date.now() / 1000);
  const paid = pg.addPayment({ merchant_uid: 'ORD-M', amount: 9000, status: 'paid', started_at: base - 100 });
  const failed = pg.addPayment({ merchant_uid: 'ORD-M', amount: 9000, status: 'failed', started_at: base - 10 });
  const r = await cancelPay(pg, t, { merchant_uid: 'ORD-M', amount: 4000 });
  assert.equal(r.json.code, 0, r.text);
  assert.equal(r.json.response.imp_uid, paid.imp_uid);
  assert.equal(pg.payment(paid.imp_uid).cancel_amount, 4000);
  assert.equal(pg.payment(failed.imp_uid).cancel_amount, 0);
}));

test('portone: webhook → JSON to the payment\'s notice_url, form-encoded on request; the shop\'s status and body come back; url and webhookUrl', async () => {
  const shop = await receiver([{ status: 200, body: 'OK' }, { status: 200, body: '{"ok":true}' }, { status: 400, body: 'forged' }]);
  const other = await receiver();
  try {
    await withPortone({ webhookRetries: 3 }, async (pg) => {
      pg.addPayment({ ...PAID, notice_url: shop.url });
      const w = await pg.webhook({ imp_uid: PAID.imp_uid });
      assert.equal(w.status, 200);
      assert.equal(w.body, 'OK');
      assert.equal(shop.got.length, 1);
      assert.deepEqual([shop.got[0].method, shop.got[0].path, shop.got[0].type], ['POST', '/portone/webhook', 'application/json']);
      assert.equal(shop.got[0].body, JSON.stringify({ imp_uid: PAID.imp_uid, merchant_uid: PAID.merchant_uid, status: 'paid' }));
      const viaControl = await controlFetch(pg.port, 'POST /__fake/webhook', { imp_uid: PAID.imp_uid, status: 'ready', form: true });
      assert.equal(viaControl.status, 200);
      assert.equal(viaControl.json.status, 200);
      assert.equal(viaControl.json.body, '{"ok":true}');
      assert.equal(shop.got[1].type, 'application/x-www-form-urlencoded');
      assert.equal(shop.got[1].body, `imp_uid=${PAID.imp_uid}&merchant_uid=${PAID.merchant_uid}&status=ready`);
      const forged = await pg.webhook({ imp_uid: PAID.imp_uid });
      assert.deepEqual([forged.status, forged.body, forged.attempts.length], [400, 'forged', 1], 'a 4xx is not retried');

      const quiet = pg.addPayment({ merchant_uid: 'ORD-QUIET', amount: 1000, status: 'paid' });
      await assert.rejects(pg.webhook({ imp_uid: quiet.imp_uid }), /no URL to send to/);
      pg.set({ webhookUrl: other.url });
      assert.equal((await pg.webhook({ imp_uid: quiet.imp_uid })).status, 200);
      assert.equal(JSON.parse(other.got[0].body).merchant_uid, 'ORD-QUIET', 'webhookUrl when the payment has no notice_url');
      await pg.webhook({ imp_uid: quiet.imp_uid, url: shop.url, status: 'cancelled' });
      assert.deepEqual(JSON.parse(shop.got.at(-1).body), { imp_uid: quiet.imp_uid, merchant_uid: 'ORD-QUIET', status: 'cancelled' }, 'url wins; no history, no cancellation_id');

      await assert.rejects(pg.webhook({ imp_uid: 'imp_404404404404' }), /forged webhook needs merchant_uid and status/);
      const fake = await pg.webhook({ imp_uid: 'imp_404404404404', merchant_uid: PAID.merchant_uid, status: 'paid', url: other.url });
      assert.equal(fake.status, 200);
      assert.deepEqual(JSON.parse(other.got.at(-1).body), { imp_uid: 'imp_404404404404', merchant_uid: PAID.merchant_uid, status: 'paid' });
      const bad = await controlFetch(pg.port, 'POST /__fake/webhook', { status: 'paid' });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error, /imp_uid is required/);

      const t = await pgToken(pg);
      const c = await cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: 9000 });
      await pg.webhook({ imp_uid: PAID.imp_uid, status: 'cancelled' });
      assert.deepEqual(JSON.parse(shop.got.at(-1).body), { imp_uid: PAID.imp_uid, merchant_uid: PAID.merchant_uid, status: 'cancelled', cancellation_id: c.json.response.cancel_history[0].cancellation_id });
      const log = await controlFetch(pg.port, 'GET /__fake/webhooks');
      assert.equal(log.json.length, 7);
      assert.deepEqual(log.json.map((w) => w.status), [200, 200, 400, 200, 200, 200, 200]);
      assert.equal(log.json[1].type, 'application/x-www-form-urlencoded');
      assert.deepEqual(log.json[0].body, { imp_uid: PAID.imp_uid, merchant_uid: PAID.merchant_uid, status: 'paid' });
      assert.equal(pg.webhooks.length, 7);
    });
  } finally {
    await shop.close();
    await other.close();
  }
});

test('portone: webhook retries (webhookRetries) on 5xx, on a timeout and on a refused connection; enable_webhook on cancel sends "cancelled"', async () => {
  const shop = await receiver([{ status: 503 }, { status: 502, body: 'bad gateway' }, { status: 200, body: 'OK' }, { delay: 3000 }, { status: 200, body: 'late but fine' }]);
  const closed = await receiver();
  await closed.close(); // a port where nothing listens any more
  try {
    await withPortone({}, async (pg) => {
      pg.addPayment({ ...PAID, notice_url: shop.url });
      const once = await pg.webhook({ imp_uid: PAID.imp_uid });
      assert.deepEqual([once.status, once.attempts.length], [503, 1], 'no retries by default');
      pg.set({ webhookRetries: 3 });
      const retried = await pg.webhook({ imp_uid: PAID.imp_uid });
      assert.deepEqual(retried.attempts.map((a) => a.status), [502, 200]);
      assert.deepEqual([retried.status, retried.body], [200, 'OK']);
      pg.set({ webhookRetries: 1, webhookTimeout: 200 });
      const t0 = Date.now();
      const slow = await pg.webhook({ imp_uid: PAID.imp_uid });
      assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
      assert.deepEqual(slow.attempts[0], { status: null, body: null, error: 'timeout' });
      assert.deepEqual([slow.status, slow.body], [200, 'late but fine']);
      assert.equal(shop.got.length, 5);
      const gone = await pg.webhook({ imp_uid: PAID.imp_uid, url: closed.url });
      assert.equal(gone.status, null);
      assert.match(gone.error, /ECONNREFUSED/);
      assert.equal(gone.attempts.length, 2);
      assert.throws(() => pg.set({ webhookRetries: 6 }), /webhookRetries must be 0 to 5/);

      const t = await pgToken(pg);
      await cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: 1000 });
      const c = await cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: 2000, enable_webhook: true });
      assert.equal(c.json.code, 0);
      await until(() => shop.got.length === 6, 'the cancel webhook');
      await sleep(100);
      assert.equal(shop.got.length, 6, 'only the cancel with enable_webhook sent one');
      assert.deepEqual(JSON.parse(shop.got[5].body), { imp_uid: PAID.imp_uid, merchant_uid: PAID.merchant_uid, status: 'cancelled', cancellation_id: c.json.response.cancel_history[1].cancellation_id });
    });
  } finally {
    await shop.close();
  }
});

test('portone: delay: a cancel answered late outlasts the client timeout yet happened; a blind retry with checksum is refused; other paths on time', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t = await pgToken(pg);
  pg.set({ delay: { ms: 3000, path: '/payments/cancel', times: 1 } });
  const t0 = Date.now();
  assert.equal((await lookup(pg, t, PAID.imp_uid)).status, 200);
  assert.ok(Date.now() - t0 < 1000, 'a lookup is not delayed');
  const t1 = Date.now();
  await assert.rejects(cancelPay(pg, t, { imp_uid: PAID.imp_uid, checksum: 39000 }, { signal: AbortSignal.timeout(300) }), (err) => err.name === 'TimeoutError');
  assert.ok(Date.now() - t1 < 2000);
  assert.equal(pg.payment(PAID.imp_uid).status, 'cancelled', 'the cancel was done although the answer never came');
  const retry = await cancelPay(pg, t, { imp_uid: PAID.imp_uid, checksum: 39000 });
  assert.equal(retry.status, 200);
  assert.notEqual(retry.json.code, 0);
  assert.equal(pg.payment(PAID.imp_uid).cancel_history.length, 1, 'cancelled once only');
  assert.deepEqual(pg.requests.map((e) => `${e.path} ${e.status}`), ['/users/getToken 200', `/payments/${PAID.imp_uid} 200`, '/payments/cancel 200', '/payments/cancel 200']);
  pg.set({ delay: { ms: 400, times: 1 } });
  const t2 = Date.now();
  assert.equal((await getToken(pg)).status, 200);
  assert.ok(Date.now() - t2 >= 350, 'without a path any endpoint is delayed (getToken too)');
  assert.deepEqual(pg.config().knobs, {});
}));

test('portone: fail: 500 with an nginx HTML page by default, 502, JSON with html:false; only its path; undone unless after:true', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t = await pgToken(pg);
  pg.set({ fail: 1 });
  const a = await getToken(pg);
  assert.equal(a.status, 500);
  assert.equal(a.type, 'text/html');
  assert.match(a.text, /^<html>\r\n<head><title>500 Internal Server Error<\/title>/);
  assert.equal(a.json, undefined);
  assert.deepEqual([pg.requests.at(-1).status, pg.requests.at(-1).failure], [500, 'fail']);
  pg.set({ fail: { times: 1, status: 502, path: '/payments/cancel' } });
  assert.equal((await lookup(pg, t, PAID.imp_uid)).status, 200, 'another path is not hit');
  const b = await cancelPay(pg, t, { imp_uid: PAID.imp_uid });
  assert.equal(b.status, 502);
  assert.match(b.text, /<h1>502 Bad Gateway<\/h1>/);
  assert.equal(pg.payment(PAID.imp_uid).cancel_amount, 0, 'the cancel did not happen');
  pg.set({ fail: { times: 1, status: 503, html: false } });
  const c = await lookup(pg, t, PAID.imp_uid);
  assert.equal(c.status, 503);
  assert.equal(c.type, PG_JSON);
  assert.deepEqual(c.json, { code: -1, message: 'Service Unavailable', response: null });
  pg.set({ fail: { times: 1, status: 502, path: '/payments/cancel', after: true } });
  assert.equal((await cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: 1000 })).status, 502);
  assert.equal(pg.payment(PAID.imp_uid).cancel_amount, 1000, 'after: the cancel happened, only the answer was lost');
  pg.set({ fail: true });
  for (let i = 0; i < 3; i++) assert.equal((await lookup(pg, t, PAID.imp_uid)).status, 500);
  assert.deepEqual(pg.config().knobs, { fail: { times: null, used: 3 } });
  pg.set({ fail: false });
  assert.equal((await lookup(pg, t, PAID.imp_uid)).status, 200);
  assert.throws(() => pg.set({ fail: -1 }), /times must be a positive integer/);
}));

test('portone: malformed: HTTP 200, a JSON content type, a body cut short that does not parse; undone unless after:true', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t = await pgToken(pg);
  const good = await lookup(pg, t, PAID.imp_uid);
  pg.set({ malformed: { times: 1, path: '/payments/*', after: true } });
  const bad = await lookup(pg, t, PAID.imp_uid);
  assert.equal(bad.status, 200);
  assert.equal(bad.type, PG_JSON);
  assert.equal(bad.json, undefined, `parsed: ${bad.text}`);
  assert.throws(() => JSON.parse(bad.text), SyntaxError);
  assert.ok(good.text.startsWith(bad.text) && bad.text.length < good.text.length, 'the real answer, cut short');
  assert.equal(pg.requests.at(-1).failure, 'malformed');
  pg.set({ malformed: 1 });
  const c = await cancelPay(pg, t, { imp_uid: PAID.imp_uid });
  assert.equal(c.status, 200);
  assert.equal(c.json, undefined);
  assert.equal(pg.payment(PAID.imp_uid).cancel_amount, 0);
  pg.set({ malformed: { times: 1, after: true } });
  assert.equal((await cancelPay(pg, t, { imp_uid: PAID.imp_uid })).json, undefined);
  assert.equal(pg.payment(PAID.imp_uid).status, 'cancelled');
  assert.equal((await lookup(pg, t, PAID.imp_uid)).json.response.status, 'cancelled', 'back to normal');
}));

test('portone: reset: the connection is reset with no answer (fetch fails); undone unless after:true; later requests work', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t = await pgToken(pg);
  pg.set({ reset: { times: 1, path: '/payments/cancel' } });
  assert.equal((await lookup(pg, t, PAID.imp_uid)).status, 200);
  const err = await cancelPay(pg, t, { imp_uid: PAID.imp_uid }).then(() => null, (e) => e);
  assert.ok(err instanceof Error, 'the cancel got an answer');
  assert.match(String(err.cause?.code ?? err.cause), /ECONNRESET|UND_ERR_SOCKET|other side closed/);
  assert.equal(pg.payment(PAID.imp_uid).cancel_amount, 0);
  assert.deepEqual([pg.requests.at(-1).status, pg.requests.at(-1).failure], [null, 'reset']);
  pg.set({ reset: { times: 1, after: true } });
  await assert.rejects(cancelPay(pg, t, { imp_uid: PAID.imp_uid, amount: 500 }));
  assert.equal(pg.payment(PAID.imp_uid).cancel_amount, 500, 'after: done, then the connection was reset');
  assert.equal((await lookup(pg, t, PAID.imp_uid)).json.response.cancel_amount, 500);
}));

test('portone: as libcurl sees it: JSON getToken and Bearer lookup work; reset → curl 56, delay → curl 28 (--max-time), fail → HTTP 502', () => withPortone({ payments: [PAID] }, async (pg) => {
  const tok = await curl(['-X', 'POST', '-H', 'Content-Type: application/json', '--data', JSON.stringify({ imp_key: IMP_KEY, imp_secret: IMP_SECRET }), `${pg.url}/users/getToken`]);
  assert.equal(tok.code, 0, tok.stderr);
  const t = JSON.parse(tok.stdout).response.access_token;
  const get = await curl(['-H', `Authorization: Bearer ${t}`, '-w', '\n%{http_code} %{content_type}', `${pg.url}/payments/${PAID.imp_uid}`]);
  const [body, meta] = get.stdout.split('\n');
  assert.equal(meta, `200 ${PG_JSON}`);
  assert.equal(JSON.parse(body).response.amount, 39000);
  pg.set({ reset: 1 });
  const reset = await curl(['-H', `Authorization: ${t}`, `${pg.url}/payments/${PAID.imp_uid}`]);
  assert.equal(reset.code, 56, reset.stderr);
  assert.match(reset.stderr, /reset by peer/i);
  pg.set({ delay: { times: 1, ms: 3000 } });
  const slow = await curl(['--max-time', '1', '-H', `X-ImpTokenHeader: ${t}`, `${pg.url}/payments/${PAID.imp_uid}`]);
  assert.equal(slow.code, 28, slow.stderr);
  pg.set({ fail: { times: 1, status: 502 } });
  const bad = await curl(['-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '--data-urlencode', `imp_uid=${PAID.imp_uid}`, '-H', `Authorization: Bearer ${t}`, `${pg.url}/payments/cancel`]);
  assert.deepEqual([bad.code, bad.stdout], [0, '502']);
  const form = await curl(['-X', 'POST', '--data-urlencode', `imp_uid=${PAID.imp_uid}`, '--data-urlencode', 'amount=1000', '--data-urlencode', 'checksum=39000', '-H', `Authorization: Bearer ${t}`, `${pg.url}/payments/cancel`]);
  assert.equal(JSON.parse(form.stdout).response.cancel_amount, 1000, 'curl -d sends a form body');
}));

test('portone: expireTokens: the next authenticated call is 401 and kills the token; a fresh getToken works; N = N such calls; unauthenticated calls do not use it', () => withPortone({ payments: [PAID] }, async (pg) => {
  const t1 = await pgToken(pg);
  pg.set({ expireTokens: 1 });
  assert.equal((await lookup(pg, 'f'.repeat(40), PAID.imp_uid)).status, 401);
  assert.equal((await getToken(pg)).json.response.access_token, t1, 'getToken does not use the knob');
  assert.deepEqual(pg.config().knobs, { expireTokens: { times: 1, used: 0 } });
  const r = await lookup(pg, t1, PAID.imp_uid);
  assert.equal(r.status, 401);
  assert.equal(r.text, UNAUTHORIZED_BODY);
  assert.equal(pg.requests.at(-1).failure, 'expireTokens');
  assert.equal((await lookup(pg, t1, PAID.imp_uid)).status, 401, 'the token is dead now');
  const t2 = await pgToken(pg);
  assert.notEqual(t2, t1);
  assert.equal((await lookup(pg, t2, PAID.imp_uid)).status, 200);
  pg.set({ expireTokens: 2 }); // the shop's one retry also fails: it must not loop
  assert.equal((await lookup(pg, t2, PAID.imp_uid)).status, 401);
  const t3 = await pgToken(pg);
  assert.equal((await lookup(pg, t3, PAID.imp_uid)).status, 401);
  const t4 = await pgToken(pg);
  assert.equal(new Set([t2, t3, t4]).size, 3);
  assert.equal((await lookup(pg, t4, PAID.imp_uid)).status, 200);
  pg.set({ expireTokens: { times: 1, path: '/payments/cancel' } });
  assert.equal((await lookup(pg, t4, PAID.imp_uid)).status, 200);
  assert.equal((await cancelPay(pg, t4, { imp_uid: PAID.imp_uid })).status, 401);
  assert.equal(pg.payment(PAID.imp_uid).cancel_amount, 0, 'a 401 cancel does nothing');
}));

test('portone: control surface: /__fake/config, /__fake/payments (POST, GET list and one), /__fake/log, /__fake/expire, /__fake/reset', () => withPortone({}, async (pg) => {
  const set = await controlFetch(pg.port, 'POST /__fake/config', { partialCancelStatus: 'cancelled', fail: { times: 1, status: 502 } });
  assert.equal(set.status, 200);
  assert.equal(set.json.partialCancelStatus, 'cancelled');
  assert.equal(set.json.impKey, IMP_KEY);
  assert.deepEqual(set.json.knobs, { fail: { status: 502, times: 1, used: 0 } });
  for (const [bad, re] of [[{ failx: 1 }, /unknown setting or knob "failx"/], [{ webhookRetries: 9, reset: 1 }, /webhookRetries/], [{ webhookUrl: 'ftp://x' }, /webhookUrl/], [{ tokenTtl: -1 }, /tokenTtl/]]) {
    const r = await controlFetch(pg.port, 'POST /__fake/config', bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(r.json.error, re);
  }
  const cfg = await controlFetch(pg.port, 'GET /__fake/config');
  assert.deepEqual(cfg.json.knobs, { fail: { status: 502, times: 1, used: 0 } }, 'a refused config changes nothing');
  assert.equal(cfg.json.webhookRetries, 0);
  await controlFetch(pg.port, 'POST /__fake/config', { fail: false });

  const made = await controlFetch(pg.port, 'POST /__fake/payments', { merchant_uid: 'ORD-C1', amount: 12000, status: 'paid', notice_url: 'http://127.0.0.1:9/hook' });
  assert.equal(made.status, 200);
  assert.match(made.json.imp_uid, /^imp_\d{12}$/);
  assert.deepEqual([made.json.amount, made.json.currency, made.json.pay_method, made.json.notice_url], [12000, 'KRW', 'card', 'http://127.0.0.1:9/hook']);
  const id = made.json.imp_uid;
  assert.deepEqual((await controlFetch(pg.port, `GET /__fake/payments/${id}`)).json, made.json);
  const replaced = await controlFetch(pg.port, 'POST /__fake/payments', { imp_uid: id, merchant_uid: 'ORD-C1', amount: 15000, status: 'paid' });
  assert.equal(replaced.json.amount, 15000);
  assert.equal((await controlFetch(pg.port, 'GET /__fake/payments')).json.length, 1, 'replaced, not added');
  for (const [bad, re] of [[{ merchant_uid: 'X', amount: '12000', status: 'paid' }, /amount must be a number/], [{ amount: 1, status: 'paid' }, /merchant_uid/], [{ merchant_uid: 'X', amount: 1, status: 'done' }, /status must be one of/], [{ merchant_uid: 'X', amount: 1, status: 'paid', cancel_amount: 2 }, /cancel_amount/]]) {
    const r = await controlFetch(pg.port, 'POST /__fake/payments', bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(r.json.error, re);
  }
  assert.equal((await controlFetch(pg.port, 'GET /__fake/payments/imp_nope')).status, 404);

  const t = await pgToken(pg);
  const c = await cancelPay(pg, t, { imp_uid: id, amount: 5000, checksum: 15000 });
  assert.equal(c.json.response.status, 'cancelled', 'partialCancelStatus from the control call');
  assert.equal((await controlFetch(pg.port, `GET /__fake/payments/${id}`)).json.cancel_amount, 5000);
  const log = await controlFetch(pg.port, 'GET /__fake/log');
  assert.deepEqual(log.json.map((e) => `${e.method} ${e.path} ${e.status}`), ['POST /users/getToken 200', 'POST /payments/cancel 200']);
  assert.deepEqual(log.json[1].body, { imp_uid: id, amount: 5000, checksum: 15000 });
  assert.equal(log.json[1].headers.authorization, `Bearer ${t}`);
  assert.equal(log.json[1].failure, null);
  assert.deepEqual((await controlFetch(pg.port, 'POST /__fake/expire')).json, { expired: 1 });
  assert.equal((await lookup(pg, t, id)).status, 401);
  const t2 = await pgToken(pg);
  assert.deepEqual((await controlFetch(pg.port, 'POST /__fake/expire', { access_token: t })).json, { expired: 0 });
  const reset = await controlFetch(pg.port, 'POST /__fake/reset');
  assert.equal(reset.json.partialCancelStatus, 'paid');
  assert.deepEqual(reset.json.knobs, {});
  assert.deepEqual((await controlFetch(pg.port, 'GET /__fake/payments')).json, []);
  assert.deepEqual((await controlFetch(pg.port, 'GET /__fake/log')).json, []);
  assert.equal((await lookup(pg, t2, id)).status, 401, 'reset forgets tokens');
  assert.equal((await controlFetch(pg.port, 'GET /__fake/nope')).status, 404);
  const unknown = await pgCall(pg, 'GET', '/v2/payments');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.response, null);
  assert.equal((await pgCall(pg, 'GET', '/payments/cancel')).allow, 'POST');
}));

test('portone process: --imp-key/--imp-secret/--partial-cancel-status; prints only "listening" (never the secret); driven over HTTP; SIGTERM exits 0', async () => {
  const secret = 'cli-secret-do-not-print';
  const p = await launch(path.join(HERE, 'portone-fake.mjs'), ['--port', '0', '--imp-key', 'cli-key', '--imp-secret', secret, '--partial-cancel-status', 'cancelled']);
  usedPorts.add(p.port);
  const pg = { url: `http://127.0.0.1:${p.port}`, port: p.port };
  try {
    assert.deepEqual(p.output, [`listening ${p.port}\n`]);
    const made = await controlFetch(p.port, 'POST /__fake/payments', { merchant_uid: 'ORD-CLI', amount: 30000, status: 'paid' });
    assert.equal(made.status, 200);
    assert.equal((await getToken(pg)).status, 401, 'the default key is not the configured one');
    const tok = await getToken(pg, { imp_key: 'cli-key', imp_secret: secret }, true);
    assert.equal(tok.status, 200, tok.text);
    const c = await cancelPay(pg, tok.json.response.access_token, { imp_uid: made.json.imp_uid, amount: 10000 });
    assert.deepEqual([c.json.code, c.json.response.status, c.json.response.cancel_amount], [0, 'cancelled', 10000]);
    assert.equal((await controlFetch(p.port, 'GET /__fake/log')).json.length, 3);
  } finally {
    assert.deepEqual(await p.stop(), { code: 0, signal: null });
  }
  assert.ok(!p.output.join('').includes(secret), 'the secret was printed');
  assert.ok(!alive(p.pid));
  assert.ok(await refused(p.port));
  await assert.rejects(launch(path.join(HERE, 'portone-fake.mjs'), ['--webhook-retries', 'x']), /exited \(2\) before listening: .*--webhook-retries: expected a whole number/s);
  await assert.rejects(launch(path.join(HERE, 'portone-fake.mjs'), ['--partial-cancel-status', 'refunded']), /exited \(2\) before listening: .*partialCancelStatus must be/s);
});

test('processes: bad arguments exit 2 with a message; a fake whose parent dies (SIGKILL) exits too', async () => {
  await assert.rejects(launch(path.join(HERE, 'kakao-fake.mjs'), ['--port', 'x']), /exited \(2\) before listening: .*--port: expected a whole number/s);
  await assert.rejects(launch(path.join(HERE, 'smtp-sink.mjs'), ['--bogus']), /exited \(2\) before listening: .*Unknown option '--bogus'/s);
  const parent = spawn(process.execPath, ['--input-type=module', '-e', `
    import { launch } from ${JSON.stringify(path.join(HERE, 'proc.mjs'))};
    const f = await launch(${JSON.stringify(path.join(HERE, 'smtp-sink.mjs'))}, ['--port', '0']);
    console.log(f.pid + ' ' + f.port);
    setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    parent.stdout.once('data', (d) => resolve(String(d).trim()));
    parent.once('exit', (c) => reject(new Error(`the parent exited (${c})`)));
  });
  const [pid, port] = line.split(' ').map(Number);
  usedPorts.add(port);
  assert.ok(alive(pid), 'the fake runs');
  const gone = new Promise((r) => parent.once('exit', r));
  parent.kill('SIGKILL');
  await gone;
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  const orphan = alive(pid);
  if (orphan) process.kill(pid, 'SIGKILL'); // a failing run leaves no process behind either
  assert.ok(!orphan, `the fake (pid ${pid}) outlived its parent`);
  assert.ok(await refused(port));
});

test('nothing is left behind: no child process, no server or timer in this process, every port used refuses connections', async () => {
  const resources = process.getActiveResourcesInfo();
  assert.ok(!resources.includes('TCPServerWrap'), `a server is still open: ${resources}`);
  assert.ok(!resources.includes('Timeout'), `a timer is still pending (it would hold the process): ${resources}`);
  let kids = '';
  try {
    kids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim();
  } catch (err) {
    if (err.status !== 1) throw err;
  }
  assert.equal(kids, '', `children still running: ${kids}`);
  assert.ok(usedPorts.size >= 10, `only ${usedPorts.size} ports were recorded`);
  for (const port of usedPorts) assert.ok(await refused(port), `port ${port} still accepts connections`);
});

// ---- the Slack incoming-webhook fake (integrations.md §3.4) ---------------------------------------

async function withSlack(fn) {
  const s = await slackFake.start({ port: 0, hookPath: '/services/T1/B1/secret' });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}
const slackPost = (url, body, type = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': type }, body });

test('slack: a JSON text on the hook path → 200 "ok" in plain text, recorded; other paths 404 no_service', () => withSlack(async (s) => {
  const res = await slackPost(s.hookUrl, JSON.stringify({ text: 'hello', blocks: [{ type: 'section' }] }));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  assert.equal(await res.text(), 'ok');
  assert.equal(s.requests.length, 1);
  assert.deepEqual(s.requests[0].json, { text: 'hello', blocks: [{ type: 'section' }] });
  const other = await slackPost(`${s.url}/services/T1/B1/other`, JSON.stringify({ text: 'x' }));
  assert.deepEqual([other.status, await other.text()], [404, 'no_service']);
  const get = await fetch(s.hookUrl);
  assert.equal(get.status, 405);
}));

test('slack: bad JSON → 400 invalid_payload; neither text nor blocks → 400 no_text', () => withSlack(async (s) => {
  const bad = await slackPost(s.hookUrl, '{"text":');
  assert.deepEqual([bad.status, await bad.text()], [400, 'invalid_payload']);
  const empty = await slackPost(s.hookUrl, JSON.stringify({ channel: '#x' }));
  assert.deepEqual([empty.status, await empty.text()], [400, 'no_text']);
}));

test('slack: knobs: fail (500 rollup_error, 429 with Retry-After, 404 channel_not_found) for N requests, drop closes the connection', () => withSlack(async (s) => {
  s.set({ fail: { times: 1, status: 429, retryAfter: 3 } });
  const limited = await slackPost(s.hookUrl, JSON.stringify({ text: 'a' }));
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '3');
  s.set({ fail: 2 });
  for (let i = 0; i < 2; i++) {
    const r = await slackPost(s.hookUrl, JSON.stringify({ text: 'a' }));
    assert.deepEqual([r.status, await r.text()], [500, 'rollup_error']);
  }
  assert.equal((await slackPost(s.hookUrl, JSON.stringify({ text: 'a' }))).status, 200, 'the knob is used up');
  s.set({ fail: { times: 1, status: 404, error: 'channel_not_found' } });
  const nf = await slackPost(s.hookUrl, JSON.stringify({ text: 'a' }));
  assert.deepEqual([nf.status, await nf.text()], [404, 'channel_not_found']);
  s.set({ drop: 1 });
  await assert.rejects(slackPost(s.hookUrl, JSON.stringify({ text: 'a' })));
  assert.equal((await slackPost(s.hookUrl, JSON.stringify({ text: 'a' }))).status, 200);
}));

test('slack: as a process: prints "listening <port>", /__fake/config sets knobs, /__fake/log lists requests', async () => {
  const p = await launch(path.join(HERE_SLACK, 'slack-fake.mjs'), ['--port', '0', '--hook-path', '/services/T/B/X']);
  try {
    const base = `http://127.0.0.1:${p.port}`;
    assert.equal((await slackPost(`${base}/__fake/config`, JSON.stringify({ fail: 1 }))).status, 200);
    assert.equal((await slackPost(`${base}/services/T/B/X`, JSON.stringify({ text: 'a' }))).status, 500);
    assert.equal((await slackPost(`${base}/services/T/B/X`, JSON.stringify({ text: 'a' }))).status, 200);
    const log = await (await fetch(`${base}/__fake/log`)).json();
    assert.deepEqual(log.map((r) => r.status), [500, 200]);
    assert.equal((await slackPost(`${base}/__fake/config`, JSON.stringify({ nope: 1 }))).status, 400);
  } finally {
    await p.stop();
  }
});

await run();
// A handle left open would keep node running for ever: fail loudly instead of hanging ci/test.
setTimeout(() => {
  console.log(`Bail out! still running 5 s after the last test, held by: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(1);
}, 5000).unref();
