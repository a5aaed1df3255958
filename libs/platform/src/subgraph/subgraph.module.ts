import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import type { Request } from 'express';
import { AuditWriter } from '../audit/audit-writer';
import { APP_CONFIG } from '../config/config.module';
import { formatGraphQLError } from '../errors';
import { graphQLErrorPolicyPlugin, noControlCharactersRule } from '../input/graphql-input';
import { Person, Town } from '../graphql';
import { graphqlArmor } from './armor';
import { JWKS_PROVIDER, JwksProvider } from '../auth/jwks';
import { TokenRevocations } from '../auth/revocations';
import { Clock } from '../clock/clock';
import { SchemaFileWriter } from './schema-file.writer';
import { subgraphContextOf, subgraphSubscriptions } from './subscriptions';
import { subgraphAccessPlugin } from './subgraph-access.plugin';

export interface SubgraphOptions {
  /** The app folder name: the SDL is written to `apps/<service>/schema.gql` outside production. */
  service: string;
  /** Entity types this subgraph extends although none of its queries returns them (e.g. `BusStatus`, issue 14 item 5). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** Serve graphql-ws on `/graphql` for the gateway's subscriptions (issue 11 item 3: the alerts subgraph). */
  subscriptions?: boolean;
}

/** What every resolver finds in its GraphQL context (on a subscription socket: a request built from the socket, see subscriptions.ts). */
export interface SubgraphContext {
  req: Request;
}

/**
 * A federation-2, code-first subgraph at `/graphql`, the same in every service app. Outside production
 * the subgraph SDL is written to `apps/<service>/schema.gql` (checked in, so a schema change shows in
 * review, and the production supergraph is composed from those files). Issue 6 item 12: the same
 * armor as the gateway (depth, aliases, directives, tokens, variable-aware cost), and callers with
 * neither token nor gateway secret get 401 (subgraphAccessPlugin).
 */
@Module({})
export class SubgraphModule {
  static forService(options: SubgraphOptions): DynamicModule {
    const production = process.env.NODE_ENV === 'production';
    return {
      module: SubgraphModule,
      imports: [
        GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          inject: [
            APP_CONFIG,
            { token: AuditWriter, optional: true },
            GraphQLSchemaHost,
            { token: JWKS_PROVIDER, optional: true },
            { token: Clock, optional: true },
            { token: TokenRevocations, optional: true },
          ],
          useFactory: (
            config: { NODE_ENV?: string; SUBGRAPH_SHARED_SECRET?: string },
            audit?: AuditWriter,
            schemaHost?: GraphQLSchemaHost,
            keys?: JwksProvider,
            clock?: Clock,
            revocations?: TokenRevocations,
          ) => {
            const inProduction = config.NODE_ENV === 'production';
            const armor = graphqlArmor(inProduction);
            return {
              path: '/graphql',
              autoSchemaFile: { federation: 2 },
              sortSchema: true,
              // Guards also run on @ResolveField: entity fields reached through _entities (Person.alerts, …)
              // have no Nest root resolver, so without this they would see no principal.
              fieldResolverEnhancers: ['guards'],
              // The shared entities exist in every subgraph, even one whose queries do not name them yet.
              buildSchemaOptions: { orphanedTypes: [Person, Town, ...(options.orphanedTypes ?? [])] },
              playground: false,
              introspection: !inProduction,
              csrfPrevention: true,
              allowBatchedHttpRequests: false,
              plugins: [
                // No Apollo Studio here: federated traces would only cost time.
                ApolloServerPluginInlineTraceDisabled(),
                ...armor.plugins,
                subgraphAccessPlugin({ production: inProduction, gatewaySecret: config.SUBGRAPH_SHARED_SECRET, audit: audit ?? undefined }),
                graphQLErrorPolicyPlugin(),
              ],
              // issue 6 items 5/13: a control character in a string literal is refused like one in variables
              validationRules: [...armor.validationRules, noControlCharactersRule],
              includeStacktraceInErrorResponses: false,
              parseOptions: armor.parseOptions,
              context: (arg: { req?: Request }): SubgraphContext => subgraphContextOf(arg) as SubgraphContext,
              formatError: formatGraphQLError,
              ...(options.subscriptions
                ? {
                    subscriptions: {
                      'graphql-ws': subgraphSubscriptions({
                        production: inProduction,
                        gatewaySecret: config.SUBGRAPH_SHARED_SECRET,
                        schema: () => {
                          try {
                            return schemaHost?.schema;
                          } catch {
                            return undefined; // GraphQLSchemaHost throws until the schema is built
                          }
                        },
                        parseOptions: armor.parseOptions,
                        validationRules: [...armor.validationRules, noControlCharactersRule],
                        formatError: formatGraphQLError,
                        verifier: keys ? { keys, clock, revocations } : undefined,
                        audit: audit ?? undefined,
                      }),
                    },
                  }
                : {}),
            };
          },
        }),
      ],
      providers: production
        ? []
        : [
            {
              provide: SchemaFileWriter,
              useFactory: (host: GraphQLSchemaHost) => new SchemaFileWriter(host, `apps/${options.service}/schema.gql`),
              inject: [GraphQLSchemaHost],
            },
          ],
    };
  }
}
