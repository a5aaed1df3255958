import CENTRES_FILE from './correction-centres.json';
import COUNTY_GEOJSON from './jiangyin-county.geo.json';
import type { GeoJsonPolygonFeature } from '../correction/geo';
import { isLocalDate } from '../calendar/local-date';
import { DomainError, DomainErrorCode } from '../errors/domain-error';

/**
 * Issue 7 item 10: the reference files shipped in this folder are what `npm run cli -- seed` loads into
 * the `reference` schema (holidays-<year>.json, towns.json, correction-centres.json,
 * jiangyin-county.geo.json), and what an app without those tables uses.
 */

/** K-CC7: a community-correction centre (社区矫正中心) of a town, with the dates it works. */
export interface CorrectionCentre {
  town: string;
  name?: string;
  validFrom: string;
  validTo?: string;
}

export const SHIPPED_CORRECTION_CENTRES: readonly CorrectionCentre[] = Object.freeze((CENTRES_FILE.centres ?? []) as CorrectionCentre[]);

/** CC-12: the county (江阴市) boundary as shipped (GeoJSON Feature with one Polygon). */
export const SHIPPED_COUNTY_GEOJSON: GeoJsonPolygonFeature = COUNTY_GEOJSON as GeoJsonPolygonFeature;

let centres: readonly CorrectionCentre[] = SHIPPED_CORRECTION_CENTRES;

/** Replaces the correction centres of this process (reference data loaded or changed); `undefined` restores the shipped list. */
export function setCorrectionCentres(list: readonly CorrectionCentre[] | undefined): void {
  centres = Object.freeze([...(list ?? SHIPPED_CORRECTION_CENTRES)]);
}

/** K-CC7: the towns with a working correction centre on `on` (YYYY-MM-DD). */
export function correctionCentreTowns(on: string): Set<string> {
  return new Set(centres.filter((c) => c.validFrom <= on && (!c.validTo || on <= c.validTo)).map((c) => c.town));
}

/** @throws DomainError(VALIDATION_FAILED) naming the bad entry. */
export function validateCorrectionCentres(list: readonly CorrectionCentre[], isTown: (code: string) => boolean): void {
  list.forEach((c, i) => {
    const fail = (problem: string): never => {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `centres[${i}]: ${problem} / 矫正中心参考数据有误`, { field: `centres[${i}]` });
    };
    if (!isTown(c.town)) fail(`unknown town code "${c.town}"`);
    if (!isLocalDate(c.validFrom)) fail('validFrom must be a date YYYY-MM-DD');
    if (c.validTo !== undefined && c.validTo !== null && (!isLocalDate(c.validTo) || c.validTo < c.validFrom)) fail('validTo must be a date on or after validFrom');
  });
}
