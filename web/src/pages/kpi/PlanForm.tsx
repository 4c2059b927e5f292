/**
 * Adding or changing a plan (prefecture admin): its period, and for each indicator Kankei has a
 * rule for, whether the plan uses it, its labels, baseline and target increment per fiscal year.
 * The server checks the period and the targets and names the field of any problem (POST
 * /api/kpi/plans, PUT /api/kpi/plans/{id} — which also refuses to change what an approved
 * evaluation has published); the figures themselves are computed, never entered.
 */
import { useState, type FormEvent } from 'react';
import { CheckboxField, TextField } from '../../components/Fields';
import { ErrorAlert, StatusMessage } from '../../components/Messages';
import { useApiMutation } from '../../data/queries';
import { useAction } from '../../hooks';
import { useLang, useT } from '../../i18n';

type Code =
  | 'uij_movers'
  | 'relationship_created'
  | 'exchange_created'
  | 'ready_organizations'
  | 'side_job_hosts'
  | 'continuing_participants';

/** The indicators and the labels a new plan starts from (those of seed 001 and the national examples). */
const INDICATORS: Array<{ code: Code; labelJa: string; labelEn: string; unit: 'people' | 'organizations' }> = [
  {
    code: 'uij_movers',
    labelJa: '相談窓口を通じたUIJターン移住者数',
    labelEn: 'UIJ-turn movers through the consultation counters',
    unit: 'people',
  },
  {
    code: 'relationship_created',
    labelJa: '創出された関係人口',
    labelEn: 'Relationship population created',
    unit: 'people',
  },
  { code: 'exchange_created', labelJa: '創出された交流人口', labelEn: 'Exchange population created', unit: 'people' },
  {
    code: 'ready_organizations',
    labelJa: '受入れ体制が整った地域・団体数',
    labelEn: 'Areas and organizations ready to receive',
    unit: 'organizations',
  },
  {
    code: 'side_job_hosts',
    labelJa: '副業人材と協働した地域の団体数',
    labelEn: 'Local organizations collaborating through side jobs',
    unit: 'organizations',
  },
  {
    code: 'continuing_participants',
    labelJa: '継続して参加する人数',
    labelEn: 'Continuing participants',
    unit: 'people',
  },
];

type IndicatorState = {
  include: boolean;
  labelJa: string;
  labelEn: string;
  baseline: string;
  targets: Record<number, string>;
};

/** A plan as the form edits it (GET /api/kpi/plans). */
type ExistingPlan = {
  id: string;
  code: string;
  nameJa: string;
  nameEn: string;
  fromFiscalYear: number;
  toFiscalYear: number;
  indicators: Array<{
    code: string;
    labelJa: string;
    labelEn: string;
    baseline: number;
    targets: Array<{ fiscalYear: number; target: number }>;
    municipalityTargets: Array<{ municipalityCode: string; fiscalYear: number; target: number }>;
  }>;
};

/** Without `editing`, a new plan; with it, that plan's changes (its code stays). */
export function PlanForm({ editing }: { editing?: ExistingPlan } = {}) {
  const t = useT();
  const { lang } = useLang();
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState(editing?.code ?? '');
  const [nameJa, setNameJa] = useState(editing?.nameJa ?? '');
  const [nameEn, setNameEn] = useState(editing?.nameEn ?? '');
  const [from, setFrom] = useState(editing ? String(editing.fromFiscalYear) : '');
  const [to, setTo] = useState(editing ? String(editing.toFiscalYear) : '');
  const [indicators, setIndicators] = useState<Record<Code, IndicatorState>>(
    () =>
      Object.fromEntries(
        INDICATORS.map((i) => {
          const had = editing?.indicators.find((x) => x.code === i.code);
          return [
            i.code,
            had
              ? {
                  include: true,
                  labelJa: had.labelJa,
                  labelEn: had.labelEn,
                  baseline: String(had.baseline),
                  targets: Object.fromEntries(had.targets.map((x) => [x.fiscalYear, String(x.target)])),
                }
              : { include: false, labelJa: i.labelJa, labelEn: i.labelEn, baseline: '0', targets: {} },
          ];
        }),
      ) as Record<Code, IndicatorState>,
  );
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, fieldErrors, run } = useAction();
  const create = useApiMutation('post', '/api/kpi/plans', { invalidates: ['/api/kpi/plans'] });
  const update = useApiMutation('put', '/api/kpi/plans/{id}', { invalidates: ['/api/kpi/plans', '/api/kpi/actuals'] });
  const first = Number(from);
  const last = Number(to);
  const years =
    Number.isInteger(first) && Number.isInteger(last) && first >= 2000 && last >= first && last - first < 20
      ? Array.from({ length: last - first + 1 }, (_, i) => first + i)
      : [];
  const change = (c: Code, patch: Partial<IndicatorState>) =>
    setIndicators((all) => ({ ...all, [c]: { ...all[c], ...patch } }));

  const headingId = editing ? `kpi-plan-edit-${editing.code}` : 'kpi-plan-new';
  const title = editing
    ? t('kpi.plan.edit', { name: lang === 'en' ? editing.nameEn : editing.nameJa })
    : t('kpi.plan.new');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const chosen = INDICATORS.filter((i) => indicators[i.code].include);
    const body = {
      nameJa,
      nameEn,
      fromFiscalYear: first,
      toFiscalYear: last,
      indicators: chosen.map((i) => {
        const s = indicators[i.code];
        return {
          code: i.code,
          labelJa: s.labelJa,
          labelEn: s.labelEn,
          unit: i.unit,
          baseline: Number(s.baseline || 0),
          targets: years
            .filter((y) => (s.targets[y] ?? '') !== '')
            .map((y) => ({ fiscalYear: y, target: Number(s.targets[y]) })),
          // Per-municipality targets are not edited here: they stay as they were.
          municipalityTargets: editing?.indicators.find((x) => x.code === i.code)?.municipalityTargets ?? [],
        };
      }),
    };
    const ok = await run(() =>
      editing ? update.send({ params: { path: { id: editing.id } }, body }) : create.send({ body: { code, ...body } }),
    );
    if (ok) {
      setMessage(t(editing ? 'kpi.plan.saved' : 'kpi.plan.created', { name: lang === 'en' ? nameEn : nameJa }));
      setOpen(false);
    }
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {message && <StatusMessage>{message}</StatusMessage>}
      {!open ? (
        <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
          {title}
        </button>
      ) : (
        <form className="stack" onSubmit={submit}>
          {editing ? (
            <p>{t('kpi.plan.editNote', { code: editing.code })}</p>
          ) : (
            <TextField
              label={t('kpi.plan.code')}
              required
              value={code}
              error={fieldErrors.code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
          <TextField
            label={t('kpi.plan.nameJa')}
            required
            value={nameJa}
            error={fieldErrors.nameJa}
            onChange={(e) => setNameJa(e.target.value)}
          />
          <TextField
            label={t('kpi.plan.nameEn')}
            required
            value={nameEn}
            error={fieldErrors.nameEn}
            onChange={(e) => setNameEn(e.target.value)}
          />
          <TextField
            label={t('kpi.plan.from')}
            required
            inputMode="numeric"
            value={from}
            error={fieldErrors.fromFiscalYear}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField
            label={t('kpi.plan.to')}
            required
            inputMode="numeric"
            value={to}
            error={fieldErrors.toFiscalYear}
            onChange={(e) => setTo(e.target.value)}
          />
          {INDICATORS.map((i, n) => {
            const s = indicators[i.code];
            const position = INDICATORS.filter((x) => indicators[x.code].include).findIndex((x) => x.code === i.code);
            const err = (field: string) => (position >= 0 ? fieldErrors[`indicators.${position}.${field}`] : undefined);
            return (
              <fieldset key={i.code}>
                <legend>
                  {t('kpi.plan.indicator')} {n + 1}: {lang === 'en' ? i.labelEn : i.labelJa}
                </legend>
                <CheckboxField
                  label={t('kpi.plan.include')}
                  checked={s.include}
                  onChange={(e) => change(i.code, { include: e.target.checked })}
                />
                {s.include && (
                  <>
                    <TextField
                      label={t('kpi.plan.nameJa')}
                      value={s.labelJa}
                      error={err('labelJa')}
                      onChange={(e) => change(i.code, { labelJa: e.target.value })}
                    />
                    <TextField
                      label={t('kpi.plan.nameEn')}
                      value={s.labelEn}
                      error={err('labelEn')}
                      onChange={(e) => change(i.code, { labelEn: e.target.value })}
                    />
                    <TextField
                      label={t('kpi.plan.baseline')}
                      inputMode="numeric"
                      value={s.baseline}
                      error={err('baseline')}
                      onChange={(e) => change(i.code, { baseline: e.target.value })}
                    />
                    {years.map((y, k) => (
                      <TextField
                        key={y}
                        label={t('kpi.plan.targetFor', { fy: y })}
                        inputMode="numeric"
                        value={s.targets[y] ?? ''}
                        error={
                          err(`targets.${k}.target`) ??
                          err(`targets.${k}.fiscalYear`) ??
                          (k === 0 ? err('targets') : undefined)
                        }
                        onChange={(e) => change(i.code, { targets: { ...s.targets, [y]: e.target.value } })}
                      />
                    ))}
                  </>
                )}
              </fieldset>
            );
          })}
          {error && <ErrorAlert>{error}</ErrorAlert>}
          {fieldErrors.indicators && <ErrorAlert>{fieldErrors.indicators}</ErrorAlert>}
          <button type="submit" disabled={busy}>
            {t(editing ? 'kpi.plan.save' : 'kpi.plan.create')}
          </button>
        </form>
      )}
    </section>
  );
}
