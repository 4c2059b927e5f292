/**
 * A regional issue as coordinators brush it up: the issue as it stands (version N), the status
 * moved forward with a button per allowed status (closing asks for the reason), every version with
 * what changed against the one before, comments, and the projects cut from it.
 */
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ISSUE_CLOSE_REASONS, ISSUE_STATUSES, type IssueStatus } from '../../../../src/shared/matching';
import { itemsOf } from '../../api';
import { canWorkWithPeople, useUser } from '../../auth';
import { SelectField, TextAreaField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { TableScroll } from '../../components/TableScroll';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { flashFrom } from '../../flash';
import { formatPeriod, joinList } from '../../format';
import { useAction, useMunicipalityName } from '../../hooks';
import { formatDateTime, type MessageKey, type Translate, useLang, useT } from '../../i18n';
import {
  issueCategoryLabel,
  issueCloseReasonLabel,
  issueStatusLabel,
  optionsOf,
  listSep,
  paren,
  projectStatusLabel,
} from '../../vocab';
import { isCoordinator } from './parts';

const FINAL: ReadonlySet<IssueStatus> = new Set(['self_running', 'closed']);

/** The statuses an issue may move to (matching's issues.rules.ts: forward only, steps may be skipped; closed apart). */
function nextStatuses(status: IssueStatus): IssueStatus[] {
  if (FINAL.has(status)) return [];
  const rank = ISSUE_STATUSES.indexOf(status);
  return ISSUE_STATUSES.filter((s, i) => s !== 'closed' && i > rank);
}

export function IssuePage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const location = useLocation();
  const placeName = useMunicipalityName();
  const [message, setMessage] = useState<string | null>(flashFrom(location.state));
  const issue = useApiQuery('/api/regional-issues/{id}', { params: { path: { id } } });

  if (issue.error) return <ErrorAlert onRetry={issue.reload}>{issue.error.message}</ErrorAlert>;
  if (!issue.data) return <Loading />;
  const i = issue.data;
  const none = t('common.none');
  const canEdit =
    canWorkWithPeople(user) && (user.role !== 'municipality_staff' || user.municipalityCode === i.municipalityCode);
  const takesProjects =
    ISSUE_STATUSES.indexOf(i.status) >= ISSUE_STATUSES.indexOf('published') && i.status !== 'closed';

  return (
    <>
      <div className="title-row">
        <PageTitle>{i.title}</PageTitle>
        {canEdit && !FINAL.has(i.status) && (
          <Link to={`/issues/${encodeURIComponent(i.id)}/edit`} className="button">
            {t('issue.brushUp')}
          </Link>
        )}
      </div>
      <p className="subtitle">
        {i.isDemo && `${t('matching.demo')} `}
        {issueStatusLabel(t, i.status)}
        {i.closeReason && paren(issueCloseReasonLabel(t, i.closeReason), lang)} · {t('issue.version', { n: i.version })}{' '}
        · {formatDateTime(i.updatedAt, lang)}
      </p>
      {message && <StatusMessage>{message}</StatusMessage>}

      <div className="person-columns">
        <section className="card" aria-labelledby="issue-about">
          <h2 id="issue-about">{t('issue.about')}</h2>
          <dl className="details">
            <div>
              <dt>{t('matching.municipality')}</dt>
              <dd>{placeName(i.municipalityCode)}</dd>
            </div>
            <div>
              <dt>{t('matching.category')}</dt>
              <dd>{issueCategoryLabel(t, i.category)}</dd>
            </div>
            <div>
              <dt>{t('issueForm.background')}</dt>
              <dd className="pre-wrap">{i.background ?? none}</dd>
            </div>
            <div>
              <dt>{t('matching.skills')}</dt>
              <dd>{i.skills.length ? joinList(i.skills, lang) : none}</dd>
            </div>
            <div>
              <dt>{t('matching.hoursPerMonth')}</dt>
              <dd>{i.hoursPerMonth === null ? none : t('matching.hours', { n: i.hoursPerMonth })}</dd>
            </div>
            <div>
              <dt>{t('matching.remotePercent')}</dt>
              <dd>{i.remotePercent === null ? none : t('matching.percent', { n: i.remotePercent })}</dd>
            </div>
            <div>
              <dt>{t('publicProject.period')}</dt>
              <dd>{i.periodStart || i.periodEnd ? formatPeriod(i.periodStart, i.periodEnd, lang) : none}</dd>
            </div>
            <div>
              <dt>{t('issueForm.contactOrganization')}</dt>
              <dd>{i.contactOrganization?.name ?? none}</dd>
            </div>
          </dl>
        </section>
        <section className="card stack" aria-labelledby="issue-status">
          <h2 id="issue-status">{t('issue.statusTitle')}</h2>
          <p className="hint">{t('issue.statusHint')}</p>
          {isCoordinator(user) && !FINAL.has(i.status) ? (
            <StatusForm
              issueId={i.id}
              status={i.status}
              onChanged={(status) => setMessage(`${t('matching.status')}: ${issueStatusLabel(t, status)}`)}
            />
          ) : (
            <p>{issueStatusLabel(t, i.status)}</p>
          )}
        </section>
      </div>

      <section className="card stack" aria-labelledby="issue-projects">
        <h2 id="issue-projects">{t('issue.projects')}</h2>
        {i.projects.length === 0 ? (
          <p>{t('matching.none')}</p>
        ) : (
          <ul>
            {i.projects.map((p) => (
              <li key={p.id}>
                <Link to={`/manage/projects/${encodeURIComponent(p.id)}`}>{p.title}</Link> (
                {projectStatusLabel(t, p.status)})
              </li>
            ))}
          </ul>
        )}
        {takesProjects ? (
          <p>
            <Link className="button" to={`/manage/projects/new?issue=${encodeURIComponent(i.id)}`}>
              {t('issue.newProject')}
            </Link>
          </p>
        ) : (
          <p className="hint">{t('issue.projectsNeedPublished')}</p>
        )}
      </section>

      <CommentsSection issueId={i.id} comments={i.comments} canComment={canEdit} />
      <HistorySection issueId={i.id} />
    </>
  );
}

function StatusForm({
  issueId,
  status,
  onChanged,
}: {
  issueId: string;
  status: IssueStatus;
  onChanged: (status: IssueStatus) => void;
}) {
  const t = useT();
  const [closeReason, setCloseReason] = useState('');
  const { busy, error, fieldErrors, run } = useAction();
  const change = useApiMutation('post', '/api/regional-issues/{id}/status', {
    invalidates: ['/api/regional-issues/{id}', '/api/regional-issues/{id}/versions', '/api/regional-issues'],
  });
  const move = async (to: IssueStatus) => {
    const ok = await run(() =>
      change.send({
        params: { path: { id: issueId } },
        body:
          to === 'closed'
            ? { status: to, closeReason: (closeReason || undefined) as (typeof ISSUE_CLOSE_REASONS)[number] }
            : { status: to },
      }),
    );
    if (ok) onChanged(to);
  };
  return (
    <div className="stack">
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <div className="button-row">
        {nextStatuses(status).map((s) => (
          <button key={s} type="button" disabled={busy} onClick={() => void move(s)}>
            {t('issue.moveTo', { status: issueStatusLabel(t, s) })}
          </button>
        ))}
      </div>
      <div className="inline-form">
        <SelectField
          label={t('issue.closeReason')}
          value={closeReason}
          placeholder={t('common.select')}
          options={optionsOf(ISSUE_CLOSE_REASONS, issueCloseReasonLabel, t)}
          onChange={(e) => setCloseReason(e.target.value)}
          error={fieldErrors['body.closeReason'] ?? fieldErrors.closeReason}
        />
        <button type="button" className="button-danger" disabled={busy} onClick={() => void move('closed')}>
          {t('issue.close')}
        </button>
      </div>
    </div>
  );
}

function CommentsSection({
  issueId,
  comments,
  canComment,
}: {
  issueId: string;
  comments: { id: string; body: string; author: string | null; createdAt: string }[];
  canComment: boolean;
}) {
  const t = useT();
  const { lang } = useLang();
  const [body, setBody] = useState('');
  const { busy, error, fieldErrors, run } = useAction();
  const add = useApiMutation('post', '/api/regional-issues/{id}/comments', {
    invalidates: ['/api/regional-issues/{id}'],
  });
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await run(() => add.send({ params: { path: { id: issueId } }, body: { body } }))) setBody('');
  }
  return (
    <section className="card stack" aria-labelledby="issue-comments">
      <h2 id="issue-comments">{t('issue.comments')}</h2>
      {comments.length === 0 ? (
        <p>{t('matching.none')}</p>
      ) : (
        <ol className="timeline">
          {comments.map((c) => (
            <li key={c.id}>
              <time dateTime={c.createdAt}>{formatDateTime(c.createdAt, lang)}</time>
              {c.author && <span className="muted"> · {c.author}</span>}
              <p className="pre-wrap">{c.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canComment && (
        <form onSubmit={submit} className="stack" noValidate>
          {error && !fieldErrors['body.body'] && <ErrorAlert>{error}</ErrorAlert>}
          <TextAreaField
            label={t('issue.commentLabel')}
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            error={fieldErrors['body.body'] ?? fieldErrors.body}
          />
          <div>
            <button type="submit" disabled={busy || body.trim() === ''}>
              {t('issue.commentAdd')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** A version's value in words: lists joined, codes in their labels, nothing as the em dash. */
function valueInWords(
  field: string,
  value: unknown,
  t: Translate,
  placeName: (code: string) => string,
  orgName: (id: string) => string,
): string {
  if (value === null || value === undefined || value === '') return t('common.none');
  if (Array.isArray(value)) return value.length ? value.map(String).join('、') : t('common.none');
  const text = String(value);
  switch (field) {
    case 'category':
      return issueCategoryLabel(t, text);
    case 'status':
      return issueStatusLabel(t, text);
    case 'closeReason':
      return issueCloseReasonLabel(t, text);
    case 'municipalityCode':
      return placeName(text);
    case 'contactOrganizationId':
      return orgName(text);
    default:
      return text;
  }
}

const FIELD_KEYS = new Set([
  'title',
  'category',
  'municipalityCode',
  'lat',
  'lon',
  'background',
  'skills',
  'hoursPerMonth',
  'remotePercent',
  'periodStart',
  'periodEnd',
  'contactOrganizationId',
  'status',
  'closeReason',
]);
const fieldLabel = (t: Translate, field: string) =>
  FIELD_KEYS.has(field) ? t(`issueField.${field}` as MessageKey) : field;

/** Every version, newest first; status changes invalidate this list, so it stays current. */
function HistorySection({ issueId }: { issueId: string }) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const versions = useApiQuery('/api/regional-issues/{id}/versions', { params: { path: { id: issueId } } });
  const organizations = useApiQuery('/api/organizations');
  const orgs = new Map((organizations.data ? itemsOf(organizations.data) : []).map((o) => [o.id, o.name]));
  const orgName = (orgId: string) => orgs.get(orgId) ?? orgId;
  const items = versions.data?.items ?? [];
  return (
    <section className="card stack" aria-labelledby="issue-history">
      <h2 id="issue-history">{t('issue.history')}</h2>
      <p className="hint">{t('issue.historyIntro')}</p>
      {versions.error && <ErrorAlert onRetry={versions.reload}>{versions.error.message}</ErrorAlert>}
      {versions.loading && !versions.data && <Loading />}
      <ol className="plain-list version-list">
        {items.map((v, index) => {
          const previous = items[index + 1];
          return (
            <li key={v.version}>
              <h3>
                {t('issue.versionBy', {
                  n: v.version,
                  date: formatDateTime(v.createdAt, lang),
                  author: v.author ?? t('common.none'),
                })}
              </h3>
              {!previous ? (
                <p>{t('issue.firstVersion')}</p>
              ) : (
                <TableScroll label={t('issue.versionBy', { n: v.version, date: '', author: '' })}>
                  <table>
                    <caption className="visually-hidden">
                      {t('issue.changed', { fields: v.changedFields.map((f) => fieldLabel(t, f)).join(listSep(lang)) })}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('issue.diffField')}</th>
                        <th scope="col">{t('issue.diffBefore')}</th>
                        <th scope="col">{t('issue.diffAfter')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {v.changedFields.map((f) => (
                        <tr key={f}>
                          <th scope="row">{fieldLabel(t, f)}</th>
                          <td className="diff-before pre-wrap">
                            {valueInWords(f, previous.snapshot[f], t, placeName, orgName)}
                          </td>
                          <td className="diff-after pre-wrap">
                            {valueInWords(f, v.snapshot[f], t, placeName, orgName)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
