import { CreatedUser, Stack, startStack } from '@homeward/testing';

/**
 * Issue 14 item 5 through the gateway: `busStatus` is one entity, each subgraph with bus tables answers its
 * own field from its own schema; the command centre sees all four, other roles get FORBIDDEN.
 */
jest.setTimeout(240_000);

const QUERY = `{ busStatus { id
  correction { service outboxBacklog oldestUnrelayedAgeSeconds undelivered openDeadLetters queue { name } }
  resettlement { service outboxBacklog openDeadLetters queue { name } }
  aftercare { service outboxBacklog openDeadLetters queue { name } }
  alerts { service outboxBacklog openDeadLetters deadLetters { id } queue { name waiting delayed failed } } } }`;

describe('busStatus through the gateway (issue 14 item 5)', () => {
  let stack: Stack;
  let cityAdmin: CreatedUser;
  let officer: CreatedUser;

  beforeAll(async () => {
    stack = await startStack();
    cityAdmin = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    officer = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('issue 14 item 5: a CITY_ADMIN gets every service\'s bus in one query, each answered by its own subgraph', async () => {
    const token = await stack.login(cityAdmin.username, cityAdmin.password);
    const body = await stack.graphql<{ busStatus: Record<string, { service: string; openDeadLetters: number; queue?: { name: string } | null }> }>(token, QUERY);
    expect(body.errors).toBeUndefined();
    const bus = body.data!.busStatus;
    expect(bus.id).toBe('bus');
    expect(bus.correction).toMatchObject({ service: 'community-correction', openDeadLetters: 0, queue: { name: 'events.community-correction' } });
    expect(bus.resettlement).toMatchObject({ service: 'resettlement', openDeadLetters: 0, queue: { name: 'events.resettlement' } });
    // aftercare consumes no event: it has no queue
    expect(bus.aftercare).toMatchObject({ service: 'aftercare', openDeadLetters: 0, queue: null });
    expect(bus.alerts).toMatchObject({ service: 'alerts', openDeadLetters: 0, queue: { name: 'events.alerts' } });
  });

  it('issue 14 item 5: a TOWN_OFFICER gets FORBIDDEN and no bus data', async () => {
    const token = await stack.login(officer.username, officer.password);
    const body = await stack.graphql(token, QUERY);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.data?.busStatus ?? null).toBeNull();
  });
});
