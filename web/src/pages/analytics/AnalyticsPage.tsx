/**
 * Needs analysis for the center's plan review (移住相談の分析): where consulting people live,
 * topics month by month, channels that lead to moves, time from first contact to move, the
 * conversion per stage, and the map of consultations per municipality — for one fiscal year
 * (April–March) and optionally one municipality, downloadable as .xlsx and .csv.
 *
 * Every chart is a picture of a table: the chart itself is hidden from assistive technology, a
 * one-sentence summary describes it, and the same figures are in a table beneath ("表で見る").
 */
import { useMemo, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { todayInTokyo } from '../../../../src/shared/dates';
import { buildUrl } from '../../api';
import { useUser } from '../../auth';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { buildColorScale, colorFor, ZERO_COLOR } from '../../components/colorScale';
import { MunicipalityMap } from '../../components/MunicipalityMap';
import { PageTitle } from '../../components/PageTitle';
import { municipalityLabel } from '../../format';
import { useMunicipalities } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT, type Lang, type Translate } from '../../i18n';
import type { ApiAnswer } from '../../data/client';
import { areaLabel, channelLabel, endReasonLabel, fiscalYearOf, funnelStageLabel, topicLabel } from '../../vocab';
import { TableScroll } from '../../components/TableScroll';

/** The analysis as the API sends it (`GET /api/analytics/consultations`). */
type ConsultationAnalytics = ApiAnswer<'get', '/api/analytics/consultations'>;

const MAP_CREDIT = '出典：国土交通省国土数値情報（行政区域データ）を加工して作成';
/** Colour-blind-safe categorical colours (Okabe–Ito), then greys for "other". */
const SERIES = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8c8c8c'];
const TOP_TOPICS = 6;
const YEARS_BACK = 6;

function percent(share: number | null, lang: Lang): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(share);
}

/** The charts' tick text size (px), set on every axis so that the width measured below is the width drawn. */
const TICK_FONT_PX = 12;
const TICK = { fontSize: TICK_FONT_PX };

/**
 * Width for a chart's category axis that holds its longest label whole (現地訪問・お試し滞在): each
 * label measured in the page's own font at the tick size (a canvas measures as the SVG text draws),
 * plus the tick mark and its gap (6 + 2 px in recharts) and a little air. Without a canvas, one em
 * per full-width character and 0.6 em per narrow one.
 */
function categoryAxisWidth(labels: readonly string[]): number {
  const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  let widest = 0;
  if (context) {
    context.font = `${TICK_FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
    for (const l of labels) widest = Math.max(widest, context.measureText(l).width);
  } else {
    for (const l of labels)
      widest = Math.max(widest, [...l].reduce((w, c) => w + (/[\u0000-\u00ff]/.test(c) ? 0.6 : 1), 0) * TICK_FONT_PX);
  }
  return Math.ceil(widest) + 14;
}

/** FY2026 (令和8年度) in Japanese, FY2026 in English. */
function fiscalYearLabel(fy: number, lang: Lang): string {
  return lang === 'ja' ? `${fy}年度（令和${fy - 2018}年度）` : `FY${fy} (Apr ${fy} – Mar ${fy + 1})`;
}

export function AnalyticsPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  const [params, setParams] = useSearchParams();
  const currentFy = fiscalYearOf(todayInTokyo());
  const fy = Number(params.get('fy')) || currentFy;
  const ownMunicipality = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const municipality = ownMunicipality ?? params.get('municipality') ?? '';
  const query = { fy, municipality };
  const data = useApiQuery('/api/analytics/consultations', { params: { query } });

  const set = (key: 'fy' | 'municipality', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => currentFy - i);
  return (
    <>
      <PageTitle>{t('analysis.title')}</PageTitle>
      <p className="hint">{t('analysis.intro')}</p>
      <div className="filters">
        <SelectField
          label={t('analysis.fy')}
          value={String(fy)}
          options={years.map((y) => ({ value: String(y), label: fiscalYearLabel(y, lang) }))}
          onChange={(e) => set('fy', e.target.value)}
        />
        <SelectField
          label={t('analysis.municipality')}
          value={municipality}
          placeholder={ownMunicipality ? undefined : t('analysis.allMunicipalities')}
          options={municipalities
            .filter((m) => !ownMunicipality || m.code === ownMunicipality)
            .map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
          onChange={(e) => set('municipality', e.target.value)}
        />
        <div className="button-row download-row">
          <a
            className="button button-secondary"
            href={buildUrl('/api/analytics/consultations', { ...query, format: 'xlsx' })}
            download
          >
            {t('analysis.downloadXlsx')}
          </a>
          <a
            className="button button-secondary"
            href={buildUrl('/api/analytics/consultations', { ...query, format: 'csv' })}
            download
          >
            {t('analysis.downloadCsv')}
          </a>
        </div>
      </div>
      {data.error && <ErrorAlert onRetry={data.reload}>{data.error.message}</ErrorAlert>}
      {data.loading && !data.data && <Loading />}
      {data.data && <Report a={data.data} busy={data.loading} />}
    </>
  );
}

function Report({ a, busy }: { a: ConsultationAnalytics; busy: boolean }) {
  const t = useT();
  const { lang } = useLang();
  const n = (v: number) => formatNumber(v, lang);
  const totals: [string, number][] = [
    [t('analysis.totalConsultations'), a.totals.consultations],
    [t('analysis.totalPeople'), a.totals.people],
    [t('analysis.totalCases'), a.totals.casesOpened],
    [t('analysis.totalMoves'), a.totals.moves],
  ];
  return (
    <div aria-busy={busy} className="analysis">
      <p className="result-count" role="status">
        {t('analysis.scope', {
          fy: fiscalYearLabel(a.fiscalYear, lang),
          from: a.from,
          to: a.to,
          municipality: a.municipality?.name ?? t('analysis.allMunicipalities'),
        })}
      </p>
      <p className="hint analysis-basis">{t('analysis.totalsBasis', { fy: fiscalYearLabel(a.fiscalYear, lang) })}</p>
      <dl className="stats">
        {totals.map(([label, value]) => (
          <div key={label} className="stat">
            <dt>{label}</dt>
            <dd>{n(value)}</dd>
          </div>
        ))}
      </dl>
      <div className="analysis-grid">
        <AreasChart a={a} />
        <TimeToMove a={a} />
      </div>
      <TopicsChart a={a} />
      <div className="analysis-grid">
        <ChannelsChart a={a} />
        <FunnelChart a={a} />
      </div>
      <MunicipalityMapSection a={a} />
    </div>
  );
}

/** A chart with its heading, a spoken summary, and its figures as a table to open. */
function ChartCard({
  id,
  title,
  summary,
  chart,
  table,
  wide,
  basis,
}: {
  id: string;
  title: string;
  /** Who and which period the panel counts, in words. */
  basis: string;
  summary: string;
  chart: ReactNode;
  table: ReactNode;
  wide?: boolean;
}) {
  const t = useT();
  return (
    <section className={wide ? 'card chart-card chart-wide' : 'card chart-card'} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="hint analysis-basis">{basis}</p>
      <figure aria-describedby={`${id}-summary`}>
        <div className="chart" aria-hidden="true" inert>
          {chart}
        </div>
        <figcaption id={`${id}-summary`} className="chart-summary">
          {summary}
        </figcaption>
      </figure>
      <details className="collapsible">
        <summary>{t('analysis.asTable')}</summary>
        <TableScroll label={title}>{table}</TableScroll>
      </details>
    </section>
  );
}

function AreasChart({ a }: { a: ConsultationAnalytics }) {
  const t = useT();
  const { lang } = useLang();
  const rows = a.areas.map((r) => ({
    ...r,
    label: areaLabel(t, r.area),
    pct: r.peopleShare === null ? 0 : Math.round(r.peopleShare * 1000) / 10,
  }));
  const summary = rows.some((r) => r.people > 0)
    ? t('analysis.areasSummary', {
        list: rows
          .filter((r) => r.people > 0)
          .map((r) => `${r.label} ${percent(r.peopleShare, lang)}`)
          .join(lang === 'ja' ? '、' : ', '),
      })
    : t('analysis.noData');
  return (
    <ChartCard
      id="areas"
      title={t('analysis.areasTitle')}
      basis={t('analysis.areasBasis', {
        fy: fiscalYearLabel(a.fiscalYear, lang),
        people: formatNumber(a.totals.people, lang),
      })}
      summary={summary}
      chart={
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" unit="%" domain={[0, 100]} tick={TICK} />
            <YAxis type="category" dataKey="label" tick={TICK} width={categoryAxisWidth(rows.map((r) => r.label))} />
            <Tooltip formatter={(v) => `${String(v)}%`} />
            <Bar dataKey="pct" name={t('analysis.peopleShare')} fill={SERIES[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <table>
          <caption>{t('analysis.areasTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('analysis.area')}</th>
              <th scope="col" className="numeric">
                {t('analysis.people')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.peopleShare')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.consultations')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.consultationsShare')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.area}>
                <th scope="row">{r.label}</th>
                <td className="numeric">{formatNumber(r.people, lang)}</td>
                <td className="numeric">{percent(r.peopleShare, lang)}</td>
                <td className="numeric">{formatNumber(r.consultations, lang)}</td>
                <td className="numeric">{percent(r.consultationsShare, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function monthLabel(month: string, lang: Lang): string {
  const m = Number(month.slice(5, 7));
  return lang === 'ja'
    ? `${m}月`
    : new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

function TopicsChart({ a }: { a: ConsultationAnalytics }) {
  const t = useT();
  const { lang } = useLang();
  const top = [...a.topicTotals]
    .filter((x) => x.consultations > 0)
    .sort((x, y) => y.consultations - x.consultations)
    .slice(0, TOP_TOPICS)
    .map((x) => x.topic);
  const rows = a.topicsByMonth.map((m) => {
    const row: Record<string, number | string> = { month: monthLabel(m.month, lang) };
    let other = 0;
    for (const [topic, count] of Object.entries(m.topics)) {
      if ((top as string[]).includes(topic)) row[topic] = count;
      else other += count;
    }
    row.other_topics = other;
    return row;
  });
  const hasOther = rows.some((r) => Number(r.other_topics) > 0);
  const summary =
    top.length > 0
      ? t('analysis.topicsSummary', {
          list: [...a.topicTotals]
            .filter((x) => x.consultations > 0)
            .sort((x, y) => y.consultations - x.consultations)
            .slice(0, 3)
            .map((x) => `${topicLabel(t, x.topic)} ${percent(x.share, lang)}`)
            .join(lang === 'ja' ? '、' : ', '),
        })
      : t('analysis.noData');
  return (
    <ChartCard
      id="topics"
      wide
      title={t('analysis.topicsTitle')}
      basis={t('analysis.topicsBasis', {
        fy: fiscalYearLabel(a.fiscalYear, lang),
        count: formatNumber(a.totals.consultations, lang),
      })}
      summary={summary}
      chart={
        <ResponsiveContainer width="100%" height={300}>
          <BarChart data={rows} margin={{ left: 0, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="month" tick={TICK} />
            <YAxis allowDecimals={false} tick={TICK} />
            <Tooltip />
            <Legend />
            {top.map((topic, i) => (
              <Bar
                key={topic}
                dataKey={topic}
                name={topicLabel(t, topic)}
                stackId="topics"
                fill={SERIES[i % SERIES.length]}
                isAnimationActive={false}
              />
            ))}
            {hasOther && (
              <Bar
                dataKey="other_topics"
                name={t('analysis.otherTopics')}
                stackId="topics"
                fill={SERIES[SERIES.length - 1]}
                isAnimationActive={false}
              />
            )}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <table>
          <caption>{t('analysis.topicsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('analysis.topic')}</th>
              {a.topicsByMonth.map((m) => (
                <th key={m.month} scope="col" className="numeric">
                  {monthLabel(m.month, lang)}
                </th>
              ))}
              <th scope="col" className="numeric">
                {t('analysis.total')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.share')}
              </th>
            </tr>
          </thead>
          <tbody>
            {a.topicTotals.map((x) => (
              <tr key={x.topic}>
                <th scope="row">{topicLabel(t, x.topic)}</th>
                {a.topicsByMonth.map((m) => (
                  <td key={m.month} className="numeric">
                    {formatNumber(m.topics[x.topic] ?? 0, lang)}
                  </td>
                ))}
                <td className="numeric">{formatNumber(x.consultations, lang)}</td>
                <td className="numeric">{percent(x.share, lang)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('analysis.consultations')}</th>
              {a.topicsByMonth.map((m) => (
                <td key={m.month} className="numeric">
                  {formatNumber(m.consultations, lang)}
                </td>
              ))}
              <td className="numeric">{formatNumber(a.totals.consultations, lang)}</td>
              <td />
            </tr>
          </tbody>
        </table>
      }
    />
  );
}

function ChannelsChart({ a }: { a: ConsultationAnalytics }) {
  const t = useT();
  const { lang } = useLang();
  const rows = a.channels.filter((c) => c.people > 0).map((c) => ({ ...c, label: channelLabel(t, c.channel) }));
  const best = [...rows]
    .filter((r) => r.moveRate !== null && r.peopleMoved > 0)
    .sort((x, y) => (y.moveRate ?? 0) - (x.moveRate ?? 0))[0];
  const summary =
    rows.length === 0
      ? t('analysis.noData')
      : best
        ? t('analysis.channelsSummary', {
            channel: best.label,
            rate: percent(best.moveRate, lang),
            moved: best.peopleMoved,
            people: best.people,
          })
        : t('analysis.channelsNoMoves');
  return (
    <ChartCard
      id="channels"
      title={t('analysis.channelsTitle')}
      basis={t('analysis.channelsBasis', {
        fy: fiscalYearLabel(a.fiscalYear, lang),
        people: formatNumber(a.totals.people, lang),
      })}
      summary={summary}
      chart={
        <ResponsiveContainer width="100%" height={Math.max(200, rows.length * 36 + 60)}>
          <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={TICK} />
            <YAxis type="category" dataKey="label" tick={TICK} width={categoryAxisWidth(rows.map((r) => r.label))} />
            <Tooltip />
            <Legend />
            <Bar dataKey="people" name={t('analysis.people')} fill={SERIES[4]} isAnimationActive={false} />
            <Bar dataKey="peopleMoved" name={t('analysis.peopleMoved')} fill={SERIES[2]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <table>
          <caption>{t('analysis.channelsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consult.channel')}</th>
              <th scope="col" className="numeric">
                {t('analysis.consultations')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.people')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.peopleMoved')}
              </th>
              <th scope="col" className="numeric">
                {t('analysis.moveRate')}
              </th>
            </tr>
          </thead>
          <tbody>
            {a.channels.map((c) => (
              <tr key={c.channel}>
                <th scope="row">{channelLabel(t, c.channel)}</th>
                <td className="numeric">{formatNumber(c.consultations, lang)}</td>
                <td className="numeric">{formatNumber(c.people, lang)}</td>
                <td className="numeric">{formatNumber(c.peopleMoved, lang)}</td>
                <td className="numeric">{percent(c.moveRate, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function TimeToMove({ a }: { a: ConsultationAnalytics }) {
  const t = useT();
  const { lang } = useLang();
  const m = a.timeToMove;
  const days = (v: number | null) =>
    v === null ? '—' : t('analysis.days', { count: formatNumber(Math.round(v), lang) });
  return (
    <section className="card" aria-labelledby="time-to-move-title">
      <h2 id="time-to-move-title">{t('analysis.timeToMoveTitle')}</h2>
      <p className="hint analysis-basis">
        {t('analysis.timeToMoveBasis', {
          fy: fiscalYearLabel(a.fiscalYear, lang),
          cases: formatNumber(a.timeToMove.cases, lang),
        })}
      </p>
      <dl className="stats">
        <div className="stat stat-good">
          <dt>{t('analysis.median')}</dt>
          <dd>{days(m.median)}</dd>
        </div>
        <div className="stat">
          <dt>{t('analysis.p25')}</dt>
          <dd>{days(m.p25)}</dd>
        </div>
        <div className="stat">
          <dt>{t('analysis.p75')}</dt>
          <dd>{days(m.p75)}</dd>
        </div>
        <div className="stat">
          <dt>{t('analysis.movedCases')}</dt>
          <dd>{formatNumber(m.cases, lang)}</dd>
        </div>
      </dl>
      <p className="hint">{t('analysis.timeToMoveHint')}</p>
    </section>
  );
}

function FunnelChart({ a }: { a: ConsultationAnalytics }) {
  const t = useT();
  const { lang } = useLang();
  const rows = a.conversion.stages.map((s) => ({ ...s, label: funnelStageLabel(t, s.stage) }));
  const moved = rows.find((r) => r.stage === 'moved');
  const summary =
    a.conversion.casesOpened === 0
      ? t('analysis.noData')
      : t('analysis.funnelSummary', {
          opened: formatNumber(a.conversion.casesOpened, lang),
          moved: formatNumber(moved?.cases ?? 0, lang),
          rate: percent(moved?.shareOfOpened ?? null, lang),
        });
  return (
    <ChartCard
      id="funnel"
      title={t('analysis.funnelTitle')}
      basis={t('analysis.funnelBasis', {
        fy: fiscalYearLabel(a.fiscalYear, lang),
        opened: formatNumber(a.conversion.casesOpened, lang),
        moves: formatNumber(a.totals.moves, lang),
      })}
      summary={summary}
      chart={
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={TICK} />
            <YAxis type="category" dataKey="label" tick={TICK} width={categoryAxisWidth(rows.map((r) => r.label))} />
            <Tooltip />
            <Bar dataKey="cases" name={t('analysis.cases')} fill={SERIES[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <>
          <table>
            <caption>{t('analysis.funnelTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('case.step')}</th>
                <th scope="col" className="numeric">
                  {t('analysis.cases')}
                </th>
                <th scope="col" className="numeric">
                  {t('analysis.shareOfOpened')}
                </th>
                <th scope="col" className="numeric">
                  {t('analysis.shareOfPrevious')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.stage}>
                  <th scope="row">{r.label}</th>
                  <td className="numeric">{formatNumber(r.cases, lang)}</td>
                  <td className="numeric">{percent(r.shareOfOpened, lang)}</td>
                  <td className="numeric">{percent(r.shareOfPrevious, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <EndedTable a={a} t={t} lang={lang} />
        </>
      }
    />
  );
}

function EndedTable({ a, t, lang }: { a: ConsultationAnalytics; t: Translate; lang: Lang }) {
  if (a.conversion.ended.cases === 0) return null;
  return (
    <table>
      <caption>{t('analysis.endedTitle', { count: formatNumber(a.conversion.ended.cases, lang) })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('case.endReason')}</th>
          <th scope="col" className="numeric">
            {t('analysis.cases')}
          </th>
        </tr>
      </thead>
      <tbody>
        {a.conversion.ended.byReason.map((r) => (
          <tr key={r.reason}>
            <th scope="row">{endReasonLabel(t, r.reason)}</th>
            <td className="numeric">{formatNumber(r.cases, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MunicipalityMapSection({ a }: { a: ConsultationAnalytics }) {
  const t = useT();
  const { lang } = useLang();
  const navigate = useNavigate();
  const user = useUser();
  const [params] = useSearchParams();
  const geo = useApiQuery('/api/municipalities/geo');
  const { municipalities } = useMunicipalities();
  const counts = useMemo(() => new Map(a.municipalities.map((m) => [m.code, m])), [a.municipalities]);
  const scale = useMemo(() => buildColorScale(a.municipalities.map((m) => m.consultations)), [a.municipalities]);
  const name = (code: string, fallback: string) =>
    municipalityLabel(
      municipalities.find((m) => m.code === code),
      code,
      lang,
    ) || fallback;
  const describe = (code: string, fallback: string) => {
    const m = counts.get(code);
    return t('analysis.mapItem', {
      name: name(code, fallback),
      consultations: formatNumber(m?.consultations ?? 0, lang),
      moves: formatNumber(m?.moves ?? 0, lang),
    });
  };
  const top = [...a.municipalities]
    .sort((x, y) => y.consultations - x.consultations)
    .filter((m) => m.consultations > 0)
    .slice(0, 3);
  return (
    <section className="card" aria-labelledby="map-title">
      <h2 id="map-title">{t('analysis.mapTitle')}</h2>
      <p className="hint">{t('analysis.mapHint')}</p>
      <p className="chart-summary">
        {top.length
          ? t('analysis.mapSummary', {
              list: top
                .map((m) => `${name(m.code, m.name)} ${formatNumber(m.consultations, lang)}`)
                .join(lang === 'ja' ? '、' : ', '),
            })
          : t('analysis.noData')}
      </p>
      {geo.error && <ErrorAlert onRetry={geo.reload}>{geo.error.message}</ErrorAlert>}
      <div className="map-layout">
        {geo.data && (
          <figure className="map-figure">
            <MunicipalityMap
              geo={geo.data}
              fillFor={(code) => colorFor(scale, counts.get(code)?.consultations ?? 0)}
              describe={describe}
              label={t('analysis.mapLabel')}
              onSelect={(code) => {
                if (user.role === 'municipality_staff') return;
                const next = new URLSearchParams(params);
                next.set('municipality', code);
                navigate(`/analysis?${next}`);
              }}
            />
            <figcaption className="credit">
              <span lang="ja">{MAP_CREDIT}</span>
            </figcaption>
          </figure>
        )}
        <div className="legend">
          <h3 id="analysis-legend">{t('analysis.legend')}</h3>
          <ul aria-labelledby="analysis-legend">
            {[
              { label: '0', color: ZERO_COLOR },
              ...scale.map((c) => ({
                label:
                  c.min === c.max
                    ? formatNumber(c.min, lang)
                    : `${formatNumber(c.min, lang)}–${formatNumber(c.max, lang)}`,
                color: c.color,
              })),
            ].map((row) => (
              <li key={row.label}>
                <span className="swatch" style={{ background: row.color }} aria-hidden="true" />
                {row.label}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <details className="collapsible">
        <summary>{t('analysis.asTable')}</summary>
        <TableScroll label={t('analysis.mapTitle')}>
          <table>
            <caption>{t('analysis.mapTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.municipality')}</th>
                <th scope="col" className="numeric">
                  {t('analysis.consultations')}
                </th>
                <th scope="col" className="numeric">
                  {t('analysis.totalCases')}
                </th>
                <th scope="col" className="numeric">
                  {t('analysis.totalMoves')}
                </th>
              </tr>
            </thead>
            <tbody>
              {a.municipalities.map((m) => (
                <tr key={m.code}>
                  <th scope="row">{name(m.code, m.name)}</th>
                  <td className="numeric">{formatNumber(m.consultations, lang)}</td>
                  <td className="numeric">{formatNumber(m.casesOpened, lang)}</td>
                  <td className="numeric">{formatNumber(m.moves, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </section>
  );
}
