// Order notifications (issue 10 item 3; SPEC §6 "Mail and notifications"; integrations.md §3): a
// new paid order posts once to the Slack-compatible incoming webhook of each of its brands that has
// one (brands.notify_webhook_url), through the outbox and `lonua jobs`, with that brand's facts
// only; a webhook that fails is retried (429, 5xx, no answer) or given up (other 4xx) without the
// order ever waiting or changing; the webhook URL (the secret) is never in the outbox or a log.
// The webhook is tests/fakes/slack-fake.mjs, started here on a free port of 127.0.0.1.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_RUN_DIR=/path/to/run node tests/integration/notifications.test.mjs
//
// with `lonua jobs` running for the stack (ci/test start_stack: polling every 200 ms, retries after
// 1 s, doubling).
import fs from 'node:fs';
import path from 'node:path';
import { test, run, assert } from '../lib/tap.mjs';
import { sleep } from './http.mjs';
import { SOCKET, RUN_DIR, bailUnlessSet, sql, rows, val, num, lit, uniq } from './client.mjs';
import { made, makeBrand, makeProduct, makeShopper, makeAdmin, loginApi, cleanup } from './shop.mjs';
import { start as startSlack } from '../fakes/slack-fake.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

const secret = `/services/T${uniq()}/B${uniq()}/${uniq()}SECRET`;
const slack = await startSlack({ port: 0, hookPath: secret });
let shopper, api, adminApi, hooked, quiet, pHooked, pQuiet;

const outboxOf = (orderId) => rows(`SELECT brand, state, attempts, COALESCE(last_error, '') FROM (
    SELECT JSON_VALUE(payload, '$.brand_id') AS brand, state, attempts, last_error, dedupe_key FROM outbox
    WHERE kind = 'slack' AND dedupe_key LIKE ${lit(`slack-paid:${orderId}:%`)}) x ORDER BY brand`)
  .map(([brand, state, attempts, error]) => ({ brand: Number(brand), state, attempts: Number(attempts), error }));

async function waitFor(what, fn, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// Places a bank-transfer order of one unit of each variant; answers the order.
async function place(variants) {
  const res = await api.api('POST', '/api/v1/orders', {
    items: variants.map((v) => ({ variant_id: v.id, quantity: 1 })), payment_method: 'bank_transfer',
  }, { headers: { 'Idempotency-Key': `notify-${uniq()}` } });
  assert.equal(res.status, 201, res.text);
  made.orders.add(res.json.id);
  return res.json;
}
const pay = (order) => adminApi.api('POST', `/api/v1/admin/orders/${order.id}/payment`, { amount: order.amounts.total });
const hits = () => slack.requests.filter((r) => r.path === secret);

test('setup: a brand with a webhook, a brand without, a shopper and an admin', async () => {
  hooked = makeBrand({ fee: 3000, freeThreshold: null });
  quiet = makeBrand({ fee: 2500, freeThreshold: null });
  sql(`UPDATE brands SET notify_webhook_url = ${lit(slack.hookUrl)} WHERE id = ${hooked.id};`);
  pHooked = makeProduct(hooked, { price: 21000, variants: [{ size: 'S', stock: 50 }, { size: 'M', stock: 50 }] });
  pQuiet = makeProduct(quiet, { price: 17000, variants: [{ size: 'L', stock: 50 }] });
  shopper = await makeShopper();
  api = await loginApi(shopper);
  adminApi = await loginApi(await makeAdmin());
});

test('an order placed but not paid posts nothing', async () => {
  const order = await place([pHooked.variants[0]]);
  await sleep(800);
  assert.equal(hits().length, 0);
  assert.deepEqual(outboxOf(order.id), []);
});

test('a paid order posts once to its brand\'s webhook, with that brand\'s facts only', async () => {
  const order = await place([pHooked.variants[0], pHooked.variants[1], pQuiet.variants[0]]);
  const res = await pay(order);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.payment_state, 'paid');
  await waitFor('the webhook post', () => hits().length >= 1);
  await sleep(1000); // nothing more comes
  const got = hits();
  assert.equal(got.length, 1, 'exactly one post');
  const r = got[0];
  assert.equal(r.method, 'POST');
  assert.match(r.headers['content-type'], /^application\/json/);
  assert.equal(r.status, 200);
  assert.equal(typeof r.json.text, 'string');
  assert.ok(r.json.text.includes(order.merchant_uid), r.json.text);
  assert.ok(r.json.text.includes(hooked.name), r.json.text);
  assert.ok(!r.json.text.includes(quiet.name), 'the other brand is not named');
  assert.ok(r.json.text.includes('2 item(s)'), r.json.text);
  assert.ok(r.json.text.includes('42,000'), `the brand's lines (2 × 21,000), not the order's total: ${r.json.text}`);
  assert.ok(!r.json.text.includes(Number(order.amounts.total).toLocaleString('en-US')), "not the order's total");
  assert.ok(Array.isArray(r.json.blocks) && r.json.blocks[0].type === 'section');
  const box = outboxOf(order.id);
  assert.deepEqual(box.map((b) => [b.brand, b.state, b.attempts]), [[hooked.id, 'sent', 1]], 'one row, for the hooked brand');
  assert.equal(num(`SELECT COUNT(*) FROM outbox WHERE kind = 'slack' AND payload LIKE ${lit(`%${secret}%`)}`), 0,
    'the webhook URL is not stored in the outbox');
});

test('a failing webhook is retried by the jobs; the order is paid at once and never touched', async () => {
  slack.requests.length = 0;
  slack.set({ fail: { times: 2, status: 500, error: 'rollup_error' } });
  const order = await place([pHooked.variants[0]]);
  const before = Date.now();
  const res = await pay(order);
  assert.equal(res.status, 200, res.text);
  assert.ok(Date.now() - before < 1500, 'paying did not wait for the webhook');
  const updated = val(`SELECT updated_at FROM orders WHERE id = ${order.id}`);
  await waitFor('the third attempt to succeed', () => outboxOf(order.id)[0]?.state === 'sent', 30000);
  const [row] = outboxOf(order.id);
  assert.equal(row.attempts, 3);
  assert.equal(hits().length, 3);
  assert.deepEqual(hits().map((h) => h.status), [500, 500, 200]);
  assert.equal(val(`SELECT payment_state FROM orders WHERE id = ${order.id}`), 'paid');
  assert.equal(val(`SELECT updated_at FROM orders WHERE id = ${order.id}`), updated, 'the order row is not touched');
});

test('a 429 is retried too; another 4xx is a configuration error, given up at once', async () => {
  slack.requests.length = 0;
  slack.set({ fail: { times: 1, status: 429, retryAfter: 1 } });
  const a = await place([pHooked.variants[1]]);
  assert.equal((await pay(a)).status, 200);
  await waitFor('the retried post', () => outboxOf(a.id)[0]?.state === 'sent', 30000);
  assert.deepEqual(hits().map((h) => h.status), [429, 200]);

  slack.requests.length = 0;
  slack.set({ fail: { times: 1, status: 404, error: 'channel_not_found' } });
  const b = await place([pHooked.variants[1]]);
  assert.equal((await pay(b)).status, 200);
  await waitFor('the outbox to give up', () => outboxOf(b.id)[0]?.state === 'failed', 30000);
  await sleep(1500);
  assert.equal(hits().length, 1, 'not retried');
  const [row] = outboxOf(b.id);
  assert.equal(row.attempts, 1);
  assert.match(row.error, /404 channel_not_found/);
  assert.ok(!row.error.includes(secret), 'the error names no URL');
  assert.equal(val(`SELECT payment_state FROM orders WHERE id = ${b.id}`), 'paid');
});

test('a webhook that drops the connection is retried', async () => {
  slack.requests.length = 0;
  slack.set({ drop: 1 });
  const order = await place([pHooked.variants[0]]);
  assert.equal((await pay(order)).status, 200);
  await waitFor('the retried post', () => outboxOf(order.id)[0]?.state === 'sent', 30000);
  assert.deepEqual(hits().map((h) => h.status), [-1, 200]);
});

test('the webhook URL is in no log', () => {
  if (!RUN_DIR) return;
  for (const name of ['jobs.log', 'lonua.log']) {
    const file = path.join(RUN_DIR, name);
    if (!fs.existsSync(file)) continue;
    assert.ok(!fs.readFileSync(file, 'utf8').includes(secret), `${name} holds the webhook URL`);
  }
});

test('cleanup', async () => {
  const orders = [...made.orders].map(Number).join(',') || '0';
  sql(`DELETE FROM outbox WHERE kind = 'slack' AND JSON_VALUE(payload, '$.order_id') IN (${orders});`);
  await slack.close();
  assert.deepEqual(cleanup(), {});
});

await run();
