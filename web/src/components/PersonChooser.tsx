/**
 * Choose the person a record is about: search the people one may see (name, kana, email or
 * phone, as the people list searches) and pick one, or enter a new person inline. The results
 * are a radio group, so the keyboard moves through them with the arrow keys and the choice is
 * announced; "new person" is always the last choice, prefilled from what was searched.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { PERSON_LIMITS, PREFECTURES } from '../../../src/shared/domain';
import type { FieldErrors } from '../api';
import { byCodeMap, linksSummary } from '../format';
import { useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { useLang, useT } from '../i18n';
import type { Person } from '../types';
import { SelectField, TextField } from './Fields';
import { ErrorAlert } from './Messages';

export type NewPerson = { name: string; kana: string; email: string; phone: string; prefecture: string; city: string };
export type PersonChoice = { kind: 'existing'; person: Person } | { kind: 'new'; person: NewPerson } | null;

export const EMPTY_NEW_PERSON: NewPerson = { name: '', kana: '', email: '', phone: '', prefecture: '', city: '' };

const RESULT_LIMIT = 8;

/** What was typed, turned into a sensible start for a new person (a name, an email or a phone). */
function newPersonFrom(query: string): NewPerson {
  const q = query.trim();
  if (q.includes('@')) return { ...EMPTY_NEW_PERSON, email: q };
  if (/^[\d０-９()（）+\-－ー‐\s]{6,}$/.test(q)) return { ...EMPTY_NEW_PERSON, phone: q };
  if (/^[ァ-ヶー\s　ｦ-ﾟ]+$/.test(q)) return { ...EMPTY_NEW_PERSON, kana: q };
  return { ...EMPTY_NEW_PERSON, name: q };
}

type Props = {
  legend: string;
  value: PersonChoice;
  onChange: (choice: PersonChoice) => void;
  /** Server field errors under `person.` (new person) or `personId`. */
  errors?: FieldErrors;
  /** Focus the search field when this number changes (after a record was saved). */
  focusKey?: number;
};

export function PersonChooser({ legend, value, onChange, errors = {}, focusKey = 0 }: Props) {
  const t = useT();
  const { lang } = useLang();
  const id = useId();
  const { municipalities } = useMunicipalities();
  const byCode = byCodeMap(municipalities);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const resultsRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  useEffect(() => {
    if (focusKey > 0) searchRef.current?.focus();
  }, [focusKey]);

  const results = useApiQuery(
    '/api/people',
    { params: { query: { q: debounced, limit: RESULT_LIMIT } } },
    { enabled: debounced !== '' },
  );
  const people = debounced ? (results.data?.items ?? []) : [];
  const selectedId = value?.kind === 'existing' ? value.person.id : value?.kind === 'new' ? 'new' : '';

  function pick(choice: string) {
    if (choice === 'new')
      onChange({ kind: 'new', person: value?.kind === 'new' ? value.person : newPersonFrom(query) });
    else {
      const person =
        people.find((p) => p.id === choice) ??
        (value?.kind === 'existing' && value.person.id === choice ? value.person : null);
      if (person) onChange({ kind: 'existing', person });
    }
  }

  const setNew = (key: keyof NewPerson) => (event: { target: { value: string } }) => {
    if (value?.kind !== 'new') return;
    onChange({ kind: 'new', person: { ...value.person, [key]: event.target.value } });
  };

  // The chosen person stays listed even when a new search no longer finds them.
  const listed =
    value?.kind === 'existing' && !people.some((p) => p.id === value.person.id) ? [value.person, ...people] : people;

  return (
    <fieldset className="person-chooser stack" aria-describedby={errors.personId ? `${id}-error` : undefined}>
      <legend>
        {legend}
        <span className="required"> ({t('common.required')})</span>
      </legend>
      <TextField
        ref={searchRef}
        label={t('chooser.search')}
        hint={t('chooser.searchHint')}
        type="search"
        autoComplete="off"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          // Enter picks the only match, or moves to the results; it never submits the whole form.
          if (e.key !== 'Enter') return;
          e.preventDefault();
          if (people.length === 1 && people[0]) pick(people[0].id);
          else resultsRef.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
        }}
      />
      {results.error && <ErrorAlert onRetry={results.reload}>{results.error.message}</ErrorAlert>}
      <div ref={resultsRef} role="radiogroup" aria-label={t('chooser.results')} className="chooser-results">
        {debounced && results.loading && <p className="hint">{t('app.loading')}</p>}
        {debounced && results.data && people.length === 0 && <p className="hint">{t('chooser.noMatch')}</p>}
        {listed.map((person) => (
          <label key={person.id} className="choice chooser-choice">
            <input
              type="radio"
              name={`${id}-choice`}
              value={person.id}
              checked={selectedId === person.id}
              onChange={() => pick(person.id)}
            />
            <span>
              <strong>{person.name}</strong>
              {person.kana && <span className="muted"> {person.kana}</span>}
              <span className="chooser-meta">
                {[
                  person.email,
                  person.phone,
                  linksSummary(person.links, byCode, t, lang).join(lang === 'ja' ? '、' : '; '),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </span>
          </label>
        ))}
        <label className="choice chooser-choice">
          <input
            type="radio"
            name={`${id}-choice`}
            value="new"
            checked={selectedId === 'new'}
            onChange={() => pick('new')}
          />
          <span>{query.trim() ? t('chooser.newNamed', { query: query.trim() }) : t('chooser.new')}</span>
        </label>
      </div>
      {errors.personId && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {errors.personId}
        </p>
      )}
      {value?.kind === 'existing' && (
        <p className="chooser-picked" aria-live="polite">
          {t('chooser.picked', { name: value.person.name })}{' '}
          <a href={`/people/${encodeURIComponent(value.person.id)}`} target="_blank" rel="noreferrer">
            {t('chooser.openPerson')}
          </a>
        </p>
      )}
      {value?.kind === 'new' && (
        <div className="grid-2 chooser-new">
          <TextField
            label={t('person.name')}
            required
            maxLength={PERSON_LIMITS.name}
            value={value.person.name}
            onChange={setNew('name')}
            error={errors['person.name']}
          />
          <TextField
            label={t('person.kana')}
            maxLength={PERSON_LIMITS.kana}
            value={value.person.kana}
            onChange={setNew('kana')}
            error={errors['person.kana']}
          />
          <TextField
            label={t('person.email')}
            type="email"
            inputMode="email"
            maxLength={PERSON_LIMITS.email}
            value={value.person.email}
            onChange={setNew('email')}
            error={errors['person.email']}
          />
          <TextField
            label={t('person.phone')}
            type="tel"
            maxLength={PERSON_LIMITS.phone}
            value={value.person.phone}
            onChange={setNew('phone')}
            error={errors['person.phone']}
          />
          <SelectField
            label={t('chooser.prefecture')}
            placeholder={t('common.select')}
            options={PREFECTURES.map((p) => ({ value: p, label: p }))}
            value={value.person.prefecture}
            onChange={setNew('prefecture')}
            error={errors['person.prefecture']}
          />
          <TextField
            label={t('person.city')}
            maxLength={PERSON_LIMITS.city}
            value={value.person.city}
            onChange={setNew('city')}
            error={errors['person.city']}
          />
        </div>
      )}
    </fieldset>
  );
}
