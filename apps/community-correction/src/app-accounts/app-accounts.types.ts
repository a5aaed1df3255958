import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';

@ObjectType('AppActivation', { description: 'Issue 12 item 1: a one-time activation code of 在矫通 / 协矫通, shown once / 激活码（仅显示一次）' })
export class AppActivationType {
  @Field(() => ID) accountId: string;
  @Field(() => String, { nullable: true, description: 'The code to hand over (null when a membership joined an existing account) / 激活码' }) code: string | null;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
}

@InputType({ description: 'Issue 12 item 1: invite a correction team member to 协矫通 / 邀请矫正小组成员' })
export class InviteTeamMemberInput {
  @Field(() => ID) @IsUUID() teamMemberId: string;
  @Field(() => ID, { nullable: true, description: "Another membership whose account this one joins (one login for one person's several teams)" })
  @IsOptional()
  @IsUUID()
  sameAccountAs?: string;
}
