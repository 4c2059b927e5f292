import { useMemo } from 'react';
import { byCodeMap, municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useLang } from '../i18n';
import { SelectField } from './Fields';

/** A single-choice municipality select (filters, forms), names in the UI language. */
export function MunicipalitySelect({
  label,
  value,
  onChange,
  placeholder,
  error,
  required,
  only,
  name,
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  placeholder?: string;
  error?: string | undefined;
  required?: boolean;
  /** Limit the choices (municipality staff: their own). */
  only?: string | null;
  name?: string;
}) {
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const options = useMemo(() => {
    const byCode = byCodeMap(municipalities);
    return municipalities
      .filter((m) => !only || m.code === only)
      .map((m) => ({ value: m.code, label: municipalityLabel(byCode.get(m.code), m.code, lang) }));
  }, [municipalities, only, lang]);
  return (
    <SelectField
      label={label}
      value={value}
      name={name}
      required={required}
      error={error}
      {...(placeholder !== undefined ? { placeholder } : {})}
      options={options}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
