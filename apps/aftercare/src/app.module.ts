import { Module } from '@nestjs/common';
import { BusModule } from '@homeward/bus';
import { Clock, PartnerApiModule, PlatformModule, SubgraphModule } from '@homeward/platform';
import { PersonAftercareResolver } from './cases/aftercare-cases.resolver';
import { AftercareCasesService } from './cases/aftercare-cases.service';
import { AftercareConfig } from './config';
import { ENTITIES } from './entities';
import { MIGRATIONS, SCHEMA } from './migrations';

@Module({
  imports: [
    PlatformModule.forService({ service: 'aftercare', schema: SCHEMA, config: AftercareConfig, entities: ENTITIES, migrations: MIGRATIONS }),
    PartnerApiModule.forService({ schema: SCHEMA }),
    SubgraphModule.forService({ service: 'aftercare' }),
    BusModule.forService({ service: 'aftercare', schema: SCHEMA, clock: Clock }),
  ],
  providers: [AftercareCasesService, PersonAftercareResolver],
})
export class AppModule {}
