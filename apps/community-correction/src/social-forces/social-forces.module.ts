import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { SocialOrganisationsResolver, VolunteersResolver } from './social-forces.resolver';
import { SocialOrganisationsService } from './social-organisations.service';
import { VolunteersService } from './volunteers.service';

/** CC-22 social forces: volunteers and social organisations; exports SocialOrganisationsService for CC-27's providers. */
@Module({
  imports: [SubjectsModule],
  providers: [VolunteersService, SocialOrganisationsService, VolunteersResolver, SocialOrganisationsResolver],
  exports: [SocialOrganisationsService],
})
export class SocialForcesModule {}
