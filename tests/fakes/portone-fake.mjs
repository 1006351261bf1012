// A local HTTP server that fakes the Portone (iamport) V1 REST API for tests (integrations.md §1,
// §1.7). Every JSON answer is the envelope {"code":…,"message":…,"response":…} with
// Content-Type: application/json; charset=UTF-8 (success: HTTP 200, code 0, message null).
//   POST /users/getToken    JSON or form body {imp_key, imp_secret}; wrong/missing → 401
//                           {"code":-1,…,"response":null}; else {access_token (40 lowercase hex),
//                           now, expired_at = now + tokenTtl}. The live token is handed out
//                           again until it expires; asked for in its last minute, its expiry
//                           moves 5 minutes later; once expired a new token is issued.
//   Every other route needs the token as "Authorization: Bearer t", "Authorization: t" or
//   "X-ImpTokenHeader: t"; missing, unknown or expired → 401 {"code":-1,"message":"Unauthorized",…}.
//   GET  /payments/{imp_uid}                     the Payment (§1.3); unknown → 404 {"code":-1,
//                           "message":"존재하지 않는 결제정보입니다.","response":null}; a sandbox
//                           payment (test channel) is unknown unless ?include_sandbox=true
//   GET  /payments/find/{merchant_uid}[/{payment_status}]   the first of that order's payments
//                           (with that status) by ?sorting= (default -started; also started,
//                           ±paid, ±updated); none → the same 404; sandbox as above
//   POST /payments/cancel   JSON or form (§1.4): imp_uid first (an unknown one fails even with a
//                           good merchant_uid), else merchant_uid (its latest paid payment);
//                           amount absent/0 = the whole balance; checksum ≠ amount −
//                           cancel_amount, amount above the balance, nothing left, a payment
//                           not paid → HTTP 200 with code 1 and nothing changes; unknown or no
//                           id → 200 {"code":1,"message":"취소할 결제건이 존재하지 않습니다.",…};
//                           success → the Payment with cancel_amount raised, a cancel_history
//                           entry (new cancellation_id, cancelled_at), status cancelled when
//                           nothing is left (after a partial cancel: partialCancelStatus);
//                           enable_webhook=true also sends a "cancelled" webhook.
// Only the two texts quoted above are confirmed; the other messages are made up (key on code).
// Payments (the table tests edit; reset() empties it): addPayment({ imp_uid?, merchant_uid,
// amount, status, currency = KRW, pay_method = card, sandbox = false, notice_url, … }) fills
// the other §1.3 fields with invented values (timestamps in UNIX seconds, 0 when n/a; a missing
// imp_uid becomes imp_ + 12 digits); any field given wins. notice_url is the fake's own (where
// webhooks go), never in API answers. Tampering cases need no knob: add a payment whose amount,
// currency or merchant_uid differs from the shop's order, then send its webhook.
// Webhooks: webhook({ imp_uid, status?, merchant_uid?, cancellation_id?, url?, form? }) POSTs
// {imp_uid, merchant_uid, status} (+ cancellation_id for a cancel) to url, else the payment's
// notice_url, else the setting webhookUrl, as JSON or (form: true) form-encoded; it resolves
// { status, body } of the shop's last answer (status null + error when none), with every
// attempt. For an unknown imp_uid (a forged webhook) give merchant_uid and status.
// Settings: impKey, impSecret, tokenTtl (s, 1800), partialCancelStatus ('paid' | 'cancelled'),
// webhookUrl, webhookRetries (0–5 more attempts on 5xx or no answer), webhookTimeout (ms, 30000),
// webhookRetryDelay (ms, 0; Portone waits a minute), clockOffset (s added to the fake's clock:
// jump past a token's expiry without waiting).
// Failure knobs (values as in knobs.mjs: true = until reset, N = next N times, { times, … }); a
// `path` limits one to that path ("/payments/*": any path starting so), else any endpoint:
//   delay         { ms = 10000, path } answer late; the work is done at once (a cancel the
//                 client gave up on still happened)
//   fail          { status = 500, html = true, path, after } that status with an nginx HTML page
//                 (html: false: a JSON envelope with code -1)
//   malformed     { path, after } HTTP 200, a JSON type, the answer cut in half
//   reset         { path, after } the TCP connection is reset, no answer at all
//   expireTokens  { path } the next call with a live token gets 401 and that token is dead;
//                 getToken then issues a new one that works
// fail, malformed and reset leave the request undone unless `after: true` (done, answer lost).
// As a module: const pg = await start({ port: 0, impKey, impSecret, payments: [...] });
//   pg.url; pg.requests (every request but /__fake/*: method, path, query, headers, body
//   (parsed), raw, status, failure); pg.webhooks (each sent: url, type, body, status, attempts);
//   pg.set({ fail: 1, partialCancelStatus: 'cancelled' }); pg.config(); pg.addPayment(p);
//   pg.payment(imp_uid) (a copy, or null); pg.payments(); await pg.webhook({ imp_uid });
//   pg.expire(token?); pg.reset(); await pg.close();
// As a process (prints "listening <port>"):
//   node tests/fakes/portone-fake.mjs --port 0 --imp-key K --imp-secret S [--token-ttl SEC]
//        [--partial-cancel-status paid|cancelled] [--webhook-url URL] [--webhook-retries N]
//        [--exit-with-stdin]
// Control surface on the same port: GET|POST /__fake/config (JSON settings and knobs),
//   GET /__fake/log, POST /__fake/reset, POST /__fake/expire ({"access_token":…} or all),
//   POST /__fake/payments (a Payment: creates or replaces it, answers it), GET /__fake/payments,
//   GET /__fake/payments/{imp_uid}, POST /__fake/webhook (as webhook() above), GET /__fake/webhooks.
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Knobs } from './knobs.mjs';
import { serve, listen } from './proc.mjs';

const KNOBS = ['delay', 'fail', 'malformed', 'reset', 'expireTokens'];
const SETTINGS = ['impKey', 'impSecret', 'tokenTtl', 'partialCancelStatus', 'webhookUrl', 'webhookRetries', 'webhookTimeout', 'webhookRetryDelay', 'clockOffset'];
const STATUSES = ['ready', 'paid', 'cancelled', 'failed'];
const JSON_TYPE = 'application/json; charset=UTF-8';

const NOT_FOUND = '존재하지 않는 결제정보입니다.';
const NOTHING_TO_CANCEL = '취소할 결제건이 존재하지 않습니다.';

const envelope = (status, code, message, response = null) => ({ status, type: JSON_TYPE, body: JSON.stringify({ code, message, response }) });
const ok = (response) => envelope(200, 0, null, response);
const unauthorized = () => envelope(401, -1, 'Unauthorized');
const digits = (n) => Array.from(crypto.randomBytes(n), (b) => b % 10).join('');
const str = (v) => (v === undefined || v === null ? '' : String(v));

// The request body as an object: JSON or form-encoded (Portone takes both); null when it is neither.
function parseBody(req, raw) {
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  if (!text.trim()) return {};
  if (type === 'application/json') {
    try {
      const v = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
    } catch {
      return null;
    }
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  return null;
}

// A knob's `path`: exact, or a prefix when it ends with "*".
const pathMatches = (want, p) => !want || (want.endsWith('*') ? p.startsWith(want.slice(0, -1)) : want === p);

const page = (status) => {
  const title = `${status} ${http.STATUS_CODES[status] || 'Error'}`; // what the proxy in front says
  return { status, type: 'text/html', body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n` };
};

export async function start({ port = 0, host = '127.0.0.1', payments: seed = [], ...options } = {}) {
  const initial = {
    impKey: '1234567890123456',
    impSecret: 'lonua-portone-test-secret',
    tokenTtl: 1800,
    partialCancelStatus: 'paid',
    webhookUrl: null,
    webhookRetries: 0,
    webhookTimeout: 30000,
    webhookRetryDelay: 0,
    clockOffset: 0,
  };
  const knobs = new Knobs(KNOBS);
  const requests = [];
  const webhooks = [];
  const payments = new Map(); // imp_uid → Payment (with the fake's own notice_url)
  const tokens = new Map(); // access_token → { expiresAt } (UNIX s)
  const timers = new Set();
  const outgoing = new Set(); // webhook requests in flight
  let current = null; // the token getToken hands out while it lives
  let settings;

  const now = () => Math.floor(Date.now() / 1000) + settings.clockOffset;

  function set(values) {
    const next = { ...settings };
    const knobValues = {};
    for (const [k, v] of Object.entries(values || {})) {
      if (KNOBS.includes(k)) knobValues[k] = v;
      else if (!SETTINGS.includes(k)) throw new Error(`unknown setting or knob "${k}" (settings: ${SETTINGS.join(', ')}; knobs: ${KNOBS.join(', ')})`);
      else if ((k === 'impKey' || k === 'impSecret') && typeof v !== 'string') throw new Error(`${k} must be a string`);
      else if (k === 'partialCancelStatus' && v !== 'paid' && v !== 'cancelled') throw new Error('partialCancelStatus must be "paid" or "cancelled"');
      else if (k === 'webhookUrl' && v !== null && !/^https?:\/\//.test(String(v))) throw new Error(`webhookUrl must be an http(s) URL or null, got ${JSON.stringify(v)}`);
      else if (k === 'webhookRetries' && !(Number.isInteger(v) && v >= 0 && v <= 5)) throw new Error('webhookRetries must be 0 to 5');
      else if (k === 'clockOffset' && !Number.isInteger(v)) throw new Error('clockOffset must be a whole number of seconds');
      else if (['tokenTtl', 'webhookTimeout', 'webhookRetryDelay'].includes(k) && !(Number.isInteger(v) && v >= 0)) throw new Error(`${k} must be a whole number`);
      else next[k] = v;
    }
    knobs.set(knobValues);
    settings = next;
  }

  function reset() {
    settings = { ...initial };
    set(options);
    knobs.reset();
    requests.length = 0;
    webhooks.length = 0;
    payments.clear();
    tokens.clear();
    current = null;
    for (const p of seed) addPayment(p);
  }

  // ---- payments ------------------------------------------------------------------------------

  const cancellationId = () => crypto.randomBytes(8).toString('hex').toUpperCase();

  // A full Payment from what the test gives: the rest invented but consistent with status and
  // pay_method. Throws on a field the shop would choke on.
  function addPayment(given) {
    if (!given || typeof given !== 'object' || Array.isArray(given)) throw new Error('a payment is an object');
    const p = { ...given };
    if (p.imp_uid === undefined) {
      do p.imp_uid = `imp_${digits(12)}`; while (payments.has(p.imp_uid));
    }
    if (typeof p.imp_uid !== 'string' || !p.imp_uid || p.imp_uid.length > 32) throw new Error(`imp_uid must be a string of 1 to 32 characters, got ${JSON.stringify(p.imp_uid)}`);
    if (typeof p.merchant_uid !== 'string' || !p.merchant_uid || p.merchant_uid.length > 40) throw new Error(`merchant_uid must be a string of 1 to 40 characters, got ${JSON.stringify(p.merchant_uid)}`);
    if (typeof p.amount !== 'number' || !Number.isFinite(p.amount) || p.amount < 0) throw new Error(`amount must be a number ≥ 0, got ${JSON.stringify(p.amount)}`);
    if (!STATUSES.includes(p.status)) throw new Error(`status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(p.status)}`);
    if (p.sandbox !== undefined && typeof p.sandbox !== 'boolean') throw new Error('sandbox must be true or false');
    if (p.notice_url !== undefined && p.notice_url !== null && !/^https?:\/\//.test(String(p.notice_url))) throw new Error('notice_url must be an http(s) URL');

    const t = now();
    const method = p.pay_method ?? 'card';
    const paid = p.status === 'paid' || p.status === 'cancelled';
    const pgTid = p.pg_tid ?? `StdpayCARDINIpayTest${digits(14)}`;
    const full = {
      imp_uid: p.imp_uid,
      merchant_uid: p.merchant_uid,
      pay_method: method,
      channel: 'pc',
      pg_provider: method === 'kakaopay' ? 'kakaopay' : 'html5_inicis',
      emb_pg_provider: null,
      pg_tid: pgTid,
      pg_id: 'INIpayTest',
      escrow: false,
      apply_num: method === 'card' && paid ? digits(8) : '',
      bank_code: method === 'trans' ? '088' : null,
      bank_name: method === 'trans' ? '신한은행' : null,
      card_code: method === 'card' ? '361' : null,
      card_name: method === 'card' ? 'BC카드' : null,
      card_quota: 0,
      card_number: method === 'card' ? '910020******1234' : null,
      card_type: method === 'card' ? 0 : null,
      vbank_code: method === 'vbank' ? '004' : null,
      vbank_name: method === 'vbank' ? 'KB국민은행' : null,
      vbank_num: method === 'vbank' ? '27960204123456' : null,
      vbank_holder: method === 'vbank' ? '(주)로누아' : null,
      vbank_date: method === 'vbank' ? t + 3 * 86400 : 0,
      vbank_issued_at: method === 'vbank' ? t - 120 : 0,
      name: '린넨 셔츠 외 1건',
      amount: p.amount,
      cancel_amount: 0,
      currency: 'KRW',
      buyer_name: '홍길동',
      buyer_email: 'buyer@example.test',
      buyer_tel: '010-1234-5678',
      buyer_addr: '서울특별시 성동구 성수이로 1',
      buyer_postcode: '04780',
      custom_data: null,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      status: p.status,
      started_at: t - 120,
      paid_at: paid ? t - 60 : 0,
      failed_at: p.status === 'failed' ? t - 60 : 0,
      cancelled_at: 0,
      fail_reason: p.status === 'failed' ? '[결제포기] 사용자가 결제를 취소하셨습니다' : null,
      cancel_reason: null,
      receipt_url: paid ? `https://receipt.pg.example.test/${pgTid}` : null,
      cancel_history: [],
      cancel_receipt_urls: [],
      cash_receipt_issued: false,
      customer_uid: null,
      customer_uid_usage: null,
      promotion: null,
      sandbox: false,
      notice_url: null,
    };
    if (p.status === 'cancelled' && p.cancel_amount === undefined) { // already refunded in full
      const entry = { pg_tid: pgTid, amount: p.amount, cancelled_at: t - 30, reason: '구매자 요청', cancellation_id: cancellationId(), receipt_url: `https://receipt.pg.example.test/${pgTid}/cancel/1` };
      Object.assign(full, { cancel_amount: p.amount, cancelled_at: t - 30, cancel_reason: entry.reason, cancel_history: [entry], cancel_receipt_urls: [entry.receipt_url] });
    }
    const out = { ...full, ...p };
    if (typeof out.cancel_amount !== 'number' || out.cancel_amount < 0 || out.cancel_amount > out.amount) throw new Error(`cancel_amount must be a number from 0 to amount, got ${JSON.stringify(out.cancel_amount)}`);
    if (!Array.isArray(out.cancel_history)) throw new Error('cancel_history must be an array');
    payments.set(out.imp_uid, structuredClone(out));
    return structuredClone(out);
  }

  const payment = (impUid) => (payments.has(impUid) ? structuredClone(payments.get(impUid)) : null);
  const visible = (p, q) => p && (!p.sandbox || q.get('include_sandbox') === 'true');
  const publicView = ({ notice_url, ...rest }) => rest; // notice_url is the fake's own field


  // The payments of an order, first by ?sorting= (Portone's default: latest started first).
  function byMerchant(merchantUid, status, sorting) {
    const desc = sorting.startsWith('-');
    const key = { started: (p) => p.started_at, paid: (p) => p.paid_at, updated: (p) => Math.max(p.started_at, p.paid_at, p.failed_at, p.cancelled_at) }[sorting.replace(/^-/, '')];
    if (!key) return null;
    return [...payments.values()]
      .filter((p) => p.merchant_uid === merchantUid && (!status || p.status === status))
      .sort((a, b) => (desc ? key(b) - key(a) : key(a) - key(b)));
  }

  // ---- tokens --------------------------------------------------------------------------------

  function getToken(body) {
    if (body === null) return envelope(400, -1, 'imp_key, imp_secret 를 JSON 또는 form 으로 보내주세요.');
    if (str(body.imp_key) !== settings.impKey || str(body.imp_secret) !== settings.impSecret || !settings.impKey) {
      return envelope(401, -1, 'imp_key, imp_secret 인증에 실패하였습니다.');
    }
    const t = now();
    const live = current && tokens.get(current);
    if (live && live.expiresAt > t) {
      if (live.expiresAt - t <= 60) live.expiresAt += 300; // asked for in its last minute: 5 more
    } else {
      current = crypto.randomBytes(20).toString('hex');
      tokens.set(current, { expiresAt: t + settings.tokenTtl });
    }
    return ok({ access_token: current, now: t, expired_at: tokens.get(current).expiresAt });
  }

  // The live token record of the request (any of the three header forms), or null.
  function authorized(req) {
    const auth = String(req.headers.authorization || '').trim();
    const candidates = [auth.replace(/^Bearer\s+/i, ''), String(req.headers['x-imptokenheader'] || '').trim()];
    for (const c of candidates) {
      const rec = c && tokens.get(c);
      if (rec && rec.expiresAt > now()) return rec;
    }
    return null;
  }

  // Ends one token (or all); answers how many were alive.
  function expire(token) {
    let n = 0;
    for (const [t, rec] of tokens) {
      if (token !== undefined && t !== token) continue;
      if (rec.expiresAt > now()) n++;
      rec.expiresAt = 0;
    }
    return n;
  }

  // ---- cancel --------------------------------------------------------------------------------

  function cancel(body) {
    if (body === null) return envelope(400, -1, '요청 본문을 해석할 수 없습니다.');
    const impUid = str(body.imp_uid);
    const merchantUid = str(body.merchant_uid);
    let p = null;
    if (impUid) p = payments.get(impUid);
    else if (merchantUid) {
      const list = byMerchant(merchantUid, null, '-started');
      p = list.find((x) => x.amount - x.cancel_amount > 0 && x.status !== 'ready' && x.status !== 'failed') || list[0];
    }
    if (!p) return envelope(200, 1, NOTHING_TO_CANCEL);

    const refuse = (message) => envelope(200, 1, message);
    const balance = p.amount - p.cancel_amount;
    const blank = (v) => v === undefined || v === null || v === '';
    const requested = blank(body.amount) ? 0 : Number(body.amount);
    if (!Number.isFinite(requested) || requested < 0) return refuse(`취소 요청 금액이 올바르지 않습니다. (amount: ${body.amount})`);
    if (!blank(body.checksum) && Number(body.checksum) !== balance) {
      return refuse(`[checksum] 취소 가능 잔액이 일치하지 않습니다. (요청: ${body.checksum}, 취소 가능 잔액: ${balance})`);
    }
    if (balance <= 0) return refuse('이미 전액취소된 주문입니다.');
    if (p.status === 'ready' || p.status === 'failed') return refuse(`결제완료되지 않은 거래건은 취소할 수 없습니다. (status: ${p.status})`);
    const amount = requested === 0 ? balance : requested;
    if (amount > balance) return refuse(`취소 요청 금액(${amount})이 취소 가능 잔액(${balance})을 초과합니다.`);

    const t = now();
    const reason = str(body.reason);
    const entry = {
      pg_tid: p.pg_tid,
      amount,
      cancelled_at: t,
      reason,
      cancellation_id: cancellationId(),
      receipt_url: `https://receipt.pg.example.test/${p.pg_tid}/cancel/${p.cancel_history.length + 1}`,
    };
    p.cancel_amount += amount;
    p.cancel_history.push(entry);
    p.cancel_receipt_urls.push(entry.receipt_url);
    p.cancelled_at = t;
    p.cancel_reason = reason;
    if (p.cancel_amount >= p.amount || settings.partialCancelStatus === 'cancelled') p.status = 'cancelled';
    if (body.enable_webhook === true || body.enable_webhook === 'true') {
      webhook({ imp_uid: p.imp_uid, status: 'cancelled', cancellation_id: entry.cancellation_id }).catch(() => {}); // no URL: nothing to send
    }
    return ok(publicView(p));
  }

  // ---- webhooks ------------------------------------------------------------------------------

  const sleep = (ms) => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });

  // One POST; resolves { status, body } or { status: null, body: null, error } (no answer).
  function post(target, type, body, timeout) {
    return new Promise((resolve) => {
      const u = new URL(target);
      const req = (u.protocol === 'https:' ? https : http).request(u, {
        method: 'POST',
        agent: false, // one connection per delivery, nothing left open
        headers: { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) },
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => { outgoing.delete(req); resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }); });
        res.on('error', (err) => { outgoing.delete(req); resolve({ status: null, body: null, error: err.message }); });
      });
      outgoing.add(req);
      req.setTimeout(timeout, () => req.destroy(new Error('timeout')));
      req.on('error', (err) => { outgoing.delete(req); resolve({ status: null, body: null, error: err.message }); });
      req.end(body);
    });
  }

  async function webhook({ imp_uid: impUid, status, merchant_uid: merchantUid, cancellation_id: cancellationIdGiven, url, form = false } = {}) {
    if (typeof impUid !== 'string' || !impUid) throw new Error('webhook: imp_uid is required');
    const p = payments.get(impUid);
    if (!p && (merchantUid === undefined || status === undefined)) throw new Error(`webhook: no payment ${impUid}; a forged webhook needs merchant_uid and status`);
    const target = url ?? p?.notice_url ?? settings.webhookUrl;
    if (!target || !/^https?:\/\//.test(target)) throw new Error(`webhook: no URL to send to (url, the payment's notice_url or the setting webhookUrl), got ${JSON.stringify(target)}`);
    const fields = { imp_uid: impUid, merchant_uid: merchantUid ?? p.merchant_uid, status: status ?? p.status };
    const cid = cancellationIdGiven ?? (fields.status === 'cancelled' ? p?.cancel_history.at(-1)?.cancellation_id : undefined);
    if (cid) fields.cancellation_id = cid;
    const type = form ? 'application/x-www-form-urlencoded' : 'application/json';
    const body = form ? new URLSearchParams(fields).toString() : JSON.stringify(fields);
    const attempts = [];
    for (let i = 0; i <= settings.webhookRetries; i++) {
      if (i > 0 && settings.webhookRetryDelay) await sleep(settings.webhookRetryDelay);
      const a = await post(target, type, body, settings.webhookTimeout);
      attempts.push(a);
      if (a.status !== null && a.status < 500) break; // Portone retries only on 5xx or no answer
    }
    const last = attempts.at(-1);
    const record = { at: new Date().toISOString(), url: target, type, body: fields, status: last.status, response: last.body, ...(last.error ? { error: last.error } : {}), attempts };
    webhooks.push(record);
    return { status: last.status, body: last.body, ...(last.error ? { error: last.error } : {}), attempts, url: target, type, sent: fields };
  }

  // ---- routing -------------------------------------------------------------------------------

  function route(req, url, body, entry) {
    const p = url.pathname;
    const method = req.method;
    let allow = null;
    let m;
    if (p === '/users/getToken') allow = 'POST';
    else if (p === '/payments/cancel') allow = 'POST';
    else if ((m = /^\/payments\/find\/([^/]+)(?:\/([^/]+))?$/.exec(p)) || /^\/payments\/[^/]+$/.test(p)) allow = 'GET';
    if (!allow) return envelope(404, -1, `no such endpoint in the fake: ${p}`);
    if (method !== allow) return { ...envelope(405, -1, `${method} not allowed`), allow };
    if (p === '/users/getToken') return getToken(body);

    const rec = authorized(req);
    if (!rec) return unauthorized();
    const k = knobs.peek('expireTokens');
    if (k && pathMatches(k.path, p)) { // as though this token had just run out
      knobs.take('expireTokens');
      rec.expiresAt = 0;
      entry.failure = 'expireTokens';
      return unauthorized();
    }

    if (p === '/payments/cancel') return cancel(body);
    let decoded;
    try {
      decoded = (m ? [m[1], m[2]] : [p.slice('/payments/'.length)]).map((s) => (s === undefined ? s : decodeURIComponent(s)));
    } catch {
      return envelope(404, -1, NOT_FOUND);
    }
    if (m) {
      const [merchantUid, status] = decoded;
      if (status !== undefined && !STATUSES.includes(status)) return envelope(400, -1, `payment_status 는 ${STATUSES.join(', ')} 중 하나여야 합니다.`);
      const list = byMerchant(merchantUid, status, url.searchParams.get('sorting') || '-started');
      if (list === null) return envelope(400, -1, 'sorting 은 started, paid, updated (앞에 - 를 붙이면 내림차순) 중 하나여야 합니다.');
      const found = list.find((x) => visible(x, url.searchParams));
      return found ? ok(publicView(found)) : envelope(404, -1, NOT_FOUND);
    }
    const found = payments.get(decoded[0]);
    return visible(found, url.searchParams) ? ok(publicView(found)) : envelope(404, -1, NOT_FOUND);
  }

  async function control(req, url, raw) {
    const r = `${req.method} ${url.pathname}`;
    const json = (status, value) => ({ status, type: JSON_TYPE, body: JSON.stringify(value) });
    const state = () => ({ ...settings, knobs: knobs.state() });
    try {
      const input = () => (raw.length ? JSON.parse(raw.toString('utf8')) : {});
      if (r === 'GET /__fake/config') return json(200, state());
      if (r === 'POST /__fake/config') { set(input()); return json(200, state()); }
      if (r === 'GET /__fake/log') return json(200, requests);
      if (r === 'POST /__fake/reset') { reset(); return json(200, state()); }
      if (r === 'POST /__fake/expire') return json(200, { expired: expire(input().access_token) });
      if (r === 'POST /__fake/payments') return json(200, addPayment(input()));
      if (r === 'GET /__fake/payments') return json(200, [...payments.values()]);
      if (r === 'POST /__fake/webhook') return json(200, await webhook(input()));
      if (r === 'GET /__fake/webhooks') return json(200, webhooks);
      const m = /^GET \/__fake\/payments\/([^/]+)$/.exec(r);
      if (m) {
        const p = payment(decodeURIComponent(m[1]));
        return p ? json(200, p) : json(404, { error: `no payment ${decodeURIComponent(m[1])}` });
      }
      return json(404, { error: `no such control endpoint: ${r}` });
    } catch (err) {
      return json(400, { error: err.message });
    }
  }

  // The failure knob (fail, malformed, reset) that applies to this path, used once; or null.
  function failure(pathname) {
    for (const name of ['reset', 'fail', 'malformed']) {
      const k = knobs.peek(name);
      if (k && pathMatches(k.path, pathname)) return { name, ...knobs.take(name) };
    }
    return null;
  }

  function failed(f, out) {
    if (f.name === 'fail') {
      const status = f.status ?? 500;
      return f.html === false ? envelope(status, -1, http.STATUS_CODES[status] || 'Error') : page(status);
    }
    // malformed: the answer it would have been, cut in half (bytes: may split a character)
    const bytes = Buffer.from(out ? out.body : JSON.stringify({ code: 0, message: null, response: {} }));
    return { status: 200, type: JSON_TYPE, body: bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))) };
  }

  reset();

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url, 'http://portone-fake');
      const raw = Buffer.concat(chunks);
      let out;
      if (url.pathname.startsWith('/__fake/')) out = await control(req, url, raw);
      else {
        const body = req.method === 'POST' ? parseBody(req, raw) : {};
        const entry = {
          at: new Date().toISOString(),
          method: req.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          body: body ?? raw.toString('utf8'),
          raw: raw.toString('utf8'),
          status: null,
          failure: null,
        };
        requests.push(entry);
        const f = failure(url.pathname);
        if (f) entry.failure = f.name;
        out = !f || f.after ? route(req, url, body, entry) : null;
        if (f && f.name !== 'reset') out = failed(f, out);
        entry.status = f && f.name === 'reset' ? null : out.status;
        const d = knobs.peek('delay');
        if (d && pathMatches(d.path, url.pathname)) {
          knobs.take('delay');
          await sleep(d.ms ?? 10000);
        }
        if (f && f.name === 'reset') {
          // RST rather than FIN: the client sees "connection reset by peer"
          if (req.socket.resetAndDestroy) req.socket.resetAndDestroy();
          else req.socket.destroy();
          return;
        }
      }
      if (res.destroyed) return;
      const headers = { 'Content-Type': out.type, 'Content-Length': Buffer.byteLength(out.body), 'Cache-Control': 'no-store' };
      if (out.allow) headers.Allow = out.allow;
      res.writeHead(out.status, headers);
      res.end(out.body);
    });
  });
  await listen(server, port, host);
  const bound = server.address().port;

  return {
    host,
    port: bound,
    url: `http://${host}:${bound}`,
    requests,
    webhooks,
    set,
    config: () => structuredClone({ ...settings, knobs: knobs.state() }),
    addPayment,
    payment,
    payments: () => structuredClone([...payments.values()]),
    webhook,
    expire,
    reset,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const req of outgoing) req.destroy();
      outgoing.clear();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  serve(start, {
    'imp-key': { type: 'string' },
    'imp-secret': { type: 'string' },
    'token-ttl': { type: 'string' },
    'partial-cancel-status': { type: 'string' },
    'webhook-url': { type: 'string' },
    'webhook-retries': { type: 'string' },
  }, (v, int) => {
    const o = {};
    if (v['imp-key'] !== undefined) o.impKey = v['imp-key'];
    if (v['imp-secret'] !== undefined) o.impSecret = v['imp-secret'];
    if (v['token-ttl'] !== undefined) o.tokenTtl = int('token-ttl');
    if (v['partial-cancel-status'] !== undefined) o.partialCancelStatus = v['partial-cancel-status'];
    if (v['webhook-url'] !== undefined) o.webhookUrl = v['webhook-url'];
    if (v['webhook-retries'] !== undefined) o.webhookRetries = int('webhook-retries');
    return o;
  });
}
