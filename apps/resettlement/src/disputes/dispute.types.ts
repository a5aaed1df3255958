import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { DISPUTE_CATEGORY_LABELS, DisputeCategory, townName } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { CaseDispute } from './dispute.entity';
import { DISPUTE_SUMMARY_MAX } from './disputes.service';

registerEnumType(DisputeCategory, { name: 'ResettlementDisputeCategory', description: 'RS-13 矛盾纠纷类别', valuesMap: labelled(DISPUTE_CATEGORY_LABELS) });

@ObjectType('ResettlementDispute', { description: 'RS-13 矛盾纠纷 on an assistance case' })
export class CaseDisputeType {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => Town) town: Town;
  @Field(() => DisputeCategory) category: DisputeCategory;
  @Field() categoryLabel: string;
  @Field() occurredOn: string;
  @Field({ description: 'Kept in resettlement; never pushed / 纠纷简况（不推送）' }) summary: string;
  @Field() recordedAt: Date;
}

@InputType({ description: 'RS-13: a dispute found on an assistance case / 登记矛盾纠纷' })
export class RecordResettlementDisputeInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => DisputeCategory) @IsEnum(DisputeCategory) category: DisputeCategory;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) occurredOn: string;
  @Field({ description: `1 to ${DISPUTE_SUMMARY_MAX} characters / 纠纷简况` }) @IsString() @IsNotEmpty() @MaxLength(DISPUTE_SUMMARY_MAX) summary: string;
}

export function toCaseDisputeType(d: CaseDispute): CaseDisputeType {
  return {
    id: d.id,
    caseId: d.caseId,
    town: { code: d.town, name: townName(d.town) ?? d.town },
    category: d.category,
    categoryLabel: DISPUTE_CATEGORY_LABELS[d.category],
    occurredOn: d.occurredOn,
    summary: d.summary,
    recordedAt: d.createdAt,
  };
}
