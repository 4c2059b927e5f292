/**
 * The plan's figures for everyone (/kpi/public): the approved evaluation of a fiscal year — plan
 * vs actual per indicator as a chart with its table, the prefecture's assessment, the committee's
 * opinions, a map and table per municipality — and the open data and report files. Phone first:
 * one column, the figure of the year in large type before the chart. No personal data: counts of
 * people below 10 and those that would reveal one arrive hidden and are shown as X (秘匿).
 */
import { TableScroll } from '../../components/TableScroll';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT, type Lang } from '../../i18n';
import { KpiMap } from '../../components/KpiMap';
import { municipalityLabel } from '../../format';
import type { ApiAnswer } from '../../data/client';

type PublicKpi = ApiAnswer<'get', '/api/public/kpi'>;
type Indicator = PublicKpi['indicators'][number];
type Shown = Indicator['actual'];

const TARGET_COLOR = '#8c8c8c';
const ACTUAL_COLOR = '#0072B2';
const CUMULATIVE_TARGET_COLOR = '#E69F00';
const CUMULATIVE_ACTUAL_COLOR = '#009E73';

function shownText(s: Shown, lang: Lang, noData: string): string {
  if (s.hidden) return 'X';
  return s.value === null ? noData : formatNumber(s.value, lang);
}

function ratioText(s: Shown): string {
  if (s.hidden) return 'X';
  return s.value === null ? '—' : `${(s.value * 100).toFixed(1)}%`;
}

export function PublicKpiPage() {
  const t = useT();
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const fy = Number(params.get('fy')) || undefined;
  const planCode = params.get('plan') ?? '';
  const kpi = useApiQuery(
    '/api/public/kpi',
    { params: { query: { ...(fy ? { fiscalYear: fy } : {}), ...(planCode ? { plan: planCode } : {}) } } },
    { redirectOn401: false },
  );
  const planQuery = planCode ? `&plan=${encodeURIComponent(planCode)}` : '';
  const municipalities = useApiQuery('/api/municipalities', undefined, { redirectOn401: false, staleTime: 86_400_000 });
  const [mapCode, setMapCode] = useState('');
  const d = kpi.data;
  const year = (y: number) => (lang === 'ja' ? `${y}年度` : `FY${y}`);
  const nameOf = (code: string, fallback: string) => {
    const m = municipalities.data?.find((x) => x.code === code);
    return m ? municipalityLabel(m, code, lang) : fallback;
  };
  const mapIndicator =
    d?.indicators.find((i) => i.code === mapCode) ??
    d?.indicators.find((i) => i.code === 'relationship_created') ??
    d?.indicators[0];

  return (
    <>
      <PageTitle>{t('kpi.public.title')}</PageTitle>
      <p>{t('kpi.public.intro')}</p>
      {kpi.error?.status === 404 && <p className="card">{t('kpi.public.none')}</p>}
      {kpi.error && kpi.error.status !== 404 && <ErrorAlert onRetry={kpi.reload}>{kpi.error.message}</ErrorAlert>}
      {!d && !kpi.error && <Loading />}
      {d && (
        <div className="public-kpi" aria-busy={kpi.loading}>
          <p className="muted">
            {lang === 'en' ? d.plan.nameEn : d.plan.name}（{year(d.plan.fromFiscalYear)}–{year(d.plan.toFiscalYear)}）
          </p>
          {d.plans.length > 1 && (
            <SelectField
              label={t('kpi.public.plan')}
              value={d.plan.code}
              options={d.plans.map((p) => ({
                value: p.code,
                label: `${p.municipality ? `${nameOf(p.municipality.code, p.municipality.name)}：` : ''}${lang === 'en' ? p.nameEn : p.name}`,
              }))}
              onChange={(e) => setParams({ plan: e.target.value })}
            />
          )}
          {d.approvedYears.length > 1 && (
            <SelectField
              label={t('kpi.fy')}
              value={String(d.fiscalYear)}
              options={d.approvedYears.map((y) => ({ value: String(y), label: year(y) }))}
              onChange={(e) => setParams({ fy: e.target.value, ...(planCode ? { plan: planCode } : {}) })}
            />
          )}
          <p role="status">
            {t('kpi.public.approved', {
              fy: year(d.fiscalYear),
              date: new Date(d.approvedAt).toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
                timeZone: 'Asia/Tokyo',
              }),
            })}
          </p>
          <p className="actions">
            <a className="button button-secondary" href="/api/public/kpi/opendata.csv" download>
              {t('kpi.public.openData')}
            </a>{' '}
            <a
              className="button button-secondary"
              href={`/api/public/kpi/reports/${d.fiscalYear}?format=pdf${planQuery}`}
              download
            >
              {t('kpi.eval.download', { format: 'PDF' })}
            </a>{' '}
            <a
              className="button button-secondary"
              href={`/api/public/kpi/reports/${d.fiscalYear}?format=xlsx${planQuery}`}
              download
            >
              {t('kpi.eval.download', { format: 'Excel' })}
            </a>
          </p>
          {d.indicators.map((i) => (
            <PublicIndicator key={i.code} indicator={i} />
          ))}
          {mapIndicator && (
            <section className="card" aria-labelledby="public-kpi-map">
              <h2 id="public-kpi-map">
                {t('kpi.map.title', {
                  label: lang === 'en' ? mapIndicator.labelEn : mapIndicator.label,
                  fy: d.fiscalYear,
                })}
              </h2>
              <SelectField
                label={t('kpi.map.indicator')}
                value={mapIndicator.code}
                options={d.indicators.map((i) => ({ value: i.code, label: lang === 'en' ? i.labelEn : i.label }))}
                onChange={(e) => setMapCode(e.target.value)}
              />
              <KpiMap
                label={t('kpi.map.label', { label: lang === 'en' ? mapIndicator.labelEn : mapIndicator.label })}
                names={new Map(mapIndicator.municipalities.map((m) => [m.code, nameOf(m.code, m.name)]))}
                figures={new Map(mapIndicator.municipalities.map((m) => [m.code, m.actual]))}
              />
              <details className="collapsible">
                <summary>{t('kpi.asTable')}</summary>
                <TableScroll label={t('kpi.municipalityColumn')}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('kpi.municipalityColumn')}</th>
                        <th scope="col">{t('kpi.actual')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {mapIndicator.municipalities.map((m) => (
                        <tr key={m.code}>
                          <th scope="row">{nameOf(m.code, m.name)}</th>
                          <td className="num">{shownText(m.actual, lang, t('kpi.noData'))}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              </details>
            </section>
          )}
          {d.generalOpinions.length > 0 && (
            <section className="card" aria-labelledby="public-kpi-opinions">
              <h2 id="public-kpi-opinions">{t('kpi.eval.opinions')}</h2>
              <Opinions opinions={d.generalOpinions} />
            </section>
          )}
          <p className="hint">{t('kpi.public.suppression')}</p>
        </div>
      )}
    </>
  );
}

function Opinions({ opinions }: { opinions: Array<{ givenOn: string; author: string; text: string }> }) {
  return (
    <ul className="plain-list">
      {opinions.map((o) => (
        <li key={`${o.givenOn}-${o.author}-${o.text.slice(0, 20)}`}>
          <strong>
            {o.givenOn} {o.author}
          </strong>
          <br />
          <span className="pre-wrap" lang="ja">
            {o.text}
          </span>
        </li>
      ))}
    </ul>
  );
}

function PublicIndicator({ indicator: i }: { indicator: Indicator }) {
  const t = useT();
  const { lang } = useLang();
  const label = lang === 'en' ? i.labelEn : i.label;
  const id = `public-kpi-${i.code}`;
  const noData = t('kpi.noData');
  const year = (y: number) => (lang === 'ja' ? `${y}年度` : `FY${y}`);
  const rows = i.trend.map((y) => ({
    year: year(y.fiscalYear),
    fiscalYear: y.fiscalYear,
    target: y.target.value,
    actual: y.actual.value,
    cumulativeTarget: y.cumulativeTarget.value,
    cumulativeActual: y.cumulativeActual.value,
    raw: y,
  }));
  return (
    <section className="card chart-card" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{label}</h2>
      <p className="kpi-headline">
        <span className="kpi-big" data-testid={`${id}-actual`}>
          {shownText(i.actual, lang, noData)}
        </span>{' '}
        {i.unit}
        <span className="muted">
          {' '}
          / {t('kpi.target')} {shownText(i.target, lang, noData)}（{t('kpi.achievement')} {ratioText(i.achievement)}）
        </span>
      </p>
      <figure aria-describedby={`${id}-summary`}>
        <div className="chart" aria-hidden="true" inert>
          <ResponsiveContainer width="100%" height={200}>
            <ComposedChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="year" />
              <YAxis allowDecimals={false} width={48} />
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
              .map((r) =>
                t('kpi.chartYear', {
                  fy: r.fiscalYear,
                  target: shownText(r.raw.target, lang, noData),
                  actual: shownText(r.raw.actual, lang, noData),
                }),
              )
              .join('、'),
          })}
        </figcaption>
      </figure>
      <details className="collapsible">
        <summary>{t('kpi.asTable')}</summary>
        <TableScroll label={label}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('kpi.fy')}</th>
                <th scope="col">{t('kpi.target')}</th>
                <th scope="col">{t('kpi.actual')}</th>
                <th scope="col">{t('kpi.cumulativeTarget')}</th>
                <th scope="col">{t('kpi.cumulativeActual')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.fiscalYear}>
                  <th scope="row">{r.year}</th>
                  <td className="num">{shownText(r.raw.target, lang, noData)}</td>
                  <td className="num">{shownText(r.raw.actual, lang, noData)}</td>
                  <td className="num">{shownText(r.raw.cumulativeTarget, lang, noData)}</td>
                  <td className="num">{shownText(r.raw.cumulativeActual, lang, noData)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
      {i.commentary && (
        <>
          <h3>{t('kpi.public.commentary')}</h3>
          <p className="pre-wrap" lang="ja">
            {i.commentary}
          </p>
        </>
      )}
      {i.opinions.length > 0 && (
        <>
          <h3>{t('kpi.eval.opinions')}</h3>
          <Opinions opinions={i.opinions} />
        </>
      )}
    </section>
  );
}
