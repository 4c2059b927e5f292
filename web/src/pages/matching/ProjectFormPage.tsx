/**
 * Post a project or change one: kind, theme, municipality, the receiving organization, seats and
 * how they are given, period, hours, remote share, fee range, required and welcome skills, and the
 * screening questions applicants answer. Cut from an issue (`?issue=`), it starts from the
 * issue's fields. The server checks everything and names the field at fault.
 */
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ISSUE_CATEGORIES, MATCHING_LIMITS as L, PROJECT_ACCEPTANCE } from '../../../../src/shared/matching';
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
import {
  issueCategoryLabel,
  optionsOf,
  PROJECT_KINDS,
  type ProjectKind,
  projectAcceptanceLabel,
  projectKindLabel,
  splitSkills,
} from '../../vocab';
import { MunicipalitySelect } from './parts';

type Draft = {
  title: string;
  summary: string;
  kind: string;
  theme: string;
  municipalityCode: string;
  organizationId: string;
  seats: string;
  acceptance: string;
  periodStart: string;
  periodEnd: string;
  hoursPerMonth: string;
  remotePercent: string;
  feeMinYen: string;
  feeMaxYen: string;
  requiredSkills: string;
  welcomeSkills: string;
  questions: string;
};

const EMPTY: Draft = {
  title: '',
  summary: '',
  kind: '',
  theme: '',
  municipalityCode: '',
  organizationId: '',
  seats: '1',
  acceptance: 'screening',
  periodStart: '',
  periodEnd: '',
  hoursPerMonth: '',
  remotePercent: '0',
  feeMinYen: '',
  feeMaxYen: '',
  requiredSkills: '',
  welcomeSkills: '',
  questions: '',
};

/** Empty → null, digits → a number; anything else goes as typed so the server names the field. */
const numberOrNull = (value: string): number | null => {
  const v = value.trim();
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : (v as unknown as number);
};
const textOrNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());
const str = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** One question per line, numbered q1, q2 … in the order written (answers name them by id). */
const questionsOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => ({ id: `q${i + 1}`, text: line, required: true }));

function bodyOf(d: Draft, issueId: string | null) {
  return {
    title: d.title.trim(),
    summary: textOrNull(d.summary),
    kind: d.kind as ProjectKind,
    theme: d.theme as (typeof ISSUE_CATEGORIES)[number],
    municipalityCode: d.municipalityCode,
    ...(issueId ? { issueId } : {}),
    ...(d.organizationId ? { organizationId: d.organizationId } : {}),
    seats: numberOrNull(d.seats) as number,
    acceptance: d.acceptance as (typeof PROJECT_ACCEPTANCE)[number],
    periodStart: textOrNull(d.periodStart),
    periodEnd: textOrNull(d.periodEnd),
    hoursPerMonth: numberOrNull(d.hoursPerMonth),
    remotePercent: numberOrNull(d.remotePercent) ?? 0,
    feeMinYen: numberOrNull(d.feeMinYen),
    feeMaxYen: numberOrNull(d.feeMaxYen),
    requiredSkills: splitSkills(d.requiredSkills),
    welcomeSkills: splitSkills(d.welcomeSkills),
    questions: questionsOf(d.questions),
  };
}

export function ProjectFormPage() {
  const { id } = useParams();
  const editing = Boolean(id);
  const [params] = useSearchParams();
  const issueId = editing ? null : params.get('issue');
  const t = useT();
  const user = useUser();
  const navigate = useNavigate();
  const ownMunicipality = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const existing = useApiQuery('/api/projects/{id}', { params: { path: { id: id ?? '' } } }, { enabled: editing });
  const issue = useApiQuery(
    '/api/regional-issues/{id}',
    { params: { path: { id: issueId ?? '' } } },
    { enabled: Boolean(issueId) },
  );
  const organizations = useApiQuery('/api/organizations');
  const form = useForm<Draft>({
    defaultValues: {
      ...EMPTY,
      municipalityCode: ownMunicipality ?? '',
      organizationId: user.organizationId ?? '',
    },
  });
  const { reset, getValues } = form;
  const [problem, setProblem] = useState<string[] | null>(null);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  const errors = flatErrors(form.formState.errors);

  useEffect(() => {
    const p = existing.data;
    if (!p) return;
    reset({
      title: p.title,
      summary: p.summary ?? '',
      kind: p.kind,
      theme: p.theme,
      municipalityCode: p.municipalityCode,
      organizationId: p.organization.id,
      seats: String(p.seats),
      acceptance: p.acceptance,
      periodStart: p.periodStart ?? '',
      periodEnd: p.periodEnd ?? '',
      hoursPerMonth: str(p.hoursPerMonth),
      remotePercent: String(p.remotePercent),
      feeMinYen: str(p.feeMinYen),
      feeMaxYen: str(p.feeMaxYen),
      requiredSkills: p.requiredSkills.join('、'),
      welcomeSkills: p.welcomeSkills.join('、'),
      questions: p.questions.map((q) => q.text).join('\n'),
    });
  }, [existing.data, reset]);

  // A project cut from an issue starts from what the issue asks for.
  useEffect(() => {
    const i = issue.data;
    if (!i) return;
    reset({
      ...getValues(),
      title: i.title,
      summary: i.background ?? '',
      theme: i.category,
      municipalityCode: i.municipalityCode,
      organizationId: getValues().organizationId || (i.contactOrganization?.id ?? ''),
      hoursPerMonth: str(i.hoursPerMonth),
      remotePercent: str(i.remotePercent ?? 0),
      periodStart: i.periodStart ?? '',
      periodEnd: i.periodEnd ?? '',
      requiredSkills: i.skills.join('、'),
    });
  }, [issue.data, reset, getValues]);

  async function save(draft: Draft) {
    setProblem(null);
    const body = bodyOf(draft, issueId);
    try {
      const saved = editing
        ? await callApi('patch', '/api/projects/{id}', {
            params: { path: { id: id ?? '' } },
            body: (({ municipalityCode: _m, organizationId: _o, ...rest }) => rest)(body),
          })
        : await callApi('post', '/api/projects', { body });
      navigate(`/manage/projects/${encodeURIComponent(saved.id)}`, { state: { flash: t('matching.saved') } });
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
        {editing ? t('projectForm.editTitle', { title: existing.data?.title ?? '' }) : t('projectForm.newTitle')}
      </PageTitle>
      {issue.data && (
        <p className="subtitle">
          {t('projectForm.issue')}: {issue.data.title}
        </p>
      )}
      {problem && (
        <ErrorAlert>
          {problem.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: replaced as a whole on each refusal; a message can appear twice
            <p key={i}>{line}</p>
          ))}
        </ErrorAlert>
      )}
      <form ref={formRef} onSubmit={form.handleSubmit(save)} noValidate className="stack">
        <section className="card stack" aria-labelledby="project-form-about">
          <h2 id="project-form-about">{t('project.about')}</h2>
          <TextField label={t('matching.title')} required maxLength={L.title} {...field('title')} />
          <TextAreaField label={t('projectForm.summary')} rows={5} maxLength={L.summary} {...field('summary')} />
          <div className="form-row">
            <SelectField
              label={t('projectForm.kind')}
              required
              placeholder={t('common.select')}
              options={optionsOf(PROJECT_KINDS, projectKindLabel, t)}
              {...field('kind')}
            />
            <SelectField
              label={t('projectForm.theme')}
              required
              placeholder={t('common.select')}
              options={optionsOf(ISSUE_CATEGORIES, issueCategoryLabel, t)}
              {...field('theme')}
            />
          </div>
          {!editing && (
            <>
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
              <SelectField
                label={t('projectForm.organization')}
                hint={user.role === 'partner' ? t('projectForm.organizationHint') : undefined}
                required={user.role !== 'partner'}
                placeholder={t('common.select')}
                options={orgs
                  .filter((o) => user.role !== 'partner' || o.id === user.organizationId)
                  .map((o) => ({ value: o.id, label: o.name }))}
                {...field('organizationId')}
              />
            </>
          )}
        </section>
        <section className="card stack" aria-labelledby="project-form-terms">
          <h2 id="project-form-terms">{t('projectForm.terms')}</h2>
          <div className="form-row">
            <TextField label={t('projectForm.seats')} required inputMode="numeric" {...field('seats')} />
            <SelectField
              label={t('projectForm.acceptance')}
              options={optionsOf(PROJECT_ACCEPTANCE, projectAcceptanceLabel, t)}
              {...field('acceptance')}
            />
          </div>
          <div className="form-row">
            <TextField label={t('matching.periodStart')} type="date" {...field('periodStart')} />
            <TextField label={t('matching.periodEnd')} type="date" {...field('periodEnd')} />
          </div>
          <div className="form-row">
            <TextField label={t('matching.hoursPerMonth')} inputMode="numeric" {...field('hoursPerMonth')} />
            <TextField label={t('matching.remotePercent')} inputMode="numeric" {...field('remotePercent')} />
          </div>
          <div className="form-row">
            <TextField label={t('projectForm.feeMin')} inputMode="numeric" {...field('feeMinYen')} />
            <TextField label={t('projectForm.feeMax')} inputMode="numeric" {...field('feeMaxYen')} />
          </div>
        </section>
        <section className="card stack" aria-labelledby="project-form-skills">
          <h2 id="project-form-skills">{t('projectForm.skillsTitle')}</h2>
          <TextField
            label={t('projectForm.requiredSkills')}
            hint={t('matching.skillsHint')}
            {...field('requiredSkills')}
          />
          <TextField
            label={t('projectForm.welcomeSkills')}
            hint={t('matching.skillsHint')}
            {...field('welcomeSkills')}
          />
          <TextAreaField
            label={t('projectForm.questions')}
            hint={t('projectForm.questionsHint')}
            rows={4}
            {...field('questions')}
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
