import { CorrectionMonitoring1795824000000 } from '../migrations/1795824000000-CorrectionMonitoring';
import { CorrectionCasework1795824100000 } from '../migrations/1795824100000-CorrectionCasework';
import { ElectronicMonitoring, MonitoringExtension } from './monitoring.entity';
import { LeaveRequest } from '../leave/leave.entity';
import { Investigation } from '../investigations/investigation.entity';
import { ProcuratorateNotice } from '../procuratorate/procuratorate-notice.entity';

/** Entities of electronic location, leave, investigations and procuratorate notices (CC-12, CC-13, CC-14, CC-16). */
export const CASEWORK_ENTITIES = [ElectronicMonitoring, MonitoringExtension, LeaveRequest, Investigation, ProcuratorateNotice];

/** Their migrations (TypeORM orders migrations by timestamp). */
export const CASEWORK_MIGRATIONS = [CorrectionMonitoring1795824000000, CorrectionCasework1795824100000];
