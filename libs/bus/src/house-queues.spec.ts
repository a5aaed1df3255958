import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_QUEUES, houseQueueNames } from './house-queues';

describe('houseQueueNames', () => {
  it('issue 14 item 5: lists the consumer queue of every service that consumes events, and the job queues', () => {
    const names = houseQueueNames();
    expect(names).toEqual(expect.arrayContaining(['events.alerts', 'events.resettlement', 'events.community-correction', ...JOB_QUEUES]));
    // identity and aftercare consume nothing: no queue of theirs to show
    expect(names).not.toContain('events.identity');
    expect(names).not.toContain('events.aftercare');
  });

  it.each([
    ['apps/alerts/src/deadlines/deadline-scheduler.ts', 'alerts.deadlines'],
    ['apps/alerts/src/rules/supervision.handler.ts', 'alerts.key-person-months'],
    ['apps/alerts/src/rules/resettlement.handler.ts', 'alerts.outreach-quarters'],
    ['apps/community-correction/src/sanctions/sanction-sweep.scheduler.ts', 'correction.sanctions'],
    ['apps/community-correction/src/monitoring/silent-device.scheduler.ts', 'correction.monitoring'],
    ['apps/resettlement/src/push/push.service.ts', 'resettlement.push'],
  ])('issue 14 item 5: %s still names its queue %s (the operator view would miss it otherwise)', (file, queue) => {
    const source = readFileSync(join(__dirname, '..', '..', '..', file), 'utf8');
    expect(source).toContain(`'${queue}'`);
    expect(JOB_QUEUES).toContain(queue);
  });
});
