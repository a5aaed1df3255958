import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS } from '@homeward/platform';
import { FundService } from './fund.service';
import {
  AddBaseInput,
  BasePlacementType,
  BaseType,
  CreateFundInput,
  FundMovementInput,
  FundMovementType,
  FundType,
  PlaceAtBaseInput,
  toBaseType,
  toFundMovementType,
  toFundType,
  toPlacementType,
} from './fund.types';

@Resolver(() => FundType)
export class FundResolver {
  constructor(private readonly fund: FundService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => FundType, { description: 'RS-11: set up a sunshine assistance fund / 设立阳光帮扶基金' })
  async createFund(@CurrentPrincipal() caller: Principal, @Args('input') i: CreateFundInput) {
    return toFundType(await this.fund.createFund(caller, i.name, i.town ?? null));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => FundMovementType, { description: 'RS-11: record a donation / 登记捐赠' })
  async donate(@CurrentPrincipal() caller: Principal, @Args('input') i: FundMovementInput) {
    return toFundMovementType(await this.fund.donate(caller, i));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => FundMovementType, { description: 'RS-11: grant from the fund (never below zero) / 资助（余额不得为负）' })
  async grant(@CurrentPrincipal() caller: Principal, @Args('input') i: FundMovementInput) {
    return toFundMovementType(await this.fund.grant(caller, i));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => BaseType, { description: 'RS-11: add a resettlement base / 新增安置基地' })
  async addBase(@CurrentPrincipal() caller: Principal, @Args('input') i: AddBaseInput) {
    return toBaseType(await this.fund.addBase(caller, i.town, i.name, i.kind, i.capacity));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => BasePlacementType, { description: 'RS-11: place a subject at a base (within capacity) / 基地安置' })
  async placeAtBase(@CurrentPrincipal() caller: Principal, @Args('input') i: PlaceAtBaseInput) {
    return toPlacementType(await this.fund.place(caller, i.baseId, i.caseId, i.startedOn));
  }
}
