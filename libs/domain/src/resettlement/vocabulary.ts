/**
 * The vocabulary of resettlement and assistance (安置帮教, docs/domain.md RS-1 … RS-13): the
 * values the resettlement service stores and the partner API accepts, with the Chinese labels
 * staff read.
 */

/** RS-3 key-person categories (重点帮教对象). Anyone with none of them is GENERAL. */
export enum KeyCategory {
  DEPRIVED_OF_POLITICAL_RIGHTS = 'DEPRIVED_OF_POLITICAL_RIGHTS',
  NATIONAL_SECURITY = 'NATIONAL_SECURITY',
  THREE_FALSES = 'THREE_FALSES',
  RESIDENCE_MISMATCH = 'RESIDENCE_MISMATCH',
  SERIOUS_ILLNESS = 'SERIOUS_ILLNESS',
  POOR_CONDUCT = 'POOR_CONDUCT',
  HIGH_REOFFENDING_RISK = 'HIGH_REOFFENDING_RISK',
}

export const KEY_CATEGORY_LABELS: Record<KeyCategory, string> = {
  [KeyCategory.DEPRIVED_OF_POLITICAL_RIGHTS]: '剥夺政治权利',
  [KeyCategory.NATIONAL_SECURITY]: '危害国家安全罪',
  [KeyCategory.THREE_FALSES]: '三假（假姓名、假地址、假身份）',
  [KeyCategory.RESIDENCE_MISMATCH]: '人户分离',
  [KeyCategory.SERIOUS_ILLNESS]: '释放时患严重疾病未治愈',
  [KeyCategory.POOR_CONDUCT]: '服刑期间表现差',
  [KeyCategory.HIGH_REOFFENDING_RISK]: '重新犯罪风险高',
};

/** RS-2 the town office's verification result (核查结果). */
export enum VerificationResult {
  VERIFIED = 'VERIFIED',
  DISCREPANCY = 'DISCREPANCY',
}

export const VERIFICATION_RESULT_LABELS: Record<VerificationResult, string> = {
  [VerificationResult.VERIFIED]: '核查属实',
  [VerificationResult.DISCREPANCY]: '核查有出入',
};

/** RS-2 what the verification covers; each item is checked and may carry a note. */
export enum VerificationItem {
  HOUSEHOLD_REGISTRATION = 'HOUSEHOLD_REGISTRATION',
  ACTUAL_RESIDENCE = 'ACTUAL_RESIDENCE',
  FAMILY = 'FAMILY',
  IDENTITY = 'IDENTITY',
}

export const VERIFICATION_ITEM_LABELS: Record<VerificationItem, string> = {
  [VerificationItem.HOUSEHOLD_REGISTRATION]: '户籍',
  [VerificationItem.ACTUAL_RESIDENCE]: '实际居住地',
  [VerificationItem.FAMILY]: '家庭情况',
  [VerificationItem.IDENTITY]: '身份',
};

/** RS-2 the receipt (衔接回执) as the prison reads it. */
export enum ReceiptStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
}

/** RS-6 risk assessment (危险性评估). */
export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = {
  [RiskLevel.LOW]: '低',
  [RiskLevel.MEDIUM]: '中',
  [RiskLevel.HIGH]: '高',
};

/** RS-7 welfare referrals (社会救助), each with a status. */
export enum WelfareKind {
  MINIMUM_LIVING_ALLOWANCE = 'MINIMUM_LIVING_ALLOWANCE',
  EXTREME_POVERTY_SUPPORT = 'EXTREME_POVERTY_SUPPORT',
  MEDICAL = 'MEDICAL',
  EDUCATION = 'EDUCATION',
  HOUSING = 'HOUSING',
  TEMPORARY_RELIEF = 'TEMPORARY_RELIEF',
}

export const WELFARE_KIND_LABELS: Record<WelfareKind, string> = {
  [WelfareKind.MINIMUM_LIVING_ALLOWANCE]: '最低生活保障',
  [WelfareKind.EXTREME_POVERTY_SUPPORT]: '特困供养',
  [WelfareKind.MEDICAL]: '医疗救助',
  [WelfareKind.EDUCATION]: '教育救助',
  [WelfareKind.HOUSING]: '住房救助',
  [WelfareKind.TEMPORARY_RELIEF]: '临时救助',
};

/** RS-7 employment services (就业服务). */
export enum EmploymentServiceKind {
  UNEMPLOYMENT_REGISTRATION = 'UNEMPLOYMENT_REGISTRATION',
  SKILLS_TRAINING = 'SKILLS_TRAINING',
  JOB_REFERRAL = 'JOB_REFERRAL',
}

export const EMPLOYMENT_SERVICE_KIND_LABELS: Record<EmploymentServiceKind, string> = {
  [EmploymentServiceKind.UNEMPLOYMENT_REGISTRATION]: '失业登记',
  [EmploymentServiceKind.SKILLS_TRAINING]: '技能培训',
  [EmploymentServiceKind.JOB_REFERRAL]: '职业介绍',
};

/** RS-7 resettlement status (安置情况). */
export enum ResettlementStatus {
  EMPLOYED = 'EMPLOYED',
  SELF_EMPLOYED = 'SELF_EMPLOYED',
  FLEXIBLE = 'FLEXIBLE',
  BASE_PLACEMENT = 'BASE_PLACEMENT',
  WELFARE = 'WELFARE',
  NOT_RESETTLED = 'NOT_RESETTLED',
}

export const RESETTLEMENT_STATUS_LABELS: Record<ResettlementStatus, string> = {
  [ResettlementStatus.EMPLOYED]: '就业',
  [ResettlementStatus.SELF_EMPLOYED]: '自主创业',
  [ResettlementStatus.FLEXIBLE]: '灵活就业',
  [ResettlementStatus.BASE_PLACEMENT]: '基地安置',
  [ResettlementStatus.WELFARE]: '纳入社会保障',
  [ResettlementStatus.NOT_RESETTLED]: '未安置',
};

/** RS-5 who collected the person at the gate (必接必送). */
export enum PickUpBy {
  OFFICE_STAFF = 'OFFICE_STAFF',
  FAMILY = 'FAMILY',
  VILLAGE_COMMITTEE = 'VILLAGE_COMMITTEE',
}

export const PICK_UP_BY_LABELS: Record<PickUpBy, string> = {
  [PickUpBy.OFFICE_STAFF]: '司法所工作人员',
  [PickUpBy.FAMILY]: '家属',
  [PickUpBy.VILLAGE_COMMITTEE]: '村（居）委会',
};

/** RS-11 kinds of resettlement base (安置基地). */
export enum BaseKind {
  TRANSITIONAL = 'TRANSITIONAL',
  SELF_RUN = 'SELF_RUN',
  HOST_RUN = 'HOST_RUN',
}

export const BASE_KIND_LABELS: Record<BaseKind, string> = {
  [BaseKind.TRANSITIONAL]: '过渡性安置基地',
  [BaseKind.SELF_RUN]: '自办安置基地',
  [BaseKind.HOST_RUN]: '依托企业安置基地',
};

/** RS-13 departments that subscribe to information pushes (信息推送). */
export enum PushDepartment {
  CIVIL_AFFAIRS = 'CIVIL_AFFAIRS',
  HEALTH = 'HEALTH',
  HUMAN_RESOURCES_SOCIAL_SECURITY = 'HUMAN_RESOURCES_SOCIAL_SECURITY',
  POLICE = 'POLICE',
}

export const PUSH_DEPARTMENT_LABELS: Record<PushDepartment, string> = {
  [PushDepartment.CIVIL_AFFAIRS]: '民政部门',
  [PushDepartment.HEALTH]: '卫生健康部门',
  [PushDepartment.HUMAN_RESOURCES_SOCIAL_SECURITY]: '人力资源和社会保障部门',
  [PushDepartment.POLICE]: '公安机关',
};

/** RS-13 categories of a dispute (矛盾纠纷) recorded on an assistance case; pushed as DISPUTE. */
export enum DisputeCategory {
  FAMILY = 'FAMILY',
  NEIGHBOURHOOD = 'NEIGHBOURHOOD',
  LAND_HOUSING = 'LAND_HOUSING',
  LABOUR = 'LABOUR',
  DEBT = 'DEBT',
  COMPENSATION = 'COMPENSATION',
  OTHER = 'OTHER',
}

export const DISPUTE_CATEGORY_LABELS: Record<DisputeCategory, string> = {
  [DisputeCategory.FAMILY]: '婚姻家庭纠纷',
  [DisputeCategory.NEIGHBOURHOOD]: '邻里纠纷',
  [DisputeCategory.LAND_HOUSING]: '土地房屋纠纷',
  [DisputeCategory.LABOUR]: '劳动争议',
  [DisputeCategory.DEBT]: '债务纠纷',
  [DisputeCategory.COMPENSATION]: '损害赔偿纠纷',
  [DisputeCategory.OTHER]: '其他纠纷',
};

/** RS-6 who is on an assistance team (帮教小组) of an assistance case. */
export enum AssistanceTeamRole {
  TOWN_OFFICER = 'TOWN_OFFICER',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  FAMILY = 'FAMILY',
  VOLUNTEER = 'VOLUNTEER',
  GRID_WORKER = 'GRID_WORKER',
  POLICE_OFFICER = 'POLICE_OFFICER',
  EMPLOYER = 'EMPLOYER',
}

export const ASSISTANCE_TEAM_ROLE_LABELS: Record<AssistanceTeamRole, string> = {
  [AssistanceTeamRole.TOWN_OFFICER]: '司法所工作人员',
  [AssistanceTeamRole.SOCIAL_WORKER]: '社工',
  [AssistanceTeamRole.FAMILY]: '家庭成员',
  [AssistanceTeamRole.VOLUNTEER]: '志愿者',
  [AssistanceTeamRole.GRID_WORKER]: '网格员',
  [AssistanceTeamRole.POLICE_OFFICER]: '社区民警',
  [AssistanceTeamRole.EMPLOYER]: '用工单位',
};

/** RS-6 team roles that are not staff of the justice system: they never carry a staff user id. */
export const NON_STAFF_TEAM_ROLES: readonly AssistanceTeamRole[] = Object.freeze([AssistanceTeamRole.FAMILY, AssistanceTeamRole.VOLUNTEER, AssistanceTeamRole.EMPLOYER]);

/** RS-6 kinds of measure of an assistance plan (帮教方案). */
export enum AssistanceMeasureKind {
  EMPLOYMENT = 'EMPLOYMENT',
  WELFARE = 'WELFARE',
  HOUSING = 'HOUSING',
  EDUCATION = 'EDUCATION',
  PSYCHOLOGICAL = 'PSYCHOLOGICAL',
  FAMILY = 'FAMILY',
  OTHER = 'OTHER',
}

export const ASSISTANCE_MEASURE_KIND_LABELS: Record<AssistanceMeasureKind, string> = {
  [AssistanceMeasureKind.EMPLOYMENT]: '就业帮扶',
  [AssistanceMeasureKind.WELFARE]: '社会救助',
  [AssistanceMeasureKind.HOUSING]: '住房安置',
  [AssistanceMeasureKind.EDUCATION]: '教育培训',
  [AssistanceMeasureKind.PSYCHOLOGICAL]: '心理疏导',
  [AssistanceMeasureKind.FAMILY]: '家庭关系修复',
  [AssistanceMeasureKind.OTHER]: '其他措施',
};

/** RS-13 kinds of information a department may subscribe to. */
export enum PushKind {
  WELFARE_REFERRAL = 'WELFARE_REFERRAL',
  HEALTH = 'HEALTH',
  HARDSHIP = 'HARDSHIP',
  DISPUTE = 'DISPUTE',
  KEY_PERSON_RELEASE = 'KEY_PERSON_RELEASE',
}

export const PUSH_KIND_LABELS: Record<PushKind, string> = {
  [PushKind.WELFARE_REFERRAL]: '救助转介',
  [PushKind.HEALTH]: '健康状况',
  [PushKind.HARDSHIP]: '生活困难',
  [PushKind.DISPUTE]: '矛盾纠纷',
  [PushKind.KEY_PERSON_RELEASE]: '重点人员释放',
};
