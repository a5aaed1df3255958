import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { ExitControlController } from './exit-control.controller';
import { ExitControlResolver } from './exit-control.resolver';
import { ExitControlService } from './exit-control.service';

@Module({
  imports: [SubjectsModule],
  controllers: [ExitControlController],
  providers: [ExitControlService, ExitControlResolver],
  exports: [ExitControlService],
})
export class ExitControlModule {}
