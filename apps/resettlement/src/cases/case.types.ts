import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { RESETTLEMENT_STATUS_LABELS, ResettlementStatus, townName } from '@homeward/domain';
import { Person, Town } from '@homeward/platform';
import { labelled } from './labelled';
import { AssistanceCase } from './assistance-case.entity';

registerEnumType(ResettlementStatus, { name: 'ResettlementStatus', description: 'RS-7 安置情况', valuesMap: labelled(RESETTLEMENT_STATUS_LABELS) });

@ObjectType('ResettlementCase', { description: '安置帮教对象' })
export class ResettlementCaseType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field({ description: 'CORRECTION_DISCHARGE or PRISON_RELEASE' }) source: string;
  @Field() startDate: string;
  @Field() endDate: string;
  @Field() status: string;
  @Field(() => ResettlementStatus, { description: 'RS-7 安置情况' }) resettlementStatus: ResettlementStatus;
  @Field() resettlementStatusLabel: string;
  @Field(() => String, { nullable: true }) resettlementStatusSince: string | null;
}

export function toCaseType(c: AssistanceCase): ResettlementCaseType {
  const status = c.resettlementStatus as ResettlementStatus;
  return {
    id: c.id,
    town: { code: c.town, name: townName(c.town) ?? c.town },
    person: { key: c.personKey },
    source: c.source,
    startDate: c.startDate,
    endDate: c.endDate,
    status: c.status,
    resettlementStatus: status,
    resettlementStatusLabel: RESETTLEMENT_STATUS_LABELS[status] ?? c.resettlementStatus,
    resettlementStatusSince: c.resettlementStatusSince,
  };
}
