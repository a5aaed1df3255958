import { Module } from '@nestjs/common';
import { PlatformModule, ReferenceLoader, SubgraphModule } from '@homeward/platform';
import { AuditLogModule } from './audit-log/audit-log.module';
import { LoginModule } from './auth/login.module';
import { IdentityConfig } from './config';
import { EnrolmentsModule } from './enrolments/enrolments.module';
import { ENTITIES } from './entities';
import { KeysModule } from './keys/keys.module';
import { SigningKeysService } from './keys/signing-keys.service';
import { MIGRATIONS, SCHEMA } from './migrations';
import { PartnersModule } from './partners/partners.module';
import { UsersModule } from './users/users.module';

/**
 * Identity: staff accounts, login, partner clients, signing keys (JWKS), the audit log reader.
 * Its own auth guard verifies tokens against its key store directly (no JWKS over HTTP).
 */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'identity',
      schema: SCHEMA,
      config: IdentityConfig,
      entities: ENTITIES,
      migrations: [...MIGRATIONS],
      jwks: { imports: [KeysModule], useFactory: (keys: SigningKeysService) => keys, inject: [SigningKeysService] },
    }),
    SubgraphModule.forService({ service: 'identity' }),
    KeysModule,
    UsersModule,
    EnrolmentsModule,
    LoginModule,
    PartnersModule,
    AuditLogModule,
  ],
  // The towns in force for account scopes (a CITY_ADMIN's change in community-correction's reference schema).
  providers: [ReferenceLoader],
})
export class AppModule {}
