/**
 * A project for staff and its receiving organization: what it offers, draft → published → closed,
 * the candidates with their score and every reason behind it in words (a pair can be accepted as a
 * match at `proposed`; nothing is sent; ticked candidates can be scouted: a mailed message, whose
 * answers show in the scouts list), the applicants with their answers (accept or decline),
 * and the project's matches.
 */
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { canWorkWithPeople, useUser } from '../../auth';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { TableScroll } from '../../components/TableScroll';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { flashFrom } from '../../flash';
import { formatDate, formatPeriod, formatYen, joinList } from '../../format';
import { useAction, useMunicipalityName } from '../../hooks';
import { formatDateTime, formatNumber, useLang, useT } from '../../i18n';
import {
  applicationStatusLabel,
  issueCategoryLabel,
  matchStepLabel,
  projectAcceptanceLabel,
  projectKindLabel,
  projectStatusLabel,
} from '../../vocab';
import { ReasonList } from './parts';

export function ProjectPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const location = useLocation();
  const placeName = useMunicipalityName();
  const [message, setMessage] = useState<string | null>(flashFrom(location.state));
  const project = useApiQuery('/api/projects/{id}', { params: { path: { id } } });
  const { busy, error, run } = useAction();
  const update = useApiMutation('patch', '/api/projects/{id}', {
    invalidates: ['/api/projects/{id}', '/api/projects'],
  });

  if (project.error) return <ErrorAlert onRetry={project.reload}>{project.error.message}</ErrorAlert>;
  if (!project.data) return <Loading />;
  const p = project.data;
  const none = t('common.none');
  const worksWithPeople = canWorkWithPeople(user);
  const setStatus = async (status: 'published' | 'closed') => {
    if (await run(() => update.send({ params: { path: { id: p.id } }, body: { status } })))
      setMessage(projectStatusLabel(t, status));
  };

  return (
    <>
      <div className="title-row">
        <PageTitle>{p.title}</PageTitle>
        {p.status !== 'closed' && (
          <Link to={`/manage/projects/${encodeURIComponent(p.id)}/edit`} className="button button-secondary">
            {t('common.edit')}
          </Link>
        )}
      </div>
      <p className="subtitle">
        {p.isDemo && `${t('matching.demo')} `}
        {projectStatusLabel(t, p.status)} · {projectKindLabel(t, p.kind)} · {p.organization.name} ·{' '}
        {placeName(p.municipalityCode)}
      </p>
      {message && <StatusMessage>{message}</StatusMessage>}

      <div className="person-columns">
        <section className="card" aria-labelledby="project-about">
          <h2 id="project-about">{t('project.about')}</h2>
          {p.summary && <p className="pre-wrap">{p.summary}</p>}
          <dl className="details">
            <div>
              <dt>{t('projectForm.theme')}</dt>
              <dd>{issueCategoryLabel(t, p.theme)}</dd>
            </div>
            <div>
              <dt>{t('projectForm.seats')}</dt>
              <dd>
                {t('projects.seatsFilled', {
                  filled: formatNumber(p.filled, lang),
                  seats: formatNumber(p.seats, lang),
                })}{' '}
                · {projectAcceptanceLabel(t, p.acceptance)}
              </dd>
            </div>
            <div>
              <dt>{t('publicProject.period')}</dt>
              <dd>{p.periodStart || p.periodEnd ? formatPeriod(p.periodStart, p.periodEnd, lang) : none}</dd>
            </div>
            <div>
              <dt>{t('matching.hoursPerMonth')}</dt>
              <dd>{p.hoursPerMonth === null ? none : t('matching.hours', { n: p.hoursPerMonth })}</dd>
            </div>
            <div>
              <dt>{t('matching.remotePercent')}</dt>
              <dd>{t('matching.percent', { n: p.remotePercent })}</dd>
            </div>
            <div>
              <dt>{t('project.fee')}</dt>
              <dd>
                {p.feeMinYen === null && p.feeMaxYen === null
                  ? none
                  : t('project.feeRange', {
                      min: p.feeMinYen === null ? '' : formatYen(p.feeMinYen, lang),
                      max: p.feeMaxYen === null ? '' : formatYen(p.feeMaxYen, lang),
                    })}
              </dd>
            </div>
            <div>
              <dt>{t('projectForm.requiredSkills')}</dt>
              <dd>{p.requiredSkills.length ? joinList(p.requiredSkills, lang) : none}</dd>
            </div>
            <div>
              <dt>{t('projectForm.welcomeSkills')}</dt>
              <dd>{p.welcomeSkills.length ? joinList(p.welcomeSkills, lang) : none}</dd>
            </div>
            {p.issueId && (
              <div>
                <dt>{t('projectForm.issue')}</dt>
                <dd>
                  <Link to={`/issues/${encodeURIComponent(p.issueId)}`}>{t('nav.issues')}</Link>
                </dd>
              </div>
            )}
          </dl>
          {p.questions.length > 0 && (
            <>
              <h3>{t('project.questions')}</h3>
              <ol>
                {p.questions.map((q) => (
                  <li key={q.id}>{q.text}</li>
                ))}
              </ol>
            </>
          )}
        </section>
        <section className="card stack" aria-labelledby="project-status">
          <h2 id="project-status">{t('matching.status')}</h2>
          <p>{projectStatusLabel(t, p.status)}</p>
          <p className="hint">{t('project.statusHint')}</p>
          {error && <ErrorAlert>{error}</ErrorAlert>}
          <div className="button-row">
            {p.status === 'draft' && (
              <button type="button" disabled={busy} onClick={() => void setStatus('published')}>
                {t('project.publish')}
              </button>
            )}
            {p.status !== 'closed' && (
              <button
                type="button"
                className="button-secondary"
                disabled={busy}
                onClick={() => void setStatus('closed')}
              >
                {t('project.closeProject')}
              </button>
            )}
          </div>
          {p.status === 'published' && (
            <p>
              <a href={`/projects/${encodeURIComponent(p.id)}`} target="_blank" rel="noreferrer">
                {t('project.publicPage')}
              </a>
            </p>
          )}
        </section>
      </div>

      {worksWithPeople && p.status !== 'closed' && (
        <CandidatesSection projectId={p.id} published={p.status === 'published'} />
      )}
      {worksWithPeople && <ScoutsSection projectId={p.id} />}
      <ApplicationsSection projectId={p.id} questions={p.questions} />
      {worksWithPeople && <ProjectMatches projectId={p.id} />}
    </>
  );
}

function CandidatesSection({ projectId, published }: { projectId: string; published: boolean }) {
  const t = useT();
  const candidates = useApiQuery('/api/projects/{id}/candidates', {
    params: { path: { id: projectId }, query: { limit: 10 } },
  });
  const scouts = useApiQuery('/api/projects/{id}/scouts', { params: { path: { id: projectId } } });
  const [made, setMade] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const create = useApiMutation('post', '/api/matches', { invalidates: ['/api/matches'] });
  // Scouting: candidates ticked here, in the list's order (the server names refusals by that index).
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [scoutText, setScoutText] = useState('');
  const [scoutDone, setScoutDone] = useState<string | null>(null);
  const scouting = useAction();
  const send = useApiMutation('post', '/api/projects/{id}/scouts', {
    invalidates: ['/api/projects/{id}/scouts'],
  });
  const scouted = new Set(scouts.data?.items.map((s) => s.person.id));
  const chosenIds = (candidates.data?.items ?? []).map((c) => c.personId).filter((id) => chosen.has(id));
  const refusal = (personId: string) => {
    const i = chosenIds.indexOf(personId);
    return i < 0 ? undefined : scouting.fieldErrors[`personIds.${i}`];
  };
  const toggle = (personId: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(personId)) next.delete(personId);
      else next.add(personId);
      return next;
    });
  async function makeMatch(personId: string) {
    await run(async () => {
      const match = await create.send({ body: { projectId, personId } });
      setMade((m) => ({ ...m, [personId]: match.id }));
    });
  }
  async function sendScouts() {
    setScoutDone(null);
    const n = chosenIds.length;
    if (
      await scouting.run(() =>
        send.send({ params: { path: { id: projectId } }, body: { personIds: chosenIds, message: scoutText } }),
      )
    ) {
      setChosen(new Set());
      setScoutText('');
      setScoutDone(t('project.scoutSent', { n }));
    }
  }
  return (
    <section className="card stack" aria-labelledby="project-candidates">
      <h2 id="project-candidates">{t('project.candidates')}</h2>
      <p className="hint">{t('project.candidatesIntro')}</p>
      {candidates.error && <ErrorAlert onRetry={candidates.reload}>{candidates.error.message}</ErrorAlert>}
      {candidates.loading && !candidates.data && <Loading />}
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {candidates.data && candidates.data.items.length === 0 && <p>{t('project.candidatesNone')}</p>}
      <ol className="record-list plain-list">
        {candidates.data?.items.map((c) => (
          <li key={c.personId} className="record-card">
            <article aria-labelledby={`candidate-${c.personId}`}>
              <div className="record-head">
                <h3 id={`candidate-${c.personId}`}>
                  <Link to={`/people/${encodeURIComponent(c.personId)}`}>{c.name}</Link>
                </h3>
                <span className="score">{t('project.score', { score: c.score })}</span>
              </div>
              <ReasonList reasons={c.reasons} label={t('proposal.reasons')} />
              {published && !scouted.has(c.personId) && (
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={chosen.has(c.personId)}
                    onChange={() => toggle(c.personId)}
                    aria-describedby={refusal(c.personId) ? `scout-refusal-${c.personId}` : undefined}
                  />{' '}
                  {t('project.scoutSelect', { name: c.name })}
                </label>
              )}
              {refusal(c.personId) && (
                <p id={`scout-refusal-${c.personId}`} className="field-error">
                  {refusal(c.personId)}
                </p>
              )}
              {made[c.personId] ? (
                <div className="stack">
                  <StatusMessage>{t('project.matchMade')}</StatusMessage>
                  <Link to={`/matches/${encodeURIComponent(made[c.personId] ?? '')}`}>{t('project.openMatch')}</Link>
                </div>
              ) : (
                <button type="button" disabled={busy} onClick={() => void makeMatch(c.personId)}>
                  {t('project.makeMatch')}
                </button>
              )}
            </article>
          </li>
        ))}
      </ol>
      {candidates.data && candidates.data.items.length > 0 && (
        <form
          className="stack"
          aria-labelledby="project-scout"
          onSubmit={(e) => {
            e.preventDefault();
            void sendScouts();
          }}
        >
          <h3 id="project-scout">{t('project.scoutTitle')}</h3>
          {published ? (
            <>
              <p className="hint">{t('project.scoutIntro')}</p>
              <p>{t('project.scoutSelected', { n: chosenIds.length })}</p>
              <label htmlFor="scout-message">{t('project.scoutMessage')}</label>
              <textarea
                id="scout-message"
                rows={5}
                maxLength={2000}
                value={scoutText}
                onChange={(e) => setScoutText(e.target.value)}
                aria-invalid={scouting.fieldErrors.message ? true : undefined}
                aria-describedby={scouting.fieldErrors.message ? 'scout-message-error' : undefined}
              />
              {scouting.fieldErrors.message && (
                <p id="scout-message-error" className="field-error">
                  {scouting.fieldErrors.message}
                </p>
              )}
              {scouting.error && <ErrorAlert>{scouting.error}</ErrorAlert>}
              {scoutDone && <StatusMessage>{scoutDone}</StatusMessage>}
              <button type="submit" disabled={scouting.busy || chosenIds.length === 0 || !scoutText.trim()}>
                {t('project.scoutSend')}
              </button>
            </>
          ) : (
            <p className="hint">{t('project.scoutOnlyPublished')}</p>
          )}
        </form>
      )}
    </section>
  );
}

/** The scouts sent for the project and how each was answered (sent / interested / declined). */
function ScoutsSection({ projectId }: { projectId: string }) {
  const t = useT();
  const { lang } = useLang();
  const scouts = useApiQuery('/api/projects/{id}/scouts', { params: { path: { id: projectId } } });
  return (
    <section className="card stack" aria-labelledby="project-scouts">
      <h2 id="project-scouts">{t('project.scouts')}</h2>
      {scouts.error && <ErrorAlert onRetry={scouts.reload}>{scouts.error.message}</ErrorAlert>}
      {scouts.data && scouts.data.items.length === 0 && <p>{t('project.scoutsNone')}</p>}
      {scouts.data && scouts.data.items.length > 0 && (
        <TableScroll label={t('project.scouts')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('project.scoutPerson')}</th>
                <th scope="col">{t('project.scoutStatus')}</th>
                <th scope="col">{t('project.scoutSentAt')}</th>
                <th scope="col">{t('project.scoutSentBy')}</th>
              </tr>
            </thead>
            <tbody>
              {scouts.data.items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`/people/${encodeURIComponent(s.person.id)}`}>{s.person.name}</Link>
                  </th>
                  <td>
                    {t(`project.scoutStatus.${s.status}`)}
                    {s.repliedAt && ` (${formatDateTime(s.repliedAt, lang)})`}
                  </td>
                  <td>{formatDateTime(s.sentAt, lang)}</td>
                  <td>{s.sentBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function ApplicationsSection({
  projectId,
  questions,
}: {
  projectId: string;
  questions: readonly { id: string; text: string }[];
}) {
  const t = useT();
  const { lang } = useLang();
  const applicants = useApiQuery('/api/projects/{id}/applications', { params: { path: { id: projectId } } });
  const { busy, error, run } = useAction();
  const decide = useApiMutation('post', '/api/applications/{id}/decision', {
    invalidates: ['/api/projects/{id}/applications', '/api/projects/{id}', '/api/matches'],
  });
  const questionText = (qid: string) => questions.find((q) => q.id === qid)?.text ?? qid;
  return (
    <section className="card stack" aria-labelledby="project-applications">
      <h2 id="project-applications">{t('project.applications')}</h2>
      {applicants.error && <ErrorAlert onRetry={applicants.reload}>{applicants.error.message}</ErrorAlert>}
      {applicants.data && <p>{t('project.interested', { n: applicants.data.interested })}</p>}
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {applicants.data && applicants.data.items.length === 0 && <p>{t('project.noApplications')}</p>}
      <ul className="record-list plain-list">
        {applicants.data?.items.map((a) => (
          <li key={a.id} className="record-card">
            <div className="record-head">
              <h3>{a.person.name}</h3>
              <span>{applicationStatusLabel(t, a.status)}</span>
            </div>
            <p className="muted">
              {formatDateTime(a.createdAt, lang)}
              {a.person.email && ` · ${a.person.email}`}
              {a.person.phone && ` · ${a.person.phone}`}
            </p>
            {a.answers.length > 0 && (
              <dl className="details">
                {a.answers.map((ans) => (
                  <div key={ans.questionId}>
                    <dt>{questionText(ans.questionId)}</dt>
                    <dd className="pre-wrap">{ans.answer}</dd>
                  </div>
                ))}
              </dl>
            )}
            {a.message && <p className="pre-wrap">{a.message}</p>}
            {a.status === 'applied' && (
              <div className="button-row">
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void run(() => decide.send({ params: { path: { id: a.id } }, body: { decision: 'accepted' } }))
                  }
                >
                  {t('project.accept')}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  disabled={busy}
                  onClick={() =>
                    void run(() => decide.send({ params: { path: { id: a.id } }, body: { decision: 'declined' } }))
                  }
                >
                  {t('project.decline')}
                </button>
              </div>
            )}
            {a.matchId && (
              <p>
                <Link to={`/matches/${encodeURIComponent(a.matchId)}`}>{t('project.openMatch')}</Link>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ProjectMatches({ projectId }: { projectId: string }) {
  const t = useT();
  const { lang } = useLang();
  const matches = useApiQuery('/api/matches', { params: { query: { projectId, limit: 50 } } });
  if (!matches.data || matches.data.items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="project-matches">
      <h2 id="project-matches">{t('project.matches')}</h2>
      <TableScroll label={t('project.matches')}>
        <table>
          <caption className="visually-hidden">{t('project.matches')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('matches.person')}</th>
              <th scope="col">{t('matches.step')}</th>
              <th scope="col">{t('matches.stepOn')}</th>
            </tr>
          </thead>
          <tbody>
            {matches.data.items.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <Link to={`/matches/${encodeURIComponent(m.id)}`}>{m.person.name}</Link>
                </th>
                <td>{matchStepLabel(t, m.step)}</td>
                <td className="nowrap">{formatDate(m.stepOn, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
