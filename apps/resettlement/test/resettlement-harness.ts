import request from 'supertest';
import { AgencyKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testCast, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../src/app.module';
import { ResettlementConfig } from '../src/config';

export type ResettlementApp = ServiceApp<ResettlementConfig>;

/**
 * The resettlement app for a medium test of the staff GraphQL (fresh database, Redis prefix
 * `hwt:<label>:…`), booted in beforeAll and closed in afterAll, with the test cast's tokens, a
 * prison token, `gql` / `ok` / `errorCode` and `post` to the partner REST API.
 */
export function useResettlementApp(opts: { label: string; clock: FixedClock; keys: TestKeys }) {
  let svc: ResettlementApp;
  beforeAll(async () => {
    svc = await bootServiceApp({
      name: 'resettlement',
      appModule: (o) => AppModule.forRoot(o),
      config: ResettlementConfig,
      keys: opts.keys,
      clock: opts.clock,
      prefix: testRedisPrefix(opts.label),
    });
  });
  afterAll(async () => svc?.close());
  const cast = testCast(opts.keys, opts.clock);
  const prison = cast.mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-1' }));
  const http = () => request(svc.app.getHttpServer());
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) => http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const ok = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await gql(token, query, variables).expect(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  const errorCode = async (token: string, query: string, variables: Record<string, unknown> = {}): Promise<string> => {
    const res = await gql(token, query, variables).expect(200);
    return res.body.errors?.[0]?.extensions?.code;
  };
  const post = (path: string, token: string, key: string, payload: object) =>
    http().post(`/api/v1/resettlement/${path}`).set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(payload);
  return { svc: () => svc, ...cast, prison, http, gql, ok, errorCode, post };
}

/** A prison's pre-release notice body (RS-1) of a person living in `town`. */
export function noticeBody(prisonerNo: string, idNumber: string, over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) {
  return {
    person: { idNumber, name: '释放甲', residenceTown: '104', ...person },
    prisonerNo,
    expectedReleaseDate: '2027-03-10',
    offence: '盗窃罪',
    sentence: '有期徒刑三年',
    conductInPrison: '一般',
    keyCategories: [],
    ...over,
  };
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid resident ID number (GB 11643 check digit) of Jiangyin born 1980-01-01, numbered `seq` (1..999). */
export function idNumberOf(seq: number): string {
  const body = `32028119800101${String(seq).padStart(3, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return body + '10X98765432'[sum % 11];
}
