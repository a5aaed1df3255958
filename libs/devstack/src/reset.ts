import * as fs from 'node:fs';
import Redis from 'ioredis';
import { dropDatabase, isPortOpen, probePostgres, probeRedis, redactUrl } from './infra';

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

export interface ResetPlan {
  /** The PostgreSQL server whose dev database is dropped (undefined: the embedded one, inside dataDir). */
  postgresUrl?: string;
  database: string;
  /** The Redis whose `<prefix>:*` keys are deleted (undefined: the embedded one, inside dataDir). */
  redisUrl?: string;
  redisPrefix: string;
  dataDir: string;
}

/**
 * What `npm start -- --reset` would wipe, found the way `npm start` finds its servers. A DATABASE_URL
 * names a database npm start did not create: refused (drop it yourself).
 */
export async function planDevReset(opts: { dataDir: string; database: string; redisPrefix: string; env?: NodeJS.ProcessEnv }): Promise<ResetPlan> {
  const env = opts.env ?? process.env;
  if (env.DATABASE_URL) {
    throw new Error(
      'DATABASE_URL is set: --reset only drops the database npm start creates; drop yours by hand or unset DATABASE_URL. / ' +
        '已设置 DATABASE_URL：--reset 只删除 npm start 自建的数据库。',
    );
  }
  if (!opts.redisPrefix) throw new Error('--reset needs a Redis prefix (REDIS_PREFIX)');
  const embeddedOnly = env.HOMEWARD_EMBEDDED === '1';
  const postgresUrl = !embeddedOnly && (await isPortOpen('127.0.0.1', 5432)) && !(await probePostgres(LOCAL_PG)) ? LOCAL_PG : undefined;
  let redisUrl: string | undefined = env.REDIS_URL;
  if (!redisUrl && !embeddedOnly && (await probeRedis(LOCAL_REDIS)).ok) redisUrl = LOCAL_REDIS;
  return { postgresUrl, database: opts.database, redisUrl, redisPrefix: opts.redisPrefix, dataDir: opts.dataDir };
}

/** One line per thing the plan wipes (for the y/N question). */
export function describeDevReset(plan: ResetPlan): string[] {
  return [
    plan.postgresUrl ? `the database "${plan.database}" on ${redactUrl(plan.postgresUrl)}` : `the embedded PostgreSQL's data (in ${plan.dataDir})`,
    plan.redisUrl ? `the Redis keys ${plan.redisPrefix}:* on ${redactUrl(plan.redisUrl)}` : `the embedded Redis data (in ${plan.dataDir})`,
    `the data folder ${plan.dataDir} (dev secrets, demo credentials, logs)`,
  ];
}

/** Wipes what the plan names. The caller has asked first; nothing may be running on the data folder. */
export async function runDevReset(plan: ResetPlan): Promise<void> {
  if (plan.postgresUrl) await dropDatabase(plan.postgresUrl, plan.database);
  if (plan.redisUrl) {
    const redis = new Redis(plan.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await redis.connect();
    try {
      const pattern = `${plan.redisPrefix.replace(/([*?[\]\\])/g, '\\$1')}:*`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      await redis.quit();
    }
  }
  fs.rmSync(plan.dataDir, { recursive: true, force: true });
}
