import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import {
  KEY_CATEGORY_LABELS,
  KeyCategory,
  ReceiptStatus,
  VERIFICATION_ITEM_LABELS,
  VERIFICATION_RESULT_LABELS,
  VerificationItem,
  VerificationResult,
  townName,
} from '@homeward/domain';
import { ConnectionOf, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { KeyCategoryChange, PreReleaseNotice } from './pre-release-notice.entity';

registerEnumType(KeyCategory, { name: 'KeyCategory', description: 'RS-3 重点人员类别', valuesMap: labelled(KEY_CATEGORY_LABELS) });
registerEnumType(VerificationItem, { name: 'VerificationItem', description: 'RS-2 核查项目', valuesMap: labelled(VERIFICATION_ITEM_LABELS) });
registerEnumType(VerificationResult, { name: 'VerificationResult', description: 'RS-2 核查结果', valuesMap: labelled(VERIFICATION_RESULT_LABELS) });
registerEnumType(ReceiptStatus, { name: 'ReceiptStatus', description: 'RS-2 回执 PENDING 待发送 / SENT 已发送' });

@ObjectType('PreReleaseNotice', { description: 'RS-1 预释放人员信息' })
export class PreReleaseNoticeType {
  @Field(() => ID) id: string;
  @Field(() => Town, { nullable: true, description: 'null while in the city queue / 市局待分配' }) town: Town | null;
  @Field(() => Person) person: Person;
  @Field() name: string;
  @Field() maskedIdNumber: string;
  @Field({ description: 'RESIDENCE, REGISTRATION, ASSIGNED or CITY_QUEUE' }) matchedBy: string;
  @Field() expectedReleaseDate: string;
  @Field() offence: string;
  @Field() sentence: string;
  @Field(() => [KeyCategory]) keyCategories: KeyCategory[];
  @Field(() => [String]) keyCategoryLabels: string[];
  @Field({ description: 'RS-3 重点人员' }) keyPerson: boolean;
  @Field({ description: 'RS-4 申请签订帮教协议' }) agreementApplied: boolean;
  @Field() receivedOn: string;
  @Field({ description: 'RS-2 核查及回执期限' }) verificationDue: string;
  @Field({ description: 'verification or receipt pending past the due day / 逾期' }) overdue: boolean;
  @Field(() => VerificationResult, { nullable: true }) verification: VerificationResult | null;
  @Field(() => String, { nullable: true }) verificationLabel: string | null;
  @Field(() => String, { nullable: true }) verifiedOn: string | null;
  @Field(() => ReceiptStatus) receiptStatus: ReceiptStatus;
  @Field(() => Date, { nullable: true }) receiptSentAt: Date | null;
  @Field() receivedAt: Date;
}

@ObjectType()
export class PreReleaseNoticeConnection extends ConnectionOf(PreReleaseNoticeType, 'PreReleaseNotice') {}

@ArgsType()
export class NoticesToHandleArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
}

@ArgsType()
export class CityNoticeQueueArgs extends PageArgs {}

@InputType()
export class VerificationItemInput {
  @Field(() => VerificationItem) @IsEnum(VerificationItem) item: VerificationItem;
  @Field() @IsBoolean() matches: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string | null;
}

@InputType({ description: 'RS-2: the town office\'s verification item by item / 逐项核查' })
export class VerifyPreReleaseNoticeInput {
  @Field(() => ID) @IsUUID() noticeId: string;
  @Field(() => [VerificationItemInput]) @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => VerificationItemInput) items: VerificationItemInput[];
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) notes?: string | null;
}

@InputType({ description: 'RS-1: the city office gives a notice its town / 指定镇街' })
export class AssignNoticeTownInput {
  @Field(() => ID) @IsUUID() noticeId: string;
  @Field() @IsTownCode() town: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

@ObjectType('ResettlementKeyCategoryChange', { description: 'RS-3 a change of the key-person categories, with its reason / 重点人员类别变更记录' })
export class KeyCategoryChangeType {
  @Field(() => ID) id: string;
  @Field(() => [KeyCategory]) before: KeyCategory[];
  @Field(() => [String]) beforeLabels: string[];
  @Field(() => [KeyCategory]) after: KeyCategory[];
  @Field(() => [String]) afterLabels: string[];
  @Field() reason: string;
  @Field() changedAt: Date;
}

export function toKeyCategoryChangeType(c: KeyCategoryChange): KeyCategoryChangeType {
  return {
    id: c.id,
    before: c.before,
    beforeLabels: c.before.map((k) => KEY_CATEGORY_LABELS[k]),
    after: c.after,
    afterLabels: c.after.map((k) => KEY_CATEGORY_LABELS[k]),
    reason: c.reason,
    changedAt: c.changedAt,
  };
}

@InputType({ description: 'RS-3: new key-person categories with a reason / 变更重点人员类别' })
export class ChangeKeyCategoriesInput {
  @Field(() => ID) @IsUUID() noticeId: string;
  @Field(() => [KeyCategory]) @ArrayMaxSize(20) @IsEnum(KeyCategory, { each: true }) categories: KeyCategory[];
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export function toNoticeType(n: PreReleaseNotice, today: string): PreReleaseNoticeType {
  return {
    id: n.id,
    town: n.town ? { code: n.town, name: townName(n.town) ?? n.town } : null,
    person: { key: n.personKey },
    name: n.name,
    maskedIdNumber: n.maskedIdNumber,
    matchedBy: n.matchedBy,
    expectedReleaseDate: n.expectedReleaseDate,
    offence: n.offence,
    sentence: n.sentence,
    keyCategories: n.keyCategories,
    keyCategoryLabels: n.keyCategories.map((k) => KEY_CATEGORY_LABELS[k] ?? k),
    keyPerson: n.keyPerson,
    agreementApplied: n.agreementApplied,
    receivedOn: n.receivedOn,
    verificationDue: n.verificationDue,
    overdue: (n.verification === null || n.receiptStatus === ReceiptStatus.PENDING) && n.verificationDue < today,
    verification: n.verification,
    verificationLabel: n.verification ? VERIFICATION_RESULT_LABELS[n.verification] : null,
    verifiedOn: n.verifiedOn,
    receiptStatus: n.receiptStatus,
    receiptSentAt: n.receiptSentAt,
    receivedAt: n.createdAt,
  };
}
