import { Args, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Roles, STAFF_READERS } from '@homeward/platform';
import { EnumLabelEntry, enumLabelEntries } from './labels';

@ObjectType({ description: 'One enum value and its Chinese label / 枚举值中文名称' })
export class EnumLabel implements EnumLabelEntry {
  @Field({ description: 'Enum name, e.g. CorrectionStatus' })
  enum: string;

  @Field()
  value: string;

  @Field({ description: '中文名称' })
  label: string;
}

/** The Chinese labels dictionary (no personal data, so not audited). */
@Resolver(() => EnumLabel)
export class LabelsResolver {
  @Roles(...STAFF_READERS)
  @Query(() => [EnumLabel], { description: 'Chinese labels of enums (all when names is omitted) / 枚举中文名称字典' })
  enumLabels(@Args('names', { type: () => [String], nullable: true }) names?: string[] | null): EnumLabel[] {
    return enumLabelEntries(names);
  }
}
