/**
 * Follow-ups after the move (定住・定着): overdue first, then upcoming, each with the person, the
 * municipality and who follows up; marking one done (or skipped) takes a note.
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useUser } from '../../auth';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { municipalityLabel } from '../../format';
import { useMunicipalities } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT } from '../../i18n';
import { FollowupItem } from './parts';

const PAGE_SIZE = 20;
/** `open`: the overdue ones and the upcoming ones, in two lists; `all` includes done and skipped. */
const VIEWS = ['open', 'all'] as const;
type View = (typeof VIEWS)[number];

export function FollowupsPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'all' ? 'all' : 'open';
  const municipality = params.get('municipality') ?? '';

  function update(next: { view?: View; municipality?: string }) {
    const merged = { view, municipality, ...next };
    const search = new URLSearchParams();
    if (merged.view !== 'open') search.set('view', merged.view);
    if (merged.municipality) search.set('municipality', merged.municipality);
    setParams(search);
  }

  return (
    <>
      <PageTitle>{t('followups.title')}</PageTitle>
      <p className="hint">{t('followups.intro')}</p>
      <div className="filters">
        <SelectField
          label={t('followups.which')}
          value={view}
          options={VIEWS.map((v) => ({ value: v, label: t(`followups.view.${v}`) }))}
          onChange={(e) => update({ view: e.target.value as View })}
        />
        {user.role !== 'municipality_staff' && (
          <SelectField
            label={t('followups.municipality')}
            value={municipality}
            placeholder={t('common.all')}
            options={municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
            onChange={(e) => update({ municipality: e.target.value })}
          />
        )}
      </div>
      {view === 'open' ? (
        <>
          <FollowupList
            key={`overdue-${municipality}`}
            due="overdue"
            municipality={municipality}
            title={t('followups.overdueTitle')}
            empty={t('followups.noneOverdue')}
          />
          <FollowupList
            key={`upcoming-${municipality}`}
            due="upcoming"
            municipality={municipality}
            title={t('followups.upcomingTitle')}
            empty={t('followups.noneUpcoming')}
          />
        </>
      ) : (
        <FollowupList
          key={`all-${municipality}`}
          due="all"
          municipality={municipality}
          title={t('followups.allTitle')}
          empty={t('followups.none')}
        />
      )}
    </>
  );
}

function FollowupList({
  due,
  municipality,
  title,
  empty,
}: {
  due: 'overdue' | 'upcoming' | 'all';
  municipality: string;
  title: string;
  empty: string;
}) {
  const t = useT();
  const { lang } = useLang();
  const [offset, setOffset] = useState(0);
  const list = useApiQuery('/api/followups', { params: { query: { due, municipality, limit: PAGE_SIZE, offset } } });
  const headingId = `followups-${due}`;
  return (
    <section className="card" aria-labelledby={headingId} aria-busy={list.loading}>
      <h2 id={headingId}>
        {title}
        {list.data && (
          <span className="count-badge">{t('followups.count', { total: formatNumber(list.data.total, lang) })}</span>
        )}
      </h2>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <p>{empty}</p>}
      <div className="record-list">
        {list.data?.items.map((f) => (
          <FollowupItem key={f.id} followup={f} showPerson canAct onChanged={() => list.reload()} />
        ))}
      </div>
      {list.data && <Pagination offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </section>
  );
}
