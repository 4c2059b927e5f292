/**
 * A proposal across all open projects (coordinators): asked for as a job, read back until it is
 * done, then every assigned pair with its score and reasons; each pair is accepted on its own as a
 * match at `proposed` (nothing is sent to anyone). No project gets more than its open seats and
 * nobody more than their capacity — the server's solver guarantees it (docs/matching.md).
 */
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { callApi } from '../../data/client';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { useAction } from '../../hooks';
import { formatNumber, useLang, useT } from '../../i18n';
import { MunicipalitySelect, ReasonList } from './parts';

/** How often a running proposal is asked for again. */
const POLL_MS = 1000;
/** Pairs shown per page (a prefecture-wide proposal holds thousands). */
const PAGE_SIZE = 20;

export function ProposalPage() {
  const t = useT();
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const proposalId = params.get('id') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const [municipality, setMunicipality] = useState('');
  const { busy, error, run } = useAction();
  const proposal = useApiQuery(
    '/api/matching/proposals/{id}',
    { params: { path: { id: proposalId }, query: { limit: PAGE_SIZE, offset } } },
    { enabled: Boolean(proposalId) },
  );
  const { reload } = proposal;
  const status = proposal.data?.status;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer (a new object while still running) schedules the next look
  useEffect(() => {
    if (status !== 'queued' && status !== 'running') return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [status, reload, proposal.data]);

  async function ask(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const created = await callApi('post', '/api/matching/proposals', {
        body: municipality ? { municipalityCode: municipality } : {},
      });
      setParams({ id: created.id });
    });
  }

  const p = proposal.data;

  return (
    <>
      <PageTitle>{t('proposal.title')}</PageTitle>
      <p className="hint">{t('proposal.intro')}</p>
      <form onSubmit={ask} className="inline-form card" noValidate>
        <MunicipalitySelect
          label={t('proposal.municipality')}
          value={municipality}
          placeholder={t('common.all')}
          onChange={setMunicipality}
        />
        <button type="submit" disabled={busy || status === 'queued' || status === 'running'}>
          {t('proposal.run')}
        </button>
      </form>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {proposal.error && <ErrorAlert onRetry={reload}>{proposal.error.message}</ErrorAlert>}
      {proposalId && !p && <Loading />}
      {p && (p.status === 'queued' || p.status === 'running') && (
        <p role="status" className="loading">
          {t('proposal.running')}
        </p>
      )}
      {p?.status === 'failed' && <ErrorAlert>{t('proposal.failed')}</ErrorAlert>}
      {p?.status === 'done' && (
        <section className="stack" aria-labelledby="proposal-result">
          <h2 id="proposal-result">
            {t('proposal.total', { score: formatNumber(p.totalScore ?? 0, lang) })} ·{' '}
            {t('proposal.seatsLeft', { n: formatNumber(p.openSeatsLeft ?? 0, lang) })}
          </h2>
          {p.assignmentCount === 0 && <p>{t('proposal.none')}</p>}
          <ol className="record-list plain-list" start={offset + 1}>
            {p.assignments.map((a) => (
              <li key={`${a.projectId}-${a.personId}`} className="record-card">
                <PairCard proposalId={p.id} pair={a} />
              </li>
            ))}
          </ol>
          <Pagination
            offset={offset}
            limit={PAGE_SIZE}
            total={p.assignmentCount}
            onChange={(next) => setParams({ id: p.id, offset: String(next) })}
          />
        </section>
      )}
    </>
  );
}

function PairCard({
  proposalId,
  pair,
}: {
  proposalId: string;
  pair: {
    projectId: string;
    personId: string;
    score: number;
    reasons: { factor: string; points: number; detail: string }[];
    person: { name: string } | null;
    project: { title: string } | null;
  };
}) {
  const t = useT();
  const [matchId, setMatchId] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const create = useApiMutation('post', '/api/matches', { invalidates: ['/api/matches'] });
  // Null: deleted since the proposal was made (it can no longer be accepted).
  const name = pair.person?.name ?? t('proposal.deletedPerson');
  const projectTitle = pair.project?.title ?? pair.projectId;
  return (
    <article className="stack" aria-label={`${name} × ${projectTitle}`}>
      <div className="record-head">
        <h3>
          <Link to={`/people/${encodeURIComponent(pair.personId)}`}>{name}</Link> ×{' '}
          <Link to={`/manage/projects/${encodeURIComponent(pair.projectId)}`}>{projectTitle}</Link>
        </h3>
        <span className="score">{t('project.score', { score: pair.score })}</span>
      </div>
      <ReasonList reasons={pair.reasons} label={t('proposal.reasons')} />
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {matchId ? (
        <div className="stack">
          <StatusMessage>{t('proposal.accepted')}</StatusMessage>
          <Link to={`/matches/${encodeURIComponent(matchId)}`}>{t('project.openMatch')}</Link>
        </div>
      ) : (
        <div>
          <button
            type="button"
            disabled={busy || !pair.person}
            onClick={() =>
              void run(async () => {
                const match = await create.send({
                  body: { projectId: pair.projectId, personId: pair.personId, proposalId },
                });
                setMatchId(match.id);
              })
            }
          >
            {t('proposal.accept')}
          </button>
        </div>
      )}
    </article>
  );
}
