import { Module } from '@nestjs/common';
import { OutreachService } from './outreach.service';

/** RS-9 prison outreach and RS-12 the social-worker roster. */
@Module({ providers: [OutreachService], exports: [OutreachService] })
export class OutreachModule {}
