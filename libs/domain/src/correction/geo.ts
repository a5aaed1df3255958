import { DomainError, DomainErrorCode } from '../errors/domain-error';
import JIANGYIN_COUNTY_GEOJSON from '../reference/jiangyin-county.geo.json';

/** A WGS-84 point: latitude and longitude in degrees. */
export interface GeoPoint {
  lat: number;
  lng: number;
}

/** A closed ring of points (the last point joins the first; do not repeat it). */
export type GeoPolygon = readonly GeoPoint[];

/** A box from its south-west and north-east corners (an approved travel area, CC-12/CC-13). */
export interface GeoBox {
  minLat: number;
  minLng: number;
  maxLat: number;
  maxLng: number;
}

export function boxPolygon(b: GeoBox): GeoPolygon {
  if (!(b.minLat < b.maxLat) || !(b.minLng < b.maxLng)) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'an area needs minLat < maxLat and minLng < maxLng / 区域范围无效', {
      field: 'travelArea',
    });
  }
  return [
    { lat: b.minLat, lng: b.minLng },
    { lat: b.minLat, lng: b.maxLng },
    { lat: b.maxLat, lng: b.maxLng },
    { lat: b.maxLat, lng: b.minLng },
  ];
}

/**
 * Simplified allowed areas of the towns of Jiangyin (CC-12), as boxes around each town. Reference
 * data, approximate: good enough to tell "in his own town" from "elsewhere" for an alert, not a
 * surveyed boundary. Replace a row with the surveyed polygon when the bureau supplies one; keep
 * the codes of towns/towns.ts.
 */
const TOWN_BOXES: Readonly<Record<string, GeoBox>> = Object.freeze({
  '001': { minLat: 31.87, minLng: 120.24, maxLat: 31.94, maxLng: 120.31 }, // 澄江街道
  '004': { minLat: 31.8, minLng: 120.24, maxLat: 31.87, maxLng: 120.33 }, // 南闸街道
  '005': { minLat: 31.82, minLng: 120.33, maxLat: 31.88, maxLng: 120.42 }, // 云亭街道
  '007': { minLat: 31.86, minLng: 120.1, maxLat: 31.95, maxLng: 120.17 }, // 申港街道
  '008': { minLat: 31.88, minLng: 120.05, maxLat: 31.96, maxLng: 120.13 }, // 利港街道
  '009': { minLat: 31.87, minLng: 120.17, maxLat: 31.95, maxLng: 120.24 }, // 夏港街道
  '100': { minLat: 31.85, minLng: 119.98, maxLat: 31.95, maxLng: 120.08 }, // 璜土镇
  '102': { minLat: 31.79, minLng: 120.13, maxLat: 31.86, maxLng: 120.24 }, // 月城镇
  '103': { minLat: 31.7, minLng: 120.17, maxLat: 31.79, maxLng: 120.28 }, // 青阳镇
  '104': { minLat: 31.7, minLng: 120.28, maxLat: 31.8, maxLng: 120.38 }, // 徐霞客镇
  '107': { minLat: 31.78, minLng: 120.46, maxLat: 31.86, maxLng: 120.55 }, // 华士镇
  '108': { minLat: 31.81, minLng: 120.42, maxLat: 31.88, maxLng: 120.5 }, // 周庄镇
  '109': { minLat: 31.74, minLng: 120.47, maxLat: 31.79, maxLng: 120.53 }, // 新桥镇
  '110': { minLat: 31.74, minLng: 120.4, maxLat: 31.81, maxLng: 120.5 }, // 长泾镇
  '111': { minLat: 31.7, minLng: 120.5, maxLat: 31.78, maxLng: 120.58 }, // 顾山镇
  '112': { minLat: 31.68, minLng: 120.36, maxLat: 31.76, maxLng: 120.45 }, // 祝塘镇
  '400': { minLat: 31.86, minLng: 120.29, maxLat: 31.93, maxLng: 120.4 }, // 江阴高新区（含城东）
  '403': { minLat: 31.95, minLng: 120.22, maxLat: 32.02, maxLng: 120.32 }, // 江阴靖江工业园区
  '404': { minLat: 31.87, minLng: 120.05, maxLat: 31.96, maxLng: 120.24 }, // 临港经济开发区
  '405': { minLat: 31.74, minLng: 120.2, maxLat: 31.78, maxLng: 120.26 }, // 青阳园区
  '406': { minLat: 31.81, minLng: 120.16, maxLat: 31.85, maxLng: 120.21 }, // 月城园区
});

export const TOWN_AREAS: Readonly<Record<string, GeoPolygon>> = Object.freeze(
  Object.fromEntries(Object.entries(TOWN_BOXES).map(([code, box]) => [code, boxPolygon(box)])),
);

/** The allowed area of a town; undefined for an unknown code. */
export function townArea(code: string): GeoPolygon | undefined {
  return Object.prototype.hasOwnProperty.call(TOWN_AREAS, code) ? TOWN_AREAS[code] : undefined;
}

/** True when `p` lies inside `polygon` or on its edge (ray casting, planar: fine at town scale). */
export function pointInPolygon(p: GeoPoint, polygon: GeoPolygon): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (onSegment(p, a, b)) return true;
    const crosses = a.lat > p.lat !== b.lat > p.lat && p.lng < ((b.lng - a.lng) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lng;
    if (crosses) inside = !inside;
  }
  return inside;
}

function onSegment(p: GeoPoint, a: GeoPoint, b: GeoPoint): boolean {
  const cross = (b.lng - a.lng) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lng - a.lng);
  if (Math.abs(cross) > 1e-12) return false;
  return (
    p.lng >= Math.min(a.lng, b.lng) && p.lng <= Math.max(a.lng, b.lng) && p.lat >= Math.min(a.lat, b.lat) && p.lat <= Math.max(a.lat, b.lat)
  );
}

/** True when `p` lies in town `code`'s allowed area (false for an unknown town). */
export function isInTown(code: string, p: GeoPoint): boolean {
  const area = townArea(code);
  return area !== undefined && pointInPolygon(p, area);
}

/** PostgreSQL `polygon` literal with x = longitude, y = latitude: `((120.28,31.7),(…))`. */
export function toPgPolygon(polygon: GeoPolygon): string {
  return `(${polygon.map((p) => `(${p.lng},${p.lat})`).join(',')})`;
}

/** A GeoJSON Feature (or bare geometry) holding one Polygon with [lng, lat] rings. */
export interface GeoJsonPolygonFeature {
  type: string;
  properties?: Record<string, unknown> | null;
  geometry?: { type: string; coordinates: unknown };
  coordinates?: unknown;
}

/**
 * The outer ring of a GeoJSON Polygon (Feature or geometry) as a GeoPolygon; holes are not
 * supported (an allowed area has none). The closing point is dropped.
 * @throws DomainError VALIDATION_FAILED when it is not a valid polygon of WGS-84 points.
 */
export function parseGeoJsonPolygon(doc: GeoJsonPolygonFeature): GeoPolygon {
  const geometry = doc.type === 'Feature' ? doc.geometry : (doc as { type: string; coordinates: unknown });
  const fail = (why: string): never => {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `GeoJSON polygon: ${why} / 区域边界数据无效`, { field: 'geometry' });
  };
  if (!geometry || geometry.type !== 'Polygon' || !Array.isArray(geometry.coordinates)) return fail('not a Polygon');
  const rings = geometry.coordinates as unknown[];
  if (rings.length !== 1) fail('exactly one ring (no holes) expected');
  const ring = rings[0];
  if (!Array.isArray(ring) || ring.length < 4) return fail('a ring needs at least 4 positions');
  const points = ring.map((pos: unknown) => {
    if (!Array.isArray(pos) || pos.length < 2 || typeof pos[0] !== 'number' || typeof pos[1] !== 'number') return fail('a position is [lng, lat]');
    const [lng, lat] = pos as number[];
    if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90)) return fail(`[${lng}, ${lat}] is not a WGS-84 position`);
    return { lat, lng };
  });
  const first = points[0];
  const last = points[points.length - 1];
  if (first.lat !== last.lat || first.lng !== last.lng) fail('the ring is not closed');
  return points.slice(0, -1);
}

/**
 * CC-12: the county (江阴市), the area a subject may move in without approval (社区矫正法实施办法:
 * leaving the county, 市、县, needs approval). Reference data shipped as GeoJSON
 * (`libs/domain/src/reference/jiangyin-county.geo.json`).
 */
export const SHIPPED_COUNTY_AREA: GeoPolygon = Object.freeze(parseGeoJsonPolygon(JIANGYIN_COUNTY_GEOJSON as GeoJsonPolygonFeature));

/** The county boundary in force in this process (a live binding): the shipped one until the reference data is loaded. */
export let COUNTY_AREA: GeoPolygon = SHIPPED_COUNTY_AREA;

/** Replaces the county boundary (reference data loaded or changed); `undefined` restores the shipped one. */
export function setCountyArea(area: GeoPolygon | undefined): void {
  COUNTY_AREA = area ? Object.freeze([...area]) : SHIPPED_COUNTY_AREA;
}

/** True when `p` lies in the county (Jiangyin). */
export function isInCounty(p: GeoPoint, area: GeoPolygon = COUNTY_AREA): boolean {
  return pointInPolygon(p, area);
}
