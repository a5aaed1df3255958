import { IsNumber, Max, Min } from 'class-validator';
import { ServiceConfig, ToNumber } from '@homeward/platform';

export class ResettlementConfig extends ServiceConfig {
  /** CC-20: years of assistance after discharge from correction *(cfg)*. */
  @ToNumber()
  @IsNumber()
  @Min(0.5)
  @Max(10)
  ASSISTANCE_AFTER_CORRECTION_YEARS = 3;
}
