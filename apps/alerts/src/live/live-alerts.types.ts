import { ArgsType, Field } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';
import { IsTownCode } from '@homeward/platform';

@ArgsType()
export class AlertChangedArgs {
  @Field(() => [String], { nullable: true, description: "only these of the caller's towns (default: all of them) / 仅这些镇街" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsTownCode({ each: true })
  towns?: string[];
}
