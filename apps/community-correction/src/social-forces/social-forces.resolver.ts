import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { SocialOrganisationsService } from './social-organisations.service';
import { VolunteersService } from './volunteers.service';
import {
  AddOrganisationStaffInput,
  AssessVolunteerInput,
  ContractCorrectionProjectInput,
  CorrectionProjectType,
  EndOrganisationStaffInput,
  EndVolunteerServiceInput,
  OrganisationDetailType,
  OrganisationStaffType,
  ProjectOutputType,
  RecordProjectOutputInput,
  RecordVolunteerTrainingInput,
  RecruitVolunteerInput,
  RegisterSocialOrganisationInput,
  ServeSubjectInput,
  SetCorrectionProjectStatusInput,
  SetSocialOrganisationStatusInput,
  SocialOrganisationConnection,
  SocialOrganisationType,
  SocialOrganisationsArgs,
  VolunteerAssessmentType,
  VolunteerConnection,
  VolunteerDetailType,
  VolunteerServiceType,
  VolunteerTrainingType,
  VolunteerType,
  VolunteersArgs,
  WithdrawVolunteerInput,
  toAssessmentType,
  toOrganisationDetailType,
  toOrganisationType,
  toOutputType,
  toProjectType,
  toStaffType,
  toTrainingType,
  toVolunteerDetailType,
  toVolunteerServiceType,
  toVolunteerType,
} from './social-forces.types';

/** CC-22 volunteers (志愿者). */
@Resolver()
export class VolunteersResolver {
  constructor(private readonly service: VolunteersService) {}

  @Roles(...STAFF_READERS)
  @Query(() => VolunteerConnection, { description: "CC-22: volunteers of the caller's towns / 志愿者名册" })
  async volunteers(@CurrentPrincipal() caller: Principal, @Args() args: VolunteersArgs): Promise<VolunteerConnection> {
    return toConnection(await this.service.list(caller, args), toVolunteerType);
  }

  @Roles(...STAFF_READERS)
  @Query(() => VolunteerDetailType, { description: 'CC-22: a volunteer with trainings, assessments and subjects served / 志愿者详情' })
  async volunteer(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<VolunteerDetailType> {
    return toVolunteerDetailType(await this.service.detail(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VolunteerType, { description: 'CC-22: recruit a volunteer / 招募志愿者' })
  async recruitVolunteer(@CurrentPrincipal() caller: Principal, @Args('input') input: RecruitVolunteerInput): Promise<VolunteerType> {
    return toVolunteerType(await this.service.recruit(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VolunteerType, { description: 'CC-22: a volunteer withdraws (ends the subjects served) / 志愿者退出' })
  async withdrawVolunteer(@CurrentPrincipal() caller: Principal, @Args('input') input: WithdrawVolunteerInput): Promise<VolunteerType> {
    return toVolunteerType(await this.service.withdraw(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VolunteerTrainingType, { description: 'CC-22: a training the volunteer attended / 志愿者参加培训' })
  async recordVolunteerTraining(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordVolunteerTrainingInput): Promise<VolunteerTrainingType> {
    return toTrainingType(await this.service.recordTraining(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VolunteerAssessmentType, { description: 'CC-22: the yearly assessment, one per year / 志愿者年度考核' })
  async assessVolunteer(@CurrentPrincipal() caller: Principal, @Args('input') input: AssessVolunteerInput): Promise<VolunteerAssessmentType> {
    return toAssessmentType(await this.service.assess(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VolunteerServiceType, { description: 'CC-22: the volunteer starts serving a subject of its town / 志愿者结对帮教' })
  async serveSubject(@CurrentPrincipal() caller: Principal, @Args('input') input: ServeSubjectInput): Promise<VolunteerServiceType> {
    return toVolunteerServiceType(await this.service.serveSubject(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VolunteerServiceType, { description: 'CC-22: the volunteer stops serving the subject / 结束结对帮教' })
  async endVolunteerService(@CurrentPrincipal() caller: Principal, @Args('input') input: EndVolunteerServiceInput): Promise<VolunteerServiceType> {
    return toVolunteerServiceType(await this.service.endService(caller, { linkId: input.serviceId, toDate: input.toDate }));
  }
}

/** CC-22 social organisations (社会组织) and their correction projects (政府购买服务). */
@Resolver()
export class SocialOrganisationsResolver {
  constructor(private readonly service: SocialOrganisationsService) {}

  @Roles(...STAFF_READERS)
  @Query(() => SocialOrganisationConnection, { description: "CC-22: social organisations of the caller's towns and the city-wide ones / 社会组织" })
  async socialOrganisations(@CurrentPrincipal() caller: Principal, @Args() args: SocialOrganisationsArgs): Promise<SocialOrganisationConnection> {
    return toConnection(await this.service.list(caller, args), toOrganisationType);
  }

  @Roles(...STAFF_READERS)
  @Query(() => OrganisationDetailType, { description: 'CC-22: an organisation with its staff, projects and outputs / 社会组织详情' })
  async socialOrganisation(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<OrganisationDetailType> {
    return toOrganisationDetailType(await this.service.detail(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SocialOrganisationType, { description: 'CC-22: register a social organisation (city-wide: CITY_ADMIN only) / 登记社会组织' })
  async registerSocialOrganisation(@CurrentPrincipal() caller: Principal, @Args('input') input: RegisterSocialOrganisationInput): Promise<SocialOrganisationType> {
    return toOrganisationType(await this.service.register(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SocialOrganisationType, { description: 'CC-22: an organisation stops or resumes / 社会组织停用或恢复' })
  async setSocialOrganisationStatus(@CurrentPrincipal() caller: Principal, @Args('input') input: SetSocialOrganisationStatusInput): Promise<SocialOrganisationType> {
    return toOrganisationType(await this.service.setStatus(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => OrganisationStaffType, { description: 'CC-22: a member of staff joins / 社会组织工作人员' })
  async addSocialOrganisationStaff(@CurrentPrincipal() caller: Principal, @Args('input') input: AddOrganisationStaffInput): Promise<OrganisationStaffType> {
    return toStaffType(await this.service.addStaff(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => OrganisationStaffType, { description: 'CC-22: a member of staff left / 工作人员离职' })
  async endSocialOrganisationStaff(@CurrentPrincipal() caller: Principal, @Args('input') input: EndOrganisationStaffInput): Promise<OrganisationStaffType> {
    return toStaffType(await this.service.endStaff(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionProjectType, { description: 'CC-22: a correction project taken on (政府购买服务) / 承接社区矫正项目' })
  async contractCorrectionProject(@CurrentPrincipal() caller: Principal, @Args('input') input: ContractCorrectionProjectInput): Promise<CorrectionProjectType> {
    return toProjectType(await this.service.contractProject(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionProjectType, { description: 'CC-22: a project completed or terminated / 项目结项或终止' })
  async setCorrectionProjectStatus(@CurrentPrincipal() caller: Principal, @Args('input') input: SetCorrectionProjectStatusInput): Promise<CorrectionProjectType> {
    return toProjectType(await this.service.setProjectStatus(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ProjectOutputType, { description: 'CC-22: an output of a project / 登记项目服务成效' })
  async recordCorrectionProjectOutput(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordProjectOutputInput): Promise<ProjectOutputType> {
    return toOutputType(await this.service.recordOutput(caller, input));
  }
}
