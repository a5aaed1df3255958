import { TOWNS } from '../towns/towns';
import { DomainError } from '../errors/domain-error';
import { boxPolygon, isInCounty, isInTown, parseGeoJsonPolygon, pointInPolygon, toPgPolygon, townArea, TOWN_AREAS } from './geo';

describe('geo (CC-12 allowed areas)', () => {
  it('has an area for every town of the reference list', () => {
    for (const town of TOWNS) expect(townArea(town.code)).toBeDefined();
    expect(Object.keys(TOWN_AREAS)).toHaveLength(TOWNS.length);
  });

  it('CC-12: the centre of 徐霞客镇 is inside 104 and the centre of 澄江街道 is not', () => {
    expect(isInTown('104', { lat: 31.75, lng: 120.33 })).toBe(true);
    expect(isInTown('104', { lat: 31.905, lng: 120.275 })).toBe(false);
    expect(isInTown('001', { lat: 31.905, lng: 120.275 })).toBe(true);
  });

  it('an unknown town has no area, so nothing is inside it', () => {
    expect(townArea('999')).toBeUndefined();
    expect(isInTown('999', { lat: 31.75, lng: 120.33 })).toBe(false);
  });

  it('points on the edge count as inside; a concave polygon is handled', () => {
    const square = boxPolygon({ minLat: 0, minLng: 0, maxLat: 2, maxLng: 2 });
    expect(pointInPolygon({ lat: 0, lng: 1 }, square)).toBe(true);
    expect(pointInPolygon({ lat: 2.0001, lng: 1 }, square)).toBe(false);
    const l = [
      { lat: 0, lng: 0 },
      { lat: 0, lng: 2 },
      { lat: 1, lng: 2 },
      { lat: 1, lng: 1 },
      { lat: 2, lng: 1 },
      { lat: 2, lng: 0 },
    ];
    expect(pointInPolygon({ lat: 0.5, lng: 1.5 }, l)).toBe(true);
    expect(pointInPolygon({ lat: 1.5, lng: 1.5 }, l)).toBe(false);
  });

  it('refuses an inverted box', () => {
    expect(() => boxPolygon({ minLat: 2, minLng: 0, maxLat: 1, maxLng: 1 })).toThrow(/minLat/);
  });

  it('writes a PostgreSQL polygon literal with x = longitude', () => {
    expect(toPgPolygon(boxPolygon({ minLat: 1, minLng: 2, maxLat: 3, maxLng: 4 }))).toBe('((2,1),(4,1),(4,3),(2,3))');
  });
});

describe('COUNTY_AREA (CC-12, issue 7 item 3)', () => {
  it('CC-12: every town of Jiangyin lies in the county area (the allowed area is the county, not the own town)', () => {
    for (const [code, polygon] of Object.entries(TOWN_AREAS)) {
      for (const corner of polygon) expect({ code, corner, inside: isInCounty(corner) }).toEqual({ code, corner, inside: true });
    }
  });

  it.each([
    ['downtown 澄江 (a 徐霞客镇 subject there is within the county)', { lat: 31.905, lng: 120.275 }, true],
    ['徐霞客镇', { lat: 31.75, lng: 120.33 }, true],
    ['Wuxi city centre (无锡市区)', { lat: 31.49, lng: 120.31 }, false],
    ['Changzhou (常州市区)', { lat: 31.78, lng: 119.95 }, false],
    ['Jingjiang city across the Yangtze (靖江市区)', { lat: 32.01, lng: 120.14 }, false],
    ['Shanghai', { lat: 31.23, lng: 121.47 }, false],
  ])('CC-12: %s → in the county: %s', (_where, p, inside) => {
    expect(isInCounty(p)).toBe(inside);
  });

  it('parses a GeoJSON Feature or geometry; refuses an open ring, holes and non-WGS-84 positions', () => {
    const ring = [
      [120, 31],
      [121, 31],
      [121, 32],
      [120, 31],
    ];
    expect(parseGeoJsonPolygon({ type: 'Polygon', coordinates: [ring] })).toEqual([
      { lng: 120, lat: 31 },
      { lng: 121, lat: 31 },
      { lng: 121, lat: 32 },
    ]);
    expect(parseGeoJsonPolygon({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] } })).toHaveLength(3);
    expect(() => parseGeoJsonPolygon({ type: 'Polygon', coordinates: [ring.slice(0, 3)] })).toThrow(DomainError);
    expect(() => parseGeoJsonPolygon({ type: 'Polygon', coordinates: [[...ring.slice(0, 3), [120.5, 31.5]]] })).toThrow(DomainError);
    expect(() => parseGeoJsonPolygon({ type: 'Polygon', coordinates: [ring, ring] })).toThrow(DomainError);
    expect(() => parseGeoJsonPolygon({ type: 'Polygon', coordinates: [[[200, 31], [121, 31], [121, 32], [200, 31]]] })).toThrow(DomainError);
    expect(() => parseGeoJsonPolygon({ type: 'Point', coordinates: [120, 31] })).toThrow(DomainError);
  });
});
