/**
 * One indicator per municipality on the map of the prefecture (the boundaries of
 * /api/municipalities/geo, as the dashboard draws them), coloured by quantile classes. A hidden
 * figure (X, 秘匿) has its own grey so it is never read as zero. The same figures are in a table
 * beside the map on both KPI pages; the map is never the only way to read them.
 */
import { useMemo } from 'react';
import { buildColorScale, colorFor, ZERO_COLOR } from './colorScale';
import { MunicipalityMap } from './MunicipalityMap';
import { ErrorAlert } from './Messages';
import { useApiQuery } from '../data/queries';
import { formatNumber, useLang, useT } from '../i18n';

/** Required attribution of the boundary data; stays in Japanese whatever the UI language. */
const MAP_CREDIT = '出典：国土交通省国土数値情報（行政区域データ）を加工して作成';
const HIDDEN_COLOR = '#bdbdbd';

export type MapFigure = { value: number | null; hidden: boolean };

export function KpiMap({
  figures,
  names,
  label,
  onSelect,
}: {
  figures: ReadonlyMap<string, MapFigure>;
  names: ReadonlyMap<string, string>;
  label: string;
  onSelect?: (code: string) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const geo = useApiQuery('/api/municipalities/geo', undefined, { staleTime: 86_400_000 });
  const scale = useMemo(
    () => buildColorScale([...figures.values()].flatMap((f) => (f.hidden || f.value === null ? [] : [f.value]))),
    [figures],
  );
  const shown = (code: string) => {
    const f = figures.get(code);
    if (!f) return '—';
    if (f.hidden) return t('kpi.map.hidden');
    return f.value === null ? t('kpi.noData') : formatNumber(f.value, lang);
  };
  const legend = [
    { label: t('kpi.map.legendZero'), color: ZERO_COLOR },
    ...scale.map((c) => ({
      label: c.min === c.max ? formatNumber(c.min, lang) : `${formatNumber(c.min, lang)}–${formatNumber(c.max, lang)}`,
      color: c.color,
    })),
    { label: t('kpi.map.legendHidden'), color: HIDDEN_COLOR },
  ];
  if (geo.error) return <ErrorAlert onRetry={geo.reload}>{geo.error.message}</ErrorAlert>;
  if (!geo.data) return null;
  return (
    <div className="map-layout">
      <figure className="map-figure">
        <MunicipalityMap
          geo={geo.data}
          fillFor={(code) => {
            const f = figures.get(code);
            if (f?.hidden) return HIDDEN_COLOR;
            return colorFor(scale, f?.value ?? 0);
          }}
          describe={(code, fallback) =>
            t('kpi.map.describe', { name: names.get(code) ?? fallback, value: shown(code) })
          }
          label={label}
          onSelect={onSelect ?? (() => undefined)}
        />
        <figcaption className="credit">
          <span lang="ja">{MAP_CREDIT}</span>
        </figcaption>
      </figure>
      <div className="legend">
        <ul aria-label={label}>
          {legend.map((row) => (
            <li key={row.label}>
              <span className="swatch" style={{ background: row.color }} aria-hidden="true" />
              {row.label}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
