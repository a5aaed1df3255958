import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { MeResolver } from './me.resolver';

/** Staff login, refresh, logout and `me` (named LoginModule: platform already has an AuthModule). */
@Module({
  imports: [KeysModule, ThrottlingModule],
  controllers: [AuthController],
  providers: [AuthService, MeResolver],
  exports: [AuthService],
})
export class LoginModule {}
