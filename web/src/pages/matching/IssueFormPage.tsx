/**
 * Register a regional issue, or brush one up: every save that changes something is a new version
 * on the server (author, date, the fields changed), shown on the issue's page. The server checks
 * the fields and names the one at fault; its messages are put next to their fields.
 */
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import { ISSUE_CATEGORIES, MATCHING_LIMITS as L } from '../../../../src/shared/matching';
import { ApiError, itemsOf } from '../../api';
import { useUser } from '../../auth';
import { SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { callApi } from '../../data/client';
import { flatErrors, showServerErrors } from '../../data/forms';
import { useApiQuery } from '../../data/queries';
import { useFocusFirstInvalid } from '../../hooks';
import { useT } from '../../i18n';
import { issueCategoryLabel, optionsOf, splitSkills } from '../../vocab';
import { MunicipalitySelect } from './parts';

type Draft = {
  title: string;
  category: string;
  municipalityCode: string;
  lat: string;
  lon: string;
  background: string;
  skills: string;
  hoursPerMonth: string;
  remotePercent: string;
  periodStart: string;
  periodEnd: string;
  contactOrganizationId: string;
};

const EMPTY: Draft = {
  title: '',
  category: '',
  municipalityCode: '',
  lat: '',
  lon: '',
  background: '',
  skills: '',
  hoursPerMonth: '',
  remotePercent: '',
  periodStart: '',
  periodEnd: '',
  contactOrganizationId: '',
};

/** Empty → null, digits → a number; anything else goes as typed so the server names the field. */
const numberOrNull = (value: string): number | null => {
  const v = value.trim();
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : (v as unknown as number);
};
const textOrNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

type IssueBody = {
  title: string;
  category: (typeof ISSUE_CATEGORIES)[number];
  municipalityCode: string;
  lat: number | null;
  lon: number | null;
  background: string | null;
  skills: string[];
  hoursPerMonth: number | null;
  remotePercent: number | null;
  periodStart: string | null;
  periodEnd: string | null;
  contactOrganizationId: string | null;
};

function bodyOf(d: Draft): IssueBody {
  return {
    title: d.title.trim(),
    category: d.category as IssueBody['category'],
    municipalityCode: d.municipalityCode,
    lat: numberOrNull(d.lat),
    lon: numberOrNull(d.lon),
    background: textOrNull(d.background),
    skills: splitSkills(d.skills),
    hoursPerMonth: numberOrNull(d.hoursPerMonth),
    remotePercent: numberOrNull(d.remotePercent),
    periodStart: textOrNull(d.periodStart),
    periodEnd: textOrNull(d.periodEnd),
    contactOrganizationId: d.contactOrganizationId || null,
  };
}

const str = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function IssueFormPage() {
  const { id } = useParams();
  const editing = Boolean(id);
  const t = useT();
  const user = useUser();
  const navigate = useNavigate();
  const ownMunicipality = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const existing = useApiQuery(
    '/api/regional-issues/{id}',
    { params: { path: { id: id ?? '' } } },
    { enabled: editing },
  );
  const organizations = useApiQuery('/api/organizations');
  const form = useForm<Draft>({ defaultValues: { ...EMPTY, municipalityCode: ownMunicipality ?? '' } });
  const { reset } = form;
  const [problem, setProblem] = useState<string[] | null>(null);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  const errors = flatErrors(form.formState.errors);

  useEffect(() => {
    const i = existing.data;
    if (!i) return;
    reset({
      title: i.title,
      category: i.category,
      municipalityCode: i.municipalityCode,
      lat: str(i.lat),
      lon: str(i.lon),
      background: i.background ?? '',
      skills: i.skills.join('、'),
      hoursPerMonth: str(i.hoursPerMonth),
      remotePercent: str(i.remotePercent),
      periodStart: i.periodStart ?? '',
      periodEnd: i.periodEnd ?? '',
      contactOrganizationId: i.contactOrganization?.id ?? '',
    });
  }, [existing.data, reset]);

  async function save(draft: Draft) {
    setProblem(null);
    const body = bodyOf(draft);
    try {
      const saved = editing
        ? await callApi('patch', '/api/regional-issues/{id}', { params: { path: { id: id ?? '' } }, body })
        : await callApi('post', '/api/regional-issues', { body });
      navigate(`/issues/${encodeURIComponent(saved.id)}`, { state: { flash: t('matching.saved') } });
    } catch (cause) {
      const error = ApiError.from(cause);
      const unplaced = showServerErrors(error.fields, form.setError, (path) => path in EMPTY);
      setProblem([error.message, ...unplaced]);
      focusFirstInvalid();
    }
  }

  if (editing && existing.error) return <ErrorAlert onRetry={existing.reload}>{existing.error.message}</ErrorAlert>;
  if (editing && !existing.data) return <Loading />;
  const orgs = organizations.data ? itemsOf(organizations.data) : [];
  const field = (name: keyof Draft) => ({ ...form.register(name), error: errors[name] });

  return (
    <>
      <PageTitle>
        {editing ? t('issueForm.editTitle', { title: existing.data?.title ?? '' }) : t('issueForm.newTitle')}
      </PageTitle>
      {editing && <p className="hint">{t('issueForm.editHint')}</p>}
      {problem && (
        <ErrorAlert>
          {problem.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: replaced as a whole on each refusal; a message can appear twice
            <p key={i}>{line}</p>
          ))}
        </ErrorAlert>
      )}
      <form ref={formRef} onSubmit={form.handleSubmit(save)} noValidate className="stack">
        <section className="card stack" aria-labelledby="issue-form-about">
          <h2 id="issue-form-about">{t('issue.about')}</h2>
          <TextField label={t('matching.title')} required maxLength={L.title} {...field('title')} />
          <SelectField
            label={t('matching.category')}
            required
            placeholder={t('common.select')}
            options={optionsOf(ISSUE_CATEGORIES, issueCategoryLabel, t)}
            {...field('category')}
          />
          <MunicipalitySelect
            label={t('matching.municipality')}
            name="municipalityCode"
            required
            only={ownMunicipality}
            placeholder={t('common.select')}
            value={form.watch('municipalityCode')}
            onChange={(code) => form.setValue('municipalityCode', code)}
            error={errors.municipalityCode}
          />
          <TextAreaField label={t('issueForm.background')} rows={5} maxLength={L.background} {...field('background')} />
          <div className="form-row">
            <TextField label={t('issueForm.lat')} inputMode="decimal" {...field('lat')} />
            <TextField label={t('issueForm.lon')} inputMode="decimal" {...field('lon')} />
          </div>
        </section>
        <section className="card stack" aria-labelledby="issue-form-help">
          <h2 id="issue-form-help">{t('issueForm.helpWanted')}</h2>
          <TextField label={t('matching.skills')} hint={t('matching.skillsHint')} {...field('skills')} />
          <div className="form-row">
            <TextField label={t('matching.hoursPerMonth')} inputMode="numeric" {...field('hoursPerMonth')} />
            <TextField label={t('matching.remotePercent')} inputMode="numeric" {...field('remotePercent')} />
          </div>
          <div className="form-row">
            <TextField label={t('matching.periodStart')} type="date" {...field('periodStart')} />
            <TextField label={t('matching.periodEnd')} type="date" {...field('periodEnd')} />
          </div>
          <SelectField
            label={t('issueForm.contactOrganization')}
            placeholder={t('issueForm.noOrganization')}
            options={orgs.map((o) => ({ value: o.id, label: o.name }))}
            {...field('contactOrganizationId')}
          />
        </section>
        <div>
          <button type="submit" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </>
  );
}
