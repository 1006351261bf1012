// The fault suite (issue 12, item 4; docs/performance.md "## Faults"), run by ci/faults on a stack
// of its own: nginx → `lonua serve` (4 workers) → MariaDB, `lonua jobs`. Each case injects a fault
// under load and checks what shoppers see and what the database keeps:
//   statement timeout    a checkout waits on a row lock held by root past
//                        LONUA_DB_STATEMENT_TIMEOUT_MS: a clean 503, nothing written, worker kept
//   slow clients         50 clients trickling headers or bodies byte by byte or not reading their
//                        answers do not pin the 4 workers: normal requests still answer at once
//   SIGKILL workers      only the requests in flight in the killed worker fail; the master has a
//                        replacement within 1 s; nothing fails after it
//   SIGHUP               three reloads under load: 0 failed requests, a new generation each time
//   full upload disk     a tmpfs full to the brim as the media folder: a clean error, no file, no row
//   MariaDB restart      under page load and 64 buyers checking out a variant of limited stock:
//                        pages answer 503 (never 502) while it is down, service is back within 5 s,
//                        no worker dies, no oversell, every order has its lines and stock movements
//   jobs SIGKILLed       mid-delivery on a slow SMTP path: every mail arrives (once, or again when
//                        the kill fell between the relay's acceptance and the row's update), none lost
//   blue/green           a second `lonua serve`, nginx switched to it by reload, the first stopped:
//                        0 failed requests (LAST: the server is then the second one)
// FAULTS_QUICK=1 shortens the load phases (ci/test). Needs the variables ci/faults exports.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import crypto from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test as register, run, assert } from '../lib/tap.mjs';
import { sql, val, num, rows, lit, sha256, holdLock } from '../integration/client.mjs';
import { childPids, alive, workerRestarts, sleep, WORKERS } from '../integration/http.mjs';
import { png } from '../integration/images.mjs';
import { makeBrand, makeSeller, loginSeller } from '../integration/shop.mjs';
import { startLoad, once, failed, summary } from './load.mjs';
import { start as startSink } from '../fakes/smtp-sink.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.resolve(HERE, '../..');
const need = (name) => {
  const v = process.env[name];
  if (!v) { console.log(`Bail out! ${name} is not set (run ci/faults)`); process.exit(1); }
  return v;
};
const RUN_DIR = need('LONUA_RUN_DIR');
const BIN = need('LONUA_BIN');
const DB_DIR = need('FAULTS_DB_DIR');
const NGINX_CONF = need('FAULTS_NGINX_CONF');
const NGINX_PREFIX = need('FAULTS_NGINX_PREFIX');
const MEDIA = need('LONUA_MEDIA_DIR');
const QUICK = process.env.FAULTS_QUICK === '1';
let pidFile = need('LONUA_PIDFILE'); // the blue/green case moves the server to another one
const master = () => Number(fs.readFileSync(pidFile, 'utf8').trim());
// FAULTS_ONLY=regex runs the cases whose names match (the fixtures are made anyway).
const ONLY = process.env.FAULTS_ONLY ? new RegExp(process.env.FAULTS_ONLY) : null;
const test = (name, fn) => {
  if (ONLY && !ONLY.test(name)) return;
  register(name, async () => {
    const t0 = Date.now();
    try { await fn(); } finally { console.log(`# (${((Date.now() - t0) / 1000).toFixed(1)} s)`); }
  });
};
const diag = (s) => { for (const line of String(s).split('\n')) console.log(`# ${line}`); };
const ms = (t) => `${Math.round(t)} ms`;
const lib = (fn, ...args) => execFileSync('bash', ['-c', `. "${SRC}/ci/lib.sh"; ${fn} "$@"`, 'lib', ...args],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// ---- fixtures: a brand, products, shoppers with sessions made as root ------------------------

const RUN = crypto.randomBytes(3).toString('hex');
const one = (q) => rows(q)[0];
const [category, style] = one('SELECT (SELECT MIN(id) FROM categories), (SELECT MIN(id) FROM styles)').map(Number);
// The stack has no seed (ci/faults skips it: it costs a minute here): the brand, its seller and
// every product and shopper are this suite's own.
const brand = makeBrand({ fee: 0, freeThreshold: 0, name: `faults ${RUN}` });
const brandId = brand.id;

// A product with one variant of `stock`; answers { product, variant }.
function product(stock, name = `faults ${RUN} ${crypto.randomBytes(2).toString('hex')}`) {
  const [p, v] = one(`INSERT INTO products (brand_id, category_id, style_id, name, description, list_price, sale_price, status)
      VALUES (${brandId}, ${category}, ${style}, ${lit(name)}, '장애 시험', 30000, 30000, 'active');
    SET @p = LAST_INSERT_ID();
    INSERT INTO product_variants (product_id, brand_id, size_label, color, stock, status, sort_order)
      VALUES (@p, ${brandId}, 'M', '', ${stock}, 'active', 0);
    SELECT @p, LAST_INSERT_ID();`).map(Number);
  return { product: p, variant: v };
}

// n shoppers, each with a bearer token and a cookie session (as ci/bench makes them).
function shoppers(n, tag) {
  const out = [];
  let script = '';
  for (let i = 0; i < n; i++) {
    const bearer = crypto.randomBytes(32), cookie = crypto.randomBytes(32);
    const email = `faults-${RUN}-${tag}-${i}@example.test`;
    script += `INSERT INTO users (role, status, email, email_verified_at, password_hash, name, phone, postal_code, address)
        VALUES ('shopper', 'active', ${lit(email)}, UTC_TIMESTAMP(), 'x', '장애 시험', '010${String(crypto.randomInt(1e8)).padStart(8, '0')}', '04524', '서울특별시 중구 세종대로 110');
      SET @u = LAST_INSERT_ID();
      INSERT INTO sessions (token_hash, kind, user_id, csrf_secret, expires_at) VALUES
        (UNHEX('${sha256(bearer)}'), 'bearer', @u, UNHEX(SHA2(RAND(), 256)), UTC_TIMESTAMP() + INTERVAL 1 DAY),
        (UNHEX('${sha256(cookie)}'), 'cookie', @u, UNHEX(SHA2(RAND(), 256)), UTC_TIMESTAMP() + INTERVAL 1 DAY);
      SELECT @u;\n`;
    out.push({ email, bearer: bearer.toString('base64url'), cookie: cookie.toString('base64url') });
  }
  const ids = sql(script).split('\n').filter(Boolean).map(Number);
  ids.forEach((id, i) => { out[i].id = id; });
  return out;
}

const page = product(1000);
const [reader] = shoppers(1, 'reader');
// The load of most cases: guest pages, the API listing and a signed-in listing (never cached).
const PAGES = [
  { path: '/products' },
  { path: `/products/${page.product}` },
  { path: '/api/v1/products?per_page=5' },
  { path: '/products?sort=price_asc', headers: { Cookie: `lonua_sid=${reader.cookie}` } },
];

function order(buyer, variant, key, quantity = 1) {
  return {
    method: 'POST', path: '/api/v1/orders',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${buyer.bearer}`, 'Idempotency-Key': key },
    body: JSON.stringify({ items: [{ variant_id: variant, quantity }], payment_method: 'bank_transfer' }),
  };
}

// Polls fn until it is truthy; answers the time it took (ms) or throws after timeout.
async function until(what, fn, timeout = 5000, every = 10) {
  const t0 = Date.now();
  for (;;) {
    if (fn()) return Date.now() - t0;
    if (Date.now() - t0 > timeout) throw new Error(`${what}: not within ${timeout} ms`);
    await sleep(every);
  }
}
const newGeneration = (before) => { const now = childPids(master()); return now.length === WORKERS && now.every((p) => !before.includes(p)); };

// ---- statement timeout ----------------------------------------------------------------------

test('statement timeout: a checkout waiting on a row lock held past LONUA_DB_STATEMENT_TIMEOUT_MS answers a clean 503 and writes nothing', async () => {
  const limit = Number(process.env.LONUA_DB_STATEMENT_TIMEOUT_MS);
  assert.ok(limit > 0 && limit <= 3000, `LONUA_DB_STATEMENT_TIMEOUT_MS=${limit}: ci/faults sets a low limit`);
  const { variant } = product(5);
  const [buyer] = shoppers(1, 'timeout');
  const restarts = await workerRestarts();
  const lock = await holdLock(`SELECT id FROM product_variants WHERE id = ${variant} FOR UPDATE`);
  let res;
  try {
    res = await once({ ...order(buyer, variant, `timeout-${RUN}`), timeout: 60000 });
  } finally {
    lock.release();
  }
  const took = res.end - res.start;
  diag(`checkout behind the lock: ${res.status} after ${ms(took)} (limit ${limit} ms)`);
  assert.equal(res.status, 503, `checkout behind a held lock: ${res.status} ${res.text}`);
  assert.match(res.type, /^application\/problem\+json/);
  assert.equal(JSON.parse(res.text).code, 'SERVICE_UNAVAILABLE');
  assert.ok(took >= limit - 100 && took < limit * 3 + 1000, `answered after ${took} ms with a ${limit} ms limit`);
  assert.equal(num(`SELECT COUNT(*) FROM orders WHERE user_id = ${buyer.id}`), 0, 'an order was written');
  assert.equal(num(`SELECT stock FROM product_variants WHERE id = ${variant}`), 5, 'the stock changed');
  assert.equal(await workerRestarts(), restarts, 'a worker died');
  const again = await once(order(buyer, variant, `timeout-${RUN}-2`));
  assert.equal(again.status, 201, `the same checkout once the lock is gone: ${again.status} ${again.text}`);
});

test('statement timeout: a signed-in page whose table root holds LOCK TABLES … WRITE answers a clean 503 in time', async () => {
  const limit = Number(process.env.LONUA_DB_STATEMENT_TIMEOUT_MS);
  const lock = await holdLock('LOCK TABLES product_cards WRITE'); // the listing reads the cards (schema/015)
  let res;
  try {
    res = await once({ path: `/products?sort=newest&faults=${RUN}`, headers: { Cookie: `lonua_sid=${reader.cookie}`, Accept: 'text/html' },
      timeout: 60000 });
  } finally {
    lock.release();
  }
  const took = res.end - res.start;
  diag(`listing behind the table lock: ${res.status} after ${ms(took)}`);
  assert.equal(res.status, 503, `a page behind a table lock: ${res.status}`);
  assert.ok(took < limit * 3 + 1000, `answered after ${took} ms with a ${limit} ms limit`);
  const after = await once({ path: '/products', headers: { Cookie: `lonua_sid=${reader.cookie}` } });
  assert.equal(after.status, 200, 'the page once the lock is gone');
});

// ---- slow clients ---------------------------------------------------------------------------

// A raw connection to nginx that sends `head` at once, then `data` one byte every `gap` ms; or
// (read: false) sends `data` at once and never reads the answer.
function slowClient({ head = Buffer.alloc(0), data, gap = 100, read = true }) {
  const sock = net.connect(Number(new URL(process.env.LONUA_BASE_URL).port), '127.0.0.1');
  sock.on('error', () => {});
  let timer = null;
  sock.on('connect', () => {
    if (!read) { sock.pause(); sock.write(data); return; }
    sock.write(head);
    let i = 0;
    timer = setInterval(() => { if (i < data.length) sock.write(data.subarray(i, ++i)); }, gap);
  });
  return { close() { clearInterval(timer); sock.destroy(); } };
}

test('slow clients: 50 clients trickling headers or bodies, or not reading, do not pin the workers', async () => {
  const normal = async () => {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const r = await once({ path: '/products?sort=price_desc', headers: { Cookie: `lonua_sid=${reader.cookie}` } });
      assert.equal(r.status, 200);
      times.push(r.end - r.start);
    }
    return times.sort((a, b) => a - b);
  };
  const before = await normal();
  const host = 'Host: 127.0.0.1\r\n';
  const clients = [];
  for (let i = 0; i < 17; i++) clients.push(slowClient({ data: Buffer.from(`GET /products HTTP/1.1\r\n${host}X-Slow: ${'x'.repeat(200)}\r\n\r\n`) }));
  const body = JSON.stringify({ name: 'x'.repeat(300) });
  for (let i = 0; i < 17; i++) {
    clients.push(slowClient({ head: Buffer.from(`POST /api/v1/test/echo/1 HTTP/1.1\r\n${host}Content-Type: application/json\r\n`
      + `Content-Length: ${body.length}\r\n\r\n`), data: Buffer.from(body) }));
  }
  // 16 that ask for 40 listings of 100 products each (≈ 4 MB) in one go and never read a byte
  const many = `GET /products?per_page=100 HTTP/1.1\r\n${host}Cookie: lonua_sid=${reader.cookie}\r\n\r\n`.repeat(40);
  for (let i = 0; i < 16; i++) clients.push(slowClient({ data: Buffer.from(many), read: false }));
  await sleep(1500); // every slow client is connected and under way
  let during;
  try {
    during = await normal();
  } finally {
    for (const c of clients) c.close();
  }
  const p50 = (t) => t[Math.floor(t.length / 2)], max = (t) => t[t.length - 1];
  diag(`a signed-in listing, 20 in a row: alone p50 ${ms(p50(before))} max ${ms(max(before))}; beside 50 slow clients p50 ${ms(p50(during))} max ${ms(max(during))}`);
  assert.ok(max(during) < 1000, `a normal request took ${max(during)} ms beside 50 slow clients`);
  assert.ok(p50(during) < Math.max(100, 5 * p50(before)), `p50 ${p50(during)} ms beside slow clients (alone ${p50(before)} ms)`);
});

// ---- SIGKILL ---------------------------------------------------------------------------------

test('SIGKILL of workers under load: only requests in flight fail, a replacement within 1 s, nothing fails after it', async () => {
  const restarts = await workerRestarts();
  const load = startLoad({ targets: PAGES, concurrency: 16 });
  await sleep(1000);
  const kills = [];
  for (let i = 0; i < (QUICK ? 3 : 6); i++) {
    const kids = childPids(master());
    const victim = kids[i % kids.length];
    const at = Date.now();
    process.kill(victim, 'SIGKILL');
    const took = await until(`worker ${victim} replaced`, () => { const now = childPids(master()); return now.length === WORKERS && !now.includes(victim); }, 3000, 5);
    const replaced = at + took;
    const probe = await once({ path: '/api/v1/products?per_page=1' }); // the socket answers
    kills.push({ victim, at, replaced, took, probe: probe.status });
    await sleep(700);
  }
  await sleep(1000);
  const results = await load.stop();
  const bad = results.filter((r) => failed(r));
  diag(`${summary(results)}; replacements after ${kills.map((k) => ms(k.took)).join(', ')}`);
  for (const r of bad) diag(`failed: ${r.status || r.error} ${r.path} [${r.start - kills[0].at}, ${r.end - kills[0].at}] ms from the first kill`);
  for (const k of kills) {
    assert.ok(k.took < 1000, `worker ${k.victim} replaced after ${k.took} ms`);
    assert.equal(k.probe, 200, 'a request right after the replacement');
  }
  assert.ok(bad.length <= kills.length, `${bad.length} failed requests for ${kills.length} kills (one in flight per worker)`);
  for (const r of bad) {
    assert.ok(kills.some((k) => r.start <= k.at + 5 && r.end >= k.at - 5), `a failed request was not in flight at a kill (${r.status || r.error} ${r.path})`);
  }
  const after = results.filter((r) => r.start > kills[kills.length - 1].replaced);
  assert.ok(after.length > 50 && after.every((r) => !failed(r)), 'requests after the last replacement failed');
  assert.equal(await workerRestarts(), restarts + kills.length, 'the master counts each killed worker');
});

// ---- SIGHUP ---------------------------------------------------------------------------------

test('SIGHUP under load: three reloads, each a new generation of workers, 0 failed requests', async () => {
  const load = startLoad({ targets: PAGES, concurrency: 16 });
  await sleep(800);
  const m = master();
  const took = [];
  for (let i = 0; i < 3; i++) {
    const before = childPids(m);
    process.kill(m, 'SIGHUP');
    took.push(await until('a new generation of workers', () => newGeneration(before), 5000));
    await sleep(700);
  }
  const results = await load.stop();
  diag(`${summary(results)}; new generations after ${took.map(ms).join(', ')}`);
  assert.ok(alive(m) && master() === m, 'the master is the same process');
  assert.deepEqual(results.filter((r) => failed(r) || r.status >= 400).map((r) => `${r.status || r.error} ${r.path}`), []);
});

// ---- a full upload disk ---------------------------------------------------------------------

// Mounting a tmpfs needs root with CAP_SYS_ADMIN (not every CI container has it): tried once.
const canMount = (() => {
  if (!process.getuid || process.getuid() !== 0) return false;
  const dir = fs.mkdtempSync(path.join(RUN_DIR, 'mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'faults-probe', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmdirSync(dir);
  }
})();
const filesUnder = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();

test(`full upload disk: a product image upload to a full media folder is a clean error; no file, no row left${canMount ? '' : ' # SKIP mounting a tmpfs needs root (CAP_SYS_ADMIN)'}`, async () => {
  if (!canMount) return;
  const token = (await loginSeller(await makeSeller(brand))).bearer;
  const sellerBrand = brandId;
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'faults-media', MEDIA]);
  try {
    const filler = path.join(MEDIA, 'filler');
    // fill it to the last 12 KiB: enough for a folder or two, not for the renditions of a photo
    const free = () => { const s = fs.statfsSync(MEDIA); return s.bavail * s.bsize; };
    fs.writeFileSync(filler, Buffer.alloc(free() - 12 * 1024));
    const upload = (image) => {
      const boundary = `faults${RUN}`;
      const parts = [['name', `장애 ${RUN} 셔츠`], ['category_id', category], ['style_id', style], ['list_price', 50000],
        ['sale_price', 45000], ['status', 'active'], ['description', '디스크가 가득 찬 날']]
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
      const body = Buffer.concat([Buffer.from(parts + `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="p.png"\r\n`
        + 'Content-Type: image/png\r\n\r\n'), image, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      return once({ method: 'POST', path: '/api/v1/seller/products', body,
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Authorization: `Bearer ${token}` } });
    };
    const products = () => num(`SELECT COUNT(*) FROM products WHERE brand_id = ${sellerBrand}`);
    const before = products(), images = num('SELECT COUNT(*) FROM product_images');
    const restarts = await workerRestarts();
    const image = png(900, 1200);
    const res = await upload(image);
    diag(`upload to a full disk: ${res.status} ${res.type} ${res.text.slice(0, 200)}`);
    // 503 (try again later), not a 500: a full disk is an operator's matter, not a bug (src/media/media.c)
    assert.equal(res.status, 503, `status ${res.status}`);
    assert.match(res.type, /^application\/problem\+json/);
    assert.equal(JSON.parse(res.text).code, 'SERVICE_UNAVAILABLE');
    assert.deepEqual(filesUnder(MEDIA), ['filler'], 'files (or temporary files) left in the media folder');
    assert.equal(products(), before, 'a product row was written');
    assert.equal(num('SELECT COUNT(*) FROM product_images'), images, 'an image row was written');
    assert.equal(await workerRestarts(), restarts, 'a worker died');
    fs.unlinkSync(filler);
    const ok = await upload(image);
    assert.equal(ok.status, 201, `the same upload with room: ${ok.status} ${ok.text.slice(0, 300)}`);
    const keys = rows(`SELECT image_key FROM product_images WHERE product_id = ${JSON.parse(ok.text).id}`).map((r) => r[0]);
    assert.equal(keys.length, 1);
    assert.ok(filesUnder(MEDIA).some((f) => f.includes(keys[0].slice(0, 64))), `no file for ${keys[0]}`);
  } finally {
    execFileSync('umount', ['-l', MEDIA]);
  }
});

// ---- MariaDB stopped and started under load, 64 buyers checking out --------------------------

test('MariaDB restart under load and 64 buyers: clean 503s, back within 5 s, no worker crash, no oversell, no half-written order', async () => {
  const STOCK = QUICK ? 150 : 400; // the full run restarts twice: sales on both sides of each
  const { variant } = product(STOCK);
  const buyers = shoppers(64, 'buyers');
  const m = master(), workersBefore = childPids(m), restarts = await workerRestarts();
  const pages = startLoad({ targets: PAGES, concurrency: 8 });
  let seq = 0;
  const buying = startLoad({ concurrency: 64, pauseMs: 50, targets: [(i) => order(buyers[i], variant, `restart-${RUN}-${i}-${++seq}`)] });
  const down = [];
  for (let cycle = 0; cycle < (QUICK ? 1 : 2); cycle++) {
    await sleep(cycle === 0 ? 300 : 1500);
    const stopping = Date.now();
    lib('stop_mariadb', DB_DIR);
    const stopped = Date.now();
    await sleep(2500);
    lib('start_mariadb', DB_DIR);
    down.push({ stopping, stopped, up: Date.now() });
    await sleep(QUICK ? 5500 : 6000);
  }
  const pageResults = await pages.stop();
  const buyResults = await buying.stop();
  const all = [...pageResults, ...buyResults];
  diag(`pages: ${summary(pageResults)}; checkouts: ${summary(buyResults)}`);
  diag(`MariaDB down: ${down.map((d) => `stopped in ${ms(d.stopped - d.stopping)}, started after ${ms(d.up - d.stopped)}`).join('; ')}`);
  const first = down[0], last = down[down.length - 1];
  const placed = (from, to) => buyResults.filter((r) => r.status === 201 && r.end >= from && r.end < to).length;
  diag(`checkouts answered 201: ${placed(0, first.stopping)} before the first stop, ${placed(first.stopping, first.up)} while`
    + ` it stopped and was down, ${placed(first.up, Infinity)} after; ${buyResults.filter((r) => r.start < first.stopping
      && r.end > first.stopping).length} in flight when the stop began`);
  // recovery: the first time after the start from which every page request succeeds
  const lastBad = pageResults.filter((r) => r.status !== 200 && r.start >= last.stopping).reduce((t, r) => Math.max(t, r.end), last.up);
  diag(`pages all 200 again ${ms(lastBad - last.up)} after MariaDB answered`);
  const unclean = all.filter((r) => failed(r, [503]));
  const sample = unclean.slice(0, 5).map((r) => `${r.status || r.error} ${r.path}`).join(', ');
  assert.equal(unclean.length, 0, `answers other than 2xx/4xx/503 (a 502 is a worker that died): ${sample}`);
  const got503 = all.filter((r) => r.status === 503);
  assert.ok(got503.length > 0, 'no 503 while MariaDB was down: was it down?');
  assert.ok(got503.every((r) => /problem\+json|text\/html/.test(r.type)), 'a 503 without a problem+json or an error page');
  assert.ok(lastBad - last.up < 5000, `the pages were back ${lastBad - last.up} ms after MariaDB`);
  assert.ok(alive(m) && master() === m, 'the master is gone');
  assert.equal(await workerRestarts(), restarts, 'a worker died while MariaDB was down');
  assert.deepEqual(childPids(m), workersBefore, 'the workers changed');
  // the database: no oversell, every order whole
  const ids = buyers.map((b) => b.id).join(',');
  const [stock, sold, orders, created] = one(`SELECT (SELECT stock FROM product_variants WHERE id = ${variant}),
    (SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE variant_id = ${variant}),
    (SELECT COUNT(*) FROM orders WHERE user_id IN (${ids})),
    (SELECT COUNT(*) FROM stock_movements WHERE variant_id = ${variant} AND reason = 'order')`).map(Number);
  const answered201 = buyResults.filter((r) => r.status === 201).length;
  diag(`stock ${STOCK}: ${sold} sold in ${orders} orders (${answered201} answered 201), ${stock} left, ${created} stock movements`);
  assert.ok(stock >= 0 && sold <= STOCK && stock === STOCK - sold, `oversell: stock ${stock}, sold ${sold} of ${STOCK}`);
  assert.ok(answered201 <= orders, `${answered201} checkouts answered 201 but ${orders} orders exist`);
  assert.ok(sold > 0, 'nothing sold: the buyers never got through');
  const [noLines, noMovement, orphan] = one(`SELECT
    (SELECT COUNT(*) FROM orders o WHERE o.user_id IN (${ids}) AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)),
    (SELECT COUNT(*) FROM order_lines l WHERE l.variant_id = ${variant}
       AND (SELECT COUNT(*) FROM stock_movements s WHERE s.order_line_id = l.id AND s.reason = 'order') <> 1),
    (SELECT COUNT(*) FROM stock_movements s WHERE s.variant_id = ${variant} AND s.reason = 'order'
       AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.id = s.order_line_id))`).map(Number);
  assert.deepEqual({ noLines, noMovement, orphan }, { noLines: 0, noMovement: 0, orphan: 0 }, 'half-written orders');
});

// ---- lonua jobs SIGKILLed mid-delivery --------------------------------------------------------

// A TCP proxy in front of the sink that holds each of the sink's replies for `delay` ms: each
// SMTP step takes that long, and the sink has a message a while before the jobs process hears 250.
function slowProxy(target, delay) {
  const server = net.createServer((client) => {
    const up = net.connect(target, '127.0.0.1');
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('data', (d) => up.write(d));
    up.on('data', (d) => setTimeout(() => { if (!client.destroyed) client.write(d); }, delay));
    client.on('close', () => up.destroy());
    up.on('close', () => setTimeout(() => client.destroy(), delay + 10));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function startJobs(smtpPort) {
  const env = { ...process.env, LONUA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}/lonua.test`, LONUA_SMTP_STARTTLS: '0',
    LONUA_PID_FILE: path.join(RUN_DIR, 'faults-jobs.pid'), LONUA_JOBS_POLL_MS: '100', LONUA_OUTBOX_RETRY_SECONDS: '1',
    LONUA_HTTP_TIMEOUT_MS: '5000' };
  delete env.LONUA_MAIL_DIR;
  const fd = fs.openSync(path.join(RUN_DIR, 'faults-jobs.log'), 'a');
  const child = spawn(BIN, ['jobs'], { env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  child.exited = new Promise((r) => child.once('exit', r));
  return child;
}

test('lonua jobs SIGKILLed mid-delivery: every mail is delivered, at most once more for each kill; none lost', async () => {
  lib('stop_pidfile', path.join(RUN_DIR, 'jobs.pid')); // the stack's own jobs (to a folder)
  const sink = await startSink({ port: 0 });
  const proxy = await slowProxy(sink.port, 120);
  const N = QUICK ? 6 : 20, KILLS = QUICK ? 2 : 5;
  const subject = (i) => `faults ${RUN} mail ${i}`;
  const ids = sql(Array.from({ length: N }, (_, i) => `INSERT INTO outbox (kind, payload) VALUES ('mail',
    JSON_OBJECT('to', 'faults-${RUN}-${i}@example.test', 'subject', ${lit(subject(i))}, 'text', '장애 시험 메일'));
    SELECT LAST_INSERT_ID();`).join('\n')).split('\n').filter(Boolean).map(Number);
  let jobs = startJobs(proxy.address().port);
  let kills = 0;
  try {
    for (; kills < KILLS; kills++) {
      if (kills % 2 === 0) {
        // the moment the sink has accepted a message, before its 250 reaches the jobs process
        const seen = sink.messages.length;
        await until('the sink accepts a message', () => sink.messages.length > seen, 20000, 2);
      } else {
        // mid-dialogue: the sink has MAIL FROM, the jobs process waits for its 250
        const seen = sink.log.length;
        await until('a delivery starts', () => sink.log.slice(seen).some((e) => e.from === 'C' && /^MAIL FROM/i.test(e.line)), 20000, 2);
      }
      jobs.kill('SIGKILL');
      await jobs.exited;
      jobs = startJobs(proxy.address().port);
    }
    await until('every mail sent', () => num(`SELECT COUNT(*) FROM outbox WHERE id IN (${ids.join(',')}) AND state = 'sent'`) === N,
      QUICK ? 30000 : 60000, 200);
  } finally {
    jobs.kill('SIGTERM');
    await jobs.exited;
    proxy.close();
    await sink.close();
    lib('start_jobs', path.dirname(BIN), RUN_DIR); // the stack's jobs again
  }
  const counts = Array.from({ length: N }, (_, i) => sink.messages.filter((msg) => msg.rcpt_tos.some((to) => to.includes(`faults-${RUN}-${i}@`))).length);
  diag(`${N} mails, ${kills} kills of lonua jobs (right after the relay accepted a message, or after MAIL FROM): received ${counts.join(' ')} times`);
  assert.ok(counts.every((c) => c >= 1), `lost mails: ${counts.map((c, i) => (c ? null : i)).filter((i) => i !== null).join(', ')}`);
  const extra = counts.reduce((a, c) => a + c - 1, 0);
  assert.ok(extra <= kills, `${extra} duplicates for ${kills} kills`);
  assert.equal(num(`SELECT COUNT(*) FROM outbox WHERE id IN (${ids.join(',')}) AND state <> 'sent'`), 0);
});

// ---- blue/green (LAST) ------------------------------------------------------------------------

test('blue/green under load: a second lonua serve, nginx switched to it by reload, the first stopped: 0 failed requests', async () => {
  const blue = master();
  const blueSock = path.join(RUN_DIR, 'lonua.sock'), greenSock = path.join(RUN_DIR, 'green.sock');
  const greenPid = path.join(RUN_DIR, 'green.pid');
  const fd = fs.openSync(path.join(RUN_DIR, 'green.log'), 'a');
  const green = spawn(BIN, ['serve'], { env: { ...process.env, LONUA_LISTEN: greenSock, LONUA_PID_FILE: greenPid }, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  green.unref();
  await until('green listens', () => fs.existsSync(greenSock) && fs.existsSync(greenPid), 10000);
  const load = startLoad({ targets: PAGES, concurrency: 16 });
  await sleep(800);
  const conf = fs.readFileSync(NGINX_CONF, 'utf8');
  assert.ok(conf.includes(`unix:${blueSock}`), 'the nginx configuration does not name the blue socket');
  fs.writeFileSync(NGINX_CONF, conf.split(`unix:${blueSock}`).join(`unix:${greenSock}`));
  execFileSync('nginx', ['-p', NGINX_PREFIX, '-c', NGINX_CONF, '-s', 'reload'], { stdio: 'ignore' });
  const switched = Date.now();
  await sleep(1000);
  process.kill(blue, 'SIGTERM');
  await until('blue exits', () => !alive(blue), 15000, 50);
  const stopped = Date.now();
  pidFile = greenPid;
  await sleep(1000);
  const results = await load.stop();
  diag(`${summary(results)}; blue stopped ${ms(stopped - switched)} after the switch`);
  assert.deepEqual(results.filter((r) => failed(r) || r.status >= 400).map((r) => `${r.status || r.error} ${r.path}`), []);
  assert.ok(results.filter((r) => r.start > stopped).length > 50, 'too few requests after blue stopped');
  assert.equal(childPids(master()).length, WORKERS, 'green has its workers');
});

await run();
