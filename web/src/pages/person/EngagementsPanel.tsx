import { useMemo, useState, type FormEvent } from 'react';
import { ENGAGEMENT_KINDS } from '../../../../src/shared/domain';
import { todayInTokyo } from '../../../../src/shared/dates';
import { toNarrow } from '../../../../src/shared/normalize';
import type { FieldErrors } from '../../api';
import { useUser } from '../../auth';
import { SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { byCodeMap, engagementKindLabel, formatDate, formatYen, municipalityLabel } from '../../format';
import { useAction, useMunicipalities } from '../../hooks';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { useLang, useT, type Translate } from '../../i18n';
import type { EngagementInput, Person } from '../../types';
import { TableScroll } from '../../components/TableScroll';

function sourceLabel(t: Translate, source: string): string {
  switch (source) {
    case 'manual':
    case 'registration':
    case 'donation_import':
    case 'event':
    case 'case':
      return t(`engagement.source.${source}`);
    default:
      return source;
  }
}

/** Every touch with a municipality, newest first, and the form to record one. */
export function EngagementsPanel({ person, onRecorded }: { person: Person; onRecorded: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const list = useApiQuery('/api/people/{id}/engagements', { params: { path: { id: person.id } } });
  const items = [...(list.data?.items ?? [])].sort(
    (a, b) => b.occurredOn.localeCompare(a.occurredOn) || b.createdAt.localeCompare(a.createdAt),
  );

  return (
    <section aria-labelledby="engagements-heading" className="card">
      <h2 id="engagements-heading">{t('engagement.title')}</h2>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && items.length === 0 && <p>{t('engagement.none')}</p>}
      {items.length > 0 && (
        <TableScroll label={t('engagement.title')}>
          {/* On a phone each row stacks as label: value lines, so nothing is cut off sideways. */}
          <table className="stack-table">
            <caption className="visually-hidden">{t('engagement.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('engagement.occurredOn')}</th>
                <th scope="col">{t('engagement.municipality')}</th>
                <th scope="col">{t('engagement.kind')}</th>
                <th scope="col" className="numeric">
                  {t('engagement.amountYen')}
                </th>
                <th scope="col">{t('engagement.note')}</th>
                <th scope="col">{t('engagement.sourceLabel')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap" data-label={t('engagement.occurredOn')}>
                    <time dateTime={e.occurredOn}>{formatDate(e.occurredOn, lang)}</time>
                  </td>
                  <td data-label={t('engagement.municipality')}>
                    {municipalityLabel(byCode.get(e.municipalityCode), e.municipalityCode, lang)}
                  </td>
                  <td data-label={t('engagement.kind')}>{engagementKindLabel(t, e.kind)}</td>
                  <td className="numeric nowrap" data-label={t('engagement.amountYen')}>
                    {e.amountYen === null ? t('common.none') : formatYen(e.amountYen, lang)}
                  </td>
                  <td className="break pre-wrap" data-label={t('engagement.note')}>
                    {e.note ?? t('common.none')}
                  </td>
                  <td data-label={t('engagement.sourceLabel')}>{sourceLabel(t, e.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <RecordEngagementForm person={person} onRecorded={onRecorded} />
    </section>
  );
}

type FormState = { municipalityCode: string; kind: string; occurredOn: string; amountYen: string; note: string };

function RecordEngagementForm({ person, onRecorded }: { person: Person; onRecorded: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  // Municipality staff record only for their own municipality; the server enforces it too.
  const fixed = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const initial = (): FormState => ({
    municipalityCode: fixed ?? person.links[0]?.municipalityCode ?? '',
    kind: '',
    occurredOn: todayInTokyo(),
    amountYen: '',
    note: '',
  });
  const [form, setForm] = useState<FormState>(initial);
  const { busy, error, fieldErrors: errors, setFieldErrors: setErrors, run, reset } = useAction();
  // A record changes the list and the stages derived from it.
  const recordEngagement = useApiMutation('post', '/api/people/{id}/engagements', {
    invalidates: ['/api/people/{id}/engagements', '/api/people/{id}/stages'],
  });
  const [saved, setSaved] = useState<string | null>(null);
  const set = (key: keyof FormState) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));

  const options = municipalities
    .filter((m) => !fixed || m.code === fixed)
    .map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    reset();
    setSaved(null);
    const local: FieldErrors = {};
    if (!form.municipalityCode) local.municipalityCode = t('common.select');
    if (!form.kind) local.kind = t('common.select');
    const amount = toNarrow(form.amountYen).replace(/[,円¥\s]/g, '');
    if (amount !== '' && !/^\d+$/.test(amount)) local.amountYen = t('engagement.amountInvalid');
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const body: EngagementInput = {
      municipalityCode: form.municipalityCode,
      kind: form.kind as EngagementInput['kind'],
      occurredOn: form.occurredOn,
      amountYen: amount === '' ? null : Number(amount),
      note: form.note,
    };
    await run(async () => {
      await recordEngagement.send({ params: { path: { id: person.id } }, body });
      setSaved(t('engagement.recorded', { kind: engagementKindLabel(t, form.kind) }));
      setForm((f) => ({ ...initial(), municipalityCode: f.municipalityCode, occurredOn: f.occurredOn }));
      onRecorded();
    });
  }

  return (
    <form onSubmit={submit} className="stack record-form" noValidate>
      <h3>{t('engagement.recordTitle')}</h3>
      {saved && <StatusMessage>{saved}</StatusMessage>}
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <div className="grid-2">
        <SelectField
          label={t('engagement.municipality')}
          name="municipalityCode"
          required
          placeholder={fixed ? undefined : t('common.select')}
          options={options}
          value={form.municipalityCode}
          onChange={set('municipalityCode')}
          error={errors.municipalityCode}
        />
        <SelectField
          label={t('engagement.kind')}
          name="kind"
          required
          placeholder={t('common.select')}
          options={ENGAGEMENT_KINDS.map((k) => ({ value: k, label: engagementKindLabel(t, k) }))}
          value={form.kind}
          onChange={set('kind')}
          error={errors.kind}
        />
        <TextField
          label={t('engagement.occurredOn')}
          name="occurredOn"
          type="date"
          required
          max={todayInTokyo()}
          value={form.occurredOn}
          onChange={set('occurredOn')}
          error={errors.occurredOn}
        />
        <TextField
          label={t('engagement.amountYen')}
          hint={t('engagement.amountHint')}
          name="amountYen"
          inputMode="numeric"
          autoComplete="off"
          value={form.amountYen}
          onChange={set('amountYen')}
          error={errors.amountYen}
        />
      </div>
      <TextAreaField
        label={t('engagement.note')}
        name="note"
        rows={2}
        maxLength={2000}
        value={form.note}
        onChange={set('note')}
        error={errors.note}
      />
      <div>
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('engagement.record')}
        </button>
      </div>
    </form>
  );
}
