#!/usr/bin/env node
// A fake `kubectl` for ci/bluegreen's tests (tests/deploy/bluegreen.sh): it records every call
// and answers like a cluster from a small JSON state file. The only fake kubectl of the project.
//
//   FAKE_KUBECTL_STATE  the state file (JSON), read and rewritten by each call:
//     { "namespace": "lonua",
//       "services":    { NAME: { "selector": {…}, "annotations": {…} } },
//       "deployments": { NAME: { "replicas": N, "containers": [{ "name": "app", "image": "…" }] } },
//       "jobs":        { NAME: { "image": "…" } },          (made by `apply`, gone by `delete`)
//       "rendered":    "…",        what `kubectl kustomize DIR` prints
//       knobs:
//       "failRollout": [NAME…],    `rollout status deployment/NAME` times out (exit 1)
//       "broken":      [COLOUR…],  through port-forward, that colour's pods answer 503
//       "failJob":     [NAME…],    the Job fails: `wait --for=condition=failed` is met at once,
//                                  `wait --for=condition=complete` times out after 6 s (exit 1)
//       (a Job not failing: condition=complete is met at once, condition=failed times out, 6 s)
//     }
//   FAKE_KUBECTL_LOG    every call is appended as one line: the arguments joined by spaces
//                       (`kubectl` first), so a test can check which calls came, in which order.
//
// Understood (anything else exits 1 with "fake-kubectl: unsupported"):
//   -n/--namespace NS (a namespace other than the state's: NotFound, as from a real API server)
//   get service|deployment NAME -o jsonpath=TEMPLATE   ({.a.b}, {.a[0].b}; missing → empty)
//   set image deployment/NAME CONTAINER=IMAGE…         (unknown container: error, nothing set)
//   scale deployment/NAME --replicas=N
//   rollout status deployment/NAME --timeout=T
//   patch service NAME --type merge -p JSON             (JSON merge patch: null deletes)
//   annotate service NAME KEY=VALUE…|KEY- [--overwrite]
//   port-forward service/NAME [--address A] [LOCAL]:80  a real HTTP listener on 127.0.0.1; it
//       prints "Forwarding from 127.0.0.1:PORT -> 8080" and answers every request with JSON
//       { colour, web, app } of the colour the Service selects at that moment (503 if broken)
//   kustomize DIR, apply -f -, delete job NAME [--ignore-not-found],
//   wait --for=condition=complete|failed job/NAME --timeout=T, logs job/NAME
// CommonJS, not ESM: an extensionless file is a module only for newer Node than Debian 12's.
'use strict';
const fs = require('node:fs');

const STATE = process.env.FAKE_KUBECTL_STATE;
const LOG = process.env.FAKE_KUBECTL_LOG;
const argv = process.argv.slice(2);
if (!STATE) fail('FAKE_KUBECTL_STATE is not set', 2);
if (LOG) fs.appendFileSync(LOG, ['kubectl', ...argv].join(' ') + '\n');

function fail(msg, code = 1) {
  process.stderr.write(msg + '\n');
  process.exit(code);
}
const load = () => JSON.parse(fs.readFileSync(STATE, 'utf8'));
function save(state) {
  fs.writeFileSync(STATE + '.tmp', JSON.stringify(state, null, 2));
  fs.renameSync(STATE + '.tmp', STATE);
}

// Splits the global flags off: -n NS, --namespace NS, --namespace=NS, --request-timeout=…
let ns = 'default';
const args = [];
const flags = {};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '-n' || a === '--namespace') ns = argv[++i];
  else if (a.startsWith('--namespace=')) ns = a.slice(12);
  else if (a.startsWith('--request-timeout')) continue;
  else if (a === '-o' || a === '-p' || a === '--type' || a === '-f' || a === '--for' || a === '--timeout' || a === '--replicas' || a === '--address')
    flags[a.replace(/^-+/, '')] = argv[++i];
  else if (/^--[a-z-]+=/.test(a)) {
    const [k, ...v] = a.slice(2).split('=');
    flags[k] = v.join('=');
  } else if (a.startsWith('--')) flags[a.slice(2)] = true;
  else args.push(a);
}
const [verb, ...rest] = args;
const state = load();
const notFound = (kind, name) => fail(`Error from server (NotFound): ${kind} "${name}" not found`);
function inNamespace() {
  if (ns !== state.namespace) fail(`Error from server (NotFound): namespaces "${ns}" not found`);
}
// "deployment/NAME" or "deployment NAME" (and the short and plural forms) → [kind, name]
function target(list) {
  const alias = { svc: 'service', services: 'service', deploy: 'deployment', deployments: 'deployment', jobs: 'job' };
  let [kind, name] = list[0].includes('/') ? list[0].split('/') : [list[0], list[1]];
  kind = alias[kind] || kind;
  return [kind, name, list[0].includes('/') ? list.slice(1) : list.slice(2)];
}
function object(kind, name) {
  inNamespace();
  const table = { service: state.services, deployment: state.deployments, job: state.jobs || {} }[kind];
  if (!table) fail(`fake-kubectl: unsupported kind ${kind}`);
  if (!table[name]) notFound(kind === 'service' ? 'services' : kind + 's', name);
  return table[name];
}
// The object as the API would show it, for jsonpath.
function view(kind, name) {
  const o = object(kind, name);
  if (kind === 'service') return { metadata: { name, annotations: o.annotations || {} }, spec: { selector: o.selector } };
  if (kind === 'deployment')
    return {
      metadata: { name },
      spec: { replicas: o.replicas, template: { spec: { containers: o.containers } } },
      status: { replicas: o.replicas, readyReplicas: o.ready ?? o.replicas },
    };
  return { metadata: { name }, spec: { template: { spec: { containers: [{ name: 'migrate', image: o.image }] } } } };
}
function jsonpath(obj, template) {
  return template.replace(/\{([^}]*)\}/g, (_, expr) => {
    let v = obj;
    const parts = expr.replace(/^\./, '').match(/(\\\.|[^.[\]])+|\[\d+\]/g) || [];
    for (const p of parts) {
      if (v === undefined || v === null) break;
      v = p.startsWith('[') ? v[Number(p.slice(1, -1))] : v[p.replace(/\\\./g, '.')];
    }
    if (v === undefined || v === null) return '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}
function merge(into, patch) {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete into[k];
    else if (typeof v === 'object' && !Array.isArray(v)) into[k] = merge(into[k] && typeof into[k] === 'object' ? into[k] : {}, v);
    else into[k] = v;
  }
  return into;
}

switch (verb) {
  case 'get': {
    const [kind, name] = target(rest);
    const out = flags.o || '';
    if (!out.startsWith('jsonpath=')) fail(`fake-kubectl: unsupported output ${out}`);
    process.stdout.write(jsonpath(view(kind, name), out.slice(9)));
    break;
  }
  case 'set': {
    if (rest[0] !== 'image') fail(`fake-kubectl: unsupported set ${rest[0]}`);
    const [kind, name, pairs] = target(rest.slice(1));
    const d = object(kind, name);
    for (const pair of pairs) {
      const c = pair.split('=')[0];
      const container = d.containers.find((x) => x.name === c || c === '*');
      if (!container) fail(`error: unable to find container named "${c}"`);
    }
    for (const pair of pairs) {
      const [c, image] = pair.split('=');
      for (const x of d.containers) if (x.name === c || c === '*') x.image = image;
    }
    save(state);
    console.log(`${kind}.apps/${name} image updated`);
    break;
  }
  case 'scale': {
    const [kind, name] = target(rest);
    const d = object(kind, name);
    if (!/^\d+$/.test(String(flags.replicas))) fail('error: --replicas=COUNT is required');
    d.replicas = Number(flags.replicas);
    save(state);
    console.log(`${kind}.apps/${name} scaled`);
    break;
  }
  case 'rollout': {
    if (rest[0] !== 'status') fail(`fake-kubectl: unsupported rollout ${rest[0]}`);
    const [kind, name] = target(rest.slice(1));
    object(kind, name);
    if (!flags.timeout) fail('fake-kubectl: rollout status without --timeout would wait forever');
    if ((state.failRollout || []).includes(name)) fail(`error: timed out waiting for the condition`);
    console.log(`${kind} "${name}" successfully rolled out`);
    break;
  }
  case 'patch': {
    const [kind, name] = target(rest);
    const o = object(kind, name);
    if (flags.type !== 'merge') fail('fake-kubectl: only --type merge patches');
    const patch = JSON.parse(flags.p);
    if (patch.spec?.selector) merge((o.selector ||= {}), patch.spec.selector);
    if (patch.metadata?.annotations) merge((o.annotations ||= {}), patch.metadata.annotations);
    save(state);
    console.log(`${kind}/${name} patched`);
    break;
  }
  case 'annotate': {
    const [kind, name, pairs] = target(rest);
    const o = object(kind, name);
    o.annotations ||= {};
    for (const p of pairs) {
      if (p.endsWith('-') && !p.includes('=')) delete o.annotations[p.slice(0, -1)];
      else {
        const [k, ...v] = p.split('=');
        if (k in o.annotations && !flags.overwrite) fail(`error: --overwrite is false but found the annotation ${k}`);
        o.annotations[k] = v.join('=');
      }
    }
    save(state);
    console.log(`${kind}/${name} annotated`);
    break;
  }
  case 'port-forward': {
    const [kind, name, ports] = target(rest);
    object(kind, name);
    const [local, remote] = (ports[0] || '').split(':');
    if (remote !== '80') fail(`fake-kubectl: expected a forward to the Service's port 80, got ${ports[0]}`);
    const server = require('node:http').createServer((req, res) => {
      const now = load();
      const colour = now.services[name]?.selector?.colour;
      const image = (d) => now.deployments[d]?.containers?.[0]?.image;
      const body = JSON.stringify({ colour, path: req.url, web: image(`lonua-web-${colour}`), app: image(`lonua-app-${colour}`) });
      res.writeHead((now.broken || []).includes(colour) ? 503 : 200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    server.listen(Number(local || 0), flags.address || '127.0.0.1', () => {
      console.log(`Forwarding from 127.0.0.1:${server.address().port} -> 8080`);
    });
    // A port-forward its caller forgot ends by itself (FAKE_KUBECTL_PF_SECONDS, 30), so a test
    // of that fault leaves nothing behind.
    setTimeout(() => process.exit(0), 1000 * Number(process.env.FAKE_KUBECTL_PF_SECONDS || 30)).unref?.();
    process.on('SIGTERM', () => process.exit(0));
    process.on('SIGINT', () => process.exit(0));
    break;
  }
  case 'kustomize':
    process.stdout.write(state.rendered || '');
    break;
  case 'delete': {
    const [kind, name] = target(rest);
    inNamespace();
    const jobs = (state.jobs ||= {});
    if (kind !== 'job') fail(`fake-kubectl: unsupported delete ${kind}`);
    if (!jobs[name] && !flags['ignore-not-found']) notFound('jobs.batch', name);
    if (jobs[name]) console.log(`job.batch "${name}" deleted`);
    delete jobs[name];
    save(state);
    break;
  }
  case 'apply': {
    inNamespace();
    if (flags.f !== '-') fail('fake-kubectl: only apply -f -');
    const text = fs.readFileSync(0, 'utf8');
    // Enough YAML for one Job: its kind, its name and its container image.
    if (!/^kind: Job$/m.test(text)) fail('error: the applied document is not a Job');
    const name = /^metadata:\n(?:\s+.*\n)*?\s+name: (\S+)/m.exec(text)?.[1];
    const image = /^\s+image: (\S+)/m.exec(text)?.[1];
    (state.jobs ||= {})[name] = { image };
    save(state);
    if (process.env.FAKE_KUBECTL_APPLIED) fs.writeFileSync(process.env.FAKE_KUBECTL_APPLIED, text);
    console.log(`job.batch/${name} created`);
    break;
  }
  case 'wait': {
    const [kind, name] = target(rest);
    object(kind, name);
    if (!flags.timeout) fail('fake-kubectl: wait without --timeout');
    const failing = (state.failJob || []).includes(name);
    const cond = String(flags.for || '').toLowerCase();
    if (cond === 'condition=failed') {
      if (failing) console.log(`job.batch/${name} condition met`);
      // A Job that is not failing: the real wait runs until its timeout (it is stopped first).
      else setTimeout(() => fail('error: timed out waiting for the condition on jobs/' + name), 6000);
      break;
    }
    if (cond !== 'condition=complete') fail(`fake-kubectl: unsupported wait ${flags.for}`);
    // A failing Job never completes: the wait runs until its timeout.
    if (failing) setTimeout(() => fail('error: timed out waiting for the condition on jobs/' + name), 6000);
    else console.log(`job.batch/${name} condition met`);
    break;
  }
  case 'logs': {
    const [kind, name] = target(rest);
    object(kind, name);
    console.log('migration 042 failed: fake log line');
    break;
  }
  default:
    fail(`fake-kubectl: unsupported ${argv.join(' ')}`);
}
