/**
 * Labelled form controls. Each wires its label, hint and error to the control (aria-describedby,
 * aria-invalid), so a field error from the server is read out when the field is focused; the
 * error itself is an alert, announced when it appears next to its field.
 */
import {
  useId,
  type InputHTMLAttributes,
  type Ref,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useT } from '../i18n';

type FieldFrameProps = {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean | undefined;
  children: ReactNode;
};

function FieldFrame({ id, label, hint, error, required, children }: FieldFrameProps) {
  const t = useT();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <div className="label-row">
        <label htmlFor={id}>{label}</label>
        {/* Outside the label so the field's name stays just the label; screen readers already
            hear "required" from the control's required attribute. */}
        {required && (
          <span className="required" aria-hidden="true">
            ({t('common.required')})
          </span>
        )}
      </div>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

type CommonProps = { label: string; hint?: string | undefined; error?: string | undefined };

export function TextField({
  label,
  hint,
  error,
  required,
  ...input
}: CommonProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & { ref?: Ref<HTMLInputElement> }) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      <input
        id={id}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  hint,
  error,
  required,
  ...textarea
}: CommonProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      <textarea
        id={id}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
    </FieldFrame>
  );
}

export type Option = { value: string; label: string };

export function SelectField({
  label,
  hint,
  error,
  required,
  options,
  placeholder,
  ...select
}: CommonProps & { options: Option[]; placeholder?: string } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      <select
        id={id}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/**
 * A group of checkboxes under one legend (several answers allowed). Big labels make each choice
 * a comfortable tap target on a phone; the group's hint and error are tied to the fieldset.
 */
export function CheckboxGroup({
  legend,
  hint,
  error,
  options,
  values,
  onChange,
  name,
  required,
  disabled,
  invalid,
  className,
  children,
}: {
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  options: Option[];
  values: readonly string[];
  onChange: (values: string[]) => void;
  name: string;
  required?: boolean;
  /** Choices that cannot be ticked right now (ticked ones always stay changeable). */
  disabled?: (value: string) => boolean;
  /** Marks the boxes invalid when the error is shown by an enclosing group. */
  invalid?: boolean;
  className?: string;
  children?: ReactNode;
}) {
  const id = useId();
  const t = useT();
  const toggle = (value: string, checked: boolean) =>
    onChange(checked ? [...values.filter((v) => v !== value), value] : values.filter((v) => v !== value));
  return (
    <fieldset
      className={['choice-group', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend>
        {legend}
        {required && <span className="required"> ({t('common.required')})</span>}
      </legend>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {options.length > 0 && (
        <div className="choice-list">
          {options.map((o) => {
            const checked = values.includes(o.value);
            return (
              <label key={o.value} className="choice">
                <input
                  type="checkbox"
                  name={name}
                  value={o.value}
                  checked={checked}
                  disabled={!checked && disabled?.(o.value)}
                  aria-invalid={error || invalid ? true : undefined}
                  onChange={(event) => toggle(o.value, event.target.checked)}
                />
                <span>{o.label}</span>
              </label>
            );
          })}
        </div>
      )}
      {children}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** One checkbox with its own label and an optional longer explanation (a consent, for example). */
export function CheckboxField({
  label,
  hint,
  error,
  ...input
}: CommonProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'>) {
  const id = useId();
  return (
    <div className={error ? 'choice-field field-invalid' : 'choice-field'}>
      <label className="choice" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          {...input}
        />
        <span>{label}</span>
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint choice-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * An on/off switch that takes effect at once (a native checkbox with role=switch, so it is
 * announced as "on"/"off" and works with the keyboard and voice control without extra code).
 */
export function SwitchField({
  label,
  hint,
  checked,
  busy,
  onToggle,
}: {
  label: string;
  hint?: ReactNode;
  checked: boolean;
  busy?: boolean;
  onToggle: (next: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="switch-field">
      <label className="switch" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          // biome-ignore lint/a11y/useAriaPropsForRole: a native checkbox exposes its checked state to the switch role; ARIA in HTML forbids aria-checked on it
          role="switch"
          checked={checked}
          disabled={busy}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => onToggle(event.target.checked)}
        />
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="switch-label">{label}</span>
      </label>
      {hint && (
        <div id={`${id}-hint`} className="hint switch-hint">
          {hint}
        </div>
      )}
    </div>
  );
}
