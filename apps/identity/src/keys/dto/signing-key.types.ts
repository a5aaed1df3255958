import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('SigningKey', { description: 'A token signing key (public part) / 令牌签名密钥' })
export class SigningKeyType {
  @Field(() => ID)
  kid: string;

  @Field()
  algorithm: string;

  @Field({ description: 'Signs new tokens / 当前签名密钥' })
  active: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Removed from the JWKS / 已停用' })
  retiredAt: Date | null;
}
