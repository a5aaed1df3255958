import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ReoffenceReport } from './reoffence-report.entity';

@ObjectType('ReoffenceReport', { description: 'RS-8 重新犯罪' })
export class ReoffenceReportType {
  @Field(() => ID) id: string;
  @Field() offenceDate: string;
  @Field({ description: '案件编号' }) caseNo: string;
  @Field() reportedOn: string;
}

export const toReoffenceType = (r: ReoffenceReport): ReoffenceReportType => ({ id: r.id, offenceDate: r.offenceDate, caseNo: r.caseNo, reportedOn: r.reportedOn });
