import { Module } from '@nestjs/common';
import { SocialForcesModule } from '../social-forces/social-forces.module';
import { SubjectsModule } from '../subjects/subjects.module';
import { PsychServicesResolver } from './psych-services.resolver';
import { PsychServicesService } from './psych-services.service';

/** CC-27 psychological services by a registered social organisation (CC-22); the crisis flag goes to alerts. */
@Module({ imports: [SubjectsModule, SocialForcesModule], providers: [PsychServicesService, PsychServicesResolver] })
export class PsychServicesModule {}
