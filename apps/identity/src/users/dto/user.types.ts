import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AgencyKind, Role, ROLE_LABELS } from '@homeward/domain';
import '../../partners/dto/partner.types'; // registers the AgencyKind GraphQL enum
import { Town } from '@homeward/platform';

registerEnumType(Role, {
  name: 'Role',
  description: 'Access roles / 角色',
  valuesMap: Object.fromEntries(Object.entries(ROLE_LABELS).map(([k, label]) => [k, { description: label }])),
});

export enum PrincipalKind {
  STAFF = 'STAFF',
  PARTNER = 'PARTNER',
}
registerEnumType(PrincipalKind, { name: 'PrincipalKind', description: 'STAFF 工作人员 / PARTNER 协作单位' });

/** The caller as identity sees it. */
@ObjectType({ description: 'The signed-in caller / 当前用户' })
export class Me {
  @Field(() => ID, { description: 'User id, or partner client id' })
  id: string;

  @Field(() => String, { nullable: true })
  username: string | null;

  @Field(() => PrincipalKind)
  kind: PrincipalKind;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => [Town], { description: 'Towns in jurisdiction (every town for CITY_ADMIN) / 管辖镇街' })
  towns: Town[];

  @Field(() => AgencyKind, { nullable: true, description: 'PARTNER only: agency kind / 协作单位类型' })
  agencyKind: AgencyKind | null;
}

@ObjectType('StaffUser', { description: 'A staff account / 工作人员账号' })
export class StaffUserType {
  @Field(() => ID)
  id: string;

  @Field()
  username: string;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => [Town])
  towns: Town[];

  @Field()
  active: boolean;

  @Field({ description: 'Locked after too many failed logins / 已锁定' })
  locked: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lockedUntil: Date | null;

  @Field(() => Int)
  failedAttempts: number;

  @Field({ description: 'Has a TOTP secret enrolled / 已绑定动态口令' })
  totpEnrolled: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}
