/**
 * Segments (/segments): build a segment from filters, see how many people it selects as the
 * filters change (within your scope), save it, and open a saved one's people. Every count and list
 * is audited on the server.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { CONSENT_PURPOSES, INVOLVEMENT_KINDS, LINK_KINDS, ROOT_KINDS, STAGES } from '../../../src/shared/domain';
import { ApiError, type FieldErrors } from '../api';
import { CheckboxGroup, SelectField, TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { MunicipalityPicker } from '../components/MunicipalityPicker';
import { PageTitle } from '../components/PageTitle';
import { TableScroll } from '../components/TableScroll';
import { callApi } from '../data/client';
import { useApiQuery } from '../data/queries';
import { formatNumber, type MessageKey, useLang, useT } from '../i18n';

type Filters = {
  municipalities?: string[];
  linkKinds?: Array<(typeof LINK_KINDS)[number]>;
  stage?: (typeof STAGES)[number];
  stageOf?: 'municipality' | 'highest';
  roots?: Array<(typeof ROOT_KINDS)[number]>;
  skills?: string[];
  involvement?: Array<(typeof INVOLVEMENT_KINDS)[number]>;
  consents?: Array<(typeof CONSENT_PURPOSES)[number]>;
  certified?: boolean;
  engagedFrom?: string;
  engagedTo?: string;
  attendedEventId?: string;
};
type Page = {
  total: number;
  items: Array<{ id: string; name: string; kana: string | null; municipalities: string[] }>;
};

function cleaned(f: Filters): Filters {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as Filters;
}

export function SegmentsPage() {
  const t = useT();
  const { lang } = useLang();
  const saved = useApiQuery('/api/segments');
  const [filters, setFilters] = useState<Filters>({});
  const [skillsText, setSkillsText] = useState('');
  const [preview, setPreview] = useState<Page | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [opened, setOpened] = useState<{ id: string; name: string; page: Page } | null>(null);

  const body = cleaned({
    ...filters,
    skills: skillsText
      .split(/[,、，\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
  });
  const key = JSON.stringify(body);

  // The count follows the filters: a preview shortly after the last change.
  useEffect(() => {
    const timer = setTimeout(() => {
      callApi('post', '/api/segments/preview', { body: { filters: JSON.parse(key) as Filters, limit: 20 } })
        .then((page) => {
          setPreview(page as Page);
          setPreviewError(null);
          setFieldErrors({});
        })
        .catch((cause) => {
          const e = ApiError.from(cause);
          setPreviewError(e.message);
          setFieldErrors(e.fields ?? {});
        });
    }, 300);
    return () => clearTimeout(timer);
  }, [key]);

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const options = (prefix: string, values: readonly string[]) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));

  async function save(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    try {
      await callApi('post', '/api/segments', { body: { name, filters: body } });
      setMessage(t('segments.saved', { name }));
      setName('');
      saved.reload();
    } catch (cause) {
      const e = ApiError.from(cause);
      setPreviewError(e.message);
      setFieldErrors(e.fields ?? {});
    }
  }

  async function open(id: string, segmentName: string) {
    const page = await callApi('get', '/api/segments/{id}/people', {
      params: { path: { id }, query: { limit: 50, offset: 0 } },
    });
    setOpened({ id, name: segmentName, page: page as Page });
  }

  return (
    <>
      <PageTitle>{t('segments.title')}</PageTitle>
      <p>{t('segments.intro')}</p>
      {message && <StatusMessage>{message}</StatusMessage>}
      <section className="card stack" aria-labelledby="segment-build">
        <h2 id="segment-build">{t('segments.build')}</h2>
        <MunicipalityPicker
          legend={t('segments.municipalities')}
          hint={t('segments.municipalitiesHint')}
          selected={filters.municipalities ?? []}
          onChange={(codes) => set('municipalities', codes)}
          max={100}
          required={false}
          error={fieldErrors['filters.municipalities']}
        />
        <CheckboxGroup
          legend={t('segments.linkKinds')}
          name="linkKinds"
          options={options('kind', LINK_KINDS)}
          values={filters.linkKinds ?? []}
          onChange={(v) => set('linkKinds', v as Filters['linkKinds'])}
        />
        <SelectField
          label={t('segments.stage')}
          placeholder={t('segments.any')}
          options={options('stage', STAGES)}
          value={filters.stage ?? ''}
          onChange={(e) => set('stage', (e.target.value || undefined) as Filters['stage'])}
          error={fieldErrors['filters.stage']}
        />
        <SelectField
          label={t('segments.stageOf')}
          options={[
            { value: 'municipality', label: t('segments.stageOf.municipality') },
            { value: 'highest', label: t('segments.stageOf.highest') },
          ]}
          value={filters.stageOf ?? 'municipality'}
          onChange={(e) => set('stageOf', e.target.value as Filters['stageOf'])}
        />
        <CheckboxGroup
          legend={t('segments.roots')}
          name="roots"
          options={options('root', ROOT_KINDS)}
          values={filters.roots ?? []}
          onChange={(v) => set('roots', v as Filters['roots'])}
        />
        <TextField
          label={t('segments.skills')}
          hint={t('segments.skillsHint')}
          value={skillsText}
          onChange={(e) => setSkillsText(e.target.value)}
          error={fieldErrors['filters.skills']}
        />
        <CheckboxGroup
          legend={t('segments.involvement')}
          name="involvement"
          options={options('involvement', INVOLVEMENT_KINDS)}
          values={filters.involvement ?? []}
          onChange={(v) => set('involvement', v as Filters['involvement'])}
        />
        <CheckboxGroup
          legend={t('segments.consents')}
          name="consents"
          options={options('consent', CONSENT_PURPOSES)}
          values={filters.consents ?? []}
          onChange={(v) => set('consents', v as Filters['consents'])}
        />
        <SelectField
          label={t('segments.certified')}
          placeholder={t('segments.any')}
          options={[
            { value: 'yes', label: t('segments.certified.yes') },
            { value: 'no', label: t('segments.certified.no') },
          ]}
          value={filters.certified === undefined ? '' : filters.certified ? 'yes' : 'no'}
          onChange={(e) => set('certified', e.target.value === '' ? undefined : e.target.value === 'yes')}
        />
        <TextField
          label={t('segments.engagedFrom')}
          type="date"
          value={filters.engagedFrom ?? ''}
          onChange={(e) => set('engagedFrom', e.target.value || undefined)}
          error={fieldErrors['filters.engagedFrom']}
        />
        <TextField
          label={t('segments.engagedTo')}
          type="date"
          value={filters.engagedTo ?? ''}
          onChange={(e) => set('engagedTo', e.target.value || undefined)}
          error={fieldErrors['filters.engagedTo']}
        />
        <div aria-live="polite" className="segment-count">
          {preview && <p>{t('segments.count', { count: formatNumber(preview.total, lang) })}</p>}
        </div>
        {previewError && <ErrorAlert>{previewError}</ErrorAlert>}
        {preview && <PeopleTable caption={t('segments.firstPage')} page={preview} />}
        <form onSubmit={save} className="stack narrow" noValidate>
          <TextField
            label={t('segments.name')}
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldErrors.name}
          />
          <button type="submit">{t('segments.save')}</button>
        </form>
      </section>
      <section className="card stack" aria-labelledby="segment-saved">
        <h2 id="segment-saved">{t('segments.savedTitle')}</h2>
        {saved.error && <ErrorAlert onRetry={saved.reload}>{saved.error.message}</ErrorAlert>}
        {saved.loading && !saved.data && <Loading />}
        {saved.data && saved.data.items.length === 0 && <p>{t('segments.none')}</p>}
        {saved.data && saved.data.items.length > 0 && (
          <ul>
            {saved.data.items.map((s) => (
              <li key={s.id}>
                <button type="button" className="button-secondary" onClick={() => void open(s.id, s.name)}>
                  {s.name}
                </button>
              </li>
            ))}
          </ul>
        )}
        {opened && (
          <>
            <h3>{t('segments.openedTitle', { name: opened.name, count: formatNumber(opened.page.total, lang) })}</h3>
            <PeopleTable caption={opened.name} page={opened.page} />
          </>
        )}
      </section>
    </>
  );
}

function PeopleTable({ caption, page }: { caption: string; page: Page }) {
  const t = useT();
  return (
    <TableScroll label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('segments.personName')}</th>
            <th scope="col">{t('segments.personMunicipalities')}</th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/people/${p.id}`}>{p.name}</Link>
              </td>
              <td>{p.municipalities.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
