import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { townName } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, Town } from '@homeward/platform';
import { Agreement, AgreementClauses, AgreementParty } from './agreement.entity';

@ObjectType('AgreementParty')
@InputType('AgreementPartyInput')
export class AgreementPartyType implements AgreementParty {
  @Field({ description: 'RS-4 协议方类别' }) @IsString() @IsNotEmpty() @MaxLength(40) role: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(100) name: string;
}

@ObjectType('AgreementClauses')
@InputType('AgreementClausesInput')
export class AgreementClausesType implements AgreementClauses {
  @Field({ description: '管控' }) @IsString() @MaxLength(4000) control: string;
  @Field({ description: '教育' }) @IsString() @MaxLength(4000) education: string;
  @Field({ description: '帮扶' }) @IsString() @MaxLength(4000) assistance: string;
}

@ObjectType('ResettlementAgreement', { description: 'RS-4 帮教协议 (1+1+N)' })
export class AgreementType {
  @Field(() => ID) id: string;
  @Field(() => ID) noticeId: string;
  @Field(() => Town) town: Town;
  @Field(() => [AgreementPartyType]) parties: AgreementPartyType[];
  @Field(() => AgreementClausesType) clauses: AgreementClausesType;
  @Field() signedOn: string;
}

@InputType({ description: 'RS-4: the signed agreement / 签订帮教协议' })
export class SignAgreementInput {
  @Field(() => ID) @IsUUID() noticeId: string;
  @Field(() => [AgreementPartyType]) @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => AgreementPartyType) parties: AgreementPartyType[];
  @Field(() => AgreementClausesType) @ValidateNested() @Type(() => AgreementClausesType) clauses: AgreementClausesType;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) signedOn: string;
}

export function toAgreementType(a: Agreement): AgreementType {
  return {
    id: a.id,
    noticeId: a.noticeId,
    town: { code: a.town, name: townName(a.town) ?? a.town },
    parties: JSON.parse(a.partiesJson) as AgreementParty[],
    clauses: JSON.parse(a.clausesJson) as AgreementClauses,
    signedOn: a.signedOn,
  };
}
