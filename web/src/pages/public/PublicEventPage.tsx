/**
 * One event for the public, with its registration form — phone first, like the supporter sign-up:
 * one column, big tap targets, errors next to their fields and focus moved to the first one. A
 * consultation slot at a booth can be booked with the registration. Every consent starts unticked
 * and is given separately. The ticket (QR code and calendar file) comes by mail.
 */
import { type FormEvent, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { PERSON_LIMITS, PREFECTURES } from '../../../../src/shared/domain';
import type { FieldErrors } from '../../api';
import { callApi } from '../../data/client';
import { SelectField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { MunicipalityPicker } from '../../components/MunicipalityPicker';
import { PageTitle } from '../../components/PageTitle';
import {
  CONSENT_KEYS,
  ConsentFields,
  PrivacyNoticeLink,
  FormSummary,
  Honeypot,
  usePublicForm,
  type ConsentKey,
} from '../../components/PublicFormParts';
import { useApiQuery } from '../../data/queries';
import { boothLabel, byCodeMap, eventDescription, eventTitle, prefectureLabel } from '../../format';
import { useMunicipalities } from '../../hooks';
import { formatNumber, useLang, useT, type Translate } from '../../i18n';
import type { PublicEventRegistrationInput } from '../../types';
import { eventKindLabel, formatEventTime, formatTime } from '../../vocab';

const MAX_MUNICIPALITIES = 10;

type FormState = {
  name: string;
  kana: string;
  email: string;
  phone: string;
  prefecture: string;
  city: string;
  municipalityCodes: string[];
  slotId: string;
  consents: Record<ConsentKey, boolean>;
  website: string;
};

const EMPTY: FormState = {
  name: '',
  kana: '',
  email: '',
  phone: '',
  prefecture: '',
  city: '',
  municipalityCodes: [],
  slotId: '',
  consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
  website: '',
};

const SHOWN = new Set([
  'name',
  'kana',
  'email',
  'phone',
  'prefecture',
  'city',
  'municipalityCodes',
  'slotId',
  ...CONSENT_KEYS.map((k) => `consents.${k}`),
]);

function checkLocally(form: FormState, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = t('register.nameRequired');
  if (!form.kana.trim()) errors.kana = t('eventRegister.kanaRequired');
  if (!form.email.trim()) errors.email = t('register.emailRequired');
  if (!form.prefecture) errors.prefecture = t('eventRegister.prefectureRequired');
  if (!form.city.trim()) errors.city = t('eventRegister.cityRequired');
  return errors;
}

export function PublicEventPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const navigate = useNavigate();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const boothName = (b: { name: string; nameEn: string | null; municipality: { code: string } | null }) =>
    boothLabel(b, byCode, lang);
  const event = useApiQuery(
    '/api/public/events/{id}',
    { params: { path: { id } } },
    {
      redirectOn401: false,
    },
  );
  const {
    form,
    setForm,
    errors,
    summary,
    submitting,
    formRef,
    formToken,
    text,
    submit: submitForm,
  } = usePublicForm(EMPTY, {
    shown: SHOWN,
    check: checkLocally,
    fallbackSelector: '.alert-error',
  });

  if (event.error)
    return (
      <ErrorAlert onRetry={event.reload}>
        {event.error.status === 404 ? t('eventRegister.notFound') : event.error.message}
      </ErrorAlert>
    );
  if (!event.data) return <Loading />;
  const e = event.data;

  function submit(ev: FormEvent) {
    ev.preventDefault();
    void submitForm(
      async (token) => {
        const body: PublicEventRegistrationInput = {
          name: form.name.trim(),
          kana: form.kana,
          email: form.email.trim(),
          phone: form.phone,
          prefecture: form.prefecture,
          city: form.city.trim(),
          municipalityCodes: form.municipalityCodes,
          slotId: form.slotId || null,
          consents: form.consents,
          locale: lang,
          formToken: token,
          website: form.website,
        };
        const result = await callApi(
          'post',
          '/api/public/events/{id}/registrations',
          { params: { path: { id: e.id } }, body },
          { redirectOn401: false },
        );
        navigate(`/events/${encodeURIComponent(e.id)}/sent`, {
          state: {
            email: body.email,
            title: eventTitle(e, lang),
            alreadyRegistered: result.alreadyRegistered,
            // The booth as this page named it (English where it has an English name), like the title.
            slot: result.slot && {
              ...result.slot,
              boothName: boothName(
                e.booths.find((b) => b.id === result.slot?.boothId) ?? {
                  name: result.slot.boothName,
                  nameEn: null,
                  municipality: null,
                },
              ),
            },
          },
        });
      },
      // A full slot or event changed what can be chosen: show the current places.
      (error) => {
        if (error.status === 409) event.reload();
      },
    );
  }

  const closed = e.isFull;
  const bookable = e.booths.filter((b) => b.slots.length > 0);
  return (
    <>
      <p className="event-kind">{eventKindLabel(t, e.kind)}</p>
      <PageTitle>{eventTitle(e, lang)}</PageTitle>
      <section className="card stack" aria-label={t('eventRegister.about')}>
        <dl className="details compact">
          <div>
            <dt>{t('events.when')}</dt>
            <dd>{formatEventTime(e.startsAt, e.endsAt, lang)}</dd>
          </div>
          <div>
            <dt>{t('eventForm.venue')}</dt>
            <dd>{e.isOnline ? t('publicEvents.onlineLinkByMail') : (e.venue ?? t('common.none'))}</dd>
          </div>
          <div>
            <dt>{t('eventRegister.places')}</dt>
            <dd className={e.isFull ? 'text-danger' : undefined}>
              {e.isFull
                ? t('publicEvents.full')
                : e.freePlaces === null
                  ? t('publicEvents.open')
                  : t('publicEvents.freePlaces', { count: formatNumber(e.freePlaces, lang) })}
            </dd>
          </div>
          {e.booths.length > 0 && (
            <div>
              <dt>{t('eventRegister.booths')}</dt>
              <dd>{e.booths.map(boothName).join(lang === 'ja' ? '、' : ', ')}</dd>
            </div>
          )}
        </dl>
        {eventDescription(e, lang) && <p className="pre-wrap">{eventDescription(e, lang)}</p>}
      </section>

      {closed ? (
        <p className="alert alert-error">{t('eventRegister.closed')}</p>
      ) : (
        <>
          <h2>{t('eventRegister.formTitle')}</h2>
          {formToken.error && <ErrorAlert onRetry={formToken.reload}>{formToken.error.message}</ErrorAlert>}
          <FormSummary lines={summary} />
          <form ref={formRef} onSubmit={submit} noValidate className="stack public-form">
            <section className="card stack" aria-labelledby="event-register-about">
              <h3 id="event-register-about">{t('register.aboutYou')}</h3>
              <TextField
                label={t('register.name')}
                required
                autoComplete="name"
                maxLength={PERSON_LIMITS.name}
                {...text('name')}
              />
              <TextField
                label={t('register.kana')}
                hint={t('register.kanaHint')}
                required
                maxLength={PERSON_LIMITS.kana}
                {...text('kana')}
              />
              <TextField
                label={t('register.email')}
                hint={t('eventRegister.emailHint')}
                type="email"
                inputMode="email"
                autoComplete="email"
                required
                maxLength={PERSON_LIMITS.email}
                {...text('email')}
              />
              <TextField
                label={t('eventRegister.phone')}
                hint={t('eventRegister.phoneHint')}
                type="tel"
                autoComplete="tel"
                maxLength={PERSON_LIMITS.phone}
                {...text('phone')}
              />
              <SelectField
                label={t('register.prefecture')}
                name="prefecture"
                required
                autoComplete="address-level1"
                placeholder={t('common.select')}
                options={PREFECTURES.map((p) => ({ value: p, label: prefectureLabel(p, lang) }))}
                value={form.prefecture}
                onChange={(ev) => setForm((f) => ({ ...f, prefecture: ev.target.value }))}
                error={errors.prefecture}
              />
              <TextField
                label={t('register.city')}
                required
                autoComplete="address-level2"
                maxLength={PERSON_LIMITS.city}
                {...text('city')}
              />
            </section>

            {bookable.length > 0 && (
              <section className="card stack" aria-labelledby="event-register-slot">
                <h3 id="event-register-slot">{t('eventRegister.slotTitle')}</h3>
                <p className="hint">{t('eventRegister.slotHint')}</p>
                <label className="choice">
                  <input
                    type="radio"
                    name="slotId"
                    value=""
                    checked={form.slotId === ''}
                    onChange={() => setForm((f) => ({ ...f, slotId: '' }))}
                  />
                  <span>{t('eventRegister.noSlot')}</span>
                </label>
                {/* One booth open at a time: a fair's booths × slots would make a phone page many screens long. */}
                {bookable.map((b) => {
                  const free = b.slots.filter((s) => s.freePlaces > 0).length;
                  const name = boothName(b);
                  return (
                    <details
                      key={b.id}
                      className="collapsible booth-group"
                      open={bookable.length === 1 || b.slots.some((s) => s.id === form.slotId) || undefined}
                    >
                      <summary>
                        <span className="booth-group-name">{name}</span>{' '}
                        <span className={free === 0 ? 'booth-group-free is-full' : 'booth-group-free'}>
                          {free === 0
                            ? t('eventRegister.boothFull')
                            : t('eventRegister.boothFreeSlots', { free, total: b.slots.length })}
                        </span>
                      </summary>
                      <fieldset className="choice-group">
                        <legend>{name}</legend>
                        <div className="choice-list">
                          {b.slots.map((s) => {
                            const full = s.freePlaces <= 0;
                            return (
                              <label key={s.id} className="choice">
                                <input
                                  type="radio"
                                  name="slotId"
                                  value={s.id}
                                  disabled={full}
                                  checked={form.slotId === s.id}
                                  aria-invalid={errors.slotId ? true : undefined}
                                  onChange={() => setForm((f) => ({ ...f, slotId: s.id }))}
                                />
                                <span>
                                  {formatTime(s.startsAt, lang)}–{formatTime(s.endsAt, lang)}
                                  <span className="muted">
                                    {' '}
                                    {full
                                      ? t('eventRegister.slotFull')
                                      : t('eventRegister.slotFree', { count: s.freePlaces })}
                                  </span>
                                </span>
                              </label>
                            );
                          })}
                        </div>
                      </fieldset>
                    </details>
                  );
                })}
                {errors.slotId && (
                  <p className="field-error" role="alert">
                    {errors.slotId}
                  </p>
                )}
              </section>
            )}

            <section className="card stack" aria-labelledby="event-register-places">
              <h3 id="event-register-places">{t('eventRegister.placesTitle')}</h3>
              <details className="collapsible" open={form.municipalityCodes.length > 0 || undefined}>
                <summary>{t('eventRegister.placesOpen')}</summary>
                <MunicipalityPicker
                  legend={t('eventRegister.municipalities')}
                  hint={t('eventRegister.municipalitiesHint', { max: MAX_MUNICIPALITIES })}
                  required={false}
                  max={MAX_MUNICIPALITIES}
                  selected={form.municipalityCodes}
                  onChange={(codes) => setForm((f) => ({ ...f, municipalityCodes: codes }))}
                  error={errors.municipalityCodes}
                />
              </details>
            </section>

            <ConsentFields
              headingId="event-register-consents"
              headingLevel="h3"
              consents={form.consents}
              onChange={(consents) => setForm((f) => ({ ...f, consents }))}
              errors={errors}
            />

            <Honeypot
              id="event-register-website"
              value={form.website}
              onChange={(website) => setForm((f) => ({ ...f, website }))}
            />

            <p className="hint">{t('eventRegister.privacy')}</p>
            <PrivacyNoticeLink />
            {!formToken.data && !formToken.error && <Loading />}
            <button type="submit" className="button-large" disabled={submitting || !formToken.data}>
              {submitting ? t('register.submitting') : t('eventRegister.submit')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
