import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert, Loading } from '../components/Messages';
import { buildColorScale, colorFor, ZERO_COLOR, type ColorScale } from '../components/colorScale';
import { MunicipalityMap } from '../components/MunicipalityMap';
import { PageTitle } from '../components/PageTitle';
import { byCodeMap, formatDate, municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { formatDateTime, formatNumber, useLang, useT } from '../i18n';
import { TableScroll } from '../components/TableScroll';
import { KpiYearFigures } from '../components/KpiYearFigures';
import { canWorkWithPeople, useAuth } from '../auth';

/** Required attribution of the boundary data; stays in Japanese whatever the UI language. */
const MAP_CREDIT = '出典：国土交通省国土数値情報（行政区域データ）を加工して作成';

export function DashboardPage() {
  const t = useT();
  const { lang } = useLang();
  const navigate = useNavigate();
  const { user } = useAuth();
  const geo = useApiQuery('/api/municipalities/geo');
  const stats = useApiQuery('/api/stats/people-by-municipality');
  const { municipalities } = useMunicipalities();
  const regions = useApiQuery('/api/regions');
  const regionName = (name: string) =>
    lang === 'en' ? (regions.data?.find((r) => r.name === name)?.nameEn ?? name) : name;
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);

  const counts = useMemo(() => new Map((stats.data ?? []).map((s) => [s.municipalityCode, s.count])), [stats.data]);
  const scale = useMemo(() => buildColorScale([...counts.values()]), [counts]);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const labelFor = (code: string, fallback: string) =>
    byCode.has(code) ? municipalityLabel(byCode.get(code), code, lang) : fallback;
  const describe = (code: string, fallback: string) =>
    `${labelFor(code, fallback)}: ${t('dashboard.people', { count: formatNumber(counts.get(code) ?? 0, lang) })}`;
  const openPeople = (code: string) => navigate(`/people?municipality=${encodeURIComponent(code)}`);

  const error = geo.error ?? stats.error;
  return (
    <>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      {/* This fiscal year's plan figures first (partners work through referrals and have none). */}
      {user && canWorkWithPeople(user) && <KpiYearFigures />}
      <DayPanel />
      <section aria-labelledby="map-heading" className="card">
        <h2 id="map-heading">{t('dashboard.mapTitle')}</h2>
        <p className="hint">{t('dashboard.mapDescription')}</p>
        {error && (
          <ErrorAlert
            onRetry={() => {
              geo.reload();
              stats.reload();
            }}
          >
            {error.message}
          </ErrorAlert>
        )}
        {(geo.loading || stats.loading) && <Loading />}
        <div className="map-layout">
          {geo.data && (
            <figure className="map-figure">
              <MunicipalityMap
                geo={geo.data}
                fillFor={(code) => colorFor(scale, counts.get(code) ?? 0)}
                describe={describe}
                label={t('dashboard.mapLabel')}
                onSelect={openPeople}
              />
              <figcaption className="credit">
                <span lang="ja">{MAP_CREDIT}</span>
                {t('dashboard.creditTranslation') && (
                  <span className="credit-translation">{t('dashboard.creditTranslation')}</span>
                )}
              </figcaption>
            </figure>
          )}
          {stats.data && <Legend scale={scale} />}
        </div>
      </section>

      {stats.data && (
        <section aria-labelledby="table-heading" className="card">
          <h2 id="table-heading">{t('dashboard.tableCaption')}</h2>
          <p>{t('dashboard.total', { count: formatNumber(total, lang) })}</p>
          <TableScroll label={t('dashboard.tableCaption')}>
            <table>
              <caption className="visually-hidden">{t('dashboard.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.municipality')}</th>
                  <th scope="col">{t('dashboard.region')}</th>
                  <th scope="col" className="numeric">
                    {t('dashboard.count')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {municipalities.map((m) => (
                  <tr key={m.code}>
                    <th scope="row">
                      <Link to={`/people?municipality=${m.code}`}>{municipalityLabel(m, m.code, lang)}</Link>
                    </th>
                    <td>{regionName(m.region)}</td>
                    <td className="numeric">{formatNumber(counts.get(m.code) ?? 0, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      )}
    </>
  );
}

/**
 * What the day starts with: each figure is a link to the list it counts (the lists read the same
 * filters from the address), counted within the staffer's scope by the server.
 */
function DayPanel() {
  const t = useT();
  const { lang } = useLang();
  const day = useApiQuery('/api/dashboard/day');
  if (day.error) return <ErrorAlert onRetry={day.reload}>{day.error.message}</ErrorAlert>;
  if (!day.data) return <Loading />;
  const d = day.data;
  const fy = d.fiscalYear;
  const figures = [
    { key: 'consultationsToday', n: d.consultationsToday, to: `/consultations?from=${d.today}&to=${d.today}` },
    { key: 'eventsToday', n: d.eventsToday, to: `/manage/events?from=${d.today}&to=${d.today}` },
    { key: 'overdueNextActions', n: d.overdueNextActions, to: '/consultations?nextAction=overdue' },
    { key: 'overdueFollowups', n: d.overdueFollowups, to: '/followups' },
    {
      key: 'newSignups',
      n: d.newSignups.total,
      to: '#new-signups',
      hint: t('dashboard.newSignupsHint', { days: String(d.newSignups.days) }),
    },
    {
      key: 'movesThisYear',
      n: d.movesThisYear,
      to: `/consultations?view=cases&movedFrom=${fy.from}&movedTo=${fy.to}`,
      label: t('dashboard.movesThisYear', { year: String(fy.year) }),
      hint: t('dashboard.movesHint', { from: formatDate(fy.from, lang), to: formatDate(fy.to, lang) }),
    },
  ] as const;
  const more = d.newSignups.total - d.newSignups.items.length;
  return (
    <section aria-labelledby="day-heading" className="card">
      <h2 id="day-heading">{t('dashboard.dayTitle', { date: formatDate(d.today, lang) })}</h2>
      <p className="hint">{t('dashboard.dayHint')}</p>
      <ul className="day-figures">
        {figures.map((f) => {
          const label = 'label' in f ? f.label : t(`dashboard.${f.key}`);
          const body = (
            <>
              <span className="day-figure-label">{label}</span>
              <span className="day-figure-count">{t('dashboard.countUnit', { count: formatNumber(f.n, lang) })}</span>
              {'hint' in f && <span className="day-figure-hint">{f.hint}</span>}
            </>
          );
          return (
            <li key={f.key}>
              {f.to.startsWith('#') ? (
                <a href={f.to} className="day-figure" data-figure={f.key}>
                  {body}
                </a>
              ) : (
                <Link to={f.to} className="day-figure" data-figure={f.key}>
                  {body}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
      <h3 id="new-signups" tabIndex={-1}>
        {t('dashboard.signupsTitle')}
      </h3>
      {d.newSignups.items.length === 0 ? (
        <p>{t('dashboard.signupsNone')}</p>
      ) : (
        <ul className="signup-list">
          {d.newSignups.items.map((s) => (
            <li key={s.personId}>
              <Link to={`/people/${encodeURIComponent(s.personId)}`}>{s.isDemo ? `【デモ】${s.name}` : s.name}</Link>{' '}
              <span className="muted">{t('dashboard.signedUpOn', { date: formatDateTime(s.confirmedAt, lang) })}</span>
            </li>
          ))}
          {more > 0 && <li className="muted">{t('dashboard.signupsMore', { count: formatNumber(more, lang) })}</li>}
        </ul>
      )}
    </section>
  );
}

function Legend({ scale }: { scale: ColorScale }) {
  const t = useT();
  const { lang } = useLang();
  const rows = [{ label: '0', color: ZERO_COLOR }].concat(
    scale.map((c) => ({
      label: c.min === c.max ? formatNumber(c.min, lang) : `${formatNumber(c.min, lang)}–${formatNumber(c.max, lang)}`,
      color: c.color,
    })),
  );
  return (
    <div className="legend">
      <h3 id="legend-heading">{t('dashboard.legend')}</h3>
      <ul aria-labelledby="legend-heading">
        {rows.map((row) => (
          <li key={row.label}>
            <span className="swatch" style={{ background: row.color }} aria-hidden="true" />
            {row.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
