/**
 * The receiving side (KPI ④): an organization's readiness checklist — contact person, a published
 * issue or project, a receiving plan, a training attended — beside what Kankei's own records show,
 * its strengths and interests, confirmed by a coordinator with the date; and the trainings and
 * advisor dispatches for municipal staff and community leaders (date, topic, organizations,
 * attendees) with the form to record one.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { todayInTokyo } from '../../../../src/shared/dates';
import { READINESS_ITEMS, TRAINING_KINDS } from '../../../../src/shared/matching';
import { itemsOf } from '../../api';
import { useUser } from '../../auth';
import { CheckboxField, CheckboxGroup, SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { MunicipalitySelect } from '../../components/MunicipalitySelect';
import { PageTitle } from '../../components/PageTitle';
import { TableScroll } from '../../components/TableScroll';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { formatDate, joinList } from '../../format';
import { useAction, useMunicipalityName } from '../../hooks';
import { formatDateTime, useLang, useT } from '../../i18n';
import { optionsOf, splitSkills, trainingKindLabel } from '../../vocab';
import { isCoordinator, MatchingNav } from './parts';

export function ReceivingPage() {
  const t = useT();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const organizations = useApiQuery('/api/organizations');
  const orgs = organizations.data ? itemsOf(organizations.data) : [];
  const organizationId = params.get('organization') ?? '';
  return (
    <>
      <PageTitle>{t('readiness.pageTitle')}</PageTitle>
      <MatchingNav user={user} />
      <section className="card stack" aria-labelledby="readiness-title">
        <h2 id="readiness-title">{t('readiness.title')}</h2>
        <SelectField
          label={t('readiness.organization')}
          value={organizationId}
          placeholder={t('common.select')}
          options={orgs.map((o) => ({ value: o.id, label: o.name }))}
          onChange={(e) => setParams(e.target.value ? { organization: e.target.value } : {})}
        />
        {organizationId && <ReadinessPanel key={organizationId} organizationId={organizationId} />}
      </section>
      <TrainingsSection organizations={orgs} />
    </>
  );
}

type Checklist = Record<(typeof READINESS_ITEMS)[number], boolean>;

function ReadinessPanel({ organizationId }: { organizationId: string }) {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const readiness = useApiQuery('/api/organizations/{id}/readiness', { params: { path: { id: organizationId } } });
  const [checklist, setChecklist] = useState<Checklist | null>(null);
  const [strengths, setStrengths] = useState('');
  const [interests, setInterests] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const save = useApiMutation('put', '/api/organizations/{id}/readiness', {
    invalidates: ['/api/organizations/{id}/readiness'],
  });
  useEffect(() => {
    const r = readiness.data;
    if (!r) return;
    setChecklist(r.checklist);
    setStrengths(r.strengths.join('、'));
    setInterests(r.interests.join('、'));
  }, [readiness.data]);

  if (readiness.error) return <ErrorAlert onRetry={readiness.reload}>{readiness.error.message}</ErrorAlert>;
  if (!readiness.data || !checklist) return <Loading />;
  const r = readiness.data;
  const derived: Partial<Record<keyof Checklist, boolean>> = r.derived;

  async function submit(confirm: boolean) {
    setSaved(false);
    const ok = await run(() =>
      save.send({
        params: { path: { id: organizationId } },
        body: {
          ...(checklist ?? {}),
          strengths: splitSkills(strengths),
          interests: splitSkills(interests),
          ...(confirm ? { confirm: true } : {}),
        },
      }),
    );
    setSaved(ok);
  }

  return (
    <div className="stack">
      {saved && <StatusMessage>{t('matching.saved')}</StatusMessage>}
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <p>
        {r.confirmedAt
          ? t('readiness.confirmedBy', {
              name: r.confirmedBy ?? t('common.none'),
              date: formatDateTime(r.confirmedAt, lang),
            })
          : t('readiness.notConfirmed')}
      </p>
      {READINESS_ITEMS.map((item) => {
        const seen = derived[item];
        return (
          <CheckboxField
            key={item}
            label={t(`readiness.${item}`)}
            hint={seen === undefined ? undefined : seen ? t('readiness.derivedYes') : t('readiness.derivedNo')}
            checked={checklist[item]}
            onChange={(e) => setChecklist((c) => (c ? { ...c, [item]: e.target.checked } : c))}
          />
        );
      })}
      <TextField
        label={t('readiness.strengths')}
        hint={t('matching.skillsHint')}
        value={strengths}
        onChange={(e) => setStrengths(e.target.value)}
      />
      <TextField
        label={t('readiness.interests')}
        hint={t('matching.skillsHint')}
        value={interests}
        onChange={(e) => setInterests(e.target.value)}
      />
      <div className="button-row">
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void submit(false)}>
          {t('common.save')}
        </button>
        {isCoordinator(user) && (
          <button type="button" disabled={busy} onClick={() => void submit(true)}>
            {t('readiness.confirm')}
          </button>
        )}
      </div>
    </div>
  );
}

function TrainingsSection({ organizations }: { organizations: { id: string; name: string }[] }) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const trainings = useApiQuery('/api/trainings', { params: { query: { limit: 50 } } });
  const empty = { kind: 'training', heldOn: todayInTokyo(), topic: '', municipalityCode: '', attendees: '', note: '' };
  const [form, setForm] = useState(empty);
  const [orgIds, setOrgIds] = useState<string[]>([]);
  const { busy, error, fieldErrors, run } = useAction();
  const create = useApiMutation('post', '/api/trainings', {
    invalidates: ['/api/trainings', '/api/organizations/{id}/readiness'],
  });
  const fe = (name: string) => fieldErrors[`body.${name}`] ?? fieldErrors[name];
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const orgName = new Map(organizations.map((o) => [o.id, o.name]));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const attendees = Number(form.attendees);
    const ok = await run(() =>
      create.send({
        body: {
          kind: form.kind as (typeof TRAINING_KINDS)[number],
          heldOn: form.heldOn,
          topic: form.topic.trim(),
          municipalityCode: form.municipalityCode || null,
          organizationIds: orgIds,
          attendees:
            form.attendees.trim() === '' || !Number.isFinite(attendees) ? (form.attendees as never) : attendees,
          ...(form.note.trim() ? { note: form.note.trim() } : {}),
        },
      }),
    );
    if (ok) {
      setForm(empty);
      setOrgIds([]);
    }
  }

  return (
    <section className="card stack" aria-labelledby="trainings-title">
      <h2 id="trainings-title">{t('trainings.title')}</h2>
      {trainings.error && <ErrorAlert onRetry={trainings.reload}>{trainings.error.message}</ErrorAlert>}
      {trainings.data && trainings.data.items.length === 0 && <p>{t('matching.none')}</p>}
      {trainings.data && trainings.data.items.length > 0 && (
        <TableScroll label={t('trainings.title')}>
          <table>
            <caption className="visually-hidden">{t('trainings.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('trainings.heldOn')}</th>
                <th scope="col">{t('trainings.topic')}</th>
                <th scope="col">{t('trainings.kind')}</th>
                <th scope="col">{t('matching.municipality')}</th>
                <th scope="col">{t('trainings.organizations')}</th>
                <th scope="col" className="numeric">
                  {t('trainings.attendees')}
                </th>
              </tr>
            </thead>
            <tbody>
              {trainings.data.items.map((tr) => (
                <tr key={tr.id}>
                  <td className="nowrap">{formatDate(tr.heldOn, lang)}</td>
                  <th scope="row">
                    {tr.isDemo && `${t('matching.demo')} `}
                    {tr.topic}
                  </th>
                  <td className="nowrap">{trainingKindLabel(t, tr.kind)}</td>
                  <td className="nowrap">{tr.municipalityCode ? placeName(tr.municipalityCode) : t('common.none')}</td>
                  <td>
                    {tr.organizations.length
                      ? joinList(
                          tr.organizations.map((o) => o.name),
                          lang,
                        )
                      : t('common.none')}
                  </td>
                  <td className="numeric">{tr.attendees}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <form onSubmit={submit} className="stack record-form" noValidate aria-labelledby="trainings-new">
        <h3 id="trainings-new">{t('trainings.new')}</h3>
        {error && <ErrorAlert>{error}</ErrorAlert>}
        <div className="form-row">
          <SelectField
            label={t('trainings.kind')}
            value={form.kind}
            options={optionsOf(TRAINING_KINDS, trainingKindLabel, t)}
            onChange={set('kind')}
            error={fe('kind')}
          />
          <TextField
            label={t('trainings.heldOn')}
            type="date"
            required
            value={form.heldOn}
            onChange={set('heldOn')}
            error={fe('heldOn')}
          />
        </div>
        <TextField
          label={t('trainings.topic')}
          required
          value={form.topic}
          onChange={set('topic')}
          error={fe('topic')}
        />
        <div className="form-row">
          <MunicipalitySelect
            label={t('matching.municipality')}
            value={form.municipalityCode}
            placeholder={t('common.none')}
            onChange={(code) => setForm((f) => ({ ...f, municipalityCode: code }))}
            error={fe('municipalityCode')}
          />
          <TextField
            label={t('trainings.attendees')}
            required
            inputMode="numeric"
            value={form.attendees}
            onChange={set('attendees')}
            error={fe('attendees')}
          />
        </div>
        {organizations.length > 0 && (
          <CheckboxGroup
            legend={t('trainings.organizations')}
            name="organizationIds"
            options={organizations.map((o) => ({ value: o.id, label: orgName.get(o.id) ?? o.id }))}
            values={orgIds}
            onChange={setOrgIds}
            error={fe('organizationIds')}
          />
        )}
        <TextAreaField label={t('trainings.note')} rows={2} value={form.note} onChange={set('note')} />
        <div>
          <button type="submit" disabled={busy}>
            {t('trainings.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
