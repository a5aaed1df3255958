import { ArgsType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { AFTERCARE_LEDGER_KIND_LABELS, AftercareLedgerKind, townName } from '@homeward/domain';
import { ConnectionOf, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { labelled } from '../common/labelled';
import { LedgerLine } from './ledgers.service';

registerEnumType(AftercareLedgerKind, { name: 'AftercareLedgerKind', description: 'AC-7 服务站台账类型', valuesMap: labelled(AFTERCARE_LEDGER_KIND_LABELS) });

@ObjectType('AftercareLedgerLine', { description: 'AC-7 台账记录' })
export class AftercareLedgerLineType {
  @Field(() => ID) id: string;
  @Field(() => AftercareLedgerKind) kind: AftercareLedgerKind;
  @Field() kindLabel: string;
  @Field(() => ID, { nullable: true }) caseId: string | null;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => String, { nullable: true, description: 'masked ID number / 脱敏身份证号' }) maskedIdNumber: string | null;
  @Field({ description: 'the day of the record / 日期' }) date: string;
  @Field({ description: 'match, IN_TIME / LATE, follow-up kind, test result, relapse source or closure reason' }) code: string;
  @Field({ description: '中文说明' }) description: string;
}

@ObjectType()
export class AftercareLedgerConnection extends ConnectionOf(AftercareLedgerLineType, 'AftercareLedgerLine') {}

@ArgsType()
export class AftercareLedgerArgs extends PageArgs {
  @Field(() => AftercareLedgerKind) @IsEnum(AftercareLedgerKind) kind: AftercareLedgerKind;
  @Field({ nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field({ nullable: true, description: '开始日期' }) @IsOptional() @IsLocalDate() from?: string;
  @Field({ nullable: true, description: '结束日期' }) @IsOptional() @IsLocalDate() to?: string;
}

export function toLedgerLineType(l: LedgerLine): AftercareLedgerLineType {
  return {
    id: l.id,
    kind: l.kind,
    kindLabel: AFTERCARE_LEDGER_KIND_LABELS[l.kind],
    caseId: l.caseId,
    town: { code: l.town, name: townName(l.town) ?? l.town },
    person: { key: l.personKey },
    maskedIdNumber: l.maskedIdNumber,
    date: l.date,
    code: l.code,
    description: l.description,
  };
}
