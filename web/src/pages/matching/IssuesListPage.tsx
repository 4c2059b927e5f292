/**
 * Regional issues (地域課題) for staff: filter by municipality, status and theme; each opens onto its
 * page (brush-up, history, comments, status). Municipality staff see their municipality's only
 * (the server's scope).
 */
import { Link, useSearchParams } from 'react-router';
import { useUser } from '../../auth';
import { ISSUE_CATEGORIES, ISSUE_STATUSES } from '../../../../src/shared/matching';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { TableScroll } from '../../components/TableScroll';
import { useApiQuery } from '../../data/queries';
import { formatDate } from '../../format';
import { useMunicipalityName } from '../../hooks';
import { formatNumber, useLang, useT } from '../../i18n';
import { issueCategoryLabel, issueStatusLabel, oneOfOrNone, optionsOf } from '../../vocab';
import { MunicipalitySelect, MatchingNav } from './parts';

const PAGE_SIZE = 20;

export function IssuesListPage() {
  const t = useT();
  const user = useUser();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const [params, setParams] = useSearchParams();
  const municipality = params.get('municipality') ?? '';
  const status = params.get('status') ?? '';
  const category = params.get('category') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useApiQuery('/api/regional-issues', {
    params: {
      query: {
        municipality: municipality || undefined,
        status: oneOfOrNone(ISSUE_STATUSES, status),
        category: oneOfOrNone(ISSUE_CATEGORIES, category),
        limit: PAGE_SIZE,
        offset,
      },
    },
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'offset') next.delete('offset');
    setParams(next);
  };

  return (
    <>
      <div className="title-row">
        <PageTitle>{t('issues.title')}</PageTitle>
        <Link to="/issues/new" className="button">
          {t('issues.new')}
        </Link>
      </div>
      <MatchingNav user={user} />
      <p className="hint">{t('issues.intro')}</p>
      <div className="filters">
        <MunicipalitySelect
          label={t('matching.municipality')}
          value={municipality}
          placeholder={t('common.all')}
          onChange={(v) => set('municipality', v)}
        />
        <SelectField
          label={t('matching.status')}
          value={status}
          placeholder={t('common.all')}
          options={optionsOf(ISSUE_STATUSES, issueStatusLabel, t)}
          onChange={(e) => set('status', e.target.value)}
        />
        <SelectField
          label={t('matching.category')}
          value={category}
          placeholder={t('common.all')}
          options={optionsOf(ISSUE_CATEGORIES, issueCategoryLabel, t)}
          onChange={(e) => set('category', e.target.value)}
        />
      </div>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <section aria-busy={list.loading}>
          <p role="status" className="result-count">
            {t('matching.count', { total: formatNumber(list.data.total, lang) })}
          </p>
          {list.data.items.length > 0 && (
            <TableScroll label={t('issues.title')}>
              <table>
                <caption className="visually-hidden">{t('issues.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('matching.title')}</th>
                    <th scope="col">{t('matching.municipality')}</th>
                    <th scope="col">{t('matching.category')}</th>
                    <th scope="col">{t('matching.status')}</th>
                    <th scope="col">{t('matching.updatedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">
                        <Link to={`/issues/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                        <span className="cell-sub">{t('issue.version', { n: i.version })}</span>
                      </th>
                      <td className="nowrap">{placeName(i.municipalityCode)}</td>
                      <td className="nowrap">{issueCategoryLabel(t, i.category)}</td>
                      <td className="nowrap">{issueStatusLabel(t, i.status)}</td>
                      <td className="nowrap">{formatDate(i.updatedAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pagination
            offset={offset}
            limit={PAGE_SIZE}
            total={list.data.total}
            onChange={(next) => set('offset', String(next))}
          />
        </section>
      )}
    </>
  );
}
