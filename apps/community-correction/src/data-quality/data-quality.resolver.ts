import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DATA_RECORD_TYPE_LABELS, periodRange } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles } from '@homeward/platform';
import { STAFF_WRITERS } from '@homeward/platform';
import { DataQualityFindingType, DataQualityFindingsArgs, RecordDataCorrectionInput } from './data-quality.types';
import { AssessedRecord, DataQualityService } from './data-quality.service';

function toFinding(r: AssessedRecord): DataQualityFindingType {
  return {
    recordType: r.recordType,
    recordTypeLabel: DATA_RECORD_TYPE_LABELS[r.recordType],
    recordId: r.recordId,
    subjectId: r.subjectId,
    town: r.town,
    eventDate: r.eventDate,
    enteredOn: r.enteredOn,
    dueOn: r.dueOn,
    onTime: r.onTime,
    complete: r.complete,
    missingFields: r.missingFields,
    accurate: r.accurate,
  };
}

/** CC-29 for the town offices and the city (CITY_ADMIN / TOWN_OFFICER, the caller's towns only). */
@Resolver(() => DataQualityFindingType)
export class DataQualityResolver {
  constructor(private readonly quality: DataQualityService) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => [DataQualityFindingType], {
    description: "CC-29: records of a period in the caller's towns entered late, incomplete or later corrected / 数据质量问题清单",
  })
  async dataQualityFindings(@CurrentPrincipal() caller: Principal, @Args() args: DataQualityFindingsArgs): Promise<DataQualityFindingType[]> {
    const period = periodRange(args.period.kind, args.period.year, args.period.number);
    return (await this.quality.findings(caller, period, args.town)).map(toFinding);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => DataQualityFindingType, { description: 'CC-29: records that an entered record was corrected (K-DQ1 数据准确率) / 登记数据更正' })
  async recordDataCorrection(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordDataCorrectionInput): Promise<DataQualityFindingType> {
    return toFinding(await this.quality.recordCorrection(caller, input));
  }
}
