import { Field, ObjectType } from '@nestjs/graphql';
import { IntakeItem } from '@homeward/domain';

@ObjectType('IntakeChecklistEntry', { description: 'CC-5 入矫手续 checklist item' })
export class IntakeChecklistEntry {
  @Field(() => IntakeItem)
  item: IntakeItem;

  @Field({ description: 'Chinese label' })
  label: string;

  @Field()
  done: boolean;

  @Field(() => String, { nullable: true })
  doneOn: string | null;

  @Field(() => String, { nullable: true, description: 'username of the officer' })
  doneBy: string | null;
}

@ObjectType('AbscondingEpisode', { description: 'CC-2 脱管 period' })
export class AbscondingEpisodeType {
  @Field()
  lostContactOn: string;

  @Field(() => String, { nullable: true })
  foundOn: string | null;
}
