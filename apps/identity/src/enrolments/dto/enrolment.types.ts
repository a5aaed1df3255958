import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { Role } from '@homeward/domain';
import { Town } from '@homeward/platform';
import '../../users/dto/user.types'; // registers the Role GraphQL enum

export enum EnrolmentState {
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  OPEN = 'OPEN',
  USED = 'USED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(EnrolmentState, {
  name: 'EnrolmentStatus',
  description: 'PENDING_APPROVAL 待批准 / OPEN 待注册 / USED 已注册 / CANCELLED 已取消 / EXPIRED 已过期',
});

@ObjectType('StaffEnrolment', { description: 'An invitation to create a staff account / 工作人员账号注册申请' })
export class StaffEnrolmentType {
  @Field(() => ID)
  id: string;

  @Field()
  username: string;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => [Town])
  towns: Town[];

  @Field(() => EnrolmentState)
  status: EnrolmentState;

  @Field(() => String, { nullable: true, description: 'Security admin who asked / 申请人' })
  requestedBy: string | null;

  @Field(() => String, { nullable: true, description: 'Second security admin who approved / 批准人' })
  approvedBy: string | null;

  @Field(() => GraphQLISODateTime)
  expiresAt: Date;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}

@InputType({ description: 'Ask for a staff account; the new user sets the password / 申请新建工作人员账号' })
export class InviteStaffUserInput {
  @Field()
  @IsString()
  @MaxLength(64)
  username: string;

  @Field(() => [Role])
  @IsArray()
  @ArrayMaxSize(9)
  @IsEnum(Role, { each: true })
  roles: Role[];

  @Field(() => [String], { nullable: true, description: 'Town codes; CITY_ADMIN covers every town' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(40)
  @IsString({ each: true })
  towns?: string[];
}

@ObjectType()
export class InviteStaffUserPayload {
  @Field(() => StaffEnrolmentType)
  enrolment: StaffEnrolmentType;

  @Field({
    description:
      'One-time enrolment code, shown once: give it to the new user, who redeems it at POST /api/v1/auth/enrol. CITY_ADMIN / SECURITY_ADMIN: only after a second security admin approves / 一次性注册码，仅显示一次',
  })
  enrolmentCode: string;
}

/** Body of `POST /api/v1/auth/enrol`. Missing fields answer the same 401 as a wrong code. */
export class RedeemEnrolmentDto {
  @ApiProperty({ example: 'officer.new' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username: string;

  @ApiProperty({ description: 'The one-time enrolment code / 一次性注册码' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  code: string;

  @ApiProperty({ description: 'The new password: ≥ 10 characters, 3 of 4 classes / 新密码' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  password: string;
}

export class RedeemedEnrolmentDto {
  @ApiProperty()
  username: string;

  @ApiPropertyOptional({ description: 'Your TOTP secret (roles that need TOTP), shown once / 动态口令密钥，仅显示一次' })
  totpSecret?: string;

  @ApiPropertyOptional()
  otpauthUri?: string;
}
