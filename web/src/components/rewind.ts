/**
 * d3-geo works on the sphere and reads a ring's winding as "which side is inside": it wants
 * exterior rings clockwise. RFC 7946 GeoJSON (what the boundary data follows) winds them
 * counter-clockwise, which d3 reads as "the whole globe except this town", so fitSize would
 * zoom out to the planet. Each polygon whose area exceeds a hemisphere is reversed.
 */
import { geoArea } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, Polygon, Position } from 'geojson';

const HEMISPHERE = 2 * Math.PI;

function rewindPolygon(rings: Position[][]): Position[][] {
  const polygon: Polygon = { type: 'Polygon', coordinates: rings };
  return geoArea(polygon) > HEMISPHERE ? rings.map((ring) => [...ring].reverse()) : rings;
}

function rewindGeometry(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'Polygon':
      return { ...geometry, coordinates: rewindPolygon(geometry.coordinates) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map(rewindPolygon) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map(rewindGeometry) };
    default:
      return geometry;
  }
}

export function rewindForD3<P>(collection: FeatureCollection<Geometry, P>): FeatureCollection<Geometry, P> {
  return {
    ...collection,
    features: collection.features.map(
      (feature): Feature<Geometry, P> =>
        feature.geometry ? { ...feature, geometry: rewindGeometry(feature.geometry) } : feature,
    ),
  };
}
