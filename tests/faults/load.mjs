// A load driver for the fault suite: `concurrency` loops, each sending one request after another
// over a keep-alive connection to nginx (as wrk does), recording every answer with its start and
// end times, so a case can say which requests failed and whether they were in flight at a fault.
//   const l = startLoad({ targets: [{ path, headers }], concurrency: 16, pauseMs: 0 });
//   …fault…;  const results = await l.stop();   // [{ start, end, status, error, path, type }]
// A target may also be a function (i, n) → { method, path, headers, body } for writes.
import http from 'node:http';

const BASE = new URL((process.env.LONUA_BASE_URL || '').replace(/\/+$/, ''));

// A GET that fails on a kept keep-alive connection before any answer (the server closed the idle
// connection as the request went out: nginx's old workers do on a reload) is sent once more on a
// new connection (not another kept one, which may be closing too), as browsers do (RFC 9112
// §9.3.1); the result says retried: true. A connection counts as kept when it carried an answer
// before: Node's req.reusedSocket misses a socket the agent hands to a request that waited for one.
const answered = new WeakSet(); // sockets that carried a whole answer
export function once({ method = 'GET', path, headers = {}, body, agent, timeout = 15000 }, retried = false) {
  return new Promise((resolve) => {
    const start = Date.now();
    let settled = false, socket = null;
    const done = (r) => { if (!settled) { settled = true; resolve({ start, end: Date.now(), path, method, retried, ...r }); } };
    const req = http.request({ host: BASE.hostname, port: BASE.port, method, path, agent,
      headers: body ? { 'Content-Length': Buffer.byteLength(body), ...headers } : headers });
    req.on('socket', (s) => { socket = s; });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeout} ms`)), timeout);
    req.on('error', (err) => {
      clearTimeout(timer);
      const kept = socket !== null && answered.has(socket);
      if (kept && !retried && method === 'GET' && ['ECONNRESET', 'EPIPE'].includes(err.code)) {
        once({ method, path, headers, body, agent: false, timeout }, true).then((r) => resolve({ ...r, start }));
        return;
      }
      const where = kept ? 'kept connection' : retried ? 'the resend' : 'new connection';
      done({ status: 0, error: `${err.code || err.message} (${where})` });
    });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => { clearTimeout(timer); done({ status: 0, error: err.code || err.message }); });
      // nginx closes the connection when the worker died after the answer's head went out
      res.on('close', () => { clearTimeout(timer); if (!res.complete) done({ status: 0, error: `answer ${res.statusCode} cut short` }); });
      res.on('end', () => {
        clearTimeout(timer);
        answered.add(socket);
        const text = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode, type: res.headers['content-type'] || '', text: text.length < 4096 ? text : '' });
      });
    });
    req.end(body);
  });
}

export function startLoad({ targets, concurrency = 16, pauseMs = 0, keepAlive = true }) {
  const agent = new http.Agent({ keepAlive, maxSockets: concurrency });
  const results = [];
  let running = true;
  let n = 0;
  const loop = async (i) => {
    while (running) {
      const k = n++;
      const t = targets[k % targets.length];
      const spec = typeof t === 'function' ? t(i, k) : t;
      if (!spec) break;
      const r = await once({ ...spec, agent });
      r.loop = i;
      results.push(r);
      if (spec.onResult) spec.onResult(r);
      if (pauseMs) await new Promise((res) => setTimeout(res, pauseMs));
    }
  };
  const loops = Array.from({ length: concurrency }, (_, i) => loop(i));
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return results;
    },
  };
}

// A failed answer: no HTTP answer at all, or a 5xx other than the ones a case allows.
export const failed = (r, allowed = []) => r.status === 0 || (r.status >= 500 && !allowed.includes(r.status));

export function summary(results) {
  const by = new Map();
  for (const r of results) {
    const k = r.status === 0 ? `error ${r.error}` : String(r.status);
    by.set(k, (by.get(k) || 0) + 1);
  }
  const again = results.filter((r) => r.retried).length;
  return `${results.length} requests: ${[...by].map(([k, v]) => `${k}×${v}`).join(', ')}`
    + (again ? ` (${again} sent again after the server closed an idle keep-alive connection)` : '');
}
