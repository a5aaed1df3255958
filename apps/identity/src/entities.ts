import { Session } from './auth/session.entity';
import { Enrolment } from './enrolments/enrolment.entity';
import { SigningKey } from './keys/signing-key.entity';
import { PartnerClient } from './partners/partner-client.entity';
import { User } from './users/user.entity';

export const ENTITIES = [User, Session, PartnerClient, SigningKey, Enrolment];
