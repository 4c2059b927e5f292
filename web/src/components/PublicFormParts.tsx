/**
 * Parts every public sign-up form shares (ふるさと住民票 and event registration): the consents,
 * each given or refused separately, the honeypot field that only bots fill in, and the form's
 * plumbing — the signed form token, local checks before sending, and the server's field errors
 * shown next to the parts of the form they concern.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, type FieldErrors } from '../api';
import { useFocusFirstInvalid } from '../hooks';
import { useApiQuery } from '../data/queries';
import { useT, type Translate } from '../i18n';
import { CheckboxField } from './Fields';
import { ErrorAlert } from './Messages';

export type ConsentKey = 'newsletter' | 'shareWithMunicipalities' | 'anonymousStatistics';
export const CONSENT_KEYS: readonly ConsentKey[] = ['newsletter', 'shareWithMunicipalities', 'anonymousStatistics'];
export type Consents = Record<ConsentKey, boolean>;

export function ConsentFields(props: {
  headingId: string;
  headingLevel: 'h2' | 'h3';
  consents: Consents;
  onChange: (consents: Consents) => void;
  errors: FieldErrors;
}) {
  const t = useT();
  const Heading = props.headingLevel;
  return (
    <section className="card stack" aria-labelledby={props.headingId}>
      <Heading id={props.headingId}>{t('register.consentsTitle')}</Heading>
      <p className="hint">{t('register.consentsIntro')}</p>
      {CONSENT_KEYS.map((key) => (
        <CheckboxField
          key={key}
          name={`consents.${key}`}
          label={t(`register.consent.${key}`)}
          hint={t(`register.consent.${key}Hint`)}
          checked={props.consents[key]}
          onChange={(ev) => props.onChange({ ...props.consents, [key]: ev.target.checked })}
          error={props.errors[`consents.${key}`]}
        />
      ))}
    </section>
  );
}

/** The link to the privacy notice (/privacy) that every public form and the public footer carry. */
export function PrivacyNoticeLink() {
  const t = useT();
  return (
    <p className="hint">
      <Link to="/privacy">{t('privacy.link')}</Link>
    </p>
  );
}

/** Moved off screen and hidden from assistive technology; people never fill it. */
export function Honeypot(props: { id: string; value: string; onChange: (value: string) => void }) {
  const t = useT();
  return (
    <div className="honeypot" aria-hidden="true">
      <label htmlFor={props.id}>{t('register.honeypot')}</label>
      <input
        id={props.id}
        type="text"
        name="website"
        tabIndex={-1}
        autoComplete="off"
        value={props.value}
        onChange={(ev) => props.onChange(ev.target.value)}
      />
    </div>
  );
}

/** Server field keys (municipalityCodes.0, interests.3, consents.newsletter) → the form part showing them. */
function fieldGroup(key: string): string {
  const k = key.replace(/\[(\d+)\]/g, '.$1').replace(/^body\./, '');
  return k.startsWith('consents.') ? k : (k.split('.')[0] ?? k);
}

type StringKeys<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F] & string;

/**
 * State and submission of a public sign-up form. `send` gets the form token and posts; when the
 * server refuses, its field errors go to the parts of the form in `shown` (the rest, and the
 * message, to the summary at the top), `onRefused` may react (reload what changed), and a refusal
 * of the form as a whole (an expired token) fetches a fresh token for the next press. What was
 * typed stays in the form whatever the refusal: the messages say to press again, never to reload.
 */
export function usePublicForm<F extends { website: string }>(
  empty: F,
  options: { shown: ReadonlySet<string>; check: (form: F, t: Translate) => FieldErrors; fallbackSelector?: string },
) {
  const t = useT();
  const formToken = useApiQuery('/api/public/registration-form', undefined, {
    redirectOn401: false,
  });
  const [form, setForm] = useState<F>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<string[] | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid(
    options.fallbackSelector ? { fallbackSelector: options.fallbackSelector } : {},
  );

  const text = (key: StringKeys<F>) => ({
    name: key,
    value: form[key] as string,
    onChange: (event: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: event.target.value })),
    error: errors[key],
  });

  async function submit(send: (formToken: string) => Promise<void>, onRefused?: (error: ApiError) => void) {
    setSummary(null);
    const local = options.check(form, t);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setSummary([t('common.formHasErrors')]);
      focusFirstInvalid();
      return;
    }
    if (!formToken.data) return;
    setSubmitting(true);
    try {
      await send(formToken.data.formToken);
    } catch (cause) {
      const error = ApiError.from(cause);
      const byGroup: FieldErrors = {};
      const other: string[] = [];
      for (const [key, message] of Object.entries(error.fields ?? {})) {
        const group = fieldGroup(key);
        if (options.shown.has(group)) byGroup[group] = byGroup[group] ? `${byGroup[group]} ${message}` : message;
        else other.push(message);
      }
      setErrors(byGroup);
      setSummary([error.message, ...other]);
      onRefused?.(error);
      // Sent too fast (autofill and a quick press): the same token is accepted a moment later, so
      // pressing again is all it takes. Any other refusal of the form as a whole needs a new token.
      if (!error.fields && error.details?.reason !== 'too_fast') formToken.reload();
      setSubmitting(false);
      focusFirstInvalid();
    }
  }

  return { form, setForm, errors, summary, submitting, formRef, formToken, text, submit };
}

/** The refusal summary at the top of a public form. */
export function FormSummary({ lines }: { lines: string[] | null }) {
  if (!lines) return null;
  return (
    <ErrorAlert>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines are replaced as a whole on each refusal and hold no state; one message can appear twice
        <p key={i}>{line}</p>
      ))}
    </ErrorAlert>
  );
}
