// A local HTTP server that fakes Kakao Login for tests (integrations.md §2, §2.4): both hosts in
// one server, so the shop's auth base URL (kauth.kakao.com) and API base URL (kapi.kakao.com)
// may both point at it.
//   GET  /oauth/authorize   client_id, response_type=code, redirect_uri from the allow-list
//                           (else a 400 HTML page: KOE101 / KOE001 / KOE006, no redirect), then
//                           302 to redirect_uri?code=…&state=<echo>
//   POST /oauth/token       form-encoded only; authorization_code (single-use code bound to
//                           client_id + redirect_uri, else 400 invalid_grant KOE320) and
//                           refresh_token (unknown → 400 invalid_grant KOE322); a configured
//                           client_secret is checked (401 invalid_client KOE010)
//   GET|POST /v2/user/me    Bearer token → the login's profile; dead token → 401 code -401
//   GET  /v1/user/access_token_info;  POST /v1/user/logout, /v1/user/unlink → {"id":…}, then
//                           the token (unlink: every token of the user) is dead
// Profiles (PROFILES below; one is picked per login): full, no_email (not consented),
// unverified_email, no_account (no kakao_account), big_id (id 9007199254740993 = 2^53 + 1, above
// 2^31, 2^32 and what a double holds; always written as a plain JSON integer).
// Settings: clientId, clientSecret (null = not checked), redirectUris, profile (default for
// logins), nextProfile (the next login only), accessTokenTtl, refreshTokenTtl, codeTtl (s).
// A profile is a name or a user object; give an id above 2^53 as a string of digits.
// Failure knobs (values as in knobs.mjs: true = until reset, N = next N times, { times, … }):
//   deny          the user refuses: redirect with error=access_denied&error_description=…&state=…
//   tamperState   the redirect carries a different state;  dropState  it carries none
//   delay         { ms = 10000, path } answer late (the work is done at once: a timed-out code
//                 exchange still uses the code up); without path, any endpoint
//   issueExpired  the next access tokens issued are already dead (/v2/user/me → -401)
//   meFail        { status = 500, html, required_scopes, code, msg } /v2/user/me fails: 500 JSON,
//                 503 {"code":-9798}, 403 {"code":-402,"required_scopes":…}; html: an HTML body
// As a module: const kakao = await start({ port: 0, redirectUris: [...], clientSecret });
//   kakao.url; kakao.requests (every request but /__fake/*, with its status);
//   kakao.set({ nextProfile: 'no_email', meFail: 1 }); kakao.expire(token?); kakao.reset();
//   await kakao.close();
// As a process (prints "listening <port>"):
//   node tests/fakes/kakao-fake.mjs --port 0 --client-id K [--client-secret S]
//        --redirect-uri URI [--redirect-uri URI2 …] [--profile NAME] [--exit-with-stdin]
// Control surface on the same port: GET|POST /__fake/config (JSON settings and knobs),
//   GET /__fake/log, POST /__fake/reset, POST /__fake/expire ({"access_token":…} or all).
import http from 'node:http';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Knobs } from './knobs.mjs';
import { serve, listen } from './proc.mjs';

const KNOBS = ['deny', 'tamperState', 'dropState', 'delay', 'issueExpired', 'meFail'];
const SETTINGS = ['clientId', 'clientSecret', 'redirectUris', 'profile', 'nextProfile', 'accessTokenTtl', 'refreshTokenTtl', 'codeTtl'];
const RENEW_REFRESH_BELOW = 30 * 24 * 3600; // Kakao renews a refresh token with less than a month left

const account = (nickname, email, extra = {}) => ({
  profile_nickname_needs_agreement: false,
  profile: { nickname, is_default_image: true },
  has_email: true,
  email_needs_agreement: false,
  is_email_valid: true,
  is_email_verified: true,
  email,
  ...extra,
});

export const PROFILES = {
  full: { id: 1000000001n, connected_at: '2025-01-05T03:21:45Z', properties: { nickname: 'Gildong' }, kakao_account: account('Gildong', 'gildong@example.test') },
  no_email: {
    id: 1000000002n,
    connected_at: '2025-01-06T04:00:00Z',
    properties: { nickname: 'Chunhyang' },
    kakao_account: { profile_nickname_needs_agreement: false, profile: { nickname: 'Chunhyang', is_default_image: true }, has_email: true, email_needs_agreement: true },
  },
  unverified_email: {
    id: 1000000003n,
    connected_at: '2025-01-07T05:00:00Z',
    properties: { nickname: 'Simcheong' },
    kakao_account: account('Simcheong', 'simcheong@example.test', { is_email_verified: false }),
  },
  no_account: { id: 1000000004n, connected_at: '2025-01-08T06:00:00Z', properties: { nickname: 'Heungbu' } },
  big_id: { id: 9007199254740993n, connected_at: '2025-01-09T07:00:00Z', properties: { nickname: 'Kongjwi' }, kakao_account: account('Kongjwi', 'kongjwi@example.test') },
};

// JSON with BigInt ids written as plain integers.
export function toJson(value) {
  return JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? `__bigint__${v}` : v)).replace(/"__bigint__(-?\d+)"/g, '$1');
}

// A profile name or object → a fresh user object with a BigInt id.
function profileOf(p) {
  if (typeof p === 'string') {
    if (!PROFILES[p]) throw new Error(`unknown profile "${p}" (known: ${Object.keys(PROFILES).join(', ')})`);
    return structuredClone(PROFILES[p]);
  }
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error('a profile is a name or a user object');
  const user = structuredClone(p);
  if (typeof user.id === 'string' && /^\d{1,19}$/.test(user.id)) user.id = BigInt(user.id);
  else if (Number.isSafeInteger(user.id)) user.id = BigInt(user.id);
  else if (typeof user.id !== 'bigint') throw new Error(`profile id must be an integer (above 2^53: a string of digits), got ${JSON.stringify(user.id)}`);
  return user;
}

const scopeOf = (user) => [
  (user.kakao_account?.profile || user.properties?.nickname) && 'profile_nickname',
  user.kakao_account?.email !== undefined && 'account_email',
].filter(Boolean).join(' ');

const newToken = (n = 32) => crypto.randomBytes(n).toString('base64url');
const json = (status, value) => ({ status, type: 'application/json;charset=UTF-8', body: toJson(value) });
const authError = (status, error, description, code) => json(status, { error, error_description: description, ...(code ? { error_code: code } : {}) });
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (status, title, text) => ({
  status,
  type: 'text/html;charset=utf-8',
  body: `<!DOCTYPE html>\n<html><head><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>\n`,
});

export async function start({ port = 0, host = '127.0.0.1', ...options } = {}) {
  const initial = { clientId: 'lonua-kakao-test-key', clientSecret: null, redirectUris: [], profile: 'full', nextProfile: null, accessTokenTtl: 21599, refreshTokenTtl: 5183999, codeTtl: 600 };
  const knobs = new Knobs(KNOBS);
  const requests = [];
  const codes = new Map(); // code → { clientId, redirectUri, user, expiresAt }
  const access = new Map(); // access token → { user, scope, refresh, expiresAt, dead }
  const refresh = new Map(); // refresh token → { user, scope, clientId, expiresAt }
  const timers = new Set();
  let settings;

  function set(values) {
    const next = { ...settings };
    const knobValues = {};
    for (const [k, v] of Object.entries(values || {})) {
      if (KNOBS.includes(k)) knobValues[k] = v;
      else if (!SETTINGS.includes(k)) throw new Error(`unknown setting or knob "${k}" (settings: ${SETTINGS.join(', ')}; knobs: ${KNOBS.join(', ')})`);
      else if (k === 'profile' || (k === 'nextProfile' && v !== null)) next[k] = profileOf(v) && v;
      else if (k === 'redirectUris') next[k] = [].concat(v).map(String);
      else if (k.endsWith('Ttl') && !(Number.isInteger(v) && v >= 0)) throw new Error(`${k} must be a whole number of seconds`);
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
    codes.clear();
    access.clear();
    refresh.clear();
  }
  reset();

  function issue(user, scope, clientId, withRefresh) {
    const now = Date.now();
    const token = newToken();
    const out = { token_type: 'bearer', access_token: token, expires_in: settings.accessTokenTtl };
    const rec = { user, scope, refresh: null, expiresAt: knobs.take('issueExpired') ? 0 : now + settings.accessTokenTtl * 1000, dead: false };
    if (withRefresh) {
      rec.refresh = newToken();
      refresh.set(rec.refresh, { user, scope, clientId, expiresAt: now + settings.refreshTokenTtl * 1000 });
      out.refresh_token = rec.refresh;
      out.refresh_token_expires_in = settings.refreshTokenTtl;
    }
    access.set(token, rec);
    if (scope) out.scope = scope;
    return { out, rec };
  }

  function authorize(q) {
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== settings.clientId) return page(400, 'KOE101', `invalid client_id "${q.get('client_id')}"`);
    if (!redirectUri || !settings.redirectUris.includes(redirectUri)) {
      return page(400, 'KOE006', `redirect_uri "${redirectUri}" is not registered (registered: ${settings.redirectUris.join(' ') || 'none'})`);
    }
    if (q.get('response_type') !== 'code') return page(400, 'KOE001', `response_type must be "code", got "${q.get('response_type')}"`);
    const params = [];
    if (knobs.take('deny')) {
      params.push(['error', 'access_denied'], ['error_description', 'User denied access']);
    } else {
      const code = newToken(48);
      const user = profileOf(settings.nextProfile ?? settings.profile);
      settings.nextProfile = null;
      codes.set(code, { clientId: settings.clientId, redirectUri, user, expiresAt: Date.now() + settings.codeTtl * 1000 });
      params.push(['code', code]);
    }
    const state = q.get('state');
    if (knobs.take('dropState')) { /* no state */ }
    else if (knobs.take('tamperState')) params.push(['state', `tampered-${newToken(6)}`]);
    else if (state !== null) params.push(['state', state]);
    const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    return { status: 302, location: redirectUri + (redirectUri.includes('?') ? '&' : '?') + query, type: 'text/html;charset=utf-8', body: '' };
  }

  function token(req, body) {
    const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return authError(400, 'invalid_request', `Content-Type must be application/x-www-form-urlencoded, got "${type}"`);
    }
    const f = new URLSearchParams(body.toString('utf8'));
    if (f.get('client_id') !== settings.clientId) return authError(401, 'invalid_client', 'Bad client credentials', 'KOE101');
    if (settings.clientSecret !== null && f.get('client_secret') !== settings.clientSecret) {
      return authError(401, 'invalid_client', 'Bad client credentials', 'KOE010');
    }
    const now = Date.now();
    if (f.get('grant_type') === 'authorization_code') {
      const code = f.get('code');
      const c = code !== null && codes.get(code);
      if (!c || c.expiresAt <= now || c.clientId !== f.get('client_id') || c.redirectUri !== f.get('redirect_uri')) {
        return authError(400, 'invalid_grant', `authorization code not found for code=${code}`, 'KOE320');
      }
      codes.delete(code);
      return json(200, issue(c.user, scopeOf(c.user), c.clientId, true).out);
    }
    if (f.get('grant_type') === 'refresh_token') {
      const old = f.get('refresh_token');
      const r = old !== null && refresh.get(old);
      if (!r || r.expiresAt <= now || r.clientId !== f.get('client_id')) {
        return authError(400, 'invalid_grant', 'expired_or_invalid_refresh_token', 'KOE322');
      }
      const renew = r.expiresAt - now < RENEW_REFRESH_BELOW * 1000;
      const { out, rec } = issue(r.user, r.scope, r.clientId, renew);
      if (renew) refresh.delete(old);
      else rec.refresh = old;
      return json(200, out);
    }
    return authError(400, 'invalid_request', `unsupported grant_type "${f.get('grant_type')}"`);
  }

  // The live record of the request's Bearer token, or null.
  function bearer(req) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '');
    const rec = m && access.get(m[1]);
    return rec && !rec.dead && rec.expiresAt > Date.now() ? rec : null;
  }
  const noToken = () => json(401, { msg: 'this access token does not exist', code: -401 });

  function me(rec) {
    const k = knobs.take('meFail');
    if (!k) return json(200, rec.user);
    const status = k.status ?? 500;
    if (k.html) {
      const title = `${status} ${http.STATUS_CODES[status] || 'Error'}`; // what a proxy in front says
      return { status, type: 'text/html', body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n` };
    }
    if (status === 403) {
      const required = [].concat(k.required_scopes ?? ['account_email']);
      return json(403, {
        msg: k.msg ?? `[${required.join(',')}] insufficient scopes.`,
        code: k.code ?? -402,
        api_type: 'USER_ME',
        required_scopes: required,
        allowed_scopes: rec.scope ? rec.scope.split(' ') : [],
      });
    }
    if (status === 503) return json(503, { msg: k.msg ?? 'system is under maintenance', code: k.code ?? -9798 });
    return json(status, { msg: k.msg ?? 'internal server error', code: k.code ?? -1 });
  }

  function route(req, url, body) {
    const known = {
      '/oauth/authorize': ['GET'],
      '/oauth/token': ['POST'],
      '/v2/user/me': ['GET', 'POST'],
      '/v1/user/access_token_info': ['GET'],
      '/v1/user/logout': ['POST'],
      '/v1/user/unlink': ['POST'],
    }[url.pathname];
    if (!known) return json(404, { msg: `no such endpoint in the fake: ${url.pathname}`, code: -2 });
    if (!known.includes(req.method)) return { ...json(405, { msg: `${req.method} not allowed`, code: -2 }), allow: known.join(', ') };
    if (url.pathname === '/oauth/authorize') return authorize(url.searchParams);
    if (url.pathname === '/oauth/token') return token(req, body);
    const rec = bearer(req);
    if (!rec) return noToken();
    if (url.pathname === '/v2/user/me') return me(rec);
    if (url.pathname === '/v1/user/access_token_info') {
      return json(200, { id: rec.user.id, expires_in: Math.max(0, Math.floor((rec.expiresAt - Date.now()) / 1000)), app_id: 100001 });
    }
    if (url.pathname === '/v1/user/logout') {
      rec.dead = true;
      refresh.delete(rec.refresh);
    } else { // unlink: every token of this user dies
      for (const a of access.values()) if (a.user.id === rec.user.id) a.dead = true;
      for (const [t, r] of refresh) if (r.user.id === rec.user.id) refresh.delete(t);
    }
    return json(200, { id: rec.user.id });
  }

  function control(req, url, body) {
    const r = `${req.method} ${url.pathname}`;
    const input = () => (body.length ? JSON.parse(body.toString('utf8')) : {});
    try {
      if (r === 'GET /__fake/config') return json(200, { ...settings, knobs: knobs.state() });
      if (r === 'POST /__fake/config') { set(input()); return json(200, { ...settings, knobs: knobs.state() }); }
      if (r === 'GET /__fake/log') return json(200, requests);
      if (r === 'POST /__fake/reset') { reset(); return json(200, { ...settings, knobs: knobs.state() }); }
      if (r === 'POST /__fake/expire') return json(200, { expired: expire(input().access_token) });
      return json(404, { error: `no such control endpoint: ${r}` });
    } catch (err) {
      return json(400, { error: err.message });
    }
  }

  // Ends one access token (or all when none is named); answers how many were alive.
  function expire(tokenValue) {
    let n = 0;
    for (const [t, rec] of access) {
      if (tokenValue !== undefined && t !== tokenValue) continue;
      if (!rec.dead && rec.expiresAt > Date.now()) n++;
      rec.expiresAt = 0;
    }
    return n;
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url, 'http://kakao-fake');
      const body = Buffer.concat(chunks);
      let out;
      if (url.pathname.startsWith('/__fake/')) out = control(req, url, body);
      else {
        const entry = { at: new Date().toISOString(), method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: body.toString('utf8'), status: null };
        requests.push(entry);
        out = route(req, url, body);
        entry.status = out.status;
        const d = knobs.peek('delay');
        if (d && (!d.path || d.path === url.pathname)) {
          knobs.take('delay');
          await new Promise((resolve) => {
            const t = setTimeout(() => { timers.delete(t); resolve(); }, d.ms ?? 10000);
            timers.add(t);
          });
        }
      }
      if (res.destroyed) return;
      const headers = { 'Content-Type': out.type, 'Content-Length': Buffer.byteLength(out.body), 'Cache-Control': 'no-store' };
      if (out.location) headers.Location = out.location;
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
    profiles: Object.keys(PROFILES),
    set,
    config: () => JSON.parse(toJson({ ...settings, knobs: knobs.state() })),
    expire,
    reset,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  serve(start, {
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    profile: { type: 'string' },
    'access-token-ttl': { type: 'string' },
  }, (v, int) => {
    const o = {};
    if (v['client-id'] !== undefined) o.clientId = v['client-id'];
    if (v['client-secret'] !== undefined) o.clientSecret = v['client-secret'];
    if (v['redirect-uri'] !== undefined) o.redirectUris = v['redirect-uri'];
    if (v.profile !== undefined) o.profile = v.profile;
    if (v['access-token-ttl'] !== undefined) o.accessTokenTtl = int('access-token-ttl');
    return o;
  });
}
