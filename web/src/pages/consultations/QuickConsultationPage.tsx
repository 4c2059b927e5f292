/**
 * Record a consultation in under a minute (移住相談の記録): the person (found or entered inline),
 * channel, date, topics as chips, municipalities of interest, desired timing, family, notes, the
 * next action with its due date, and optionally a referral to a partner or a municipality. After
 * saving, the form clears what was said for the next visitor but keeps the channel, date and event
 * booth, so a fair's consultant records one visitor after another without re-entering them. The
 * person just saved stays chosen (a new person is now a known one: saving again records for them,
 * never a second copy), and the person search asks again, so it finds whoever was just registered.
 * A new person with the name and reading of someone known is answered with them as candidates: choose
 * one, or say it is someone else. Ctrl+Enter saves from anywhere in the form.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { type Resolver, useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import {
  CONSULTATION_CHANNELS,
  CONSULTATION_LIMITS,
  CONSULTATION_TOPICS,
  DESIRED_TIMINGS,
  REFERRAL_AREAS,
  type EventKind,
} from '../../../../src/shared/domain';
import { todayInTokyo } from '../../../../src/shared/dates';
import { ApiError, itemsOf, type FieldErrors } from '../../api';
import { callApi } from '../../data/client';
import { bodySchemaResolver, flatErrors } from '../../data/forms';
import { useUser } from '../../auth';
import { CheckboxField, CheckboxGroup, SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, StatusMessage } from '../../components/Messages';
import { MunicipalityPicker } from '../../components/MunicipalityPicker';
import { PageTitle } from '../../components/PageTitle';
import { PersonChooser, type PersonChoice } from '../../components/PersonChooser';
import { bodyOf, type ConsultationBody, consultationForm, type FormState, type Referral } from './consultationForm';
import { municipalityLabel } from '../../format';
import { useMunicipalities, useFocusFirstInvalid } from '../../hooks';
import { queryClient, useApiQuery } from '../../data/queries';
import { useLang, useT } from '../../i18n';
import type { CreatedConsultation } from '../../types';
import {
  caseStepLabel,
  channelLabel,
  formatEventTime,
  optionsOf,
  paren,
  referralAreaLabel,
  timingLabel,
  topicLabel,
} from '../../vocab';

const EMPTY_REFERRAL: Referral = {
  enabled: false,
  target: 'organization',
  organizationId: '',
  municipalityCode: '',
  area: '',
  message: '',
};

/** The channel an event's consultations usually come through. */
const CHANNEL_OF_EVENT: Partial<Record<EventKind, string>> = {
  fair: 'fair',
  mini_day: 'mini_day',
  theme_desk: 'theme_desk',
  online_session: 'online',
};

/** Keeps what stays the same from one visitor to the next; clears what is about the person. */
/** What one visitor's consultation fills in; channel, date, consultant, event and booth stay for the next visitor. */
function visitorFields(ownMunicipality: string | null) {
  return {
    topics: [],
    municipalityCodes: ownMunicipality ? [ownMunicipality] : [],
    desiredTiming: '',
    householdSize: '',
    withChildren: '',
    familyNote: '',
    notes: '',
    nextAction: '',
    nextActionDue: '',
    referral: EMPTY_REFERRAL,
  } satisfies Partial<FormState>;
}

function nextVisitor(form: FormState, ownMunicipality: string | null): FormState {
  return { ...form, ...visitorFields(ownMunicipality) };
}

/** Server field keys → the part of the form that shows them (referral.area → referral.area, topics.2 → topics). */
function fieldKey(key: string): string {
  const k = key.replace(/\[(\d+)\]/g, '.$1').replace(/^body\./, '');
  if (k.startsWith('person.') || k.startsWith('referral.')) return k;
  return k.split('.')[0] ?? k;
}

/** The form's errors keyed by the part of the form that shows them (topics.2 → topics). */
function shownErrors(flat: FieldErrors): FieldErrors {
  const shown: FieldErrors = {};
  for (const [key, message] of Object.entries(flat)) {
    const k = fieldKey(key);
    shown[k] = shown[k] && shown[k] !== message ? `${shown[k]} ${message}` : message;
  }
  return shown;
}

export function QuickConsultationPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const [params] = useSearchParams();
  const { municipalities } = useMunicipalities();
  const today = todayInTokyo();
  // Municipality staff record consultations about their own municipality (the server requires it).
  const ownMunicipality = user.role === 'municipality_staff' ? user.municipalityCode : null;

  const {
    watch,
    setValue,
    getValues,
    handleSubmit,
    setError: setFieldError,
    clearErrors,
    formState,
  } = useForm<FormState, unknown, ConsultationBody>({
    defaultValues: {
      channel: '',
      occurredOn: today,
      consultantId: '',
      ...visitorFields(ownMunicipality),
      eventId: params.get('event') ?? '',
      boothId: params.get('booth') ?? '',
      person: null,
    },
    // The shared schema words problems as the server does; the fields people most often leave
    // empty keep the form's short wording.
    resolver: bodySchemaResolver(bodyOf, consultationForm, lang, (field, { problem }) => {
      if (field === 'personId' && problem === 'person_or_id') return t('consult.personRequired');
      if (field === 'person.name' && problem === 'required') return t('consult.nameRequired');
      if (field === 'occurredOn' && problem === 'unknown_date_format') return t('consult.dateRequired');
      if (field === 'householdSize' && problem === 'invalid_type') return t('consult.householdInvalid');
      if (field === 'channel' || /^referral\.(area|toOrganizationId|toMunicipalityCode)$/.test(field))
        return t('common.select');
      return undefined;
    }) as Resolver<FormState, unknown, ConsultationBody>,
  });
  const form = watch();
  const person = form.person;
  const setPerson = (choice: PersonChoice) => setValue('person', choice);
  /** The values changed as a whole (chips, lists, the next visitor). */
  const setForm = (change: (f: FormState) => FormState) => {
    const next = change(getValues());
    for (const key of Object.keys(next) as (keyof FormState)[]) setValue(key, next[key]);
  };
  const errors = shownErrors(flatErrors(formState.errors));
  const busy = formState.isSubmitting;
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<CreatedConsultation | null>(null);
  const [savedCount, setSavedCount] = useState(0);
  /** Same-name people the user said the new person is not (sent as person.distinctFrom). */
  const distinctFrom = useRef<string[]>([]);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();

  // A person named in the address (from their page): start with them chosen.
  const preset = useApiQuery(
    '/api/people/{id}',
    { params: { path: { id: params.get('person') ?? '' } } },
    { enabled: Boolean(params.get('person')) },
  );
  useEffect(() => {
    if (preset.data) setValue('person', { kind: 'existing', person: preset.data });
  }, [preset.data, setValue]);

  // Events around today, for "at which event and booth".
  const from = useMemo(() => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 60);
    return d.toISOString().slice(0, 10);
  }, [today]);
  const events = useApiQuery('/api/events', { params: { query: { from, limit: 100 } } });
  const event = useApiQuery(
    '/api/events/{id}',
    { params: { path: { id: form.eventId } } },
    { enabled: form.eventId !== '' },
  );
  const organizations = useApiQuery('/api/organizations');
  // Who may be named as consultant (the caller stays the default); partners get 403, so they do not ask.
  const staff = useApiQuery('/api/staff/consultants', undefined, { enabled: user.role !== 'partner' });

  // The event decides the usual channel, unless one was already chosen.
  useEffect(() => {
    const kind = event.data?.kind;
    const channel = kind ? CHANNEL_OF_EVENT[kind] : undefined;
    if (channel && !getValues('channel')) setValue('channel', channel);
  }, [event.data?.kind, getValues, setValue]);

  const set =
    (
      key:
        | 'channel'
        | 'occurredOn'
        | 'consultantId'
        | 'desiredTiming'
        | 'householdSize'
        | 'familyNote'
        | 'notes'
        | 'nextAction'
        | 'nextActionDue',
    ) =>
    (event: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [key]: event.target.value }));
  const setReferral = (patch: Partial<Referral>) => setForm((f) => ({ ...f, referral: { ...f.referral, ...patch } }));

  const submit = handleSubmit(
    async (body) => {
      setProblem(null);
      setSaved(null);
      try {
        const sent =
          body.person && distinctFrom.current.length
            ? { ...body, person: { ...body.person, distinctFrom: distinctFrom.current } }
            : body;
        const created = await callApi('post', '/api/consultations', { body: sent });
        setSaved(created);
        clearErrors();
        distinctFrom.current = [];
        // Searches answered before the save do not know the person it may have registered.
        void queryClient.invalidateQueries({ queryKey: ['/api/people'] });
        const savedPerson = await callApi('get', '/api/people/{id}', {
          params: { path: { id: created.consultation.person.id } },
        }).catch(() => null);
        setForm((f) => ({
          ...nextVisitor(f, ownMunicipality),
          person: savedPerson ? { kind: 'existing', person: savedPerson } : null,
        }));
        setSavedCount((n) => n + 1);
      } catch (cause) {
        const error = ApiError.from(cause);
        const byField: FieldErrors = {};
        for (const [key, message] of Object.entries(error.fields ?? {})) {
          const k = fieldKey(key);
          byField[k] = byField[k] ? `${byField[k]} ${message}` : message;
        }
        for (const [key, message] of Object.entries(byField)) {
          setFieldError(key as Parameters<typeof setFieldError>[0], { type: 'server', message });
        }
        setProblem(error);
        focusFirstInvalid();
      }
    },
    () => {
      setSaved(null);
      setProblem(new ApiError({ status: 0, code: 'LOCAL', message: t('common.formHasErrors') }));
      focusFirstInvalid();
    },
  );

  function submitOnCtrlEnter(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  }

  async function chooseCandidate(id: string) {
    try {
      const found = await callApi('get', '/api/people/{id}', { params: { path: { id } } });
      setPerson({ kind: 'existing', person: found });
      setProblem(null);
      clearErrors();
    } catch (cause) {
      setProblem(ApiError.from(cause));
    }
  }

  const municipalityOptions = municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }));
  const eventOptions = (events.data ? itemsOf(events.data) : []).map((e) => ({
    value: e.id,
    label: `${e.title}${paren(formatEventTime(e.startsAt, null, lang), lang)}`,
  }));
  const boothOptions = (event.data?.booths ?? []).map((b) => ({ value: b.id, label: b.name }));
  const consultantOptions = (staff.data ? itemsOf(staff.data) : []).map((s) => ({
    value: s.id,
    label:
      s.id === user.id
        ? t('consult.me', { name: s.name })
        : s.municipalityCode
          ? `${s.name}${paren(
              municipalityLabel(
                municipalities.find((m) => m.code === s.municipalityCode),
                s.municipalityCode,
                lang,
              ),
              lang,
            )}`
          : s.name,
  }));
  const candidates =
    problem?.code === 'DUPLICATE_PERSON' && Array.isArray(problem.details?.candidates)
      ? (problem.details.candidates as Array<{ id: string; name: string; match?: 'contact' | 'name' }>)
      : [];
  // Only a name match may be passed over: the same email or phone is the same person.
  const onlyNameMatches = candidates.length > 0 && candidates.every((c) => c.match === 'name');
  const unplaced = Object.entries(errors).filter(([key]) => !SHOWN.has(key) && !key.startsWith('person.'));

  return (
    <>
      <PageTitle>{t('consult.title')}</PageTitle>
      <p className="hint">{t('consult.intro')}</p>
      {saved && (
        <StatusMessage>
          <p>
            {t('consult.saved', { name: saved.consultation.person.name, step: caseStepLabel(t, saved.case.step) })}
            {saved.caseOpened && ` ${t('consult.caseOpened')}`}
            {saved.referral && ` ${t('consult.referralSent')}`}
          </p>
          <p className="button-row">
            <Link to={`/cases/${encodeURIComponent(saved.case.id)}`}>{t('consult.openCase')}</Link>
            <Link to={`/people/${encodeURIComponent(saved.consultation.person.id)}`}>
              {t('consult.openPerson', { name: saved.consultation.person.name })}
            </Link>
          </p>
        </StatusMessage>
      )}
      {problem && (
        <ErrorAlert>
          <p>{problem.message}</p>
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map(([key, message]) => (
                <li key={key}>{message}</li>
              ))}
            </ul>
          )}
          {candidates.length > 0 && (
            <ul className="plain-list">
              {candidates.map((c) => (
                <li key={c.id} className="button-row">
                  <span>{c.name}</span>
                  <button type="button" className="button-secondary" onClick={() => void chooseCandidate(c.id)}>
                    {t('consult.chooseCandidate', { name: c.name })}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {onlyNameMatches && (
            <p className="button-row">
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  distinctFrom.current = [...new Set([...distinctFrom.current, ...candidates.map((c) => c.id)])];
                  void submit();
                }}
              >
                {t('consult.registerDistinct')}
              </button>
            </p>
          )}
        </ErrorAlert>
      )}

      <form ref={formRef} onSubmit={submit} onKeyDown={submitOnCtrlEnter} noValidate className="stack quick-form">
        <section className="card stack" aria-labelledby="consult-who">
          <h2 id="consult-who">{t('consult.who')}</h2>
          <PersonChooser
            legend={t('consult.person')}
            value={person}
            onChange={setPerson}
            errors={errors}
            focusKey={savedCount}
          />
        </section>

        <section className="card stack" aria-labelledby="consult-when">
          <h2 id="consult-when">{t('consult.when')}</h2>
          <div className="grid-3">
            <SelectField
              label={t('consult.channel')}
              required
              placeholder={t('common.select')}
              options={optionsOf(CONSULTATION_CHANNELS, channelLabel, t)}
              value={form.channel}
              onChange={set('channel')}
              error={errors.channel}
            />
            <TextField
              label={t('consult.occurredOn')}
              type="date"
              required
              max={today}
              value={form.occurredOn}
              onChange={set('occurredOn')}
              error={errors.occurredOn}
            />
            {consultantOptions.some((o) => o.value !== user.id) ? (
              <SelectField
                label={t('consult.consultant')}
                placeholder={t('consult.me', { name: user.name })}
                options={consultantOptions.filter((o) => o.value !== user.id)}
                value={form.consultantId}
                onChange={set('consultantId')}
                error={errors.consultantId}
              />
            ) : (
              <div className="field">
                <span className="label-like">{t('consult.consultant')}</span>
                <p className="static-value">{t('consult.me', { name: user.name })}</p>
              </div>
            )}
          </div>
          <div className="grid-2">
            <SelectField
              label={t('consult.event')}
              hint={t('consult.eventHint')}
              placeholder={t('consult.noEvent')}
              options={eventOptions}
              value={form.eventId}
              onChange={(e) => {
                const eventId = e.target.value;
                setForm((f) => ({ ...f, eventId, boothId: '' }));
              }}
              error={errors.eventId}
            />
            {form.eventId && (
              <SelectField
                label={t('consult.booth')}
                placeholder={t('consult.noBooth')}
                options={boothOptions}
                value={form.boothId}
                onChange={(e) => {
                  const boothId = e.target.value;
                  setForm((f) => ({ ...f, boothId }));
                }}
                error={errors.boothId}
              />
            )}
          </div>
        </section>

        <section className="card stack" aria-labelledby="consult-what">
          <h2 id="consult-what">{t('consult.what')}</h2>
          <CheckboxGroup
            legend={t('consult.topics')}
            name="topics"
            className="chip-choices"
            options={optionsOf(CONSULTATION_TOPICS, topicLabel, t)}
            values={form.topics}
            onChange={(topics) => setForm((f) => ({ ...f, topics }))}
            error={errors.topics}
          />
          <details className="collapsible" open={form.municipalityCodes.length > 0 || undefined}>
            <summary>
              {t('consult.municipalitiesSummary', {
                names:
                  form.municipalityCodes.length === 0
                    ? t('consult.noneYet')
                    : form.municipalityCodes
                        .map((c) =>
                          municipalityLabel(
                            municipalities.find((m) => m.code === c),
                            c,
                            lang,
                          ),
                        )
                        .join(lang === 'ja' ? '・' : ', '),
              })}
            </summary>
            <MunicipalityPicker
              legend={t('consult.municipalities')}
              hint={t('consult.municipalitiesHint')}
              required={false}
              max={35}
              selected={form.municipalityCodes}
              onChange={(municipalityCodes) => setForm((f) => ({ ...f, municipalityCodes }))}
              error={errors.municipalityCodes}
            />
          </details>
          <div className="grid-3">
            <SelectField
              label={t('consult.desiredTiming')}
              placeholder={t('common.none')}
              options={optionsOf(DESIRED_TIMINGS, timingLabel, t)}
              value={form.desiredTiming}
              onChange={set('desiredTiming')}
              error={errors.desiredTiming}
            />
            <TextField
              label={t('consult.householdSize')}
              hint={t('consult.householdHint')}
              inputMode="numeric"
              autoComplete="off"
              value={form.householdSize}
              onChange={set('householdSize')}
              error={errors.householdSize}
            />
            <SelectField
              label={t('consult.withChildren')}
              placeholder={t('common.none')}
              options={[
                { value: 'yes', label: t('common.yes') },
                { value: 'no', label: t('common.no') },
              ]}
              value={form.withChildren}
              onChange={(e) => {
                const withChildren = e.target.value as FormState['withChildren'];
                setForm((f) => ({ ...f, withChildren }));
              }}
              error={errors.withChildren}
            />
          </div>
          <TextField
            label={t('consult.familyNote')}
            maxLength={CONSULTATION_LIMITS.familyNote}
            value={form.familyNote}
            onChange={set('familyNote')}
            error={errors.familyNote}
          />
          <TextAreaField
            label={t('consult.notes')}
            rows={4}
            maxLength={CONSULTATION_LIMITS.notes}
            value={form.notes}
            onChange={set('notes')}
            error={errors.notes}
          />
        </section>

        <section className="card stack" aria-labelledby="consult-next">
          <h2 id="consult-next">{t('consult.next')}</h2>
          <div className="grid-2">
            <TextField
              label={t('consult.nextAction')}
              maxLength={CONSULTATION_LIMITS.nextAction}
              value={form.nextAction}
              onChange={set('nextAction')}
              error={errors.nextAction}
            />
            <TextField
              label={t('consult.nextActionDue')}
              type="date"
              min={form.occurredOn || undefined}
              value={form.nextActionDue}
              onChange={set('nextActionDue')}
              error={errors.nextActionDue}
            />
          </div>
          <CheckboxField
            label={t('consult.refer')}
            hint={t('consult.referHint')}
            checked={form.referral.enabled}
            onChange={(e) => setReferral({ enabled: e.target.checked })}
          />
          {form.referral.enabled && (
            <fieldset className="stack">
              <legend>{t('consult.referralTitle')}</legend>
              <div className="segmented" role="radiogroup" aria-label={t('consult.referTo')}>
                {(['organization', 'municipality'] as const).map((target) => (
                  <label key={target} className="choice">
                    <input
                      type="radio"
                      name="referral-target"
                      value={target}
                      checked={form.referral.target === target}
                      onChange={() => setReferral({ target })}
                    />
                    <span>
                      {target === 'organization' ? t('consult.referToOrganization') : t('consult.referToMunicipality')}
                    </span>
                  </label>
                ))}
              </div>
              <div className="grid-2">
                {form.referral.target === 'organization' ? (
                  <SelectField
                    label={t('consult.referOrganization')}
                    required
                    placeholder={t('common.select')}
                    options={(organizations.data ? itemsOf(organizations.data) : [])
                      .filter((o) => o.kind !== 'center')
                      .map((o) => ({ value: o.id, label: o.name }))}
                    value={form.referral.organizationId}
                    onChange={(e) => setReferral({ organizationId: e.target.value })}
                    error={errors['referral.toOrganizationId']}
                  />
                ) : (
                  <SelectField
                    label={t('consult.referMunicipality')}
                    required
                    placeholder={t('common.select')}
                    options={municipalityOptions}
                    value={form.referral.municipalityCode}
                    onChange={(e) => setReferral({ municipalityCode: e.target.value })}
                    error={errors['referral.toMunicipalityCode']}
                  />
                )}
                <SelectField
                  label={t('consult.referArea')}
                  required
                  placeholder={t('common.select')}
                  options={optionsOf(REFERRAL_AREAS, referralAreaLabel, t)}
                  value={form.referral.area}
                  onChange={(e) => setReferral({ area: e.target.value })}
                  error={errors['referral.area']}
                />
              </div>
              <TextAreaField
                label={t('consult.referMessage')}
                rows={2}
                maxLength={CONSULTATION_LIMITS.referralMessage}
                value={form.referral.message}
                onChange={(e) => setReferral({ message: e.target.value })}
                error={errors['referral.message']}
              />
            </fieldset>
          )}
        </section>

        <div className="button-row sticky-actions">
          <button type="submit" className="button-large" disabled={busy}>
            {busy ? t('common.saving') : t('consult.submit')}
          </button>
          <span className="hint">{t('consult.shortcut')}</span>
        </div>
      </form>
    </>
  );
}

/** Fields the form shows next to their control; other server messages go to the summary. */
const SHOWN = new Set([
  'personId',
  'channel',
  'occurredOn',
  'consultantId',
  'topics',
  'municipalityCodes',
  'desiredTiming',
  'householdSize',
  'withChildren',
  'familyNote',
  'notes',
  'nextAction',
  'nextActionDue',
  'eventId',
  'boothId',
  'referral.area',
  'referral.toOrganizationId',
  'referral.toMunicipalityCode',
  'referral.message',
]);
