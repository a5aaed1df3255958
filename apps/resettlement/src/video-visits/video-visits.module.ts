import { Module } from '@nestjs/common';
import { VideoVisitProposalsController } from './video-visit-proposals.controller';
import { VideoVisitsService } from './video-visits.service';
import { VideoVisitsResolver } from './video-visits.resolver';

/** RS-10: remote family video visits. */
@Module({ controllers: [VideoVisitProposalsController], providers: [VideoVisitsService, VideoVisitsResolver], exports: [VideoVisitsService] })
export class VideoVisitsModule {}
