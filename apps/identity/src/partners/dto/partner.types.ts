import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { AGENCY_KIND_LABELS, AgencyKind } from '@homeward/domain';

registerEnumType(AgencyKind, {
  name: 'AgencyKind',
  description: 'Partner agency kinds / 协作单位类型',
  valuesMap: Object.fromEntries(Object.entries(AGENCY_KIND_LABELS).map(([k, label]) => [k, { description: label }])),
});

@ObjectType('PartnerClient', { description: 'A partner agency OAuth2 client / 协作单位接入账号' })
export class PartnerClientType {
  @Field(() => ID)
  clientId: string;

  @Field(() => AgencyKind)
  agencyKind: AgencyKind;

  @Field()
  agencyName: string;

  @Field()
  agencyId: string;

  @Field(() => [String])
  scopes: string[];

  @Field()
  active: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}

@InputType({ description: 'A new partner client / 新建协作单位接入账号' })
export class CreatePartnerClientInput {
  @Field(() => AgencyKind)
  @IsEnum(AgencyKind)
  kind: AgencyKind;

  @Field({ description: 'Agency name / 单位名称' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => String, { nullable: true, description: 'Agency id (defaults to the client id)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agencyId?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  scopes?: string[];
}

@ObjectType()
export class CreatePartnerClientPayload {
  @Field(() => PartnerClientType)
  client: PartnerClientType;

  @Field({ description: 'Shown once; only its hash is kept / 仅显示一次' })
  clientSecret: string;
}

@ObjectType()
export class RotatePartnerClientSecretPayload {
  @Field(() => PartnerClientType)
  client: PartnerClientType;

  @Field({ description: 'The new secret, shown once / 新密钥，仅显示一次' })
  clientSecret: string;

  @Field(() => GraphQLISODateTime, { description: 'The previous secret is accepted until then (grace period) / 旧密钥有效期至' })
  previousSecretValidUntil: Date;
}

/** Body of `POST /api/v1/oauth/token` (form or JSON), documented for Swagger. */
export class TokenRequestDoc {
  @ApiProperty({ example: 'client_credentials' })
  grant_type: string;

  @ApiProperty({ example: 'court-1a2b3c4d5e6f' })
  client_id: string;

  @ApiProperty()
  client_secret: string;
}

export class TokenResponseDoc {
  @ApiProperty()
  access_token: string;

  @ApiProperty({ example: 'Bearer' })
  token_type: string;

  @ApiProperty({ example: 3600 })
  expires_in: number;
}

export class OAuthErrorDoc {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type'] })
  error: string;

  @ApiPropertyOptional()
  error_description?: string;
}
