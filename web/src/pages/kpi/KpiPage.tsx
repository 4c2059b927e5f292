/**
 * The plan's indicators (計画の数値目標): per indicator, target and actual of each fiscal year of the
 * plan as bars with the cumulative actual and target as lines, the achievement, the figures per
 * municipality, and — on choosing an indicator — the records it counted (audited on the server).
 * Municipality staff see their municipality's figures only. Every chart has its table beneath.
 */
import { TableScroll } from '../../components/TableScroll';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { todayInTokyo } from '../../../../src/shared/dates';
import { useUser } from '../../auth';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { formatFigure, formatShare, KpiFigureRow, type KpiItem } from '../../components/KpiYearFigures';
import { municipalityLabel } from '../../format';
import { useMunicipalities } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT, type MessageKey } from '../../i18n';
import { fiscalYearOf } from '../../vocab';
import { DepthSection } from './DepthSection';
import { EvaluationSection } from './EvaluationSection';
import { KpiMap } from '../../components/KpiMap';
import { PlanForm } from './PlanForm';

const TARGET_COLOR = '#8c8c8c';
const ACTUAL_COLOR = '#0072B2';
const CUMULATIVE_TARGET_COLOR = '#E69F00';
const CUMULATIVE_ACTUAL_COLOR = '#009E73';

export function KpiPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  const [params, setParams] = useSearchParams();
  const currentFy = fiscalYearOf(todayInTokyo());
  const fiscalYear = Number(params.get('fy')) || currentFy;
  const ownMunicipality = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const municipality = ownMunicipality ?? params.get('municipality') ?? '';
  const plan = params.get('plan') ?? '';
  const plans = useApiQuery('/api/kpi/plans');
  const data = useApiQuery('/api/kpi/actuals', {
    params: {
      query: { fiscalYear, ...(municipality ? { municipality } : {}), ...(plan ? { plan } : {}) },
    },
  });
  const [drill, setDrill] = useState<KpiItem | null>(null);
  const [mapCode, setMapCode] = useState('');
  const evaluates = user.role === 'prefecture_admin' || user.role === 'center_staff';

  const set = (key: 'fy' | 'municipality' | 'plan', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    setDrill(null);
  };
  const chosenPlan = plans.data?.items.find((p) => p.code === (plan || data.data?.plan.code));
  const firstYear = Math.min(chosenPlan?.fromFiscalYear ?? currentFy, currentFy);
  const lastYear = Math.max(chosenPlan?.toFiscalYear ?? currentFy, currentFy);
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => lastYear - i);

  return (
    <>
      <PageTitle>{t('kpi.title')}</PageTitle>
      <p className="hint">{t('kpi.intro')}</p>
      <div className="filters">
        <SelectField
          label={t('kpi.plan')}
          value={plan || (data.data?.plan.code ?? '')}
          options={(plans.data?.items ?? []).map((p) => ({
            value: p.code,
            label: lang === 'en' ? p.nameEn : p.nameJa,
          }))}
          onChange={(e) => set('plan', e.target.value)}
        />
        <SelectField
          label={t('kpi.fy')}
          value={String(fiscalYear)}
          options={years.map((y) => ({ value: String(y), label: lang === 'ja' ? `${y}年度` : `FY${y}` }))}
          onChange={(e) => set('fy', e.target.value)}
        />
        <SelectField
          label={t('kpi.municipality')}
          value={municipality}
          disabled={Boolean(ownMunicipality)}
          placeholder={ownMunicipality ? undefined : t('kpi.allMunicipalities')}
          options={municipalities
            .filter((m) => !ownMunicipality || m.code === ownMunicipality)
            .map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
          onChange={(e) => set('municipality', e.target.value)}
        />
      </div>
      {data.error && <ErrorAlert onRetry={data.reload}>{data.error.message}</ErrorAlert>}
      {!data.data && !data.error && <Loading />}
      {data.data && (
        <div className="analysis" aria-busy={data.loading}>
          <p className="result-count" role="status">
            {t('kpi.scope', {
              plan: data.data.plan.name,
              fy: lang === 'ja' ? `${data.data.fiscalYear}年度` : `FY${data.data.fiscalYear}`,
              municipality: data.data.municipality?.name ?? t('kpi.allMunicipalities'),
            })}
          </p>
          <KpiFigureRow data={data.data} limit={data.data.items.length} />
          <div className="analysis-grid">
            {data.data.items.map((item) => (
              <IndicatorCard key={item.code} item={item} onDrill={() => setDrill(item)} />
            ))}
          </div>
          {drill && (
            <RecordsSection
              key={`${drill.code}-${data.data.fiscalYear}-${municipality}`}
              item={drill}
              fiscalYear={data.data.fiscalYear}
              municipality={municipality}
            />
          )}
          {data.data.municipalities.length > 1 && (
            <section className="card" aria-labelledby="kpi-municipalities">
              <h2 id="kpi-municipalities">{t('kpi.municipalitiesTitle')}</h2>
              {(() => {
                const shownItem =
                  data.data.items.find((i) => i.code === mapCode) ??
                  data.data.items.find((i) => i.actual !== null) ??
                  data.data.items[0];
                if (!shownItem) return null;
                const label = lang === 'en' ? shownItem.labelEn : shownItem.labelJa;
                return (
                  <>
                    <SelectField
                      label={t('kpi.map.indicator')}
                      value={shownItem.code}
                      options={data.data.items.map((i) => ({
                        value: i.code,
                        label: lang === 'en' ? i.labelEn : i.labelJa,
                      }))}
                      onChange={(e) => setMapCode(e.target.value)}
                    />
                    <KpiMap
                      label={t('kpi.map.label', { label })}
                      names={
                        new Map(
                          data.data.municipalities.map((m) => [
                            m.code,
                            municipalityLabel(
                              municipalities.find((x) => x.code === m.code),
                              m.code,
                              lang,
                            ),
                          ]),
                        )
                      }
                      figures={
                        new Map(
                          data.data.municipalities.map((m) => [
                            m.code,
                            { value: m.figures.find((f) => f.code === shownItem.code)?.actual ?? null, hidden: false },
                          ]),
                        )
                      }
                      onSelect={(code) => set('municipality', code)}
                    />
                  </>
                );
              })()}
              <TableScroll label={t('kpi.municipalitiesTitle')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('kpi.municipalityColumn')}</th>
                      {data.data.items.map((i) => (
                        <th key={i.code} scope="col">
                          {lang === 'en' ? i.labelEn : i.labelJa}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.data.municipalities.map((m) => (
                      <tr key={m.code}>
                        <th scope="row">
                          {municipalityLabel(
                            municipalities.find((x) => x.code === m.code),
                            m.code,
                            lang,
                          )}
                        </th>
                        {m.figures.map((f) => (
                          <td key={f.code} className="num">
                            {formatFigure(f.actual, lang) ?? t('kpi.noData')}
                            {f.target !== null && <span className="cell-sub"> / {formatNumber(f.target, lang)}</span>}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </section>
          )}
          <DepthSection fiscalYear={data.data.fiscalYear} municipality={municipality} />
          {evaluates && !data.data.municipality && <EvaluationSection fiscalYear={data.data.fiscalYear} plan={plan} />}
          {user.role === 'prefecture_admin' && chosenPlan && <PlanForm key={chosenPlan.id} editing={chosenPlan} />}
          {user.role === 'prefecture_admin' && <PlanForm />}
        </div>
      )}
    </>
  );
}

/** One indicator: bars of target and actual per year, lines of the cumulative figures, the table beneath. */
function IndicatorCard({ item, onDrill }: { item: KpiItem; onDrill: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const label = lang === 'en' ? item.labelEn : item.labelJa;
  const id = `kpi-${item.code}`;
  const yearLabel = (fy: number) => (lang === 'ja' ? `${fy}年度` : `FY${fy}`);
  const rows = item.trend.map((y) => ({ ...y, year: yearLabel(y.fiscalYear) }));
  const figure = (v: number | null) => formatFigure(v, lang) ?? t('kpi.noData');
  return (
    <section className="card chart-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{label}</h2>
      <p className="hint">
        {t('kpi.baseline', { n: formatNumber(item.baseline, lang) })} · {t(`kpi.unit.${item.unit}` as MessageKey)}
        {item.actual === null && ` · ${t('kpi.noDataHint')}`}
      </p>
      <figure aria-describedby={`${id}-summary`}>
        <div className="chart" aria-hidden="true" inert>
          <ResponsiveContainer width="100%" height={220}>
            <ComposedChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="year" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="target" name={t('kpi.target')} fill={TARGET_COLOR} />
              <Bar dataKey="actual" name={t('kpi.actual')} fill={ACTUAL_COLOR} />
              <Line dataKey="cumulativeTarget" name={t('kpi.cumulativeTarget')} stroke={CUMULATIVE_TARGET_COLOR} />
              <Line dataKey="cumulativeActual" name={t('kpi.cumulativeActual')} stroke={CUMULATIVE_ACTUAL_COLOR} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
        <figcaption id={`${id}-summary`} className="chart-summary">
          {t('kpi.chartSummary', {
            label,
            years: rows
              .map((r) => t('kpi.chartYear', { fy: r.fiscalYear, target: figure(r.target), actual: figure(r.actual) }))
              .join('、'),
          })}
        </figcaption>
      </figure>
      {item.breakdown.length > 0 && (
        <ul className="plain-list">
          {item.breakdown.map((b) => (
            <li key={b.key}>
              {t(`kpi.breakdown.${b.key}` as MessageKey)}：
              {b.key === 'share' ? formatShare(b.value, lang) : formatNumber(b.value, lang)}
            </li>
          ))}
        </ul>
      )}
      <details className="collapsible">
        <summary>{t('kpi.asTable')}</summary>
        <TableScroll label={label}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('kpi.fy')}</th>
                <th scope="col">{t('kpi.target')}</th>
                <th scope="col">{t('kpi.actual')}</th>
                <th scope="col">{t('kpi.achievement')}</th>
                <th scope="col">{t('kpi.cumulativeTarget')}</th>
                <th scope="col">{t('kpi.cumulativeActual')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.fiscalYear}>
                  <th scope="row">{r.year}</th>
                  <td className="num">{figure(r.target)}</td>
                  <td className="num">{figure(r.actual)}</td>
                  <td className="num">
                    {formatShare(r.actual !== null && r.target ? r.actual / r.target : null, lang)}
                  </td>
                  <td className="num">{figure(r.cumulativeTarget)}</td>
                  <td className="num">{figure(r.cumulativeActual)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
      {item.actual !== null && (
        <button type="button" className="button-secondary" onClick={onDrill}>
          {t('kpi.showRecords')}
        </button>
      )}
    </section>
  );
}

const PAGE = 100;

/** The records an indicator counted in the year, a page at a time. */
function RecordsSection({
  item,
  fiscalYear,
  municipality,
}: {
  item: KpiItem;
  fiscalYear: number;
  municipality: string;
}) {
  const t = useT();
  const { lang } = useLang();
  const [limit, setLimit] = useState(PAGE);
  const records = useApiQuery('/api/kpi/actuals/{code}/records', {
    params: {
      path: { code: item.code },
      query: { fiscalYear, limit, ...(municipality ? { municipality } : {}) },
    },
  });
  const label = lang === 'en' ? item.labelEn : item.labelJa;
  return (
    <section className="card" aria-labelledby="kpi-records">
      <h2 id="kpi-records">{t('kpi.recordsTitle', { label, fy: fiscalYear })}</h2>
      {records.error && <ErrorAlert onRetry={records.reload}>{records.error.message}</ErrorAlert>}
      {!records.data && !records.error && <Loading />}
      {records.data && records.data.items.length === 0 && <p>{t('kpi.recordsNone')}</p>}
      {records.data && records.data.items.length > 0 && (
        <>
          <p role="status">
            {t('kpi.recordsSummary', {
              total: formatNumber(records.data.total, lang),
              sum: formatFigure(records.data.sum, lang) ?? '—',
            })}
          </p>
          <TableScroll label={t('kpi.recordsTitle', { label, fy: fiscalYear })}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('kpi.record.on')}</th>
                  <th scope="col">{t('kpi.record.name')}</th>
                  <th scope="col">{t('kpi.record.municipality')}</th>
                  <th scope="col">{t('kpi.record.value')}</th>
                  <th scope="col">{t('kpi.record.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {records.data.items.map((r) => (
                  <tr key={`${r.kind}-${r.id}`}>
                    <td>{r.on}</td>
                    <td>
                      {r.kind === 'event' ? (
                        <a href={`/manage/events/${encodeURIComponent(r.id)}`}>{r.name}</a>
                      ) : r.personId ? (
                        <a href={`/people/${encodeURIComponent(r.personId)}`}>{r.name}</a>
                      ) : (
                        r.name
                      )}
                    </td>
                    <td>{r.municipalityName ?? ''}</td>
                    <td className="num">{formatNumber(r.value, lang)}</td>
                    <td>{r.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {records.data.total > records.data.items.length && (
            <button type="button" className="button-secondary" onClick={() => setLimit((n) => Math.min(n + PAGE, 500))}>
              {t('kpi.recordsMore')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
