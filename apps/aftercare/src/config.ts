import { ServiceConfig } from '@homeward/platform';

export class AftercareConfig extends ServiceConfig {}
