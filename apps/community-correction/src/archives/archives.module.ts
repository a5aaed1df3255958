import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { CorrectionConfig } from '../config';
import { ArchiveStorage, archiveStorageFrom } from '@homeward/platform/archive-storage';
import { ArchivesResolver } from './archives.resolver';
import { ArchivesService } from './archives.service';

/** CC-19 archives: documents with types in three archives, bytes through ArchiveStorage (ARCHIVE_STORAGE=local|s3). */
@Module({
  imports: [SubjectsModule],
  providers: [
    { provide: ArchiveStorage, useFactory: (config: CorrectionConfig) => archiveStorageFrom(config), inject: [CorrectionConfig] },
    ArchivesService,
    ArchivesResolver,
  ],
  exports: [ArchivesService],
})
export class ArchivesModule {}
