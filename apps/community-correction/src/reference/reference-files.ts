import {
  HOLIDAY_TABLE_FILES,
  SHIPPED_CORRECTION_CENTRES,
  SHIPPED_COUNTY_GEOJSON,
  SHIPPED_TOWNS,
  holidayTableFromFile,
  type CorrectionCentre,
  type GeoJsonPolygonFeature,
  type HolidayTable,
  type HolidayTableStatus,
  type Town,
} from '@homeward/domain';

export type StoredHolidayTable = HolidayTable & { status: HolidayTableStatus };

/** Everything the seed loads: the files shipped in `libs/domain/src/reference/`. */
export interface ShippedReference {
  holidayTables: StoredHolidayTable[];
  towns: readonly Town[];
  centres: readonly CorrectionCentre[];
  countyBoundary: GeoJsonPolygonFeature;
}

export function shippedReference(): ShippedReference {
  return {
    holidayTables: HOLIDAY_TABLE_FILES.map((f) => ({ ...holidayTableFromFile(f), status: f.status })),
    towns: SHIPPED_TOWNS,
    centres: SHIPPED_CORRECTION_CENTRES,
    countyBoundary: SHIPPED_COUNTY_GEOJSON,
  };
}
