import { CorrectionStatus } from '../enums/correction-status';
import { CorrectionDocumentType as T } from './lifecycle';
import { ARCHIVE_KIND_LABELS, ARCHIVE_STAGE_LABELS, ArchiveKind, ArchiveStage, archiveCompleteness, archiveStagesReached } from './archives';

describe('archives (CC-19)', () => {
  describe(archiveStagesReached.name, () => {
    it('CC-19: pending report-in → intake; active → + supervision; discharged → + discharge', () => {
      expect(archiveStagesReached(CorrectionStatus.PENDING_REPORT)).toEqual([ArchiveStage.INTAKE]);
      expect(archiveStagesReached(CorrectionStatus.ACTIVE)).toEqual([ArchiveStage.INTAKE, ArchiveStage.SUPERVISION]);
      expect(archiveStagesReached(CorrectionStatus.TERMINATED)).toEqual([ArchiveStage.INTAKE, ArchiveStage.SUPERVISION]);
      expect(archiveStagesReached(CorrectionStatus.DISCHARGED)).toEqual([ArchiveStage.INTAKE, ArchiveStage.SUPERVISION, ArchiveStage.DISCHARGE]);
    });
  });

  describe(archiveCompleteness.name, () => {
    it('CC-19: required documents per stage, present / missing and a floored percent', () => {
      const result = archiveCompleteness(CorrectionStatus.DISCHARGED, [T.JUDGMENT, T.EXECUTION_NOTICE, T.CORRECTION_PLAN, T.INDICTMENT]);
      expect(result).toEqual([
        { stage: 'INTAKE', required: [T.JUDGMENT, T.EXECUTION_NOTICE, T.REPORT_IN_RECORD], present: [T.JUDGMENT, T.EXECUTION_NOTICE], missing: [T.REPORT_IN_RECORD], percent: 66 },
        { stage: 'SUPERVISION', required: [T.CORRECTION_PLAN, T.ANNOUNCEMENT_RECORD], present: [T.CORRECTION_PLAN], missing: [T.ANNOUNCEMENT_RECORD], percent: 50 },
        { stage: 'DISCHARGE', required: [T.DISCHARGE_CERTIFICATE], present: [], missing: [T.DISCHARGE_CERTIFICATE], percent: 0 },
      ]);
    });
    it('CC-19: a complete stage is 100 %', () => {
      const [intake] = archiveCompleteness(CorrectionStatus.PENDING_REPORT, [T.JUDGMENT, T.EXECUTION_NOTICE, T.REPORT_IN_RECORD, T.JUDGMENT]);
      expect(intake).toMatchObject({ missing: [], percent: 100 });
    });
  });

  it('has Chinese labels for every kind and stage', () => {
    expect(Object.keys(ARCHIVE_KIND_LABELS).sort()).toEqual(Object.values(ArchiveKind).sort());
    expect(Object.keys(ARCHIVE_STAGE_LABELS).sort()).toEqual(Object.values(ArchiveStage).sort());
    expect(ARCHIVE_KIND_LABELS.ENFORCEMENT).toBe('执行档案');
  });
});
