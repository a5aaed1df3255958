import { CorrectionMonitoring1795824000000 } from '../migrations/1795824000000-CorrectionMonitoring';
import { ElectronicMonitoring, MonitoringExtension } from './monitoring.entity';

/** Entities of electronic location, leave, investigations and procuratorate notices (CC-12, CC-13, CC-14, CC-16). */
export const CASEWORK_ENTITIES = [ElectronicMonitoring, MonitoringExtension];

/** Their migrations (TypeORM orders migrations by timestamp). */
export const CASEWORK_MIGRATIONS = [CorrectionMonitoring1795824000000];
