/**
 * Ops manifests (issue 2 item 12): every k8s manifest and docker-compose.yml parses; every
 * Deployment has readiness /health/ready and liveness /health/live on its app port, which is
 * also its container port, its PORT and its Service's targetPort; every variable an app's config
 * class requires (describeConfig) is provided, and the env a pod would see passes loadConfig.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QueueKeys } from 'bullmq';
import { parse, parseAllDocuments } from 'yaml';
import { SERVICE_NAMES, eventsConsumedBy } from '@homeward/domain';
import { queueNameOf } from '@homeward/bus';
import { describeConfig, loadConfig } from '@homeward/platform';
import { APPS, ROOT_DIR, type AppName } from '@homeward/devstack';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type ConfigClass = new () => object;

const K8S = path.join(ROOT_DIR, 'k8s');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

function docsOf(file: string): Obj[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Obj | null)
    .filter((d): d is Obj => d !== null);
}

/** A kustomization (or Component) file of `dir`. */
function kustomizationOf(dir: string): Obj {
  return parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Obj;
}

/** Applies one RFC 6902 operation (add, replace, remove) to `doc`, in place. */
function applyJsonPatchOp(doc: Obj, op: Obj): void {
  const parts = (op.path as string).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop() as string;
  let at: Obj = doc;
  for (const part of parts) {
    if (at[part] === undefined) throw new Error(`patch path ${op.path}: no ${part}`);
    at = at[part];
  }
  if (op.op === 'remove') {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete (at as Obj)[last];
  } else if (op.op === 'add' || op.op === 'replace') {
    if (op.op === 'replace' && at[last] === undefined) throw new Error(`patch ${op.op} ${op.path}: nothing to replace`);
    if (Array.isArray(at) && op.op === 'add') at.splice(last === '-' ? at.length : Number(last), 0, op.value);
    else (at as Obj)[last] = op.value;
  } else throw new Error(`patch op ${op.op} is not handled by this renderer`);
}

/**
 * What `kubectl kustomize <dir>` gives for the parts these manifests use: resources (files and
 * directories), components (the kustomization's and `extraComponents`), `$patch: delete` patches and
 * RFC 6902 patches with a kind/name target. Anything else throws, so a new kind of patch is noticed.
 */
function render(dir: string, extraComponents: string[] = []): Obj[] {
  const k = kustomizationOf(dir);
  let docs: Obj[] = [];
  for (const r of (k.resources ?? []) as string[]) {
    const full = path.join(dir, r);
    docs.push(...(fs.statSync(full).isDirectory() ? render(full) : docsOf(full)));
  }
  const applyPatches = (patches: Obj[]) => {
    for (const p of patches) {
      const body = parse(p.patch as string) as Obj | Obj[];
      if (!Array.isArray(body) && body.$patch === 'delete') {
        const before = docs.length;
        docs = docs.filter((d) => !(d.kind === body.kind && d.metadata.name === body.metadata.name));
        if (docs.length !== before - 1) throw new Error(`delete patch of ${body.kind} ${body.metadata.name} matched ${before - docs.length}`);
      } else if (Array.isArray(body) && p.target) {
        for (const d of docs.filter((x) => x.kind === p.target.kind && (p.target.name === undefined || x.metadata.name === p.target.name))) {
          for (const op of body) applyJsonPatchOp(d, op);
        }
      } else throw new Error(`a patch this renderer does not handle: ${JSON.stringify(p).slice(0, 200)}`);
    }
  };
  for (const c of [...((k.components ?? []) as string[]), ...extraComponents]) {
    const componentDir = path.join(dir, c);
    const component = kustomizationOf(componentDir);
    expect(component.kind).toBe('Component');
    for (const r of (component.resources ?? []) as string[]) docs.push(...docsOf(path.join(componentDir, r)));
    applyPatches((component.patches ?? []) as Obj[]);
  }
  applyPatches((k.patches ?? []) as Obj[]);
  return docs;
}

/** A Kubernetes quantity (`512Mi`, `1Gi`, `250m`, `"1"`) in bytes or cores. */
function quantity(q: string | number): number {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|k|M|G)?$/.exec(String(q));
  if (!m) throw new Error(`unreadable quantity ${q}`);
  const unit = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

/** The app's config class: the one class exported by apps/<app>/src/config.ts whose name ends in "Config". */
function configClassOf(app: AppName): ConfigClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(ROOT_DIR, 'apps', app, 'src', 'config.ts')) as Record<string, unknown>;
  const classes = Object.entries(mod).filter(
    ([name, value]) => typeof value === 'function' && /Config$/.test(name) && (value as { prototype?: unknown }).prototype,
  );
  if (classes.length !== 1) {
    throw new Error(`apps/${app}/src/config.ts must export exactly one <X>Config class, found: ${classes.map(([n]) => n).join(', ') || 'none'}`);
  }
  return classes[0][1] as ConfigClass;
}

function requiredVariables(app: AppName): string[] {
  return describeConfig(configClassOf(app))
    .filter((v) => v.required)
    .map((v) => v.name);
}

const baseDocs = fs
  .readdirSync(path.join(K8S, 'base'))
  .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml' && f !== 'secret.example.yaml')
  .flatMap((f) => docsOf(path.join(K8S, 'base', f)));
const byKind = (kind: string): Obj[] => baseDocs.filter((d) => d.kind === kind);
const configMap = byKind('ConfigMap').find((d) => d.metadata.name === 'homeward-config') as Obj;
const exampleSecret = docsOf(path.join(K8S, 'base', 'secret.example.yaml'))[0];
const devSecret = docsOf(path.join(K8S, 'overlays', 'dev', 'secret.yaml'))[0];

function deployment(app: string): Obj {
  const d = byKind('Deployment').find((x) => x.metadata.name === app);
  if (!d) throw new Error(`no Deployment ${app} in k8s/base`);
  return d;
}

/** The environment a container would see, with the secret values taken from `secret`. */
function containerEnv(container: Obj, secret: Obj): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      expect(from.configMapRef.name).toBe(configMap.metadata.name);
      Object.assign(env, configMap.data);
    }
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) {
      expect(e.valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
      env[e.name] = secret.stringData[e.valueFrom.secretKeyRef.key];
    } else if (e.valueFrom?.configMapKeyRef) env[e.name] = configMap.data[e.valueFrom.configMapKeyRef.key];
  }
  return env;
}

describe('k8s manifests', () => {
  it('every YAML file under k8s/ parses without errors', () => {
    const files = yamlFiles(K8S);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
      for (const doc of docs) expect({ file, errors: doc.errors.map((e) => e.message) }).toEqual({ file, errors: [] });
    }
  });

  it('every kustomization lists resources that exist, and base lists every manifest but the secret example', () => {
    for (const dir of ['base', 'overlays/dev', 'overlays/prod']) {
      const k = parse(fs.readFileSync(path.join(K8S, dir, 'kustomization.yaml'), 'utf8')) as Obj;
      for (const r of k.resources as string[]) expect(fs.existsSync(path.join(K8S, dir, r))).toBe(true);
    }
    const base = parse(fs.readFileSync(path.join(K8S, 'base', 'kustomization.yaml'), 'utf8')) as Obj;
    const files = fs.readdirSync(path.join(K8S, 'base')).filter((f) => /\.ya?ml$/.test(f));
    expect([...(base.resources as string[])].sort()).toEqual(
      files.filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml').sort(),
    );
  });

  it('has exactly one Deployment and one Service per app', () => {
    const names = APPS.map((a) => a.name).sort();
    expect(byKind('Deployment').map((d) => d.metadata.name).sort()).toEqual(names);
    expect(byKind('Service').map((d) => d.metadata.name).sort()).toEqual(names);
  });

  describe.each(APPS.map((a) => [a.name, a] as const))('%s', (name, app) => {
    const dep = deployment(name);
    const container = dep.spec.template.spec.containers[0] as Obj;
    const service = byKind('Service').find((s) => s.metadata.name === name) as Obj;

    it('probes readiness on /health/ready and liveness on /health/live at the app port', () => {
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.httpGet.port).toBe(app.port);
      expect(container.livenessProbe.httpGet.port).toBe(app.port);
    });

    it('uses one port as containerPort, PORT and the Service targetPort', () => {
      const containerPort = container.ports[0].containerPort as number;
      expect(containerPort).toBe(app.port);
      const port = (container.env as Obj[]).find((e) => e.name === 'PORT');
      expect(Number(port?.value)).toBe(containerPort);
      const target = service.spec.ports[0].targetPort as number | string;
      const resolved = typeof target === 'string' ? (container.ports as Obj[]).find((p) => p.name === target)?.containerPort : target;
      expect(resolved).toBe(containerPort);
      // other apps reach it through the Service at the URL the ConfigMap gives them
      if (app.urlEnv !== 'GATEWAY_URL') expect(configMap.data[app.urlEnv]).toBe(`http://${name}:${service.spec.ports[0].port}`);
    });

    it('issue 6 item 14: Prometheus scrapes METRICS_PORT (a container port of its own), never the app port', () => {
      const env = containerEnv(container, exampleSecret);
      const annotations = dep.spec.template.metadata.annotations as Obj;
      const metricsPort = Number(env.METRICS_PORT);
      expect(metricsPort).toBeGreaterThan(0);
      expect(metricsPort).not.toBe(app.port);
      expect(Number(annotations['prometheus.io/port'])).toBe(metricsPort);
      expect(annotations['prometheus.io/path']).toBe('/metrics');
      expect((container.ports as Obj[]).find((p) => p.name === 'metrics')?.containerPort).toBe(metricsPort);
      // the Service (what other pods and the Ingress reach) does not expose it
      expect((service.spec.ports as Obj[]).map((p) => Number(p.targetPort === 'metrics' ? metricsPort : p.targetPort))).not.toContain(metricsPort);
    });

    it('selects its own pods', () => {
      expect(dep.spec.selector.matchLabels).toEqual(service.spec.selector);
      for (const [k, v] of Object.entries(service.spec.selector)) expect(dep.spec.template.metadata.labels[k]).toBe(v);
    });

    it('runs the app from the image with requests and limits, as non-root', () => {
      expect(container.image).toBe('homeward');
      expect(container.args).toEqual([name]);
      expect(container.resources.requests.cpu).toBeDefined();
      expect(container.resources.requests.memory).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
      expect(dep.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    });

    it('sets every variable its config class requires (ConfigMap, Secret or env)', () => {
      const provided = new Set(Object.keys(containerEnv(container, exampleSecret)));
      const missing = requiredVariables(name).filter((v) => !provided.has(v));
      expect(missing).toEqual([]);
    });

    it('gives a pod an environment its config class accepts (dev secret values)', () => {
      expect(() => loadConfig(configClassOf(name), containerEnv(container, devSecret))).not.toThrow();
    });

    it('issue 6 item 3: connects as its own database role, never as the migrator', () => {
      const env = containerEnv(container, exampleSecret);
      expect(env.MIGRATION_DATABASE_URL).toBeUndefined();
      if (app.dbRole) {
        expect(new URL(env.DATABASE_URL).username).toBe(app.dbRole);
        expect(env.AUDIT_CHAIN_KEY).toBeDefined();
      } else expect(env.DATABASE_URL).toBeUndefined();
    });
  });

  it('the secret example and the dev secret have the same keys, and every secretKeyRef names one of them', () => {
    const keys = Object.keys(exampleSecret.stringData).sort();
    expect(Object.keys(devSecret.stringData).sort()).toEqual(keys);
    const refs = [...byKind('Deployment'), ...byKind('Job')].flatMap((d) =>
      (d.spec.template.spec.containers as Obj[]).flatMap((c) =>
        ((c.env ?? []) as Obj[]).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.valueFrom.secretKeyRef.key as string),
      ),
    );
    for (const r of refs) expect(keys).toContain(r);
  });

  it('the migration Job runs the CLI where `npm run build` writes it', () => {
    const nest = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'nest-cli.json'), 'utf8')) as Obj;
    const cli = nest.projects.cli as Obj;
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, cli.compilerOptions.tsConfigPath), 'utf8')) as Obj;
    const outDir = path.relative(ROOT_DIR, path.resolve(ROOT_DIR, path.dirname(cli.compilerOptions.tsConfigPath), tsconfig.compilerOptions.outDir));
    // rootDir is the repository root (the CLI includes apps/ and libs/), so the entry keeps its path
    const entry = `${outDir}/${cli.entryFile}.js`;
    expect(entry).toBe('dist/cli/scripts/cli.js');
    const job = byKind('Job').find((j) => j.metadata.name === 'homeward-migrate') as Obj;
    const command = (job.spec.template.spec.containers[0].command as string[]).join(' ');
    expect(command).toContain(`node ${entry} migrate`);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const env = containerEnv(job.spec.template.spec.containers[0], exampleSecret);
    for (const v of ['MIGRATION_DATABASE_URL', 'FIELD_ENCRYPTION_KEY', 'PERSON_KEY_SECRET', 'AUDIT_CHAIN_KEY']) expect(env[v]).toBeDefined();
    // issue 6 item 3: the Job sets every role's password from its URL; the apps never get the migrator.
    for (const a of APPS.filter((x) => x.dbUrlEnv)) expect(new URL(env[a.dbUrlEnv ?? '']).username).toBe(a.dbRole);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('the Ingress sends HTTP and the /subscriptions WebSocket to the gateway', () => {
    const ingress = byKind('Ingress')[0];
    const paths = ingress.spec.rules[0].http.paths as Obj[];
    expect(paths.map((p) => p.path).sort()).toEqual(['/', '/subscriptions']);
    for (const p of paths) expect(p.backend.service.name).toBe('gateway');
    expect(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
  });

  describe('issue 6 item 12: network exposure', () => {
    const policies = byKind('NetworkPolicy');
    /** The NetworkPolicies whose podSelector selects the pods of `app`. */
    const policiesFor = (app: string): Obj[] =>
      policies.filter((p) => {
        const sel = p.spec.podSelector as Obj;
        const labels = deployment(app).spec.template.metadata.labels as Record<string, string>;
        const byLabels = Object.entries((sel.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
        const byExpr = ((sel.matchExpressions ?? []) as Obj[]).every((e) => e.operator === 'In' && (e.values as string[]).includes(labels[e.key] ?? (e.key === 'app.kubernetes.io/name' ? app : '')));
        return byLabels && byExpr;
      });

    it.each(['community-correction', 'resettlement', 'aftercare', 'alerts'])('only the gateway may connect to %s, on its port', (name) => {
      const port = APPS.find((a) => a.name === name)!.port;
      const selecting = policiesFor(name);
      expect(selecting.length).toBeGreaterThan(0);
      for (const p of selecting) {
        expect(p.spec.policyTypes).toContain('Ingress');
        for (const rule of p.spec.ingress as Obj[]) {
          expect(rule.from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } } }]);
        }
      }
      const ports = selecting.flatMap((p) => (p.spec.ingress as Obj[]).flatMap((r) => (r.ports as Obj[]).map((x) => x.port)));
      expect(ports).toContain(port);
    });

    it('identity accepts only Homeward pods (gateway + JWKS readers); the gateway stays open to the Ingress', () => {
      const selecting = policiesFor('identity');
      expect(selecting.length).toBeGreaterThan(0);
      for (const p of selecting) for (const rule of p.spec.ingress as Obj[]) {
        for (const peer of rule.from as Obj[]) {
          expect(peer.namespaceSelector).toBeUndefined();
          expect(peer.ipBlock).toBeUndefined();
          expect(peer.podSelector.matchLabels['app.kubernetes.io/part-of'] ?? peer.podSelector.matchLabels['app.kubernetes.io/name']).toMatch(/^(homeward|gateway)$/);
        }
      }
      expect(policiesFor('gateway')).toEqual([]);
    });

    it('the pods listen on 0.0.0.0 (BIND_ADDRESS; the apps default to 127.0.0.1) and every app gets SUBGRAPH_SHARED_SECRET from the Secret', () => {
      expect(configMap.data.BIND_ADDRESS).toBe('0.0.0.0');
      for (const app of APPS) {
        const container = deployment(app.name).spec.template.spec.containers[0] as Obj;
        const ref = (container.env as Obj[]).find((e) => e.name === 'SUBGRAPH_SHARED_SECRET');
        expect(ref?.valueFrom?.secretKeyRef).toEqual({ name: 'homeward-secrets', key: 'SUBGRAPH_SHARED_SECRET' });
      }
    });
  });

  it('overlays pin the image tag and a namespace, and leave the replica count to the autoscalers (issue 13)', () => {
    for (const overlay of ['dev', 'prod']) {
      const k = kustomizationOf(path.join(K8S, 'overlays', overlay));
      expect(k.replicas).toBeUndefined();
      expect(k.images[0].name).toBe('homeward');
      expect(k.images[0].newTag).toBeTruthy();
      expect(k.namespace).toBeTruthy();
    }
  });
});

/** Issue 13: RSS measured by `npm run bench:startup` (dist, production), MiB per app (k8s/measured-rss.json). */
interface MeasuredRss {
  source: string;
  apps: Record<AppName, { idleMiB: number; loadedMiB: number; peakMiB: number }>;
}
const measured = JSON.parse(fs.readFileSync(path.join(K8S, 'measured-rss.json'), 'utf8')) as MeasuredRss;
const KEDA = path.join(K8S, 'components', 'keda');
const renderings: [string, Obj[]][] = [
  ['base', render(path.join(K8S, 'base'))],
  ['overlays/dev', render(path.join(K8S, 'overlays', 'dev'))],
  ['overlays/prod', render(path.join(K8S, 'overlays', 'prod'))],
  ['overlays/dev + components/keda', render(path.join(K8S, 'overlays', 'dev'), [path.relative(path.join(K8S, 'overlays', 'dev'), KEDA)])],
  ['overlays/prod + components/keda', render(path.join(K8S, 'overlays', 'prod'), [path.relative(path.join(K8S, 'overlays', 'prod'), KEDA)])],
];
/** The services with an event queue (`events.<service>`): the catalogue's consumers. */
const consumers = SERVICE_NAMES.filter((s) => eventsConsumedBy(s).length > 0);

/** The kubernetes-models (or KEDA models) class of a manifest, by apiVersion and kind; undefined when none ships one. */
function modelOf(doc: Obj): (new (data: Obj) => { validate(): void }) | undefined {
  const module = doc.apiVersion === 'keda.sh/v1alpha1' ? '@kubernetes-models/keda/keda.sh/v1alpha1' : `kubernetes-models/${doc.apiVersion}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(module) as Record<string, new (data: Obj) => { validate(): void }>)[doc.kind];
}

describe('issue 13: resources sized from the measured RSS, one autoscaler per app', () => {
  it('k8s/measured-rss.json has every app, from a named bench run', () => {
    expect(Object.keys(measured.apps).sort()).toEqual(APPS.map((a) => a.name).sort());
    expect(measured.source).toContain('bench:startup');
    for (const m of Object.values(measured.apps)) {
      expect(m.idleMiB).toBeGreaterThan(0);
      expect(m.loadedMiB).toBeGreaterThanOrEqual(m.idleMiB * 0.9);
    }
  });

  describe.each(renderings)('%s', (_name, docs) => {
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    const autoscalers = docs.filter((d) => d.kind === 'HorizontalPodAutoscaler' || d.kind === 'ScaledObject');
    const pdbs = docs.filter((d) => d.kind === 'PodDisruptionBudget');

    it('every manifest passes the Kubernetes (and KEDA) JSON schema of its apiVersion and kind, offline', () => {
      const failures: string[] = [];
      for (const doc of docs) {
        const Model = modelOf(doc);
        if (!Model) {
          failures.push(`${doc.apiVersion} ${doc.kind} ${doc.metadata?.name}: no schema shipped`);
          continue;
        }
        try {
          new Model(doc).validate();
        } catch (error) {
          failures.push(`${doc.kind} ${doc.metadata?.name}: ${(error as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('every container has CPU and memory requests and limits; memory limit ≥ request ≥ the loaded RSS measured, limit ≥ the start-up peak', () => {
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual(APPS.map((a) => a.name).sort());
      for (const d of deployments) {
        const m = measured.apps[d.metadata.name as AppName];
        for (const c of d.spec.template.spec.containers as Obj[]) {
          const { requests, limits } = c.resources as Obj;
          const at = `${d.metadata.name}/${c.name}`;
          for (const r of ['cpu', 'memory']) {
            expect({ at, r, request: requests?.[r] !== undefined, limit: limits?.[r] !== undefined }).toEqual({ at, r, request: true, limit: true });
            expect({ at, r, limitAtLeastRequest: quantity(limits[r]) >= quantity(requests[r]) }).toEqual({ at, r, limitAtLeastRequest: true });
          }
          const mib = (q: string) => quantity(q) / 1024 ** 2;
          expect({ at, requestCoversLoaded: mib(requests.memory) >= m.loadedMiB }).toEqual({ at, requestCoversLoaded: true });
          expect({ at, limitCoversPeak: mib(limits.memory) >= Math.max(m.loadedMiB, m.peakMiB) }).toEqual({ at, limitCoversPeak: true });
          // V8's heap is capped below the container limit, so the app collects harder before the kernel kills it
          const nodeOptions = ((c.env ?? []) as Obj[]).find((e) => e.name === 'NODE_OPTIONS')?.value as string | undefined;
          const heap = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions ?? '')?.[1]);
          expect({ at, heapBelowLimit: heap > 0 && heap < mib(limits.memory) * 0.8 }).toEqual({ at, heapBelowLimit: true });
        }
      }
    });

    it('no Deployment sets spec.replicas: its one autoscaler owns the count', () => {
      for (const d of deployments) expect({ name: d.metadata.name, replicas: d.spec.replicas }).toEqual({ name: d.metadata.name, replicas: undefined });
    });

    it.each(APPS.map((a) => a.name))('%s has exactly one autoscaler (HPA or ScaledObject), on its Deployment by name', (app) => {
      const mine = autoscalers.filter((a) => a.spec.scaleTargetRef.name === app);
      expect(mine.map((a) => a.kind)).toHaveLength(1);
      const [a] = mine;
      expect(a.spec.scaleTargetRef.kind ?? 'Deployment').toBe('Deployment');
      expect(a.spec.scaleTargetRef.apiVersion ?? 'apps/v1').toBe('apps/v1');
      expect(deployments.map((d) => d.metadata.name)).toContain(app);
      const min = a.kind === 'ScaledObject' ? a.spec.minReplicaCount : a.spec.minReplicas;
      const max = a.kind === 'ScaledObject' ? a.spec.maxReplicaCount : a.spec.maxReplicas;
      // never scaled to zero: every app answers requests
      expect(min).toBeGreaterThanOrEqual(1);
      expect(min).toBeLessThanOrEqual(max);
      // a PodDisruptionBudget with minAvailable 1 blocks every drain of a single pod
      const pdb = pdbs.find((p) => p.spec.selector.matchLabels['app.kubernetes.io/name'] === app);
      if (pdbs.length) {
        expect(pdb).toBeDefined();
        expect(min).toBeGreaterThanOrEqual(2);
        expect(min).toBeGreaterThan(pdb?.spec.minAvailable);
      }
      // the target is CPU utilisation of the request (the requests above make the percentage mean something)
      const cpu =
        a.kind === 'ScaledObject'
          ? Number((a.spec.triggers as Obj[]).find((t) => t.type === 'cpu' && t.metricType === 'Utilization')?.metadata.value)
          : (a.spec.metrics as Obj[]).find((m) => m.type === 'Resource' && m.resource.name === 'cpu')?.resource.target.averageUtilization;
      expect(cpu).toBeGreaterThan(0);
      expect(cpu).toBeLessThanOrEqual(90);
      const behavior = a.kind === 'ScaledObject' ? a.spec.advanced.horizontalPodAutoscalerConfig.behavior : a.spec.behavior;
      expect(behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(120);
    });

    it('a ScaledObject scales only a bus consumer, on the BullMQ wait list of its own event queue', () => {
      const secretKeys = Object.keys(exampleSecret.stringData);
      const prefix = configMap.data.REDIS_PREFIX as string;
      for (const so of docs.filter((d) => d.kind === 'ScaledObject')) {
        const app = so.spec.scaleTargetRef.name as string;
        expect(consumers).toContain(app);
        const redis = (so.spec.triggers as Obj[]).filter((t) => t.type === 'redis');
        expect(redis.map((t) => t.metadata.listName)).toEqual([new QueueKeys(prefix).toKey(queueNameOf(app as (typeof consumers)[number]), 'wait')]);
        expect(Number(redis[0].metadata.listLength)).toBeGreaterThan(0);
        const auth = docs.find((d) => d.kind === 'TriggerAuthentication' && d.metadata.name === redis[0].authenticationRef.name) as Obj;
        expect(auth).toBeDefined();
        for (const ref of auth.spec.secretTargetRef as Obj[]) {
          expect(ref.name).toBe(exampleSecret.metadata.name);
          expect(secretKeys).toContain(ref.key);
        }
      }
    });
  });

  it('components/keda gives every bus consumer (and only them) a ScaledObject in place of its HPA', () => {
    const docs = renderings.find(([n]) => n === 'overlays/prod + components/keda')?.[1] as Obj[];
    expect(docs.filter((d) => d.kind === 'ScaledObject').map((d) => d.spec.scaleTargetRef.name).sort()).toEqual([...consumers].sort());
    expect(docs.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((d) => d.spec.scaleTargetRef.name).sort()).toEqual(
      APPS.map((a) => a.name).filter((a) => !(consumers as readonly string[]).includes(a)).sort(),
    );
  });
});

/** docker-compose interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error} with `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    if (vars[name] !== undefined) return vars[name];
    if (op === '-') return arg ?? '';
    throw new Error(`compose variable ${name} is required: ${arg ?? ''}`);
  });
}

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT_DIR, 'docker-compose.yml'), 'utf8'), { merge: true }) as Obj;
  const services = compose.services as Obj;
  const vars = {
    FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PERSON_KEY_SECRET: 'x'.repeat(40),
    SUBGRAPH_SHARED_SECRET: 'y'.repeat(40),
    AUDIT_CHAIN_KEY: 'a'.repeat(40),
  };

  it('runs PostgreSQL 16 and Redis 7 with noeviction and AOF, with healthchecks', () => {
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.redis.image).toMatch(/^redis:7/);
    const cmd = (services.redis.command as string[]).join(' ');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(cmd).toContain('--appendonly yes');
    expect(services.postgres.healthcheck.test).toBeDefined();
    expect(services.redis.healthcheck.test).toBeDefined();
  });

  it('migrates (then seeds) once before the apps start', () => {
    expect(services.migrate.command).toEqual(['cli', 'migrate']);
    expect(services.seed.depends_on.migrate.condition).toBe('service_completed_successfully');
    for (const app of APPS.filter((a) => a.name !== 'gateway')) {
      expect(services[app.name].depends_on.seed.condition).toBe('service_completed_successfully');
    }
  });

  it('issue 6 item 12: apps listen on the compose network, only the gateway is published, all share SUBGRAPH_SHARED_SECRET', () => {
    for (const app of APPS) {
      const env = services[app.name].environment as Record<string, string>;
      expect(env.BIND_ADDRESS).toBe('0.0.0.0');
      expect(interpolate(String(env.SUBGRAPH_SHARED_SECRET), vars)).toBe(vars.SUBGRAPH_SHARED_SECRET);
      if (app.name !== 'gateway') expect(services[app.name].ports).toBeUndefined();
    }
    expect(() => interpolate(String(services.gateway.environment.SUBGRAPH_SHARED_SECRET), {})).toThrow(/SUBGRAPH_SHARED_SECRET/);
  });

  it('starts the gateway after every other app is healthy', () => {
    for (const app of APPS.filter((a) => a.name !== 'gateway')) {
      expect(services.gateway.depends_on[app.name].condition).toBe('service_healthy');
    }
  });

  describe.each(APPS.map((a) => [a.name, a] as const))('%s', (name, app) => {
    it('runs the app from the one image on its port, with a readiness healthcheck', () => {
      const s = services[name] as Obj;
      expect(s.command).toEqual([name]);
      expect(s.image).toBe(services.migrate.image);
      expect(Number(s.environment.PORT)).toBe(app.port);
      expect((s.healthcheck.test as string[]).join(' ')).toContain('/health/ready');
    });

    it('sets every variable its config class requires, with values it accepts', () => {
      const env = Object.fromEntries(
        Object.entries(services[name].environment as Record<string, string>).map(([k, v]) => [k, interpolate(String(v), vars)]),
      );
      expect(requiredVariables(name).filter((v) => env[v] === undefined)).toEqual([]);
      expect(() => loadConfig(configClassOf(name), env)).not.toThrow();
    });
  });

  it('refuses to start without the secrets (no default key is baked in)', () => {
    const env = services.identity.environment as Record<string, string>;
    expect(() => interpolate(env.FIELD_ENCRYPTION_KEY, {})).toThrow(/FIELD_ENCRYPTION_KEY/);
    expect(() => interpolate(env.PERSON_KEY_SECRET, {})).toThrow(/PERSON_KEY_SECRET/);
    expect(() => interpolate(env.AUDIT_CHAIN_KEY, {})).toThrow(/AUDIT_CHAIN_KEY/);
  });

  it('issue 6 item 3: each app connects as its own role; only migrate and seed get the migrator', () => {
    for (const app of APPS) {
      const env = services[app.name].environment as Record<string, string>;
      expect(env.MIGRATION_DATABASE_URL).toBeUndefined();
      if (app.dbRole) expect(new URL(interpolate(env.DATABASE_URL, vars)).username).toBe(app.dbRole);
    }
    for (const step of ['migrate', 'seed']) {
      const env = services[step].environment as Record<string, string>;
      expect(env.MIGRATION_DATABASE_URL).toBeDefined();
      for (const app of APPS.filter((a) => a.dbUrlEnv)) expect(new URL(interpolate(env[app.dbUrlEnv ?? ''], vars)).username).toBe(app.dbRole);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT_DIR, 'Dockerfile'), 'utf8');
  const entrypoint = fs.readFileSync(path.join(ROOT_DIR, 'scripts', 'stack', 'docker-entrypoint.sh'), 'utf8');

  it('builds in stages, prunes dev dependencies and runs as a non-root user', () => {
    expect(dockerfile).toMatch(/^FROM .* AS build$/m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it.each(APPS.map((a) => a.name))('starts %s from where `npm run build` writes it', (name) => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'apps', name, 'tsconfig.app.json'), 'utf8')) as Obj;
    const outDir = path.relative(ROOT_DIR, path.resolve(ROOT_DIR, 'apps', name, tsconfig.compilerOptions.outDir));
    expect(outDir).toBe(`dist/apps/${name}`);
    // the app includes ../../libs, so tsc's rootDir is the repository root
    expect(entrypoint.replace(/\$app/g, name)).toContain(`node "${outDir}/apps/${name}/src/main.js"`);
    expect(entrypoint).toContain(name);
  });
});
