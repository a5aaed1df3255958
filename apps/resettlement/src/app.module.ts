import { Module } from '@nestjs/common';
import { BusModule } from '@homeward/bus';
import { Clock, PartnerApiModule, PlatformModule, SubgraphModule } from '@homeward/platform';
import { AssistanceCasesService } from './cases/assistance-cases.service';
import { PersonResettlementResolver } from './cases/assistance-cases.resolver';
import { ResettlementConfig } from './config';
import { ENTITIES } from './entities';
import { MIGRATIONS, SCHEMA } from './migrations';

@Module({
  imports: [
    PlatformModule.forService({ service: 'resettlement', schema: SCHEMA, config: ResettlementConfig, entities: ENTITIES, migrations: MIGRATIONS }),
    PartnerApiModule.forService({ schema: SCHEMA }),
    SubgraphModule.forService({ service: 'resettlement' }),
    BusModule.forService({ service: 'resettlement', schema: SCHEMA, clock: Clock }),
  ],
  providers: [AssistanceCasesService, PersonResettlementResolver],
})
export class AppModule {}
