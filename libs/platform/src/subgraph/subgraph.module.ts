import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import type { Request } from 'express';
import { formatGraphQLError } from '../errors';
import { graphQLErrorPolicyPlugin, noControlCharactersRule } from '../input/graphql-input';
import { Person, Town } from '../graphql-types';
import { SchemaFileWriter } from './schema-file.writer';

export interface SubgraphOptions {
  /** The app folder name: the SDL is written to `apps/<service>/schema.gql` outside production. */
  service: string;
}

/** What every resolver finds in its GraphQL context. */
export interface SubgraphContext {
  req: Request;
}

/**
 * A federation-2, code-first subgraph at `/graphql`, the same in every service app. Outside production
 * the subgraph SDL is written to `apps/<service>/schema.gql` (checked in, so a schema change shows in
 * review, and the production supergraph is composed from those files).
 */
@Module({})
export class SubgraphModule {
  static forService(options: SubgraphOptions): DynamicModule {
    const production = process.env.NODE_ENV === 'production';
    return {
      module: SubgraphModule,
      imports: [
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          path: '/graphql',
          autoSchemaFile: { federation: 2 },
          sortSchema: true,
          // Guards also run on @ResolveField: entity fields reached through _entities (Person.alerts, …)
          // have no Nest root resolver, so without this they would see no principal.
          fieldResolverEnhancers: ['guards'],
          // The shared entities exist in every subgraph, even one whose queries do not name them yet.
          buildSchemaOptions: { orphanedTypes: [Person, Town] },
          playground: false,
          introspection: !production,
          csrfPrevention: true,
          // No Apollo Studio here: federated traces would only cost time.
          plugins: [ApolloServerPluginInlineTraceDisabled(), graphQLErrorPolicyPlugin()],
          // issue 6 items 5/13: a control character in a string literal is refused like one in variables
          validationRules: [noControlCharactersRule],
          includeStacktraceInErrorResponses: false,
          context: ({ req }: { req: Request }): SubgraphContext => ({ req }),
          formatError: formatGraphQLError,
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
