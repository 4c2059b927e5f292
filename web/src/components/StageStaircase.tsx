/**
 * A person's stage with one municipality, drawn as a staircase 関心 → 定住. It is an ordered list
 * whose items say the stage, the date it was reached (or "not yet") and which one is current, so
 * the colours and heights are never the only way to read it.
 */
import type { CSSProperties } from 'react';
import { STAGES } from '../../../src/shared/domain';
import { formatDate, stageLabel } from '../format';
import { useLang, useT } from '../i18n';
import type { StageView } from '../types';

export function StageStaircase({ view, title }: { view: StageView; title: string }) {
  const t = useT();
  const { lang } = useLang();
  const currentIndex = STAGES.indexOf(view.stage);
  const reachedOn = new Map(view.history.map((h) => [h.stage, h.effectiveOn]));
  return (
    <div className="staircase-block">
      <h3>{title}</h3>
      <p>{t('stage.current', { stage: stageLabel(t, view.stage), date: formatDate(view.since, lang) })}</p>
      <ol className="staircase" aria-label={t('stage.staircaseLabel', { municipality: title })}>
        {STAGES.map((stage, i) => {
          const reached = i <= currentIndex;
          const current = i === currentIndex;
          const date = reachedOn.get(stage);
          const className = ['step', reached ? 'step-reached' : 'step-ahead', current ? 'step-current' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <li
              key={stage}
              className={className}
              style={{ '--step': i } as CSSProperties}
              aria-current={current ? 'step' : undefined}
            >
              <span className="step-name">{stageLabel(t, stage)}</span>
              <span className="step-date">
                {date ? (
                  <time dateTime={date}>{formatDate(date, lang)}</time>
                ) : reached ? (
                  t('stage.passed')
                ) : (
                  t('stage.notYet')
                )}
              </span>
              {current && <span className="step-mark">{t('stage.currentMark')}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
