import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Gender, TeamRole } from '@homeward/domain';

@ObjectType('CorrectionPlan', { description: 'CC-7 矫正方案' })
export class CorrectionPlanType {
  @Field(() => ID)
  id: string;

  @Field()
  content: string;

  @Field()
  approved: boolean;

  @Field(() => String, { nullable: true })
  approvedBy: string | null;

  @Field(() => String, { nullable: true })
  approvedOn: string | null;

  @Field()
  updatedAt: Date;
}

@ObjectType('CorrectionTeamMember', { description: 'CC-7 矫正小组成员' })
export class TeamMemberType {
  @Field(() => ID)
  id: string;

  @Field(() => TeamRole)
  role: TeamRole;

  @Field({ description: 'Chinese label of the role' })
  roleLabel: string;

  @Field()
  name: string;

  @Field(() => Gender)
  gender: Gender;

  @Field()
  genderLabel: string;

  @Field()
  versedInMinors: boolean;
}
