import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { itemsOf } from '../api';
import { callApi } from '../data/client';
import { isAdmin, useUser } from '../auth';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DetailsSummary } from '../components/DetailsSummary';
import { TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { flashFrom } from '../flash';
import { actionLabel, byCodeMap, kindLabel, municipalityLabel } from '../format';
import { useAction, useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { formatDateTime, useLang, useT } from '../i18n';
import type { HistoryItem, Person } from '../types';
import { CardsPanel } from './person/CardsPanel';
import { CasesPanel } from './person/CasesPanel';
import { EngagementsPanel } from './person/EngagementsPanel';
import { StagesPanel } from './person/StagesPanel';
import { SupporterProfilePanel } from './person/SupporterProfilePanel';

export function PersonPage() {
  const { id = '' } = useParams();
  const t = useT();
  const user = useUser();
  const location = useLocation();
  const [message, setMessage] = useState<string | null>(flashFrom(location.state));
  const person = useApiQuery('/api/people/{id}', { params: { path: { id } } });
  const history = useApiQuery('/api/people/{id}/history', { params: { path: { id } } });
  // Stages are derived from engagement records; a new record remounts the stage panel to refetch.
  const [recordVersion, setRecordVersion] = useState(0);

  if (person.error) return <ErrorAlert onRetry={person.reload}>{person.error.message}</ErrorAlert>;
  if (!person.data) return <Loading />;
  const p = person.data;

  const afterMerge = () => {
    setMessage(t('person.merged'));
    person.reload();
    history.reload();
  };

  return (
    <>
      <PageTitle>{p.name}</PageTitle>
      {p.kana && <p className="subtitle">{p.kana}</p>}
      {message && <StatusMessage>{message}</StatusMessage>}
      <div className="button-row">
        <Link to={`/people/${encodeURIComponent(p.id)}/edit`} className="button">
          {t('common.edit')}
        </Link>
        <DeletePerson person={p} />
        <a
          href={`/api/people/${encodeURIComponent(p.id)}/export`}
          download={`person-${p.id}.json`}
          className="button button-secondary"
        >
          {t('person.exportJson')}
        </a>
        {isAdmin(user) && (
          <Link to={`/audit?personId=${encodeURIComponent(p.id)}`} className="button button-secondary">
            {t('person.auditLink')}
          </Link>
        )}
      </div>

      <div className="person-columns">
        <div>
          <PersonDetails person={p} />
          <PersonLinks person={p} />
        </div>
        <section aria-labelledby="history-heading" className="card">
          <h2 id="history-heading">{t('person.history')}</h2>
          {history.error && <ErrorAlert onRetry={history.reload}>{history.error.message}</ErrorAlert>}
          {history.loading && !history.data && <Loading />}
          {history.data && <HistoryTimeline items={itemsOf(history.data)} />}
        </section>
      </div>

      <CasesPanel personId={p.id} />

      <div className="person-columns">
        <div>
          <StagesPanel key={recordVersion} personId={p.id} />
          <EngagementsPanel person={p} onRecorded={() => setRecordVersion((v) => v + 1)} />
        </div>
        <div>
          <SupporterProfilePanel personId={p.id} />
          <CardsPanel personId={p.id} />
        </div>
      </div>

      {isAdmin(user) && (
        <>
          <MergePanel person={p} onMerged={afterMerge} />
          <PurgePanel person={p} />
        </>
      )}
    </>
  );
}

function PersonDetails({ person }: { person: Person }) {
  const t = useT();
  const { lang } = useLang();
  const none = t('common.none');
  const rows: Array<{ label: string; value: ReactNode }> = [
    { label: t('person.name'), value: person.name },
    { label: t('person.kana'), value: person.kana ?? none },
    { label: t('person.email'), value: person.email ? <a href={`mailto:${person.email}`}>{person.email}</a> : none },
    { label: t('person.phone'), value: person.phone ? <a href={`tel:${person.phone}`}>{person.phone}</a> : none },
    { label: t('person.postalCode'), value: person.postalCode ?? none },
    { label: t('person.prefecture'), value: person.prefecture ?? none },
    { label: t('person.city'), value: person.city ?? none },
    { label: t('person.birthYear'), value: person.birthYear ?? none },
    { label: t('person.notes'), value: person.notes ? <span className="pre-wrap">{person.notes}</span> : none },
    { label: t('person.createdAt'), value: formatDateTime(person.createdAt, lang) },
    { label: t('person.updatedAt'), value: formatDateTime(person.updatedAt, lang) },
    { label: t('person.id'), value: <code>{person.id}</code> },
  ];
  return (
    <section className="card" aria-label={t('person.details')}>
      <dl className="details">
        {rows.map(({ label, value }) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function PersonLinks({ person }: { person: Person }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const links = person.links ?? [];
  return (
    <section aria-labelledby="links-heading" className="card">
      <h2 id="links-heading">{t('person.links')}</h2>
      {links.length === 0 ? (
        <p>{t('person.noLinks')}</p>
      ) : (
        <ul>
          {links.map((link) => (
            <li key={`${link.municipalityCode}-${link.kind}`}>
              <Link to={`/people?municipality=${link.municipalityCode}`}>
                {municipalityLabel(byCode.get(link.municipalityCode), link.municipalityCode, lang)}
              </Link>
              {lang === 'ja' ? '：' : ': '}
              {kindLabel(t, link.kind)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function HistoryTimeline({ items }: { items: HistoryItem[] }) {
  const t = useT();
  const { lang } = useLang();
  if (items.length === 0) return <p>{t('person.noHistory')}</p>;
  return (
    <ol className="timeline">
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: history items carry no id (the API gives none) and time, action and actor can all repeat
        <li key={`${item.at}-${i}`}>
          <time dateTime={item.at}>{formatDateTime(item.at, lang)}</time>
          <p>
            <strong>{actionLabel(t, item.action)}</strong> — {item.actor?.name ?? t('person.systemActor')}
          </p>
          <DetailsSummary details={item.details} t={t} />
        </li>
      ))}
    </ol>
  );
}

/**
 * The one delete action: its dialog says in words how deleting (hidden, kept for the retention
 * period) differs from erasing on the person's request (gone for good), and leads admins to the
 * erasure when that is what was asked for.
 */
function DeletePerson({ person }: { person: Person }) {
  const t = useT();
  const admin = isAdmin(useUser());
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const { busy, error, run, reset } = useAction();

  async function remove() {
    if (await run(() => callApi('delete', '/api/people/{id}', { params: { path: { id: person.id } } }))) {
      navigate('/people', { state: { flash: t('person.deleted', { name: person.name }) } });
    }
  }

  return (
    <>
      <button type="button" className="button-danger" onClick={() => setOpen(true)}>
        {t('person.delete')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('person.deleteTitle')}
        confirmLabel={t('person.delete')}
        danger
        busy={busy}
        onConfirm={remove}
        onCancel={() => {
          setOpen(false);
          reset();
        }}
      >
        <p>{t('person.deleteBody', { name: person.name })}</p>
        <p>{t('person.deleteSoft')}</p>
        <p>{t('person.deleteErase')}</p>
        {admin ? (
          <p>
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                setOpen(false);
                reset();
                // The erasure sits at the foot of the page; take the reader there.
                const heading = document.getElementById('purge-heading');
                heading?.scrollIntoView();
                heading?.closest('section')?.querySelector('button')?.focus();
              }}
            >
              {t('person.deleteGoErase')}
            </button>
          </p>
        ) : (
          <p className="muted">{t('person.deleteEraseAdminOnly')}</p>
        )}
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </ConfirmDialog>
    </>
  );
}

/**
 * Merge another record into this one, found by searching (name, kana, email or phone — the people
 * list's search), never by pasting an id; the people with the same email or phone are offered first.
 */
function MergePanel({ person, onMerged }: { person: Person; onMerged: () => void }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [pending, setPending] = useState<{ id: string; name: string } | null>(null);
  const { busy, error, run } = useAction();
  const duplicates = useApiQuery('/api/people/{id}/duplicates', { params: { path: { id: person.id } } });
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const found = useApiQuery(
    '/api/people',
    { params: { query: { q: debounced, limit: 8 } } },
    { enabled: debounced.length > 0 },
  );

  async function merge() {
    if (!pending) return;
    const merged = await run(() =>
      callApi('post', '/api/people/{id}/merge', {
        params: { path: { id: person.id } },
        body: { sourceId: pending.id },
      }),
    );
    setPending(null);
    if (merged) {
      setQuery('');
      duplicates.reload();
      onMerged();
    }
  }

  const candidates = duplicates.data ? itemsOf(duplicates.data) : [];
  const results = debounced && found.data ? itemsOf(found.data).filter((p) => p.id !== person.id) : [];
  const candidateList = (people: Person[]) => (
    <ul className="candidate-list">
      {people.map((c) => (
        <li key={c.id}>
          <Link to={`/people/${encodeURIComponent(c.id)}`}>{c.name}</Link>
          <span className="muted">{[c.kana, c.email, c.phone, c.city].filter(Boolean).join(' / ')}</span>
          <button
            type="button"
            className="button-secondary"
            aria-label={t('person.mergeThisLabel', { name: c.name })}
            onClick={() => setPending({ id: c.id, name: c.name })}
          >
            {t('person.mergeThis')}
          </button>
        </li>
      ))}
    </ul>
  );
  return (
    <section aria-labelledby="merge-heading" className="card">
      <h2 id="merge-heading">{t('person.mergeTitle')}</h2>
      <p className="hint">{t('person.mergeHelp')}</p>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <h3>{t('person.duplicates')}</h3>
      {duplicates.error && <ErrorAlert onRetry={duplicates.reload}>{duplicates.error.message}</ErrorAlert>}
      {duplicates.data && candidates.length === 0 && <p>{t('person.noDuplicates')}</p>}
      {candidates.length > 0 && candidateList(candidates)}
      <h3>{t('person.mergeSearchTitle')}</h3>
      <TextField
        label={t('person.mergeSearch')}
        hint={t('people.searchHint')}
        type="search"
        name="mergeQuery"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoComplete="off"
      />
      {found.error && <ErrorAlert onRetry={found.reload}>{found.error.message}</ErrorAlert>}
      {debounced && found.data && (
        <p role="status" className="result-count">
          {results.length ? t('person.mergeFound', { count: String(results.length) }) : t('person.mergeNone')}
        </p>
      )}
      {results.length > 0 && candidateList(results)}
      <ConfirmDialog
        open={pending !== null}
        title={t('person.mergeConfirmTitle')}
        confirmLabel={t('person.mergeSubmit')}
        danger
        busy={busy}
        onConfirm={merge}
        onCancel={() => setPending(null)}
      >
        <p>{t('person.mergeConfirmBody', { source: pending?.name ?? '', name: person.name })}</p>
      </ConfirmDialog>
    </section>
  );
}

/** Erasure is irreversible, so the confirm button only unlocks once the person's name is typed. */
function PurgePanel({ person }: { person: Person }) {
  const t = useT();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const { busy, error, run, reset } = useAction();
  const matches = typed.trim() === person.name.trim();

  async function purge() {
    if (!matches) return;
    if (await run(() => callApi('post', '/api/people/{id}/purge', { params: { path: { id: person.id } } }))) {
      navigate('/people', { state: { flash: t('person.purged', { name: person.name }) } });
    }
  }

  return (
    <section aria-labelledby="purge-heading" className="card card-danger">
      <h2 id="purge-heading">{t('person.purgeTitle')}</h2>
      <p>{t('person.purgeHelp')}</p>
      <button type="button" className="button-danger" onClick={() => setOpen(true)}>
        {t('person.purgeButton')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('person.purgeConfirmTitle')}
        confirmLabel={t('person.purgeConfirmSubmit')}
        danger
        busy={busy}
        confirmDisabled={!matches}
        onConfirm={purge}
        onCancel={() => {
          setOpen(false);
          setTyped('');
          reset();
        }}
      >
        <p>{t('person.purgeHelp')}</p>
        {error && <ErrorAlert>{error}</ErrorAlert>}
        <TextField
          label={t('person.purgeConfirmLabel', { name: person.name })}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
        />
      </ConfirmDialog>
    </section>
  );
}
