import { ArgsType, Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate, IsTownCode, Town } from '@homeward/platform';

/** AL-6: the two posts of the duty roster. */
export enum DutyRole {
  /** 值班员: the person on duty (the city command centre's, or a town's). */
  DUTY_OFFICER = 'DUTY_OFFICER',
  /** 带班局领导: the bureau head on duty (the city command centre only). */
  BUREAU_HEAD = 'BUREAU_HEAD',
}

export const DUTY_ROLE_LABELS: Record<DutyRole, string> = {
  [DutyRole.DUTY_OFFICER]: 'Person on duty / 值班人员',
  [DutyRole.BUREAU_HEAD]: 'Bureau head on duty / 带班局领导',
};

registerEnumType(DutyRole, { name: 'DutyRole', description: 'AL-6 值班岗位' });

/** The roster's scope of the city command centre (a town's scope is its code). */
export const CITY_SCOPE = 'CITY';

@ObjectType('DutyRosterEntry', { description: 'AL-6 值班备勤: who is on duty on one day' })
export class DutyRosterEntryType {
  @Field(() => Town, { nullable: true, description: 'the town; null for the city command centre (市指挥中心)' })
  town: Town | null;

  @Field({ description: 'YYYY-MM-DD (Asia/Shanghai)' })
  date: string;

  @Field(() => DutyRole)
  role: DutyRole;

  @Field()
  roleLabel: string;

  @Field({ description: 'username of the staff member on duty' })
  staff: string;

  @Field()
  setBy: string;

  @Field()
  setAt: Date;
}

@InputType()
export class SetDutyInput {
  @Field(() => String, { nullable: true, description: 'town code; omitted or null for the city command centre' })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string | null;

  @Field({ description: 'YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.schedule)
  date: string;

  @Field(() => DutyRole)
  @IsEnum(DutyRole)
  role: DutyRole;

  @Field({ description: 'username of the staff member on duty' })
  @IsString()
  @MaxLength(120)
  @Matches(/^[A-Za-z0-9._@-]{2,120}$/, { message: 'staff must be a username / 值班人员须为系统用户名' })
  staff: string;
}

@ArgsType()
export class DutyRosterArgs {
  @Field({ description: 'first day, YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.schedule)
  from: string;

  @Field({ description: 'last day, YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.schedule)
  to: string;
}
