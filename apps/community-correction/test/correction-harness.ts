import request from 'supertest';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../src/app.module';
import { CorrectionConfig } from '../src/config';

export type CorrectionApp = ServiceApp<CorrectionConfig>;

/**
 * The community-correction app for a medium test: fresh database, Redis prefix `hwt:<label>:…`,
 * tokens of `keys` accepted, `clock` injected; `env` adds or overrides variables.
 */
export function bootCorrectionApp(opts: { label: string; clock: FixedClock; keys: TestKeys; env?: Record<string, string> }): Promise<CorrectionApp> {
  return bootServiceApp({
    name: 'community-correction',
    appModule: (overrides) => AppModule.forRoot(overrides),
    config: CorrectionConfig,
    keys: opts.keys,
    clock: opts.clock,
    prefix: testRedisPrefix(opts.label),
    env: opts.env,
  });
}

/**
 * Issue 6 item 7: an officer (token) assigns the social worker `workerId` to `subjectId` through the
 * GraphQL mutation, as a town officer would; answers the assignment id.
 */
export async function assignSocialWorker(svc: CorrectionApp, officerToken: string, subjectId: string, workerId: string): Promise<string> {
  const res = await request(svc.app.getHttpServer())
    .post('/graphql')
    .set('authorization', `Bearer ${officerToken}`)
    .send({
      query: `mutation($input: AssignSocialWorkerInput!) { assignSocialWorker(input: $input) { id } }`,
      variables: { input: { subjectId, workerId } },
    })
    .expect(200);
  if (res.body.errors) throw new Error(`assignSocialWorker failed: ${JSON.stringify(res.body.errors)}`);
  return res.body.data.assignSocialWorker.id;
}
