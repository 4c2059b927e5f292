/**
 * Map of Yamagata's municipalities, drawn as a choropleth (dashboard) or as a picker (sign-up).
 * As a choropleth every shape is a keyboard-reachable link with a spoken label, the tooltip
 * follows the mouse or the keyboard focus, and the same numbers are in the table the dashboard
 * renders beneath — the map is never the only way to read them. As a picker (`decorative`) it is
 * a pointer shortcut beside real checkboxes, so it stays out of the tab order and the
 * accessibility tree instead of offering the same 35 choices twice.
 */
import { geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { rewindForD3 } from './rewind';

export type MunicipalityProps = { code: string; name: string };
export type MunicipalityGeo = FeatureCollection<Geometry, MunicipalityProps>;

const WIDTH = 480;
const HEIGHT = 600;

type Props = {
  geo: MunicipalityGeo;
  /** Fill colour of a municipality. */
  fillFor: (code: string) => string;
  /** What a shape says (its spoken label and tooltip), e.g. 「山形市: 12人」. */
  describe: (code: string, fallbackName: string) => string;
  /** Accessible name of the whole map. */
  label: string;
  onSelect: (code: string) => void;
  /** Hidden from assistive technology and the tab order: an equivalent control exists beside it. */
  decorative?: boolean;
  /** Shapes drawn with a strong outline (the picker's choices). */
  selected?: ReadonlySet<string>;
};

type Tooltip = { code: string; x: number; y: number };

export function MunicipalityMap({ geo, fillFor, describe, label, onSelect, decorative = false, selected }: Props) {
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
    // biome-ignore lint/a11y/noStaticElementInteractions: hides the pointer's tooltip when the pointer leaves; keyboard focus has its own onBlur on each shape
    <div className="map-container" ref={containerRef} onMouseLeave={() => setTooltip(null)}>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="map"
        role={decorative ? undefined : 'group'}
        aria-label={decorative ? undefined : label}
        aria-hidden={decorative ? true : undefined}
      >
        {shapes.map((shape) => (
          // biome-ignore lint/a11y/noStaticElementInteractions: as a choropleth each shape is a link (role, tabIndex, Enter/Space below); as a picker it is a pointer shortcut beside real checkboxes, hidden from assistive technology
          <path
            key={shape.code}
            d={shape.d}
            fill={fillFor(shape.code)}
            className="map-area"
            data-code={shape.code}
            onClick={() => onSelect(shape.code)}
            onMouseMove={(event) => showAtPointer(shape.code, event)}
            {...(decorative
              ? {}
              : {
                  tabIndex: 0,
                  role: 'link',
                  'aria-label': describe(shape.code, shape.name),
                  onKeyDown: (event: KeyboardEvent) => activate(event, shape.code),
                  onFocus: () => showAtShape(shape.code, shape.centroid),
                  onBlur: () => setTooltip(null),
                })}
          />
        ))}
        {/* Outlines drawn last so a border is not hidden under a neighbour. */}
        {selected &&
          shapes
            .filter((s) => selected.has(s.code))
            .map((s) => (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG path without tabIndex is not focusable; this outline repeats a shape that is announced already
              <path key={`sel-${s.code}`} d={s.d} className="map-selected" aria-hidden="true" />
            ))}
        {active && (
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG path without tabIndex is not focusable; this highlight repeats the focused shape
          <path d={active.d} className="map-highlight" aria-hidden="true" />
        )}
      </svg>
      {tooltip && active && (
        <div className="map-tooltip" aria-hidden="true" style={{ left: tooltip.x, top: tooltip.y }}>
          {describe(active.code, active.name)}
        </div>
      )}
    </div>
  );
}
