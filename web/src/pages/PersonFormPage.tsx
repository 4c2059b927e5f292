import { useMemo, useRef, useState } from 'react';
import { type Resolver, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Link, useNavigate, useParams } from 'react-router';
import { LINK_KINDS, PERSON_LIMITS, PREFECTURES, type LinkKind } from '../../../src/shared/domain';
import { toNarrow } from '../../../src/shared/normalize';
import { CreatePerson, UpdatePerson } from '../../../src/shared/schemas/people';
import { ApiError, type FieldErrors } from '../api';
import { callApi } from '../data/client';
import { bodySchemaResolver, flatErrors, showServerErrors } from '../data/forms';
import { SelectField, TextAreaField, TextField } from '../components/Fields';
import { ErrorAlert, Loading } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { kindLabel, municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { useLang, useT, type Translate } from '../i18n';
import type { Municipality, Person } from '../types';

type LinkRow = { key: number; municipalityCode: string; kind: LinkKind | '' };

type FormState = {
  name: string;
  kana: string;
  email: string;
  phone: string;
  postalCode: string;
  prefecture: string;
  city: string;
  birthYear: string;
  notes: string;
  links: LinkRow[];
};

type TextKey = Exclude<keyof FormState, 'links'>;

const EMPTY: FormState = {
  name: '',
  kana: '',
  email: '',
  phone: '',
  postalCode: '',
  prefecture: '',
  city: '',
  birthYear: '',
  notes: '',
  links: [],
};

let nextRowKey = 1;

function fromPerson(person: Person): FormState {
  return {
    name: person.name,
    kana: person.kana ?? '',
    email: person.email ?? '',
    phone: person.phone ?? '',
    postalCode: person.postalCode ?? '',
    prefecture: person.prefecture ?? '',
    city: person.city ?? '',
    birthYear: person.birthYear === null ? '' : String(person.birthYear),
    notes: person.notes ?? '',
    links: (person.links ?? []).map((l) => ({ key: nextRowKey++, municipalityCode: l.municipalityCode, kind: l.kind })),
  };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/**
 * The body for POST/PATCH, the form's thin transform before the shared person schema checks it.
 * Empty strings become null (the API's "no value"); the birth year goes as a number when it is
 * one — full-width digits included — and otherwise as typed, so the schema names the field
 * instead of the UI silently dropping it.
 */
function toPayload(form: FormState) {
  const year = toNarrow(form.birthYear).trim();
  return {
    name: form.name.trim(),
    kana: orNull(form.kana),
    email: orNull(form.email),
    phone: orNull(form.phone),
    postalCode: orNull(form.postalCode),
    prefecture: orNull(form.prefecture),
    city: orNull(form.city),
    birthYear: year === '' ? null : /^\d+$/.test(year) ? Number(year) : year,
    notes: orNull(form.notes),
    links: form.links.map((l) => ({ municipalityCode: l.municipalityCode, kind: l.kind })),
  };
}

/** Server field keys may be written links.0.kind or links[0].kind; compare them in one form. */
function normalizeFieldKey(key: string): string {
  return key.replace(/\[(\d+)\]/g, '.$1').replace(/^body\./, '');
}

type PersonBody = z.output<typeof CreatePerson> | z.output<typeof UpdatePerson>;

type Candidate = { id: string; name: string | null; match: 'contact' | 'name' | null };

function candidatesFrom(error: ApiError): Candidate[] {
  const raw = error.details?.candidates;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c: unknown): Candidate[] => {
    if (typeof c === 'string' || typeof c === 'number') return [{ id: String(c), name: null, match: null }];
    if (typeof c === 'object' && c !== null && 'id' in c) {
      const name = 'name' in c && typeof c.name === 'string' ? c.name : null;
      const match = 'match' in c && (c.match === 'contact' || c.match === 'name') ? c.match : null;
      return [{ id: String(c.id), name, match }];
    }
    return [];
  });
}

export function PersonFormPage() {
  const { id } = useParams();
  const t = useT();
  const existing = useApiQuery('/api/people/{id}', { params: { path: { id: id ?? '' } } }, { enabled: Boolean(id) });

  if (id && existing.error) return <ErrorAlert onRetry={existing.reload}>{existing.error.message}</ErrorAlert>;
  if (id && !existing.data) return <Loading />;
  return <PersonForm key={id ?? 'new'} person={existing.data ?? null} t={t} />;
}

function PersonForm({ person, t }: { person: Person | null; t: Translate }) {
  const { lang } = useLang();
  const navigate = useNavigate();
  const { municipalities } = useMunicipalities();
  const {
    watch,
    setValue,
    handleSubmit,
    setError: setFieldError,
    formState,
  } = useForm<FormState, unknown, PersonBody>({
    defaultValues: person ? fromPerson(person) : EMPTY,
    // The shared person schema checks the body; a row the user added but did not finish asks to
    // select rather than naming a format.
    resolver: bodySchemaResolver(toPayload, person ? UpdatePerson : CreatePerson, lang, (field, problem) =>
      /^links\.\d+\.(municipalityCode|kind)$/.test(field) && problem.problem !== 'unknown_field'
        ? t('common.select')
        : undefined,
    ) as Resolver<FormState, unknown, PersonBody>,
  });
  const form = watch();
  const fieldErrors = flatErrors(formState.errors);
  const [error, setError] = useState<ApiError | null>(null);
  const saving = formState.isSubmitting;
  /** Same-name people the user said this new person is not (sent as distinctFrom). */
  const distinctFrom = useRef<string[]>([]);

  const errorFor = (key: string) => fieldErrors[key];
  const set = (key: TextKey) => (event: { target: { value: string } }) => setValue(key, event.target.value);
  const textProps = (key: TextKey) => ({ name: key, value: form[key], onChange: set(key), error: errorFor(key) });

  const submit = handleSubmit(
    async (body) => {
      setError(null);
      try {
        const saved = person
          ? await callApi('patch', '/api/people/{id}', { params: { path: { id: person.id } }, body })
          : await callApi('post', '/api/people', {
              body: {
                ...(body as z.output<typeof CreatePerson>),
                ...(distinctFrom.current.length ? { distinctFrom: distinctFrom.current } : {}),
              },
            });
        navigate(`/people/${saved.id}`, { state: { flash: t('person.saved') } });
      } catch (cause) {
        const apiError = ApiError.from(cause);
        setError(apiError);
        const fields = Object.fromEntries(
          Object.entries(apiError.fields ?? {}).map(([key, message]) => [normalizeFieldKey(key), message]),
        );
        showServerErrors(fields, setFieldError);
      }
    },
    () => setError(new ApiError({ status: 0, code: 'LOCAL', message: t('common.formHasErrors') })),
  );

  const title = person ? t('person.editTitle', { name: person.name }) : t('person.newTitle');
  return (
    <>
      <PageTitle>{title}</PageTitle>
      {error && (
        <FormErrorSummary
          error={error}
          fieldErrors={fieldErrors}
          t={t}
          onDistinct={
            person
              ? undefined
              : (ids) => {
                  distinctFrom.current = [...new Set([...distinctFrom.current, ...ids])];
                  void submit();
                }
          }
        />
      )}
      <form onSubmit={submit} noValidate className="stack person-form">
        <div className="grid-2">
          <TextField
            label={t('person.name')}
            required
            maxLength={PERSON_LIMITS.name}
            autoComplete="off"
            {...textProps('name')}
          />
          <TextField
            label={t('person.kana')}
            maxLength={PERSON_LIMITS.kana}
            autoComplete="off"
            {...textProps('kana')}
          />
          <TextField
            label={t('person.email')}
            type="email"
            maxLength={PERSON_LIMITS.email}
            autoComplete="off"
            {...textProps('email')}
          />
          <TextField
            label={t('person.phone')}
            type="tel"
            maxLength={PERSON_LIMITS.phone}
            autoComplete="off"
            {...textProps('phone')}
          />
          <TextField
            label={t('person.postalCode')}
            hint={t('person.postalCodeHint')}
            maxLength={PERSON_LIMITS.postalCode}
            inputMode="numeric"
            autoComplete="off"
            {...textProps('postalCode')}
          />
          <SelectField
            label={t('person.prefecture')}
            placeholder={t('common.none')}
            options={PREFECTURES.map((p) => ({ value: p, label: p }))}
            {...textProps('prefecture')}
          />
          <TextField
            label={t('person.city')}
            maxLength={PERSON_LIMITS.city}
            autoComplete="off"
            {...textProps('city')}
          />
          <TextField
            label={t('person.birthYear')}
            hint={t('person.birthYearHint')}
            inputMode="numeric"
            maxLength={4}
            autoComplete="off"
            {...textProps('birthYear')}
          />
        </div>
        <TextAreaField label={t('person.notes')} rows={5} maxLength={PERSON_LIMITS.notes} {...textProps('notes')} />
        <LinksEditor
          links={form.links}
          municipalities={municipalities}
          errorFor={errorFor}
          onChange={(links) => setValue('links', links)}
          t={t}
          lang={lang}
        />
        <div className="button-row">
          <button type="submit" disabled={saving}>
            {saving ? t('common.saving') : t('common.save')}
          </button>
          <Link to={person ? `/people/${person.id}` : '/people'} className="button button-secondary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}

/**
 * The message at the top of the form. For a suspected duplicate it links to the existing
 * records; the duplicate is merged from that person's page, never from here.
 */
function FormErrorSummary({
  error,
  fieldErrors,
  t,
  onDistinct,
}: {
  error: ApiError;
  fieldErrors: FieldErrors;
  t: Translate;
  /** Register anyway: offered when only the name and reading match (a shared contact is the same person). */
  onDistinct?: (ids: string[]) => void;
}) {
  const candidates = error.code === 'DUPLICATE_PERSON' ? candidatesFrom(error) : [];
  const onlyNameMatches = candidates.length > 0 && candidates.every((c) => c.match === 'name');
  const shown = new Set(['name', 'kana', 'email', 'phone', 'postalCode', 'prefecture', 'city', 'birthYear', 'notes']);
  // Errors on keys no field displays (e.g. "links" as a whole) are listed here so none is lost.
  const unplaced = Object.entries(fieldErrors).filter(
    ([key]) => !shown.has(key) && !/^links(\.\d+(\.(municipalityCode|kind))?)?$/.test(key),
  );
  return (
    <ErrorAlert>
      <p>{error.message}</p>
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map(([key, message]) => (
            <li key={key}>{message}</li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <>
          <p>{t('person.duplicateCandidates')}</p>
          <ul>
            {candidates.map((c) => (
              <li key={c.id}>
                <a href={`/people/${encodeURIComponent(c.id)}`} target="_blank" rel="noopener">
                  {t('person.openInNewTab', { name: c.name ?? c.id })}
                </a>
              </li>
            ))}
          </ul>
          <p>{t('person.duplicateHelp')}</p>
          {onlyNameMatches && onDistinct && (
            <p>
              <button type="button" onClick={() => onDistinct(candidates.map((c) => c.id))}>
                {t('person.registerDistinct')}
              </button>
            </p>
          )}
        </>
      )}
    </ErrorAlert>
  );
}

type LinksEditorProps = {
  links: LinkRow[];
  municipalities: Municipality[];
  errorFor: (key: string) => string | undefined;
  onChange: (links: LinkRow[]) => void;
  t: Translate;
  lang: 'ja' | 'en';
};

function LinksEditor({ links, municipalities, errorFor, onChange, t, lang }: LinksEditorProps) {
  const municipalityOptions = useMemo(
    () => municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) })),
    [municipalities, lang],
  );
  const kindOptions = LINK_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }));
  const update = (index: number, patch: Partial<LinkRow>) =>
    onChange(links.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const wholeListError = errorFor('links');

  return (
    <fieldset className="links-editor">
      <legend>{t('person.links')}</legend>
      {wholeListError && <p className="field-error">{wholeListError}</p>}
      {links.length === 0 && <p className="hint">{t('person.noLinks')}</p>}
      {links.map((row, i) => (
        <div key={row.key} className="link-row">
          <SelectField
            label={t('person.linkMunicipality', { n: i + 1 })}
            placeholder={t('common.select')}
            options={municipalityOptions}
            value={row.municipalityCode}
            error={errorFor(`links.${i}.municipalityCode`) ?? errorFor(`links.${i}`)}
            onChange={(e) => update(i, { municipalityCode: e.target.value })}
          />
          <SelectField
            label={t('person.linkKind', { n: i + 1 })}
            placeholder={t('common.select')}
            options={kindOptions}
            value={row.kind}
            error={errorFor(`links.${i}.kind`)}
            onChange={(e) => update(i, { kind: e.target.value as LinkKind | '' })}
          />
          <button type="button" className="button-secondary" onClick={() => onChange(links.filter((_, j) => j !== i))}>
            {t('person.linkRemove', { n: i + 1 })}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button-secondary"
        onClick={() => onChange([...links, { key: nextRowKey++, municipalityCode: '', kind: '' }])}
      >
        {t('person.linkAdd')}
      </button>
    </fieldset>
  );
}
