import { Module } from '@nestjs/common';
import { ReleasesController } from './releases.controller';
import { ReleasesService } from './releases.service';
import { ReleasesResolver } from './releases.resolver';

/** RS-5 releases and pick-ups, RS-6 the assistance case of a release. */
@Module({ controllers: [ReleasesController], providers: [ReleasesService, ReleasesResolver], exports: [ReleasesService] })
export class ReleasesModule {}
