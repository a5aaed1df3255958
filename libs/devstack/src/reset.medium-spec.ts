/** `npm start -- --reset` (issue 8 item 8): what it wipes, and only that. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { testAdminDatabaseUrl, testRedisUrl } from '@homeward/testing';
import { ensureDatabase } from './infra';
import { describeDevReset, planDevReset, runDevReset } from './reset';

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: testAdminDatabaseUrl() });
  await client.connect();
  try {
    return ((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

describe('dev stack reset', () => {
  it('issue 8 item 8: drops the dev database, deletes the prefix\'s Redis keys and the data folder, and nothing else', async () => {
    const id = randomBytes(4).toString('hex');
    const database = `hw_reset_${id}`;
    const prefix = `hwt:reset-${id}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-reset-'));
    fs.writeFileSync(path.join(dataDir, 'dev-secrets.json'), '{}');
    await ensureDatabase(testAdminDatabaseUrl(), database);
    const redis = new Redis(testRedisUrl());
    try {
      await redis.set(`${prefix}:clock:offset-ms`, '1');
      await redis.set(`${prefix}x:other`, 'kept');
      const plan = { postgresUrl: testAdminDatabaseUrl(), database, redisUrl: testRedisUrl(), redisPrefix: prefix, dataDir };
      expect(describeDevReset(plan).join('\n')).toContain(`"${database}"`);
      await runDevReset(plan);
      expect(await databaseExists(database)).toBe(false);
      expect(await redis.get(`${prefix}:clock:offset-ms`)).toBeNull();
      expect(await redis.get(`${prefix}x:other`)).toBe('kept');
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      await redis.del(`${prefix}x:other`);
      redis.disconnect();
    }
  });

  it('issue 8 item 8: refuses when DATABASE_URL names a database npm start did not create', async () => {
    await expect(planDevReset({ dataDir: os.tmpdir(), database: 'homeward', redisPrefix: 'hw', env: { DATABASE_URL: 'postgres://x@127.0.0.1/y' } })).rejects.toThrow(/DATABASE_URL is set/);
  });
});
