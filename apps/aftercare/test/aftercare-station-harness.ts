import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AgencyKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock, Principal } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../src/app.module';
import { AftercareConfig } from '../src/config';

export type AftercareApp = ServiceApp<AftercareConfig>;

/** A valid 18-character ID number, different for each `n` (born 1990-03-07 in 320281). */
export const idNumberOf = (n: number): string => {
  const first17 = `320281199003${String(7 + (n % 20)).padStart(2, '0')}${String(100 + n).slice(-3)}`;
  return first17 + idNumberCheckChar(first17);
};

/**
 * AC-6 / AC-7 / K-AC medium tests of the station's work: one aftercare app per file (booted in
 * beforeAll, closed in afterAll), the cast (a rehabilitation centre, the city office, officers of 104
 * and 107), GraphQL helpers, notices sent through the partner API and the outbox.
 */
export function useAftercareApp(opts: { label: string; clock: FixedClock; env?: () => Record<string, string> }) {
  const keys = new TestKeys();
  let svc: AftercareApp | undefined;
  const mint = (p: Principal) => keys.mint(p, { expiresInSeconds: 3650 * 86_400, now: opts.clock.now() });
  const principals = {
    bureau: staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'bureau' }),
    officer104: staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'], username: 'officer104' }),
    officer107: staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['107'], username: 'officer107' }),
    worker104: staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], username: 'worker104' }),
  };
  const tokens = {
    centre: mint(partnerPrincipal(AgencyKind.REHAB_CENTRE, { agencyId: 'wuxi-rehab-1' })),
    police: mint(partnerPrincipal(AgencyKind.POLICE, { agencyId: 'jiangyin-psb' })),
    bureau: mint(principals.bureau),
    officer104: mint(principals.officer104),
    officer107: mint(principals.officer107),
    worker104: mint(principals.worker104),
  };
  beforeAll(async () => {
    svc = await bootServiceApp({
      name: 'aftercare',
      appModule: (o) => AppModule.forRoot(o),
      config: AftercareConfig,
      keys,
      clock: opts.clock,
      prefix: testRedisPrefix(opts.label),
      env: opts.env?.(),
    });
  });
  afterAll(async () => svc?.close());
  const app = () => {
    if (!svc) throw new Error('the aftercare app is not booted');
    return svc;
  };
  const http = () => request(app().app.getHttpServer());
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) => http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  return {
    svc: app,
    principals,
    tokens,
    http,
    gql,
    ok: async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const res = await gql(token, query, variables).expect(200);
      expect(res.body.errors).toBeUndefined();
      return res.body.data;
    },
    errorCode: async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const res = await gql(token, query, variables).expect(200);
      return res.body.errors?.[0]?.extensions?.code as string | undefined;
    },
    /** Sends release notices (AC-1) for `persons` (n → town, release date) and answers each notice's case id, in order. */
    notices: async (persons: Array<{ n: number; town: string; releaseDate: string }>): Promise<string[]> => {
      const res = await http()
        .post('/api/v1/aftercare/release-notices')
        .set('authorization', `Bearer ${tokens.centre}`)
        .set('idempotency-key', `N-${randomUUID()}`)
        .send({
          notices: persons.map((p) => ({
            person: { idNumber: idNumberOf(p.n), name: `照管对象${p.n}`, residenceTown: p.town },
            centreRecordNo: `WX-J-${p.n}`,
            releaseDate: p.releaseDate,
            keyPerson: false,
            communityRehabilitation: false,
          })),
        })
        .expect(207);
      const ids: string[] = res.body.results.map((r: { id: string; status: number }) => {
        if (r.status !== 201) throw new Error(`notice refused: ${JSON.stringify(r)}`);
        return r.id;
      });
      const rows = await app().db.query<{ id: string; notice_id: string }>(`SELECT id, notice_id FROM aftercare.cases WHERE notice_id = ANY($1)`, [ids]);
      return ids.map((id) => rows.find((r) => r.notice_id === id)!.id);
    },
    outbox: async (name: string) => (await app().db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM aftercare.bus_outbox WHERE name = $1 ORDER BY seq`, [name])).map((r) => r.payload),
  };
}
