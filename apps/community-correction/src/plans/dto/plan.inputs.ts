import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Gender, TeamRole } from '@homeward/domain';

registerEnumType(TeamRole, { name: 'TeamRole', description: 'CC-7 矫正小组 roles (labels: TeamMember.roleLabel)' });
registerEnumType(Gender, { name: 'Gender', description: 'MALE 男 / FEMALE 女' });

@InputType({ description: 'CC-7 矫正方案: writes the plan; changing an approved plan withdraws the approval' })
export class SaveCorrectionPlanInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  content: string;
}

@InputType({ description: 'CC-7: adds a member to the correction team' })
export class AddTeamMemberInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => TeamRole)
  @IsEnum(TeamRole)
  role: TeamRole;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field(() => Gender)
  @IsEnum(Gender)
  gender: Gender;

  @Field({ defaultValue: false, description: 'versed in the needs of minors (熟悉未成年人身心特点)' })
  @IsBoolean()
  versedInMinors: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;
}
