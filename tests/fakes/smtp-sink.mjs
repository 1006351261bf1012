// A local SMTP server that fakes the shop's mail relay for tests (integrations.md §4.3): it
// speaks line-oriented SMTP the way libcurl expects (220 greeting; EHLO with 250-… lines
// advertising 8BITMIME and SIZE; HELO, MAIL FROM, RCPT TO, DATA with un-dot-stuffing, RSET,
// NOOP, QUIT; anything else 502), keeps every accepted message with its envelope in memory and,
// given a directory, writes it there as NNNN.eml (the exact bytes) plus NNNN.json (envelope).
//
// Failure knobs (values as in knobs.mjs: true = until reset, N = the next N times,
// { times, …params }, false = off); a knob is used once per message or connection it affects:
//   refuse      accept the TCP connection and close it at once
//   silent      accept the TCP connection and never answer (the client has to time out)
//   greeting    { code = 421 } greet with this code, then close
//   rejectMail  { code = 451 } answer MAIL FROM with it
//   rejectRcpt  { code = 550, addresses = all } answer RCPT TO with it (only for these addresses)
//   rejectData  { code = 554 } answer the end of DATA with it (the message is not kept)
// Each knob also takes { message } to replace the reply text.
//
// As a module:
//   const sink = await start({ port: 0, dir, controlPort });  // controlPort: see below, optional
//   sink.port; sink.messages  // [{ id, mail_from, mail_params, rcpt_tos, content, size, bare_lf,
//                             //    helo, session, received_at }], .raw holds the Buffer
//   sink.log                  // the dialogue: [{ session, from: 'C'|'S'|'-', line }]
//   sink.set({ rejectRcpt: { times: 1, addresses: ['bad@example.test'] } }); sink.knobs();
//   sink.reset();  // forgets messages, log and knobs (ids keep counting)
//   await sink.close();
// As a process (prints "control <port>" then "listening <port>" on stdout when ready):
//   node tests/fakes/smtp-sink.mjs --port 0 --control-port 0 [--dir D] [--host H]
//        [--name sink.test] [--max-size BYTES] [--exit-with-stdin]
// Control HTTP surface on the control port:
//   GET /messages  GET /log  GET /config  POST /config (JSON knobs)  POST /reset
import net from 'node:net';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Knobs } from './knobs.mjs';
import { serve, listen } from './proc.mjs';

const KNOBS = ['refuse', 'silent', 'greeting', 'rejectMail', 'rejectRcpt', 'rejectData'];
const MAX_LINE = 4096;

export async function start({ port = 0, host = '127.0.0.1', dir = null, controlPort = null, name = 'sink.test', maxSize = 10485760 } = {}) {
  const knobs = new Knobs(KNOBS);
  const messages = [];
  const log = [];
  const sockets = new Set();
  let sessions = 0;
  let lastId = 0;
  if (dir) fs.mkdirSync(dir, { recursive: true });

  function set(values) {
    for (const [k, v] of Object.entries(values || {})) {
      if (v && typeof v === 'object' && v.code !== undefined && !(Number.isInteger(v.code) && v.code >= 400 && v.code <= 599)) {
        throw new Error(`knob "${k}": code must be an SMTP failure code 400-599, got ${JSON.stringify(v.code)}`);
      }
    }
    knobs.set(values);
  }

  function reset() {
    messages.length = 0;
    log.length = 0;
    knobs.reset();
  }

  function session(sock) {
    const id = ++sessions;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {}); // a client that resets the connection is not the sink's problem
    const note = (from, line) => log.push({ session: id, from, line });
    const reply = (...lines) => {
      for (const line of lines) {
        note('S', line);
        if (!sock.destroyed) sock.write(line + '\r\n');
      }
    };

    if (knobs.take('refuse')) { note('-', 'refused (closed at once)'); sock.destroy(); return; }
    if (knobs.take('silent')) { note('-', 'silent (never answers)'); sock.resume(); return; }
    const g = knobs.take('greeting');
    if (g) {
      reply(`${g.code ?? 421} ${g.message ?? `4.3.2 ${name} Service not available, closing transmission channel`}`);
      sock.end();
      return;
    }
    reply(`220 ${name} ESMTP LONUA test sink`);

    const st = { helo: null, tx: null, data: null, size: 0, done: false };
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (!st.done) {
        if (st.data) {
          const i = buf.indexOf('\r\n'); // in DATA only CRLF ends a line (a bare LF is content)
          if (i < 0) break;
          const line = buf.subarray(0, i);
          buf = buf.subarray(i + 2);
          if (line.length === 1 && line[0] === 0x2e) endData();
          else {
            const unstuffed = line[0] === 0x2e ? line.subarray(1) : line;
            st.data.push(unstuffed, Buffer.from('\r\n'));
            st.size += unstuffed.length + 2;
          }
        } else {
          const i = buf.indexOf('\n');
          if (i < 0) {
            if (buf.length > MAX_LINE) { reply('500 5.5.2 Error: line too long'); sock.end(); st.done = true; }
            break;
          }
          const line = buf.subarray(0, i).toString('utf8').replace(/\r$/, '');
          buf = buf.subarray(i + 1);
          command(line);
        }
      }
    });

    function command(line) {
      note('C', line);
      const [, verb = '', arg = ''] = /^(\S*)\s*(.*)$/.exec(line);
      switch (verb.toUpperCase()) {
        case 'EHLO':
          if (!arg) return reply('501 5.5.4 Syntax: EHLO hostname');
          st.helo = arg;
          st.tx = null;
          return reply(`250-${name} greets ${arg}`, '250-8BITMIME', `250 SIZE ${maxSize}`);
        case 'HELO':
          if (!arg) return reply('501 5.5.4 Syntax: HELO hostname');
          st.helo = arg;
          st.tx = null;
          return reply(`250 ${name}`);
        case 'MAIL': return mail(arg);
        case 'RCPT': return rcpt(arg);
        case 'DATA':
          if (!st.tx) return reply('503 5.5.1 Error: need MAIL command');
          if (!st.tx.rcpt_tos.length) return reply('503 5.5.1 Error: need RCPT command');
          st.data = [];
          st.size = 0;
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          st.tx = null;
          return reply('250 2.0.0 Ok');
        case 'NOOP': return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          st.done = true;
          return sock.end();
        default: return reply('502 5.5.2 Error: command not recognized');
      }
    }

    function mail(arg) {
      if (!st.helo) return reply('503 5.5.1 Error: send HELO/EHLO first');
      if (st.tx) return reply('503 5.5.1 Error: nested MAIL command');
      const m = /^FROM:\s*<([^<>]*)>\s*(.*)$/i.exec(arg);
      if (!m) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
      const params = {};
      for (const p of m[2].split(/\s+/).filter(Boolean)) {
        const [k, ...v] = p.split('=');
        params[k.toUpperCase()] = v.length ? v.join('=') : true;
      }
      if (Number(params.SIZE) > maxSize) return reply('552 5.3.4 Message size exceeds fixed limit');
      const k = knobs.take('rejectMail');
      if (k) return reply(`${k.code ?? 451} ${k.message ?? (fail(k, 451) ? '5.7.1 Sender rejected' : '4.3.0 Temporary failure, try again later')}`);
      st.tx = { mail_from: m[1], mail_params: params, rcpt_tos: [], knob: null };
      reply('250 2.1.0 Ok');
    }

    function rcpt(arg) {
      if (!st.tx) return reply('503 5.5.1 Error: need MAIL command');
      const m = /^TO:\s*<([^<>]+)>\s*(.*)$/i.exec(arg);
      if (!m) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
      const addr = m[1];
      const matches = (k) => k && (!k.addresses || [].concat(k.addresses).some((a) => a.toLowerCase() === addr.toLowerCase()));
      // one use per message: later recipients of the same message meet the same knob
      const k = matches(st.tx.knob) ? st.tx.knob : matches(knobs.peek('rejectRcpt')) ? (st.tx.knob = knobs.take('rejectRcpt')) : null;
      if (k) {
        return reply(`${k.code ?? 550} ${k.message ?? (fail(k, 550) ? `5.1.1 <${addr}>: Recipient address rejected: User unknown` : `4.2.0 <${addr}>: Recipient address temporarily rejected`)}`);
      }
      st.tx.rcpt_tos.push(addr);
      reply('250 2.1.5 Ok');
    }

    function endData() {
      const raw = Buffer.concat(st.data);
      const tx = st.tx;
      st.data = null;
      st.tx = null;
      note('C', `<${raw.length} bytes of message>`);
      note('C', '.');
      if (raw.length > maxSize) return reply('552 5.3.4 Message size exceeds fixed limit');
      const k = knobs.take('rejectData');
      if (k) return reply(`${k.code ?? 554} ${k.message ?? (fail(k, 554) ? '5.7.1 Message rejected' : '4.3.0 Temporary failure, try again later')}`);
      const msg = {
        id: ++lastId,
        session: id,
        helo: st.helo,
        mail_from: tx.mail_from,
        mail_params: tx.mail_params,
        rcpt_tos: tx.rcpt_tos,
        content: raw.toString('utf8'),
        size: raw.length,
        bare_lf: /(^|[^\r])\n/.test(raw.toString('latin1')),
        received_at: new Date().toISOString(),
      };
      Object.defineProperty(msg, 'raw', { value: raw }); // the exact bytes, left out of JSON
      messages.push(msg);
      if (dir) {
        const base = path.join(dir, String(msg.id).padStart(4, '0'));
        fs.writeFileSync(base + '.eml', raw);
        const { content, ...envelope } = msg;
        fs.writeFileSync(base + '.json', JSON.stringify(envelope, null, 2) + '\n');
      }
      reply(`250 2.0.0 Ok: queued as ${msg.id}`);
    }
  }

  const server = net.createServer(session);
  await listen(server, port, host);
  const fake = {
    host,
    port: server.address().port,
    controlPort: null,
    dir,
    messages,
    log,
    set,
    knobs: () => knobs.state(),
    reset,
    close,
  };

  let control = null;
  if (controlPort !== null && controlPort !== undefined) {
    control = http.createServer((req, res) => controlRequest(fake, req, res));
    await listen(control, controlPort, host);
    fake.controlPort = control.address().port;
  }

  async function close() {
    for (const s of sockets) s.destroy();
    const closing = [new Promise((r) => server.close(r))];
    if (control) {
      control.closeAllConnections();
      closing.push(new Promise((r) => control.close(r)));
    }
    await Promise.all(closing);
  }

  return fake;
}

// Is the knob's reply permanent (5xx)? `dflt` is the knob's default code.
function fail(k, dflt) {
  return (k.code ?? dflt) >= 500;
}

function controlRequest(fake, req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const send = (status, value) => {
      const body = JSON.stringify(value, null, 1) + '\n';
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const route = `${req.method} ${new URL(req.url, 'http://control').pathname}`;
    try {
      if (route === 'GET /messages') return send(200, fake.messages);
      if (route === 'GET /log') return send(200, fake.log);
      if (route === 'GET /config') return send(200, { knobs: fake.knobs() });
      if (route === 'POST /config') {
        const text = Buffer.concat(chunks).toString('utf8');
        fake.set(text.trim() ? JSON.parse(text) : {});
        return send(200, { knobs: fake.knobs() });
      }
      if (route === 'POST /reset') { fake.reset(); return send(200, { knobs: fake.knobs() }); }
      return send(404, { error: `no such control endpoint: ${route}` });
    } catch (err) {
      return send(400, { error: err.message });
    }
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  serve(start, {
    'control-port': { type: 'string' },
    dir: { type: 'string' },
    name: { type: 'string' },
    'max-size': { type: 'string' },
  }, (v, int) => ({
    controlPort: v['control-port'] === undefined ? null : int('control-port'),
    dir: v.dir ?? null,
    name: v.name ?? 'sink.test',
    maxSize: v['max-size'] === undefined ? 10485760 : int('max-size'),
  }));
}
