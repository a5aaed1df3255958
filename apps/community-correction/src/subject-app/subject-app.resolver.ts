import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role, parseLocalDate } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { ActivityKind } from '../check-ins/activity-hours.entity';
import { SubjectAppService } from './subject-app.service';
import {
  AppCheckInFailureConnection,
  AppCheckInInput,
  AppCheckInResultType,
  MyAssistanceRequestType,
  MyCheckInType,
  MyCorrectionType,
  MyFailedCheckInType,
  MyMessageType,
  MySelfReportedHoursType,
  OfficeListArgs,
  RejectHoursInput,
  ReportHoursInput,
  RequestAssistanceInput,
  SelfReportedHoursConnection,
  SelfReportedHoursType,
  SendSubjectMessageInput,
  SubjectMessageType,
  toCheckInResult,
  toFailure,
  toMyAssistance,
  toMyCheckIn,
  toMyCorrection,
  toMyFailedCheckIn,
  toMyHours,
  toMyMessage,
  toOfficeHours,
  toOfficeMessage,
} from './subject-app.types';

/** CC-21 在矫通: the subject's own record only (SUBJECT tokens). */
@Resolver()
export class SubjectAppResolver {
  constructor(private readonly service: SubjectAppService) {}

  @Roles(Role.SUBJECT)
  @Query(() => MyCorrectionType, { description: 'CC-21 在矫通: my obligations and deadlines / 我的矫正' })
  async myCorrection(@CurrentPrincipal() caller: Principal): Promise<MyCorrectionType> {
    return toMyCorrection(await this.service.myCorrection(caller));
  }

  @Roles(Role.SUBJECT)
  @Query(() => [MyCheckInType], { description: 'CC-21: my check-ins, newest first (phone/voice reports among them) / 我的报告记录' })
  async myCheckIns(@CurrentPrincipal() caller: Principal): Promise<MyCheckInType[]> {
    return (await this.service.myCheckIns(caller)).map(toMyCheckIn);
  }

  @Roles(Role.SUBJECT)
  @Query(() => [MyFailedCheckInType], { description: 'CC-21: my APP check-ins that failed the face match / 未通过的报到' })
  async myFailedCheckIns(@CurrentPrincipal() caller: Principal): Promise<MyFailedCheckInType[]> {
    return (await this.service.myFailedCheckIns(caller)).map(toMyFailedCheckIn);
  }

  @Roles(Role.SUBJECT)
  @Query(() => [MySelfReportedHoursType], { description: 'CC-21: hours I reported and whether they were confirmed / 我的自主申报' })
  async mySelfReportedHours(@CurrentPrincipal() caller: Principal): Promise<MySelfReportedHoursType[]> {
    return (await this.service.myHours(caller)).map(toMyHours);
  }

  @Roles(Role.SUBJECT)
  @Query(() => [MyAssistanceRequestType], { description: 'CC-21 / CC-18: my assistance requests and their status / 我的帮扶申请' })
  async myAssistanceRequests(@CurrentPrincipal() caller: Principal): Promise<MyAssistanceRequestType[]> {
    return (await this.service.myAssistance(caller)).map(toMyAssistance);
  }

  @Roles(Role.SUBJECT)
  @Query(() => [MyMessageType], { description: 'CC-21: messages from the justice office / 司法所消息' })
  async myMessages(@CurrentPrincipal() caller: Principal): Promise<MyMessageType[]> {
    return (await this.service.myMessages(caller)).map(toMyMessage);
  }

  @Roles(Role.SUBJECT)
  @Mutation(() => AppCheckInResultType, { description: 'CC-21: check in by APP now (face match and location from the device) / 在矫通报到' })
  async appCheckIn(@CurrentPrincipal() caller: Principal, @Args('input') input: AppCheckInInput): Promise<AppCheckInResultType> {
    return toCheckInResult(await this.service.appCheckIn(caller, input));
  }

  @Roles(Role.SUBJECT)
  @Mutation(() => MySelfReportedHoursType, { description: 'CC-21: report self-study hours (pending until the office confirms) / 申报自主学习' })
  async reportSelfStudy(@CurrentPrincipal() caller: Principal, @Args('input') input: ReportHoursInput): Promise<MySelfReportedHoursType> {
    return toMyHours(await this.service.reportHours(caller, ActivityKind.EDUCATION, { ...input, onDate: parseLocalDate(input.onDate, 'onDate') }));
  }

  @Roles(Role.SUBJECT)
  @Mutation(() => MySelfReportedHoursType, { description: 'CC-21: report self community-service hours (pending until the office confirms) / 申报自主公益' })
  async reportSelfCommunityService(@CurrentPrincipal() caller: Principal, @Args('input') input: ReportHoursInput): Promise<MySelfReportedHoursType> {
    return toMyHours(await this.service.reportHours(caller, ActivityKind.COMMUNITY_SERVICE, { ...input, onDate: parseLocalDate(input.onDate, 'onDate') }));
  }

  @Roles(Role.SUBJECT)
  @Mutation(() => MyAssistanceRequestType, { description: 'CC-21 / CC-18: ask the office for assistance / 申请帮扶' })
  async requestAssistance(@CurrentPrincipal() caller: Principal, @Args('input') input: RequestAssistanceInput): Promise<MyAssistanceRequestType> {
    return toMyAssistance(await this.service.requestAssistance(caller, input));
  }

  @Roles(Role.SUBJECT)
  @Mutation(() => MyMessageType, { description: 'CC-21: mark a message read / 标记已读' })
  async markMessageRead(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<MyMessageType> {
    return toMyMessage(await this.service.markMessageRead(caller, id));
  }
}

/** CC-21: the office's side of 在矫通 (town staff). */
@Resolver()
export class SubjectAppOfficeResolver {
  constructor(private readonly service: SubjectAppService) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => SelfReportedHoursConnection, { description: "CC-21: subjects' self-reported hours waiting for confirmation / 待确认的自主申报" })
  async pendingSelfReportedHours(@CurrentPrincipal() caller: Principal, @Args() args: OfficeListArgs): Promise<SelfReportedHoursConnection> {
    return toConnection(await this.service.pendingHours(caller, args), toOfficeHours);
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => AppCheckInFailureConnection, { description: 'CC-21: APP check-ins that failed the face match / 人脸比对未通过的报到' })
  async appCheckInFailures(@CurrentPrincipal() caller: Principal, @Args() args: OfficeListArgs): Promise<AppCheckInFailureConnection> {
    return toConnection(await this.service.failedCheckIns(caller, args), toFailure);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SelfReportedHoursType, { description: 'CC-21: confirm self-reported hours (they count as CC-9 hours) / 确认自主申报' })
  async confirmSelfReportedHours(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<SelfReportedHoursType> {
    return toOfficeHours(await this.service.confirmHours(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SelfReportedHoursType, { description: 'CC-21: not confirm self-reported hours, with a reason / 不予确认' })
  async rejectSelfReportedHours(@CurrentPrincipal() caller: Principal, @Args('input') input: RejectHoursInput): Promise<SelfReportedHoursType> {
    return toOfficeHours(await this.service.rejectHours(caller, input.id, input.reason));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SubjectMessageType, { description: 'CC-21: send the subject a message (在矫通) / 发送消息' })
  async sendSubjectMessage(@CurrentPrincipal() caller: Principal, @Args('input') input: SendSubjectMessageInput): Promise<SubjectMessageType> {
    return toOfficeMessage(await this.service.sendMessage(caller, input.subjectId, input.body));
  }
}
