import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { SelectField, TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { CONSENT_PURPOSES, STAGES } from '../../../src/shared/domain';
import {
  byCodeMap,
  consentPurposeLabel,
  formatDate,
  kindLabel,
  linksSummary,
  municipalityLabel,
  stageLabel,
} from '../format';
import { useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { flashFrom } from '../flash';
import { formatNumber, useLang, useT } from '../i18n';

const PAGE_SIZE = 20;
const SORTS = ['relevance', 'kana', 'newest', 'oldest'] as const;
type Sort = (typeof SORTS)[number];
const KINDS = ['roots', 'interest', 'supporter', 'moved_in'] as const;
type Kind = (typeof KINDS)[number];
type StageFilter = (typeof STAGES)[number];
type ConsentFilter = (typeof CONSENT_PURPOSES)[number];
/** The URL's filters and order; every change starts again at the first page. */
type ListParams = { q?: string; municipality?: string; kind?: string; stage?: string; consent?: string; sort?: string };
const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
  (list as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/** Pages are positions (the server's cursors), so going back needs the cursors of the pages before. */
type PagingState = { earlier?: string[] };

export function PeopleListPage() {
  const t = useT();
  const { lang } = useLang();
  const location = useLocation();
  // The filters live in the URL, so a search can be bookmarked, shared and restored with Back.
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const municipality = params.get('municipality') ?? '';
  const kind = (KINDS as readonly string[]).includes(params.get('kind') ?? '')
    ? (params.get('kind') as Kind)
    : undefined;
  const sort = (SORTS as readonly string[]).includes(params.get('sort') ?? '')
    ? (params.get('sort') as Sort)
    : undefined;
  const stage = oneOf<StageFilter>(STAGES, params.get('stage'));
  const consent = oneOf<ConsentFilter>(CONSENT_PURPOSES, params.get('consent'));
  // The order in effect: a search defaults to relevance, a plain list to the newest registrations.
  const order: Sort = sort ?? (q ? 'relevance' : 'newest');
  const cursor = params.get('cursor') ?? undefined;
  const earlier = (location.state as PagingState | null)?.earlier ?? [];
  const navigate = useNavigate();
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const people = useApiQuery('/api/people', {
    params: {
      query: {
        q: q || undefined,
        municipality: municipality || undefined,
        kind,
        stage,
        consent,
        sort,
        limit: PAGE_SIZE,
        cursor,
      },
    },
  });

  function urlOf(next: ListParams & { cursor?: string }) {
    const merged = {
      q,
      municipality,
      kind: kind ?? '',
      stage: stage ?? '',
      consent: consent ?? '',
      sort: sort ?? '',
      cursor: undefined,
      ...next,
    };
    const search = new URLSearchParams();
    for (const key of ['q', 'municipality', 'kind', 'stage', 'consent', 'sort', 'cursor'] as const) {
      const value = merged[key];
      if (value) search.set(key, value);
    }
    return `?${search}`;
  }

  /** A change of search, filter or order starts again at the first page. */
  function update(next: ListParams) {
    setParams(new URLSearchParams(urlOf(next).slice(1)));
  }

  function nextPage(nextCursor: string) {
    navigate(urlOf({ cursor: nextCursor }), { state: { earlier: [...earlier, cursor ?? ''] } satisfies PagingState });
  }

  function previousPage() {
    const before = earlier.at(-1);
    navigate(urlOf({ cursor: before || undefined }), {
      state: { earlier: earlier.slice(0, -1) } satisfies PagingState,
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    update({ q: draft.trim() });
  }

  const flash = flashFrom(location.state);
  return (
    <>
      <div className="title-row">
        <PageTitle>{t('people.title')}</PageTitle>
        <Link to="/segments">{t('segments.link')}</Link>
        <Link to="/people/new" className="button">
          {t('people.new')}
        </Link>
      </div>
      {flash && <StatusMessage>{flash}</StatusMessage>}

      {/* biome-ignore lint/a11y/useSemanticElements: <search> is Baseline only since late 2023; role=search on the form keeps the landmark in older browsers */}
      <form role="search" onSubmit={submit} className="filters">
        <TextField
          label={t('people.searchLabel')}
          hint={t('people.searchHint')}
          type="search"
          name="q"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <SelectField
          label={t('people.municipalityFilter')}
          name="municipality"
          value={municipality}
          placeholder={t('common.all')}
          options={municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
          onChange={(e) => update({ municipality: e.target.value })}
        />
        <SelectField
          label={t('people.kindFilter')}
          name="kind"
          value={kind ?? ''}
          placeholder={t('common.all')}
          options={KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))}
          onChange={(e) => update({ kind: e.target.value })}
        />
        <SelectField
          label={t('people.stageFilter')}
          name="stage"
          value={stage ?? ''}
          placeholder={t('common.all')}
          options={STAGES.map((x) => ({ value: x, label: stageLabel(t, x) }))}
          onChange={(e) => update({ stage: e.target.value })}
        />
        <SelectField
          label={t('people.consentFilter')}
          name="consent"
          value={consent ?? ''}
          placeholder={t('common.all')}
          options={CONSENT_PURPOSES.map((x) => ({ value: x, label: consentPurposeLabel(t, x) }))}
          onChange={(e) => update({ consent: e.target.value })}
        />
        <SelectField
          label={t('people.sort')}
          name="sort"
          value={sort ?? ''}
          placeholder={q ? t('people.sort.relevance') : t('people.sort.newest')}
          options={SORTS.filter((o) => q || o !== 'relevance').map((o) => ({ value: o, label: t(`people.sort.${o}`) }))}
          onChange={(e) => update({ sort: e.target.value })}
        />
        <button type="submit">{t('common.search')}</button>
      </form>

      {people.error && <ErrorAlert onRetry={people.reload}>{people.error.message}</ErrorAlert>}
      {people.loading && !people.data && <Loading />}
      {people.data && (
        <section aria-busy={people.loading}>
          <div className="title-row">
            <p role="status" className="result-count">
              {people.data.totalIsExact
                ? t('people.resultCount', { total: formatNumber(people.data.total, lang) })
                : t('people.resultCountAtLeast', { total: formatNumber(people.data.total, lang) })}
            </p>
            {people.data.total > 0 && <ExportLinks filter={{ q, municipality, kind, stage, consent }} />}
          </div>
          {people.data.items.length > 0 && (
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">{t('people.tableCaption')}</caption>
                <thead>
                  <tr>
                    {/* The name column sorts in kana order, the registered column newest ↔ oldest: the search's own orders. */}
                    <SortableHeader
                      label={t('person.name')}
                      direction={order === 'kana' ? 'ascending' : undefined}
                      hint={t('people.sortByName')}
                      onSort={() => update({ sort: 'kana' })}
                    />
                    <th scope="col">{t('person.kana')}</th>
                    <th scope="col">{t('person.email')}</th>
                    <th scope="col">{t('person.phone')}</th>
                    <th scope="col">{t('person.links')}</th>
                    <SortableHeader
                      label={t('people.registered')}
                      direction={order === 'newest' ? 'descending' : order === 'oldest' ? 'ascending' : undefined}
                      hint={order === 'newest' ? t('people.sort.oldest') : t('people.sort.newest')}
                      onSort={() => update({ sort: order === 'newest' ? 'oldest' : 'newest' })}
                    />
                  </tr>
                </thead>
                <tbody>
                  {people.data.items.map((person) => (
                    <tr key={person.id}>
                      <th scope="row">
                        <Link to={`/people/${person.id}`}>{person.name}</Link>
                        {person.isDemo && <span className="badge">{t('people.demoMark')}</span>}
                      </th>
                      <td>{person.kana ?? t('common.none')}</td>
                      <td className="break">{person.email ?? t('common.none')}</td>
                      <td className="nowrap">{person.phone ?? t('common.none')}</td>
                      <td>
                        <ul className="plain-list">
                          {linksSummary(person.links ?? [], byCode, t, lang).map((line) => (
                            <li key={line}>{line}</li>
                          ))}
                        </ul>
                      </td>
                      <td className="nowrap">{formatDate(person.createdAt, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {(cursor || people.data.nextCursor) && (
            <nav className="pagination" aria-label={t('common.pagination')}>
              <button type="button" className="button-secondary" disabled={!cursor} onClick={previousPage}>
                {t('common.prev')}
              </button>
              {/* Reached by a shared link to a later page, the rows before it are not known. */}
              <span hidden={Boolean(cursor) && earlier.length === 0}>
                {t('people.pageRange', {
                  from: formatNumber(earlier.length * PAGE_SIZE + 1, lang),
                  to: formatNumber(earlier.length * PAGE_SIZE + people.data.items.length, lang),
                })}
              </span>
              <button
                type="button"
                className="button-secondary"
                disabled={!people.data.nextCursor}
                onClick={() => people.data?.nextCursor && nextPage(people.data.nextCursor)}
              >
                {t('common.next')}
              </button>
            </nav>
          )}
        </section>
      )}
    </>
  );
}

/**
 * A column heading that orders the list: a button in the heading, `aria-sort` on the column in
 * effect (screen readers announce it), an arrow for the eye.
 */
function SortableHeader({
  label,
  direction,
  hint,
  onSort,
}: {
  label: string;
  direction: 'ascending' | 'descending' | undefined;
  hint: string;
  onSort: () => void;
}) {
  return (
    <th scope="col" aria-sort={direction ?? 'none'}>
      <button type="button" className="sort-button" onClick={onSort} title={hint}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

/** CSV of the current search and filters, as Excel in Japan opens it; the server audits every export. */
function ExportLinks({ filter }: { filter: Omit<ListParams, 'sort'> }) {
  const t = useT();
  const href = (encoding: 'utf8' | 'sjis') => {
    const search = new URLSearchParams({ encoding });
    for (const [key, value] of Object.entries(filter)) if (value) search.set(key, value);
    return `/api/people/export?${search}`;
  };
  return (
    <p className="button-row">
      <a className="button button-secondary" href={href('utf8')} download>
        {t('people.exportUtf8')}
      </a>
      <a className="button button-secondary" href={href('sjis')} download>
        {t('people.exportSjis')}
      </a>
    </p>
  );
}
