import { AftercareCase } from './cases/aftercare-case.entity';

export const ENTITIES = [AftercareCase];
