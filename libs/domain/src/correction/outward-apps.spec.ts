import { DomainError } from '../errors/domain-error';
import { appCheckInOutcome, validateSelfReportedHours } from './outward-apps';

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe(appCheckInOutcome.name, () => {
  const at = { lat: 31.9, lng: 120.28 };
  it('CC-21: a score at or above the threshold is a check-in; below it the attempt failed', () => {
    expect(appCheckInOutcome({ faceMatchScore: 0.93, ...at }, 0.8)).toBe('ACCEPTED');
    expect(appCheckInOutcome({ faceMatchScore: 0.8, ...at }, 0.8)).toBe('ACCEPTED');
    expect(appCheckInOutcome({ faceMatchScore: 0.79, ...at }, 0.8)).toBe('FACE_MATCH_FAILED');
  });
  it('CC-21: a score outside 0–1 or a location off the globe is refused, naming the field (in Chinese too)', () => {
    const e = refusal(() => appCheckInOutcome({ faceMatchScore: 1.2, ...at }, 0.8));
    expect(e.field).toBe('faceMatchScore');
    expect(e.message).toContain('人脸比对分值');
    expect(refusal(() => appCheckInOutcome({ faceMatchScore: 0.9, lat: 95, lng: 120 }, 0.8)).field).toBe('lat');
    expect(refusal(() => appCheckInOutcome({ faceMatchScore: 0.9, lat: 31, lng: NaN }, 0.8)).field).toBe('lng');
  });
});

describe(validateSelfReportedHours.name, () => {
  it('CC-21: self-reported hours are in quarter hours, more than 0 and at most 24', () => {
    expect(() => validateSelfReportedHours({ hours: 4, onDate: '2027-03-10' }, '2027-03-01', '2027-03-10')).not.toThrow();
    expect(refusal(() => validateSelfReportedHours({ hours: 0, onDate: '2027-03-10' }, '2027-03-01', '2027-03-10')).field).toBe('hours');
    expect(refusal(() => validateSelfReportedHours({ hours: 1.1, onDate: '2027-03-10' }, '2027-03-01', '2027-03-10')).field).toBe('hours');
    expect(refusal(() => validateSelfReportedHours({ hours: 25, onDate: '2027-03-10' }, '2027-03-01', '2027-03-10')).field).toBe('hours');
  });
  it('CC-21: not for a day in the future nor before supervision started', () => {
    expect(refusal(() => validateSelfReportedHours({ hours: 2, onDate: '2027-03-11' }, '2027-03-01', '2027-03-10')).field).toBe('onDate');
    expect(refusal(() => validateSelfReportedHours({ hours: 2, onDate: '2027-02-28' }, '2027-03-01', '2027-03-10')).field).toBe('onDate');
  });
});
