/**
 * Depth views of a fiscal year (GET /api/kpi/depth): the stage transition table, retention of the
 * people registered in each year, registered beside active people. Tables, since the figures are
 * compared cell by cell; municipality staff get their own municipality's (the server decides).
 * The views can be limited to the people who declared one kind of roots (ルーツ).
 */
import { useState } from 'react';
import { ROOT_KINDS, type RootKind } from '../../../../src/shared/domain';
import { SelectField } from '../../components/Fields';
import { TableScroll } from '../../components/TableScroll';
import { rootLabel } from '../../format';
import { useApiQuery } from '../../data/queries';
import { ErrorAlert, Loading } from '../../components/Messages';
import { formatNumber, useLang, useT } from '../../i18n';

export function DepthSection({ fiscalYear, municipality }: { fiscalYear: number; municipality: string }) {
  const t = useT();
  const { lang } = useLang();
  const [roots, setRoots] = useState<RootKind | ''>('');
  const depth = useApiQuery('/api/kpi/depth', {
    params: { query: { fiscalYear, ...(municipality ? { municipality } : {}), ...(roots ? { roots } : {}) } },
  });
  const year = (fy: number) => (lang === 'ja' ? `${fy}年度` : `FY${fy}`);
  const n = (v: number) => formatNumber(v, lang);
  const d = depth.data;
  return (
    <section className="card" aria-labelledby="kpi-depth">
      <h2 id="kpi-depth">{t('kpi.depth.title', { fy: fiscalYear })}</h2>
      <p className="hint">{t('kpi.depth.intro')}</p>
      <SelectField
        label={t('kpi.depth.roots')}
        value={roots}
        placeholder={t('kpi.depth.allRoots')}
        options={ROOT_KINDS.map((r) => ({ value: r, label: rootLabel(t, r) }))}
        onChange={(event) => setRoots(event.target.value as RootKind | '')}
      />
      {depth.error && <ErrorAlert onRetry={depth.reload}>{depth.error.message}</ErrorAlert>}
      {!d && !depth.error && <Loading />}
      {d && (
        <>
          <h3>{t('kpi.depth.transitions')}</h3>
          {d.stageTransitions ? (
            <TableScroll label={t('kpi.depth.transitions')}>
              <table className="matrix" data-testid="kpi-transitions">
                <thead>
                  <tr>
                    <th scope="col">{t('kpi.depth.from')}</th>
                    {d.stageTransitions.stages.map((s) => (
                      <th key={s} scope="col">
                        {s}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {d.stageTransitions.counts.map((row, i) => (
                    <tr key={d.stageTransitions!.stages[i]}>
                      <th scope="row">{d.stageTransitions!.stages[i]}</th>
                      {row.map((c, j) => (
                        <td key={d.stageTransitions!.stages[j]} className="num">
                          {c ? n(c) : <span className="muted">·</span>}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          ) : (
            <p>{t('kpi.depth.noTransitions')}</p>
          )}
          <h3>{t('kpi.depth.cohorts')}</h3>
          <TableScroll label={t('kpi.depth.cohorts')}>
            <table data-testid="kpi-cohorts">
              <thead>
                <tr>
                  <th scope="col">{t('kpi.depth.cohort')}</th>
                  <th scope="col">{t('kpi.depth.cohortSize')}</th>
                  <th scope="col">{t('kpi.depth.retained', { k: 1 })}</th>
                  <th scope="col">{t('kpi.depth.retained', { k: 2 })}</th>
                </tr>
              </thead>
              <tbody>
                {d.cohortRetention.map((c) => (
                  <tr key={c.cohortFiscalYear}>
                    <th scope="row">{year(c.cohortFiscalYear)}</th>
                    <td className="num">{n(c.cohortSize)}</td>
                    {c.retained
                      .map((r, k) => ({ r, fy: c.cohortFiscalYear + k + 1 }))
                      .map(({ r, fy }) => (
                        <td key={fy} className="num">
                          {r === null
                            ? t('kpi.depth.notOver')
                            : `${n(r)}${c.cohortSize ? `（${Math.round((r / c.cohortSize) * 100)}%）` : ''}`}
                        </td>
                      ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <h3>{t('kpi.depth.activity')}</h3>
          <TableScroll label={t('kpi.depth.activity')}>
            <table data-testid="kpi-activity">
              <thead>
                <tr>
                  <th scope="col">{t('kpi.fy')}</th>
                  <th scope="col">{t('kpi.depth.registered')}</th>
                  <th scope="col">{t('kpi.depth.active')}</th>
                  <th scope="col">{t('kpi.depth.activeNew')}</th>
                  <th scope="col">{t('kpi.depth.continuing')}</th>
                </tr>
              </thead>
              <tbody>
                {d.activity.map((a) => (
                  <tr key={a.fiscalYear}>
                    <th scope="row">{year(a.fiscalYear)}</th>
                    <td className="num">{n(a.registered)}</td>
                    <td className="num">{n(a.active)}</td>
                    <td className="num">{n(a.activeNew)}</td>
                    <td className="num">{n(a.continuing)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
