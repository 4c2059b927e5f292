/**
 * This fiscal year's plan indicators in one row — target, actual and achievement of each — for the
 * staff dashboard's top row and the /kpi page. It lives among the shared components (not in the kpi
 * page family) so the dashboard may place it: `<KpiYearFigures />` reads the current fiscal year of
 * the prefecture's plan (municipality staff: their municipality's). "No data" is shown as such, never 0.
 */
import { Link } from 'react-router';
import { useApiQuery } from '../data/queries';
import type { ApiAnswer } from '../data/client';
import { formatNumber, useLang, useT, type Lang } from '../i18n';
import { ErrorAlert, Loading } from './Messages';

export type KpiActuals = ApiAnswer<'get', '/api/kpi/actuals'>;
export type KpiItem = KpiActuals['items'][number];

export function formatFigure(value: number | null, lang: Lang): string | null {
  return value === null ? null : formatNumber(value, lang);
}

export function formatShare(share: number | null, lang: Lang): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(share);
}

/** The figures of one answer as a row of stats (used by the /kpi page with its own answer). */
export function KpiFigureRow({ data, limit = 4 }: { data: KpiActuals; limit?: number }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <dl className="stats">
      {data.items.slice(0, limit).map((item) => (
        <div key={item.code} className={item.achievement !== null && item.achievement >= 1 ? 'stat stat-good' : 'stat'}>
          <dt>{lang === 'en' ? item.labelEn : item.labelJa}</dt>
          <dd>
            {formatFigure(item.actual, lang) ?? <span title={t('kpi.noDataHint')}>{t('kpi.noData')}</span>}
            <span className="cell-sub">
              {item.target === null
                ? t('kpi.noTarget')
                : `${t('kpi.target')} ${formatNumber(item.target, lang)} · ${t('kpi.achievement')} ${formatShare(item.achievement, lang)}`}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** This year's four figures, fetched on their own (for the dashboard). */
export function KpiYearFigures() {
  const t = useT();
  const figures = useApiQuery('/api/kpi/actuals', { params: { query: {} } });
  if (figures.error) return <ErrorAlert onRetry={figures.reload}>{figures.error.message}</ErrorAlert>;
  if (!figures.data) return <Loading />;
  return (
    <section className="card" aria-labelledby="kpi-year-figures">
      <h2 id="kpi-year-figures">{t('kpi.yearFigures', { fy: figures.data.fiscalYear })}</h2>
      <KpiFigureRow data={figures.data} />
      <Link to="/kpi">{t('kpi.yearFiguresLink')}</Link>
    </section>
  );
}
