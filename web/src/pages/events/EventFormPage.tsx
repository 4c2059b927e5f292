/**
 * Create or edit an event: kind, title, date and time in Japan time, venue or online link,
 * capacity, and the booths — each staffed by a municipality and/or a partner agency — with their
 * bookable consultation slots. Slots for every booth can be laid out in one go (from, to, length,
 * people per slot); a slot someone has booked is kept and cannot be removed.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useMemo, useState } from 'react';
import { type Resolver, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Link, useNavigate, useParams } from 'react-router';
import { EVENT_KINDS, EVENT_LIMITS, EVENT_STATUSES } from '../../../../src/shared/domain';
import { ApiError, itemsOf, type FieldErrors } from '../../api';
import { flatErrors, showServerErrors } from '../../data/forms';
import { callApi } from '../../data/client';
import { useUser } from '../../auth';
import { SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { municipalityLabel } from '../../format';
import { useMunicipalities, useFocusFirstInvalid } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { useLang, useT } from '../../i18n';
import type { EventDetail } from '../../types';
import { eventKindLabel, eventStatusLabel, optionsOf, toTokyoLocalInput } from '../../vocab';
import {
  type BoothDraft,
  createEventForm,
  type Draft,
  eventIssueMessage,
  type SlotDraft,
  updateEventForm,
} from './eventForm';
import { TableScroll } from '../../components/TableScroll';

let nextKey = 0;
const newKey = () => `k${++nextKey}`;

const EMPTY: Draft = {
  kind: 'fair',
  title: '',
  description: '',
  titleEn: '',
  descriptionEn: '',
  status: 'published',
  startsAt: '',
  endsAt: '',
  venue: '',
  venueMunicipalityCode: '',
  onlineUrl: '',
  capacity: '',
  hostMunicipalityCode: '',
  booths: [],
};

function draftOf(e: EventDetail): Draft {
  return {
    kind: e.kind,
    title: e.title,
    description: e.description ?? '',
    titleEn: e.titleEn ?? '',
    descriptionEn: e.descriptionEn ?? '',
    status: e.status,
    startsAt: toTokyoLocalInput(e.startsAt),
    endsAt: toTokyoLocalInput(e.endsAt),
    venue: e.venue ?? '',
    venueMunicipalityCode: e.venueMunicipalityCode ?? '',
    onlineUrl: e.onlineUrl ?? '',
    capacity: e.capacity === null ? '' : String(e.capacity),
    hostMunicipalityCode: e.hostMunicipality?.code ?? '',
    booths: e.booths.map((b) => ({
      key: newKey(),
      id: b.id,
      name: b.name,
      nameEn: b.nameEn ?? '',
      municipalityCode: b.municipality?.code ?? '',
      organizationId: b.organization?.id ?? '',
      slots: b.slots.map((s) => {
        const from = toTokyoLocalInput(s.startsAt);
        return {
          key: newKey(),
          id: s.id,
          day: from.slice(0, 10),
          start: from.slice(11),
          end: toTokyoLocalInput(s.endsAt).slice(11),
          capacity: String(s.capacity),
          booked: s.bookedCount,
        };
      }),
    })),
  };
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const hhmmOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Consultation slots from `start` to `end`, each `length` minutes long. */
export function layOutSlots(day: string, start: string, end: string, length: number, capacity: string): SlotDraft[] {
  const slots: SlotDraft[] = [];
  if (!/^\d{2}:\d{2}$/.test(start) || !/^\d{2}:\d{2}$/.test(end) || !(length > 0)) return slots;
  for (
    let m = minutesOf(start);
    m + length <= minutesOf(end) && slots.length < EVENT_LIMITS.slotsPerBooth;
    m += length
  ) {
    slots.push({ key: newKey(), day, start: hhmmOf(m), end: hhmmOf(m + length), capacity, booked: 0 });
  }
  return slots;
}

const isNumber = (s: string) => /^\d+$/.test(s.trim());

type EventBody = z.output<typeof createEventForm> | z.output<typeof updateEventForm>;

/** Fields the form shows a server's refusal at; others are listed with the refusal. */
const SHOWN_FIELDS = new Set([
  'kind',
  'title',
  'description',
  'titleEn',
  'descriptionEn',
  'status',
  'startsAt',
  'endsAt',
  'venue',
  'venueMunicipalityCode',
  'onlineUrl',
  'capacity',
  'hostMunicipalityCode',
]);
const isShownField = (path: string) =>
  SHOWN_FIELDS.has(path) ||
  /^booths\.\d+\.(name|nameEn|municipalityCode|organizationId|slots\.\d+\.(startsAt|endsAt|capacity))$/.test(path);

export function EventFormPage() {
  const { id } = useParams();
  const editing = Boolean(id);
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const navigate = useNavigate();
  const { municipalities } = useMunicipalities();
  const organizations = useApiQuery('/api/organizations');
  const existing = useApiQuery('/api/events/{id}', { params: { path: { id: id ?? '' } } }, { enabled: Boolean(id) });
  const ownMunicipality = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const form = useForm<Draft, unknown, EventBody>({
    defaultValues: { ...EMPTY, hostMunicipalityCode: ownMunicipality ?? '' },
    // The server's schemas check the draft (./eventForm.ts); the issues are worded for the form.
    resolver: (editing
      ? zodResolver(updateEventForm, { error: (issue) => eventIssueMessage(issue, t) })
      : zodResolver(createEventForm, { error: (issue) => eventIssueMessage(issue, t) })) as Resolver<
      Draft,
      unknown,
      EventBody
    >,
  });
  const draft = form.watch();
  /** The form's values changed as a whole (booths and slots are edited as lists). */
  const setDraft = (change: (d: Draft) => Draft) => {
    const next = change(form.getValues());
    for (const key of Object.keys(next) as (keyof Draft)[]) form.setValue(key, next[key]);
  };
  const errors = flatErrors(form.formState.errors);
  const busy = form.formState.isSubmitting;
  const [problem, setProblem] = useState<string[] | null>(null);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();
  const { reset } = form;

  useEffect(() => {
    if (existing.data) reset(draftOf(existing.data));
  }, [existing.data, reset]);

  const set = (key: Exclude<keyof Draft, 'booths'>) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));
  const setBooth = (key: string, patch: Partial<BoothDraft>) =>
    setDraft((d) => ({ ...d, booths: d.booths.map((b) => (b.key === key ? { ...b, ...patch } : b)) }));
  const eventDay = draft.startsAt.slice(0, 10);
  const orgs = organizations.data ? itemsOf(organizations.data) : [];
  const municipalityOptions = municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }));

  function addBooth(patch: Partial<BoothDraft> = {}) {
    const key = newKey();
    setDraft((d) => ({
      ...d,
      booths: [
        ...d.booths,
        { key, name: '', nameEn: '', municipalityCode: '', organizationId: '', slots: [], ...patch },
      ],
    }));
    // Focus the new booth's name, so keyboard users continue where the booth appeared.
    requestAnimationFrame(() =>
      document.getElementById(`booth-${key}`)?.querySelector<HTMLInputElement>('input')?.focus(),
    );
  }

  async function save(body: EventBody) {
    setProblem(null);
    try {
      const saved = editing
        ? await callApi('patch', '/api/events/{id}', {
            params: { path: { id: id ?? '' } },
            body: body as z.output<typeof updateEventForm>,
          })
        : await callApi('post', '/api/events', { body: body as z.output<typeof createEventForm> });
      navigate(`/manage/events/${encodeURIComponent(saved.id)}`, {
        state: { flash: t('eventForm.saved', { title: saved.title }) },
      });
    } catch (cause) {
      const error =
        cause instanceof ApiError ? cause : new ApiError({ status: 0, code: 'UNKNOWN', message: String(cause) });
      const unplaced = showServerErrors(error.fields, form.setError, isShownField);
      setProblem([error.message, ...unplaced]);
      focusFirstInvalid();
    }
  }

  const submit = form.handleSubmit(save, () => {
    setProblem([t('common.formHasErrors')]);
    focusFirstInvalid();
  });

  if (editing && existing.error) return <ErrorAlert onRetry={existing.reload}>{existing.error.message}</ErrorAlert>;
  if (editing && !existing.data) return <Loading />;

  return (
    <>
      <PageTitle>
        {editing ? t('eventForm.editTitle', { title: existing.data?.title ?? '' }) : t('eventForm.newTitle')}
      </PageTitle>
      {problem && (
        <ErrorAlert>
          {problem.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the lines are replaced as a whole on each refusal and hold no state; one message can appear twice
            <p key={i}>{line}</p>
          ))}
        </ErrorAlert>
      )}
      <form ref={formRef} onSubmit={submit} noValidate className="stack">
        <section className="card stack" aria-labelledby="event-about">
          <h2 id="event-about">{t('eventForm.about')}</h2>
          <div className="grid-2">
            <SelectField
              label={t('events.kind')}
              required
              options={optionsOf(EVENT_KINDS, eventKindLabel, t)}
              value={draft.kind}
              onChange={set('kind')}
              error={errors.kind}
            />
            <SelectField
              label={t('events.status')}
              required
              options={optionsOf(EVENT_STATUSES, eventStatusLabel, t)}
              value={draft.status}
              onChange={set('status')}
              error={errors.status}
              hint={
                editing &&
                draft.status === 'cancelled' &&
                existing.data?.status !== 'cancelled' &&
                (existing.data?.registeredCount ?? 0) > 0
                  ? t('eventForm.cancelNotice', { count: existing.data?.registeredCount ?? 0 })
                  : undefined
              }
            />
          </div>
          <TextField
            label={t('events.eventTitle')}
            required
            maxLength={EVENT_LIMITS.title}
            value={draft.title}
            onChange={set('title')}
            error={errors.title}
          />
          <TextAreaField
            label={t('eventForm.description')}
            rows={3}
            maxLength={EVENT_LIMITS.description}
            value={draft.description}
            onChange={set('description')}
            error={errors.description}
          />
          <details className="collapsible" open={Boolean(draft.titleEn || draft.descriptionEn) || undefined}>
            <summary>{t('eventForm.englishOpen')}</summary>
            <div className="stack">
              <p className="hint">{t('eventForm.englishHint')}</p>
              <TextField
                label={t('eventForm.titleEn')}
                lang="en"
                maxLength={EVENT_LIMITS.title}
                value={draft.titleEn}
                onChange={set('titleEn')}
                error={errors.titleEn}
              />
              <TextAreaField
                label={t('eventForm.descriptionEn')}
                lang="en"
                rows={3}
                maxLength={EVENT_LIMITS.description}
                value={draft.descriptionEn}
                onChange={set('descriptionEn')}
                error={errors.descriptionEn}
              />
            </div>
          </details>
          <div className="grid-2">
            <TextField
              label={t('eventForm.startsAt')}
              hint={t('eventForm.jstHint')}
              type="datetime-local"
              required
              value={draft.startsAt}
              onChange={(e) => {
                const startsAt = e.target.value;
                // A new event's end follows its start until it is set: same day, same length.
                setDraft((d) => ({
                  ...d,
                  startsAt,
                  endsAt:
                    d.endsAt && d.endsAt >= startsAt
                      ? d.endsAt
                      : startsAt
                        ? `${startsAt.slice(0, 10)}T${d.endsAt.slice(11) || '17:00'}`
                        : d.endsAt,
                }));
              }}
              error={errors.startsAt}
            />
            <TextField
              label={t('eventForm.endsAt')}
              hint={t('eventForm.jstHint')}
              type="datetime-local"
              required
              min={draft.startsAt || undefined}
              value={draft.endsAt}
              onChange={set('endsAt')}
              error={errors.endsAt}
            />
            <TextField
              label={t('eventForm.venue')}
              maxLength={EVENT_LIMITS.venue}
              value={draft.venue}
              onChange={set('venue')}
              error={errors.venue}
            />
            <SelectField
              label={t('eventForm.venueMunicipality')}
              hint={t('eventForm.venueMunicipalityHint')}
              placeholder={t('eventForm.venueOutside')}
              options={municipalityOptions}
              value={draft.venueMunicipalityCode}
              onChange={set('venueMunicipalityCode')}
              error={errors.venueMunicipalityCode}
            />
            <TextField
              label={t('eventForm.onlineUrl')}
              hint={t('eventForm.onlineUrlHint')}
              type="url"
              inputMode="url"
              maxLength={EVENT_LIMITS.onlineUrl}
              value={draft.onlineUrl}
              onChange={set('onlineUrl')}
              error={errors.onlineUrl}
            />
            <TextField
              label={t('eventForm.capacity')}
              hint={t('eventForm.capacityHint')}
              inputMode="numeric"
              value={draft.capacity}
              onChange={set('capacity')}
              error={errors.capacity}
            />
            <SelectField
              label={t('eventForm.host')}
              hint={editing ? t('eventForm.hostFixed') : undefined}
              disabled={editing}
              placeholder={ownMunicipality ? undefined : t('eventForm.hostCenter')}
              options={municipalityOptions.filter((o) => !ownMunicipality || o.value === ownMunicipality)}
              value={draft.hostMunicipalityCode}
              onChange={set('hostMunicipalityCode')}
              error={errors.hostMunicipalityCode}
            />
          </div>
        </section>

        <section className="card stack" aria-labelledby="event-booths">
          <h2 id="event-booths">{t('eventForm.booths', { count: draft.booths.length })}</h2>
          <p className="hint">{t('eventForm.boothsHint')}</p>
          <div className="inline-form">
            <SelectField
              label={t('eventForm.addMunicipalityBooth')}
              placeholder={t('common.select')}
              options={municipalityOptions.filter((o) => !draft.booths.some((b) => b.municipalityCode === o.value))}
              value=""
              onChange={(e) => {
                const code = e.target.value;
                if (!code) return;
                const m = municipalities.find((x) => x.code === code);
                addBooth({ name: m ? municipalityLabel(m, code, lang) : code, municipalityCode: code });
              }}
            />
            <SelectField
              label={t('eventForm.addOrganizationBooth')}
              placeholder={t('common.select')}
              options={orgs
                .filter((o) => !draft.booths.some((b) => b.organizationId === o.id))
                .map((o) => ({ value: o.id, label: o.name }))}
              value=""
              onChange={(e) => {
                const org = orgs.find((o) => o.id === e.target.value);
                if (org) addBooth({ name: org.name, organizationId: org.id });
              }}
            />
            <button type="button" className="button-secondary" onClick={() => addBooth()}>
              {t('eventForm.addBooth')}
            </button>
          </div>
          {draft.booths.length > 0 && (
            <SlotLayout
              eventDay={eventDay}
              startsAt={draft.startsAt}
              endsAt={draft.endsAt}
              onApply={(make) =>
                setDraft((d) => ({
                  ...d,
                  booths: d.booths.map((b) => ({
                    ...b,
                    slots: [
                      ...b.slots.filter((s) => s.booked > 0),
                      ...make().filter(
                        (n) => !b.slots.some((s) => s.booked > 0 && s.day === n.day && s.start === n.start),
                      ),
                    ],
                  })),
                }))
              }
            />
          )}
          <ol className="booth-list">
            {draft.booths.map((booth, i) => (
              <BoothEditor
                key={booth.key}
                booth={booth}
                index={i}
                eventDay={eventDay}
                errors={errors}
                municipalityOptions={municipalityOptions}
                organizationOptions={orgs.map((o) => ({ value: o.id, label: o.name }))}
                onChange={(patch) => setBooth(booth.key, patch)}
                onRemove={() => setDraft((d) => ({ ...d, booths: d.booths.filter((b) => b.key !== booth.key) }))}
              />
            ))}
          </ol>
        </section>

        <div className="button-row">
          <button type="submit" disabled={busy}>
            {busy ? t('common.saving') : editing ? t('common.save') : t('eventForm.create')}
          </button>
          <Link
            to={editing ? `/manage/events/${encodeURIComponent(id ?? '')}` : '/manage/events'}
            className="button button-secondary"
          >
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}

/** Lay out the same slots at every booth: from, to, minutes per slot, people per slot. */
function SlotLayout({
  eventDay,
  startsAt,
  endsAt,
  onApply,
}: {
  eventDay: string;
  startsAt: string;
  endsAt: string;
  onApply: (make: () => SlotDraft[]) => void;
}) {
  const t = useT();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [length, setLength] = useState('30');
  const [capacity, setCapacity] = useState('1');
  const [note, setNote] = useState<string | null>(null);
  const start = from || startsAt.slice(11, 16);
  const end = to || (endsAt.slice(0, 10) === eventDay ? endsAt.slice(11, 16) : '');
  const preview = useMemo(
    () => (eventDay ? layOutSlots(eventDay, start, end, Number(length), capacity).length : 0),
    [eventDay, start, end, length, capacity],
  );
  return (
    <fieldset className="stack slot-layout">
      <legend>{t('eventForm.slotLayout')}</legend>
      <div className="grid-4">
        <TextField
          label={t('eventForm.slotFrom')}
          type="time"
          value={start}
          onChange={(e) => setFrom(e.target.value)}
        />
        <TextField label={t('eventForm.slotTo')} type="time" value={end} onChange={(e) => setTo(e.target.value)} />
        <TextField
          label={t('eventForm.slotMinutes')}
          inputMode="numeric"
          value={length}
          onChange={(e) => setLength(e.target.value)}
        />
        <TextField
          label={t('eventForm.slotCapacity')}
          inputMode="numeric"
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
        />
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button-secondary"
          disabled={!eventDay || preview === 0 || !isNumber(capacity)}
          onClick={() => {
            onApply(() => layOutSlots(eventDay, start, end, Number(length), capacity));
            setNote(t('eventForm.slotsLaidOut', { count: preview }));
          }}
        >
          {t('eventForm.applySlots', { count: preview })}
        </button>
        <span className="hint">{eventDay ? t('eventForm.slotLayoutHint') : t('eventForm.slotNeedsDay')}</span>
      </div>
      {note && (
        <p role="status" className="hint">
          {note}
        </p>
      )}
    </fieldset>
  );
}

function BoothEditor({
  booth,
  index,
  eventDay,
  errors,
  municipalityOptions,
  organizationOptions,
  onChange,
  onRemove,
}: {
  booth: BoothDraft;
  index: number;
  eventDay: string;
  errors: FieldErrors;
  municipalityOptions: { value: string; label: string }[];
  organizationOptions: { value: string; label: string }[];
  onChange: (patch: Partial<BoothDraft>) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const headingId = useId();
  const booked = booth.slots.reduce((n, s) => n + s.booked, 0);
  const at = `booths.${index}`;
  const boothLabel = booth.name || t('eventForm.boothN', { n: index + 1 });
  const setSlot = (key: string, patch: Partial<SlotDraft>) =>
    onChange({ slots: booth.slots.map((s) => (s.key === key ? { ...s, ...patch } : s)) });
  const slotsError = Object.entries(errors).find(
    ([k]) => k.startsWith(`${at}.slots`) && !/\.slots\.\d+\./.test(k),
  )?.[1];

  function addSlot() {
    const last = booth.slots[booth.slots.length - 1];
    const length = last ? Math.max(5, minutesOf(last.end) - minutesOf(last.start)) : 30;
    const start = last ? last.end : '10:00';
    onChange({
      slots: [
        ...booth.slots,
        {
          key: newKey(),
          day: last?.day ?? eventDay,
          start,
          end: hhmmOf(Math.min(minutesOf(start) + length, 23 * 60 + 59)),
          capacity: last?.capacity ?? '1',
          booked: 0,
        },
      ],
    });
  }

  return (
    <li id={`booth-${booth.key}`} className="booth-editor" aria-labelledby={headingId}>
      <div className="record-head">
        <h3 id={headingId}>{boothLabel}</h3>
        <button
          type="button"
          className="button-secondary"
          disabled={booked > 0}
          onClick={onRemove}
          aria-label={t('eventForm.removeBoothLabel', { name: boothLabel })}
          title={booked > 0 ? t('eventForm.boothBooked') : undefined}
        >
          {t('eventForm.removeBooth')}
        </button>
      </div>
      <div className="grid-3">
        <TextField
          label={t('eventForm.boothName')}
          required
          maxLength={EVENT_LIMITS.boothName}
          value={booth.name}
          onChange={(e) => onChange({ name: e.target.value })}
          error={errors[`${at}.name`]}
        />
        <TextField
          label={t('eventForm.boothNameEn')}
          maxLength={EVENT_LIMITS.boothName}
          lang="en"
          value={booth.nameEn}
          onChange={(e) => onChange({ nameEn: e.target.value })}
          error={errors[`${at}.nameEn`]}
        />
        <SelectField
          label={t('eventForm.boothMunicipality')}
          placeholder={t('common.none')}
          options={municipalityOptions}
          value={booth.municipalityCode}
          onChange={(e) => onChange({ municipalityCode: e.target.value })}
          error={errors[`${at}.municipalityCode`]}
        />
        <SelectField
          label={t('eventForm.boothOrganization')}
          placeholder={t('common.none')}
          options={organizationOptions}
          value={booth.organizationId}
          onChange={(e) => onChange({ organizationId: e.target.value })}
          error={errors[`${at}.organizationId`]}
        />
      </div>
      <details
        className="collapsible"
        open={booth.slots.length === 0 || Object.keys(errors).some((k) => k.startsWith(`${at}.slots.`)) || undefined}
      >
        <summary>{t('eventForm.slotsSummary', { count: booth.slots.length, booked })}</summary>
        {slotsError && <p className="field-error">{slotsError}</p>}
        {booth.slots.length > 0 && (
          <TableScroll label={t('eventForm.slotsOf', { name: boothLabel })}>
            <table className="slot-table">
              <caption className="visually-hidden">{t('eventForm.slotsOf', { name: boothLabel })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('eventForm.slotFrom')}</th>
                  <th scope="col">{t('eventForm.slotTo')}</th>
                  <th scope="col">{t('eventForm.slotCapacity')}</th>
                  <th scope="col">{t('eventForm.slotBooked')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.delete')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {booth.slots.map((s, j) => {
                  const slotAt = `${at}.slots.${j}`;
                  const label = t('eventForm.slotN', { n: j + 1 });
                  const slotError =
                    errors[`${slotAt}.startsAt`] ??
                    errors[`${slotAt}.endsAt`] ??
                    errors[`${slotAt}.capacity`] ??
                    errors[slotAt];
                  return (
                    <tr key={s.key} className={slotError ? 'row-refused' : undefined}>
                      <td>
                        <input
                          type="time"
                          aria-label={`${label} ${t('eventForm.slotFrom')}`}
                          value={s.start}
                          aria-invalid={errors[`${slotAt}.startsAt`] ? true : undefined}
                          onChange={(e) => setSlot(s.key, { start: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          type="time"
                          aria-label={`${label} ${t('eventForm.slotTo')}`}
                          value={s.end}
                          aria-invalid={errors[`${slotAt}.endsAt`] ? true : undefined}
                          onChange={(e) => setSlot(s.key, { end: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          inputMode="numeric"
                          className="input-narrow"
                          aria-label={`${label} ${t('eventForm.slotCapacity')}`}
                          value={s.capacity}
                          aria-invalid={errors[`${slotAt}.capacity`] ? true : undefined}
                          onChange={(e) => setSlot(s.key, { capacity: e.target.value })}
                        />
                        {slotError && <span className="field-error">{slotError}</span>}
                      </td>
                      <td className="numeric">{s.booked}</td>
                      <td>
                        <button
                          type="button"
                          className="button-secondary"
                          disabled={s.booked > 0}
                          aria-label={t('eventForm.removeSlotLabel', { n: j + 1, name: boothLabel })}
                          onClick={() => onChange({ slots: booth.slots.filter((x) => x.key !== s.key) })}
                        >
                          {t('common.delete')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        )}
        <button
          type="button"
          className="button-secondary"
          onClick={addSlot}
          disabled={booth.slots.length >= EVENT_LIMITS.slotsPerBooth}
        >
          {t('eventForm.addSlot')}
        </button>
      </details>
    </li>
  );
}
