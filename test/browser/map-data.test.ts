/**
 * The dashboard map's data preparation, without a browser: the boundary file's ring winding is
 * fixed for d3-geo, and the colour classes cover every count.
 */
import fs from 'node:fs';
import { geoArea, geoBounds } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { describe, expect, test } from 'vitest';
import { rewindForD3 } from '../../web/src/components/rewind';
import { buildColorScale, colorFor, ZERO_COLOR } from '../../web/src/components/colorScale';

const GEOJSON = new URL('../../src/modules/places/data/yamagata-municipalities.geojson', import.meta.url);

describe('map data', () => {
  test('every municipality becomes a small area inside Yamagata after rewinding', () => {
    const geo = JSON.parse(fs.readFileSync(GEOJSON, 'utf8')) as FeatureCollection<Geometry, { code: string }>;
    const fixed = rewindForD3(geo);
    expect(fixed.features).toHaveLength(35);
    for (const feature of fixed.features) {
      expect(geoArea(feature), feature.properties.code).toBeLessThan(0.001);
      const [[west, south], [east, north]] = geoBounds(feature);
      expect(west).toBeGreaterThan(139);
      expect(east).toBeLessThan(141);
      expect(south).toBeGreaterThan(37.5);
      expect(north).toBeLessThan(39.5);
    }
    // Rewinding is idempotent: correctly wound input is left alone.
    expect(rewindForD3(fixed)).toEqual(fixed);
  });

  test('colour classes cover 1..max without gaps and keep zero apart', () => {
    const counts = [70, 54, 12, 10, 7, 6, 6, 5, 5, 4, 3, 2, 1];
    const scale = buildColorScale(counts);
    expect(scale[0]!.min).toBe(1);
    expect(scale[scale.length - 1]!.max).toBe(70);
    for (let i = 1; i < scale.length; i++) expect(scale[i]!.min).toBe(scale[i - 1]!.max + 1);
    expect(colorFor(scale, 0)).toBe(ZERO_COLOR);
    for (const c of counts) expect(colorFor(scale, c)).not.toBe(ZERO_COLOR);
    expect(buildColorScale([])).toEqual([]);
    expect(buildColorScale([0, 0])).toEqual([]);
  });
});
