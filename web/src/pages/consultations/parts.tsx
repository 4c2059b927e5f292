/**
 * Pieces the case, referral and follow-up pages share: a case's facts, a consultation as a card,
 * a referral with the actions its receiver may take, and a follow-up with "done" / "skipped".
 * Each action is a small form of its own, so a partner on a phone can accept a referral or report
 * its outcome without leaving the list.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { CONSULTATION_LIMITS, REFERRAL_OUTCOMES } from '../../../../src/shared/domain';
import { callApi } from '../../data/client';
import { SelectField, TextAreaField } from '../../components/Fields';
import { ErrorAlert } from '../../components/Messages';
import { formatDate, joinList } from '../../format';
import { useAction, useMunicipalityName } from '../../hooks';
import { formatNumber, useLang, useT } from '../../i18n';
import type { CaseSummary, Consultation, Followup, Referral } from '../../types';
import {
  caseStepLabel,
  channelLabel,
  endReasonLabel,
  followupStatusLabel,
  labelled,
  optionsOf,
  paren,
  referralAreaLabel,
  referralOutcomeLabel,
  referralStatusLabel,
  timingLabel,
  topicLabel,
} from '../../vocab';

/** The case's facts in one line each. */
export function CaseFacts({ summary }: { summary: CaseSummary }) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const rows: [string, ReactNode][] = [
    [t('case.step'), `${caseStepLabel(t, summary.step)}${paren(formatDate(summary.stepOn, lang), lang)}`],
    [t('case.openedOn'), formatDate(summary.openedOn, lang)],
    [t('case.consultant'), summary.consultant?.name ?? t('common.none')],
    [t('case.municipality'), placeName(summary.municipalityCode)],
  ];
  if (summary.movedOn)
    rows.push([
      t('case.moved'),
      `${placeName(summary.movedMunicipalityCode)}${paren(formatDate(summary.movedOn, lang), lang)}`,
    ]);
  if (summary.endReason)
    rows.push([
      t('case.endReason'),
      `${endReasonLabel(t, summary.endReason)}${summary.endNote ? ` — ${summary.endNote}` : ''}`,
    ]);
  return (
    <dl className="details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One consultation: when, how, what about, and its next action (which can be ticked off here). */
export function ConsultationCard({
  consultation: c,
  onChanged,
  canEdit,
}: {
  consultation: Consultation;
  onChanged: (c: Consultation) => void;
  canEdit: boolean;
}) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const { busy, error, run } = useAction();

  async function toggleDone() {
    await run(async () =>
      onChanged(
        await callApi('patch', '/api/consultations/{id}', {
          params: { path: { id: c.id } },
          body: { nextActionDone: !c.nextActionDoneAt },
        }),
      ),
    );
  }

  const family = [
    c.householdSize ? t('case.household', { count: c.householdSize }) : '',
    c.withChildren === true ? t('case.withChildren') : c.withChildren === false ? t('case.withoutChildren') : '',
    c.familyNote ?? '',
  ].filter(Boolean);
  return (
    <article className="record-card" aria-labelledby={`consultation-${c.id}`}>
      <h3 id={`consultation-${c.id}`}>
        <time dateTime={c.occurredOn}>{formatDate(c.occurredOn, lang)}</time> · {channelLabel(t, c.channel)}
        {c.consultant && <span className="muted"> · {c.consultant.name}</span>}
      </h3>
      {c.topics.length > 0 && (
        <ul className="chips" aria-label={t('case.topics')}>
          {c.topics.map((topic) => (
            <li key={topic} className="chip">
              {topicLabel(t, topic)}
            </li>
          ))}
        </ul>
      )}
      <dl className="inline-dl">
        {c.municipalityCodes.length > 0 && (
          <div>
            <dt>{t('case.interest')}</dt>
            <dd>
              {joinList(
                c.municipalityCodes.map((code) => placeName(code)),
                lang,
              )}
            </dd>
          </div>
        )}
        {c.desiredTiming && (
          <div>
            <dt>{t('consult.desiredTiming')}</dt>
            <dd>{timingLabel(t, c.desiredTiming)}</dd>
          </div>
        )}
        {family.length > 0 && (
          <div>
            <dt>{t('consult.familyNote')}</dt>
            <dd>{family.join(lang === 'ja' ? '、' : ', ')}</dd>
          </div>
        )}
        {c.residencePrefecture && (
          <div>
            <dt>{t('case.residence')}</dt>
            <dd>{c.residencePrefecture}</dd>
          </div>
        )}
      </dl>
      {c.notes && <p className="pre-wrap">{c.notes}</p>}
      {c.nextAction && (
        <div className={c.nextActionDoneAt ? 'next-action next-action-done' : 'next-action'}>
          <p>
            <strong>{labelled(t('consult.nextAction'), '', lang)}</strong>
            {c.nextAction}
            {c.nextActionDue && paren(t('case.due', { date: formatDate(c.nextActionDue, lang) }), lang)}
            {c.nextActionDoneAt && <> — {t('case.doneOn', { date: formatDate(c.nextActionDoneAt, lang) })}</>}
          </p>
          {canEdit && (
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void toggleDone()}>
              {c.nextActionDoneAt ? t('case.reopenAction') : t('case.markActionDone')}
            </button>
          )}
          {error && <ErrorAlert>{error}</ErrorAlert>}
        </div>
      )}
    </article>
  );
}

/** Status of a referral as a pill whose colour only repeats what its words say. */
export function ReferralStatus({ referral }: { referral: Referral }) {
  const t = useT();
  return <span className={`status-pill referral-${referral.status}`}>{referralStatusLabel(t, referral.status)}</span>;
}

/**
 * A referral and what its receiver may do next: accept or decline a sent one, report the outcome
 * of an accepted one. The server decides who may; a refusal is shown where the button was.
 */
export function ReferralItem({
  referral: r,
  onChanged,
  showPerson,
  canAct,
  headingLevel = 3,
}: {
  referral: Referral;
  onChanged: (r: Referral) => void;
  showPerson: 'link' | 'contact' | 'none';
  canAct: boolean;
  headingLevel?: 2 | 3 | 4;
}) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const [mode, setMode] = useState<'idle' | 'decline' | 'complete'>('idle');
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, fieldErrors: errors, setFieldErrors: setErrors, run } = useAction();
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  const to = r.toOrganization?.name ?? placeName(r.toMunicipalityCode);

  async function send(status: 'accepted' | 'declined' | 'completed', event?: FormEvent) {
    event?.preventDefault();
    if (status === 'completed' && !outcome) {
      setErrors({ outcome: t('common.select') });
      return;
    }
    const body = {
      status,
      ...(status === 'completed' ? { outcome: outcome as (typeof REFERRAL_OUTCOMES)[number] } : {}),
      ...(status !== 'accepted' ? { outcomeNote: note } : {}),
    };
    await run(async () => {
      onChanged(await callApi('patch', '/api/referrals/{id}', { params: { path: { id: r.id } }, body }));
      setMode('idle');
      setNote('');
      setOutcome('');
    });
  }

  const name = r.person.name;
  return (
    <article className="record-card referral-card" aria-labelledby={`referral-${r.id}`}>
      <div className="record-head">
        <Heading id={`referral-${r.id}`}>
          {showPerson === 'link' ? (
            <Link
              to={r.caseId ? `/cases/${encodeURIComponent(r.caseId)}` : `/people/${encodeURIComponent(r.person.id)}`}
            >
              {name}
            </Link>
          ) : (
            name
          )}
          <span className="muted"> → {to}</span>
        </Heading>
        <ReferralStatus referral={r} />
      </div>
      <dl className="inline-dl">
        <div>
          <dt>{t('referral.area')}</dt>
          <dd>{referralAreaLabel(t, r.area)}</dd>
        </div>
        <div>
          <dt>{t('referral.sentAt')}</dt>
          <dd>{formatDate(r.sentAt, lang)}</dd>
        </div>
        {r.isOpen && (
          <div>
            <dt>{t('referral.waiting')}</dt>
            <dd className={r.daysSinceSent >= 14 ? 'text-danger' : undefined}>
              {t('referral.days', { count: formatNumber(r.daysSinceSent, lang) })}
            </dd>
          </div>
        )}
        {r.createdBy && (
          <div>
            <dt>{t('referral.from')}</dt>
            <dd>{r.createdBy.name}</dd>
          </div>
        )}
        {r.outcome && (
          <div>
            <dt>{t('referral.outcome')}</dt>
            <dd>{referralOutcomeLabel(t, r.outcome)}</dd>
          </div>
        )}
      </dl>
      {showPerson === 'contact' && (
        <dl className="inline-dl referral-contact" aria-label={t('referral.contact')}>
          {r.person.kana && (
            <div>
              <dt>{t('person.kana')}</dt>
              <dd>{r.person.kana}</dd>
            </div>
          )}
          {r.person.email && (
            <div>
              <dt>{t('person.email')}</dt>
              <dd>
                <a href={`mailto:${r.person.email}`}>{r.person.email}</a>
              </dd>
            </div>
          )}
          {r.person.phone && (
            <div>
              <dt>{t('person.phone')}</dt>
              <dd>
                <a href={`tel:${r.person.phone}`}>{r.person.phone}</a>
              </dd>
            </div>
          )}
          {(r.person.prefecture || r.person.city) && (
            <div>
              <dt>{t('referral.lives')}</dt>
              <dd>{[r.person.prefecture, r.person.city].filter(Boolean).join(' ')}</dd>
            </div>
          )}
        </dl>
      )}
      {r.message && <p className="pre-wrap referral-message">{r.message}</p>}
      {r.outcomeNote && <p className="pre-wrap muted">{r.outcomeNote}</p>}
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {canAct && r.isOpen && mode === 'idle' && (
        <div className="button-row">
          {r.status === 'sent' && (
            <>
              <button type="button" disabled={busy} onClick={() => void send('accepted')}>
                {t('referral.accept')}
              </button>
              <button type="button" className="button-secondary" disabled={busy} onClick={() => setMode('decline')}>
                {t('referral.decline')}
              </button>
            </>
          )}
          {r.status === 'accepted' && (
            <button type="button" disabled={busy} onClick={() => setMode('complete')}>
              {t('referral.reportOutcome')}
            </button>
          )}
        </div>
      )}
      {mode !== 'idle' && (
        <form
          className="stack record-form"
          aria-label={mode === 'decline' ? t('referral.declineTitle', { name }) : t('referral.outcomeTitle', { name })}
          onSubmit={(e) => void send(mode === 'decline' ? 'declined' : 'completed', e)}
          noValidate
        >
          <p className="form-title">
            {mode === 'decline' ? t('referral.declineTitle', { name }) : t('referral.outcomeTitle', { name })}
          </p>
          {mode === 'complete' && (
            <SelectField
              label={t('referral.outcome')}
              required
              placeholder={t('common.select')}
              options={optionsOf(REFERRAL_OUTCOMES, referralOutcomeLabel, t)}
              value={outcome}
              onChange={(e) => setOutcome(e.target.value)}
              error={errors.outcome}
            />
          )}
          <TextAreaField
            label={mode === 'decline' ? t('referral.declineNote') : t('referral.outcomeNote')}
            rows={2}
            maxLength={CONSULTATION_LIMITS.outcomeNote}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={errors.outcomeNote}
          />
          <div className="button-row">
            <button type="submit" disabled={busy}>
              {mode === 'decline' ? t('referral.declineSubmit') : t('referral.outcomeSubmit')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setMode('idle')}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

/** A follow-up after the move, with "done" and "skipped" and an optional note. */
export function FollowupItem({
  followup: f,
  onChanged,
  showPerson,
  canAct,
}: {
  followup: Followup;
  onChanged: (f: Followup) => void;
  showPerson: boolean;
  canAct: boolean;
}) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();

  async function send(status: 'done' | 'skipped') {
    await run(async () => {
      onChanged(
        await callApi('patch', '/api/followups/{id}', { params: { path: { id: f.id } }, body: { status, note } }),
      );
      setOpen(false);
    });
  }

  const title = t('followup.monthsAfter', { months: f.monthsAfterMove });
  return (
    <article
      className={f.isOverdue ? 'record-card followup-card followup-overdue' : 'record-card followup-card'}
      aria-labelledby={`followup-${f.id}`}
    >
      <div className="record-head">
        <h3 id={`followup-${f.id}`}>
          {showPerson && (
            <>
              <Link to={`/cases/${encodeURIComponent(f.caseId)}`}>{f.person.name}</Link>
              {' · '}
            </>
          )}
          {title}
        </h3>
        <span className={`status-pill followup-${f.isOverdue ? 'overdue' : f.status}`}>
          {f.isOverdue ? t('followup.overdue') : followupStatusLabel(t, f.status)}
        </span>
      </div>
      <dl className="inline-dl">
        <div>
          <dt>{t('followup.due')}</dt>
          <dd>
            <time dateTime={f.dueOn}>{formatDate(f.dueOn, lang)}</time>
          </dd>
        </div>
        <div>
          <dt>{t('followup.municipality')}</dt>
          <dd>{placeName(f.municipalityCode)}</dd>
        </div>
        {f.movedOn && (
          <div>
            <dt>{t('followup.movedOn')}</dt>
            <dd>{formatDate(f.movedOn, lang)}</dd>
          </div>
        )}
        <div>
          <dt>{t('followup.assignee')}</dt>
          <dd>{f.assignee?.name ?? t('common.none')}</dd>
        </div>
        {showPerson && f.person.phone && (
          <div>
            <dt>{t('person.phone')}</dt>
            <dd>
              <a href={`tel:${f.person.phone}`}>{f.person.phone}</a>
            </dd>
          </div>
        )}
        {f.doneAt && (
          <div>
            <dt>{t('followup.doneAt')}</dt>
            <dd>{formatDate(f.doneAt, lang)}</dd>
          </div>
        )}
      </dl>
      {f.note && <p className="pre-wrap">{f.note}</p>}
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {canAct && f.status === 'open' && !open && (
        <button
          type="button"
          onClick={() => setOpen(true)}
          aria-label={t('followup.recordLabel', { what: title, name: f.person.name })}
        >
          {t('followup.record')}
        </button>
      )}
      {open && (
        <div className="stack record-form">
          <TextAreaField
            label={t('followup.note')}
            rows={2}
            maxLength={CONSULTATION_LIMITS.followupNote}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="button-row">
            <button type="button" disabled={busy} onClick={() => void send('done')}>
              {t('followup.markDone')}
            </button>
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void send('skipped')}>
              {t('followup.markSkipped')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </article>
  );
}
