import { Module } from '@nestjs/common';
import { ThrottlingModule } from '../throttling/throttling.module';
import { TownResolver } from './town.resolver';
import { UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

@Module({
  imports: [ThrottlingModule],
  providers: [UsersService, UsersResolver, TownResolver],
  exports: [UsersService],
})
export class UsersModule {}
