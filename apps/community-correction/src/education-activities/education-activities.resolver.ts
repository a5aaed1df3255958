import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, encodeCursor, toConnection } from '@homeward/platform';
import { EducationActivitiesService } from './education-activities.service';
import {
  EducationAttendanceType,
  EducationSessionConnection,
  EducationSessionDetailType,
  EducationSessionType,
  EducationSessionsArgs,
  IntensiveTrainingDueArgs,
  IntensiveTrainingDueConnection,
  RecordEducationAttendanceInput,
  RecordEducationSessionInput,
  toAttendanceType,
  toIntensiveDueType,
  toSessionDetailType,
  toSessionType,
} from './education-activities.types';

/** CC-26 intensive training (短期集训) and education activities (三个专项活动). */
@Resolver()
export class EducationActivitiesResolver {
  constructor(private readonly service: EducationActivitiesService) {}

  @Roles(...STAFF_READERS)
  @Query(() => EducationSessionConnection, { description: "CC-26: education sessions of the caller's towns / 集中教育活动" })
  async educationSessions(@CurrentPrincipal() caller: Principal, @Args() args: EducationSessionsArgs): Promise<EducationSessionConnection> {
    return toConnection(await this.service.list(caller, args), toSessionType);
  }

  @Roles(...STAFF_READERS)
  @Query(() => EducationSessionDetailType, { description: 'CC-26: a session with its attendances / 活动详情' })
  async educationSession(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<EducationSessionDetailType> {
    return toSessionDetailType(await this.service.detail(caller, id));
  }

  @Roles(...STAFF_READERS)
  @Query(() => IntensiveTrainingDueConnection, { description: 'CC-26: subjects in their first month with no intensive training yet / 入矫首月尚未参加短期集训的对象' })
  async intensiveTrainingDue(@CurrentPrincipal() caller: Principal, @Args() args: IntensiveTrainingDueArgs): Promise<IntensiveTrainingDueConnection> {
    return toConnection(await this.service.intensiveTrainingDue(caller, args), toIntensiveDueType, (d) => encodeCursor(d.subject));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => EducationSessionType, { description: 'CC-26: record an education session / 登记教育活动' })
  async recordEducationSession(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordEducationSessionInput): Promise<EducationSessionType> {
    return toSessionType(await this.service.recordSession(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => EducationAttendanceType, { description: 'CC-26: a subject attended (hours logged as education, CC-9) / 登记对象参加活动' })
  async recordEducationAttendance(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordEducationAttendanceInput): Promise<EducationAttendanceType> {
    return toAttendanceType(await this.service.recordAttendance(caller, input));
  }
}
