/**
 * Choropleth of Yamagata's municipalities. Every shape is a keyboard-reachable link with a spoken
 * label, the tooltip follows the mouse or the keyboard focus, and the same numbers are in the
 * table the dashboard renders beneath — the map is never the only way to read them.
 */
import { geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { formatNumber, useLang, useT } from '../i18n';
import { colorFor, type ColorScale } from './colorScale';
import { rewindForD3 } from './rewind';

export type MunicipalityProps = { code: string; name: string };
export type MunicipalityGeo = FeatureCollection<Geometry, MunicipalityProps>;

const WIDTH = 480;
const HEIGHT = 600;

type Props = {
  geo: MunicipalityGeo;
  counts: Map<string, number>;
  scale: ColorScale;
  labelFor: (code: string, fallback: string) => string;
  onSelect: (code: string) => void;
};

type Tooltip = { code: string; x: number; y: number };

export function MunicipalityMap({ geo, counts, scale, labelFor, onSelect }: Props) {
  const t = useT();
  const { lang } = useLang();
  const containerRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);

  const shapes = useMemo(() => {
    const fixed = rewindForD3(geo);
    const projection = geoMercator().fitSize([WIDTH, HEIGHT], fixed);
    const path = geoPath(projection);
    return fixed.features.map((feature: Feature<Geometry, MunicipalityProps>) => ({
      code: feature.properties.code,
      name: feature.properties.name,
      d: path(feature) ?? '',
      centroid: path.centroid(feature),
    }));
  }, [geo]);

  const describe = (code: string, name: string) =>
    `${labelFor(code, name)}: ${t('dashboard.people', { count: formatNumber(counts.get(code) ?? 0, lang) })}`;

  function showAtPointer(code: string, event: MouseEvent) {
    const box = containerRef.current?.getBoundingClientRect();
    if (!box) return;
    setTooltip({ code, x: event.clientX - box.left, y: event.clientY - box.top });
  }

  /** Keyboard focus has no pointer position; place the tooltip at the shape's centroid instead. */
  function showAtShape(code: string, centroid: [number, number]) {
    const svg = svgRef.current?.getBoundingClientRect();
    const box = containerRef.current?.getBoundingClientRect();
    if (!svg || !box) return;
    const ratio = svg.width / WIDTH;
    setTooltip({ code, x: svg.left - box.left + centroid[0] * ratio, y: svg.top - box.top + centroid[1] * ratio });
  }

  function activate(event: KeyboardEvent, code: string) {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(code);
    }
  }

  const active = tooltip ? shapes.find((s) => s.code === tooltip.code) : undefined;

  return (
    <div className="map-container" ref={containerRef} onMouseLeave={() => setTooltip(null)}>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="map"
        role="group"
        aria-label={t('dashboard.mapLabel')}
      >
        {shapes.map((shape) => (
          <path
            key={shape.code}
            d={shape.d}
            fill={colorFor(scale, counts.get(shape.code) ?? 0)}
            className="map-area"
            tabIndex={0}
            role="link"
            aria-label={describe(shape.code, shape.name)}
            data-code={shape.code}
            onClick={() => onSelect(shape.code)}
            onKeyDown={(event) => activate(event, shape.code)}
            onMouseMove={(event) => showAtPointer(shape.code, event)}
            onFocus={() => showAtShape(shape.code, shape.centroid)}
            onBlur={() => setTooltip(null)}
          />
        ))}
        {/* Outline drawn last so the highlighted border is not hidden under a neighbour. */}
        {active && <path d={active.d} className="map-highlight" aria-hidden="true" />}
      </svg>
      {tooltip && active && (
        <div className="map-tooltip" aria-hidden="true" style={{ left: tooltip.x, top: tooltip.y }}>
          {describe(active.code, active.name)}
        </div>
      )}
    </div>
  );
}
