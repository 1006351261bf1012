// Payments through the Portone V1 gateway (SPEC §6 "Payment", "Cancel, confirm, return", "Grades",
// "Mail and notifications"; integrations.md §1) through the real stack (nginx → lonua workers →
// MariaDB) and the Portone fake (tests/fakes/portone-fake.mjs), driven over its control endpoints:
// the API journey of a card order (checkout, the payment made at the fake, POST
// /api/v1/payments/portone/complete) with its audit in payment_events and no secret anywhere;
// payments that must not be kept (wrong amount, currency, another order's payment, a second payment)
// cancelled at the gateway with a checksum; the webhook and the browser arriving together (one paid
// transition); webhooks in form encoding, forged, unknown and repeated; a payment after the order
// expired or was cancelled; a gateway that fails, hangs, answers garbage or kills the token; refunds
// through the gateway on cancel and on an approved return (money rule 7), one that timed out, one
// left pending and made by `lonua refunds retry`; the payment pages; and the jobs (`lonua orders
// expire`, `lonua orders confirm`, `lonua grades recompute`, `lonua products recount`).
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_RUN_DIR=/path/to/run LONUA_LOG=/path/to/run/lonua.log LONUA_BIN=build/lonua \
//   LONUA_PORTONE_API_URL=http://127.0.0.1:PORT node tests/integration/payments.test.mjs
//
// with the environment of the stack (ci/test's start_stack: LONUA_DB_*, LONUA_DATA_DIR and the
// LONUA_PORTONE_* of start_portone), which the `lonua` commands run here need. The fake is shared
// with the stack: its knobs are turned off after every case that turns one on, and it is never
// reset. Every name carries this run's suffix (client.mjs RUN), imp_uids included; the last test
// removes what the run made: shop.mjs cleanup() plus the payment_events rows that name no order,
// and the grade assignments `lonua grades recompute` gave to shoppers not of this run (their
// grades put back).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, assert } from '../lib/tap.mjs';
import { BASE, describe, assertStatus, assertProblem, postJson, postForm, sleep } from './http.mjs';
import {
  SOCKET, RUN_DIR, RUN, bailUnlessSet, sql, rows, one, val, num, lit, idList, mailsTo, throttleKeys, Client, csrfOf,
  assertRedirect, esc, t, formMessage, apiLogin,
} from './client.mjs';
import { made, makeBrand, makeProduct, makeShopper, makeCoupon, loginApi, loginPage, cleanup, newEmail } from './shop.mjs';

const PG = (process.env.LONUA_PORTONE_API_URL || '').replace(/\/+$/, '');
const BIN = process.env.LONUA_BIN;
const LOG = process.env.LONUA_LOG;
bailUnlessSet([
  ['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"],
  ['LONUA_RUN_DIR', RUN_DIR, 'the run folder; mail arrives in its mail/'],
  ['LONUA_BIN', BIN, 'the lonua binary, for the order, grade, popularity and refund jobs'],
  ['LONUA_PORTONE_API_URL', PG, 'the Portone fake the stack talks to (ci/test start_portone)'],
]);

const WEBHOOK = `${BASE}/api/v1/payments/portone/webhook`;
// ci/test gives outbound calls 2 s (LONUA_HTTP_TIMEOUT_MS); a delay past it is a timeout.
const TIMEOUT_MS = Number(process.env.LONUA_HTTP_TIMEOUT_MS || 2000);
const LATE_MS = TIMEOUT_MS + 1500;

// ---- the Portone fake ------------------------------------------------------------------------------

async function fake(method, p, body) {
  const res = await fetch(PG + p, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `the fake's ${method} ${p} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

let impSerial = 0;
// An imp_uid of this run (imp_ + the run's suffix): cleanup finds its audit rows by it.
const newImp = () => `imp_${RUN}_${(++impSerial).toString(36)}`;
const KNOBS_OFF = { delay: false, fail: false, malformed: false, reset: false, expireTokens: false };

const pg = {
  // A payment at the fake (paid, KRW, card unless given); the fake answers it in full.
  add: (p) => fake('POST', '/__fake/payments', { imp_uid: newImp(), status: 'paid', ...p }),
  get: (imp) => fake('GET', `/__fake/payments/${encodeURIComponent(imp)}`),
  log: () => fake('GET', '/__fake/log'),
  config: () => fake('GET', '/__fake/config'),
  set: (v) => fake('POST', '/__fake/config', v),
  expire: () => fake('POST', '/__fake/expire', {}),
  // The fake POSTs the webhook to the shop and answers what the shop said: { status, body, … }.
  webhook: (o) => fake('POST', '/__fake/webhook', { url: WEBHOOK, ...o }),
  off: () => fake('POST', '/__fake/config', KNOBS_OFF),
};
// The fake's requests from index `from` on (pg.log() before the step: its length).
const since = async (from) => (await pg.log()).slice(from);
const mark = async () => (await pg.log()).length;
const lookups = (log, imp) => log.filter((e) => e.method === 'GET' && e.path === `/payments/${imp}`);
// The cancels of imp the fake took up (a 401 for a dead token is refused before anything is done).
const cancels = (log, imp) => log.filter((e) => e.method === 'POST' && e.path === '/payments/cancel'
  && e.body?.imp_uid === imp && e.status !== 401);
// The verdict of a webhook the fake delivered (the shop's JSON answer).
function verdictOf(w) {
  assert.equal(w.status, 200, `the webhook was answered ${w.status}: ${w.body ?? w.error}`);
  return JSON.parse(w.body).verdict;
}
// Runs fn with the knobs of `knobs` on, and turns every knob off afterwards whatever happens.
async function withKnobs(knobs, fn) {
  await pg.set(knobs);
  try {
    return await fn();
  } finally {
    await pg.off();
  }
}

// ---- orders and payments ------------------------------------------------------------------------------

// POST /api/v1/orders with an Idempotency-Key: items [[variant, quantity, coupon?]…], the profile's
// address. The order as the API answers it (201).
async function placeOrder(api, items, { method = 'card', mileage, key = `pay-${RUN}-${Math.random().toString(36).slice(2)}` } = {}) {
  const body = {
    items: items.map(([v, q, c]) => ({ variant_id: v.id ?? v, quantity: q, ...(c ? { coupon_id: c.id ?? c } : {}) })),
    payment_method: method,
  };
  if (mileage !== undefined) body.mileage = mileage;
  const res = await api.api('POST', '/api/v1/orders', body, { headers: { 'Idempotency-Key': key } });
  assertStatus(res, 201);
  made.orders.add(res.json.id);
  return res.json;
}
const complete = (api, imp, merchantUid) => api.api('POST', '/api/v1/payments/portone/complete',
  { imp_uid: imp, merchant_uid: merchantUid });
// A payment of the order's total at the fake, completed by the browser: the order, paid.
async function pay(api, order, over = {}) {
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total, ...over });
  const res = await complete(api, p.imp_uid, order.merchant_uid);
  assertStatus(res, 200);
  assert.equal(res.json.payment_state, 'paid', describe(res));
  return { imp: p.imp_uid, order: res.json };
}

// The order's row as root.
function orderRow(id) {
  const r = one(`SELECT payment_state, paid_at IS NOT NULL, COALESCE(imp_uid, ''), refunded_amount, total_amount,
    cancelled_at IS NOT NULL FROM orders WHERE id = ${id}`);
  assert.ok(r, `no order ${id}`);
  return { state: r[0], paid: r[1] === '1', imp: r[2] || null, refunded: Number(r[3]), total: Number(r[4]), cancelled: r[5] === '1' };
}
const stockOf = (v) => num(`SELECT stock FROM product_variants WHERE id = ${v.id ?? v}`);
const unitsOf = (p) => num(`SELECT units_sold_30d FROM products WHERE id = ${p.id ?? p}`);
const bodyCounts = (p) => (one(`SELECT upper1_units, upper2_units, upper3_units, lower1_units, lower2_units, lower3_units
  FROM product_body_type_counts WHERE product_id = ${p.id ?? p}`) || [0, 0, 0, 0, 0, 0]).map(Number);
const balanceOf = (u) => num(`SELECT mileage_balance FROM users WHERE id = ${u.id ?? u}`);
const couponState = (c) => val(`SELECT state FROM coupons WHERE id = ${c.id ?? c}`);
const outboxKey = (key) => num(`SELECT COUNT(*) FROM outbox WHERE dedupe_key = ${lit(key)}`);
// payment_events rows of an order or an imp_uid, oldest first: { kind, status, http, imp, merchant, amount, request, response, error }.
function events(where) {
  return rows(`SELECT id, kind, status, COALESCE(http_status, 0), COALESCE(imp_uid, ''), COALESCE(merchant_uid, ''),
      COALESCE(amount, -1), COALESCE(HEX(request_json), ''), COALESCE(HEX(response_json), ''), COALESCE(HEX(error), ''),
      COALESCE(order_id, 0)
    FROM payment_events WHERE ${where} ORDER BY id`).map((r) => {
    const hex = (h) => (h ? Buffer.from(h, 'hex').toString('utf8') : null);
    return { id: Number(r[0]), kind: r[1], status: r[2], http: Number(r[3]), imp: r[4] || null, merchant: r[5] || null,
      amount: Number(r[6]), request: hex(r[7]), response: hex(r[8]), error: hex(r[9]), order: Number(r[10]) };
  });
}
const verdictsOf = (orderId) => events(`order_id = ${orderId} AND kind IN ('webhook', 'browser_return')`)
  .map((e) => JSON.parse(e.response).verdict);

// Runs `lonua ARGS…` with the stack's environment; its stdout (exit 0 asserted). Every output is kept
// for the secret check at the end.
const cliOutputs = [];
function lonua(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: process.env, timeout: 60000 });
  cliOutputs.push(`${r.stdout}\n${r.stderr}`);
  assert.equal(r.status, 0, `lonua ${args.join(' ')} exited ${r.status}: ${r.stdout} ${r.stderr}`);
  return r.stdout;
}
function countOf(out, re) {
  const m = out.match(re);
  assert.ok(m, `unexpected output: ${out}`);
  return Number(m[1]);
}

// A seller of brand through POST /api/v1/sellers (at the shop's test domain; cleanup() removes the
// brand's sellers), logged in through the API: a client with a bearer token.
async function sellerOf(brand) {
  const c = new Client();
  throttleKeys('brand-key', String(brand.id), c.ip);
  const email = newEmail('seller');
  const res = await c.api('POST', '/api/v1/sellers', { brand_id: brand.id, brand_key: brand.key, email,
    password: 'Seller-Pay-1234!', name: '결제 판매자', agree_terms: true });
  assertStatus(res, 201);
  return apiLogin({ email, password: 'Seller-Pay-1234!' }, { seller: true });
}
// The seller moves a line to delivered (prepare, ship with a tracking number, deliver).
async function deliver(seller, lineId) {
  assertStatus(await seller.api('POST', `/api/v1/seller/order-lines/${lineId}/prepare`, {}), 200);
  assertStatus(await seller.api('POST', `/api/v1/seller/order-lines/${lineId}/ship`,
    { courier: 'CJ대한통운', tracking_number: `${Date.now()}` }), 200);
  const res = await seller.api('POST', `/api/v1/seller/order-lines/${lineId}/deliver`, {});
  assertStatus(res, 200);
  assert.equal(res.json.state, 'delivered');
}

// ---- this run's bookkeeping ------------------------------------------------------------------------------

// The payment_events id before this run: rows after it that name no order are this run's.
const eventsBefore = num('SELECT COALESCE(MAX(id), 0) FROM payment_events');
// a run that stopped half-way may have left the fake with another secret: the stack's own first
if (process.env.LONUA_PORTONE_IMP_SECRET) await pg.set({ impSecret: process.env.LONUA_PORTONE_IMP_SECRET });
const original = await pg.config();
const IMP_SECRET = process.env.LONUA_PORTONE_IMP_SECRET || original.impSecret;
assert.ok(IMP_SECRET, 'no imp_secret known (LONUA_PORTONE_IMP_SECRET or the fake\'s config)');
await pg.off();

// ---- 1. the API journey of a card order ----------------------------------------------------------------------

let brand, tee, jeans;

test('fixtures: a brand (fee 3000, free from 50000, return cost 6000) and two products made as root', () => {
  brand = makeBrand({ fee: 3000, freeThreshold: 50000, returnCost: 6000 });
  tee = makeProduct(brand, { price: 19000, listPrice: 25000, variants: [{ size: 'M', stock: 200 }] });
  jeans = makeProduct(brand, { price: 45000, variants: [{ size: '30', stock: 200 }] });
  assert.equal(stockOf(tee.variants[0]), 200);
});

test('card order by API: awaiting_payment; a paid payment of its total at the fake, completed → 200 paid; audited as get_token, get_payment and browser_return; units and mail once', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const key = `pay-${RUN}-journey`;
  const order = await placeOrder(api, [[tee.variants[0], 1]], { key });
  assert.equal(order.payment_state, 'awaiting_payment');
  assert.equal(order.payment_method, 'card');
  assert.match(order.merchant_uid, /^LN\d{8}-[0-9a-f]{12}$/);
  assert.equal(order.amounts.total, 19000 + 3000, 'items 19000 below the threshold: the fee is due');
  assert.equal(order.paid_at, null);
  assert.equal(order.bank_transfer, null, 'a card order shows bank transfer details');
  const dueIn = (Date.parse(order.payment_due_at) - Date.now()) / 60000;
  assert.ok(dueIn > 25 && dueIn <= 31, `a card order is due in ${dueIn} minutes, expected 30`);
  // the same key and body: the same order, not a second one
  const again = await api.api('POST', '/api/v1/orders', { items: [{ variant_id: tee.variants[0].id, quantity: 1 }],
    payment_method: 'card' }, { headers: { 'Idempotency-Key': key } });
  assertStatus(again, 201);
  assert.equal(again.json.id, order.id);
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${s.id}`), 1);
  assert.equal(stockOf(tee.variants[0]), 199);

  // every worker's token dies at the fake: this completion must fetch a new one
  await pg.expire();
  const from = await mark();
  const lastEvent = num('SELECT COALESCE(MAX(id), 0) FROM payment_events');
  const units = unitsOf(tee);
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: 22000 });
  assert.equal(p.status, 'paid');
  const res = await complete(api, p.imp_uid, order.merchant_uid);
  assertStatus(res, 200);
  assert.equal(res.json.id, order.id);
  assert.equal(res.json.payment_state, 'paid');
  assert.ok(res.json.paid_at, 'no paid_at in the answer');
  assert.deepEqual(orderRow(order.id), { state: 'paid', paid: true, imp: p.imp_uid, refunded: 0, total: 22000, cancelled: false });
  assertStatus(await api.get(`/api/v1/orders/${order.id}`), 200);
  assert.equal((await api.get(`/api/v1/orders/${order.id}`)).json.payment_state, 'paid');

  // the fake saw a token request and the lookup with a token, and no cancel
  const log = await since(from);
  const tokenCalls = log.filter((e) => e.path === '/users/getToken');
  assert.ok(tokenCalls.length >= 1, 'the shop did not fetch a new token after the tokens died');
  assert.equal(tokenCalls.at(-1).status, 200);
  assert.equal(tokenCalls.at(-1).body.imp_key, process.env.LONUA_PORTONE_IMP_KEY ?? original.impKey);
  const looked = lookups(log, p.imp_uid);
  assert.equal(looked.at(-1).status, 200);
  assert.match(String(looked.at(-1).headers.authorization), /^Bearer [0-9a-f]{40}$/, 'the lookup carries no bearer token');
  assert.equal(cancels(log, p.imp_uid).length, 0, 'a good payment was cancelled');
  assert.equal((await pg.get(p.imp_uid)).cancel_amount, 0);

  // the audit: get_token (redacted), get_payment (the payment as the fake answered), browser_return (verdict)
  const ev = events(`id > ${lastEvent} AND (order_id = ${order.id} OR imp_uid = ${lit(p.imp_uid)} OR kind = 'get_token')`);
  const tok = ev.filter((e) => e.kind === 'get_token' && e.status === 'ok');
  assert.ok(tok.length >= 1, `no get_token event: ${JSON.stringify(ev)}`);
  assert.deepEqual(JSON.parse(tok.at(-1).request), { imp_key: '(set)', imp_secret: '(redacted)' });
  assert.equal(tok.at(-1).http, 200);
  assert.equal(tok.at(-1).response, null, 'the token answer (the access token) was stored');
  const got = ev.filter((e) => e.kind === 'get_payment' && e.status === 'ok');
  assert.equal(got.length, 1, `get_payment events: ${JSON.stringify(ev)}`);
  assert.deepEqual([got[0].imp, got[0].merchant, got[0].amount, got[0].http], [p.imp_uid, order.merchant_uid, 22000, 200]);
  assert.equal(JSON.parse(got[0].response).response.status, 'paid');
  // what is checked, not the buyer's personal data the gateway also answers
  assert.deepEqual(Object.keys(JSON.parse(got[0].response).response).sort(),
    ['amount', 'cancel_amount', 'cancel_history', 'currency', 'imp_uid', 'merchant_uid', 'status']);
  const ret = ev.filter((e) => e.kind === 'browser_return');
  assert.equal(ret.length, 1);
  assert.deepEqual([ret[0].order, ret[0].imp, ret[0].merchant, ret[0].status], [order.id, p.imp_uid, order.merchant_uid, 'ok']);
  assert.deepEqual(JSON.parse(ret[0].response), { verdict: 'paid' });
  assert.ok(!ev.some((e) => e.kind === 'cancel_payment'), 'a cancel was audited for a good payment');
  // the secret and the tokens: nowhere in the audit nor in the server's log
  const tokens = tokensSeen(await pg.log());
  assert.ok(tokens.size >= 1);
  assertNoSecrets(tokens);

  // paid once: popularity raised by the quantity, the paid mail queued and sent once
  assert.equal(unitsOf(tee), units + 1);
  assert.equal(outboxKey(`order-paid:${order.id}:0`), 1);
  await waitSent(`order-paid:${order.id}:0`);
  assert.equal(mailsOf(s.email, PAID_SUBJECTS, order).length, 1);
  // completing again: 200, already paid, nothing more
  const twice = await complete(api, p.imp_uid, order.merchant_uid);
  assertStatus(twice, 200);
  assert.equal(twice.json.payment_state, 'paid');
  assert.deepEqual(verdictsOf(order.id), ['paid', 'already_paid']);
  assert.equal(unitsOf(tee), units + 1);
});

// Access tokens the shop used at the fake (its requests' Authorization headers).
function tokensSeen(log) {
  const set = new Set();
  for (const e of log) {
    const a = String(e.headers?.authorization || e.headers?.['x-imptokenheader'] || '').replace(/^Bearer\s+/i, '').trim();
    if (/^[0-9a-f]{20,}$/.test(a)) set.add(a);
  }
  return set;
}
// Neither the imp_secret nor any token is in payment_events (any column), the server's or the jobs'
// log, or what the lonua commands printed.
function assertNoSecrets(tokens) {
  for (const secret of [IMP_SECRET, ...tokens]) {
    const n = num(`SELECT COUNT(*) FROM payment_events WHERE LOCATE(${lit(secret)}, CONCAT_WS('|', request_json,
      response_json, error, imp_uid, merchant_uid)) > 0`);
    assert.equal(n, 0, `a secret or access token (${secret.slice(0, 6)}…) is in ${n} payment_events rows`);
    for (const f of [LOG, path.join(RUN_DIR, 'jobs.log')]) {
      if (f && fs.existsSync(f)) assert.ok(!fs.readFileSync(f, 'utf8').includes(secret), `a secret or token (${secret.slice(0, 6)}…) is in ${f}`);
    }
    assert.ok(!cliOutputs.some((o) => o.includes(secret)), 'a lonua command printed a secret or token');
  }
}

const PAID_SUBJECTS = ['[LONUA] Payment received', '[LONUA] 결제가 확인되었습니다'];
const CANCELLED_SUBJECTS = ['[LONUA] Your order is cancelled', '[LONUA] 주문이 취소되었습니다'];
// The mails of a kind (its subjects in English and Korean, then the order's merchant_uid) to email.
const mailsOf = (email, subjects, order) => mailsTo(email)
  .filter((m) => subjects.some((subject) => m.subject === `${subject} ${order.merchant_uid}`));
// Waits until `lonua jobs` has sent the outbox row of dedupe_key.
async function waitSent(key, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    const state = val(`SELECT state FROM outbox WHERE dedupe_key = ${lit(key)}`);
    if (state === 'sent') return;
    if (Date.now() > until) assert.fail(`outbox ${key} is ${state} after ${timeout} ms`);
    await sleep(100);
  }
}

// ---- 2. payments that must not be kept --------------------------------------------------------------------------

test('wrong amount: 422 PAYMENT_MISMATCH, the whole payment cancelled at the fake with a checksum, the order still awaiting; a right payment afterwards pays it', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[jeans.variants[0], 1]]);
  assert.equal(order.amounts.total, 45000 + 3000);
  const from = await mark();
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: 47000 });
  const res = await complete(api, p.imp_uid, order.merchant_uid);
  const prob = assertProblem(res, 422, 'PAYMENT_MISMATCH');
  assert.ok(prob.detail.length > 0);
  const after = await pg.get(p.imp_uid);
  assert.deepEqual([after.status, after.cancel_amount, after.cancel_history.length], ['cancelled', 47000, 1]);
  const c = cancels(await since(from), p.imp_uid);
  assert.equal(c.length, 1, 'not exactly one cancel request');
  assert.equal(Number(c[0].body.checksum), 47000, `the cancel sent checksum ${c[0].body.checksum}, expected the balance 47000`);
  assert.ok(!c[0].body.amount, `a whole cancel sent amount ${c[0].body.amount}`);
  assert.equal(c[0].status, 200);
  assert.deepEqual(orderRow(order.id), { state: 'awaiting_payment', paid: false, imp: null, refunded: 0, total: 48000, cancelled: false });
  const ev = events(`imp_uid = ${lit(p.imp_uid)} AND kind = 'cancel_payment'`);
  assert.deepEqual(ev.map((e) => [e.status, e.http, e.order]), [['ok', 200, order.id]]);
  assert.equal(JSON.parse(ev[0].request).checksum, 47000);
  assert.deepEqual(verdictsOf(order.id), ['mismatch']);
  assert.equal(outboxKey(`order-paid:${order.id}:0`), 0);
  // the shopper pays again, right this time
  const good = await pay(api, order);
  assert.deepEqual(orderRow(order.id), { state: 'paid', paid: true, imp: good.imp, refunded: 0, total: 48000, cancelled: false });
});

test('wrong currency (USD, the right number): 422 PAYMENT_MISMATCH, cancelled at the fake, the order still awaiting', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 2]]);
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total, currency: 'USD' });
  assertProblem(await complete(api, p.imp_uid, order.merchant_uid), 422, 'PAYMENT_MISMATCH');
  const after = await pg.get(p.imp_uid);
  assert.deepEqual([after.status, after.cancel_amount], ['cancelled', order.amounts.total]);
  assert.equal(orderRow(order.id).state, 'awaiting_payment');
  assert.equal(orderRow(order.id).paid, false);
});

test('a payment of another order of the same shopper: that order is settled on its own merits (paid, payment kept); this one is not paid (422)', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const a = await placeOrder(api, [[tee.variants[0], 1]]);
  const b = await placeOrder(api, [[jeans.variants[0], 1]]);
  assert.notEqual(a.amounts.total, b.amounts.total);
  const from = await mark();
  const x = await pg.add({ merchant_uid: b.merchant_uid, amount: b.amounts.total });
  const res = await complete(api, x.imp_uid, a.merchant_uid);
  assertProblem(res, 422, 'PAYMENT_MISMATCH');
  assert.deepEqual(orderRow(a.id), { state: 'awaiting_payment', paid: false, imp: null, refunded: 0, total: a.amounts.total, cancelled: false });
  assert.deepEqual(orderRow(b.id), { state: 'paid', paid: true, imp: x.imp_uid, refunded: 0, total: b.amounts.total, cancelled: false });
  assert.equal(cancels(await since(from), x.imp_uid).length, 0, 'the payment of order B was cancelled although B keeps it');
  assert.deepEqual([(await pg.get(x.imp_uid)).status, (await pg.get(x.imp_uid)).cancel_amount], ['paid', 0]);
  // the same payment for order A again: B is already paid with it, A still is not
  const again = await complete(api, x.imp_uid, a.merchant_uid);
  assertStatus(again, 422);
  assert.equal(orderRow(a.id).state, 'awaiting_payment');
  assert.equal((await pg.get(x.imp_uid)).cancel_amount, 0);
});

test('another shopper\'s order: complete is 404 and the gateway is not even asked; an unknown merchant_uid is 404', async () => {
  const owner = await makeShopper();
  const other = await loginApi(await makeShopper());
  const order = await placeOrder(await loginApi(owner), [[tee.variants[0], 1]]);
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total });
  const from = await mark();
  assertProblem(await complete(other, p.imp_uid, order.merchant_uid), 404, 'NOT_FOUND');
  assertProblem(await complete(other, p.imp_uid, `LN20990101-${RUN}0000`), 404, 'NOT_FOUND');
  assert.equal(lookups(await since(from), p.imp_uid).length, 0, 'a stranger\'s call made the shop look the payment up');
  assert.equal(orderRow(order.id).state, 'awaiting_payment');
  // a guest: 401
  assertStatus(await new Client().api('POST', '/api/v1/payments/portone/complete', { imp_uid: p.imp_uid, merchant_uid: order.merchant_uid }), 401);
});

test('a second payment for a paid order (by webhook): verdict mismatch, that payment cancelled in full; the order keeps the first', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 1]]);
  const first = await pay(api, order);
  const from = await mark();
  const second = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total });
  assert.equal(verdictOf(await pg.webhook({ imp_uid: second.imp_uid })), 'mismatch');
  const after = await pg.get(second.imp_uid);
  assert.deepEqual([after.status, after.cancel_amount], ['cancelled', order.amounts.total]);
  const c = cancels(await since(from), second.imp_uid);
  assert.equal(c.length, 1);
  assert.equal(Number(c[0].body.checksum), order.amounts.total);
  assert.deepEqual([(await pg.get(first.imp)).status, (await pg.get(first.imp)).cancel_amount], ['paid', 0]);
  assert.deepEqual(orderRow(order.id), { state: 'paid', paid: true, imp: first.imp, refunded: 0, total: order.amounts.total, cancelled: false });
});

// ---- 3. the webhook and the browser together ------------------------------------------------------------

test('webhook and browser at the same moment (4 of each, their lookups released together): one paid transition (paid once, units once, one paid mail), the others already_paid', async () => {
  const b = makeBrand({ fee: 0, freeThreshold: 0 });
  const p = makeProduct(b, { price: 12000, variants: [{ size: 'M', stock: 20 }] });
  const s = await makeShopper(); // upper body type 2, lower 1 (shop.mjs sign-up body)
  const api = await loginApi(s);
  const order = await placeOrder(api, [[p.variants[0], 3]]);
  assert.equal(order.amounts.total, 36000);
  assert.deepEqual([unitsOf(p), ...bodyCounts(p)], [0, 0, 0, 0, 0, 0, 0]);
  const pay1 = await pg.add({ merchant_uid: order.merchant_uid, amount: 36000 });
  // every lookup is held back 500 ms at the fake, so the eight arrivals reach the order together
  const out = await withKnobs({ delay: { ms: 500, path: `/payments/${pay1.imp_uid}` } }, () => {
    const calls = [];
    for (let i = 0; i < 4; i++) {
      calls.push(pg.webhook({ imp_uid: pay1.imp_uid }).then((w) => ['webhook', verdictOf(w)]));
      calls.push(complete(api, pay1.imp_uid, order.merchant_uid).then((res) => {
        assertStatus(res, 200);
        assert.equal(res.json.payment_state, 'paid');
        return ['browser', 'ok'];
      }));
    }
    return Promise.all(calls);
  });
  const hooks = out.filter(([k]) => k === 'webhook').map(([, v]) => v);
  assert.ok(hooks.every((v) => v === 'paid' || v === 'already_paid'), `webhook verdicts: ${hooks}`);
  const verdicts = verdictsOf(order.id);
  assert.equal(verdicts.length, 8, `audited arrivals: ${verdicts}`);
  assert.deepEqual(verdicts.filter((v) => v === 'paid').length, 1, `not exactly one paid verdict: ${verdicts}`);
  assert.deepEqual(verdicts.filter((v) => v === 'already_paid').length, 7, `verdicts: ${verdicts}`);
  assert.deepEqual(orderRow(order.id), { state: 'paid', paid: true, imp: pay1.imp_uid, refunded: 0, total: 36000, cancelled: false });
  assert.equal(unitsOf(p), 3, 'units_sold_30d not raised exactly once by the 3 units');
  assert.deepEqual(bodyCounts(p), [0, 3, 0, 3, 0, 0], 'the body-type counters not raised exactly once');
  assert.equal(outboxKey(`order-paid:${order.id}:0`), 1);
  await waitSent(`order-paid:${order.id}:0`);
  await sleep(300);
  assert.equal(mailsOf(s.email, PAID_SUBJECTS, order).length, 1, 'not exactly one paid mail');
  assert.equal((await pg.get(pay1.imp_uid)).cancel_amount, 0, 'the payment was cancelled');
});

// ---- 4. webhooks -----------------------------------------------------------------------------------------------

test('webhook in form encoding: verdict paid; the same webhook again: already_paid, nothing more', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 1]]);
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total });
  const units = unitsOf(tee);
  const w = await pg.webhook({ imp_uid: p.imp_uid, form: true });
  assert.equal(w.type, 'application/x-www-form-urlencoded');
  assert.equal(verdictOf(w), 'paid');
  assert.deepEqual(orderRow(order.id), { state: 'paid', paid: true, imp: p.imp_uid, refunded: 0, total: order.amounts.total, cancelled: false });
  assert.equal(verdictOf(await pg.webhook({ imp_uid: p.imp_uid })), 'already_paid');
  assert.equal(verdictOf(await pg.webhook({ imp_uid: p.imp_uid, form: true })), 'already_paid');
  assert.equal(unitsOf(tee), units + 1);
  assert.deepEqual(verdictsOf(order.id), ['paid', 'already_paid', 'already_paid']);
  const hooks = events(`order_id = ${order.id} AND kind = 'webhook'`);
  assert.ok(hooks.every((e) => e.imp === p.imp_uid && e.merchant === order.merchant_uid));
});

test('forged webhooks: "paid" for a payment the fake has as ready → not_paid; an unknown imp_uid → unknown; 200 each, nothing changes, nothing cancelled', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 1]]);
  const ready = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total, status: 'ready' });
  const from = await mark();
  const units = unitsOf(tee);
  assert.equal(verdictOf(await pg.webhook({ imp_uid: ready.imp_uid, status: 'paid' })), 'not_paid');
  const unknown = `imp_${RUN}_nobody`;
  assert.equal(verdictOf(await pg.webhook({ imp_uid: unknown, merchant_uid: order.merchant_uid, status: 'paid' })), 'unknown');
  // posted straight at the shop too (no CSRF token, no session: the gateway's call)
  const direct = await postJson('/api/v1/payments/portone/webhook', { imp_uid: unknown, merchant_uid: order.merchant_uid, status: 'paid' });
  assertStatus(direct, 200);
  assert.deepEqual(direct.json, { verdict: 'unknown' });
  const form = await postForm('/api/v1/payments/portone/webhook', { imp_uid: ready.imp_uid, merchant_uid: order.merchant_uid, status: 'paid' });
  assertStatus(form, 200);
  assert.deepEqual(form.json, { verdict: 'not_paid' });
  // the browser with the ready payment: 409, not paid
  assertProblem(await complete(api, ready.imp_uid, order.merchant_uid), 409, 'PAYMENT_NOT_COMPLETED');
  const log = await since(from);
  assert.equal(log.filter((e) => e.path === '/payments/cancel').length, 0, 'a forged webhook made the shop cancel something');
  assert.ok(lookups(log, ready.imp_uid).length >= 2, 'the shop did not look the payment up');
  assert.equal(lookups(log, unknown).at(-1).status, 404);
  assert.deepEqual(orderRow(order.id), { state: 'awaiting_payment', paid: false, imp: null, refunded: 0, total: order.amounts.total, cancelled: false });
  assert.equal((await pg.get(ready.imp_uid)).status, 'ready');
  assert.equal(unitsOf(tee), units);
  assert.equal(outboxKey(`order-paid:${order.id}:0`), 0);
  // the unknown one is audited as rejected, under the imp_uid (no order: the gateway knows none)
  const ev = events(`imp_uid = ${lit(unknown)} AND kind = 'webhook'`);
  assert.equal(ev.length, 2);
  assert.ok(ev.every((e) => e.status === 'rejected' && JSON.parse(e.response).verdict === 'unknown' && e.order === 0));
  // a webhook without an imp_uid: 4xx, never 5xx (Portone would send it again)
  const empty = await postJson('/api/v1/payments/portone/webhook', { merchant_uid: order.merchant_uid, status: 'paid' });
  assertProblem(empty, 422, 'VALIDATION_FAILED');
  // an imp_uid that is not an id (a path): never put into the gateway's URL
  const before = await mark();
  for (const bad of ['../users/getToken', 'imp_1/../../payments/cancel', 'imp 1', 'imp_%2e%2e']) {
    const res = await postJson('/api/v1/payments/portone/webhook', { imp_uid: bad, merchant_uid: order.merchant_uid, status: 'paid' });
    assert.ok(res.status === 200 || res.status === 422, `imp_uid ${bad}: ${describe(res)}`);
    if (res.status === 200) assert.deepEqual(res.json, { verdict: 'unknown' });
  }
  assert.deepEqual((await since(before)).map((e) => `${e.method} ${e.path}`), [], 'an imp_uid that is not an id reached the gateway');
  assert.equal(orderRow(order.id).state, 'awaiting_payment');
});

// ---- 5. a payment after the order closed --------------------------------------------------------------------

test('late payment: an order expired by `lonua orders expire` (stock, coupon and mileage back); then paid by webhook → late, cancelled at the fake; by the browser → 409 ORDER_CLOSED', async () => {
  const s = await makeShopper({ mileage: 5000 });
  const api = await loginApi(s);
  const coupon = makeCoupon(s, { amount: 2000, min: 10000 });
  const v = tee.variants[0];
  const stock = stockOf(v);
  const order = await placeOrder(api, [[v, 2, coupon]], { mileage: 3000 });
  assert.equal(order.amounts.total, 38000 - 2000 - 3000 + 3000);
  assert.deepEqual([stockOf(v), couponState(coupon), balanceOf(s)], [stock - 2, 'used', 2000]);
  sql(`UPDATE orders SET payment_due_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE id = ${order.id};`);
  const out = lonua('orders', 'expire');
  assert.ok(countOf(out, /orders: (\d+) unpaid orders expired/) >= 1, out);
  assert.deepEqual(orderRow(order.id), { state: 'expired', paid: false, imp: null, refunded: 0, total: 36000, cancelled: true });
  assert.deepEqual([stockOf(v), couponState(coupon), balanceOf(s)], [stock, 'available', 5000]);
  assert.deepEqual(rows(`SELECT kind, amount FROM mileage_entries WHERE order_id = ${order.id} ORDER BY id`),
    [['spent', '-3000'], ['reversed', '3000']]);
  assert.equal(val(`SELECT GROUP_CONCAT(DISTINCT state) FROM order_lines WHERE order_id = ${order.id}`), 'cancelled');
  assert.equal(outboxKey(`order-cancelled:${order.id}:0`), 1);

  const from = await mark();
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: 36000 });
  assert.equal(verdictOf(await pg.webhook({ imp_uid: p.imp_uid })), 'late');
  const after = await pg.get(p.imp_uid);
  assert.deepEqual([after.status, after.cancel_amount], ['cancelled', 36000]);
  const c = cancels(await since(from), p.imp_uid);
  assert.equal(c.length, 1);
  assert.equal(Number(c[0].body.checksum), 36000);
  assert.equal(orderRow(order.id).state, 'expired');
  assert.equal(orderRow(order.id).paid, false);
  // the browser with another payment: 409 ORDER_CLOSED, that one cancelled too
  const q = await pg.add({ merchant_uid: order.merchant_uid, amount: 36000 });
  assertProblem(await complete(api, q.imp_uid, order.merchant_uid), 409, 'ORDER_CLOSED');
  assert.deepEqual([(await pg.get(q.imp_uid)).status, (await pg.get(q.imp_uid)).cancel_amount], ['cancelled', 36000]);
  assert.deepEqual(verdictsOf(order.id), ['late', 'late']);
  assert.deepEqual([stockOf(v), couponState(coupon), balanceOf(s)], [stock, 'available', 5000], 'a late payment took something again');
  assert.equal(outboxKey(`order-paid:${order.id}:0`), 0);
});

test('late payment: an order the shopper cancelled before paying (state cancelled); its payment arriving afterwards is late and cancelled at the fake', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 1]]);
  const res = await api.api('POST', `/api/v1/orders/${order.id}/cancel`, {});
  assertStatus(res, 200);
  assert.equal(res.json.payment_state, 'cancelled');
  assert.equal(num(`SELECT COUNT(*) FROM refunds WHERE order_id = ${order.id}`), 0, 'an unpaid order got a refund');
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total });
  assert.equal(verdictOf(await pg.webhook({ imp_uid: p.imp_uid })), 'late');
  assert.equal((await pg.get(p.imp_uid)).cancel_amount, order.amounts.total);
  assert.equal(orderRow(order.id).state, 'cancelled');
});

// ---- 6. the gateway failing ------------------------------------------------------------------------------------

// An order awaiting a card payment and its paid payment at the fake.
async function awaiting() {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 1]]);
  const p = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total });
  return { s, api, order, imp: p.imp_uid };
}
function assertUnchanged(o, imp, fakeAfter) {
  assert.deepEqual(orderRow(o.id), { state: 'awaiting_payment', paid: false, imp: null, refunded: 0, total: o.amounts.total, cancelled: false });
  assert.deepEqual([fakeAfter.status, fakeAfter.cancel_amount], ['paid', 0], `the payment ${imp} changed at the fake`);
}

test('the lookup answers 500 with an HTML page: complete → 503 GATEWAY_UNAVAILABLE, nothing changes (audited as an error, the HTML not kept); once it answers again → 200 paid', async () => {
  const { api, order, imp } = await awaiting();
  const from = await mark();
  await withKnobs({ fail: { path: `/payments/${imp}` } }, async () => {
    const res = await complete(api, imp, order.merchant_uid);
    const prob = assertProblem(res, 503, 'GATEWAY_UNAVAILABLE');
    assert.ok(!/<html|nginx/i.test(prob.detail), `the gateway's page leaks into the answer: ${prob.detail}`);
    assertUnchanged(order, imp, await pg.get(imp));
  });
  const log = await since(from);
  assert.ok(lookups(log, imp).every((e) => e.status === 500 && e.failure === 'fail'));
  assert.equal(cancels(log, imp).length, 0, 'an unanswered lookup made the shop cancel');
  const err = events(`imp_uid = ${lit(imp)} AND kind = 'get_payment'`);
  assert.ok(err.length >= 1 && err.every((e) => e.status === 'error' && e.http === 500 && e.response === null && e.error),
    `the failed lookups are not audited as errors: ${JSON.stringify(err)}`);
  assert.equal(verdictsOf(order.id).length, 0, 'an unsettled call was audited with a verdict');
  const ok = await complete(api, imp, order.merchant_uid);
  assertStatus(ok, 200);
  assert.equal(ok.json.payment_state, 'paid');
});

test(`the lookup answers after the timeout (delay ${LATE_MS} ms > LONUA_HTTP_TIMEOUT_MS ${TIMEOUT_MS}): complete → 503 within bounded time, nothing changes; then → 200 paid`, async () => {
  const { api, order, imp } = await awaiting();
  await withKnobs({ delay: { ms: LATE_MS, path: `/payments/${imp}` } }, async () => {
    const start = Date.now();
    const res = await complete(api, imp, order.merchant_uid);
    const took = Date.now() - start;
    assertProblem(res, 503, 'GATEWAY_UNAVAILABLE');
    assert.ok(took >= TIMEOUT_MS - 100, `answered in ${took} ms: it did not wait for the gateway`);
    assert.ok(took < 3 * TIMEOUT_MS + 1000, `answered in ${took} ms: no timeout on the lookup`);
    assertUnchanged(order, imp, await pg.get(imp));
  });
  const err = events(`imp_uid = ${lit(imp)} AND kind = 'get_payment'`);
  assert.ok(err.length >= 1 && err.every((e) => e.status === 'error' && e.error), JSON.stringify(err));
  const ok = await complete(api, imp, order.merchant_uid);
  assertStatus(ok, 200);
  assert.equal(orderRow(order.id).state, 'paid');
});

test('the token dies (expireTokens): the lookup gets 401, the shop takes a new token and asks again once → 200 paid', async () => {
  const { api, order, imp } = await awaiting();
  // make sure the worker holds a live token first (any completion call fetches one)
  const from = await mark();
  await withKnobs({ expireTokens: { times: 1, path: `/payments/${imp}` } }, async () => {
    const res = await complete(api, imp, order.merchant_uid);
    assertStatus(res, 200);
    assert.equal(res.json.payment_state, 'paid');
  });
  const log = await since(from);
  const looked = lookups(log, imp);
  assert.deepEqual(looked.map((e) => e.status), [401, 200], 'not one 401 and then success');
  const first = log.indexOf(looked[0]), second = log.indexOf(looked[1]);
  const between = log.slice(first, second).filter((e) => e.path === '/users/getToken');
  assert.equal(between.length, 1, 'no new token between the 401 and the second lookup');
  assert.equal(between[0].status, 200);
  assert.notEqual(looked[0].headers.authorization, looked[1].headers.authorization, 'the second lookup used the dead token');
});

test('the token dies twice in a row: the shop asks once more and no further (no loop) → 503; then → 200 paid', async () => {
  const { api, order, imp } = await awaiting();
  const from = await mark();
  await withKnobs({ expireTokens: { times: 2, path: `/payments/${imp}` } }, async () => {
    assertProblem(await complete(api, imp, order.merchant_uid), 503, 'GATEWAY_UNAVAILABLE');
  });
  assert.deepEqual(lookups(await since(from), imp).map((e) => e.status), [401, 401]);
  assertUnchanged(order, imp, await pg.get(imp));
  assertStatus(await complete(api, imp, order.merchant_uid), 200);
});

test('the lookup answers 200 with malformed JSON, or resets the connection: 503, nothing changes; then → 200 paid', async () => {
  const { api, order, imp } = await awaiting();
  for (const knob of ['malformed', 'reset']) {
    await withKnobs({ [knob]: { path: `/payments/${imp}` } }, async () => {
      assertProblem(await complete(api, imp, order.merchant_uid), 503, 'GATEWAY_UNAVAILABLE');
      assertUnchanged(order, imp, await pg.get(imp));
    });
  }
  assertStatus(await complete(api, imp, order.merchant_uid), 200);
  assert.equal(orderRow(order.id).state, 'paid');
});

test('the token endpoint refuses the key (401) or fails: 503, the get_token error audited without the secret; the webhook answers 503 so Portone sends it again; afterwards both work', async () => {
  const { api, order, imp } = await awaiting();
  const lastEvent = num('SELECT COALESCE(MAX(id), 0) FROM payment_events');
  await pg.expire();
  await withKnobs({ impSecret: 'not-the-shops-secret' }, async () => {
    assertProblem(await complete(api, imp, order.merchant_uid), 503, 'GATEWAY_UNAVAILABLE');
    const w = await pg.webhook({ imp_uid: imp });
    assert.equal(w.status, 503, `the webhook was answered ${w.status} while the gateway could not be asked`);
  }).finally(() => pg.set({ impSecret: original.impSecret }));
  const tok = events(`id > ${lastEvent} AND kind = 'get_token' AND status = 'error'`);
  assert.ok(tok.length >= 1, 'the refused token request is not audited');
  assert.ok(tok.every((e) => e.http === 401 && JSON.parse(e.request).imp_secret === '(redacted)'));
  assertUnchanged(order, imp, await pg.get(imp));
  await withKnobs({ fail: { path: '/users/getToken' } }, async () => {
    await pg.expire();
    assertProblem(await complete(api, imp, order.merchant_uid), 503, 'GATEWAY_UNAVAILABLE');
  });
  assertUnchanged(order, imp, await pg.get(imp));
  assert.equal(verdictOf(await pg.webhook({ imp_uid: imp })), 'paid');
  assert.equal(orderRow(order.id).state, 'paid');
});

// ---- 7. refunds through the gateway ----------------------------------------------------------------------------

test('cancelling a paid card order: the whole payment cancelled at the fake (amount and checksum = total), refunds row done, order refunded; stock, mileage and popularity back', async () => {
  const s = await makeShopper({ mileage: 4000 });
  const api = await loginApi(s);
  const v = jeans.variants[0];
  const stock = stockOf(v);
  const order = await placeOrder(api, [[v, 1]], { mileage: 1000 });
  assert.equal(order.amounts.total, 45000 - 1000 + 3000);
  const units = unitsOf(jeans);
  const { imp } = await pay(api, order);
  assert.equal(unitsOf(jeans), units + 1);
  const from = await mark();
  const res = await api.api('POST', `/api/v1/orders/${order.id}/cancel`, {});
  assertStatus(res, 200);
  assert.equal(res.json.payment_state, 'refunded');
  assert.equal(res.json.amounts.refunded, 47000);
  const after = await pg.get(imp);
  assert.deepEqual([after.status, after.cancel_amount, after.cancel_history.length], ['cancelled', 47000, 1]);
  const c = cancels(await since(from), imp);
  assert.equal(c.length, 1);
  assert.deepEqual([Number(c[0].body.amount), Number(c[0].body.checksum)], [47000, 47000]);
  const refundId = val(`SELECT id FROM refunds WHERE order_id = ${order.id}`);
  assert.equal(c[0].body.reason, `order cancelled (LONUA refund ${refundId})`, 'the cancel does not name its refund');
  // the refund keeps the gateway's id of the cancel it made
  assert.deepEqual(rows(`SELECT reason, method, state, amount, shipping_amount, gateway_reference, completed_at IS NOT NULL,
      last_error IS NULL FROM refunds WHERE order_id = ${order.id}`),
  [['cancel', 'gateway', 'done', '47000', '3000', after.cancel_history[0].cancellation_id, '1', '1']]);
  assert.deepEqual(orderRow(order.id), { state: 'refunded', paid: true, imp, refunded: 47000, total: 47000, cancelled: true });
  assert.deepEqual([stockOf(v), balanceOf(s), unitsOf(jeans)], [stock, 4000, units]);
  assert.equal(outboxKey(`order-cancelled:${order.id}:0`), 1);
  // cancelling again: 409, nothing more at the gateway
  assertProblem(await api.api('POST', `/api/v1/orders/${order.id}/cancel`, {}), 409, 'NOT_CANCELLABLE');
  assert.equal((await pg.get(imp)).cancel_history.length, 1);
});

test('a return of one line approved by the brand (seller API): a partial cancel at the fake of exactly that line\'s refund (change of mind: paid − return cost 6000); order partially_refunded', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const seller = await sellerOf(brand);
  const order = await placeOrder(api, [[tee.variants[0], 1], [jeans.variants[0], 1]]);
  assert.equal(order.amounts.total, 64000, 'items 64000 reach the threshold: free shipping');
  const { imp } = await pay(api, order);
  const units = unitsOf(jeans);
  const [lineTee, lineJeans] = [order.lines.find((l) => l.variant_id === tee.variants[0].id), order.lines.find((l) => l.variant_id === jeans.variants[0].id)];
  await deliver(seller, lineJeans.id);
  const stock = stockOf(jeans.variants[0]);
  const ret = await api.api('POST', `/api/v1/order-lines/${lineJeans.id}/return`, { reason: 'change_of_mind', note: '마음이 바뀜' });
  assertStatus(ret, 200);
  const from = await mark();
  const approved = await seller.api('POST', `/api/v1/seller/order-lines/${lineJeans.id}/return/approve`, {});
  assertStatus(approved, 200);
  assert.equal(approved.json.state, 'returned');
  const refund = 45000 - 6000;
  const c = cancels(await since(from), imp);
  assert.equal(c.length, 1, 'not one cancel request');
  assert.deepEqual([Number(c[0].body.amount), Number(c[0].body.checksum)], [refund, 64000]);
  const after = await pg.get(imp);
  assert.deepEqual([after.cancel_amount, after.status, after.cancel_history.length], [refund, 'paid', 1]);
  assert.deepEqual(rows(`SELECT reason, method, state, amount, return_cost_deducted, order_line_id FROM refunds WHERE order_id = ${order.id}`),
    [['return', 'gateway', 'done', String(refund), '6000', String(lineJeans.id)]]);
  assert.deepEqual(orderRow(order.id), { state: 'partially_refunded', paid: true, imp, refunded: refund, total: 64000, cancelled: false });
  assert.deepEqual(one(`SELECT state, refunded_amount FROM order_lines WHERE id = ${lineTee.id}`), ['ordered', '0']);
  assert.deepEqual(one(`SELECT state, refunded_amount FROM order_lines WHERE id = ${lineJeans.id}`), ['returned', String(refund)]);
  assert.equal(stockOf(jeans.variants[0]), stock + 1, 'the returned unit is not back in stock');
  assert.equal(unitsOf(jeans), units - 1, 'the returned unit still counts as sold');
  // the buyer's order shows it
  const mine = (await api.get(`/api/v1/orders/${order.id}`)).json;
  assert.deepEqual([mine.payment_state, mine.amounts.refunded], ['partially_refunded', refund]);

  // the other line returned as defective: all it paid, with the balance left (64000 − 39000) as the checksum
  await deliver(seller, lineTee.id);
  assertStatus(await api.api('POST', `/api/v1/order-lines/${lineTee.id}/return`, { reason: 'defective' }), 200);
  const from2 = await mark();
  assertStatus(await seller.api('POST', `/api/v1/seller/order-lines/${lineTee.id}/return/approve`, {}), 200);
  const c2 = cancels(await since(from2), imp);
  assert.equal(c2.length, 1);
  assert.deepEqual([Number(c2[0].body.amount), Number(c2[0].body.checksum)], [19000, 64000 - refund]);
  const last = await pg.get(imp);
  assert.deepEqual([last.cancel_amount, last.cancel_history.length], [refund + 19000, 2]);
  assert.deepEqual(rows(`SELECT order_line_id, state, amount, return_cost_deducted FROM refunds WHERE order_id = ${order.id} ORDER BY id`),
    [[String(lineJeans.id), 'done', String(refund), '6000'], [String(lineTee.id), 'done', '19000', '0']]);
  assert.deepEqual(orderRow(order.id), { state: 'partially_refunded', paid: true, imp, refunded: refund + 19000, total: 64000, cancelled: false });
});

test('two returns of one order approved at the same moment: one cancel at the gateway at a time, each with the balance then left as its checksum (none refused); one kept waiting is made by `lonua refunds retry`; each refund done with its own cancellation', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const seller = await sellerOf(brand);
  const order = await placeOrder(api, [[tee.variants[0], 1], [jeans.variants[0], 1]]);
  assert.equal(order.amounts.total, 64000);
  const { imp } = await pay(api, order);
  const lines = order.lines.map((l) => l.id);
  for (const id of lines) {
    await deliver(seller, id);
    assertStatus(await api.api('POST', `/api/v1/order-lines/${id}/return`, { reason: 'defective' }), 200);
  }
  const from = await mark();
  const answers = await Promise.all(lines.map((id) => seller.api('POST', `/api/v1/seller/order-lines/${id}/return/approve`, {})));
  for (const a of answers) assertStatus(a, 200);
  lonua('refunds', 'retry'); // what lonua jobs does within the minute
  const c = cancels(await since(from), imp);
  assert.equal(c.length, 2, `${c.length} cancel requests: a refused or repeated one`);
  assert.equal(Number(c[0].body.checksum), 64000);
  assert.equal(Number(c[1].body.checksum), 64000 - Number(c[0].body.amount), 'the second cancel did not send the balance left');
  const after = await pg.get(imp);
  assert.deepEqual([after.status, after.cancel_amount, after.cancel_history.length], ['cancelled', 64000, 2]);
  const refunds = rows(`SELECT id, state, amount, gateway_reference FROM refunds WHERE order_id = ${order.id} ORDER BY id`);
  assert.equal(refunds.length, 2);
  for (const [id, state, amount, reference] of refunds) {
    const entry = after.cancel_history.find((e) => e.reason === `line returned (LONUA refund ${id})`);
    assert.ok(entry, `refund ${id} has no cancel of its own at the gateway`);
    assert.deepEqual([state, amount, reference], ['done', String(entry.amount), entry.cancellation_id]);
  }
  assert.deepEqual(orderRow(order.id), { state: 'refunded', paid: true, imp, refunded: 64000, total: 64000, cancelled: false });
});

test('a refund whose cancel answers after the timeout (`lonua refunds retry` with the cancel delayed): the cancel did happen, the shop looks the payment up and records it done — one cancel at the fake, never two', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 1]]);
  const total = order.amounts.total;
  const { imp } = await pay(api, order);
  // the refund waits: the gateway failed the first cancel (500, nothing done)
  await withKnobs({ fail: { path: '/payments/cancel' } }, async () => {
    assertStatus(await api.api('POST', `/api/v1/orders/${order.id}/cancel`, {}), 200);
  });
  assert.equal(val(`SELECT state FROM refunds WHERE order_id = ${order.id}`), 'pending');
  assert.equal((await pg.get(imp)).cancel_amount, 0);
  // the retry's cancel is done at once by the gateway, but answered after the shop gave up
  const from = await mark();
  await withKnobs({ delay: { ms: LATE_MS, path: '/payments/cancel' } }, async () => {
    lonua('refunds', 'retry');
  });
  const log = await since(from);
  const sent = cancels(log, imp);
  assert.ok(sent.length >= 1);
  assert.deepEqual([Number(sent[0].body.amount), Number(sent[0].body.checksum)], [total, total]);
  const at = log.indexOf(sent[0]);
  assert.ok(lookups(log.slice(at), imp).length >= 1, 'the shop did not look the payment up after the cancel timed out');
  const after = await pg.get(imp);
  assert.deepEqual([after.status, after.cancel_amount, after.cancel_history.length], ['cancelled', total, 1]);
  assert.deepEqual(rows(`SELECT state, amount, last_error IS NULL FROM refunds WHERE order_id = ${order.id}`), [['done', String(total), '1']]);
  assert.deepEqual(orderRow(order.id), { state: 'refunded', paid: true, imp, refunded: total, total, cancelled: true });
  // another retry finds nothing to do
  lonua('refunds', 'retry');
  assert.equal((await pg.get(imp)).cancel_history.length, 1, 'a second cancel after a timed-out one');
});

test('a refund the gateway did not make (cancel answered 500, nothing done): pending with last_error, the order refund_pending; `lonua refunds retry` then makes it once', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const order = await placeOrder(api, [[jeans.variants[0], 2]]);
  const total = order.amounts.total;
  const { imp } = await pay(api, order);
  await withKnobs({ fail: { path: '/payments/cancel' } }, async () => {
    const res = await api.api('POST', `/api/v1/orders/${order.id}/cancel`, {});
    assertStatus(res, 200);
    assert.equal(res.json.payment_state, 'refund_pending');
    assert.deepEqual([(await pg.get(imp)).cancel_amount, (await pg.get(imp)).status], [0, 'paid']);
    const [state, err] = one(`SELECT state, COALESCE(last_error, '') FROM refunds WHERE order_id = ${order.id}`);
    assert.equal(state, 'pending');
    assert.ok(err.length > 0, 'a failed gateway refund has no last_error');
    assert.ok(!err.includes(IMP_SECRET));
    assert.deepEqual(orderRow(order.id), { state: 'refund_pending', paid: true, imp, refunded: 0, total, cancelled: true });
    // still failing: the retry leaves it pending
    lonua('refunds', 'retry');
    assert.equal(val(`SELECT state FROM refunds WHERE order_id = ${order.id}`), 'pending');
  });
  const out = lonua('refunds', 'retry');
  assert.match(out, /refunds: \d+ gateway refunds made/);
  const after = await pg.get(imp);
  assert.deepEqual([after.status, after.cancel_amount, after.cancel_history.length], ['cancelled', total, 1]);
  assert.deepEqual(rows(`SELECT state, amount, last_error IS NULL, gateway_reference FROM refunds WHERE order_id = ${order.id}`),
    [['done', String(total), '1', after.cancel_history[0].cancellation_id]]);
  assert.deepEqual(orderRow(order.id), { state: 'refunded', paid: true, imp, refunded: total, total, cancelled: true });
  lonua('refunds', 'retry');
  assert.equal((await pg.get(imp)).cancel_history.length, 1, 'a done refund was cancelled again');
});

// ---- the payment pages ------------------------------------------------------------------------------------------

test('pages: GET /me/orders/{id}/pay draws the gateway form (merchant code, merchant_uid, amount, the script allowed by CSP); POST with a wrong payment → 422 page; with the right one → 303 to complete; paid: the pay page → 303 to the order', async () => {
  const s = await makeShopper();
  const page = await loginPage(s);
  const api = await loginApi(s);
  const order = await placeOrder(api, [[tee.variants[0], 1]]);
  const form = await page.get(`/me/orders/${order.id}/pay`);
  assertStatus(form, 200);
  assert.ok(form.text.includes(`data-merchant-uid="${order.merchant_uid}"`), 'no merchant_uid on the form');
  assert.ok(form.text.includes(`data-amount="${order.amounts.total}"`), 'no amount on the form');
  const code = process.env.LONUA_PORTONE_MERCHANT_CODE;
  if (code) assert.ok(form.text.includes(`data-merchant-code="${code}"`), 'no merchant code on the form');
  assert.ok(form.text.includes(`action="/me/orders/${order.id}/pay"`));
  assert.match(String(form.headers['content-security-policy']), /script-src 'self' https:\/\/cdn\.iamport\.kr/);
  const bad = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total + 1 });
  const refused = await page.post(`/me/orders/${order.id}/pay`, { imp_uid: bad.imp_uid, merchant_uid: order.merchant_uid, csrf_token: csrfOf(form) });
  assertStatus(refused, 422);
  assert.equal(formMessage(refused), esc(t('payment.mismatch')));
  assert.equal((await pg.get(bad.imp_uid)).status, 'cancelled');
  // the mobile redirect with that payment again: back to the pay page, which says it did not go through
  assertRedirect(await page.get(`/me/orders/${order.id}/pay/return?imp_uid=${bad.imp_uid}&merchant_uid=${order.merchant_uid}&imp_success=true`),
    `/me/orders/${order.id}/pay?failed=1`);
  const failed = await page.get(`/me/orders/${order.id}/pay?failed=1`);
  assertStatus(failed, 200);
  assert.ok(failed.text.includes(esc(t('payment.failed'))), 'the pay page does not say the payment failed');
  // the order's own page leads back to the payment, with its deadline
  const mine = await page.get(`/me/orders/${order.id}`);
  assert.ok(mine.text.includes(`href="/me/orders/${order.id}/pay"`), 'the order page of a card order still to pay has no way to pay');
  const good = await pg.add({ merchant_uid: order.merchant_uid, amount: order.amounts.total });
  const again = await page.get(`/me/orders/${order.id}/pay`);
  assertRedirect(await page.post(`/me/orders/${order.id}/pay`, { imp_uid: good.imp_uid, merchant_uid: order.merchant_uid, csrf_token: csrfOf(again) }),
    `/me/orders/${order.id}/complete`);
  assert.equal(orderRow(order.id).state, 'paid');
  assertRedirect(await page.get(`/me/orders/${order.id}/pay`), `/me/orders/${order.id}`);
  // the redirect after the webhook won: the complete page
  assertRedirect(await page.get(`/me/orders/${order.id}/pay/return?imp_uid=${good.imp_uid}&merchant_uid=${order.merchant_uid}`),
    `/me/orders/${order.id}/complete`);
  // another shopper's order: 404
  const stranger = await loginPage(await makeShopper());
  assertStatus(await stranger.get(`/me/orders/${order.id}/pay`), 404);
  // KakaoPay: its own pg in the script's data; paid like a card
  const kakao = await placeOrder(api, [[tee.variants[0], 1]], { method: 'kakaopay' });
  assert.equal(kakao.payment_method, 'kakaopay');
  const kform = await page.get(`/me/orders/${kakao.id}/pay`);
  assertStatus(kform, 200);
  assert.ok(kform.text.includes('data-pg="kakaopay"') && kform.text.includes('data-pay-method="kakaopay"'), 'the KakaoPay form names no kakaopay pg');
  await pay(api, kakao, { pay_method: 'kakaopay' });
  assert.equal(orderRow(kakao.id).state, 'paid');
  // a bank-transfer order has no payment page: 303 to the order
  const transfer = await placeOrder(api, [[tee.variants[0], 1]], { method: 'bank_transfer' });
  assertRedirect(await page.get(`/me/orders/${transfer.id}/pay`), `/me/orders/${transfer.id}`);
  // paid by the page after the order was cancelled: the page says the payment was cancelled, and
  // offers no gateway form any more (409)
  const closing = await placeOrder(api, [[tee.variants[0], 1]]);
  const open = await page.get(`/me/orders/${closing.id}/pay`);
  assertStatus(await api.api('POST', `/api/v1/orders/${closing.id}/cancel`, {}), 200);
  const late = await pg.add({ merchant_uid: closing.merchant_uid, amount: closing.amounts.total });
  const closed = await page.post(`/me/orders/${closing.id}/pay`, { imp_uid: late.imp_uid, merchant_uid: closing.merchant_uid, csrf_token: csrfOf(open) });
  assertStatus(closed, 409);
  assert.equal(formMessage(closed), esc(t('payment.late')));
  assert.ok(!closed.text.includes('id="pay-form"'), 'a closed order still offers the gateway form');
  assert.equal((await pg.get(late.imp_uid)).status, 'cancelled');
});

// ---- 8. the jobs -------------------------------------------------------------------------------------------------

test('`lonua orders expire` cancels only awaiting orders past their due time (bank transfer and card), with the cancelled mail; a second run changes nothing', async () => {
  const s = await makeShopper({ mileage: 1000 });
  const api = await loginApi(s);
  const v = tee.variants[0];
  const overdueCard = await placeOrder(api, [[v, 1]], { mileage: 500 });
  const overdueTransfer = await placeOrder(api, [[v, 1]], { method: 'bank_transfer' });
  const notDue = await placeOrder(api, [[v, 1]]);
  const paid = await placeOrder(api, [[v, 1]]);
  await pay(api, paid);
  sql(`UPDATE orders SET payment_due_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND
    WHERE id IN (${idList([overdueCard.id, overdueTransfer.id, paid.id])});
    UPDATE orders SET payment_due_at = UTC_TIMESTAMP() + INTERVAL 1 MINUTE WHERE id = ${notDue.id};`);
  const stock = stockOf(v);
  assert.equal(balanceOf(s), 500);
  const out = lonua('orders', 'expire');
  assert.ok(countOf(out, /orders: (\d+) unpaid orders expired/) >= 2, out);
  assert.equal(orderRow(overdueCard.id).state, 'expired');
  assert.equal(orderRow(overdueTransfer.id).state, 'expired');
  assert.equal(orderRow(notDue.id).state, 'awaiting_payment');
  assert.equal(orderRow(paid.id).state, 'paid');
  assert.deepEqual([stockOf(v), balanceOf(s)], [stock + 2, 1000]);
  for (const o of [overdueCard, overdueTransfer]) assert.equal(outboxKey(`order-cancelled:${o.id}:0`), 1);
  for (const o of [notDue, paid]) assert.equal(outboxKey(`order-cancelled:${o.id}:0`), 0);
  await waitSent(`order-cancelled:${overdueCard.id}:0`);
  await waitSent(`order-cancelled:${overdueTransfer.id}:0`);
  for (const o of [overdueCard, overdueTransfer]) assert.equal(mailsOf(s.email, CANCELLED_SUBJECTS, o).length, 1);
  assert.equal(num(`SELECT COUNT(*) FROM refunds WHERE order_id IN (${idList([overdueCard.id, overdueTransfer.id])})`), 0);
  // again: nothing more
  const snapshot = () => [sql(`SELECT id, payment_state, updated_at FROM orders WHERE user_id = ${s.id} ORDER BY id`),
    sql(`SELECT COUNT(*) FROM mileage_entries WHERE user_id = ${s.id}`), stockOf(v), balanceOf(s),
    sql(`SELECT COUNT(*) FROM stock_movements WHERE variant_id = ${v.id}`)];
  const before = snapshot();
  const second = lonua('orders', 'expire');
  assert.equal(countOf(second, /orders: (\d+) unpaid orders expired/), 0, second);
  assert.deepEqual(snapshot(), before);
});

test('`lonua orders confirm` confirms a line delivered 8 days ago (automatically, mileage credited), not one delivered 2 days ago nor one with a return requested; a second run changes nothing', async () => {
  const s = await makeShopper({ grade: 'gold' });
  assert.equal(s.grade.mileage, 2);
  const api = await loginApi(s);
  const b = makeBrand({ fee: 0, freeThreshold: 0 });
  const [p1, p2, p3] = [33333, 27000, 15000].map((price) => makeProduct(b, { price }));
  const order = await placeOrder(api, [[p1.variants[0], 1], [p2.variants[0], 1], [p3.variants[0], 1]]);
  await pay(api, order);
  const line = (p) => order.lines.find((l) => l.product.id === p.id);
  const [old, recent, returning] = [line(p1), line(p2), line(p3)];
  const shipped = "courier = 'CJ대한통운', tracking_number = '1234567890', shipped_at = UTC_TIMESTAMP() - INTERVAL 10 DAY";
  sql(`UPDATE order_lines SET state = 'delivered', ${shipped}, delivered_at = UTC_TIMESTAMP() - INTERVAL 8 DAY WHERE id = ${old.id};
    UPDATE order_lines SET state = 'delivered', ${shipped}, delivered_at = UTC_TIMESTAMP() - INTERVAL 2 DAY WHERE id = ${recent.id};
    UPDATE order_lines SET state = 'return_requested', ${shipped}, delivered_at = UTC_TIMESTAMP() - INTERVAL 8 DAY,
      return_requested_at = UTC_TIMESTAMP() - INTERVAL 7 DAY, return_reason = 'size' WHERE id = ${returning.id};`);
  const total = num(`SELECT line_total FROM order_lines WHERE id = ${old.id}`);
  assert.equal(total, 33333 - Math.floor(33333 * 3 / 100), 'the Gold discount of 3 %');
  const earned = Math.floor(total * 2 / 100);
  const balance = balanceOf(s);
  const out = lonua('orders', 'confirm');
  assert.ok(countOf(out, /orders: (\d+) delivered lines confirmed/) >= 1, out);
  assert.deepEqual(one(`SELECT state, confirmed_automatically, confirmed_at IS NOT NULL, mileage_earned FROM order_lines WHERE id = ${old.id}`),
    ['confirmed', '1', '1', String(earned)]);
  assert.deepEqual(one(`SELECT state, confirmed_at IS NULL, mileage_earned FROM order_lines WHERE id = ${recent.id}`), ['delivered', '1', '0']);
  assert.deepEqual(one(`SELECT state, mileage_earned FROM order_lines WHERE id = ${returning.id}`), ['return_requested', '0']);
  assert.deepEqual(rows(`SELECT kind, amount, order_line_id FROM mileage_entries WHERE user_id = ${s.id} AND kind = 'earned'`),
    [['earned', String(earned), String(old.id)]]);
  assert.equal(balanceOf(s), balance + earned);
  const before = [sql(`SELECT id, state, mileage_earned, updated_at FROM order_lines WHERE order_id = ${order.id} ORDER BY id`), balanceOf(s),
    num(`SELECT COUNT(*) FROM mileage_entries WHERE user_id = ${s.id}`)];
  const second = lonua('orders', 'confirm');
  assert.equal(countOf(second, /orders: (\d+) delivered lines confirmed/), 0, second);
  assert.deepEqual([sql(`SELECT id, state, mileage_earned, updated_at FROM order_lines WHERE order_id = ${order.id} ORDER BY id`), balanceOf(s),
    num(`SELECT COUNT(*) FROM mileage_entries WHERE user_id = ${s.id}`)], before);
});

// What `lonua grades recompute 2026-11` changes for shoppers not of this run, put back by cleanup.
const gradeRestore = { month: '2026-11-01', before: null, assigned: null };

test('`lonua grades recompute 2026-11` assigns grades by November\'s spend in Korean time (Bronze 0, Silver 100,000, Gold 300,000, Platinum 700,000); cancelled and returned lines do not count; a second run assigns nobody and changes nothing', async () => {
  assert.deepEqual(rows('SELECT id, min_monthly_spend FROM grades ORDER BY id').map((r) => r.map(Number)),
    [[1, 0], [2, 100000], [3, 300000], [4, 700000]]);
  const b = makeBrand({ fee: 0, freeThreshold: 0 });
  const price = (n) => makeProduct(b, { price: n, variants: [{ size: 'FREE', stock: 20 }] }).variants[0];
  const [v100k, v99999, v150k, v500k, v600k, v250k] = [100000, 99999, 150000, 500000, 600000, 250000].map(price);
  const g = [];
  for (let i = 0; i < 6; i++) g.push(await makeShopper());
  const apis = await Promise.all(g.map((s) => loginApi(s)));
  const mid = "'2026-11-15 03:00:00'";
  // paid orders with paid_at set as root; returns the order
  const bought = async (i, items, paidAt) => {
    const o = await placeOrder(apis[i], items);
    await pay(apis[i], o);
    sql(`UPDATE orders SET paid_at = ${paidAt} WHERE id = ${o.id};`);
    return o;
  };
  await bought(0, [[v100k, 1]], mid); // exactly Silver
  await bought(1, [[v99999, 1]], mid); // one won short: Bronze
  await bought(2, [[v150k, 1]], mid);
  await bought(2, [[v150k, 1]], "'2026-11-30 14:59:59'"); // 23:59:59 on 30 November in Korea: counts
  await bought(2, [[v500k, 1]], "'2026-10-31 14:59:59'"); // still October in Korea
  await bought(2, [[v500k, 1]], "'2026-11-30 15:00:00'"); // already December in Korea
  await bought(3, [[v600k, 1]], mid);
  await bought(3, [[v100k, 1]], "'2026-10-31 15:00:00'"); // 00:00 on 1 November in Korea: counts → 700,000
  // a line returned and an order cancelled whose refunds are still pending (nothing refunded yet):
  // only their states keep them out of the spend (either one counted makes 350,000: Gold)
  const mixed = await bought(4, [[v250k, 1], [v100k, 1]], mid);
  const cancelled = await bought(4, [[v100k, 1]], mid);
  await withKnobs({ fail: { path: '/payments/cancel' } }, async () => {
    assertStatus(await apis[4].api('POST', `/api/v1/orders/${cancelled.id}/cancel`, {}), 200);
  });
  assert.equal(orderRow(cancelled.id).state, 'refund_pending');
  assert.equal(num(`SELECT SUM(refunded_amount) FROM order_lines WHERE order_id = ${cancelled.id}`), 0);
  const returned = mixed.lines.find((l) => l.variant_id === v100k.id);
  sql(`UPDATE order_lines SET state = 'returned', courier = 'CJ대한통운', tracking_number = '1', shipped_at = ${mid},
      delivered_at = ${mid}, return_requested_at = ${mid}, return_reason = 'size', return_decided_at = ${mid}
    WHERE id = ${returned.id};`);
  // grades before, different from what the month gives
  const start = [4, 3, 1, 1, 1, 2];
  sql(g.map((s, i) => `UPDATE users SET grade_id = ${start[i]} WHERE id = ${s.id};`).join('\n'));
  // what the run will change for everyone else, to put back at the end
  const mine = idList(g.map((s) => s.id).concat([...made.users]));
  gradeRestore.before = rows(`SELECT id, grade_id FROM users WHERE role = 'shopper' AND id NOT IN (${mine})`);
  gradeRestore.assigned = new Set(rows(`SELECT user_id FROM grade_assignments WHERE period_month = '2026-11-01'`).map((r) => r[0]));

  const out = lonua('grades', 'recompute', '2026-11');
  const m = out.match(/grades: month 2026-11, (\d+) shoppers assigned, (\d+) grades changed/);
  assert.ok(m, out);
  assert.ok(Number(m[1]) >= 6 && Number(m[2]) >= 6, out);
  const expected = [[100000, 2], [99999, 1], [300000, 3], [700000, 4], [250000, 2], [0, 1]];
  const got = g.map((s) => (one(`SELECT spend, grade_id FROM grade_assignments WHERE user_id = ${s.id} AND period_month = '2026-11-01'`) || []).map(Number));
  assert.deepEqual(got, expected, 'spend and grade per shopper');
  assert.deepEqual(g.map((s) => num(`SELECT grade_id FROM users WHERE id = ${s.id}`)), expected.map((e) => e[1]));
  // again: nobody assigned, nothing changed
  const snapshot = () => sql(`SELECT a.user_id, a.spend, a.grade_id, a.created_at, u.grade_id FROM grade_assignments a
    JOIN users u ON u.id = a.user_id WHERE a.user_id IN (${idList(g.map((s) => s.id))}) ORDER BY a.id`);
  const before = snapshot();
  const second = lonua('grades', 'recompute', '2026-11');
  assert.match(second, /grades: month 2026-11, 0 shoppers assigned, 0 grades changed/);
  assert.deepEqual(snapshot(), before);
  assert.equal(num(`SELECT COUNT(*) FROM grade_assignments WHERE user_id IN (${idList(g.map((s) => s.id))})`), 6);
  // a month that is not one: 2, nothing done
  const bad = spawnSync(BIN, ['grades', 'recompute', '2026-13'], { encoding: 'utf8', env: process.env });
  assert.equal(bad.status, 2, bad.stderr);
  // the pending refund made now (lonua jobs would within the minute)
  lonua('refunds', 'retry');
  assert.equal(orderRow(cancelled.id).state, 'refunded');
});

test('`lonua products recount`: units_sold_30d = the paid units kept in the last 30 days (a line paid 31 days ago, a cancelled order, a returned line and an unpaid order do not count); body-type counters from every kept line; a second run changes nothing', async () => {
  const b = makeBrand({ fee: 0, freeThreshold: 0 });
  const p = makeProduct(b, { price: 10000, variants: [{ size: 'M', stock: 50 }] });
  const v = p.variants[0];
  const s = await makeShopper(); // upper 2, lower 1
  const api = await loginApi(s);
  const paidAgo = async (q, days) => {
    const o = await placeOrder(api, [[v, q]]);
    await pay(api, o);
    sql(`UPDATE orders SET paid_at = UTC_TIMESTAMP() - INTERVAL ${days} DAY WHERE id = ${o.id};`);
    return o;
  };
  await paidAgo(3, 31); // too old for 30 days, still bought by a type-2 shopper
  await paidAgo(2, 10);
  await paidAgo(1, 29);
  const cancelled = await paidAgo(4, 5);
  assertStatus(await api.api('POST', `/api/v1/orders/${cancelled.id}/cancel`, {}), 200);
  const returned = await paidAgo(1, 3);
  sql(`UPDATE order_lines SET state = 'returned', courier = 'CJ대한통운', tracking_number = '1', shipped_at = UTC_TIMESTAMP(),
      delivered_at = UTC_TIMESTAMP(), return_requested_at = UTC_TIMESTAMP(), return_reason = 'defective',
      return_decided_at = UTC_TIMESTAMP() WHERE order_id = ${returned.id};`);
  await placeOrder(api, [[v, 5]]); // awaiting payment
  // the live counters: 3 + 2 + 1 + 4 + 1 paid, 4 cancelled (the root-made return was not counted back)
  assert.equal(unitsOf(p), 7);
  sql(`UPDATE products SET units_sold_30d = 999 WHERE id = ${p.id};
    UPDATE product_body_type_counts SET upper3_units = 50, lower2_units = 50 WHERE product_id = ${p.id};`);
  const out = lonua('products', 'recount');
  assert.ok(countOf(out, /products: popularity counted again, (\d+) 30-day counts changed/) >= 1, out);
  assert.equal(unitsOf(p), 3, 'units_sold_30d: 2 (10 days ago) + 1 (29 days ago)');
  assert.deepEqual(bodyCounts(p), [0, 6, 0, 6, 0, 0], 'body-type counters: every kept paid line (3 + 2 + 1)');
  const second = lonua('products', 'recount');
  assert.equal(countOf(second, /products: popularity counted again, (\d+) 30-day counts changed/), 0, second);
  assert.equal(unitsOf(p), 3);
  assert.deepEqual(bodyCounts(p), [0, 6, 0, 6, 0, 0]);
});

// ---- the end -------------------------------------------------------------------------------------------------------

test('no secret anywhere after every case: the imp_secret and each access token the shop used are in no payment_events column, no log, no command output', async () => {
  await pg.off();
  const tokens = tokensSeen(await pg.log());
  assert.ok(tokens.size >= 2, `the shop used ${tokens.size} tokens; the cases above make it take new ones`);
  assertNoSecrets(tokens);
  const cfg = await pg.config();
  assert.deepEqual(cfg.knobs, {}, 'a knob is still on at the fake');
  assert.equal(cfg.impSecret, original.impSecret);
});

test('cleanup: the run\'s orders, payment events, refunds, shoppers, sellers, brands and products are removed, and other shoppers\' grades put back', () => {
  if (gradeRestore.before) {
    const script = [`DELETE FROM grade_assignments WHERE period_month = '2026-11-01'
      AND user_id IN (${idList(gradeRestore.before.map((r) => r[0]).filter((id) => !gradeRestore.assigned.has(id)))});`];
    for (const [id, grade] of gradeRestore.before) script.push(`UPDATE users SET grade_id = ${grade} WHERE id = ${id} AND grade_id <> ${grade};`);
    sql(script.join('\n'));
  }
  const orders = idList(rows(`SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email LIKE '%@shop.lonua-test.example'`)
    .map((r) => r[0]).concat([...made.orders]));
  sql(`DELETE FROM payment_events WHERE imp_uid LIKE ${lit(`imp\\_${RUN}\\_%`)} OR order_id IN (${orders})
    OR (id > ${eventsBefore} AND order_id IS NULL);`);
  assert.deepEqual(cleanup(), {});
  assert.equal(num(`SELECT COUNT(*) FROM payment_events WHERE imp_uid LIKE ${lit(`imp\\_${RUN}\\_%`)}`), 0);
  assert.equal(num(`SELECT COUNT(*) FROM payment_events WHERE id > ${eventsBefore} AND order_id IS NULL`), 0);
  if (gradeRestore.before) {
    for (const [id, grade] of gradeRestore.before) assert.equal(val(`SELECT grade_id FROM users WHERE id = ${id}`), grade);
  }
});

await run();
