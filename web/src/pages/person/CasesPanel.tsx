/**
 * The person's consultations and cases as one timeline per case, newest first: every step of
 * the pipeline, every consultation, referral and follow-up, each dated — so the whole way from
 * the first fair to the settled move reads top to bottom on the person's page.
 */
import { Link } from 'react-router';
import { formatDate } from '../../format';
import { useApiQuery } from '../../data/queries';
import { useLang, useT, type Translate } from '../../i18n';
import type { CaseDetail } from '../../types';
import {
  caseStepLabel,
  channelLabel,
  endReasonLabel,
  labelled,
  listSep,
  paren,
  referralAreaLabel,
  referralStatusLabel,
  topicLabel,
} from '../../vocab';
import { ErrorAlert, Loading } from '../../components/Messages';
import { CasePipeline } from '../../components/CasePipeline';
import { useMunicipalityName } from '../../hooks';

type Entry = { key: string; date: string; order: number; text: string; detail?: string | null };

function entriesOf(
  detail: CaseDetail,
  t: Translate,
  place: (code: string | null) => string,
  lang: 'ja' | 'en',
): Entry[] {
  const sep = listSep(lang);
  return [
    ...detail.steps.map((s) => ({
      key: `step-${s.id}`,
      date: s.occurredOn,
      order: 0,
      text: labelled(
        t('personCases.step'),
        `${caseStepLabel(t, s.step)}${s.step === 'moved' && s.municipalityCode ? paren(place(s.municipalityCode), lang) : ''}${s.endReason ? paren(endReasonLabel(t, s.endReason), lang) : ''}`,
        lang,
      ),
      detail: s.note,
    })),
    ...detail.consultations.map((c) => ({
      key: `consultation-${c.id}`,
      date: c.occurredOn,
      order: 1,
      text: labelled(
        t('personCases.consultation'),
        `${channelLabel(t, c.channel)}${c.topics.length ? ` — ${c.topics.map((x) => topicLabel(t, x)).join(sep)}` : ''}`,
        lang,
      ),
      detail:
        [c.notes, c.nextAction ? labelled(t('consult.nextAction'), c.nextAction, lang) : null]
          .filter(Boolean)
          .join('\n') || null,
    })),
    ...detail.referrals.map((r) => ({
      key: `referral-${r.id}`,
      date: r.sentAt.slice(0, 10),
      order: 2,
      text: labelled(
        t('personCases.referral'),
        `${r.toOrganization?.name ?? place(r.toMunicipalityCode)}${paren(`${referralAreaLabel(t, r.area)}${sep}${referralStatusLabel(t, r.status)}`, lang)}`,
        lang,
      ),
      detail: r.message,
    })),
    ...detail.followups.map((f) => ({
      key: `followup-${f.id}`,
      date: f.doneAt ? f.doneAt.slice(0, 10) : f.dueOn,
      order: 3,
      text: labelled(
        t('personCases.followup'),
        `${t('followup.monthsAfter', { months: f.monthsAfterMove })}${paren(f.doneAt ? t('followupStatus.done') : f.isOverdue ? t('followup.overdue') : t('case.due', { date: formatDate(f.dueOn, lang) }), lang)}`,
        lang,
      ),
      detail: f.note,
    })),
  ].sort((a, b) => b.date.localeCompare(a.date) || b.order - a.order);
}

export function CasesPanel({ personId }: { personId: string }) {
  const t = useT();
  const { lang } = useLang();
  const place = useMunicipalityName();
  const cases = useApiQuery('/api/people/{id}/cases', { params: { path: { id: personId } } });
  return (
    <section aria-labelledby="cases-heading" className="card">
      <div className="title-row">
        <h2 id="cases-heading">{t('personCases.title')}</h2>
        <Link className="button" to={`/consultations/new?person=${encodeURIComponent(personId)}`}>
          {t('case.recordConsultation')}
        </Link>
      </div>
      {cases.error && <ErrorAlert onRetry={cases.reload}>{cases.error.message}</ErrorAlert>}
      {cases.loading && !cases.data && <Loading />}
      {cases.data && cases.data.items.length === 0 && <p>{t('personCases.none')}</p>}
      {cases.data?.items.map((detail) => (
        <div key={detail.id} className="case-block">
          <h3>
            <Link to={`/cases/${encodeURIComponent(detail.id)}`}>
              {t('personCases.caseHeading', {
                date: formatDate(detail.openedOn, lang),
                step: caseStepLabel(t, detail.step),
              })}
            </Link>
          </h3>
          <CasePipeline detail={detail} />
          <ol className="timeline" aria-label={t('personCases.timeline', { date: formatDate(detail.openedOn, lang) })}>
            {entriesOf(detail, t, place, lang).map((e) => (
              <li key={e.key}>
                <time dateTime={e.date}>{formatDate(e.date, lang)}</time>
                <p>{e.text}</p>
                {e.detail && <p className="pre-wrap muted">{e.detail}</p>}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
