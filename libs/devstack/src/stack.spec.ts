import * as path from 'node:path';
import { loadConfig } from '@homeward/platform';
import { APPS, ROOT_DIR, appEnv, cliEnv, type AppName, type StackSettings } from './apps';
import { devStackSettings } from './dev-env';
import { OPERATOR_TUNABLES, childEnv, formatLogLine, lastJsonLine, logLevelOf, tsNodeArgs } from './processes';
import { generateSecrets } from './secrets';

function settings(): StackSettings {
  const s = generateSecrets();
  return {
    nodeEnv: 'development',
    databaseUrl: 'postgres://postgres@127.0.0.1:5432/homeward',
    redisUrl: 'redis://127.0.0.1:6379',
    redisPrefix: 'hw',
    fieldEncryptionKey: s.FIELD_ENCRYPTION_KEY,
    personKeySecret: s.PERSON_KEY_SECRET,
    subgraphSharedSecret: s.SUBGRAPH_SHARED_SECRET,
    auditChainKey: s.AUDIT_CHAIN_KEY,
    ports: { gateway: 4000, identity: 4001, 'community-correction': 4002, resettlement: 4003, aftercare: 4004, alerts: 4005 },
    alertSweepIntervalSeconds: 1,
    clockControl: true,
  };
}

function configClassOf(app: AppName): new () => object {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(ROOT_DIR, 'apps', app, 'src', 'config.ts')) as Record<string, unknown>;
  const found = Object.entries(mod).find(([name, value]) => typeof value === 'function' && /Config$/.test(name));
  if (!found) throw new Error(`no <X>Config class in apps/${app}/src/config.ts`);
  return found[1] as new () => object;
}

describe('appEnv', () => {
  it.each(APPS.map((a) => a.name))('gives %s an environment its config class accepts', (name) => {
    expect(() => loadConfig(configClassOf(name), appEnv(name, settings()))).not.toThrow();
  });

  it('gives the gateway no database and no secrets, and every upstream URL', () => {
    const env = appEnv('gateway', settings());
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.FIELD_ENCRYPTION_KEY).toBeUndefined();
    expect(env.PERSON_KEY_SECRET).toBeUndefined();
    expect(env).toMatchObject({
      PORT: '4000',
      IDENTITY_URL: 'http://127.0.0.1:4001',
      CORRECTION_URL: 'http://127.0.0.1:4002',
      RESETTLEMENT_URL: 'http://127.0.0.1:4003',
      AFTERCARE_URL: 'http://127.0.0.1:4004',
      ALERTS_URL: 'http://127.0.0.1:4005',
    });
  });

  it('gives every app its own port and the shared Redis prefix and clock control', () => {
    const s = settings();
    for (const app of APPS) {
      const env = appEnv(app.name, s);
      expect(env.PORT).toBe(String(s.ports[app.name]));
      expect(env.REDIS_PREFIX).toBe('hw');
      expect(env.CLOCK_CONTROL).toBe('true');
    }
    expect(appEnv('alerts', s).ALERT_SWEEP_INTERVAL_SECONDS).toBe('1');
    expect(appEnv('identity', s).IDENTITY_URL).toBeUndefined();
  });

  it('issue 6 item 12: gives every app, the gateway included, the same SUBGRAPH_SHARED_SECRET', () => {
    const s = settings();
    for (const app of APPS) expect(appEnv(app.name, s).SUBGRAPH_SHARED_SECRET).toBe(s.subgraphSharedSecret);
    expect(s.subgraphSharedSecret?.length).toBeGreaterThanOrEqual(32);
  });

  it('issue 6 item 3: connects each service app as its own role, the CLI as the migrator with every role URL', () => {
    const s = settings();
    expect(appEnv('identity', s).DATABASE_URL).toBe('postgres://hw_identity@127.0.0.1:5432/homeward');
    expect(appEnv('community-correction', s).DATABASE_URL).toBe('postgres://hw_correction@127.0.0.1:5432/homeward');
    expect(appEnv('alerts', s).AUDIT_CHAIN_KEY).toBe(s.auditChainKey);
    expect(appEnv('alerts', s).MIGRATION_DATABASE_URL).toBeUndefined();
    expect(cliEnv(s)).toMatchObject({
      MIGRATION_DATABASE_URL: s.databaseUrl,
      RESETTLEMENT_DATABASE_URL: 'postgres://hw_resettlement@127.0.0.1:5432/homeward',
      AUDITOR_DATABASE_URL: 'postgres://hw_auditor@127.0.0.1:5432/homeward',
      AUDIT_CHAIN_KEY: s.auditChainKey,
    });
    const embedded = { ...s, databaseUrl: 'postgres://postgres:homeward-dev@127.0.0.1:5999/homeward' };
    expect(appEnv('aftercare', embedded).DATABASE_URL).toBe('postgres://hw_aftercare:homeward-dev@127.0.0.1:5999/homeward');
  });

  it('lets extra variables override the computed ones', () => {
    const s = { ...settings(), extra: { LOG_LEVEL: 'debug', BUS_MAX_ATTEMPTS: '2' } };
    expect(appEnv('alerts', s)).toMatchObject({ LOG_LEVEL: 'debug', BUS_MAX_ATTEMPTS: '2' });
    expect(cliEnv(s)).toMatchObject({ LOG_LEVEL: 'debug', DATABASE_URL: s.databaseUrl });
  });
});

describe('generateSecrets', () => {
  it('makes a base64 32-byte field key and a person-key secret of at least 32 characters, new each time', () => {
    const a = generateSecrets();
    const b = generateSecrets();
    expect(Buffer.from(a.FIELD_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    expect(a.PERSON_KEY_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(a.FIELD_ENCRYPTION_KEY).not.toBe(b.FIELD_ENCRYPTION_KEY);
    expect(a.AUDIT_CHAIN_KEY.length).toBeGreaterThanOrEqual(32);
    expect(a.AUDIT_CHAIN_KEY).not.toBe(b.AUDIT_CHAIN_KEY);
  });
});

describe('childEnv', () => {
  it('drops inherited configuration so a child gets exactly the variables given', () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgres://inherited/db';
    try {
      const env = childEnv({ PORT: '1' });
      expect(env.DATABASE_URL).toBeUndefined();
      expect(env.PORT).toBe('1');
      expect(env.PATH).toBe(process.env.PATH);
      expect(Object.keys(env).some((k) => k.startsWith('JEST_'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});

describe('devStackSettings', () => {
  const found = () => {
    const { nodeEnv: _nodeEnv, ...rest } = settings();
    return rest;
  };

  it('issue 13: npm start hands the operator\'s RATE_LIMIT_PER_MINUTE (and the other tunables) to every app, though childEnv drops inherited configuration', () => {
    const operator = { RATE_LIMIT_PER_MINUTE: '60000', BUS_MAX_ATTEMPTS: '3', DATABASE_URL: 'postgres://elsewhere/db', PATH: process.env.PATH };
    const s = devStackSettings(found(), operator);
    for (const name of ['community-correction', 'resettlement', 'aftercare'] as const) {
      const env = childEnv(appEnv(name, s));
      expect(env.RATE_LIMIT_PER_MINUTE).toBe('60000');
      expect(env.BUS_MAX_ATTEMPTS).toBe('3');
      // What the launcher computes is not taken from the operator's environment.
      expect(env.DATABASE_URL).toBe(appEnv(name, settings()).DATABASE_URL);
      expect((loadConfig(configClassOf(name), env) as { RATE_LIMIT_PER_MINUTE: number }).RATE_LIMIT_PER_MINUTE).toBe(60000);
    }
  });

  it('issue 13: without the variable the apps keep their default; every tunable is a variable childEnv would otherwise drop', () => {
    const s = devStackSettings(found(), { PATH: process.env.PATH });
    expect(s.extra).toBeUndefined();
    const saved = process.env.RATE_LIMIT_PER_MINUTE;
    process.env.RATE_LIMIT_PER_MINUTE = '5';
    try {
      const env = childEnv(appEnv('resettlement', s));
      expect(env.RATE_LIMIT_PER_MINUTE).toBeUndefined();
      expect((loadConfig(configClassOf('resettlement'), env) as { RATE_LIMIT_PER_MINUTE: number }).RATE_LIMIT_PER_MINUTE).toBe(600);
    } finally {
      if (saved === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
      else process.env.RATE_LIMIT_PER_MINUTE = saved;
    }
    for (const key of OPERATOR_TUNABLES) {
      process.env[key] = 'inherited';
      try {
        expect(childEnv({})[key]).toBeUndefined();
      } finally {
        delete process.env[key];
      }
    }
  });
});

describe('tsNodeArgs', () => {
  it('runs a TypeScript file with ts-node and swc (decorator metadata, no type check) and the path aliases', () => {
    const args = tsNodeArgs('apps/gateway/src/main.ts');
    expect(args[0]).toMatch(/ts-node[/\\]dist[/\\]bin\.js$/);
    expect(args.slice(1)).toEqual(['--swc', '-r', 'tsconfig-paths/register', 'apps/gateway/src/main.ts']);
  });
});

describe('formatLogLine', () => {
  it('turns a pino JSON line into level, message and context', () => {
    const line = JSON.stringify({ level: 40, time: 1, pid: 2, hostname: 'h', name: 'alerts', context: 'Relay', msg: 'slow', reqId: 'r1' });
    expect(formatLogLine(line)).toBe('WARN  [Relay] slow {"reqId":"r1"}');
  });

  it('keeps anything that is not JSON as it is', () => {
    expect(formatLogLine('plain text')).toBe('plain text');
    expect(formatLogLine('{not json')).toBe('{not json');
  });
});

describe('lastJsonLine', () => {
  it('reads the last JSON line of the output (partner:create prints its credentials last)', () => {
    const out = 'created partner\n{"note":1}\n{"clientId":"c","clientSecret":"s"}\n\n';
    expect(lastJsonLine<{ clientId: string }>(out)).toEqual({ clientId: 'c', clientSecret: 's' });
  });

  it('fails when there is none', () => {
    expect(() => lastJsonLine('nothing here')).toThrow(/expected a JSON line/);
  });
});

describe('logLevelOf', () => {
  it('issue 8 item 8: reads the pino level of a JSON line (the dev console shows warn and above); any other line always shows', () => {
    expect(logLevelOf('{"level":30,"msg":"request completed"}')).toBe(30);
    expect(logLevelOf('{"level":40,"msg":"slow"}')).toBe(40);
    expect(logLevelOf('TypeError: boom')).toBe(Number.POSITIVE_INFINITY);
  });
});
