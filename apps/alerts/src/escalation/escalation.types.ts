import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DutyRole } from '../roster/roster.types';

@ObjectType('AlertEscalation', { description: 'AL-1 / AL-6: one step an alert went up (升级)' })
export class AlertEscalationType {
  @Field(() => Int, { description: '1: to the person on duty; 2: to the bureau head on duty' })
  level: number;

  @Field()
  escalatedAt: Date;

  @Field({ description: 'the roster day, YYYY-MM-DD' })
  dutyDate: string;

  @Field(() => DutyRole)
  dutyRole: DutyRole;

  @Field()
  dutyRoleLabel: string;

  @Field(() => String, { nullable: true, description: 'the city command centre staff on duty it went to; null when nobody was on the roster' })
  onDuty: string | null;

  @Field(() => String, { nullable: true, description: "the town's person on duty (level 1)" })
  townOnDuty: string | null;
}
