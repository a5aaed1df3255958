import type { EntityManager } from 'typeorm';
import { SentenceType, type EventPayloads } from '@homeward/domain';
import { EventPublisher } from './event-publisher';

function managerMock(inTransaction = true): { manager: EntityManager; query: jest.Mock } {
  const query = jest.fn().mockResolvedValue([]);
  const manager = { query, queryRunner: { isTransactionActive: inTransaction } } as unknown as EntityManager;
  return { manager, query };
}

const payload: EventPayloads['correction.subject.enrolled'] = {
  subjectId: 's-1',
  personKey: 'k'.repeat(64),
  town: '104',
  sentenceType: SentenceType.PROBATION,
  judgmentEffectiveDate: '2025-03-03',
  reportDeadline: '2025-03-13',
  documentsDeadline: '2025-03-13',
};

describe(EventPublisher.name, () => {
  const clock = { now: () => new Date('2025-03-03T02:00:00.000Z') };
  const publisher = new EventPublisher({ service: 'community-correction', schema: 'correction' }, clock);

  describe('publish', () => {
    it('inserts the outbox row through the caller’s manager and notifies the relay', async () => {
      const { manager, query } = managerMock();
      const envelope = await publisher.publish(manager, 'correction.subject.enrolled', payload);
      expect(envelope).toMatchObject({
        name: 'correction.subject.enrolled',
        version: 1,
        producer: 'community-correction',
        occurredAt: '2025-03-03T02:00:00.000Z',
        payload,
      });
      expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
      // issue 13 S2: one statement inserts the row and notifies the relay
      expect(query).toHaveBeenCalledTimes(1);
      expect(query.mock.calls[0][0]).toContain('INSERT INTO "correction".bus_outbox');
      expect(query.mock.calls[0][0]).toContain('SELECT pg_notify($6, $7)');
      expect(query.mock.calls[0][1]).toEqual([[envelope.id], [envelope.name], [1], [JSON.stringify(payload)], [envelope.occurredAt], 'hw_bus_correction', envelope.id]);
    });

    it('refuses a manager outside a transaction (the event would not be tied to the change)', async () => {
      const { manager, query } = managerMock(false);
      await expect(publisher.publish(manager, 'correction.subject.enrolled', payload)).rejects.toThrow(/open transaction/);
      expect(query).not.toHaveBeenCalled();
    });

    it('refuses a payload carrying PII (an ID number on Redis)', async () => {
      const { manager, query } = managerMock();
      const leaky = { ...payload, idNumber: '11010519491231002X' } as EventPayloads['correction.subject.enrolled'];
      await expect(publisher.publish(manager, 'correction.subject.enrolled', leaky)).rejects.toThrow();
      expect(query).not.toHaveBeenCalled();
    });

    it('refuses a name outside the catalogue at run time too', async () => {
      const { manager } = managerMock();
      await expect(publisher.publish(manager, 'made.up' as never, {} as never)).rejects.toThrow(/not in the event catalogue/);
    });
  });
});
