/**
 * Parts every public sign-up form shares (ふるさと住民票 and event registration): the consents,
 * each given or refused separately, and the honeypot field that only bots fill in.
 */
import type { FieldErrors } from '../api';
import { useT } from '../i18n';
import { CheckboxField } from './Fields';

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
