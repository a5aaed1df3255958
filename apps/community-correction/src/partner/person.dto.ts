import { IsTownCode, PartnerPersonDto } from '@homeward/platform';

/**
 * The `person` object of docs/partner-api.md "Common rules" as community correction takes it: the
 * shared shape (400 when malformed), and a residence town that must be a Jiangyin town (422
 * TOWN_UNKNOWN otherwise: a correction subject is supervised where they live). The ID number's check
 * digit is a domain rule checked by the service (422).
 */
export class PersonDto extends PartnerPersonDto {}
IsTownCode()(PersonDto.prototype, 'residenceTown');
