/**
 * Ops manifests (issue 2 item 12): every k8s manifest and docker-compose.yml parses; every
 * Deployment has readiness /health/ready and liveness /health/live on its app port, which is
 * also its container port, its PORT and its Service's targetPort; every variable an app's config
 * class requires (describeConfig) is provided, and the env a pod would see passes loadConfig.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
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

  it('the migration Job runs the CLI where `nest build cli` writes it', () => {
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

  it('overlays set replicas for every app and pin the image tag', () => {
    for (const overlay of ['dev', 'prod']) {
      const k = parse(fs.readFileSync(path.join(K8S, 'overlays', overlay, 'kustomization.yaml'), 'utf8')) as Obj;
      expect((k.replicas as Obj[]).map((r) => r.name).sort()).toEqual(APPS.map((a) => a.name).sort());
      expect(k.images[0].name).toBe('homeward');
      expect(k.images[0].newTag).toBeTruthy();
      expect(k.namespace).toBeTruthy();
    }
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

  it.each(APPS.map((a) => a.name))('starts %s from where `nest build` writes it', (name) => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'apps', name, 'tsconfig.app.json'), 'utf8')) as Obj;
    const outDir = path.relative(ROOT_DIR, path.resolve(ROOT_DIR, 'apps', name, tsconfig.compilerOptions.outDir));
    expect(outDir).toBe(`dist/apps/${name}`);
    // the app includes ../../libs, so tsc's rootDir is the repository root
    expect(entrypoint.replace(/\$app/g, name)).toContain(`node "${outDir}/apps/${name}/src/main.js"`);
    expect(entrypoint).toContain(name);
  });
});
