import { Module } from '@nestjs/common';
import { VideoVisitProposalsController } from './video-visit-proposals.controller';
import { VideoVisitsService } from './video-visits.service';

/** RS-10: remote family video visits. */
@Module({ controllers: [VideoVisitProposalsController], providers: [VideoVisitsService], exports: [VideoVisitsService] })
export class VideoVisitsModule {}
