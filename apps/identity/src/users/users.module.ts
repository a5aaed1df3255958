import { Module } from '@nestjs/common';
import { TownResolver } from './town.resolver';
import { UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

@Module({
  providers: [UsersService, UsersResolver, TownResolver],
  exports: [UsersService],
})
export class UsersModule {}
