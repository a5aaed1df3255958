import { Alert } from './alerts/alert.entity';
import { Watch } from './deadlines/watch.entity';

export const ENTITIES = [Alert, Watch];
