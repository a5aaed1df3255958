import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { OAuthController } from './oauth.controller';
import { OAuthService } from './oauth.service';
import { PartnersResolver } from './partners.resolver';
import { PartnersService } from './partners.service';

@Module({
  imports: [KeysModule, ThrottlingModule],
  controllers: [OAuthController],
  providers: [PartnersService, OAuthService, PartnersResolver],
  exports: [PartnersService, OAuthService],
})
export class PartnersModule {}
