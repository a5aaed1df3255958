import { Inject } from '@nestjs/common';
import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditWriter, Clock, CurrentPrincipal, JWKS_PROVIDER, ProblemException, problemTitle, JwksProvider, Principal, Roles, STAFF_READERS, SubgraphContext, TokenRevocations, canSeePerson, verifyAccessToken } from '@homeward/platform';
import { Alert } from '../alerts/alert.entity';
import { AlertType } from '../alerts/alert.types';
import { toAlertType } from '../alerts/alerts.resolver';
import { LiveFeedHub } from './live-feed.hub';
import { LiveMessage } from './live-feed.publisher';
import { AlertChangedArgs } from './live-alerts.types';

/**
 * Issue 11 item 3, AL-5 the live feed through the gateway: `subscription { alertChanged(towns) }` on the
 * alerts subgraph, over graphql-ws on its `/graphql` (SubgraphModule `subscriptions`), federated by
 * Hive Gateway, which resolves the alert's Person and Town from the other subgraphs. Messages come
 * from Redis pub/sub (LiveFeedHub), so any replica serves any client. Each message is
 * - filtered by the caller's towns (a social worker: its caseload as of subscribing) and `towns`;
 * - read again from PostgreSQL (the alert as it is now; one moved out of the caller's towns is dropped);
 * - delivered only while the caller's token is still valid (expiry, logout): otherwise the
 *   subscription ends with UNAUTHENTICATED;
 * - audited as a read of the alert (alerts.alert.read, via live-feed).
 */
@Resolver(() => AlertType)
export class LiveAlertsResolver {
  constructor(
    private readonly hub: LiveFeedHub,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(JWKS_PROVIDER) private readonly keys: JwksProvider,
    private readonly revocations: TokenRevocations,
  ) {}

  @Roles(...STAFF_READERS)
  @Subscription(() => AlertType, {
    description: "AL-5: alerts raised or changed (acknowledged, escalated, resolved) in the caller's towns / 实时预警",
    resolve: (value: AlertType) => value,
  })
  alertChanged(@CurrentPrincipal() caller: Principal, @Args() args: AlertChangedArgs, @Context() ctx: SubgraphContext): AsyncIterableIterator<AlertType> {
    const token = (ctx.req as { principalToken?: string }).principalToken;
    const wanted = args.towns?.length ? new Set(args.towns) : null;
    const visible = (town: string | null, personKey: string | null) => canSeePerson(caller, town, personKey) && (!wanted || wanted.has(town ?? ''));
    return this.hub.iterate(
      (m) => visible(m.town, m.personKey),
      (m) => this.deliver(caller, token, m, visible),
    );
  }

  private async deliver(caller: Principal, token: string | undefined, m: LiveMessage, visible: (town: string | null, personKey: string | null) => boolean): Promise<AlertType | undefined> {
    try {
      if (!token) throw new Error('no token');
      await verifyAccessToken(token, this.keys, this.clock.now(), this.revocations);
    } catch {
      throw new ProblemException(401, problemTitle(401), 'The token of this live feed has expired or was revoked: sign in again / 实时预警的令牌已失效，请重新登录');
    }
    const alert = await this.dataSource.getRepository(Alert).findOneBy({ id: m.id });
    if (!alert || !visible(alert.town, alert.personKey)) return undefined;
    await this.audit.record({
      actor: caller,
      action: 'alerts.alert.read',
      entityType: 'Alert',
      entityId: alert.id,
      personKey: alert.personKey ?? undefined,
      towns: alert.town ? [alert.town] : [],
      details: { via: 'live-feed', kind: m.kind },
    });
    return toAlertType(alert);
  }
}
