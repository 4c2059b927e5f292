/**
 * Projects for staff and partners (a partner sees its own organization's): filter by
 * municipality, status and kind; seats taken against seats; the way to a new project and to a
 * proposal across all open projects (coordinators).
 */
import { Link, useSearchParams } from 'react-router';
import { PROJECT_STATUSES } from '../../../../src/shared/matching';
import { useUser } from '../../auth';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { TableScroll } from '../../components/TableScroll';
import { useApiQuery } from '../../data/queries';
import { useMunicipalityName } from '../../hooks';
import { formatNumber, useLang, useT } from '../../i18n';
import { oneOfOrNone, optionsOf, PROJECT_KINDS, projectKindLabel, projectStatusLabel } from '../../vocab';
import { isCoordinator, MunicipalitySelect, MatchingNav } from './parts';

const PAGE_SIZE = 20;

export function ProjectsListPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const placeName = useMunicipalityName();
  const [params, setParams] = useSearchParams();
  const municipality = params.get('municipality') ?? '';
  const status = params.get('status') ?? '';
  const kind = params.get('kind') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useApiQuery('/api/projects', {
    params: {
      query: {
        municipality: municipality || undefined,
        status: oneOfOrNone(PROJECT_STATUSES, status),
        kind: oneOfOrNone(PROJECT_KINDS, kind),
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
        <PageTitle>{t('projects.title')}</PageTitle>
        <div className="button-row">
          {isCoordinator(user) && (
            <Link to="/proposals" className="button button-secondary">
              {t('projects.propose')}
            </Link>
          )}
          <Link to="/manage/projects/new" className="button">
            {t('projects.new')}
          </Link>
        </div>
      </div>
      <MatchingNav user={user} />
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
          options={optionsOf(PROJECT_STATUSES, projectStatusLabel, t)}
          onChange={(e) => set('status', e.target.value)}
        />
        <SelectField
          label={t('projectForm.kind')}
          value={kind}
          placeholder={t('common.all')}
          options={optionsOf(PROJECT_KINDS, projectKindLabel, t)}
          onChange={(e) => set('kind', e.target.value)}
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
            <TableScroll label={t('projects.title')}>
              <table>
                <caption className="visually-hidden">{t('projects.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('matching.title')}</th>
                    <th scope="col">{t('matching.municipality')}</th>
                    <th scope="col">{t('projectForm.kind')}</th>
                    <th scope="col">{t('matching.status')}</th>
                    <th scope="col" className="numeric">
                      {t('projects.seats')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((p) => (
                    <tr key={p.id} className={p.status === 'closed' ? 'row-disabled' : undefined}>
                      <th scope="row">
                        <Link to={`/manage/projects/${encodeURIComponent(p.id)}`}>{p.title}</Link>
                        <span className="cell-sub">{p.organization.name}</span>
                      </th>
                      <td className="nowrap">{placeName(p.municipalityCode)}</td>
                      <td className="nowrap">{projectKindLabel(t, p.kind)}</td>
                      <td className="nowrap">{projectStatusLabel(t, p.status)}</td>
                      <td className="numeric nowrap">
                        {t('projects.seatsFilled', {
                          filled: formatNumber(p.filled, lang),
                          seats: formatNumber(p.seats, lang),
                        })}
                      </td>
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
