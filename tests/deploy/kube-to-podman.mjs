// Turns a rendered overlay (`kubectl kustomize k8s/overlays/dev`) into what `podman play kube`
// can run on one machine, in the order a cluster would bring it up. podman 4.3 runs Pods,
// Deployments, ConfigMaps and PersistentVolumeClaims; it ignores Services and has no
// StatefulSet, Job or Secret of the Kubernetes kind. So:
//   - each Deployment and StatefulSet with replicas > 0 becomes one Pod named after it; as every
//     Service is named after the workload it reaches (k8s/README), the names the containers use
//     (lonua-db, lonua-app-blue) resolve in the podman network;
//   - each Job becomes a Pod that runs once (restartPolicy Never), played before the workloads;
//   - a Secret volume becomes a hostPath folder of files, secretKeyRef values are read from it;
//   - volumeClaimTemplates become PVCs (podman volumes), probes are left out (the test asks
//     /readyz itself), and only the live web Service's port is published, on 127.0.0.1:WEB_PORT
//     (podman would publish every containerPort on the host).
//
//   node kube-to-podman.mjs --in rendered.yaml --out DIR --secrets DIR --web-port PORT
//
// Writes DIR/configmaps.yaml, DIR/volumes.yaml and one DIR/NN-NAME.yaml per pod, and prints
// their names in start order, one per line ("job" pods first: the test waits for them to end).
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) {
    console.error(`usage: node kube-to-podman.mjs --in FILE --out DIR --secrets DIR --web-port PORT (missing --${name})`);
    process.exit(2);
  }
  return process.argv[i + 1];
};
const input = arg('in');
const out = arg('out');
const secrets = path.resolve(arg('secrets'));
const webPort = Number(arg('web-port'));

const docs = parseAllDocuments(fs.readFileSync(input, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const of = (kind) => docs.filter((d) => d.kind === kind);
fs.mkdirSync(out, { recursive: true });

// The live web Service's colour: only that colour's web pod is published.
const live = of('Service').find((s) => s.metadata.name === 'lonua-web');
const liveColour = live?.spec?.selector?.colour;
if (!liveColour) throw new Error('no live Service lonua-web with a colour selector in the rendered overlay');

function secretValue(key) {
  const file = path.join(secrets, key);
  if (!fs.existsSync(file)) throw new Error(`the secret ${key} is not in ${secrets}`);
  return fs.readFileSync(file, 'utf8');
}

// A pod spec podman can run: secrets as host folders, no probes.
function podSpec(spec, name) {
  const s = structuredClone(spec);
  s.volumes = (s.volumes || []).map((v) => {
    if (!v.secret) return v;
    let dir = secrets;
    if (v.secret.items) { // only some keys, under other names: a folder of their own
      dir = path.join(out, `secret-${name}-${v.name}`);
      fs.mkdirSync(dir, { recursive: true });
      for (const it of v.secret.items) fs.writeFileSync(path.join(dir, it.path), secretValue(it.key), { mode: 0o644 });
    }
    return { name: v.name, hostPath: { path: dir, type: 'Directory' } };
  });
  for (const c of [...(s.initContainers || []), ...(s.containers || [])]) {
    delete c.livenessProbe;
    delete c.readinessProbe;
    delete c.startupProbe;
    c.env = (c.env || []).map((e) => (e.valueFrom?.secretKeyRef
      ? { name: e.name, value: secretValue(e.valueFrom.secretKeyRef.key) } : e));
  }
  return s;
}

const pods = []; // { file, name, job }
const write = (file, objs) => fs.writeFileSync(path.join(out, file), objs.map((o) => stringify(o)).join('---\n'));
function addPod(name, meta, spec, { job = false, publish = false } = {}) {
  const s = podSpec(spec, name);
  if (job) s.restartPolicy = 'Never';
  // podman publishes every containerPort on the host: only the live web's port may stay.
  const web = publish && s.containers.find((c) => (c.ports || []).some((p) => p.containerPort === 8080));
  if (publish && !web) throw new Error(`${name}: no container listens on 8080`);
  for (const c of s.containers) delete c.ports;
  if (web) web.ports = [{ containerPort: 8080, hostPort: webPort, hostIP: '127.0.0.1' }];
  const file = `${String(pods.length).padStart(2, '0')}-${name}.yaml`;
  write(file, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: meta.labels || {} }, spec: s }]);
  pods.push({ file, name, job });
}

write('configmaps.yaml', of('ConfigMap'));
const claims = [...of('PersistentVolumeClaim')];
for (const st of of('StatefulSet')) {
  for (const t of st.spec.volumeClaimTemplates || []) {
    claims.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `${t.metadata.name}-${st.metadata.name}-0` }, spec: t.spec });
  }
}
write('volumes.yaml', claims.map((c) => ({ ...c, spec: { accessModes: c.spec.accessModes, resources: c.spec.resources } })));

// The database first, then the Jobs (the migration before the demo data), then the rest.
for (const st of of('StatefulSet')) {
  if ((st.spec.replicas ?? 1) === 0) continue;
  const spec = structuredClone(st.spec.template.spec);
  for (const t of st.spec.volumeClaimTemplates || []) {
    spec.volumes = [...(spec.volumes || []), { name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${st.metadata.name}-0` } }];
  }
  addPod(st.metadata.name, st.spec.template.metadata, spec);
}
const jobOrder = (j) => (/migrat/.test(j.metadata.name) ? 0 : 1);
for (const j of of('Job').sort((a, b) => jobOrder(a) - jobOrder(b))) addPod(j.metadata.name, j.spec.template.metadata, j.spec.template.spec, { job: true });
const deployOrder = (d) => ['app', 'jobs', 'web'].indexOf(d.spec.template.metadata.labels?.['app.kubernetes.io/component']);
for (const d of of('Deployment').sort((a, b) => deployOrder(a) - deployOrder(b))) {
  if ((d.spec.replicas ?? 1) === 0) continue;
  const labels = d.spec.template.metadata.labels || {};
  const isWeb = labels['app.kubernetes.io/component'] === 'web';
  addPod(d.metadata.name, d.spec.template.metadata, d.spec.template.spec, { publish: isWeb && labels.colour === liveColour });
}
for (const p of pods) console.log(`${p.job ? 'job' : 'pod'} ${p.name} ${p.file}`);
