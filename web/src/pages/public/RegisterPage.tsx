/**
 * Public sign-up as a supporter of municipalities (ふるさと住民票). Phone first: one column,
 * big tap targets, errors next to their fields. Every consent starts unticked — consent is only
 * what the person actively gives. A confirmation mail follows; nothing is registered before the
 * link in it is used.
 */
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import {
  INVOLVEMENT_KINDS,
  PERSON_LIMITS,
  PREFECTURES,
  ROOT_KINDS,
  type InvolvementKind,
  type RootKind,
} from '../../../../src/shared/domain';
import type { FieldErrors } from '../../api';
import { callApi } from '../../data/client';
import { CheckboxGroup, SelectField, TextField } from '../../components/Fields';
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
import { involvementLabel, prefectureLabel, rootLabel } from '../../format';
import { useLang, useT, type Translate } from '../../i18n';
import type { PublicRegistrationInput } from '../../types';

/** The API's hard limit; the prefecture's cap (GET /api/public/registration-form) is what the picker offers. */
const MAX_MUNICIPALITIES = 50;
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 50;

type FormState = {
  name: string;
  kana: string;
  email: string;
  prefecture: string;
  city: string;
  municipalityCodes: string[];
  roots: string[];
  rootsOther: string;
  interests: string;
  skills: string;
  involvement: string[];
  consents: Record<ConsentKey, boolean>;
  /** Honeypot: invisible to people, left empty; bots fill every field they find. */
  website: string;
};

const EMPTY: FormState = {
  name: '',
  kana: '',
  email: '',
  prefecture: '',
  city: '',
  municipalityCodes: [],
  roots: [],
  rootsOther: '',
  interests: '',
  skills: '',
  involvement: [],
  consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
  website: '',
};

/** Free tags as people type them: separated by commas, 読点 or new lines, blanks and repeats dropped. */
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,、，\n]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

const SHOWN_GROUPS = new Set([
  'name',
  'kana',
  'email',
  'prefecture',
  'city',
  'municipalityCodes',
  'roots',
  'rootsOther',
  'interests',
  'skills',
  'involvement',
  ...CONSENT_KEYS.map((k) => `consents.${k}`),
]);

function checkLocally(form: FormState, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = t('register.nameRequired');
  if (!form.email.trim()) errors.email = t('register.emailRequired');
  if (form.municipalityCodes.length === 0) errors.municipalityCodes = t('register.municipalitiesRequired');
  if (form.municipalityCodes.length > MAX_MUNICIPALITIES)
    errors.municipalityCodes = t('register.municipalitiesTooMany', { max: MAX_MUNICIPALITIES });
  for (const key of ['interests', 'skills'] as const) {
    const tags = splitTags(form[key]);
    if (tags.length > MAX_TAGS) errors[key] = t('register.tagsTooMany', { max: MAX_TAGS });
    else if (tags.some((tag) => tag.length > MAX_TAG_LENGTH))
      errors[key] = t('register.tagTooLong', { max: MAX_TAG_LENGTH });
  }
  return errors;
}

export function RegisterPage() {
  const t = useT();
  const { lang } = useLang();
  const navigate = useNavigate();
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
    shown: SHOWN_GROUPS,
    check: checkLocally,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void submitForm(async (token) => {
      const body: PublicRegistrationInput = {
        email: form.email.trim(),
        name: form.name.trim(),
        kana: form.kana,
        prefecture: form.prefecture,
        city: form.city,
        municipalityCodes: form.municipalityCodes,
        roots: form.roots as RootKind[],
        rootsOther: form.roots.includes('other') ? form.rootsOther : '',
        interests: splitTags(form.interests),
        skills: splitTags(form.skills),
        involvement: form.involvement as InvolvementKind[],
        consents: form.consents,
        locale: lang,
        formToken: token,
        website: form.website,
      };
      await callApi('post', '/api/public/registrations', { body }, { redirectOn401: false });
      navigate('/register/sent', { state: { email: body.email } });
    });
  }

  return (
    <>
      <PageTitle>{t('register.title')}</PageTitle>
      <p>{t('register.intro')}</p>
      {formToken.error && <ErrorAlert onRetry={formToken.reload}>{formToken.error.message}</ErrorAlert>}
      <FormSummary lines={summary} />
      <form ref={formRef} onSubmit={submit} noValidate className="stack public-form">
        <section className="card stack" aria-labelledby="register-about">
          <h2 id="register-about">{t('register.aboutYou')}</h2>
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
            maxLength={PERSON_LIMITS.kana}
            {...text('kana')}
          />
          <TextField
            label={t('register.email')}
            hint={t('register.emailHint')}
            type="email"
            inputMode="email"
            autoComplete="email"
            required
            maxLength={PERSON_LIMITS.email}
            {...text('email')}
          />
          <SelectField
            label={t('register.prefecture')}
            name="prefecture"
            autoComplete="address-level1"
            placeholder={t('common.select')}
            options={PREFECTURES.map((p) => ({ value: p, label: prefectureLabel(p, lang) }))}
            value={form.prefecture}
            onChange={(e) => setForm((f) => ({ ...f, prefecture: e.target.value }))}
            error={errors.prefecture}
          />
          <TextField
            label={t('register.city')}
            autoComplete="address-level2"
            maxLength={PERSON_LIMITS.city}
            {...text('city')}
          />
        </section>

        <section className="card stack" aria-labelledby="register-places">
          <h2 id="register-places">{t('register.placesTitle')}</h2>
          <MunicipalityPicker
            selected={form.municipalityCodes}
            onChange={(codes) => setForm((f) => ({ ...f, municipalityCodes: codes }))}
            max={formToken.data?.registrationCap ?? 10}
            error={errors.municipalityCodes}
          />
          <CheckboxGroup
            legend={t('register.roots')}
            hint={t('register.rootsHint')}
            name="roots"
            options={ROOT_KINDS.map((r) => ({ value: r, label: rootLabel(t, r) }))}
            values={form.roots}
            onChange={(roots) => setForm((f) => ({ ...f, roots }))}
            error={errors.roots}
          >
            {form.roots.includes('other') && (
              <TextField label={t('register.rootsOther')} maxLength={200} {...text('rootsOther')} />
            )}
          </CheckboxGroup>
        </section>

        <section className="card stack" aria-labelledby="register-involvement">
          <h2 id="register-involvement">{t('register.involvementTitle')}</h2>
          <CheckboxGroup
            legend={t('register.involvement')}
            name="involvement"
            options={INVOLVEMENT_KINDS.map((k) => ({ value: k, label: involvementLabel(t, k) }))}
            values={form.involvement}
            onChange={(involvement) => setForm((f) => ({ ...f, involvement }))}
            error={errors.involvement}
          />
          <TagsField
            label={t('register.interests')}
            hint={t('register.tagsHint', { max: MAX_TAGS, length: MAX_TAG_LENGTH })}
            {...text('interests')}
          />
          <TagsField
            label={t('register.skills')}
            hint={t('register.tagsHint', { max: MAX_TAGS, length: MAX_TAG_LENGTH })}
            {...text('skills')}
          />
        </section>

        <ConsentFields
          headingId="register-consents"
          headingLevel="h2"
          consents={form.consents}
          onChange={(consents) => setForm((f) => ({ ...f, consents }))}
          errors={errors}
        />

        <Honeypot
          id="register-website"
          value={form.website}
          onChange={(website) => setForm((f) => ({ ...f, website }))}
        />

        <p className="hint">{t('register.privacy')}</p>
        <PrivacyNoticeLink />
        {!formToken.data && !formToken.error && <Loading />}
        <button type="submit" className="button-large" disabled={submitting || !formToken.data}>
          {submitting ? t('register.submitting') : t('register.submit')}
        </button>
      </form>
    </>
  );
}

/** A text field for free tags, with the tags it will send shown beneath as it is typed. */
function TagsField(props: {
  label: string;
  hint: string;
  name: string;
  value: string;
  error?: string | undefined;
  onChange: (event: { target: { value: string } }) => void;
}) {
  const t = useT();
  const tags = splitTags(props.value);
  return (
    <div className="tags-field">
      <TextField {...props} />
      {tags.length > 0 && (
        <ul className="chips" aria-label={t('register.tagsPreview', { label: props.label })}>
          {tags.map((tag) => (
            <li key={tag} className={tag.length > MAX_TAG_LENGTH ? 'chip chip-invalid' : 'chip'}>
              {tag}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
