import { Module } from '@nestjs/common';
import { BusModule } from '@homeward/bus';
import { Clock, PartnerApiModule, PlatformModule, SubgraphModule } from '@homeward/platform';
import { CorrectionConfig } from './config';
import { ENTITIES } from './entities';
import { MIGRATIONS, SCHEMA } from './migrations';
import { EnrolmentsController } from './subjects/enrolments.controller';
import { PersonResolver, SubjectsResolver } from './subjects/subjects.resolver';
import { SubjectsService } from './subjects/subjects.service';

@Module({
  imports: [
    PlatformModule.forService({ service: 'community-correction', schema: SCHEMA, config: CorrectionConfig, entities: ENTITIES, migrations: MIGRATIONS }),
    PartnerApiModule.forService({ schema: SCHEMA }),
    SubgraphModule.forService({ service: 'community-correction' }),
    BusModule.forService({ service: 'community-correction', schema: SCHEMA, clock: Clock }),
  ],
  controllers: [EnrolmentsController],
  providers: [SubjectsService, SubjectsResolver, PersonResolver],
})
export class AppModule {}
