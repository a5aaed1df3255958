import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';
import { KeysResolver } from './keys.resolver';
import { SigningKeysService } from './signing-keys.service';
import { TokensService } from './tokens.service';

@Module({
  controllers: [JwksController],
  providers: [SigningKeysService, TokensService, KeysResolver],
  exports: [SigningKeysService, TokensService],
})
export class KeysModule {}
