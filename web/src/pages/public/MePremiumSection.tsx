/**
 * /me: the registration with each municipality (basic or premium, and how the identity was
 * checked), the premium application with evidence files, its dated steps, and the answer when
 * the municipality asks for more.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError, type FieldErrors } from '../../api';
import { SelectField, TextAreaField } from '../../components/Fields';
import { ErrorAlert, StatusMessage } from '../../components/Messages';
import { formatDate } from '../../format';
import { useMunicipalityName } from '../../hooks';
import { type MessageKey, useLang, useT } from '../../i18n';
import type { MyData, PremiumApplication } from '../../types';

const ACTIVITIES = ['volunteering', 'side_job', 'two_region_living', 'events'] as const;

function FileField(props: { id: string; label: string; hint: string; error?: string | undefined; required?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <p className="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      <input
        id={props.id}
        name="evidenceFiles"
        type="file"
        multiple
        required={props.required}
        accept="image/jpeg,image/png,image/webp,application/pdf"
        aria-describedby={`${props.id}-hint${props.error ? ` ${props.id}-error` : ''}`}
        aria-invalid={props.error ? true : undefined}
      />
      {props.error && (
        <p className="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Field problems of the files (evidenceFiles.0 …) folded into one message for the file input. */
const filesError = (fields: FieldErrors) =>
  Object.entries(fields)
    .filter(([k]) => k.startsWith('evidenceFiles'))
    .map(([, v]) => v)
    .join(' ') || undefined;

export function MePremiumSection({ data }: { data: MyData }) {
  const t = useT();
  const { lang } = useLang();
  const name = useMunicipalityName();
  const [items, setItems] = useState<PremiumApplication[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api<{ items: PremiumApplication[] }>('/api/me/premium-applications', { redirectOn401: false })
      .then((r) => setItems(r.items))
      .catch((cause: unknown) => setError(ApiError.from(cause)));
  }, []);
  useEffect(load, [load]);

  const open = new Set(
    items.filter((a) => a.status === 'submitted' || a.status === 'more_requested').map((a) => a.municipalityCode),
  );
  const applicable = data.supporterRegistrations.filter((r) => r.tier === 'basic' && !open.has(r.municipalityCode));

  async function send(event: FormEvent<HTMLFormElement>, url: string, done: MessageKey) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      const result = await api<{ items: PremiumApplication[] }>(url, {
        method: 'POST',
        body: new FormData(form),
        csrfToken: data.csrfToken,
      });
      setItems(result.items);
      setMessage(t(done));
      form.reset();
    } catch (cause) {
      setError(ApiError.from(cause));
    } finally {
      setBusy(false);
    }
  }
  const fields = error?.fields ?? {};

  return (
    <section className="card stack" aria-labelledby="me-tiers">
      <h2 id="me-tiers">{t('premium.title')}</h2>
      <p className="hint">{t('premium.intro', { cap: String(data.registrationCap) })}</p>
      <ul className="plain-list">
        {data.supporterRegistrations.map((r) => (
          <li key={r.id}>
            <strong>{name(r.municipalityCode)}</strong>：{t(`premium.tier.${r.tier}`)}
            {r.premiumSince && `（${formatDate(r.premiumSince, lang)}〜）`}・
            {t(`premium.identity.${r.identityAssurance}`)}
          </li>
        ))}
      </ul>
      {message && <StatusMessage>{message}</StatusMessage>}
      {error && <ErrorAlert>{error.message}</ErrorAlert>}

      {items.map((a) => (
        <article key={a.id} className="stack" aria-labelledby={`premium-${a.id}`}>
          <h3 id={`premium-${a.id}`}>
            {t('premium.applicationFor', { place: name(a.municipalityCode) })}：{t(`premium.status.${a.status}`)}
          </h3>
          <ol className="plain-list">
            {a.steps.map((s) => (
              <li key={`${s.step}-${s.at}`}>
                {formatDate(s.at, lang)} {t(`premium.step.${s.step}`)}
                {s.message && `：${s.message}`}
              </li>
            ))}
          </ol>
          <p className="hint">{t('premium.filesSent', { count: String(a.files.length) })}</p>
          {a.status === 'more_requested' && (
            <form
              className="stack"
              noValidate
              onSubmit={(e) => void send(e, `/api/me/premium-applications/${a.id}/answer`, 'premium.answered')}
            >
              <TextAreaField
                label={t('premium.reply')}
                name="replyMessage"
                rows={3}
                maxLength={2000}
                required
                error={fields.replyMessage}
              />
              <FileField
                id={`premium-answer-files-${a.id}`}
                label={t('premium.files')}
                hint={t('premium.filesHint')}
                error={filesError(fields)}
              />
              <button type="submit" disabled={busy}>
                {t('premium.sendAnswer')}
              </button>
            </form>
          )}
        </article>
      ))}

      {applicable.length > 0 && (
        <form
          className="stack"
          noValidate
          aria-labelledby="premium-apply"
          onSubmit={(e) => void send(e, '/api/me/premium-applications', 'premium.applied')}
        >
          <h3 id="premium-apply">{t('premium.apply')}</h3>
          <p className="hint">{t('premium.applyIntro')}</p>
          <SelectField
            label={t('premium.municipality')}
            name="municipalityCode"
            required
            options={applicable.map((r) => ({ value: r.municipalityCode, label: name(r.municipalityCode) }))}
            error={fields.municipalityCode}
          />
          <SelectField
            label={t('premium.activity')}
            name="activity"
            required
            options={ACTIVITIES.map((a) => ({ value: a, label: t(`premium.activity.${a}`) }))}
            error={fields.activity}
          />
          <TextAreaField
            label={t('premium.description')}
            name="activityDescription"
            rows={3}
            maxLength={2000}
            required
            error={fields.activityDescription}
          />
          <FileField
            id="premium-files"
            label={t('premium.files')}
            hint={t('premium.filesHint')}
            error={filesError(fields)}
            required
          />
          <button type="submit" className="button-large" disabled={busy}>
            {t('premium.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
