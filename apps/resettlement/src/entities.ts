import { AssistanceCase } from './cases/assistance-case.entity';

export const ENTITIES = [AssistanceCase];
