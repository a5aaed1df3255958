import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PICK_UP_BY_LABELS, PickUpBy, townName } from '@homeward/domain';
import { ConnectionOf, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { PickUpDetails, Release } from './release.entity';

registerEnumType(PickUpBy, { name: 'PickUpBy', description: 'RS-5 接回方式', valuesMap: labelled(PICK_UP_BY_LABELS) });

@ObjectType('PickUp', { description: 'RS-5 接回记录' })
export class PickUpType {
  @Field(() => PickUpBy) by: PickUpBy;
  @Field() byLabel: string;
  @Field() at: Date;
  @Field() collectorName: string;
  @Field() relationship: string;
  @Field() place: string;
}

@ObjectType('Release', { description: 'RS-5 刑满释放' })
export class ReleaseType {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true }) noticeId: string | null;
  @Field(() => Town, { nullable: true }) town: Town | null;
  @Field(() => Person) person: Person;
  @Field() actualReleaseDate: string;
  @Field() keyPerson: boolean;
  @Field({ description: 'RS-5 接回期限' }) pickUpDue: string;
  @Field({ description: 'RS-6 危险性评估期限' }) riskAssessmentDue: string;
  @Field({ description: 'RS-6 移交公安期限' }) policeHandOverDue: string;
  @Field(() => ID, { nullable: true }) caseId: string | null;
  @Field(() => PickUpType, { nullable: true }) pickUp: PickUpType | null;
  @Field({ description: 'a key person not picked up past the due day / 未按期接回' }) pickUpLate: boolean;
}

@ObjectType()
export class ReleaseConnection extends ConnectionOf(ReleaseType, 'Release') {}

@ArgsType()
export class TownListArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
}

@InputType({ description: 'RS-5: who collected the person, when and where / 接回记录' })
export class RecordPickUpInput {
  @Field(() => ID) @IsUUID() releaseId: string;
  @Field(() => PickUpBy) @IsEnum(PickUpBy) by: PickUpBy;
  @Field() @IsString() @IsNotEmpty() @MaxLength(100) collectorName: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(40) relationship: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) place: string;
  @Field(() => Date, { nullable: true, description: 'default now / 默认当前时间' }) @IsOptional() @IsDate() at?: Date | null;
}

export function toReleaseType(r: Release, today: string): ReleaseType {
  const p = r.pickUpJson ? (JSON.parse(r.pickUpJson) as PickUpDetails) : null;
  return {
    id: r.id,
    noticeId: r.noticeId,
    town: r.town ? { code: r.town, name: townName(r.town) ?? r.town } : null,
    person: { key: r.personKey },
    actualReleaseDate: r.actualReleaseDate,
    keyPerson: r.keyPerson,
    pickUpDue: r.pickUpDue,
    riskAssessmentDue: r.riskAssessmentDue,
    policeHandOverDue: r.policeHandOverDue,
    caseId: r.caseId,
    pickUp:
      p && r.pickedUpAt && r.pickedUpBy
        ? { by: r.pickedUpBy, byLabel: PICK_UP_BY_LABELS[r.pickedUpBy], at: r.pickedUpAt, collectorName: p.collectorName, relationship: p.relationship, place: p.place }
        : null,
    pickUpLate: r.keyPerson && !r.pickedUpAt && r.pickUpDue < today,
  };
}
