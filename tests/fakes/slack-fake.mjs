// A local HTTP server that fakes a Slack incoming webhook for tests (integrations.md §3, §3.4):
//   POST <hookPath>    Content-Type application/json; invalid JSON → 400 invalid_payload; neither
//                      `text` nor `blocks` → 400 no_text; otherwise 200 with the plain text `ok`
//   POST other paths   404 no_service;  any other method → 405
// Every request but /__fake/* is recorded (method, path, headers, raw body, parsed JSON, status).
// Failure knobs (values as in knobs.mjs: true = until reset, N = next N times, { times, … }):
//   fail     { status = 500, error = 'rollup_error', retryAfter } answer that status with that
//            plain-text error (429 sends Retry-After: retryAfter, default 2)
//   drop     close the connection without an answer
// As a module: const slack = await start({ port: 0, hookPath: '/services/T0/B0/secret' });
//   slack.url (base), slack.hookUrl (the webhook's whole URL: the secret), slack.requests,
//   slack.set({ fail: { times: 2, status: 500 } }), slack.reset(), await slack.close().
// As a process (prints "listening <port>"):
//   node tests/fakes/slack-fake.mjs --port 0 [--hook-path /services/T0/B0/X] [--exit-with-stdin]
// Control surface on the same port: GET /__fake/log, POST /__fake/config (JSON knobs),
//   POST /__fake/reset.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Knobs } from './knobs.mjs';
import { serve, listen } from './proc.mjs';

const KNOBS = ['fail', 'drop'];

export async function start({ port = 0, host = '127.0.0.1', hookPath = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX' } = {}) {
  const knobs = new Knobs(KNOBS);
  const requests = [];

  const answer = (res, status, text, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text);
    return status;
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://fake');
      if (url.pathname.startsWith('/__fake/')) {
        if (req.method === 'GET' && url.pathname === '/__fake/log') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return res.end(JSON.stringify(requests));
        }
        if (req.method === 'POST' && url.pathname === '/__fake/reset') {
          reset();
          return answer(res, 200, 'ok');
        }
        if (req.method === 'POST' && url.pathname === '/__fake/config') {
          try {
            knobs.set(JSON.parse(raw || '{}'));
          } catch (e) {
            return answer(res, 400, String(e.message));
          }
          return answer(res, 200, 'ok');
        }
        return answer(res, 404, 'not found');
      }
      const rec = { method: req.method, path: url.pathname, headers: req.headers, body: raw, json: null, status: 0 };
      requests.push(rec);
      if (knobs.take('drop')) {
        rec.status = -1;
        return req.socket.destroy();
      }
      if (req.method !== 'POST') return (rec.status = answer(res, 405, 'method_not_allowed'));
      if (url.pathname !== hookPath) return (rec.status = answer(res, 404, 'no_service'));
      const fail = knobs.take('fail');
      if (fail) {
        const status = fail.status ?? 500;
        const headers = status === 429 ? { 'Retry-After': String(fail.retryAfter ?? 2) } : {};
        return (rec.status = answer(res, status, fail.error ?? (status === 429 ? 'rate_limited' : 'rollup_error'), headers));
      }
      try {
        rec.json = JSON.parse(raw);
      } catch {
        return (rec.status = answer(res, 400, 'invalid_payload'));
      }
      if (!rec.json || typeof rec.json !== 'object' || (rec.json.text === undefined && rec.json.blocks === undefined))
        return (rec.status = answer(res, 400, 'no_text'));
      rec.status = answer(res, 200, 'ok');
    });
  });

  function reset() {
    requests.length = 0;
    knobs.reset();
  }

  await listen(server, port, host);
  const bound = server.address().port;
  return {
    host,
    port: bound,
    url: `http://${host}:${bound}`,
    hookUrl: `http://${host}:${bound}${hookPath}`,
    requests,
    set: (values) => knobs.set(values),
    reset,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  serve(start, { 'hook-path': { type: 'string' } }, (v) => (v['hook-path'] !== undefined ? { hookPath: v['hook-path'] } : {}));
}
