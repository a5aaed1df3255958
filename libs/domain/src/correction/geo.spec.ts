import { TOWNS } from '../towns/towns';
import { boxPolygon, isInTown, pointInPolygon, toPgPolygon, townArea, TOWN_AREAS } from './geo';

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
