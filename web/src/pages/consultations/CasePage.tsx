/**
 * A case (移住までの道のり): the pipeline with its dated steps, the form to add the next step
 * (moved asks for the municipality and the move-in date, ended for a reason), the consultations,
 * referrals (with a form to refer the person) and the follow-ups after the move.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  CASE_END_REASONS,
  CONSULTATION_LIMITS,
  HOUSEHOLD_SIZE,
  REFERRAL_AREAS,
  UIJ_TYPES,
  type CaseStep,
  type UijType,
} from '../../../../src/shared/domain';
import { todayInTokyo } from '../../../../src/shared/dates';
import { ADDABLE_STEPS, transitionProblem } from '../../../../src/modules/consultations/pipeline';
import { itemsOf, type FieldErrors } from '../../api';
import { callApi } from '../../data/client';
import { canWorkWithPeople, useUser } from '../../auth';
import { SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { formatDate, municipalityLabel } from '../../format';
import { useAction, useMunicipalities, useFocusFirstInvalid } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { useLang, useT } from '../../i18n';
import type { CaseDetail, CaseStepInput, Referral, ReferralInput } from '../../types';
import { caseStepLabel, endReasonLabel, optionsOf, referralAreaLabel } from '../../vocab';
import { CasePipeline } from '../../components/CasePipeline';
import { CaseFacts, ConsultationCard, FollowupItem, ReferralItem } from './parts';

export function CasePage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const loaded = useApiQuery('/api/cases/{id}', { params: { path: { id } } });
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setDetail(loaded.data ?? null), [loaded.data]);

  if (loaded.error) return <ErrorAlert onRetry={loaded.reload}>{loaded.error.message}</ErrorAlert>;
  if (!detail) return <Loading />;
  const canEdit = canWorkWithPeople(user);

  const replaceReferral = (r: Referral) =>
    setDetail((d) => (d ? { ...d, referrals: d.referrals.map((x) => (x.id === r.id ? r : x)) } : d));

  return (
    <>
      <PageTitle>{t('case.title', { name: detail.person.name })}</PageTitle>
      <p className="subtitle">
        {t('case.subtitle', { step: caseStepLabel(t, detail.step), date: formatDate(detail.stepOn, lang) })} ·{' '}
        <Link to={`/people/${encodeURIComponent(detail.person.id)}`}>{t('case.openPerson')}</Link>
      </p>
      {message && <StatusMessage>{message}</StatusMessage>}
      {detail.isDemo && <p className="hint">{t('case.demo')}</p>}

      <div className="person-columns">
        <section className="card" aria-labelledby="case-pipeline-heading">
          <h2 id="case-pipeline-heading">{t('case.pipelineTitle')}</h2>
          <CasePipeline detail={detail} />
          <h3>{t('case.steps')}</h3>
          <ol className="timeline">
            {[...detail.steps].reverse().map((s) => (
              <li key={s.id}>
                <time dateTime={s.occurredOn}>{formatDate(s.occurredOn, lang)}</time>
                <p>
                  <strong>{caseStepLabel(t, s.step)}</strong>
                  {s.endReason && ` — ${endReasonLabel(t, s.endReason)}`}
                  {s.step === 'moved' &&
                    ` — ${t('case.movedPeople', { n: s.householdSize ?? 1 })}・${s.uijType ? t(`case.uijType.${s.uijType}`) : `${t('case.uijType')}: ${t('case.uijUnknown')}`}`}
                  {s.createdBy && <span className="muted"> · {s.createdBy.name}</span>}
                </p>
                {s.note && <p className="pre-wrap">{s.note}</p>}
              </li>
            ))}
          </ol>
          {canEdit && detail.isOpen && (
            <AddStepForm
              detail={detail}
              onAdded={(next, step) => {
                const newFollowups = next.followups.length - detail.followups.length;
                setDetail(next);
                setMessage(
                  newFollowups > 0
                    ? t('case.stepAddedWithFollowups', { step: caseStepLabel(t, step), count: newFollowups })
                    : t('case.stepAdded', { step: caseStepLabel(t, step) }),
                );
              }}
            />
          )}
        </section>
        <section className="card" aria-labelledby="case-facts-heading">
          <h2 id="case-facts-heading">{t('case.facts')}</h2>
          <CaseFacts summary={detail} />
          {canEdit && (
            <p>
              <Link className="button" to={`/consultations/new?person=${encodeURIComponent(detail.person.id)}`}>
                {t('case.recordConsultation')}
              </Link>
            </p>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="case-consultations-heading">
        <h2 id="case-consultations-heading">{t('case.consultations', { count: detail.consultations.length })}</h2>
        {detail.consultations.length === 0 && <p>{t('case.noConsultations')}</p>}
        <div className="record-list">
          {detail.consultations.map((c) => (
            <ConsultationCard
              key={c.id}
              consultation={c}
              canEdit={canEdit}
              onChanged={(next) =>
                setDetail((d) =>
                  d ? { ...d, consultations: d.consultations.map((x) => (x.id === next.id ? next : x)) } : d,
                )
              }
            />
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="case-referrals-heading">
        <h2 id="case-referrals-heading">{t('case.referrals')}</h2>
        {detail.referrals.length === 0 && <p>{t('case.noReferrals')}</p>}
        <div className="record-list">
          {detail.referrals.map((r) => (
            <ReferralItem key={r.id} referral={r} onChanged={replaceReferral} showPerson="none" canAct={canEdit} />
          ))}
        </div>
        {canEdit && (
          <ReferForm
            detail={detail}
            onSent={(r) => {
              setDetail((d) => (d ? { ...d, referrals: [r, ...d.referrals] } : d));
              setMessage(t('case.referralSent'));
            }}
          />
        )}
      </section>

      <section className="card" aria-labelledby="case-followups-heading">
        <h2 id="case-followups-heading">{t('case.followups')}</h2>
        {detail.followups.length === 0 && <p>{t('case.noFollowups')}</p>}
        <div className="record-list">
          {detail.followups.map((f) => (
            <FollowupItem
              key={f.id}
              followup={f}
              showPerson={false}
              canAct={canEdit}
              onChanged={(next) =>
                setDetail((d) => (d ? { ...d, followups: d.followups.map((x) => (x.id === next.id ? next : x)) } : d))
              }
            />
          ))}
        </div>
      </section>
    </>
  );
}

type StepForm = {
  step: string;
  occurredOn: string;
  municipalityCode: string;
  endReason: string;
  householdSize: string;
  uijType: string;
  note: string;
};

/** The next step: only steps the pipeline allows from here are offered (the server checks again). */
function AddStepForm({ detail, onAdded }: { detail: CaseDetail; onAdded: (next: CaseDetail, step: CaseStep) => void }) {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  const today = todayInTokyo();
  const allowed = ADDABLE_STEPS.filter((s) => transitionProblem(detail.step, s) === null);
  const fixedMunicipality = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const [form, setForm] = useState<StepForm>({
    step: '',
    occurredOn: today,
    municipalityCode: fixedMunicipality ?? detail.municipalityCode ?? '',
    endReason: '',
    householdSize: '1',
    uijType: '',
    note: '',
  });
  const { busy, error, fieldErrors: errors, setFieldErrors: setErrors, run, reset } = useAction();
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  const set = (key: keyof StepForm) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    const local: FieldErrors = {};
    if (!form.step) local.step = t('common.select');
    if (!form.occurredOn) local.occurredOn = t('consult.dateRequired');
    if (form.step === 'moved' && !form.municipalityCode) local.municipalityCode = t('case.movedNeedsMunicipality');
    if (form.step === 'ended' && !form.endReason) local.endReason = t('case.endedNeedsReason');
    const householdSize = Number(form.householdSize);
    if (
      form.step === 'moved' &&
      !(Number.isInteger(householdSize) && householdSize >= HOUSEHOLD_SIZE.min && householdSize <= HOUSEHOLD_SIZE.max)
    )
      local.householdSize = t('case.householdSizeInvalid');
    setErrors(local);
    if (Object.keys(local).length > 0) {
      focusFirstInvalid();
      return;
    }
    const body: CaseStepInput = {
      step: form.step as CaseStep,
      occurredOn: form.occurredOn,
      ...(form.step === 'moved'
        ? {
            municipalityCode: form.municipalityCode,
            householdSize,
            ...(form.uijType ? { uijType: form.uijType as UijType } : {}),
          }
        : {}),
      ...(form.step === 'ended' ? { endReason: form.endReason as CaseStepInput['endReason'] } : {}),
      note: form.note,
    };
    await run(async () => {
      const next = await callApi('post', '/api/cases/{id}/steps', { params: { path: { id: detail.id } }, body });
      onAdded(next, body.step);
      setForm((f) => ({ ...f, step: '', endReason: '', householdSize: '1', uijType: '', note: '' }));
    });
  }

  if (allowed.length === 0) return null;
  return (
    <form ref={formRef} onSubmit={submit} className="stack record-form" noValidate aria-labelledby="add-step-heading">
      <h3 id="add-step-heading">{t('case.addStep')}</h3>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <div className="grid-2">
        <SelectField
          label={t('case.nextStep')}
          required
          placeholder={t('common.select')}
          options={allowed.map((s) => ({ value: s, label: caseStepLabel(t, s) }))}
          value={form.step}
          onChange={set('step')}
          error={errors.step}
        />
        <TextField
          label={form.step === 'moved' ? t('case.moveInDate') : t('case.stepDate')}
          type="date"
          required
          min={detail.stepOn}
          max={today}
          value={form.occurredOn}
          onChange={set('occurredOn')}
          error={errors.occurredOn}
          hint={t('case.stepDateHint', { date: formatDate(detail.stepOn, lang) })}
        />
        {form.step === 'moved' && (
          <SelectField
            label={t('case.moveInMunicipality')}
            required
            placeholder={fixedMunicipality ? undefined : t('common.select')}
            options={municipalities
              .filter((m) => !fixedMunicipality || m.code === fixedMunicipality)
              .map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
            value={form.municipalityCode}
            onChange={set('municipalityCode')}
            error={errors.municipalityCode}
          />
        )}
        {form.step === 'moved' && (
          <TextField
            label={t('case.householdSize')}
            type="number"
            required
            min={HOUSEHOLD_SIZE.min}
            max={HOUSEHOLD_SIZE.max}
            step={1}
            inputMode="numeric"
            value={form.householdSize}
            onChange={set('householdSize')}
            error={errors.householdSize}
            hint={t('case.householdSizeHint')}
          />
        )}
        {form.step === 'moved' && (
          <SelectField
            label={t('case.uijType')}
            placeholder={t('case.uijUnknown')}
            options={UIJ_TYPES.map((u) => ({ value: u, label: t(`case.uijType.${u}`) }))}
            value={form.uijType}
            onChange={set('uijType')}
            error={errors.uijType}
          />
        )}
        {form.step === 'ended' && (
          <SelectField
            label={t('case.endReason')}
            required
            placeholder={t('common.select')}
            options={optionsOf(CASE_END_REASONS, endReasonLabel, t)}
            value={form.endReason}
            onChange={set('endReason')}
            error={errors.endReason}
          />
        )}
      </div>
      {form.step === 'moved' && <p className="hint">{t('case.movedHint')}</p>}
      <TextAreaField
        label={t('case.stepNote')}
        rows={2}
        maxLength={CONSULTATION_LIMITS.stepNote}
        value={form.note}
        onChange={set('note')}
        error={errors.note}
      />
      <div>
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('case.addStepSubmit')}
        </button>
      </div>
    </form>
  );
}

type ReferState = {
  target: 'organization' | 'municipality';
  organizationId: string;
  municipalityCode: string;
  area: string;
  message: string;
};
const EMPTY_REFER: ReferState = {
  target: 'organization',
  organizationId: '',
  municipalityCode: '',
  area: '',
  message: '',
};

function ReferForm({ detail, onSent }: { detail: CaseDetail; onSent: (r: Referral) => void }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const organizations = useApiQuery('/api/organizations');
  const [form, setForm] = useState<ReferState>(EMPTY_REFER);
  const { busy, error, fieldErrors: errors, setFieldErrors: setErrors, run, reset } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    const local: FieldErrors = {};
    if (!form.area) local.area = t('common.select');
    if (form.target === 'organization' && !form.organizationId) local.toOrganizationId = t('common.select');
    if (form.target === 'municipality' && !form.municipalityCode) local.toMunicipalityCode = t('common.select');
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const body: ReferralInput = {
      caseId: detail.id,
      ...(form.target === 'organization'
        ? { toOrganizationId: form.organizationId }
        : { toMunicipalityCode: form.municipalityCode }),
      area: form.area as ReferralInput['area'],
      message: form.message,
    };
    await run(async () => {
      onSent(await callApi('post', '/api/referrals', { body }));
      setForm(EMPTY_REFER);
    });
  }

  return (
    <details className="collapsible">
      <summary>{t('case.referOpen')}</summary>
      <form onSubmit={submit} className="stack record-form" noValidate aria-label={t('case.referOpen')}>
        {error && <ErrorAlert>{error}</ErrorAlert>}
        <div className="segmented" role="radiogroup" aria-label={t('consult.referTo')}>
          {(['organization', 'municipality'] as const).map((target) => (
            <label key={target} className="choice">
              <input
                type="radio"
                name="case-referral-target"
                checked={form.target === target}
                onChange={() => setForm((f) => ({ ...f, target }))}
              />
              <span>
                {target === 'organization' ? t('consult.referToOrganization') : t('consult.referToMunicipality')}
              </span>
            </label>
          ))}
        </div>
        <div className="grid-2">
          {form.target === 'organization' ? (
            <SelectField
              label={t('consult.referOrganization')}
              required
              placeholder={t('common.select')}
              options={(organizations.data ? itemsOf(organizations.data) : [])
                .filter((o) => o.kind !== 'center')
                .map((o) => ({ value: o.id, label: o.name }))}
              value={form.organizationId}
              onChange={(e) => {
                const organizationId = e.target.value;
                setForm((f) => ({ ...f, organizationId }));
              }}
              error={errors.toOrganizationId}
            />
          ) : (
            <SelectField
              label={t('consult.referMunicipality')}
              required
              placeholder={t('common.select')}
              options={municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
              value={form.municipalityCode}
              onChange={(e) => {
                const municipalityCode = e.target.value;
                setForm((f) => ({ ...f, municipalityCode }));
              }}
              error={errors.toMunicipalityCode}
            />
          )}
          <SelectField
            label={t('consult.referArea')}
            required
            placeholder={t('common.select')}
            options={optionsOf(REFERRAL_AREAS, referralAreaLabel, t)}
            value={form.area}
            onChange={(e) => {
              const area = e.target.value;
              setForm((f) => ({ ...f, area }));
            }}
            error={errors.area}
          />
        </div>
        <TextAreaField
          label={t('consult.referMessage')}
          rows={2}
          maxLength={CONSULTATION_LIMITS.referralMessage}
          value={form.message}
          onChange={(e) => {
            const message = e.target.value;
            setForm((f) => ({ ...f, message }));
          }}
          error={errors.message}
        />
        <p className="hint">{t('consult.referHint')}</p>
        <div>
          <button type="submit" disabled={busy}>
            {t('case.referSubmit')}
          </button>
        </div>
      </form>
    </details>
  );
}
