import { Module } from '@nestjs/common';
import { PushRepository } from './push.repository';
import { PushResolver } from './push.resolver';
import { PushService } from './push.service';

/** RS-13 information push (信息推送): signed webhooks to subscribed departments. */
@Module({ providers: [PushService, PushRepository, PushResolver], exports: [PushService] })
export class PushModule {}
