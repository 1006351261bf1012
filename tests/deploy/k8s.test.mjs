// The Kubernetes manifests, offline: every overlay of k8s/ renders with `kubectl kustomize`, every
// rendered object validates against the Kubernetes API schemas (kubernetes-models), yamllint
// passes, and the rules of docs/operations.md hold (kinds, probes, resources in proper units,
// securityContext, tagged images, no secret in git, colours, NetworkPolicies, CronJob commands).
//   node tests/deploy/k8s.test.mjs      (needs kubectl, yamllint and `npm ci` in tests/deploy)
// LONUA_K8S_ROOT points it at another checkout (a copy with a manifest broken on purpose).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, run, assert } from '../lib/tap.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = process.env.LONUA_K8S_ROOT || path.resolve(HERE, '../..');
const K8S = path.join(ROOT, 'k8s');
const OVERLAYS = fs.readdirSync(path.join(K8S, 'overlays')).sort();

let YAML = null;
let modelsLoaded = null;
try {
  YAML = await import('yaml');
  await import('kubernetes-models/v1/Namespace');
  modelsLoaded = true;
} catch (err) {
  modelsLoaded = `the npm packages are missing (cd tests/deploy && npm ci): ${err.message}`;
}

// ---- helpers -------------------------------------------------------------------------------

const rendered = new Map(); // overlay -> objects, or an Error

function render(overlay) {
  if (!rendered.has(overlay)) {
    try {
      const out = execFileSync('kubectl', ['kustomize', path.join(K8S, 'overlays', overlay)], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
      });
      rendered.set(overlay, YAML.parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean));
    } catch (err) {
      rendered.set(overlay, new Error(`kubectl kustomize ${overlay}: ${err.stderr || err.message}`));
    }
  }
  const r = rendered.get(overlay);
  if (r instanceof Error) throw r;
  return r;
}

const id = (o) => `${o.kind}/${o.metadata?.name}`;
const byKind = (objs, kind) => objs.filter((o) => o.kind === kind);
const find = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata?.name === name);
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

// Pod templates of every workload: { owner, kind, template }.
function podTemplates(objs) {
  const out = [];
  for (const o of objs) {
    if (o.kind === 'CronJob') out.push({ owner: id(o), kind: o.kind, template: o.spec.jobTemplate.spec.template });
    else if (WORKLOADS.includes(o.kind)) out.push({ owner: id(o), kind: o.kind, template: o.spec.template });
  }
  return out;
}

function containers(objs) {
  const out = [];
  for (const p of podTemplates(objs)) {
    const spec = p.template.spec;
    for (const c of [...(spec.initContainers || []), ...(spec.containers || [])]) {
      out.push({ ...p, spec, container: c, where: `${p.owner} container ${c.name}` });
    }
  }
  return out;
}

// Memory in bytes: only the binary suffixes (Ki, Mi, Gi, Ti) count as proper; a bare "1024m" is
// a thousandth of a byte (the reference's fault) and "5G" a decimal surprise.
function parseMemory(q) {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)$/.exec(String(q));
  if (!m) return null;
  return Number(m[1]) * { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[m[2]];
}

// CPU in millicores: "250m" or whole/decimal cores ("1", "0.5", 2).
function parseCpu(q) {
  const s = String(q);
  let m = /^(\d+)m$/.exec(s);
  if (m) return Number(m[1]);
  m = /^(\d+(?:\.\d+)?)$/.exec(s);
  return m ? Number(m[1]) * 1000 : null;
}

function configOf(objs) {
  const cms = byKind(objs, 'ConfigMap').filter((c) => c.metadata.name.startsWith('lonua-config'));
  assert.equal(cms.length, 1, 'one lonua-config ConfigMap');
  return cms[0].data;
}

function envValue(c, name) {
  const e = (c.env || []).find((v) => v.name === name);
  return e ? e.value : undefined;
}

// The words of each `lonua` subcommand in the usage text of src/main.c ("orders expire", ...).
function lonuaCommands() {
  const src = fs.readFileSync(path.join(ROOT, 'src/main.c'), 'utf8');
  const start = src.indexOf('static int usage(');
  assert.ok(start >= 0, 'usage() in src/main.c');
  const body = src.slice(start, src.indexOf('\n}\n', start));
  const cmds = [];
  // Each entry is "  COMMAND" padded to a column of 17 characters, then its description (or the
  // description on the next line): the command's words are the lowercase words in that column.
  for (const m of body.matchAll(/"  ([a-z][^"\\]*)/g)) {
    const col = m[1].slice(0, 17);
    const words = [];
    for (const w of col.trim().split(/\s+/)) {
      if (!/^[a-z][a-z-]*$/.test(w)) break;
      words.push(w);
    }
    if (words.length) cmds.push(words);
  }
  return cmds;
}

// The backup scripts the images carry (ci/backup/ when it is there; the contract's names anyway).
const BACKUP_SCRIPTS = ['lonua-db-backup', 'lonua-media-backup'];

// The keys of lonua-secrets, from the template in git.
function secretKeys() {
  const file = path.join(K8S, 'secrets/lonua-secrets.template.yaml');
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  return doc.metadata.annotations['lonua/keys'].split(/\s+/).filter(Boolean);
}

function yamlFiles(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

function labelsMatch(selector, labels) {
  return Object.entries(selector || {}).every(([k, v]) => labels?.[k] === v);
}

// ---- unknown fields --------------------------------------------------------------------------
// kubernetes-models' validators let unknown fields through (a misspelt `readinesProbe` would pass
// and the API server would drop it). The field names of each type are read from the packages'
// TypeScript declarations, and every object is walked against them, as `kubeconform -strict` does.
const NODE_MODULES = path.join(HERE, 'node_modules');
const typeCache = new Map(); // .d.ts file -> { props: Map(name -> child file or null) } or null

function declFile(from, spec) {
  if (spec.startsWith('.')) return path.resolve(path.dirname(from), spec.replace(/\.js$/, '.d.ts'));
  return path.join(NODE_MODULES, `${spec}.d.ts`);
}

function typeOf(file) {
  if (typeCache.has(file)) return typeCache.get(file);
  let text;
  try { text = fs.readFileSync(file, 'utf8'); } catch { typeCache.set(file, null); return null; }
  const imports = new Map();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) imports.set(m[1], declFile(file, m[2]));
  const head = /^export interface \w+(?: extends ([\w, ]+))? \{$/m.exec(text);
  if (!head) { typeCache.set(file, null); return null; }
  const body = text.slice(head.index, text.indexOf('\n}', head.index));
  const props = new Map();
  if (head[1] && /TypeMeta/.test(head[1])) { props.set('apiVersion', null); props.set('kind', null); }
  for (const m of body.matchAll(/^ {4}"([^"]+)"\??: (.*)$/gm)) {
    const t = /^(?:Array<)?(\w+)>?;$/.exec(m[2]);
    props.set(m[1], t && imports.has(t[1]) ? imports.get(t[1]) : null);
  }
  const info = { props };
  typeCache.set(file, info);
  return info;
}

function unknownFields(value, file, where, out) {
  const info = file && typeOf(file);
  if (!info || value === null || typeof value !== 'object') return out;
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === null || typeof item !== 'object') continue;
    for (const [k, v] of Object.entries(item)) {
      if (!info.props.has(k)) out.push(`${where}.${k} is not a field of ${path.basename(file, '.d.ts')}`);
      else unknownFields(v, info.props.get(k), `${where}.${k}`, out);
    }
  }
  return out;
}

// ---- the tools -----------------------------------------------------------------------------

test('kubectl (with kustomize) and yamllint are installed, the npm packages too', () => {
  assert.equal(spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status, 0, 'kubectl is needed');
  assert.equal(spawnSync('yamllint', ['--version'], { stdio: 'ignore' }).status, 0, 'yamllint is needed (apt-get install yamllint)');
  assert.equal(modelsLoaded, true, String(modelsLoaded));
  assert.deepEqual(OVERLAYS.filter((o) => ['dev', 'prod', 'prod-metallb'].includes(o)), ['dev', 'prod', 'prod-metallb']);
});

// ---- render and validate -------------------------------------------------------------------

for (const overlay of OVERLAYS) {
  test(`overlay ${overlay} renders with kubectl kustomize`, () => {
    const objs = render(overlay);
    assert.ok(objs.length > 10, `${objs.length} objects`);
    for (const o of objs) assert.ok(o.apiVersion && o.kind && o.metadata?.name, `an object without apiVersion/kind/name: ${JSON.stringify(o).slice(0, 200)}`);
  });

  test(`overlay ${overlay}: every object validates against its API schema, with no unknown field`, async () => {
    const errors = [];
    for (const o of render(overlay)) {
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [null, o.apiVersion];
      if (group === 'metallb.io') { // a CRD kubernetes-models does not know: its fields checked here
        errors.push(...checkMetallb(o, render(overlay)));
        continue;
      }
      // Only GA APIs: the betas the reference used (autoscaling/v2beta2) are gone from current clusters.
      if (/(alpha|beta)\d*$/.test(version) || group === 'extensions') {
        errors.push(`${id(o)}: ${o.apiVersion} is not a GA API`);
        continue;
      }
      let Model;
      try {
        Model = (await import(`kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`))[o.kind];
      } catch {
        errors.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind} (a removed or unknown API)`);
        continue;
      }
      try {
        new Model(o).validate();
      } catch (err) {
        errors.push(`${id(o)}: ${err.message}`);
      }
      const decl = path.join(NODE_MODULES, 'kubernetes-models', group || '', version, `${o.kind}.d.ts`);
      assert.ok(typeOf(decl), `the declarations of ${o.kind} (${decl})`);
      errors.push(...unknownFields(o, decl, id(o), []));
    }
    assert.deepEqual(errors, []);
  });
}

function checkMetallb(o, objs) {
  const errs = [];
  if (o.metadata.namespace !== 'metallb-system') errs.push(`${id(o)} must be in metallb-system, not ${o.metadata.namespace}`);
  if (o.apiVersion !== 'metallb.io/v1beta1') errs.push(`${id(o)}: apiVersion ${o.apiVersion}`);
  if (o.kind === 'IPAddressPool') {
    const a = o.spec?.addresses;
    const ip = '\\d{1,3}(?:\\.\\d{1,3}){3}';
    if (!Array.isArray(a) || !a.length) errs.push(`${id(o)}: spec.addresses is empty`);
    for (const r of a || []) {
      if (!new RegExp(`^${ip}(?:/\\d{1,2}|-${ip})$`).test(r)) errs.push(`${id(o)}: bad address range ${r}`);
    }
  } else if (o.kind === 'L2Advertisement') {
    for (const p of o.spec?.ipAddressPools || []) {
      if (!find(objs, 'IPAddressPool', p)) errs.push(`${id(o)} names the missing pool ${p}`);
    }
  } else {
    errs.push(`${id(o)}: an unexpected MetalLB kind`);
  }
  return errs;
}

test('yamllint passes on k8s/ and .github/', () => {
  const dirs = ['k8s', '.github'].filter((d) => fs.existsSync(path.join(ROOT, d)));
  const r = spawnSync('yamllint', ['-s', '-f', 'parsable', '-c', path.join(ROOT, '.yamllint'), ...dirs], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `yamllint:\n${r.stdout}${r.stderr}`);
});

// ---- what the issue asks of the prod overlay -----------------------------------------------

test('prod holds every kind: Namespace, ConfigMap, 5 Deployments, Services, StatefulSet, PVCs, Job, CronJobs, HPA, PDB, NetworkPolicy, Ingress', () => {
  const objs = render('prod');
  const names = (kind) => byKind(objs, kind).map((o) => o.metadata.name).sort();
  assert.deepEqual(names('Namespace'), ['lonua']);
  assert.equal(byKind(objs, 'ConfigMap').length, 1);
  assert.deepEqual(names('Deployment'), ['lonua-app-blue', 'lonua-app-green', 'lonua-jobs', 'lonua-web-blue', 'lonua-web-green']);
  for (const s of ['lonua-app-blue', 'lonua-app-green', 'lonua-web', 'lonua-web-preview', 'lonua-db']) {
    assert.ok(find(objs, 'Service', s), `Service ${s}`);
  }
  assert.deepEqual(names('StatefulSet'), ['lonua-db']);
  const sts = find(objs, 'StatefulSet', 'lonua-db');
  assert.ok(find(objs, 'Service', sts.spec.serviceName)?.spec.clusterIP === 'None', 'the StatefulSet has a headless Service');
  assert.deepEqual(sts.spec.volumeClaimTemplates.map((v) => v.metadata.name), ['data']);
  for (const pvc of ['lonua-media', 'lonua-backups']) {
    assert.deepEqual(find(objs, 'PersistentVolumeClaim', pvc)?.spec.accessModes, ['ReadWriteMany'], `${pvc} is ReadWriteMany`);
  }
  assert.deepEqual(names('Job'), ['lonua-migrate']);
  assert.deepEqual(names('CronJob'), ['lonua-db-backup', 'lonua-grades', 'lonua-media-backup', 'lonua-orders-confirm',
    'lonua-orders-expire', 'lonua-outbox-purge', 'lonua-products-recount']);
  for (const k of ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'Ingress']) {
    assert.ok(byKind(objs, k).length > 0, `a ${k}`);
  }
  assert.ok(byKind(objs, 'HorizontalPodAutoscaler').every((h) => h.apiVersion === 'autoscaling/v2'), 'HPAs are autoscaling/v2');
  const hpaTargets = byKind(objs, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort();
  assert.deepEqual(hpaTargets, ['lonua-app-blue', 'lonua-app-green', 'lonua-web-blue', 'lonua-web-green']);
});

for (const overlay of ['dev', 'prod']) {
  test(`${overlay}: every long-running container has a liveness and a readiness probe; liveness never asks the database`, () => {
    const errs = [];
    for (const c of containers(render(overlay))) {
      if (c.kind === 'Job' || c.kind === 'CronJob') continue;
      const { livenessProbe: l, readinessProbe: r } = c.container;
      if (!l) errs.push(`${c.where}: no livenessProbe`);
      if (!r) errs.push(`${c.where}: no readinessProbe`);
      const text = JSON.stringify(l || {});
      if (/readyz|SELECT|--execute|\b-e\b/.test(text)) errs.push(`${c.where}: the liveness probe depends on the database: ${text}`);
    }
    assert.deepEqual(errs, []);
  });

  test(`${overlay}: every container requests and limits cpu and memory in proper units`, () => {
    const errs = [];
    for (const c of containers(render(overlay))) {
      const res = c.container.resources || {};
      for (const kind of ['requests', 'limits']) {
        const mem = parseMemory(res[kind]?.memory);
        const cpu = parseCpu(res[kind]?.cpu);
        if (mem === null) errs.push(`${c.where}: ${kind}.memory ${res[kind]?.memory} is not in Ki/Mi/Gi`);
        else if (mem < 16 * 2 ** 20) errs.push(`${c.where}: ${kind}.memory ${res[kind].memory} is below 16Mi`);
        if (cpu === null) errs.push(`${c.where}: ${kind}.cpu ${res[kind]?.cpu} is not in m or cores`);
        else if (cpu < 10) errs.push(`${c.where}: ${kind}.cpu ${res[kind].cpu} is below 10m`);
      }
      const [rm, lm] = [parseMemory(res.requests?.memory), parseMemory(res.limits?.memory)];
      const [rc, lc] = [parseCpu(res.requests?.cpu), parseCpu(res.limits?.cpu)];
      if (rm && lm && rm > lm) errs.push(`${c.where}: memory request above its limit`);
      if (rc && lc && rc > lc) errs.push(`${c.where}: cpu request above its limit`);
    }
    assert.deepEqual(errs, []);
  });

  test(`${overlay}: the app's memory holds LONUA_WORKERS Argon2id hashes at once`, () => {
    const objs = render(overlay);
    const cfg = configOf(objs);
    const workers = Number(cfg.LONUA_WORKERS);
    const argon = Number(cfg.LONUA_ARGON2_MEMORY_KIB) * 1024;
    assert.ok(workers >= 1 && argon >= 19456 * 1024, `LONUA_WORKERS ${cfg.LONUA_WORKERS}, LONUA_ARGON2_MEMORY_KIB ${cfg.LONUA_ARGON2_MEMORY_KIB}`);
    for (const name of ['lonua-app-blue', 'lonua-app-green']) {
      const c = find(objs, 'Deployment', name).spec.template.spec.containers[0];
      const need = workers * argon + 10 * 2 ** 20; // + the master and the workers' own memory
      const req = parseMemory(c.resources.requests.memory);
      assert.ok(req >= need, `${name}: requests ${c.resources.requests.memory} < ${workers} x ${argon / 2 ** 20} MiB + 10 MiB`);
    }
  });

  test(`${overlay}: every pod runs as a numeric non-root user, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp`, () => {
    const errs = [];
    for (const c of containers(render(overlay))) {
      const pod = c.spec.securityContext || {};
      const sc = c.container.securityContext || {};
      const pick = (k) => (sc[k] !== undefined ? sc[k] : pod[k]);
      if (pick('runAsNonRoot') !== true) errs.push(`${c.where}: runAsNonRoot is not true`);
      const uid = pick('runAsUser');
      if (!Number.isInteger(uid) || uid <= 0) errs.push(`${c.where}: runAsUser ${uid} is not a numeric non-root uid`);
      const why = c.template.metadata?.annotations?.['lonua/writable-root'];
      if (sc.readOnlyRootFilesystem !== true && !why) errs.push(`${c.where}: readOnlyRootFilesystem is not true (and no lonua/writable-root reason)`);
      if (sc.allowPrivilegeEscalation !== false) errs.push(`${c.where}: allowPrivilegeEscalation is not false`);
      if (!(sc.capabilities?.drop || []).includes('ALL')) errs.push(`${c.where}: capabilities do not drop ALL`);
      if (sc.capabilities?.add?.length) errs.push(`${c.where}: adds capabilities ${sc.capabilities.add}`);
      const seccomp = sc.seccompProfile?.type || pod.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault') errs.push(`${c.where}: seccompProfile ${seccomp}`);
      if (c.spec.hostNetwork || c.spec.hostPID || sc.privileged) errs.push(`${c.where}: host namespaces or privileged`);
    }
    assert.deepEqual(errs, []);
  });

  test(`${overlay}: every image is tagged (never latest) and one of the shop's three`, () => {
    const errs = [];
    for (const c of containers(render(overlay))) {
      const img = c.container.image || '';
      const m = /^(.+\/)?(lonua-(app|web|db))(?::([\w][\w.-]{0,127}))?(@sha256:[0-9a-f]{64})?$/.exec(img);
      if (!m) errs.push(`${c.where}: ${img} is not a lonua-app/web/db image`);
      else if (!m[4] && !m[5]) errs.push(`${c.where}: ${img} has no tag`);
      else if (m[4] === 'latest') errs.push(`${c.where}: ${img} is :latest`);
    }
    assert.deepEqual(errs, []);
  });

  test(`${overlay}: Deployments under an HPA leave replicas to it, within the overlay's bounds`, () => {
    const objs = render(overlay);
    for (const h of byKind(objs, 'HorizontalPodAutoscaler')) {
      const d = find(objs, 'Deployment', h.spec.scaleTargetRef.name);
      assert.ok(d, `${id(h)} targets a missing Deployment`);
      assert.equal(d.spec.replicas, undefined, `${id(d)} sets replicas, which would fight ${id(h)}`);
      assert.ok(h.spec.maxReplicas >= h.spec.minReplicas, `${id(h)}: max below min`);
      if (overlay === 'dev') assert.ok(h.spec.minReplicas <= 1, `${id(h)}: dev minReplicas ${h.spec.minReplicas}`);
      else assert.ok(h.spec.minReplicas >= 2, `${id(h)}: prod minReplicas ${h.spec.minReplicas}`);
    }
    if (overlay === 'prod') {
      for (const p of byKind(objs, 'PodDisruptionBudget')) {
        assert.ok(p.spec.minAvailable >= 1 && p.spec.maxUnavailable === undefined, `${id(p)}: prod wants minAvailable`);
      }
      assert.equal(find(objs, 'Ingress', 'lonua').spec.rules[0].host.endsWith('.example'), false, 'prod has a real host name');
    }
  });

  test(`${overlay}: every namespaced object is in the overlay's namespace; every reference resolves`, () => {
    const objs = render(overlay);
    const ns = overlay === 'dev' ? 'lonua-dev' : 'lonua';
    const errs = [];
    assert.deepEqual(byKind(objs, 'Namespace').map((n) => n.metadata.name), [ns]);
    for (const o of objs) {
      if (o.kind !== 'Namespace' && o.metadata.namespace !== ns) errs.push(`${id(o)} in ${o.metadata.namespace}`);
    }
    const cms = new Set(byKind(objs, 'ConfigMap').map((c) => c.metadata.name));
    const pvcs = new Set(byKind(objs, 'PersistentVolumeClaim').map((c) => c.metadata.name));
    for (const c of containers(objs)) {
      for (const e of c.container.envFrom || []) if (e.configMapRef && !cms.has(e.configMapRef.name)) errs.push(`${c.where}: ConfigMap ${e.configMapRef.name}`);
      for (const e of c.container.env || []) {
        const r = e.valueFrom?.configMapKeyRef;
        if (r && !(cms.has(r.name) && r.key in configOf(objs))) errs.push(`${c.where}: ConfigMap key ${r.name}/${r.key}`);
      }
      const claims = c.kind === 'StatefulSet' ? render(overlay).find((o) => id(o) === c.owner).spec.volumeClaimTemplates || [] : [];
      // A variable in both env and the envFrom ConfigMap: Kubernetes takes env, podman play kube
      // the ConfigMap, so the same manifest would run differently (the migration as `lonua`).
      if ((c.container.envFrom || []).some((e) => e.configMapRef)) {
        for (const e of c.container.env || []) if (e.name in configOf(objs)) errs.push(`${c.where}: ${e.name} is in env and in lonua-config`);
      }
      const vols = new Set([...(c.spec.volumes || []), ...claims.map((t) => t.metadata)].map((v) => v.name));
      for (const m of c.container.volumeMounts || []) if (!vols.has(m.name)) errs.push(`${c.where}: mounts the missing volume ${m.name}`);
    }
    for (const p of podTemplates(objs)) {
      // Service links would set LONUA_DB_PORT=tcp://<ip>:3306 from the Service lonua-db.
      if (p.template.spec.enableServiceLinks !== false) errs.push(`${p.owner}: enableServiceLinks is not false`);
      for (const v of p.template.spec.volumes || []) {
        if (v.persistentVolumeClaim && !pvcs.has(v.persistentVolumeClaim.claimName)) errs.push(`${p.owner}: claim ${v.persistentVolumeClaim.claimName}`);
      }
    }
    for (const o of objs) {
      const sel = o.spec?.selector?.matchLabels;
      const labels = o.kind === 'CronJob' ? null : o.spec?.template?.metadata?.labels;
      if (sel && labels && !labelsMatch(sel, labels)) errs.push(`${id(o)}: its selector does not match its pods`);
    }
    for (const s of byKind(objs, 'Service')) {
      const pods = podTemplates(objs).filter((p) => labelsMatch(s.spec.selector, p.template.metadata.labels));
      if (!pods.length) errs.push(`${id(s)} selects no pods`);
      for (const port of s.spec.ports) {
        const named = pods.some((p) => p.template.spec.containers.some((c) => (c.ports || []).some((cp) => cp.name === port.targetPort || cp.containerPort === port.targetPort)));
        if (!named) errs.push(`${id(s)}: target port ${port.targetPort} is no container's port`);
      }
    }
    for (const i of byKind(objs, 'Ingress')) {
      for (const r of i.spec.rules) for (const p of r.http.paths) {
        if (!find(objs, 'Service', p.backend.service.name)) errs.push(`${id(i)}: Service ${p.backend.service.name}`);
      }
    }
    assert.deepEqual(errs, []);
  });
}

// ---- secrets ---------------------------------------------------------------------------------

test('Secrets in git hold no data; no overlay renders a Secret; no secret in the ConfigMap', () => {
  const errs = [];
  for (const file of yamlFiles(K8S)) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const o = doc.toJS();
      if (o?.kind !== 'Secret') continue;
      for (const f of ['data', 'stringData']) {
        if (o[f] && Object.keys(o[f]).length) errs.push(`${path.relative(ROOT, file)}: ${o.metadata?.name} holds ${f}`);
      }
    }
  }
  for (const file of fs.readdirSync(path.join(K8S, 'base'))) {
    if (/\.env$/.test(file)) {
      for (const line of fs.readFileSync(path.join(K8S, 'base', file), 'utf8').split('\n')) {
        if (/^\s*LONUA_\w*(PASSWORD|SECRET)\w*=\S/.test(line) && !/_FILE=/.test(line)) errs.push(`k8s/base/${file}: ${line.split('=')[0]} has a value`);
      }
    }
  }
  for (const overlay of OVERLAYS) {
    const objs = render(overlay);
    for (const s of byKind(objs, 'Secret')) errs.push(`${overlay} renders ${id(s)}: the operator creates secrets`);
    for (const [k, v] of Object.entries(configOf(objs))) {
      if (/PASSWORD|SECRET(?!_FILE)|_KEY$/.test(k) && !/_FILE$/.test(k) && k !== 'LONUA_PORTONE_IMP_KEY' && v) errs.push(`${overlay}: lonua-config has ${k}`);
    }
  }
  assert.deepEqual(errs, []);
});

test('every secret volume takes keys of lonua-secrets that the template documents', () => {
  const keys = new Set(secretKeys());
  assert.equal(keys.size, 8, `the template names ${[...keys]}`);
  const errs = [];
  for (const p of podTemplates(render('prod'))) {
    for (const v of p.template.spec.volumes || []) {
      if (!v.secret) continue;
      if (v.secret.secretName !== 'lonua-secrets') errs.push(`${p.owner}: secret ${v.secret.secretName}`);
      if (!v.secret.items?.length) errs.push(`${p.owner}: mounts every key of lonua-secrets (list the ones it needs)`);
      for (const it of v.secret.items || []) if (!keys.has(it.key)) errs.push(`${p.owner}: key ${it.key} is not in the template`);
    }
    for (const c of p.template.spec.containers) {
      for (const e of c.env || []) {
        if (!/_FILE$/.test(e.name) || !e.value?.startsWith('/run/secrets/lonua/')) continue;
        const key = path.basename(e.value);
        const mounted = (p.template.spec.volumes || []).some((v) => v.secret?.items?.some((it) => it.path === key));
        if (!mounted) errs.push(`${p.owner}: ${e.name} names ${e.value}, which is not mounted`);
      }
    }
  }
  assert.deepEqual(errs, []);
});

// ---- blue/green ------------------------------------------------------------------------------

test('the live and preview Services select different colours; each colour of web reaches its own app', () => {
  for (const overlay of OVERLAYS) {
    const objs = render(overlay);
    const live = find(objs, 'Service', 'lonua-web').spec.selector;
    const preview = find(objs, 'Service', 'lonua-web-preview').spec.selector;
    assert.equal(live['app.kubernetes.io/component'], 'web');
    assert.equal(preview['app.kubernetes.io/component'], 'web');
    assert.ok(['blue', 'green'].includes(live.colour) && ['blue', 'green'].includes(preview.colour), `${overlay}: colours ${live.colour}, ${preview.colour}`);
    assert.notEqual(live.colour, preview.colour, `${overlay}: live and preview both select ${live.colour}`);
    for (const colour of ['blue', 'green']) {
      const web = find(objs, 'Deployment', `lonua-web-${colour}`);
      assert.equal(web.spec.template.metadata.labels.colour, colour);
      assert.equal(envValue(web.spec.template.spec.containers[0], 'LONUA_APP_ADDR'), `lonua-app-${colour}:9000`, `${overlay}: web-${colour}'s upstream`);
      const svc = find(objs, 'Service', `lonua-app-${colour}`);
      assert.equal(svc.spec.selector.colour, colour, `${overlay}: Service lonua-app-${colour} selects ${svc.spec.selector.colour}`);
      assert.equal(svc.spec.selector['app.kubernetes.io/component'], 'app');
      assert.equal(find(objs, 'Deployment', `lonua-app-${colour}`).spec.template.metadata.labels.colour, colour);
    }
    // Both colours share one media volume.
    const claims = ['blue', 'green'].flatMap((c) => ['app', 'web'].map((t) => find(objs, 'Deployment', `lonua-${t}-${c}`)))
      .map((d) => d.spec.template.spec.volumes.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim.claimName);
    assert.deepEqual([...new Set(claims)], ['lonua-media'], `${overlay}: media claims ${claims}`);
  }
});

// ---- network policies ------------------------------------------------------------------------

// Does some policy let a pod with `from` labels reach a pod with `to` labels on `port`?
function allowed(policies, from, to, port) {
  return policies.some((p) => labelsMatch(p.spec.podSelector.matchLabels, to) && (p.spec.ingress || []).some((rule) =>
    (rule.from || []).some((f) => f.podSelector && !f.namespaceSelector && labelsMatch(f.podSelector.matchLabels, from)) &&
    (!rule.ports || rule.ports.some((pt) => pt.port === port))));
}

test('NetworkPolicies: ingress denied by default; web -> app:9000 and db-client -> db:3306 only', () => {
  for (const overlay of ['dev', 'prod']) {
    const objs = render(overlay);
    const pols = byKind(objs, 'NetworkPolicy');
    assert.ok(pols.some((p) => Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes.includes('Ingress') && !p.spec.ingress),
      `${overlay}: no default-deny ingress policy`);
    const pod = (name) => find(objs, 'Deployment', name)?.spec.template.metadata.labels || find(objs, 'StatefulSet', name)?.spec.template.metadata.labels;
    const [web, app, jobs, db] = ['lonua-web-blue', 'lonua-app-blue', 'lonua-jobs', 'lonua-db'].map(pod);
    assert.ok(allowed(pols, web, app, 9000), `${overlay}: web may not reach app:9000`);
    assert.ok(!allowed(pols, jobs, app, 9000), `${overlay}: jobs may reach app:9000`);
    assert.ok(!allowed(pols, db, app, 9000), `${overlay}: db may reach app:9000`);
    assert.ok(!allowed(pols, web, db, 3306), `${overlay}: web may reach the database`);
    // Every pod that holds a database password is a db-client and may connect; no other may.
    for (const p of podTemplates(objs)) {
      const labels = p.template.metadata.labels;
      const hasPassword = p.template.spec.containers.some((c) => (c.env || []).some((e) => /^LONUA_(DB|BACKUP|RESTORE)_PASSWORD_FILE$/.test(e.name)));
      if (labels['app.kubernetes.io/component'] === 'db') continue;
      assert.equal(labels['lonua/db-client'] === 'true', hasPassword, `${overlay}: ${p.owner} db-client label vs its database password`);
      assert.equal(allowed(pols, labels, db, 3306), hasPassword, `${overlay}: ${p.owner} ${hasPassword ? 'cannot' : 'can'} reach the database`);
    }
    const webPols = pols.filter((p) => p.spec.ingress && labelsMatch(p.spec.podSelector.matchLabels, web));
    assert.ok(webPols.some((webPol) => webPol.spec.ingress.some((r) => r.from.some((f) => f.namespaceSelector) && r.ports.some((pt) => pt.port === 8080))),
      `${overlay}: the ingress controller may not reach web:8080`);
  }
});

test('LONUA_REAL_IP_FROM is a CIDR; the Ingress goes to the live Service', () => {
  for (const overlay of ['dev', 'prod']) {
    const objs = render(overlay);
    assert.match(configOf(objs).LONUA_REAL_IP_FROM, /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/);
    const ing = find(objs, 'Ingress', 'lonua');
    assert.equal(ing.spec.ingressClassName, 'nginx');
    assert.equal(ing.spec.rules[0].http.paths[0].backend.service.name, 'lonua-web');
  }
});

test('prod-metallb: lonua-web is a LoadBalancer keeping client addresses, with an address pool and L2 advertisement', () => {
  const objs = render('prod-metallb');
  const web = find(objs, 'Service', 'lonua-web');
  assert.equal(web.spec.type, 'LoadBalancer');
  assert.equal(web.spec.externalTrafficPolicy, 'Local');
  assert.equal(find(objs, 'Service', 'lonua-web-preview').spec.type ?? 'ClusterIP', 'ClusterIP', 'the preview stays internal');
  const pool = byKind(objs, 'IPAddressPool')[0];
  assert.ok(pool, 'an IPAddressPool');
  assert.equal(web.metadata.annotations?.['metallb.universe.tf/address-pool'], pool.metadata.name);
  assert.ok(byKind(objs, 'L2Advertisement').some((a) => a.spec.ipAddressPools.includes(pool.metadata.name)), 'an L2Advertisement of the pool');
  const pols = byKind(objs, 'NetworkPolicy').filter((p) => p.spec.ingress && labelsMatch(p.spec.podSelector.matchLabels, { 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/name': 'lonua' }));
  assert.ok(pols.some((p) => p.spec.ingress.some((r) => r.from.some((f) => f.ipBlock) && r.ports.some((pt) => pt.port === 8080))), 'outside clients may reach web:8080');
});

// ---- jobs ------------------------------------------------------------------------------------

test('every CronJob runs a real lonua subcommand or a backup script, Forbid, in Seoul time; the migration Job runs lonua migrate as lonua_migrate', () => {
  const cmds = lonuaCommands();
  assert.ok(cmds.some((c) => c.join(' ') === 'orders expire'), `usage parsed: ${cmds.map((c) => c.join(' '))}`);
  const errs = [];
  const backupDir = path.join(ROOT, 'ci/backup');
  for (const cj of byKind(render('prod'), 'CronJob')) {
    const c = cj.spec.jobTemplate.spec.template.spec.containers[0];
    const argv = [...(c.command || []), ...(c.args || [])];
    if (argv[0] === 'lonua') {
      const rest = argv.slice(1);
      if (!cmds.some((words) => words.every((w, i) => rest[i] === w))) errs.push(`${id(cj)}: \`${argv.join(' ')}\` is no subcommand in lonua's usage`);
    } else if (BACKUP_SCRIPTS.includes(argv[0])) {
      if (fs.existsSync(backupDir) && !fs.existsSync(path.join(backupDir, argv[0]))) errs.push(`${id(cj)}: ci/backup/${argv[0]} is missing`);
    } else {
      errs.push(`${id(cj)}: runs ${argv.join(' ') || '(the image default)'}`);
    }
    if (cj.spec.concurrencyPolicy !== 'Forbid') errs.push(`${id(cj)}: concurrencyPolicy ${cj.spec.concurrencyPolicy}`);
    if (cj.spec.timeZone !== 'Asia/Seoul') errs.push(`${id(cj)}: timeZone ${cj.spec.timeZone}`);
    if (cj.spec.schedule.trim().split(/\s+/).length !== 5) errs.push(`${id(cj)}: schedule ${cj.spec.schedule}`);
    if (/backup/.test(cj.metadata.name)) {
      const mounts = c.volumeMounts.map((m) => m.mountPath);
      if (!mounts.includes(configOf(render('prod')).LONUA_BACKUP_DIR)) errs.push(`${id(cj)}: lonua-backups not at LONUA_BACKUP_DIR`);
    }
  }
  const dbb = find(render('prod'), 'CronJob', 'lonua-db-backup').spec.jobTemplate.spec.template.spec.containers[0];
  if (!/lonua-db:/.test(dbb.image) || envValue(dbb, 'LONUA_BACKUP_USER') !== 'lonua_backup') errs.push('lonua-db-backup: db image, user lonua_backup');
  if (envValue(dbb, 'LONUA_BACKUP_PASSWORD_FILE') !== '/run/secrets/lonua/db-backup-password') errs.push('lonua-db-backup: the backup password file');
  const mb = find(render('prod'), 'CronJob', 'lonua-media-backup').spec.jobTemplate.spec.template.spec.containers[0];
  if (!/lonua-app:/.test(mb.image)) errs.push('lonua-media-backup: app image');
  const mig = find(render('prod'), 'Job', 'lonua-migrate').spec.template.spec.containers[0];
  if (mig.command.join(' ') !== 'lonua migrate' || envValue(mig, 'LONUA_DB_USER') !== 'lonua_migrate') errs.push('lonua-migrate: lonua migrate as lonua_migrate');
  assert.deepEqual(errs, []);
});

await run();
