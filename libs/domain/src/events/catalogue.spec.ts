import { SentenceType } from '../enums/sentence-type';
import { RiskColour } from '../enums/risk-colour';
import {
  EVENT_CATALOGUE,
  EVENT_NAMES,
  SERVICE_NAMES,
  consumersOf,
  eventsConsumedBy,
  isEventName,
  type EventEnvelope,
  type EventName,
  type EventPayloads,
} from './catalogue';
import { PII_FIELD_NAMES, PiiInPayloadError, assertNoPii } from './pii';

const KEY = 'a'.repeat(64);

/** One example payload per event: the type forces every event to have one. */
const EXAMPLES: { [N in EventName]: EventPayloads[N] } = {
  'correction.indicators.published': {
    periodKind: 'QUARTER',
    period: '2027-Q1',
    start: '2027-01-01',
    end: '2027-03-31',
    towns: [{ town: '104', indicators: [{ code: 'K-CC1', numerator: 9, denominator: 10 }] }],
  },
  'resettlement.indicators.published': {
    periodKind: 'MONTH',
    period: '2027-03',
    start: '2027-03-01',
    end: '2027-03-31',
    towns: [{ town: '104', indicators: [{ code: 'K-RS3', numerator: 1, denominator: 1 }] }],
  },
  'aftercare.indicators.published': {
    periodKind: 'QUARTER',
    period: '2027-Q1',
    start: '2027-01-01',
    end: '2027-03-31',
    towns: [{ town: '104', indicators: [{ code: 'K-AC1', numerator: 9, denominator: 10 }] }],
  },
  'correction.assignment.changed': {
    assignmentId: 'as-1',
    workerId: 'u-7',
    subjectId: 's-1',
    personKey: KEY,
    town: '104',
    assignedAt: '2025-03-14T02:00:00.000Z',
    assignedBy: 'u-1',
    endedAt: null,
    endedBy: null,
  },
  'resettlement.assignment.changed': {
    assignmentId: 'as-2',
    workerId: 'u-8',
    subjectId: 'c-1',
    personKey: KEY,
    town: '104',
    assignedAt: '2025-03-14T02:00:00.000Z',
    assignedBy: 'u-1',
    endedAt: '2025-04-01T02:00:00.000Z',
    endedBy: 'u-1',
  },
  'correction.subject.enrolled': {
    subjectId: 's-1',
    personKey: KEY,
    town: '104',
    sentenceType: SentenceType.PROBATION,
    judgmentEffectiveDate: '2025-03-10',
    reportDeadline: '2025-03-20',
    documentsDeadline: '2025-03-20',
  },
  'correction.subject.reported': { subjectId: 's-1', personKey: KEY, town: '104', reportedOn: '2025-03-12' },
  'correction.subject.activated': { subjectId: 's-1', personKey: KEY, town: '104', activatedOn: '2025-03-14' },
  'correction.subject.discharged': {
    subjectId: 's-1',
    personKey: KEY,
    town: '104',
    dischargedOn: '2026-03-09',
    reason: 'EXPIRED',
    correctionEndDate: '2026-03-09',
    sentenceType: SentenceType.PROBATION,
  },
  'correction.subject.terminated': { subjectId: 's-1', personKey: KEY, town: '104', terminatedOn: '2025-08-01', reason: 'REVOKED' },
  'correction.documents.delivered': {
    subjectId: 's-1',
    personKey: KEY,
    town: '104',
    documentType: 'JUDGMENT',
    documentsDeadline: '2025-03-20',
    complete: false,
    missingDocumentTypes: ['EXECUTION_NOTICE'],
  },
  'correction.subject.absconded': { subjectId: 's-1', personKey: KEY, town: '104', lostContactOn: '2025-05-01' },
  'correction.subject.found': { subjectId: 's-1', personKey: KEY, town: '104', lostContactOn: '2025-05-01', foundOn: '2025-05-04' },
  'correction.subject.organised-crime-flag': { subjectId: 's-1', personKey: KEY, town: '104', flagged: true },
  'correction.psych-service.crisis-flag': { recordId: 'p-1', subjectId: 's-1', personKey: KEY, town: '104', flagged: true, flagVersion: 2, on: '2025-05-01' },
  'correction.monitoring.approved': { monitoringId: 'm-1', subjectId: 's-1', personKey: KEY, town: '104', startDate: '2025-04-01', endDate: '2025-06-30', warnOn: '2025-06-23' },
  'correction.monitoring.extended': {
    monitoringId: 'm-1',
    subjectId: 's-1',
    personKey: KEY,
    town: '104',
    previousEndDate: '2025-06-30',
    endDate: '2025-09-30',
    warnOn: '2025-09-23',
  },
  'correction.monitoring.ended': { monitoringId: 'm-1', subjectId: 's-1', personKey: KEY, town: '104', endedOn: '2025-09-30' },
  'correction.location.breach': { monitoringId: 'm-1', subjectId: 's-1', personKey: KEY, town: '104', at: '2025-04-02T10:00:00.000Z', keyPerson: false },
  'correction.device.silent': { monitoringId: 'm-1', subjectId: 's-1', personKey: KEY, town: '104', lastFixAt: null, silentSince: '2025-04-02T10:00:00.000Z' },
  'correction.leave.approved': { leaveId: 'l-1', subjectId: 's-1', personKey: KEY, town: '104', kind: 'LEAVE', startDate: '2025-05-01', endDate: '2025-05-05' },
  'correction.subject.transferred': {
    transferId: 't-1',
    leaveId: 'l-2',
    subjectId: 's-1',
    personKey: KEY,
    town: '107',
    fromTown: '104',
    toTown: '107',
    receivingCountyCode: null,
    effectiveDate: '2025-06-01',
  },
  'correction.leave.returned': { leaveId: 'l-1', subjectId: 's-1', personKey: KEY, town: '104', returnedOn: '2025-05-05' },
  'correction.investigation.received': { investigationId: 'i-1', personKey: KEY, town: '104', dueDate: '2025-03-24', remindOn: '2025-03-20' },
  'correction.investigation.rescheduled': { investigationId: 'i-1', personKey: KEY, town: '104', dueDate: '2025-03-31', remindOn: '2025-03-27' },
  'correction.investigation.completed': { investigationId: 'i-1', personKey: KEY, town: '104', completedOn: '2025-03-21', onTime: true },
  'correction.procuratorate-notice.received': { noticeId: 'n-1', subjectId: 's-1', personKey: KEY, town: '104', replyDue: '2025-04-16', remindOn: '2025-04-13' },
  'correction.procuratorate-notice.replied': { noticeId: 'n-1', subjectId: 's-1', personKey: KEY, town: '104', repliedOn: '2025-04-10' },
  'correction.deadlines.recomputed': { revision: 4, year: 2027, recordType: 'SUBJECT', recordId: 's-1', personKey: KEY, town: '104', reportDeadline: '2027-02-18', documentsDeadline: '2027-02-18' },
  'correction.supervision.level-changed': { subjectId: 's-1', personKey: KEY, town: '104', level: 'STRICT', checkInIntervalDays: 7, nextCheckInDue: '2025-03-21' },
  'correction.checkin.recorded': {
    subjectId: 's-1',
    personKey: KEY,
    town: '104',
    checkInId: 'c-1',
    channel: 'APP',
    checkedInOn: '2025-03-20',
    checkInIntervalDays: 7,
    nextCheckInDue: '2025-03-27',
  },
  'correction.key-persons.determined': { determinationId: 'd-1', town: '104', month: '2025-03', version: 1, keyPersonCount: 2 },
  'correction.sanction.threshold-reached': { subjectId: 's-1', personKey: KEY, town: '104', suggested: 'WARNING', lateOrLostContactDays: 11 },
  'resettlement.notice.received': { noticeId: 'n-1', personKey: KEY, town: null, expectedReleaseDate: '2027-03-01', keyPerson: true, verificationDue: '2027-02-22' },
  'resettlement.notice.town-assigned': { noticeId: 'n-1', personKey: KEY, town: '104', expectedReleaseDate: '2027-03-01', keyPerson: true, verificationDue: '2027-02-22' },
  'resettlement.notice.verified': { noticeId: 'n-1', personKey: KEY, town: '104', result: 'VERIFIED', verifiedOn: '2027-02-10' },
  'resettlement.receipt.sent': { noticeId: 'n-1', personKey: KEY, town: '104', sentOn: '2027-02-11' },
  'resettlement.person.released': {
    releaseId: 'r-1',
    personKey: KEY,
    town: '104',
    releaseDate: '2027-03-01',
    keyPerson: true,
    pickUpDue: '2027-03-02',
    riskAssessmentDue: '2027-03-31',
    policeHandOverDue: '2027-03-08',
    caseId: 'c-1',
  },
  'resettlement.risk.assessed': { releaseId: 'r-1', personKey: KEY, town: '104', level: 'HIGH', assessedOn: '2027-03-20', onTime: true },
  'resettlement.police.handed-over': { releaseId: 'r-1', personKey: KEY, town: '104', handedOverOn: '2027-03-05', onTime: true },
  'resettlement.agreement.signed': { agreementId: 'g-1', noticeId: 'n-1', personKey: KEY, town: '104', signedOn: '2027-02-20' },
  'resettlement.pickup.recorded': { releaseId: 'r-1', personKey: KEY, town: '104', pickedUpOn: '2027-03-01' },
  'resettlement.welfare.referred': { referralId: 'w-1', caseId: 'c-1', personKey: KEY, town: '104', welfareKind: 'MEDICAL', referredOn: '2027-05-10' },
  'resettlement.outreach.visited': { visitId: 'v-1', town: '104', visitedOn: '2027-05-10', quarter: '2027-Q2' },
  'resettlement.dispute.recorded': { disputeId: 'd-1', caseId: 'c-1', personKey: KEY, town: '104', category: 'NEIGHBOURHOOD', occurredOn: '2027-05-10' },
  'resettlement.reoffence.reported': { reportId: 'o-1', personKey: KEY, town: '104', offenceDate: '2027-06-01', releaseId: 'r-1', caseId: 'c-1', matched: true },
  'aftercare.notice.received': { noticeId: 'n-1', caseId: 'c-1', personKey: KEY, town: '104', releaseDate: '2027-03-01', keyPerson: false, late: false, contactDue: '2027-03-08' },
  'aftercare.notice.town-assigned': { noticeId: 'n-1', caseId: 'c-1', personKey: KEY, town: '104', releaseDate: '2027-03-01', contactDue: '2027-03-08' },
  'aftercare.subject.enrolled': { caseId: 'c-1', personKey: KEY, town: '104', contactedOn: '2027-03-03', inTime: true, followUpsUntil: '2030-03-01' },
  'aftercare.follow-up.recorded': { followUpId: 'f-1', caseId: 'c-1', personKey: KEY, town: '104', kind: 'PHONE', heldOn: '2027-03-20', period: '2027-03', drugTest: 'NEGATIVE' },
  'aftercare.relapse.marked': { caseId: 'c-1', personKey: KEY, town: '104', relapsedOn: '2027-05-02', source: 'POLICE_TEST' },
  'aftercare.serious-breach': { caseId: 'c-1', personKey: KEY, town: '104', refusedTests: 3, onDay: '2027-06-02' },
  'aftercare.case.closed': { caseId: 'c-1', personKey: KEY, town: '104', closedOn: '2030-03-01', reason: 'ABSTINENT_THREE_YEARS' },
  'aftercare.success-cases.short': { town: '104', year: 2027, subjects: 12, successCases: 1, required: 2 },
  'aftercare.success-cases.met': { town: '104', year: 2027, successCases: 2, required: 2 },
  'alerts.alert.raised': {
    alertId: 'a-1',
    rule: 'CC-4',
    personKey: KEY,
    town: '104',
    colour: RiskColour.ORANGE,
    recordType: 'CorrectionSubject',
    recordId: 's-1',
  },
  'bus.event.dead-lettered': {
    eventId: 'e-1',
    eventName: 'correction.subject.enrolled',
    service: 'alerts',
    handler: 'ReportDeadlineHandler',
    error: 'boom',
  },
  'bus.dead-letter.retry-requested': {
    service: 'community-correction',
    eventId: 'e-1',
    handler: 'ReoffenceEventsHandler.onReported',
    alertId: 'a-1',
    requestedBy: 'sysadmin',
  },
  'partner.batch.rejected': {
    service: 'aftercare',
    endpoint: 'POST /api/v1/aftercare/release-notices',
    agency: 'REHAB_CENTRE:c-1',
    received: 3,
    fields: ['person.idNumber'],
  },
  'integration.delivery.failed': {
    service: 'resettlement',
    integration: 'RS-13',
    subscriberId: 's-1',
    subscriber: 'HEALTH 市卫健委',
    deliveryId: 'd-1',
    kind: 'HEALTH',
    attempts: 8,
    error: 'HTTP 503',
  },
};

describe('event catalogue', () => {
  it('lists the seven events, each at version 1 with a description', () => {
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const name of EVENT_NAMES) {
      expect(EVENT_CATALOGUE[name].version).toBe(1);
      expect(EVENT_CATALOGUE[name].description.length).toBeGreaterThan(10);
      for (const consumer of EVENT_CATALOGUE[name].consumers) expect(SERVICE_NAMES).toContain(consumer);
    }
  });

  it.each<[EventName, string[]]>([
    ['correction.subject.enrolled', ['alerts']],
    ['correction.subject.reported', ['alerts']],
    // CC-8: community-correction starts supervision (initial STRICT) on its own activation event.
    ['correction.subject.activated', ['alerts', 'community-correction']],
    ['correction.subject.discharged', ['alerts', 'resettlement']],
    ['correction.subject.terminated', ['alerts']],
    ['correction.documents.delivered', ['alerts']],
    ['correction.subject.absconded', ['alerts']],
    ['correction.subject.found', []],
    ['correction.subject.organised-crime-flag', ['alerts']],
    ['correction.psych-service.crisis-flag', ['alerts']],
    ['alerts.alert.raised', []],
    ['bus.event.dead-lettered', ['alerts']],
    // AL-7: every service that holds dead letters hears a retry request, and replays only its own.
    ['bus.dead-letter.retry-requested', ['community-correction', 'resettlement', 'alerts']],
    ['correction.assignment.changed', ['alerts']],
    ['resettlement.assignment.changed', ['alerts']],
  ])('%s is consumed by %j', (name, consumers) => {
    expect(consumersOf(name)).toEqual(consumers);
  });

  it('CC-20 resettlement consumes the discharge; RS-13 its own release, welfare and dispute events (push); alerts consumes everything but its own', () => {
    expect(eventsConsumedBy('resettlement')).toEqual([
      'correction.subject.discharged',
      'resettlement.notice.town-assigned',
      'resettlement.person.released',
      'resettlement.welfare.referred',
      'resettlement.dispute.recorded',
      'bus.dead-letter.retry-requested',
    ]);
    // A verification alone settles no alert (the receipt does, RS-2).
    const notForAlerts: string[] = ['alerts.alert.raised', 'correction.subject.found', 'resettlement.notice.verified', 'resettlement.agreement.signed', 'resettlement.welfare.referred', 'resettlement.dispute.recorded', 'aftercare.serious-breach'];
    expect(eventsConsumedBy('alerts').sort()).toEqual(EVENT_NAMES.filter((n) => !notForAlerts.includes(n)).sort());
    expect(eventsConsumedBy('identity')).toEqual([]);
    expect(eventsConsumedBy('community-correction')).toEqual(['correction.subject.activated', 'resettlement.reoffence.reported', 'bus.dead-letter.retry-requested']);
    expect(eventsConsumedBy('aftercare')).toEqual([]);
  });

  it('isEventName knows catalogue names only', () => {
    expect(isEventName('correction.subject.enrolled')).toBe(true);
    expect(isEventName('correction.subject.unknown')).toBe(false);
    expect(isEventName('toString')).toBe(false);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(EVENT_CATALOGUE)).toBe(true);
  });

  it('an envelope ties the name to its payload type', () => {
    const envelope: EventEnvelope<'correction.subject.reported'> = {
      id: 'e-1',
      name: 'correction.subject.reported',
      version: EVENT_CATALOGUE['correction.subject.reported'].version,
      occurredAt: '2025-03-12T09:00:00+08:00',
      producer: 'community-correction',
      payload: EXAMPLES['correction.subject.reported'],
    };
    expect(envelope.payload.reportedOn).toBe('2025-03-12');
  });
});

describe('PII guard', () => {
  it('lists idNumber and name among the PII field names', () => {
    expect(PII_FIELD_NAMES).toEqual(expect.arrayContaining(['idNumber', 'name']));
  });

  it.each(EVENT_NAMES.map((n) => [n]))('the %s example payload carries no PII', (name) => {
    expect(() => assertNoPii(EXAMPLES[name])).not.toThrow();
    for (const key of Object.keys(EXAMPLES[name])) {
      expect(PII_FIELD_NAMES.map((f) => f.toLowerCase())).not.toContain(key.toLowerCase());
    }
  });

  it.each<[string, unknown, string]>([
    ['idNumber', { subjectId: 's', idNumber: 'x' }, 'idNumber'],
    ['name', { name: '张三' }, 'name'],
    ['a snake_case id_number', { id_number: 'x' }, 'id_number'],
    ['an upper-case NAME', { NAME: 'x' }, 'NAME'],
    ['a nested person.name', { person: { name: '张三' } }, 'person.name'],
    ['a name inside an array', { people: [{ ok: 1 }, { fullName: '张三' }] }, 'people[1].fullName'],
    ['a phone number', { phone: '13800000000' }, 'phone'],
    ['an ID number as a value', { note: '11010519491231002X' }, 'note'],
    ['an ID number with lower-case x as a value', { list: ['11010519491231002x'] }, 'list[0]'],
  ])('assertNoPii refuses %s', (_label, payload, path) => {
    let error: unknown;
    try {
      assertNoPii(payload);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PiiInPayloadError);
    expect((error as PiiInPayloadError).path).toBe(path);
    expect((error as Error).message).not.toContain('张三');
  });

  it('assertNoPii lets through ids, eventName, 18-digit strings without a valid check digit, and cycles', () => {
    const cyclic: Record<string, unknown> = { subjectId: 's' };
    cyclic.self = cyclic;
    expect(() => assertNoPii(cyclic)).not.toThrow();
    expect(() => assertNoPii({ eventName: 'x', caseNo: '110105194912310021', n: 3, z: null })).not.toThrow();
    expect(() => assertNoPii(null)).not.toThrow();
  });
});
