import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

@ObjectType('SocialWorkerAssignment', { description: 'Issue 6 item 7: a social worker assigned to a subject (社工分配); ended assignments stay as history' })
export class SocialWorkerAssignmentType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  subjectId: string;

  @Field(() => ID, { description: "The social worker's user id (identity)" })
  workerId: string;

  @Field({ description: 'Town code of the subject when assigned' })
  town: string;

  @Field()
  assignedAt: Date;

  @Field({ description: 'User id of the officer who assigned' })
  assignedBy: string;

  @Field(() => Date, { nullable: true })
  endedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'User id of the officer who ended it' })
  endedBy: string | null;

  @Field({ description: 'True while not ended: the worker sees this subject' })
  active: boolean;
}

@InputType()
export class AssignSocialWorkerInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => ID, { description: "The social worker's user id" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'workerId must be a user id / 社工标识格式不正确' })
  workerId: string;
}
