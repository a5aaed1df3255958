import { Module } from '@nestjs/common';
import { OutreachService } from './outreach.service';
import { OutreachResolver } from './outreach.resolver';

/** RS-9 prison outreach and RS-12 the social-worker roster. */
@Module({ providers: [OutreachService, OutreachResolver], exports: [OutreachService] })
export class OutreachModule {}
