/**
 * A match (docs/matching.md "Match pipeline"): the ladder proposed → introduced → agreed →
 * collaborating → self-running with the date of each rung reached, a button for each step the
 * pipeline allows next (forward only; ending asks for the reason, self-running for its evidence),
 * the reasons of the pair's score, and the accompaniment log (伴走支援) as a timeline with its form.
 */
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { todayInTokyo } from '../../../../src/shared/dates';
import { ACCOMPANIMENT_KINDS } from '../../../../src/shared/matching';
import { SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { formatDate } from '../../format';
import { useAction, useMunicipalityName } from '../../hooks';
import { useLang, useT } from '../../i18n';
import type { ApiAnswer } from '../../data/client';
import {
  accompanimentKindLabel,
  MATCH_END_REASONS,
  MATCH_LADDER_STEPS,
  type MatchStep,
  matchEndReasonLabel,
  matchStepLabel,
  nextMatchSteps,
  optionsOf,
  projectKindLabel,
  SELF_RUNNING_EVIDENCE,
  selfRunningEvidenceLabel,
} from '../../vocab';
import { ReasonList } from './parts';

type MatchDetail = ApiAnswer<'get', '/api/matches/{id}'>;

export function MatchPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const match = useApiQuery('/api/matches/{id}', { params: { path: { id } } });
  const [message, setMessage] = useState<string | null>(null);

  if (match.error) return <ErrorAlert onRetry={match.reload}>{match.error.message}</ErrorAlert>;
  if (!match.data) return <Loading />;
  const m = match.data;
  const open = m.step !== 'ended' && m.step !== 'self_running';
  const ended = m.steps.find((s) => s.step === 'ended');

  return (
    <>
      <PageTitle>{t('match.title', { person: m.person.name, project: m.project.title })}</PageTitle>
      <p className="subtitle">
        {m.isDemo && `${t('matching.demo')} `}
        {matchStepLabel(t, m.step)} · {projectKindLabel(t, m.project.kind)} · {placeName(m.municipalityCode)}
      </p>
      <p className="link-row">
        <Link to={`/people/${encodeURIComponent(m.person.id)}`}>
          {t('match.person')}: {m.person.name}
        </Link>
        <Link to={`/manage/projects/${encodeURIComponent(m.project.id)}`}>
          {t('matches.project')}: {m.project.title}
        </Link>
        <span>
          {t('match.organization')}: {m.project.organization.name}
        </span>
      </p>
      {message && <StatusMessage>{message}</StatusMessage>}

      <div className="person-columns">
        <section className="card stack" aria-labelledby="match-pipeline">
          <h2 id="match-pipeline">{t('match.pipeline')}</h2>
          {ended && (
            <p className="pipeline-ended" role="note">
              {t('match.endedOn', {
                date: formatDate(ended.occurredOn, lang),
                reason: m.endReason ? matchEndReasonLabel(t, m.endReason) : t('common.none'),
              })}
            </p>
          )}
          <ol className="pipeline" aria-label={t('match.pipeline')}>
            {MATCH_LADDER_STEPS.map((step) => {
              const hit = m.steps.find((s) => s.step === step);
              const current = step === m.step;
              const className = [
                'pipeline-step',
                hit ? 'pipeline-reached' : 'pipeline-ahead',
                current ? 'pipeline-current' : '',
              ]
                .filter(Boolean)
                .join(' ');
              return (
                <li key={step} className={className} aria-current={current ? 'step' : undefined}>
                  <span className="pipeline-name">{matchStepLabel(t, step)}</span>
                  <span className="pipeline-date">
                    {hit ? (
                      <time dateTime={hit.occurredOn}>{formatDate(hit.occurredOn, lang)}</time>
                    ) : (
                      t('match.notYet')
                    )}
                  </span>
                  {current && <span className="pipeline-mark">{t('match.current')}</span>}
                </li>
              );
            })}
          </ol>
          {m.selfRunningEvidence && <p>{selfRunningEvidenceLabel(t, m.selfRunningEvidence)}</p>}
          {open ? (
            <NextStepForm
              match={m}
              onMoved={(step) => {
                setMessage(matchStepLabel(t, step));
              }}
            />
          ) : (
            <p>{t('match.closed')}</p>
          )}
        </section>
        <section className="card" aria-labelledby="match-reasons">
          <h2 id="match-reasons">{t('match.reasons')}</h2>
          {m.score !== null && <p className="score">{t('project.score', { score: m.score })}</p>}
          {m.reasons.length > 0 ? (
            <ReasonList reasons={m.reasons} label={t('match.reasons')} />
          ) : (
            <p>{t('common.none')}</p>
          )}
          {m.steps.some((s) => s.note) && (
            <ol className="timeline">
              {[...m.steps].reverse().map((s) => (
                <li key={`${s.step}-${s.createdAt}`}>
                  <time dateTime={s.occurredOn}>{formatDate(s.occurredOn, lang)}</time>
                  <p>
                    <strong>{matchStepLabel(t, s.step)}</strong>
                  </p>
                  {s.note && <p className="pre-wrap">{s.note}</p>}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <AccompanimentSection match={m} open={open} onAdded={() => setMessage(t('matching.saved'))} />
    </>
  );
}

function NextStepForm({ match, onMoved }: { match: MatchDetail; onMoved: (step: MatchStep) => void }) {
  const t = useT();
  const [occurredOn, setOccurredOn] = useState(todayInTokyo());
  const [note, setNote] = useState('');
  const [endReason, setEndReason] = useState('');
  const [evidence, setEvidence] = useState('');
  const { busy, error, fieldErrors, run } = useAction();
  const add = useApiMutation('post', '/api/matches/{id}/steps', {
    invalidates: ['/api/matches/{id}', '/api/matches'],
  });
  const next = nextMatchSteps(match.step);
  const forward = next.filter((s) => s !== 'ended');
  const fe = (name: string) => fieldErrors[`body.${name}`] ?? fieldErrors[name];

  async function move(step: MatchStep) {
    const ok = await run(() =>
      add.send({
        params: { path: { id: match.id } },
        body: {
          step,
          occurredOn,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(step === 'ended' && endReason ? { endReason: endReason as (typeof MATCH_END_REASONS)[number] } : {}),
          ...(step === 'self_running' && evidence
            ? { evidence: evidence as (typeof SELF_RUNNING_EVIDENCE)[number] }
            : {}),
        },
      }),
    );
    if (ok) {
      setNote('');
      onMoved(step);
    }
  }

  return (
    <div className="stack">
      <h3>{t('match.nextTitle')}</h3>
      <p className="hint">{t('match.nextHint')}</p>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <TextField
        label={t('match.occurredOn')}
        type="date"
        value={occurredOn}
        onChange={(e) => setOccurredOn(e.target.value)}
        error={fe('occurredOn')}
      />
      <TextAreaField label={t('match.note')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      {forward.includes('self_running') && (
        <SelectField
          label={t('match.evidence')}
          value={evidence}
          placeholder={t('common.select')}
          options={optionsOf(SELF_RUNNING_EVIDENCE, selfRunningEvidenceLabel, t)}
          onChange={(e) => setEvidence(e.target.value)}
          error={fe('evidence')}
        />
      )}
      <div className="button-row">
        {forward.map((step) => (
          <button key={step} type="button" disabled={busy} onClick={() => void move(step)}>
            {t('match.moveTo', { step: matchStepLabel(t, step) })}
          </button>
        ))}
      </div>
      {next.includes('ended') && (
        <div className="inline-form">
          <SelectField
            label={t('match.endReason')}
            value={endReason}
            placeholder={t('common.select')}
            options={optionsOf(MATCH_END_REASONS, matchEndReasonLabel, t)}
            onChange={(e) => setEndReason(e.target.value)}
            error={fe('endReason')}
          />
          <button type="button" className="button-danger" disabled={busy} onClick={() => void move('ended')}>
            {t('match.end')}
          </button>
        </div>
      )}
    </div>
  );
}

function AccompanimentSection({ match, open, onAdded }: { match: MatchDetail; open: boolean; onAdded: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const empty = { occurredOn: todayInTokyo(), kind: '', note: '', nextStep: '', nextDueOn: '' };
  const [form, setForm] = useState(empty);
  const { busy, error, fieldErrors, run } = useAction();
  const add = useApiMutation('post', '/api/matches/{id}/accompaniment', { invalidates: ['/api/matches/{id}'] });
  const fe = (name: string) => fieldErrors[`body.${name}`] ?? fieldErrors[name];
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  // Newest first: the next step and its due date of the latest entry are what to do now.
  const entries = [...match.accompaniment].sort((a, b) =>
    a.occurredOn === b.occurredOn ? b.createdAt.localeCompare(a.createdAt) : b.occurredOn.localeCompare(a.occurredOn),
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await run(() =>
      add.send({
        params: { path: { id: match.id } },
        body: {
          occurredOn: form.occurredOn,
          kind: form.kind as (typeof ACCOMPANIMENT_KINDS)[number],
          ...(form.note.trim() ? { note: form.note.trim() } : {}),
          ...(form.nextStep.trim() ? { nextStep: form.nextStep.trim() } : {}),
          ...(form.nextDueOn ? { nextDueOn: form.nextDueOn } : {}),
        },
      }),
    );
    if (ok) {
      setForm(empty);
      onAdded();
    }
  }

  return (
    <section className="card stack" aria-labelledby="match-accompaniment">
      <h2 id="match-accompaniment">{t('match.accompaniment')}</h2>
      {entries.length === 0 ? (
        <p>{t('match.accompanimentNone')}</p>
      ) : (
        <ol className="timeline" aria-label={t('match.accompaniment')}>
          {entries.map((a) => (
            <li key={a.id}>
              <time dateTime={a.occurredOn}>{formatDate(a.occurredOn, lang)}</time>
              <p>
                <strong>{accompanimentKindLabel(t, a.kind)}</strong>
              </p>
              {a.note && <p className="pre-wrap">{a.note}</p>}
              {a.nextStep && (
                <p className="next-action">
                  {a.nextDueOn
                    ? t('match.nextStepDue', { step: a.nextStep, date: formatDate(a.nextDueOn, lang) })
                    : t('match.nextStepOnly', { step: a.nextStep })}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {open && (
        <form onSubmit={submit} className="stack record-form" noValidate aria-labelledby="match-accompaniment-add">
          <h3 id="match-accompaniment-add">{t('match.accompanimentAdd')}</h3>
          {error && <ErrorAlert>{error}</ErrorAlert>}
          <div className="form-row">
            <TextField
              label={t('match.occurredOn')}
              type="date"
              required
              value={form.occurredOn}
              onChange={set('occurredOn')}
              error={fe('occurredOn')}
            />
            <SelectField
              label={t('match.kind')}
              required
              value={form.kind}
              placeholder={t('common.select')}
              options={optionsOf(ACCOMPANIMENT_KINDS, accompanimentKindLabel, t)}
              onChange={set('kind')}
              error={fe('kind')}
            />
          </div>
          <TextAreaField label={t('match.note')} rows={3} value={form.note} onChange={set('note')} error={fe('note')} />
          <div className="form-row">
            <TextField
              label={t('match.nextStep')}
              value={form.nextStep}
              onChange={set('nextStep')}
              error={fe('nextStep')}
            />
            <TextField
              label={t('match.nextDueOn')}
              type="date"
              value={form.nextDueOn}
              onChange={set('nextDueOn')}
              error={fe('nextDueOn')}
            />
          </div>
          <div>
            <button type="submit" disabled={busy}>
              {t('match.record')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
