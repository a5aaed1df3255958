import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { DrugTestResult, POLICE_DRUG_TEST_RESULTS } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, PartnerPersonDto } from '@homeward/platform';

/** POST /api/v1/aftercare/drug-test-results (docs/partner-api.md, AC-4). */
export class DrugTestResultDto {
  @ApiProperty({ type: PartnerPersonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PartnerPersonDto)
  person: PartnerPersonDto;

  @ApiProperty({ example: '2027-05-02', description: 'the day of the test' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  testedAt: string;

  @ApiProperty({ enum: POLICE_DRUG_TEST_RESULTS })
  @IsIn(POLICE_DRUG_TEST_RESULTS, { message: `result must be one of ${POLICE_DRUG_TEST_RESULTS.join(', ')} / 检测结果无效` })
  result: DrugTestResult;
}

export class DrugTestRecordedDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'the result belongs to an open aftercare case here' }) matched: boolean;
  @ApiProperty({ description: 'AC-4: a positive result marked a relapse' }) relapse: boolean;
}
