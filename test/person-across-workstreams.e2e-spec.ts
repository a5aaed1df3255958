import { addDays, idNumberCheckChar } from '@homeward/domain';
import { CreatedUser, Stack, enrolmentPayload, findClearPii, personNeedles, startStack } from '@homeward/testing';

/**
 * Issue 10 item 9: a person who is also in resettlement and in correction shows all of it through
 * Person. One ID number gets a prison's pre-release notice and release (RS-1 / RS-5: a resettlement
 * case), a rehabilitation centre's release notice (AC-1: an aftercare case) and a court's enrolment
 * (CC-1: a correction case); through the gateway an officer of 104 reads the three workstreams'
 * cases in one federated `Person`; an officer of 107 sees none of them.
 */
jest.setTimeout(480_000);

const BASE = '32028119790909123';
const ID_NUMBER = `${BASE}${idNumberCheckChar(BASE)}`;
const NAME = '跨线甲';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
type Ids = Array<{ id: string }>;
type PersonView = { key: string; maskedIdNumber: string | null; resettlementCases: Ids; aftercareCases: Ids; correctionCases: Ids };

describe('issue 10 item 9: one person across resettlement, aftercare and correction, through Person (gateway)', () => {
  let stack: Stack;
  let officerUser: CreatedUser;
  let otherUser: CreatedUser;
  let officer: string;
  let other: string;
  let personKey: string;
  let resettlementCaseId: string;
  let aftercareCaseId: string;
  let correctionSubjectId: string;

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(token, query, variables)) as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const post = (path: string, token: string, key: string, body: object) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  const eventually = async <T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> => {
    const until = Date.now() + ms;
    let value = await probe();
    while (!done(value) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      value = await probe();
    }
    return value;
  };
  const db = async <T>(sql: string, params: unknown[]): Promise<T[]> => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const PERSON = `query($k: String!) { aftercareCasesOfPerson(personKey: $k) { id person { key maskedIdNumber resettlementCases { id } aftercareCases { id } correctionCases { id } } } }`;

  beforeAll(async () => {
    stack = await startStack();
    officerUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    otherUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    officer = await stack.login(officerUser.username, officerUser.password);
    other = await stack.login(otherUser.username, otherUser.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('RS-1 / RS-5, AC-1, CC-1: the prison, the rehabilitation centre and the court each send the same person of 104', async () => {
    const today = stack.today();
    const prison = await stack.partnerToken('PRISON');
    const notice = await post('/api/v1/resettlement/pre-release-notices', prison, 'E2E-PX-N1', {
      person: { idNumber: ID_NUMBER, name: NAME, residenceTown: '104', residenceAddress: '徐霞客镇璜塘村18号' },
      prisonerNo: 'E2E-PX-1',
      expectedReleaseDate: today,
      offence: '盗窃罪',
      sentence: '有期徒刑二年',
      conductInPrison: '改造表现良好',
      keyCategories: [],
    });
    expect(notice.status).toBe(201);
    const noticeId = ((await notice.json()) as { id: string }).id;
    const release = await post('/api/v1/resettlement/releases', prison, 'E2E-PX-R1', { preReleaseNoticeId: noticeId, actualReleaseDate: today });
    expect(release.status).toBe(201);
    const releaseId = ((await release.json()) as { id: string }).id;
    const [row] = await eventually(() => db<{ case_id: string | null }>(`SELECT case_id FROM resettlement.releases WHERE id = $1`, [releaseId]), (r) => !!r[0]?.case_id);
    resettlementCaseId = row.case_id as string;

    const centre = await stack.partnerToken('REHAB_CENTRE');
    const ac = await post('/api/v1/aftercare/release-notices', centre, 'E2E-PX-A1', {
      notices: [{ person: { idNumber: ID_NUMBER, name: NAME, residenceTown: '104', residenceAddress: '徐霞客镇璜塘村18号' }, centreRecordNo: 'E2E-PX-WX-1', releaseDate: addDays(today, 3), keyPerson: false, communityRehabilitation: true }],
    });
    expect(ac.status).toBe(207);
    expect(((await ac.json()) as { results: Array<{ status: number; town: string }> }).results).toEqual([expect.objectContaining({ status: 201, town: '104' })]);
    const toContact = (await ok(officer, `{ aftercareToContact(first: 10) { edges { node { id person { key } } } } }`)).aftercareToContact.edges;
    expect(toContact).toHaveLength(1);
    aftercareCaseId = toContact[0].node.id;
    personKey = toContact[0].node.person.key;

    const court = await stack.partnerToken('COURT');
    const enrol = await post('/api/v1/correction/enrolments', court, 'E2E-PX-C1', enrolmentPayload({ idNumber: ID_NUMBER, name: NAME, town: '104', on: today, until: addDays(today, 365) }, { judgmentDocumentNo: '(2026)苏0281刑初919号' }));
    expect(enrol.status).toBe(201);
    correctionSubjectId = ((await enrol.json()) as { id: string }).id;
  });

  it('issue 10 item 9: the officer of 104 reads the person\'s resettlement, aftercare and correction cases in one Person', async () => {
    const cases = (await ok(officer, PERSON, { k: personKey })).aftercareCasesOfPerson as Array<{ id: string; person: PersonView }>;
    expect(cases.map((c) => c.id)).toEqual([aftercareCaseId]);
    const person = cases[0].person;
    expect(person).toEqual({
      key: personKey,
      maskedIdNumber: expect.stringMatching(/^320281\*+\d{3}[\dX]$/),
      resettlementCases: [{ id: resettlementCaseId }],
      aftercareCases: [{ id: aftercareCaseId }],
      correctionCases: [{ id: correctionSubjectId }],
    });
    expect(person.maskedIdNumber).not.toContain(ID_NUMBER.slice(6, 14));
    // The same Person reached from the resettlement side shows the same three.
    const fromResettlement = (await ok(officer, `query($k: String!) { resettlementCasesOfPerson(personKey: $k) { id person { aftercareCases { id } correctionCases { id } } } }`, { k: personKey })).resettlementCasesOfPerson;
    expect(fromResettlement).toEqual([{ id: resettlementCaseId, person: { aftercareCases: [{ id: aftercareCaseId }], correctionCases: [{ id: correctionSubjectId }] } }]);
    // Each subgraph audited its part of the read under the person's key.
    const audited = await db<{ service: string }>(
      `SELECT DISTINCT split_part(service, '#', 1) AS service FROM audit.events WHERE (person_key = $1 OR details->'personKeys' ? $1) AND action LIKE '%read%' AND outcome = 'SUCCESS'`,
      [personKey],
    );
    expect(audited.map((a) => a.service).sort()).toEqual(['aftercare', 'community-correction', 'resettlement']);
  });

  it('issue 10 item 9: an officer of 107 sees nothing of the person in any workstream; nothing is stored in clear', async () => {
    expect((await ok(other, PERSON, { k: personKey })).aftercareCasesOfPerson).toEqual([]);
    expect((await ok(other, `query($k: String!) { resettlementCasesOfPerson(personKey: $k) { id } }`, { k: personKey })).resettlementCasesOfPerson).toEqual([]);
    expect((await ok(other, `query($id: ID!) { aftercareCase(id: $id) { id } }`, { id: aftercareCaseId })).aftercareCase).toBeNull();
    expect((await ok(other, `query($id: ID!) { resettlementCase(id: $id) { id } }`, { id: resettlementCaseId })).resettlementCase).toBeNull();
    expect((await ok(other, `query($id: ID!) { correctionSubject(id: $id) { id } }`, { id: correctionSubjectId })).correctionSubject).toBeNull();
    // The federated Person itself, asked of each subgraph with 107's token, holds nothing.
    for (const [app, fields, empty] of [
      ['aftercare', 'aftercareCases { id }', { aftercareCases: [] }],
      ['resettlement', 'resettlementCases { id }', { resettlementCases: [] }],
      ['community-correction', 'maskedIdNumber correctionCases { id }', { maskedIdNumber: null, correctionCases: [] }],
    ] as const) {
      const res = await fetch(`${stack.urls[app]}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${other}` },
        body: JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${fields} } } }`, variables: { r: [{ __typename: 'Person', key: personKey }] } }),
      });
      const body = (await res.json()) as Body;
      expect(body.errors).toBeUndefined();
      expect(body.data._entities).toEqual([empty]);
    }
    expect(await findClearPii(stack.databaseUrl, { ...personNeedles(ID_NUMBER, NAME, 'person.'), address: '徐霞客镇璜塘村18号' })).toEqual([]);
  });
});
