import { Module } from '@nestjs/common';
import { LoginThrottle } from './login-throttle.service';

/** Rate limits and per-IP lockout of the credential endpoints (issue 6 item 9). */
@Module({
  providers: [LoginThrottle],
  exports: [LoginThrottle],
})
export class ThrottlingModule {}
