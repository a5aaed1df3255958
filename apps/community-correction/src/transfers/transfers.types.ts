import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { RESIDENCE_TRANSFER_STATUS_LABELS, ResidenceTransferStatus, townName } from '@homeward/domain';
import { Town } from '@homeward/platform';
import { ResidenceTransfer } from './residence-transfer.entity';

registerEnumType(ResidenceTransferStatus, {
  name: 'ResidenceTransferStatus',
  description: 'CC-13 变更执行地移交',
  valuesMap: Object.fromEntries(Object.entries(RESIDENCE_TRANSFER_STATUS_LABELS).map(([k, v]) => [k, { description: v }])),
});

@ObjectType('ResidenceHandover', { description: 'What went with the case / 移交内容 (counts only)' })
export class ResidenceHandoverType {
  @Field(() => Int, { nullable: true, description: 'archive documents handed over / 移交档案材料数' }) archiveDocuments: number | null;
  @Field(() => Int, { nullable: true, description: 'social-worker assignments ended / 结束的社工分配数' }) assignmentsEnded: number | null;
  @Field(() => Int, { nullable: true, description: 'correction team members ended / 结束的矫正小组成员数' }) teamMembersEnded: number | null;
  @Field(() => Int, { nullable: true, description: 'electronic locations ended / 解除的电子定位数' }) monitoringsEnded: number | null;
  @Field(() => Int, { nullable: true, description: 'volunteer services of the old town ended / 结束的原执行地志愿者帮扶数' }) volunteerServicesEnded: number | null;
}

@ObjectType('ResidenceTransfer', { description: 'CC-13: a change of residence that moves the case; out of Jiangyin the hand-over record / 变更执行地移交记录' })
export class ResidenceTransferType {
  @Field(() => ID) id: string;
  @Field(() => ID, { description: 'the approved RESIDENCE_CHANGE request' }) leaveId: string;
  @Field(() => Town, { description: 'the town the case leaves / 原执行地' }) fromTown: Town;
  @Field(() => Town, { nullable: true, description: 'the new town within Jiangyin / 新执行地' }) toTown: Town | null;
  @Field(() => String, { nullable: true, description: 'out of Jiangyin: the receiving county\'s area code / 接收地行政区划代码' }) receivingCountyCode: string | null;
  @Field(() => String, { nullable: true, description: 'out of Jiangyin: the receiving body / 接收地社区矫正机构' }) receivingAuthority: string | null;
  @Field({ description: 'the day the case moves / 移交日期' }) effectiveDate: string;
  @Field(() => ResidenceTransferStatus) status: ResidenceTransferStatus;
  @Field() statusLabel: string;
  @Field() approvedBy: string;
  @Field(() => Date, { nullable: true }) appliedAt: Date | null;
  @Field(() => ResidenceHandoverType) handover: ResidenceHandoverType;
}

export function toTransferType(t: ResidenceTransfer): ResidenceTransferType {
  return {
    id: t.id,
    leaveId: t.leaveId,
    fromTown: { code: t.fromTown, name: townName(t.fromTown) },
    toTown: t.toTown ? { code: t.toTown, name: townName(t.toTown) } : null,
    receivingCountyCode: t.receivingCountyCode,
    receivingAuthority: t.receivingAuthority,
    effectiveDate: t.effectiveDate,
    status: t.status,
    statusLabel: RESIDENCE_TRANSFER_STATUS_LABELS[t.status],
    approvedBy: t.approvedBy,
    appliedAt: t.appliedAt,
    handover: {
      archiveDocuments: t.handover.archiveDocuments ?? null,
      assignmentsEnded: t.handover.assignmentsEnded ?? null,
      teamMembersEnded: t.handover.teamMembersEnded ?? null,
      monitoringsEnded: t.handover.monitoringsEnded ?? null,
      volunteerServicesEnded: t.handover.volunteerServicesEnded ?? null,
    },
  };
}
