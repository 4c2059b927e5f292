import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { SelectField, TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { Pagination } from '../components/Pagination';
import { byCodeMap, linksSummary, municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { flashFrom } from '../flash';
import { formatNumber, useLang, useT } from '../i18n';

const PAGE_SIZE = 20;

export function PeopleListPage() {
  const t = useT();
  const { lang } = useLang();
  const location = useLocation();
  // The filters live in the URL, so a search can be bookmarked, shared and restored with Back.
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const municipality = params.get('municipality') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const people = useApiQuery('/api/people', { params: { query: { q, municipality, limit: PAGE_SIZE, offset } } });

  function update(next: { q?: string; municipality?: string; offset?: number }) {
    const merged = { q, municipality, offset: 0, ...next };
    const search = new URLSearchParams();
    if (merged.q) search.set('q', merged.q);
    if (merged.municipality) search.set('municipality', merged.municipality);
    if (merged.offset) search.set('offset', String(merged.offset));
    setParams(search);
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
        <button type="submit">{t('common.search')}</button>
      </form>

      {people.error && <ErrorAlert onRetry={people.reload}>{people.error.message}</ErrorAlert>}
      {people.loading && !people.data && <Loading />}
      {people.data && (
        <section aria-busy={people.loading}>
          <div className="title-row">
            <p role="status" className="result-count">
              {t('people.resultCount', { total: formatNumber(people.data.total, lang) })}
            </p>
            {people.data.total > 0 && <ExportLinks q={q} municipality={municipality} />}
          </div>
          {people.data.items.length > 0 && (
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">{t('people.tableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('person.name')}</th>
                    <th scope="col">{t('person.kana')}</th>
                    <th scope="col">{t('person.email')}</th>
                    <th scope="col">{t('person.phone')}</th>
                    <th scope="col">{t('person.links')}</th>
                  </tr>
                </thead>
                <tbody>
                  {people.data.items.map((person) => (
                    <tr key={person.id}>
                      <th scope="row">
                        <Link to={`/people/${person.id}`}>{person.name}</Link>
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
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination
            offset={offset}
            limit={PAGE_SIZE}
            total={people.data.total}
            onChange={(next) => update({ offset: next })}
          />
        </section>
      )}
    </>
  );
}

/** CSV of the current search, as Excel in Japan opens it; the server audits every export. */
function ExportLinks({ q, municipality }: { q: string; municipality: string }) {
  const t = useT();
  const href = (encoding: 'utf8' | 'sjis') => {
    const search = new URLSearchParams({ encoding });
    if (q) search.set('q', q);
    if (municipality) search.set('municipality', municipality);
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
