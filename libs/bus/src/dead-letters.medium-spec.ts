import { AlertsTestHandlers, BusTestWorld, enrolledPayload, waitFor } from '../test/bus-harness';
import { DeadLetterError, DeadLetterRetention, DeadLetters } from './dead-letters';

jest.setTimeout(60_000);

describe('DeadLetters (real PostgreSQL + Redis)', () => {
  const world = new BusTestWorld();
  let deadLetters: DeadLetters;

  beforeAll(async () => {
    await world.setUp();
    deadLetters = new DeadLetters(world.dataSource, world.options('alerts', 'alerts'));
  });
  afterEach(() => world.stopAll());
  afterAll(async () => {
    await deadLetters.close();
    await world.tearDown();
  });

  /** Publishes an enrolment whose handler always fails and waits for its dead letter. */
  async function deadLettered(subjectId: string, handlers: AlertsTestHandlers): Promise<{ eventId: string; id: string }> {
    handlers.failing.add('correction.subject.enrolled');
    world.consumer(handlers, { maxAttempts: 2, backoffDelayMs: 20 }).start();
    world.relay('community-correction', 'correction', { maxAttempts: 2, backoffDelayMs: 20 }).start();
    const envelope = await world.dataSource.transaction((m) => world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload(subjectId)));
    const [row] = await waitFor('the dead letter', async () => {
      const rows: { id: string }[] = await world.dataSource.query('SELECT id FROM alerts.bus_dead_letters WHERE event_id = $1 AND resolved_at IS NULL', [envelope.id]);
      return rows.length > 0 ? rows : undefined;
    });
    return { eventId: envelope.id, id: row.id };
  }

  async function letter(id: string): Promise<{ resolved_at: Date | null; resolved_by: string | null; resolved_how: string | null }> {
    const [row] = await world.dataSource.query('SELECT resolved_at, resolved_by, resolved_how FROM alerts.bus_dead_letters WHERE id = $1', [id]);
    return row;
  }

  it('issue 14 item 6: a replayed dead letter is handled once by the fixed handler and marked REPLAYED with who did it', async () => {
    const handlers = new AlertsTestHandlers();
    const { eventId, id } = await deadLettered('00000000-0000-4000-8000-000000000601', handlers);
    expect(await world.effects(eventId)).toHaveLength(0);
    expect((await deadLetters.list()).map((d) => d.id)).toContain(id);

    handlers.failing.clear();
    const audited: string[] = [];
    const view = await deadLetters.resolve(id, 'REPLAYED', 'admin-1', async (_m, l) => {
      audited.push(l.id);
    });
    expect(view).toMatchObject({ id, eventId, resolvedHow: 'REPLAYED', resolvedBy: 'admin-1' });
    expect(audited).toEqual([id]);
    await waitFor('the replayed effect', async () => (await world.effects(eventId)).length === 1);
    // the consumer had already answered the first delivery: the replay is the only effect, and it stays one
    await new Promise((r) => setTimeout(r, 300));
    expect(await world.effects(eventId)).toHaveLength(1);
    expect(await letter(id)).toMatchObject({ resolved_by: 'admin-1', resolved_how: 'REPLAYED' });
    expect((await deadLetters.list()).map((d) => d.id)).not.toContain(id);
  });

  it('issue 14 item 6: a replay that fails every attempt again reopens the same dead letter (nothing lost)', async () => {
    const handlers = new AlertsTestHandlers();
    const { id } = await deadLettered('00000000-0000-4000-8000-000000000602', handlers);
    await deadLetters.resolve(id, 'REPLAYED', 'admin-1');
    await waitFor('the dead letter reopened', async () => (await letter(id)).resolved_at === null);
    expect(await letter(id)).toEqual({ resolved_at: null, resolved_by: null, resolved_how: null });
    expect((await deadLetters.list()).map((d) => d.id)).toContain(id);
  });

  it('issue 14 item 6: a discarded dead letter is not delivered, and a second resolution is refused (bilingual) and changes nothing', async () => {
    const handlers = new AlertsTestHandlers();
    const { eventId, id } = await deadLettered('00000000-0000-4000-8000-000000000603', handlers);
    handlers.failing.clear();
    await deadLetters.resolve(id, 'DISCARDED', 'admin-2');
    const before = await letter(id);
    expect(before).toMatchObject({ resolved_by: 'admin-2', resolved_how: 'DISCARDED' });

    const refusal = await deadLetters.resolve(id, 'REPLAYED', 'admin-3').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DeadLetterError);
    expect((refusal as DeadLetterError).code).toBe('DEAD_LETTER_ALREADY_RESOLVED');
    expect((refusal as DeadLetterError).message).toMatch(/already resolved .*已处理/);
    expect(await letter(id)).toEqual(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(await world.effects(eventId)).toHaveLength(0);

    const missing = await deadLetters.resolve('00000000-0000-4000-8000-00000000dead', 'DISCARDED', 'admin-2').catch((e: unknown) => e);
    expect((missing as DeadLetterError).code).toBe('DEAD_LETTER_NOT_FOUND');
  });

  it('issue 14 item 6: the retention job deletes resolved dead letters older than the configured age, keeps open and recent ones', async () => {
    const insert = (eventId: string, resolvedDaysAgo: number | null) =>
      world.dataSource.query(
        `INSERT INTO alerts.bus_dead_letters (id, event_id, event_name, handler, payload, error, attempts, resolved_at, resolved_by, resolved_how)
         VALUES (gen_random_uuid(), $1, 'correction.subject.enrolled', 'H.retention', '{}'::jsonb, 'Error: x', 5,
                 CASE WHEN $2::int IS NULL THEN NULL ELSE now() - ($2::int * interval '1 day') END,
                 CASE WHEN $2::int IS NULL THEN NULL ELSE 'admin' END, CASE WHEN $2::int IS NULL THEN NULL ELSE 'DISCARDED' END)`,
        [eventId, resolvedDaysAgo],
      );
    await insert('00000000-0000-4000-8000-000000000611', 31); // resolved long ago: purged
    await insert('00000000-0000-4000-8000-000000000612', 29); // resolved recently: kept
    await insert('00000000-0000-4000-8000-000000000613', null); // open: kept however old
    await world.dataSource.query(`UPDATE alerts.bus_dead_letters SET created_at = now() - interval '90 days' WHERE handler = 'H.retention'`);

    const retention = new DeadLetterRetention(deadLetters, 30, 60_000);
    retention.start(1);
    await waitFor('the purge', async () => {
      const rows: unknown[] = await world.dataSource.query(`SELECT 1 FROM alerts.bus_dead_letters WHERE event_id = '00000000-0000-4000-8000-000000000611'`);
      return rows.length === 0;
    });
    await retention.stop();
    const left: { event_id: string }[] = await world.dataSource.query(`SELECT event_id FROM alerts.bus_dead_letters WHERE handler = 'H.retention' ORDER BY event_id`);
    expect(left.map((r) => r.event_id)).toEqual(['00000000-0000-4000-8000-000000000612', '00000000-0000-4000-8000-000000000613']);
  });
});
