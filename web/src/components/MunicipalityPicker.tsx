/**
 * Choose municipalities: checkboxes grouped by region (村山・最上・置賜・庄内) are the control;
 * the map below is an optional pointer shortcut that ticks the same boxes. The map is fetched
 * only when someone opens it, so the form stays light on a phone.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { useLang, useT } from '../i18n';
import type { Municipality, Region } from '../types';
import { CheckboxGroup } from './Fields';
import { ErrorAlert, Loading } from './Messages';

/** The map (d3-geo) is fetched with its boundaries only when someone opens it. */
const MunicipalityMap = lazy(() => import('./MunicipalityMap').then((m) => ({ default: m.MunicipalityMap })));

const PICKED = '#0b5394';
const UNPICKED = '#e3e8ec';

type Props = {
  selected: string[];
  onChange: (codes: string[]) => void;
  max: number;
  error?: string | undefined;
  /** The group's name and hint; the sign-up's wording ("municipalities you support") by default. */
  legend?: string;
  hint?: string;
  required?: boolean;
};

export function MunicipalityPicker({ selected, onChange, max, error, legend, hint, required = true }: Props) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities, error: loadError } = useMunicipalities();
  const regions = useApiQuery('/api/regions');
  const [mapOpen, setMapOpen] = useState(false);

  const groups = useMemo(() => groupByRegion(municipalities, regions.data ?? []), [municipalities, regions.data]);
  const atMax = selected.length >= max;
  const names = selected.map((code) =>
    municipalityLabel(
      municipalities.find((m) => m.code === code),
      code,
      lang,
    ),
  );
  const toggle = (code: string) => {
    if (selected.includes(code)) onChange(selected.filter((c) => c !== code));
    else if (!atMax) onChange([...selected, code]);
  };

  return (
    <CheckboxGroup
      legend={legend ?? t('register.municipalities')}
      hint={hint ?? t('register.municipalitiesHint', { max })}
      error={error}
      required={required}
      name="municipalityCodes-all"
      options={[]}
      values={selected}
      onChange={onChange}
      className="municipality-picker"
    >
      {loadError && <ErrorAlert>{loadError.message}</ErrorAlert>}
      {municipalities.length === 0 && !loadError && <Loading />}
      {groups.map((group) => (
        <CheckboxGroup
          key={group.key}
          legend={lang === 'en' ? group.nameEn : t('register.regionName', { name: group.name })}
          name="municipalityCodes"
          className="region-group"
          options={group.municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
          values={selected}
          // Only this region's boxes change here; the choices in other regions are kept.
          onChange={(values) => {
            const here = new Set(group.municipalities.map((m) => m.code));
            onChange([
              ...selected.filter((c) => !here.has(c) || values.includes(c)),
              ...values.filter((c) => !selected.includes(c)),
            ]);
          }}
          disabled={() => atMax}
          invalid={Boolean(error)}
        />
      ))}
      <p className="picked-summary" aria-live="polite">
        {selected.length === 0
          ? t('register.noneSelected')
          : t('register.selected', { names: names.join(lang === 'ja' ? '、' : ', '), count: selected.length, max })}
      </p>
      <details className="map-picker" onToggle={(event) => setMapOpen(event.currentTarget.open)}>
        <summary>{t('register.mapToggle')}</summary>
        <p className="hint">{t('register.mapHint')}</p>
        {mapOpen && (
          <Suspense fallback={<Loading />}>
            <PickerMap selected={selected} onToggle={toggle} municipalities={municipalities} />
          </Suspense>
        )}
      </details>
    </CheckboxGroup>
  );
}

function PickerMap({
  selected,
  onToggle,
  municipalities,
}: {
  selected: string[];
  onToggle: (code: string) => void;
  municipalities: Municipality[];
}) {
  const t = useT();
  const { lang } = useLang();
  const geo = useApiQuery('/api/municipalities/geo');
  const picked = useMemo(() => new Set(selected), [selected]);
  if (geo.error) return <ErrorAlert onRetry={geo.reload}>{geo.error.message}</ErrorAlert>;
  if (!geo.data) return <Loading />;
  return (
    <div className="map-picker-map">
      <MunicipalityMap
        geo={geo.data}
        decorative
        selected={picked}
        fillFor={(code) => (picked.has(code) ? PICKED : UNPICKED)}
        describe={(code, name) => {
          const label =
            municipalityLabel(
              municipalities.find((m) => m.code === code),
              code,
              lang,
            ) || name;
          return picked.has(code) ? `${label} ✓` : label;
        }}
        label={t('register.mapToggle')}
        onSelect={onToggle}
      />
      {/* The attribution the data's terms require, in Japanese as required; English readers get a translation beside it. */}
      <p className="credit">
        <span lang="ja">出典：国土交通省国土数値情報（行政区域データ）を加工して作成</span>
        {t('dashboard.creditTranslation') && (
          <span className="credit-translation">{t('dashboard.creditTranslation')}</span>
        )}
      </p>
    </div>
  );
}

type RegionGroup = { key: string; name: string; nameEn: string; municipalities: Municipality[] };

/** Regions in the server's order; municipalities in code order (cities first, as officially listed). */
function groupByRegion(municipalities: Municipality[], regions: Region[]): RegionGroup[] {
  const groups = new Map<string, RegionGroup>();
  for (const r of regions) groups.set(r.code, { key: r.code, name: r.name, nameEn: r.nameEn, municipalities: [] });
  for (const m of [...municipalities].sort((a, b) => a.code.localeCompare(b.code))) {
    let group = groups.get(m.regionCode);
    if (!group) {
      group = { key: m.regionCode, name: m.region, nameEn: m.region, municipalities: [] };
      groups.set(m.regionCode, group);
    }
    group.municipalities.push(m);
  }
  return [...groups.values()].filter((g) => g.municipalities.length > 0);
}
