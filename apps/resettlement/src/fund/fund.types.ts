import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { BASE_KIND_LABELS, BaseKind, FUND_MOVEMENT_KIND_LABELS, FundMovementKind, townName } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, IsTownCode, Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { BasePlacement, Fund, FundMovement, ResettlementBase } from './fund.entity';

registerEnumType(BaseKind, { name: 'ResettlementBaseKind', description: 'RS-11 安置基地类型', valuesMap: labelled(BASE_KIND_LABELS) });
registerEnumType(FundMovementKind, { name: 'FundMovementKind', description: 'RS-11 基金收支', valuesMap: labelled(FUND_MOVEMENT_KIND_LABELS) });

const town = (code: string | null): Town | null => (code ? { code, name: townName(code) ?? code } : null);

@ObjectType('AssistanceFund', { description: 'RS-11 阳光帮扶基金' })
export class FundType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Town, { nullable: true, description: 'null: the city\'s fund / 市级' }) town: Town | null;
  @Field(() => Int, { description: 'balance in fen / 余额（分）' }) balanceFen: number;
}

@ObjectType('FundMovement', { description: 'RS-11 捐赠或资助' })
export class FundMovementType {
  @Field(() => ID) id: string;
  @Field(() => ID) fundId: string;
  @Field(() => FundMovementKind) kind: FundMovementKind;
  @Field() kindLabel: string;
  @Field(() => Int) amountFen: number;
  @Field(() => Int) balanceAfterFen: number;
  @Field() counterparty: string;
  @Field() purpose: string;
  @Field() recordedAt: Date;
}

@ObjectType('ResettlementBase', { description: 'RS-11 安置基地' })
export class BaseType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field() name: string;
  @Field(() => BaseKind) kind: BaseKind;
  @Field() kindLabel: string;
  @Field(() => Int) capacity: number;
}

@ObjectType('BasePlacement', { description: 'RS-11 基地安置' })
export class BasePlacementType {
  @Field(() => ID) id: string;
  @Field(() => ID) baseId: string;
  @Field(() => ID) caseId: string;
  @Field() startedOn: string;
  @Field(() => String, { nullable: true }) endedOn: string | null;
}

@InputType({ description: 'RS-11: a new fund (a town\'s, or the city\'s without a town) / 设立基金' })
export class CreateFundInput {
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string | null;
}

@InputType({ description: 'RS-11: money in (donation) or out (grant), in fen / 捐赠或资助（分）' })
export class FundMovementInput {
  @Field(() => ID) @IsUUID() fundId: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(1_000_000_000) amountFen: number;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) counterparty: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(500) purpose: string;
  @Field(() => ID, { nullable: true, description: 'a grant to an assistance subject: the case / 资助帮教对象' }) @IsOptional() @IsUUID() caseId?: string | null;
}

@InputType({ description: 'RS-11: a resettlement base / 新增安置基地' })
export class AddBaseInput {
  @Field() @IsTownCode() town: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @Field(() => BaseKind) @IsEnum(BaseKind) kind: BaseKind;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000) capacity: number;
}

@InputType({ description: 'RS-11: place an assistance subject at a base / 基地安置' })
export class PlaceAtBaseInput {
  @Field(() => ID) @IsUUID() baseId: string;
  @Field(() => ID) @IsUUID() caseId: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) startedOn: string;
}

export const toFundType = (f: Fund): FundType => ({ id: f.id, name: f.name, town: town(f.town), balanceFen: f.balanceFen });
export const toFundMovementType = (m: FundMovement): FundMovementType => ({
  id: m.id,
  fundId: m.fundId,
  kind: m.kind,
  kindLabel: FUND_MOVEMENT_KIND_LABELS[m.kind],
  amountFen: m.amountFen,
  balanceAfterFen: m.balanceAfterFen,
  counterparty: m.counterparty,
  purpose: m.purpose,
  recordedAt: m.recordedAt,
});
export const toBaseType = (b: ResettlementBase): BaseType => ({ id: b.id, town: town(b.town) as Town, name: b.name, kind: b.kind, kindLabel: BASE_KIND_LABELS[b.kind], capacity: b.capacity });
export const toPlacementType = (p: BasePlacement): BasePlacementType => ({ id: p.id, baseId: p.baseId, caseId: p.caseId, startedOn: p.startedOn, endedOn: p.endedOn });
