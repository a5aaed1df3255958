import { Module } from '@nestjs/common';
import { KeyPersonEntryResolver, KeyPersonsResolver } from './key-persons.resolver';
import { KeyPersonsService } from './key-persons.service';

/** CC-10 monthly key-person determinations (一月一认定). */
@Module({
  providers: [KeyPersonsService, KeyPersonsResolver, KeyPersonEntryResolver],
  exports: [KeyPersonsService],
})
export class KeyPersonsModule {}
