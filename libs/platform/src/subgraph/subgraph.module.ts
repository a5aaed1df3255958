import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { formatGraphQLError } from '../errors';

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
 * the generated SDL is written to `apps/<service>/schema.gql` (checked in, so a schema change shows in
 * review); in production it stays in memory.
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
          autoSchemaFile: production ? { federation: 2 } : { path: `apps/${options.service}/schema.gql`, federation: 2 },
          sortSchema: true,
          playground: false,
          introspection: !production,
          csrfPrevention: true,
          context: ({ req }: { req: Request }): SubgraphContext => ({ req }),
          formatError: formatGraphQLError,
        }),
      ],
    };
  }
}
