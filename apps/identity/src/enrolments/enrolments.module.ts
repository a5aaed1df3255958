import { Module } from '@nestjs/common';
import { ThrottlingModule } from '../throttling/throttling.module';
import { UsersModule } from '../users/users.module';
import { EnrolmentsController } from './enrolments.controller';
import { EnrolmentsResolver } from './enrolments.resolver';
import { EnrolmentsService } from './enrolments.service';

/** Staff accounts made by a security admin: one-time enrolment, two-person rule for admin roles (issue 6 item 6). */
@Module({
  imports: [UsersModule, ThrottlingModule],
  controllers: [EnrolmentsController],
  providers: [EnrolmentsService, EnrolmentsResolver],
})
export class EnrolmentsModule {}
