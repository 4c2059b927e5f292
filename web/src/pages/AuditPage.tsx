import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, itemsOf } from '../api';
import { DetailsSummary } from '../components/DetailsSummary';
import { SelectField, TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { PagedTable } from '../components/PagedTable';
import { Pagination } from '../components/Pagination';
import { actionLabel, KNOWN_ACTIONS, shortId } from '../format';
import type { ApiAnswer } from '../data/client';
import { type Loadable, useApiMutation, useApiQuery } from '../data/queries';
import { formatDateTime, formatNumber, useLang, useT } from '../i18n';
import type { AuditEntry, FailedJob } from '../types';
import { TableScroll } from '../components/TableScroll';

const PAGE_SIZE = 50;
const MAIL_PAGE_SIZE = 20;

type Filters = { personId: string; actorId: string; action: string };

export function AuditPage() {
  const t = useT();
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const applied: Filters = {
    personId: params.get('personId') ?? '',
    actorId: params.get('actorId') ?? '',
    action: params.get('action') ?? '',
  };
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const [draft, setDraft] = useState<Filters>(applied);
  const appliedKey = JSON.stringify(applied);
  useEffect(() => setDraft(JSON.parse(appliedKey) as Filters), [appliedKey]);

  const audit = useApiQuery('/api/audit', { params: { query: { ...applied, limit: PAGE_SIZE, offset } } });
  const staff = useApiQuery('/api/staff');

  function apply(filters: Filters, nextOffset = 0) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value.trim()) search.set(key, value.trim());
    if (nextOffset) search.set('offset', String(nextOffset));
    setParams(search);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    apply(draft);
  }

  const set = (key: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <form onSubmit={submit} className="filters" aria-label={t('audit.filters')}>
        <TextField
          label={t('audit.personId')}
          name="personId"
          value={draft.personId}
          onChange={set('personId')}
          autoComplete="off"
        />
        <SelectField
          label={t('audit.actor')}
          name="actorId"
          value={draft.actorId}
          onChange={set('actorId')}
          placeholder={t('audit.actorAny')}
          options={(staff.data ? itemsOf(staff.data) : []).map((s) => ({
            value: s.id,
            label: `${s.name} <${s.email}>`,
          }))}
        />
        <TextField
          label={t('audit.action')}
          name="action"
          list="audit-actions"
          value={draft.action}
          onChange={set('action')}
          autoComplete="off"
        />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {actionLabel(t, a)}
            </option>
          ))}
        </datalist>
        <div className="button-row">
          <button type="submit">{t('audit.apply')}</button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setDraft({ personId: '', actorId: '', action: '' });
              apply({ personId: '', actorId: '', action: '' });
            }}
          >
            {t('audit.clear')}
          </button>
        </div>
      </form>

      {audit.error && <ErrorAlert onRetry={audit.reload}>{audit.error.message}</ErrorAlert>}
      {audit.loading && !audit.data && <Loading />}
      {audit.data && (
        <section aria-busy={audit.loading}>
          <p role="status" className="result-count">
            {t('audit.resultCount', { total: formatNumber(audit.data.total, lang) })}
          </p>
          {audit.data.items.length > 0 && (
            <TableScroll label={t('audit.tableCaption')}>
              <table className="audit-table">
                <caption className="visually-hidden">{t('audit.tableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.at')}</th>
                    <th scope="col">{t('audit.actor')}</th>
                    <th scope="col">{t('audit.action')}</th>
                    <th scope="col">{t('audit.entity')}</th>
                    <th scope="col">{t('audit.person')}</th>
                    <th scope="col">{t('audit.ip')}</th>
                    <th scope="col">{t('audit.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {itemsOf(audit.data).map((entry) => (
                    <AuditRow key={entry.id} entry={entry} />
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pagination
            offset={offset}
            limit={PAGE_SIZE}
            total={audit.data.total}
            onChange={(next) => apply(applied, next)}
          />
        </section>
      )}
      <UndeliveredMailSection />
      <HeldMailSection />
      <FailedJobsSection />
    </>
  );
}

/** The two lists of outgoing mail; each answers a page of its own kind of item. */
type MailListPath = '/api/mail/undelivered' | '/api/mail/held';
type MailListItem<P extends MailListPath> = ApiAnswer<'get', P>['items'][number];

type MailListProps<P extends MailListPath> = {
  title: string;
  help: string;
  caption: string;
  path: P;
  columns: string[];
  row: (item: MailListItem<P>) => ReactNode;
  /** Shown under the list while the section is open. */
  children?: ReactNode;
};

/**
 * A closed section listing outgoing mail, loaded only when opened: the lists show addresses, and
 * every look at one is itself an audit entry.
 */
function MailListSection<P extends MailListPath>({
  title,
  help,
  caption,
  path,
  columns,
  row,
  children,
}: MailListProps<P>) {
  const t = useT();
  const { lang } = useLang();
  const [open, setOpen] = useState(false);
  const [offset, setOffset] = useState(0);
  // The answer's item type follows the path P; the union of both paths' answers is narrowed back to it.
  const list = useApiQuery(
    path as MailListPath,
    { params: { query: { limit: MAIL_PAGE_SIZE, offset } } },
    { enabled: open },
  ) as Loadable<{ items: MailListItem<P>[]; total: number }>;
  return (
    <details className="undelivered-mail" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>{title}</h2>
      </summary>
      <p className="muted">{help}</p>
      {open && (
        <PagedTable
          list={list}
          offset={offset}
          limit={MAIL_PAGE_SIZE}
          count={(total) => t('mail.undelivered.count', { total: formatNumber(total, lang) })}
          caption={caption}
          columns={columns}
          row={row}
          onPage={setOffset}
        />
      )}
      {open && children}
    </details>
  );
}

/** Mail that does not leave (GET /api/mail/undelivered): given up, or queued for too long. */
function UndeliveredMailSection() {
  const t = useT();
  const { lang } = useLang();
  return (
    <MailListSection
      title={t('mail.undelivered.title')}
      help={t('mail.undelivered.help')}
      caption={t('mail.undelivered.caption')}
      path="/api/mail/undelivered"
      columns={[
        t('mail.undelivered.createdAt'),
        t('mail.undelivered.kind'),
        t('mail.undelivered.to'),
        t('mail.undelivered.status'),
        t('mail.undelivered.attempts'),
        t('mail.undelivered.lastError'),
      ]}
      row={(mail) => (
        <tr key={mail.id}>
          <td className="nowrap">
            <time dateTime={mail.createdAt}>{formatDateTime(mail.createdAt, lang)}</time>
          </td>
          <td>{t(`mail.kind.${mail.kind}`)}</td>
          <td>{mail.to}</td>
          <td>
            {mail.status === 'failed'
              ? t('mail.status.failed')
              : t('mail.status.queued', { at: formatDateTime(mail.nextAttemptAt, lang) })}
          </td>
          <td>{formatNumber(mail.attempts, lang)}</td>
          <td>{mail.lastError ?? t('common.none')}</td>
        </tr>
      )}
    />
  );
}

/**
 * Mail held because Kankei has no mail server (SMTP_URL unset: a demo or a trial). Its links are
 * live, so the text is fetched one mail at a time, on request, and each read is audited.
 */
function HeldMailSection() {
  const t = useT();
  const { lang } = useLang();
  const [shown, setShown] = useState<string | null>(null);
  const mail = useApiQuery(
    '/api/mail/held/{id}',
    { params: { path: { id: shown ?? '' } } },
    { enabled: shown !== null },
  );
  return (
    <MailListSection
      title={t('mail.held.title')}
      help={t('mail.held.help')}
      caption={t('mail.held.caption')}
      path="/api/mail/held"
      columns={[
        t('mail.undelivered.createdAt'),
        t('mail.undelivered.kind'),
        t('mail.undelivered.to'),
        t('mail.held.subject'),
        t('mail.held.text'),
      ]}
      row={(item) => (
        <tr key={item.id}>
          <td className="nowrap">
            <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, lang)}</time>
          </td>
          <td>{t(`mail.kind.${item.kind}`)}</td>
          <td>{item.to}</td>
          <td>{item.subject}</td>
          <td>
            <button
              type="button"
              className="secondary"
              aria-expanded={shown === item.id}
              onClick={() => setShown(shown === item.id ? null : item.id)}
            >
              {shown === item.id ? t('mail.held.hide') : t('mail.held.show')}
            </button>
          </td>
        </tr>
      )}
    >
      {shown && (
        <section aria-label={t('mail.held.text')} aria-busy={mail.loading}>
          {mail.error && <ErrorAlert onRetry={mail.reload}>{mail.error.message}</ErrorAlert>}
          {mail.data && (
            <>
              <h3>{mail.data.subject}</h3>
              <pre className="mail-text">{mail.data.text}</pre>
            </>
          )}
        </section>
      )}
    </MailListSection>
  );
}

/**
 * Background jobs whose retries are spent (GET /api/admin/jobs?state=failed), each with a button
 * that runs it once more. Payloads hold ids and codes only, so the list is not audited; a retry is.
 */
function FailedJobsSection() {
  const t = useT();
  const { lang } = useLang();
  const [open, setOpen] = useState(false);
  const [offset, setOffset] = useState(0);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [retried, setRetried] = useState<string | null>(null);
  const [retryError, setRetryError] = useState<string | null>(null);
  const list = useApiQuery(
    '/api/admin/jobs',
    { params: { query: { state: 'failed', limit: MAIL_PAGE_SIZE, offset } } },
    { enabled: open },
  );
  const retryJob = useApiMutation('post', '/api/admin/jobs/{id}/retry', { invalidates: ['/api/admin/jobs'] });

  async function retry(job: FailedJob) {
    setRetrying(job.id);
    setRetried(null);
    setRetryError(null);
    try {
      await retryJob.send({ params: { path: { id: job.id } } });
      setRetried(job.name);
    } catch (cause) {
      setRetryError(ApiError.from(cause).message);
    } finally {
      setRetrying(null);
    }
  }

  return (
    <details className="undelivered-mail" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>{t('jobs.failed.title')}</h2>
      </summary>
      <p className="muted">{t('jobs.failed.help')}</p>
      {retried && <StatusMessage>{t('jobs.failed.retried', { name: retried })}</StatusMessage>}
      {retryError && <ErrorAlert>{retryError}</ErrorAlert>}
      {open && (
        <PagedTable
          list={list}
          offset={offset}
          limit={MAIL_PAGE_SIZE}
          count={(total) => t('jobs.failed.count', { total: formatNumber(total, lang) })}
          caption={t('jobs.failed.caption')}
          columns={[
            t('jobs.failed.failedAt'),
            t('jobs.failed.name'),
            t('jobs.failed.payload'),
            t('jobs.failed.attempts'),
            t('jobs.failed.lastError'),
            t('jobs.failed.retry'),
          ]}
          row={(job) => (
            <tr key={job.id}>
              <td className="nowrap">
                <time dateTime={job.failedAt}>{formatDateTime(job.failedAt, lang)}</time>
              </td>
              <td>
                <code>{job.name}</code>{' '}
                <code className="muted" title={job.id}>
                  {shortId(job.id)}
                </code>
              </td>
              <td>
                <code>
                  {Object.entries(job.payload)
                    .map(([key, value]) => `${key}: ${String(value)}`)
                    .join(', ')}
                </code>
              </td>
              <td>{formatNumber(job.attempts, lang)}</td>
              <td>{job.lastError ?? t('common.none')}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  disabled={retrying !== null}
                  onClick={() => void retry(job)}
                >
                  {t('jobs.failed.retry')}
                </button>
              </td>
            </tr>
          )}
          onPage={setOffset}
        />
      )}
    </details>
  );
}

const ENTITY_TYPES = [
  'person',
  'staff',
  'event',
  'event_registration',
  'consultation',
  'case',
  'referral',
  'followup',
  'followup_rule',
  'engagement',
  'card',
  'signing_key',
  'registration',
  'certification',
  'api_token',
  'job',
  'mail',
  'organization',
  'analytics',
] as const;

/** The kind of record an entry is about, as a word (人, 職員, イベント); an unknown kind as recorded. */
function entityLabel(t: ReturnType<typeof useT>, type: string | null): string {
  if (!type) return t('common.none');
  const known = ENTITY_TYPES.find((k) => k === type);
  return known ? t(`audit.entity.${known}`) : type;
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const { lang } = useLang();
  const label = actionLabel(t, entry.action);
  return (
    <tr>
      <td className="nowrap">
        <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
      </td>
      <td>{entry.actor ? <span title={entry.actor.email}>{entry.actor.name}</span> : t('person.systemActor')}</td>
      <td>
        {/* The word when the action is known; the recorded code otherwise, never hidden. */}
        {label !== entry.action ? (
          <span title={entry.action}>{label}</span>
        ) : (
          <code className="action-code">{label}</code>
        )}
      </td>
      <td>
        {entityLabel(t, entry.entityType)}
        {entry.entityId && (
          <code className="muted" title={entry.entityId}>
            {' '}
            {shortId(entry.entityId)}
          </code>
        )}
      </td>
      <td>
        {entry.personId ? (
          <Link to={`/people/${encodeURIComponent(entry.personId)}`} title={entry.personId}>
            <code>{shortId(entry.personId)}</code>
          </Link>
        ) : (
          t('common.none')
        )}
      </td>
      <td className="nowrap" title={entry.userAgent ?? undefined}>
        {entry.ip ?? t('common.none')}
      </td>
      <td>
        <DetailsSummary details={entry.details} t={t} />
      </td>
    </tr>
  );
}
