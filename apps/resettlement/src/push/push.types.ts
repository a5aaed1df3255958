import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMinSize, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PushDepartment, PushKind } from '@homeward/domain';
import { Person, Town } from '@homeward/platform';

registerEnumType(PushDepartment, { name: 'PushDepartment', description: 'RS-13 subscribing department / 订阅部门: CIVIL_AFFAIRS 民政, HEALTH 卫健, HUMAN_RESOURCES_SOCIAL_SECURITY 人社, POLICE 公安' });
registerEnumType(PushKind, { name: 'PushKind', description: 'RS-13 kind of information / 推送信息类型' });

@ObjectType('PushSigningKey', { description: 'A signing key of a subscriber (the secret is never shown again) / 签名密钥' })
export class PushSigningKeyType {
  @Field() keyId: string;
  @Field({ description: 'Signs every delivery / 当前密钥' }) current: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'A rotated-out key signs beside the current one until then / 过渡期截止' }) validUntil: Date | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType('PushSubscriber', { description: 'RS-13 a department subscribed to information pushes / 信息推送订阅部门' })
export class PushSubscriberType {
  @Field(() => ID) id: string;
  @Field(() => PushDepartment) department: PushDepartment;
  @Field() departmentLabel: string;
  @Field() label: string;
  @Field() endpointUrl: string;
  @Field(() => [PushKind]) kinds: PushKind[];
  @Field(() => [String], { description: 'Chinese labels of the kinds / 信息类型' }) kindLabels: string[];
  @Field() paused: boolean;
  @Field(() => [PushSigningKeyType]) keys: PushSigningKeyType[];
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType('IssuedPushKey', { description: 'A subscriber with its new signing key, shown this once / 新签名密钥（仅显示一次）' })
export class IssuedPushKeyType {
  @Field(() => PushSubscriberType) subscriber: PushSubscriberType;
  @Field() keyId: string;
  @Field({ description: 'The HMAC-SHA256 secret; store it now, it is not shown again / 密钥仅显示一次' }) secret: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'After a rotation: the previous key stays valid until then / 原密钥有效期至' }) previousKeyValidUntil: Date | null;
}

@ObjectType('PushAttempt', { description: 'One HTTP attempt of a delivery / 投递记录' })
export class PushAttemptType {
  @Field(() => Int) attempt: number;
  @Field(() => Int, { nullable: true }) statusCode: number | null;
  @Field(() => Int) durationMs: number;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field() keyIds: string;
  @Field(() => GraphQLISODateTime) attemptedAt: Date;
}

@ObjectType('PushDelivery', { description: 'RS-13 one push to one department; DEAD = dead letter / 信息推送' })
export class PushDeliveryType {
  @Field(() => ID) id: string;
  @Field(() => ID) subscriberId: string;
  @Field(() => PushKind) kind: PushKind;
  @Field() kindLabel: string;
  @Field({ description: 'PENDING 待投递 / DELIVERED 已送达 / DEAD 投递失败' }) status: string;
  @Field() statusLabel: string;
  @Field(() => Town, { nullable: true }) town: Town | null;
  @Field(() => Person, { nullable: true, description: 'null outside the caller\'s towns / 辖区外不显示' }) person: Person | null;
  @Field(() => Int) attempts: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) nextAttemptAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) deliveredAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) deadAt: Date | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => String, { nullable: true, description: 'The JSON body sent (without the delivery id); null outside the caller\'s towns / 推送内容' }) payload: string | null;
  @Field(() => [PushAttemptType]) log: PushAttemptType[];
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@InputType()
export class CreatePushSubscriberInput {
  @Field(() => PushDepartment)
  @IsEnum(PushDepartment)
  department: PushDepartment;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @Field({ description: 'https (http only outside production) / 接收地址' })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  endpointUrl: string;

  @Field(() => [PushKind])
  @ArrayMinSize(1)
  @IsEnum(PushKind, { each: true })
  kinds: PushKind[];
}

@ArgsType()
export class PushDeliveriesArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  subscriberId?: string;

  @Field(() => String, { nullable: true, description: 'PENDING | DELIVERED | DEAD' })
  @IsOptional()
  @IsIn(['PENDING', 'DELIVERED', 'DEAD'])
  status?: 'PENDING' | 'DELIVERED' | 'DEAD';

  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  first?: number;
}
