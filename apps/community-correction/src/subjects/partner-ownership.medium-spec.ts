import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, PartnerScope } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(90_000);

/** Issue 6 items 15 and 11: partner records belong to the agency (kind + id) identity registered; refusals are audited. */
describe('partner ownership, scopes and denied-request audit (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 86_400, now: clock.now() });
  const court = mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'jiangyin-court' }));
  // A prison client a security admin registered with the court's agency id (free text in identity).
  const prisonAsCourtPrincipal = partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangyin-court' });
  const prisonAsCourt = mint(prisonAsCourtPrincipal);

  const enrolment = (token: string, key: string) =>
    request(app.getHttpServer())
      .post('/api/v1/correction/enrolments')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send(enrolmentPayload({ idNumber: '11010519491231002X', name: '甲某', on: '2026-11-10' }, { judgmentDocumentNo: `(2026)苏0281刑初${key}号` }));

  let subjectId: string;

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-partner-own', clock, keys });
    ({ app, dataSource: ds } = svc);
    subjectId = (await enrolment(court, 'OWN-1').expect(201)).body.id;
  });
  afterAll(async () => svc?.close());

  it('issue 6 item 15: the court reads its enrolment; a PRISON token carrying the court\'s agency id gets 404', async () => {
    await request(app.getHttpServer()).get(`/api/v1/correction/enrolments/${subjectId}`).set('authorization', `Bearer ${court}`).expect(200);
    await request(app.getHttpServer()).get(`/api/v1/correction/enrolments/${subjectId}`).set('authorization', `Bearer ${prisonAsCourt}`).expect(404);
    const doc = await request(app.getHttpServer())
      .post(`/api/v1/correction/enrolments/${subjectId}/documents`)
      .set('authorization', `Bearer ${prisonAsCourt}`)
      .set('idempotency-key', 'DOC-1')
      .send({ documentType: 'JUDGMENT', documentNo: 'X-1', issuedDate: '2026-11-10' });
    expect(doc.status).toBe(404);
  });

  it('issue 6 item 11: a partner 404 leaves a DENIED audit row naming the caller and the record', async () => {
    const rows: Array<{ action: string; outcome: string; entity_id: string; details: { status: number } }> = await svc.db.query(
      `SELECT action, outcome, entity_id, details FROM audit.events WHERE actor_id = $1 AND outcome = 'DENIED' ORDER BY id`,
      [prisonAsCourtPrincipal.sub],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({ action: 'request.denied', outcome: 'DENIED', entity_id: subjectId, details: { status: 404 } });
  });

  it('issue 6 item 15: a partner token without the endpoint\'s scope gets 403 (audited), with it the same call passes', async () => {
    const unscopedPrincipal = partnerPrincipal(AgencyKind.COURT, { agencyId: 'jiangyin-court', scopes: [PartnerScope.CORRECTION_INVESTIGATIONS] });
    const unscoped = mint(unscopedPrincipal);
    await request(app.getHttpServer()).get(`/api/v1/correction/enrolments/${subjectId}`).set('authorization', `Bearer ${unscoped}`).expect(403);
    await enrolment(unscoped, 'OWN-2').expect(403);
    const denied = await svc.db.query(`SELECT count(*)::int AS n FROM audit.events WHERE actor_id = $1 AND action = 'auth.forbidden' AND outcome = 'DENIED'`, [
      unscopedPrincipal.sub,
    ]);
    expect(denied[0].n).toBe(2);
    await request(app.getHttpServer()).get(`/api/v1/correction/enrolments/${subjectId}`).set('authorization', `Bearer ${court}`).expect(200);
  });
});
