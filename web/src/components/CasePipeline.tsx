/** The pipeline of a migration case, shown on the case page and in the person page's cases panel. */
import { formatDate } from '../format';
import { useMunicipalityName } from '../hooks';
import { useLang, useT } from '../i18n';
import type { CaseDetail } from '../types';
import { caseStepLabel, endReasonLabel } from '../vocab';

/** The rungs of the pipeline as drawn: visited and trial stay share one. */
const RUNGS = [
  ['first_contact'],
  ['consulting'],
  ['visited', 'trial_stay'],
  ['decided'],
  ['moved'],
  ['settled'],
] as const;

/**
 * The case's way so far as an ordered list: each rung with the date it was reached, the current
 * one marked (aria-current), rungs not reached yet said in words; an ended case says so first.
 */
export function CasePipeline({ detail }: { detail: CaseDetail }) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const reached = (steps: readonly string[]) => detail.steps.filter((s) => steps.includes(s.step));
  const currentRung = RUNGS.findIndex((r) => (r as readonly string[]).includes(detail.step));
  const ended = detail.steps.find((s) => s.step === 'ended');
  return (
    <div className="pipeline-block">
      {ended && (
        <p className="pipeline-ended" role="note">
          {t('case.endedOn', {
            date: formatDate(ended.occurredOn, lang),
            reason: ended.endReason ? endReasonLabel(t, ended.endReason) : t('common.none'),
          })}
        </p>
      )}
      <ol className="pipeline" aria-label={t('case.pipeline')}>
        {RUNGS.map((rung, i) => {
          const hits = reached(rung);
          const isCurrent = i === currentRung;
          const className = [
            'pipeline-step',
            hits.length ? 'pipeline-reached' : 'pipeline-ahead',
            isCurrent ? 'pipeline-current' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <li key={rung.join('-')} className={className} aria-current={isCurrent ? 'step' : undefined}>
              <span className="pipeline-name">{rung.map((s) => caseStepLabel(t, s)).join(' / ')}</span>
              <span className="pipeline-date">
                {hits.length === 0
                  ? t('case.notYet')
                  : hits.map((h) => (
                      <span key={h.id} className="pipeline-hit">
                        {rung.length > 1 && `${caseStepLabel(t, h.step)} `}
                        <time dateTime={h.occurredOn}>{formatDate(h.occurredOn, lang)}</time>
                        {h.step === 'moved' && h.municipalityCode && ` · ${placeName(h.municipalityCode)}`}
                      </span>
                    ))}
              </span>
              {isCurrent && <span className="pipeline-mark">{t('case.currentMark')}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
