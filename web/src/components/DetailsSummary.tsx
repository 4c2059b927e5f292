import { useMemo } from 'react';
import { byCodeMap, joinList, linksSummary, municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useLang, type MessageKey, type Translate } from '../i18n';
import type { Municipality, PersonLink } from '../types';

const PERSON_FIELDS = [
  'name',
  'kana',
  'email',
  'phone',
  'postalCode',
  'prefecture',
  'city',
  'birthYear',
  'notes',
  'links',
] as const;
type PersonField = (typeof PERSON_FIELDS)[number];

/** Other detail keys the server records (engagements, cards, registrations, consents). */
const DETAIL_LABELS: Record<string, MessageKey> = {
  kind: 'details.kind',
  occurredOn: 'details.occurredOn',
  amountYen: 'details.amountYen',
  municipalityCode: 'details.municipalities',
  municipalityCodes: 'details.municipalities',
  municipalities: 'details.municipalities',
  validDays: 'details.validDays',
  reason: 'details.reason',
  format: 'details.format',
  source: 'details.source',
};

/** Person field names as the user knows them (氏名, not "name") for "changed fields" lists. */
export function fieldLabel(t: Translate, field: string): string {
  if (field === 'linksAdded' || field === 'linksRemoved') return t(`details.${field}`);
  const detail = DETAIL_LABELS[field];
  if (detail) return t(detail);
  return (PERSON_FIELDS as readonly string[]).includes(field) ? t(`person.${field as PersonField}`) : field;
}

/** Empty values say nothing in a change log ("links removed: none"); they are left out. */
function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function isLinkList(value: unknown): value is PersonLink[] {
  return (
    Array.isArray(value) &&
    value.every((v) => typeof v === 'object' && v !== null && 'municipalityCode' in v && 'kind' in v)
  );
}

const isCodeList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && /^\d{6}$/.test(v));

/** Municipality codes (062014) read as names (山形市). */
function places(codes: string[], byCode: Map<string, Municipality>, lang: 'ja' | 'en'): string {
  return joinList(
    codes.map((c) => municipalityLabel(byCode.get(c), c, lang)),
    lang,
  );
}

function short(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value);
  return json.length > 120 ? `${json.slice(0, 117)}…` : json;
}

/**
 * The `details` of a history or audit entry. Changed-field lists get their labels; anything else
 * is shown as key: value, because the audit trail must not hide what the server recorded.
 */
export function DetailsSummary({ details, t }: { details: Record<string, unknown> | null | undefined; t: Translate }) {
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  if (!details || Object.keys(details).length === 0) return null;
  const { fields, changes, ...rest } = details;
  const changeEntries =
    changes && typeof changes === 'object' && !Array.isArray(changes)
      ? Object.entries(changes as Record<string, { from?: unknown; to?: unknown }>)
      : [];
  const restEntries = Object.entries(rest).filter(([, value]) => !isEmpty(value));
  return (
    <div className="details-summary">
      {Array.isArray(fields) && fields.length > 0 && (
        <p>{t('person.changedFields', { fields: fields.map((f) => fieldLabel(t, String(f))).join(', ') })}</p>
      )}
      {changeEntries.length > 0 && (
        <ul className="change-list">
          {changeEntries.map(([field, change]) => (
            <li key={field}>
              {t('audit.change', { field: fieldLabel(t, field), from: short(change?.from), to: short(change?.to) })}
            </li>
          ))}
        </ul>
      )}
      {restEntries.length > 0 && (
        <dl className="inline-dl">
          {restEntries.map(([key, value]) => (
            <div key={key}>
              <dt>{fieldLabel(t, key)}</dt>
              <dd>
                {isLinkList(value)
                  ? linksSummary(value, byCode, t, lang).join(lang === 'ja' ? '、' : '; ') || '—'
                  : isCodeList(value)
                    ? places(value, byCode, lang)
                    : typeof value === 'string' && /^\d{6}$/.test(value) && byCode.has(value)
                      ? places([value], byCode, lang)
                      : short(value)}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
