import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('ExitControlReport', { description: 'CC-15 出境报备: reported on ACTIVE, withdrawn when correction ends' })
export class ExitControlType {
  @Field({ description: 'true while the report stands / 报备中' })
  active: boolean;

  @Field()
  reportedAt: Date;

  @Field(() => Date, { nullable: true })
  withdrawnAt: Date | null;

  @Field(() => String, { nullable: true, description: 'status that ended correction (DISCHARGED / TERMINATED)' })
  withdrawalReason: string | null;
}
