import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { PursuitsResolver } from './pursuits.resolver';
import { PursuitsService } from './pursuits.service';

/** CC-24 pursuit and return to custody (追逃 / 收监执行 proposals) and residence disputes (居住地争议). */
@Module({
  imports: [SubjectsModule],
  providers: [PursuitsService, PursuitsResolver],
  exports: [PursuitsService],
})
export class PursuitsModule {}
