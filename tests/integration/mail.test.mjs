// Mail through the outbox and `lonua jobs`: first the folder transport the stack runs with
// (LONUA_MAIL_DIR: a sign-up's verification mail as a complete RFC 5322 file), then SMTP against
// the local sink (tests/fakes/smtp-sink.mjs, run as a process): the envelope, the message on the
// wire, temporary failures retried with backoff (451, refused connections, a sink that is down, a
// silent one), a permanent 550 failing at once and resent when set back to pending, SIGTERM while
// waiting, two job processes that never deliver a row twice, and the housekeeping of expired
// Kakao login states when jobs starts. At the end the stack's folder `lonua jobs` is started
// again exactly as ci/lib.sh start_jobs does, so later suites get mails.
//
//   LONUA_BASE_URL=… LONUA_RUN_DIR=… LONUA_BIN=… LONUA_DB_ROOT_SOCKET=… LONUA_DB_*=…
//   LONUA_MAIL_DIR=… node tests/integration/mail.test.mjs
//
// Mails are queued by real actions (a sign-up, a resend, a forgotten password) and by outbox rows
// inserted as root; every recipient is mail-test-<run>-…@example.test, and the accounts and rows
// of this suite are removed at the start (leftovers) and at the end.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import http from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test, run, assert } from '../lib/tap.mjs';
import { postJson, describe, shorten, sleep, alive } from './http.mjs';
import { launch } from '../fakes/proc.mjs';

const need = (name, why) => {
  const v = process.env[name];
  if (!v) {
    console.log(`Bail out! ${name} is not set (${why})`);
    process.exit(1);
  }
  return v;
};
const RUN_DIR = need('LONUA_RUN_DIR', 'the stack\'s run folder: mail/, jobs.pid, jobs.log');
const BIN = need('LONUA_BIN', 'the lonua binary, to run `lonua jobs`');
const SOCKET = need('LONUA_DB_ROOT_SOCKET', 'the private MariaDB\'s socket');
need('LONUA_DB_SOCKET', 'the database `lonua jobs` uses (ci/lib.sh start_mariadb exports LONUA_DB_*)');
const PUBLIC = (process.env.LONUA_PUBLIC_URL || process.env.LONUA_BASE_URL).replace(/\/+$/, '');
const MAIL_DIR = process.env.LONUA_MAIL_DIR || path.join(RUN_DIR, 'mail');
// The From of the stack's jobs (src/util/config.c's default unless the stack sets one).
const STACK_FROM = process.env.LONUA_MAIL_FROM || 'LONUA <no-reply@lonua.example>';
// The From of this suite's own jobs, and its SMTP password (the sink does not offer AUTH, so it
// is never sent; it must never show up in last_error or a log either).
const FROM_ADDRESS = 'mail-test-sender@lonua.example';
const FROM = `LONUA Mail Test <${FROM_ADDRESS}>`;
const SMTP_PASSWORD = `smtp-secret-${crypto.randomBytes(9).toString('hex')}`;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const SINK_SCRIPT = path.join(HERE, '../fakes/smtp-sink.mjs');
const T = JSON.parse(fs.readFileSync(new URL('../../locales/ko.json', import.meta.url), 'utf8'));
const RUN = crypto.randomBytes(3).toString('hex');
// The logs and pid files of this suite's job processes (kept with the run folder).
const TMP = path.join(RUN_DIR, `mail-test-${RUN}`);
fs.mkdirSync(TMP, { recursive: true });
const PREFIX = 'mail-test-';
let seq = 0;
const address = (what) => `${PREFIX}${RUN}-${++seq}-${what}@example.test`;

// ---- the database --------------------------------------------------------------------------

function sql(script) {
  return execFileSync('mariadb', ['--no-defaults', '--socket', SOCKET, '-uroot', '--default-character-set=utf8mb4',
    '-N', '-B', '-r', 'lonua'], { input: `SET time_zone = '+00:00';\n${script}`, encoding: 'utf8' });
}
const lit = (v) => (v === null || v === undefined ? 'NULL'
  : typeof v === 'number' ? String(v)
    : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`);
const sqlValue = (query) => sql(query).split('\n')[0];
const sqlRows = (query) => sql(query).split('\n').filter(Boolean).map((l) => JSON.parse(l));

// Queues a mail as root; due in `delay` seconds. Answers the row's id.
function queue(to, subject, text, delay = 0) {
  return Number(sqlValue(`INSERT INTO outbox (kind, payload, next_attempt_at)
    VALUES ('mail', JSON_OBJECT('to', ${lit(to)}, 'subject', ${lit(subject)}, 'text', ${lit(text)}),
      UTC_TIMESTAMP() + INTERVAL ${delay} SECOND);
    SELECT LAST_INSERT_ID();`));
}

const ROW = `JSON_OBJECT('id', id, 'state', state, 'attempts', attempts, 'last_error', last_error,
  'sent_at', sent_at, 'retry', TIMESTAMPDIFF(SECOND, updated_at, next_attempt_at), 'to', JSON_VALUE(payload, '$.to'))`;
const row = (id) => sqlRows(`SELECT ${ROW} FROM outbox WHERE id = ${id}`)[0];
const rowsTo = (to) => sqlRows(`SELECT ${ROW} FROM outbox WHERE JSON_VALUE(payload, '$.to') = ${lit(to)} ORDER BY id`);

function removeLeftovers() {
  sql(`DELETE FROM outbox WHERE JSON_VALUE(payload, '$.to') LIKE '${PREFIX}%';
DELETE c FROM coupons c JOIN users u ON u.id = c.user_id WHERE u.email LIKE '${PREFIX}%';
DELETE FROM users WHERE email LIKE '${PREFIX}%';`);
}

async function waitFor(what, fn, ms = 10000, every = 100) {
  const until = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > until) assert.fail(`${what}: not within ${ms} ms`);
    await sleep(every);
  }
}
const waitState = (id, state, ms = 10000) => waitFor(`outbox ${id} ${state}`, () => {
  const r = row(id);
  return r && r.state === state ? r : null;
}, ms);

// ---- RFC 5322 reading ----------------------------------------------------------------------

// { headers: [[name, value (unfolded)]], get(name), lines, body (decoded text) } of a message.
function parseMail(raw) {
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
  const end = text.indexOf('\r\n\r\n');
  assert.ok(end > 0, `no blank line between the header and the body: ${shorten(text)}`);
  const headerText = text.slice(0, end);
  const headers = headerText.replace(/\r\n(?=[ \t])/g, '').split('\r\n').map((l) => {
    const i = l.indexOf(':');
    assert.ok(i > 0, `not a header line: ${l}`);
    return [l.slice(0, i), l.slice(i + 1).trim()];
  });
  const get = (name) => {
    const all = headers.filter(([k]) => k.toLowerCase() === name.toLowerCase());
    assert.ok(all.length <= 1, `header ${name} ${all.length} times`);
    return all[0]?.[1];
  };
  const bodyText = text.slice(end + 4);
  const cte = (get('Content-Transfer-Encoding') || '').toLowerCase();
  assert.equal(cte, 'base64', 'the body is base64');
  assert.match(bodyText, /^([A-Za-z0-9+/=]{1,76}\r\n)*$/, 'the body is base64 in lines of at most 76');
  const body = Buffer.from(bodyText.replace(/\r\n/g, ''), 'base64').toString('utf8');
  return { headers, get, headerText, lines: text.split('\r\n'), body, text };
}

// An RFC 2047 header value (UTF-8, B encoding; whitespace between encoded words dropped).
function decodeWords(value) {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi,
    (m, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

// The checks every message from lonua passes.
function assertWellFormed(raw, { from, to, subject, text, outboxId }) {
  const s = raw.toString('latin1');
  assert.ok(!/(^|[^\r])\n/.test(s), 'every line ends in CRLF (no bare LF)');
  assert.ok(!/\r(?!\n)/.test(s), 'no bare CR');
  assert.ok(/^[\x00-\x7f]*$/.test(s), 'the message is 7-bit ASCII');
  const m = parseMail(raw);
  // RFC 5322 §2.1.1: 78 characters a line; RFC 2047 §2: 76 on a line holding an encoded word
  for (const l of m.lines) {
    const most = /=\?[^?]+\?[BQ]\?/i.test(l) ? 76 : 78;
    assert.ok(l.length <= most, `a line of ${l.length} characters (at most ${most}): ${shorten(l, 100)}`);
  }
  assert.equal(m.get('From'), from);
  assert.equal(m.get('To'), to);
  assert.equal(decodeWords(m.get('Subject')), subject, 'the subject decodes back');
  for (const w of m.get('Subject').split(/\s+/)) assert.ok(w.length <= 75, `an encoded word of ${w.length} characters`);
  const date = Date.parse(m.get('Date'));
  assert.ok(Math.abs(Date.now() - date) < 10 * 60000, `Date: ${m.get('Date')}`);
  assert.match(m.get('Date'), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/);
  if (outboxId !== undefined) assert.equal(m.get('Message-ID'), `<outbox-${outboxId}@lonua>`);
  else assert.match(m.get('Message-ID'), /^<outbox-\d+@lonua>$/);
  assert.equal(m.get('MIME-Version'), '1.0');
  assert.match(m.get('Content-Type'), /^text\/plain;\s*charset=UTF-8$/i);
  for (const bad of ['Bcc', 'Cc']) assert.equal(m.headers.filter(([k]) => k === bad).length, 0, `a ${bad} header`);
  if (text !== undefined) assert.equal(m.body, text, 'the body decodes to the text exactly');
  return m;
}

// The .eml files in the folder addressed to `to`.
function folderMails(to) {
  if (!fs.existsSync(MAIL_DIR)) return [];
  return fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml')).map((f) => fs.readFileSync(path.join(MAIL_DIR, f)))
    .filter((raw) => raw.toString('latin1').includes(`\r\nTo: ${to}\r\n`));
}

// ---- processes -----------------------------------------------------------------------------

const mine = new Set(); // job processes this suite started (killed when it exits)
process.on('exit', () => {
  for (const c of mine) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
// A suite that hangs must not hang ci/test: give up after two and a half minutes.
setTimeout(() => {
  console.log('Bail out! mail.test.mjs did not finish within 150 s');
  process.exit(1);
}, 150000).unref();

let sink = null; // { port, controlPort, stop() }
let jobsSeq = 0;

// Starts a `lonua jobs` of this suite on SMTP to the sink. Answers { child, pid, log, exited }.
async function startJobs(extra = {}) {
  const n = ++jobsSeq;
  const env = {
    ...process.env,
    LONUA_SMTP_URL: `smtp://127.0.0.1:${sink.port}/lonua.test`,
    LONUA_SMTP_STARTTLS: '0',
    LONUA_SMTP_USER: 'lonua',
    LONUA_SMTP_PASSWORD: SMTP_PASSWORD,
    LONUA_MAIL_FROM: FROM,
    LONUA_OUTBOX_RETRY_SECONDS: '1',
    LONUA_OUTBOX_MAX_ATTEMPTS: '4',
    LONUA_JOBS_POLL_MS: '100',
    LONUA_HTTP_TIMEOUT_MS: '1000',
    LONUA_PID_FILE: path.join(TMP, `jobs-${n}.pid`),
    ...extra,
  };
  delete env.LONUA_MAIL_DIR;
  delete env.LONUA_SMTP_PASSWORD_FILE;
  const log = path.join(TMP, `jobs-${n}.log`);
  const fd = fs.openSync(log, 'a');
  const child = spawn(BIN, ['jobs'], { env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  mine.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  await waitFor(`lonua jobs ${n} writes its pid file`, () => fs.existsSync(env.LONUA_PID_FILE), 10000, 50);
  return { child, pid: child.pid, log, exited, pidFile: env.LONUA_PID_FILE };
}

// SIGTERM, then the time it took to exit (ms); SIGKILL after `ms` and fail.
async function stopJobs(j, ms = 5000) {
  const t0 = Date.now();
  j.child.kill('SIGTERM');
  const r = await Promise.race([j.exited, sleep(ms).then(() => null)]);
  if (!r) {
    j.child.kill('SIGKILL');
    await j.exited;
    assert.fail(`lonua jobs (pid ${j.pid}) did not exit within ${ms} ms of SIGTERM`);
  }
  assert.equal(r.code, 0, `lonua jobs exited with ${r.code ?? r.signal}: ${fs.readFileSync(j.log, 'utf8').slice(-400)}`);
  assert.ok(!fs.existsSync(j.pidFile), 'the pid file is removed');
  return r.at - t0;
}

// The sink listens on ports below the kernel's ephemeral range (as ci/lib.sh free_port picks
// them), so that no outbound connection takes its port while it is down for a case.
const EPHEMERAL_LOW = Number((fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').match(/^\d+/) || ['32768'])[0]);
const lowPort = () => 15000 + crypto.randomInt(0, Math.max(1000, EPHEMERAL_LOW - 15000));
async function startSink(port, controlPort) {
  for (let i = 0; ; i++) {
    try {
      return await launch(SINK_SCRIPT, ['--port', String(port ?? lowPort()), '--control-port', String(controlPort ?? lowPort())]);
    } catch (err) {
      if (i >= 20 || (port !== undefined && i >= 5)) throw err;
      await sleep(200); // a port in use: another pick (or, for a restart, the same port again)
    }
  }
}
// One HTTP request to a fake (any origin), on a connection of its own: fetch's pooled keep-alive
// connections can meet a server closing them when idle ("fetch failed" after a slow step).
// Resolves { status, headers, text }.
function plain(url, { method = 'GET', body } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, method, path: u.pathname + u.search, agent: false,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(15000, () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function sinkCall(method, p, body) {
  const res = await plain(`http://127.0.0.1:${sink.controlPort}${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, `sink ${method} ${p}: ${res.text}`);
  return JSON.parse(res.text);
}
const sinkSet = (knobs) => sinkCall('POST', '/config', knobs);
const KNOBS_OFF = { refuse: false, silent: false, greeting: false, rejectMail: false, rejectRcpt: false, rejectData: false };
const sinkMessages = async (to) => (await sinkCall('GET', '/messages')).filter((m) => !to || m.rcpt_tos.includes(to));
const sinkLog = () => sinkCall('GET', '/log');

// ---- the shop's API ------------------------------------------------------------------------

let styleId;
async function signUp(email) {
  styleId ??= sqlValue('SELECT id FROM styles ORDER BY id LIMIT 1');
  const res = await postJson('/api/v1/users', {
    email,
    password: 'Mail-test-pass-1',
    name: '메일 테스트',
    birth_date: '1990-01-02',
    gender: 'M',
    phone: `018${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`,
    postal_code: '06236',
    address: '서울특별시 강남구 테헤란로 1',
    preferred_style: Number(styleId),
    upper_body_type: 1,
    lower_body_type: 2,
    agree_terms: true,
    agree_privacy: true,
  }, { Accept: 'application/json' });
  assert.equal(res.status, 201, `sign-up: ${describe(res)}`);
  return res.json;
}

const userRow = (email) => sql(`SELECT id, status, email, email_verified_at, phone, password_hash FROM users WHERE email = ${lit(email)}`);
const linkIn = (text, p) => {
  const m = new RegExp(`${PUBLIC.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${p}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  assert.ok(m, `no ${p} link in the mail: ${shorten(text, 500)}`);
  return m[1];
};

// ---- (a) the folder transport of the stack ------------------------------------------------

const accountA = address('signup');
let verifyToken;

test('setup: no leftovers; the stack\'s lonua jobs runs with a mail folder', async () => {
  removeLeftovers();
  const pid = Number(fs.readFileSync(path.join(RUN_DIR, 'jobs.pid'), 'utf8'));
  assert.ok(alive(pid), `the stack's lonua jobs (pid ${pid}) runs`);
});

test('folder: a sign-up\'s verification mail is a complete RFC 5322 file; the outbox row is sent', async () => {
  await signUp(accountA);
  const [raw] = await waitFor('the verification mail in the folder', () => folderMails(accountA).length && folderMails(accountA), 10000);
  const [r] = rowsTo(accountA);
  assert.ok(r, 'an outbox row for the sign-up');
  assert.equal(folderMails(accountA).length, 1, 'one mail');
  verifyToken = linkIn(parseMail(raw).body, '/verify'); // for the SMTP cases, whatever fails below
  const m = assertWellFormed(raw, { from: STACK_FROM, to: accountA, subject: T.mail.verify_subject, outboxId: r.id });
  assert.match(m.get('Subject'), /^=\?UTF-8\?B\?/, 'the Korean subject is RFC 2047 encoded');
  assert.equal(linkIn(m.body, '/verify'), verifyToken);
  assert.ok(m.body.includes(T.mail.verify_text), 'the body is the Korean text');
  const sent = await waitState(r.id, 'sent');
  assert.ok(sent.sent_at, 'sent_at is set');
  assert.equal(sent.attempts, 1);
  assert.equal(sent.last_error, null);
  // no temporary file is left behind
  assert.deepEqual(fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith('.tmp')), []);
});

test('folder: SIGTERM stops the stack\'s lonua jobs within a few seconds, no row half-done', async () => {
  const pidFile = path.join(RUN_DIR, 'jobs.pid');
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  const tos = Array.from({ length: 6 }, () => address('term'));
  const ids = tos.map((to) => queue(to, 'term', `text for ${to}`));
  await sleep(150);
  const t0 = Date.now();
  process.kill(pid, 'SIGTERM');
  await waitFor('the stack\'s jobs to exit', () => !alive(pid), 5000, 50);
  const ms = Date.now() - t0;
  assert.ok(ms < 3000, `exited in ${ms} ms`);
  assert.ok(!fs.existsSync(pidFile), 'its pid file is removed');
  for (const [i, id] of ids.entries()) {
    const r = row(id);
    const files = folderMails(tos[i]).length;
    if (r.state === 'sent') assert.equal(files, 1, `row ${id} is sent and its mail was written once`);
    else assert.deepEqual([r.state, r.attempts, files], ['pending', 0, 0], `row ${id} is untouched`);
  }
  console.log(`# ${ids.filter((id) => row(id).state === 'sent').length} of ${ids.length} sent before the stop, ${ms} ms`);
});

// ---- (b) SMTP -------------------------------------------------------------------------------

let jobsA = null; // this suite's `lonua jobs` on SMTP

// An SMTP case: the sink runs with every knob off and jobsA runs before it; the knobs are off
// again after it, whatever happened (so one failing case does not fail the next).
function smtpTest(name, fn) {
  test(`SMTP: ${name}`, async () => {
    sink ??= await startSink();
    await sinkSet(KNOBS_OFF);
    if (!jobsA || jobsA.child.exitCode !== null || jobsA.child.signalCode !== null) jobsA = await startJobs();
    try {
      await fn();
    } finally {
      if (sink) await sinkSet(KNOBS_OFF).catch(() => {});
    }
  });
}

smtpTest('the sink and a lonua jobs of this suite start; rows left pending by the stopped folder jobs go out by SMTP', async () => {
  const left = sqlRows(`SELECT ${ROW} FROM outbox WHERE state = 'pending' AND JSON_VALUE(payload, '$.to') LIKE '${PREFIX}${RUN}-%-term@%'`);
  for (const r of left) {
    await waitState(r.id, 'sent');
    assert.equal((await sinkMessages(r.to)).length, 1, `${r.to} delivered once`);
  }
});

smtpTest('a forgotten password\'s mail arrives with the right envelope (MAIL FROM, RCPT TO) and a well-formed message', async () => {
  assert.ok(verifyToken, 'the verification link of the folder case');
  // account A verifies with the link of its mail, then forgets its password
  const v = await postJson('/api/v1/auth/verify', { token: verifyToken }, { Accept: 'application/json' });
  assert.ok(v.status === 200 || v.status === 204, `verify: ${describe(v)}`);
  assert.match(userRow(accountA), /\tactive\t/, 'the link of the mail verified the account');
  const f = await postJson('/api/v1/auth/password/forgot', { email: accountA }, { Accept: 'application/json' });
  assert.ok(f.status >= 200 && f.status < 300, `forgot: ${describe(f)}`);
  const [msg] = await waitFor('the reset mail at the sink', async () => (await sinkMessages(accountA)).length && sinkMessages(accountA));
  assert.equal(msg.mail_from, FROM_ADDRESS, 'MAIL FROM is the address in LONUA_MAIL_FROM');
  assert.deepEqual(msg.rcpt_tos, [accountA], 'RCPT TO is the account');
  assert.equal(msg.helo, 'lonua.test', 'EHLO names the host of LONUA_SMTP_URL\'s path');
  assert.equal(msg.bare_lf, false);
  assert.equal(msg.mail_params.SIZE, String(msg.size), 'SIZE= matches the message');
  const r = rowsTo(accountA).at(-1);
  const m = assertWellFormed(Buffer.from(msg.content, 'latin1'), { from: FROM, to: accountA, subject: T.mail.reset_subject, outboxId: r.id });
  linkIn(m.body, '/password/reset');
  const sent = await waitState(r.id, 'sent');
  assert.equal(sent.attempts, 1);
  assert.ok(sent.sent_at);
});

smtpTest('lines starting with a dot, a lone dot, 3000-character lines and a long Korean subject arrive intact; a subject cannot add a header', async () => {
  const to = address('dots');
  const subject = `[LONUA] ${'긴 제목의 한국어 메일입니다 '.repeat(5)}끝.`;
  const text = ['.', '..', '.hidden line', 'line\r\n.\r\nafter a lone dot', 'x'.repeat(3000), '가'.repeat(1500), '.'.repeat(80), 'end'].join('\n');
  const id = queue(to, subject, text);
  await waitState(id, 'sent');
  const [msg] = await sinkMessages(to);
  assert.ok(msg, 'delivered');
  const m = assertWellFormed(Buffer.from(msg.content, 'latin1'), { from: FROM, to, subject, text, outboxId: id });
  assert.ok(m.get('Subject').split(/\s+/).length >= 4, 'the subject is several encoded words, folded');
  const to2 = address('inject');
  const id2 = queue(to2, 'hello\r\nBcc: victim@example.test', 'x');
  await waitState(id2, 'sent');
  const [msg2] = await sinkMessages(to2);
  assert.deepEqual(msg2.rcpt_tos, [to2], 'no other recipient');
  // CR and LF are taken out of every header value (src/net/mail.c): the line breaks no header
  assertWellFormed(Buffer.from(msg2.content, 'latin1'), { from: FROM, to: to2, subject: 'helloBcc: victim@example.test', text: 'x' });
});

smtpTest('451 → the row stays pending (attempts, last_error, backoff 1 s then 2 s), delivered once the sink accepts; the account is intact', async () => {
  await sinkSet({ rejectMail: { code: 451 } });
  const to = address('451');
  await signUp(to);
  const before = userRow(to);
  const [r0] = rowsTo(to);
  assert.ok(r0, 'the sign-up queued its mail');
  const r1 = await waitFor('a first failed attempt', () => { const r = row(r0.id); return r.attempts >= 1 && r; });
  assert.equal(r1.state, 'pending', 'still pending after a 451');
  assert.match(r1.last_error, /451/, `last_error names the reply: ${r1.last_error}`);
  const r2 = await waitFor('a second failed attempt', () => { const r = row(r0.id); return r.attempts >= 2 && r; });
  assert.equal(r2.state, 'pending');
  // LONUA_OUTBOX_RETRY_SECONDS=1, doubling: 1 s after the first attempt, 2 s after the second
  for (const r of [r1, r2]) assert.equal(r.retry, 2 ** (r.attempts - 1), `the retry delay after attempt ${r.attempts}`);
  assert.equal((await sinkMessages(to)).length, 0, 'nothing delivered yet');
  await sinkSet({ rejectMail: false });
  const sent = await waitState(r0.id, 'sent', 8000);
  assert.equal(sent.attempts, 3);
  assert.equal(sent.last_error, null, 'last_error is cleared');
  const msgs = await sinkMessages(to);
  assert.equal(msgs.length, 1, 'delivered once');
  assert.equal(userRow(to), before, 'the account is unchanged');
  const token = linkIn(parseMail(Buffer.from(msgs[0].content, 'latin1')).body, '/verify');
  const v = await postJson('/api/v1/auth/verify', { token }, { Accept: 'application/json' });
  assert.ok(v.status === 200 || v.status === 204, `the late mail's link verifies: ${describe(v)}`);
});

smtpTest('a sink that drops connections, then one that is down → retried, delivered when it is back', async () => {
  await sinkSet({ refuse: 2 });
  const to = address('refuse');
  const id = queue(to, '연결 거부', '다시 시도합니다.');
  const r = await waitFor('two dropped connections', () => { const x = row(id); return x.attempts >= 2 && x; });
  assert.equal(r.state, 'pending');
  assert.ok(r.last_error, 'last_error is set');
  await waitState(id, 'sent', 8000);
  assert.equal((await sinkMessages(to)).length, 1);

  // the sink goes away: connections are refused
  const { port, controlPort } = sink;
  await sink.stop();
  sink = null;
  const to2 = address('down');
  const id2 = queue(to2, '서버 중지', '연결할 수 없습니다.');
  const r2 = await waitFor('a refused connection', () => { const x = row(id2); return x.attempts >= 1 && x; });
  assert.equal(r2.state, 'pending');
  assert.match(r2.last_error, /connect/i, `last_error: ${r2.last_error}`);
  sink = await startSink(port, controlPort);
  await waitState(id2, 'sent', 8000);
  assert.equal((await sinkMessages(to2)).length, 1);
});

smtpTest('550 for the recipient → failed at once (permanent); set back to pending it is resent', async () => {
  const to = address('550');
  await sinkSet({ rejectRcpt: { code: 550, addresses: [to] } });
  const id = queue(to, '없는 주소', '받는 사람이 없습니다.');
  const r = await waitFor('the 550', () => { const x = row(id); return x.attempts >= 1 && x; });
  assert.equal(r.state, 'failed', `a 550 is permanent: ${JSON.stringify(r)}`);
  assert.equal(r.attempts, 1, 'no retries');
  assert.match(r.last_error, /550/);
  await sleep(1500);
  assert.deepEqual([row(id).state, row(id).attempts], ['failed', 1], 'it is not tried again');
  await sinkSet({ rejectRcpt: false });
  sql(`UPDATE outbox SET state = 'pending', next_attempt_at = UTC_TIMESTAMP() WHERE id = ${id}`);
  const sent = await waitState(id, 'sent');
  assert.equal(sent.attempts, 2);
  assert.equal((await sinkMessages(to)).length, 1);
});

smtpTest('a silent sink → a timeout (LONUA_HTTP_TIMEOUT_MS=1000), retried and delivered', async () => {
  await sinkSet({ silent: 1 });
  const to = address('silent');
  const t0 = Date.now();
  const id = queue(to, '응답 없음', '기다립니다.');
  const r = await waitFor('a timed-out attempt', () => { const x = row(id); return x.attempts >= 1 && x; }, 10000);
  const ms = Date.now() - t0;
  assert.ok(ms >= 900, `the attempt gave up before the timeout (${ms} ms)`);
  if (r.state === 'pending') { // seen between the attempts
    assert.match(r.last_error, /time/i, `last_error: ${r.last_error}`);
    assert.ok(ms < 6000, `the attempt gave up long after the timeout (${ms} ms)`);
  } else { // a busy machine polled after the retry (1 s later) had already delivered it
    assert.equal(r.state, 'sent', JSON.stringify(r));
    assert.ok(r.attempts >= 2, `delivered at the first attempt: the sink was not silent (${JSON.stringify(r)})`);
  }
  await waitState(id, 'sent', 8000);
  assert.equal((await sinkMessages(to)).length, 1);
});

smtpTest('SIGTERM while jobs waits on a silent sink (LONUA_HTTP_TIMEOUT_MS=10000) exits within a second or two; the row is untouched and delivered later', async () => {
  await stopJobs(jobsA);
  jobsA = null;
  await sinkSet({ silent: true });
  const slow = await startJobs({ LONUA_HTTP_TIMEOUT_MS: '10000' });
  const to = address('term-smtp');
  const silent = async () => (await sinkLog()).filter((l) => /silent/.test(l.line)).length;
  const sessions = await silent();
  const id = queue(to, '종료', '종료 중');
  await waitFor('jobs to connect to the silent sink', async () => (await silent()) > sessions, 5000);
  await sleep(300);
  const ms = await stopJobs(slow, 30000);
  assert.ok(ms < 2500, `jobs took ${ms} ms to exit after SIGTERM while waiting on SMTP`);
  const r = row(id);
  assert.deepEqual([r.state, r.attempts, r.last_error], ['pending', 0, null], `the row is as it was: ${JSON.stringify(r)}`);
  await sinkSet({ silent: false });
  jobsA = await startJobs();
  await waitState(id, 'sent', 8000);
  assert.equal((await sinkMessages(to)).length, 1, 'delivered once');
});

smtpTest('two jobs processes never deliver a row twice, and one stuck on a row does not hold up the other (SKIP LOCKED)', async () => {
  await stopJobs(jobsA);
  jobsA = null;
  // a 10 s timeout: a process stuck on a silent connection stays stuck for the whole case
  const pair = [await startJobs({ LONUA_HTTP_TIMEOUT_MS: '10000' }), await startJobs({ LONUA_HTTP_TIMEOUT_MS: '10000' })];
  try {
    // 12 rows due at the same moment: both processes race for them
    const tos = Array.from({ length: 12 }, () => address('race'));
    const ids = tos.map((to) => queue(to, '동시', `race ${to}`, 1));
    for (const id of ids) await waitState(id, 'sent', 10000);
    for (const to of tos) assert.equal((await sinkMessages(to)).length, 1, `${to} delivered exactly once`);
    // the first connection hangs: the process that made it holds its row locked, and the other
    // one delivers the other five meanwhile instead of waiting for that lock
    await sinkSet({ silent: 1 });
    const tos2 = Array.from({ length: 6 }, () => address('skip'));
    const ids2 = tos2.map((to) => queue(to, '건너뛰기', `skip ${to}`, 1));
    const due = Date.now() + 1000;
    const sentNow = () => ids2.filter((id) => row(id).state === 'sent').length;
    await waitFor('five of six delivered while one connection hangs', () => sentNow() >= 5, 4500);
    assert.ok(Date.now() - due < 3500, `within 3.5 s of the rows falling due (${Date.now() - due} ms)`);
    assert.equal(sentNow(), 5, 'the sixth is still held by the stuck process');
    // stopping the stuck process leaves its row untouched; the next jobs delivers it
    for (const j of pair) await stopJobs(j, 5000);
    const left = ids2.filter((id) => row(id).state !== 'sent');
    assert.equal(left.length, 1);
    assert.deepEqual([row(left[0]).state, row(left[0]).attempts], ['pending', 0]);
    jobsA = await startJobs();
    await waitState(left[0], 'sent', 8000);
    for (const to of tos2) assert.equal((await sinkMessages(to)).length, 1, `${to} delivered exactly once`);
  } finally {
    for (const j of pair) if (j.child.exitCode === null && j.child.signalCode === null) await stopJobs(j, 15000).catch(() => {});
  }
});

smtpTest('housekeeping: lonua jobs removes expired Kakao login states when it starts, and keeps live ones', async () => {
  const hash = (what) => `UNHEX(SHA2(${lit(`${PREFIX}${RUN}-${what}`)}, 256))`;
  sql(`INSERT INTO oauth_states (state_hash, browser_hash, next_path, created_at, expires_at, used_at) VALUES
    (${hash('expired')}, ${hash('b1')}, '/mail-test', UTC_TIMESTAMP() - INTERVAL 2 HOUR, UTC_TIMESTAMP() - INTERVAL 1 HOUR, NULL),
    (${hash('used')}, ${hash('b2')}, '/mail-test', UTC_TIMESTAMP() - INTERVAL 2 HOUR, UTC_TIMESTAMP() - INTERVAL 1 SECOND, UTC_TIMESTAMP() - INTERVAL 1 HOUR),
    (${hash('live')}, ${hash('b3')}, '/mail-test', UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 10 MINUTE, NULL)`);
  const left = () => sql(`SELECT GROUP_CONCAT(next_path ORDER BY expires_at) FROM oauth_states
    WHERE state_hash IN (${hash('expired')}, ${hash('used')}, ${hash('live')})`).trim();
  try {
    await stopJobs(jobsA);
    jobsA = await startJobs();
    await waitFor('the expired states to go', () => left() === '/mail-test', 5000);
  } finally {
    sql(`DELETE FROM oauth_states WHERE state_hash IN (${hash('expired')}, ${hash('used')}, ${hash('live')})`);
  }
});

smtpTest('liveness: lonua jobs touches LONUA_JOBS_HEARTBEAT every round (the probe reads its age)', async () => {
  const beat = path.join(TMP, 'jobs.alive');
  const j = await startJobs({ LONUA_JOBS_HEARTBEAT: beat });
  try {
    await waitFor('the heartbeat file', () => fs.existsSync(beat), 5000, 20);
    const first = fs.statSync(beat).mtimeMs;
    await waitFor('the heartbeat to move on', () => fs.statSync(beat).mtimeMs > first, 3000, 20);
  } finally {
    await stopJobs(j);
  }
});

test('lonua outbox purge DAYS: sent and failed messages older than DAYS go, pending ones and newer ones stay', () => {
  const rows = [['old-sent', 'sent', 40], ['old-failed', 'failed', 40], ['old-pending', 'pending', 40], ['new-sent', 'sent', 5]];
  // Not due before tomorrow: the running lonua jobs must not deliver the pending one meanwhile.
  const ids = rows.map(([what, state, days]) => Number(sqlValue(`INSERT INTO outbox (kind, payload, state, sent_at, created_at, next_attempt_at)
    VALUES ('mail', JSON_OBJECT('to', ${lit(address(what))}, 'subject', 'purge', 'text', 'purge'), '${state}',
      ${state === 'sent' ? 'UTC_TIMESTAMP()' : 'NULL'}, UTC_TIMESTAMP() - INTERVAL ${days} DAY, UTC_TIMESTAMP() + INTERVAL 1 DAY);
    SELECT LAST_INSERT_ID();`)));
  const out = execFileSync(BIN, ['outbox', 'purge', '30'], { encoding: 'utf8' });
  assert.match(out, /^outbox: \d+ messages older than 30 days removed/);
  const left = sql(`SELECT id FROM outbox WHERE id IN (${ids.join(',')}) ORDER BY id`).trim().split('\n').map(Number);
  assert.deepEqual(left, [ids[2], ids[3]], 'only the pending and the recent rows remain');
  for (const bad of [['outbox', 'purge', '0'], ['outbox', 'purge', '3x'], ['outbox', 'clean']]) {
    assert.throws(() => execFileSync(BIN, bad, { stdio: 'pipe' }), (e) => e.status === 2, `lonua ${bad.join(' ')} is refused`);
  }
});

smtpTest('no secret in last_error or the job logs; no sanitizer report', async () => {
  const errors = sql(`SELECT COALESCE(last_error, '') FROM outbox WHERE JSON_VALUE(payload, '$.to') LIKE '${PREFIX}${RUN}-%'`);
  assert.ok(!errors.includes(SMTP_PASSWORD), 'the SMTP password is in last_error');
  for (const f of fs.readdirSync(TMP).filter((n) => n.endsWith('.log'))) {
    const text = fs.readFileSync(path.join(TMP, f), 'utf8');
    assert.ok(!text.includes(SMTP_PASSWORD), `${f} holds the SMTP password`);
    assert.ok(!/ERROR: AddressSanitizer|runtime error:|LeakSanitizer/.test(text), `${f}: ${shorten(text, 800)}`);
    assert.ok(!/verify\?token=|reset\?token=/.test(text), `${f} holds a link with a token`);
  }
});

// ---- back to the folder --------------------------------------------------------------------

test('the stack\'s folder lonua jobs runs again (as ci/lib.sh start_jobs starts it) and writes mails to the folder', async () => {
  try {
    if (jobsA) await stopJobs(jobsA, 10000);
  } finally {
    if (sink) await sink.stop();
    // exactly as start_jobs: LONUA_PID_FILE=$run/jobs.pid "$build/lonua" jobs >>"$run/jobs.log" 2>&1 &
    const pidFile = path.join(RUN_DIR, 'jobs.pid');
    fs.rmSync(pidFile, { force: true });
    const fd = fs.openSync(path.join(RUN_DIR, 'jobs.log'), 'a');
    const child = spawn(BIN, ['jobs'], { env: { ...process.env, LONUA_PID_FILE: pidFile }, stdio: ['ignore', fd, fd], detached: true });
    child.unref();
    fs.closeSync(fd);
    await waitFor('the folder jobs writes its pid file', () => fs.existsSync(pidFile), 10000, 50);
  }
  const to = address('folder-again');
  const id = queue(to, '다시 폴더로', '폴더에 씁니다.');
  await waitState(id, 'sent');
  const files = folderMails(to);
  assert.equal(files.length, 1, 'the mail is in the folder');
  assertWellFormed(files[0], { from: STACK_FROM, to, subject: '다시 폴더로', text: '폴더에 씁니다.', outboxId: id });
});

test('cleanup: this suite\'s accounts and outbox rows are removed', async () => {
  removeLeftovers();
  assert.equal(sqlValue(`SELECT COUNT(*) FROM outbox WHERE JSON_VALUE(payload, '$.to') LIKE '${PREFIX}%'`), '0');
});

await run();
