import { Module } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { Args, Field, GraphQLModule, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import request from 'supertest';
import { DomainError, DomainErrorCode, Role } from '@homeward/domain';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { createApp } from '../bootstrap/bootstrap';
import { BaseConfig } from '../config/base-config';
import { loadConfig } from '../config/load-config';
import { formatGraphQLError } from '../errors/graphql-errors';
import { PlatformModule } from '../platform.module';
import { TestKeys, staffPrincipal } from '../testing';
import { CurrentPrincipal, Roles } from './decorators';
import { assertTownVisible } from './jurisdiction';
import { Principal } from './principal';

@ObjectType()
class Me {
  @Field(() => ID)
  sub: string;

  @Field(() => [String])
  towns: string[];
}

@Resolver(() => Me)
class MeResolver {
  @Query(() => Me)
  me(@CurrentPrincipal() p: Principal): Me {
    return { sub: p.sub, towns: p.towns };
  }

  @Roles(Role.AUDITOR)
  @Query(() => String)
  auditorsOnly(): string {
    return 'ok';
  }

  @Query(() => String)
  record(@CurrentPrincipal() p: Principal, @Args('town') town: string): string {
    assertTownVisible(p, town);
    return `record of ${town}`;
  }

  @Query(() => String)
  invalid(): string {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'invalid cursor / 分页游标无效', { field: 'after' });
  }
}

describe('GraphQL subgraph behind the platform guard (real Redis)', () => {
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const prefix = testRedisPrefix('gql');

  beforeAll(async () => {
    const config = loadConfig(BaseConfig, { NODE_ENV: 'test', REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
    @Module({
      imports: [
        PlatformModule.forService({ service: 'gql-test', config: BaseConfig, configInstance: config, jwks: { useValue: keys.provider } }),
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          autoSchemaFile: { federation: 2 },
          context: ({ req }: { req: unknown }) => ({ req }),
          formatError: (formatted, error) => formatGraphQLError(formatted, error),
        }),
      ],
      providers: [MeResolver],
    })
    class GqlAppModule {}
    app = await createApp(GqlAppModule, { name: 'gql-test', defaultPort: 0, logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await flushRedisPrefix(testRedisUrl(), prefix);
  });

  const gql = (query: string, token?: string) => {
    const r = request(app.getHttpServer()).post('/graphql').set('Content-Type', 'application/json');
    if (token) r.set('Authorization', `Bearer ${token}`);
    return r.send({ query });
  };

  it('gives resolvers the Principal of a valid token', async () => {
    const officer = staffPrincipal({ towns: ['104'] });
    const res = await gql('{ me { sub towns } }', keys.mint(officer));
    expect(res.body).toEqual({ data: { me: { sub: officer.sub, towns: ['104'] } } });
  });

  it('answers UNAUTHENTICATED without a token', async () => {
    const res = await gql('{ me { sub } }');
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers FORBIDDEN when the role is missing', async () => {
    const res = await gql('{ auditorsOnly }', keys.mint(staffPrincipal()));
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers NOT_FOUND for another town, BAD_USER_INPUT for a validation failure', async () => {
    const token = keys.mint(staffPrincipal({ towns: ['104'] }));
    expect((await gql('{ record(town: "104") }', token)).body.data).toEqual({ record: 'record of 104' });
    const other = await gql('{ record(town: "105") }', token);
    expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const invalid = await gql('{ invalid }', token);
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('lets the gateway read _service { sdl } without a token', async () => {
    const res = await gql('{ _service { sdl } }');
    expect(res.body.data._service.sdl).toContain('type Me');
  });
});
