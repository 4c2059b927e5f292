/**
 * Published projects for anyone, phone first: one column of cards, filters by municipality, theme,
 * kind and way of working kept in the address (a filtered list can be shared). No personal data:
 * the organization's name and a count of 興味ある.
 */
import { Link, useSearchParams } from 'react-router';
import { ISSUE_CATEGORIES } from '../../../../src/shared/matching';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { MunicipalitySelect } from '../../components/MunicipalitySelect';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { useApiQuery } from '../../data/queries';
import { useMunicipalityName } from '../../hooks';
import { formatNumber, useLang, useT } from '../../i18n';
import type { ApiAnswer } from '../../data/client';
import { issueCategoryLabel, oneOfOrNone, optionsOf, PROJECT_KINDS, projectKindLabel } from '../../vocab';

const PAGE_SIZE = 20;
type PublicProject = ApiAnswer<'get', '/api/public/projects/{id}'>;

export function PublicProjectsPage() {
  const t = useT();
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const municipality = params.get('municipality') ?? '';
  const theme = params.get('theme') ?? '';
  const kind = params.get('kind') ?? '';
  const remote = params.get('remote') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useApiQuery(
    '/api/public/projects',
    {
      params: {
        query: {
          municipality: municipality || undefined,
          theme: oneOfOrNone(ISSUE_CATEGORIES, theme),
          kind: oneOfOrNone(PROJECT_KINDS, kind),
          remote: oneOfOrNone(['true', 'false'] as const, remote),
          limit: PAGE_SIZE,
          offset,
        },
      },
    },
    { redirectOn401: false },
  );
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'offset') next.delete('offset');
    setParams(next);
  };

  return (
    <>
      <PageTitle>{t('publicProjects.title')}</PageTitle>
      <p>{t('publicProjects.intro')}</p>
      <details className="collapsible card" open={Boolean(municipality || theme || kind || remote) || undefined}>
        <summary>{t('publicProjects.filters')}</summary>
        <div className="stack">
          <MunicipalitySelect
            label={t('matching.municipality')}
            value={municipality}
            placeholder={t('common.all')}
            onChange={(v) => set('municipality', v)}
          />
          <SelectField
            label={t('matching.category')}
            value={theme}
            placeholder={t('common.all')}
            options={optionsOf(ISSUE_CATEGORIES, issueCategoryLabel, t)}
            onChange={(e) => set('theme', e.target.value)}
          />
          <SelectField
            label={t('projectForm.kind')}
            value={kind}
            placeholder={t('common.all')}
            options={optionsOf(PROJECT_KINDS, projectKindLabel, t)}
            onChange={(e) => set('kind', e.target.value)}
          />
          <SelectField
            label={t('publicProjects.remote')}
            value={remote}
            placeholder={t('common.all')}
            options={[
              { value: 'true', label: t('publicProjects.remoteOnly') },
              { value: 'false', label: t('publicProjects.onSite') },
            ]}
            onChange={(e) => set('remote', e.target.value)}
          />
        </div>
      </details>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <section aria-busy={list.loading} aria-label={t('publicProjects.title')}>
          <p role="status" className="result-count">
            {t('matching.count', { total: formatNumber(list.data.total, lang) })}
          </p>
          {list.data.items.length === 0 && <p className="card">{t('publicProjects.none')}</p>}
          <ul className="plain-list project-cards">
            {list.data.items.map((p) => (
              <li key={p.id}>
                <ProjectCard project={p} />
              </li>
            ))}
          </ul>
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

function ProjectCard({ project: p }: { project: PublicProject }) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  return (
    <article className="card project-card" aria-labelledby={`project-${p.id}`}>
      <p className="event-kind">
        {projectKindLabel(t, p.kind)} · {issueCategoryLabel(t, p.theme)}
      </p>
      <h2 id={`project-${p.id}`}>
        <Link to={`/projects/${encodeURIComponent(p.id)}`}>
          {p.isDemo && `${t('matching.demo')} `}
          {p.title}
        </Link>
      </h2>
      <p>
        {placeName(p.municipalityCode)} · {p.organizationName}
      </p>
      <p className="muted">
        {p.hoursPerMonth !== null && `${t('matching.hours', { n: p.hoursPerMonth })} · `}
        {t('publicProject.remote')} {t('matching.percent', { n: p.remotePercent })}
      </p>
      <p className={p.seatsLeft === 0 ? 'text-danger' : undefined}>
        {p.seatsLeft === 0
          ? t('publicProjects.full')
          : t('publicProjects.seatsLeft', { n: formatNumber(p.seatsLeft, lang) })}{' '}
        · {t('publicProjects.interestedCount', { n: formatNumber(p.interestedCount, lang) })}
      </p>
    </article>
  );
}
