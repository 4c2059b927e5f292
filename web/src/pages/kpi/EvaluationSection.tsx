/**
 * The yearly evaluation of the fiscal year shown (prefecture and center): the prefecture's
 * assessment per indicator, the external committee's opinions, what still stops approval, the
 * approval itself (prefecture admin, behind a confirmation) and the report files. Once approved the
 * texts are read-only: the report, the public page and the open data show that approved version —
 * until the prefecture admin reopens it with a reason (behind a confirmation): back to draft,
 * unpublished until approved again.
 */
import { useState, type FormEvent } from 'react';
import { todayInTokyo } from '../../../../src/shared/dates';
import { useUser } from '../../auth';
import { ConfirmedAction } from '../../components/ConfirmedAction';
import { SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { useAction } from '../../hooks';
import { useLang, useT } from '../../i18n';

const EVALUATION = '/api/kpi/evaluations/{fiscalYear}' as const;

export function EvaluationSection({ fiscalYear, plan }: { fiscalYear: number; plan: string }) {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const query = plan ? { plan } : {};
  const evaluation = useApiQuery(EVALUATION, { params: { path: { fiscalYear }, query } });
  const approve = useApiMutation('post', '/api/kpi/evaluations/{fiscalYear}/approve', { invalidates: [EVALUATION] });
  const reopen = useApiMutation('post', '/api/kpi/evaluations/{fiscalYear}/reopen', { invalidates: [EVALUATION] });
  const [message, setMessage] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const e = evaluation.data;
  const approved = e?.state === 'approved';
  const report = (format: 'pdf' | 'xlsx') =>
    `/api/kpi/reports/${fiscalYear}?format=${format}${plan ? `&plan=${encodeURIComponent(plan)}` : ''}`;

  return (
    <section className="card" aria-labelledby="kpi-evaluation">
      <h2 id="kpi-evaluation">{t('kpi.eval.title', { fy: fiscalYear })}</h2>
      {evaluation.error && <ErrorAlert onRetry={evaluation.reload}>{evaluation.error.message}</ErrorAlert>}
      {!e && !evaluation.error && <Loading />}
      {message && <StatusMessage>{message}</StatusMessage>}
      {e && (
        <>
          <p>
            <span className={`status-pill status-${e.state}`} data-testid="kpi-eval-state">
              {t(`kpi.eval.state.${e.state}`)}
            </span>{' '}
            {e.approvedAt &&
              t('kpi.eval.approvedBy', {
                name: e.approvedBy ?? '',
                date: new Date(e.approvedAt).toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
                  timeZone: 'Asia/Tokyo',
                }),
              })}
          </p>
          <p className="actions">
            <a className="button button-secondary" href={report('pdf')} download>
              {t('kpi.eval.download', { format: 'PDF' })}
            </a>{' '}
            <a className="button button-secondary" href={report('xlsx')} download>
              {t('kpi.eval.download', { format: 'Excel' })}
            </a>{' '}
            {approved && <a href={`/kpi/public?fy=${fiscalYear}`}>{t('kpi.eval.publicPage')}</a>}
          </p>
          {e.indicators.map((i) => (
            <CommentaryEditor
              // Kept across saves (the text typed is the text saved); a new year or plan starts afresh.
              key={`${fiscalYear}-${plan}-${i.code}-${e.state}`}
              fiscalYear={fiscalYear}
              plan={plan}
              code={i.code}
              label={i.label}
              text={i.commentary}
              readOnly={approved}
            />
          ))}
          <h3>{t('kpi.eval.opinions')}</h3>
          {e.opinions.length === 0 ? (
            <p>{t('kpi.eval.noOpinions')}</p>
          ) : (
            <ul className="plain-list" data-testid="kpi-opinions">
              {e.opinions.map((o) => (
                <li key={o.id}>
                  <strong>
                    {o.givenOn} {o.author}
                  </strong>
                  （
                  {o.indicatorCode
                    ? (e.indicators.find((i) => i.code === o.indicatorCode)?.label ?? '')
                    : t('kpi.eval.aboutPlan')}
                  ）
                  <br />
                  <span className="pre-wrap">{o.text}</span>
                </li>
              ))}
            </ul>
          )}
          {!approved && (
            <OpinionForm
              fiscalYear={fiscalYear}
              plan={plan}
              indicators={e.indicators}
              onDone={() => setMessage(t('kpi.eval.opinionAdded'))}
            />
          )}
          {!approved && e.approvalProblems.length > 0 && (
            <>
              <h3>{t('kpi.eval.problems')}</h3>
              <ul data-testid="kpi-approval-problems">
                {e.approvalProblems.map((p) => (
                  <li key={p.field}>{p.message}</li>
                ))}
              </ul>
            </>
          )}
          {!approved && user.role === 'prefecture_admin' && e.approvalProblems.length === 0 && (
            <ConfirmedAction
              label={t('kpi.eval.approve')}
              title={t('kpi.eval.approveTitle', { fy: fiscalYear })}
              confirmLabel={t('kpi.eval.approveConfirm')}
              action={() => approve.send({ params: { path: { fiscalYear }, query }, body: { confirm: true } })}
              onDone={() => setMessage(t('kpi.eval.approved'))}
            >
              <p>{t('kpi.eval.approveBody')}</p>
            </ConfirmedAction>
          )}
          {approved && user.role === 'prefecture_admin' && (
            <ConfirmedAction
              label={t('kpi.eval.reopen')}
              title={t('kpi.eval.reopenTitle', { fy: fiscalYear })}
              confirmLabel={t('kpi.eval.reopenConfirm')}
              action={() =>
                reopen.send({ params: { path: { fiscalYear }, query }, body: { confirm: true, reason: reason.trim() } })
              }
              onDone={() => {
                setReason('');
                setMessage(t('kpi.eval.reopened'));
              }}
            >
              <p>{t('kpi.eval.reopenBody')}</p>
              <TextAreaField
                label={t('kpi.eval.reopenReason')}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                required
              />
            </ConfirmedAction>
          )}
        </>
      )}
    </section>
  );
}

function CommentaryEditor({
  fiscalYear,
  plan,
  code,
  label,
  text,
  readOnly,
}: {
  fiscalYear: number;
  plan: string;
  code: string;
  label: string;
  text: string | null;
  readOnly: boolean;
}) {
  const t = useT();
  const [value, setValue] = useState(text ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, fieldErrors, run } = useAction();
  const save = useApiMutation('put', '/api/kpi/evaluations/{fiscalYear}/commentary/{code}', {
    invalidates: [EVALUATION],
  });
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const ok = await run(() =>
      save.send({
        params: { path: { fiscalYear, code: code as 'uij_movers' }, query: plan ? { plan } : {} },
        body: { text: value },
      }),
    );
    setSaved(ok);
  }
  if (readOnly)
    return (
      <div className="commentary">
        <h3>{t('kpi.eval.commentary', { label })}</h3>
        <p className="pre-wrap">{text ?? '—'}</p>
      </div>
    );
  return (
    <form className="commentary" onSubmit={submit}>
      <TextAreaField
        label={t('kpi.eval.commentary', { label })}
        hint={t('kpi.eval.commentaryHint')}
        error={fieldErrors.text}
        rows={4}
        maxLength={4000}
        value={value}
        onChange={(ev) => {
          setValue(ev.target.value);
          setSaved(false);
        }}
      />
      {error && !fieldErrors.text && <ErrorAlert>{error}</ErrorAlert>}
      <button type="submit" className="button-secondary" disabled={busy}>
        {t('kpi.eval.save')}
      </button>
      {saved && (
        <span role="status" className="hint">
          {' '}
          {t('kpi.eval.saved')}
        </span>
      )}
    </form>
  );
}

function OpinionForm({
  fiscalYear,
  plan,
  indicators,
  onDone,
}: {
  fiscalYear: number;
  plan: string;
  indicators: Array<{ code: string; label: string }>;
  onDone: () => void;
}) {
  const t = useT();
  const [givenOn, setGivenOn] = useState(todayInTokyo());
  const [author, setAuthor] = useState('');
  const [about, setAbout] = useState('');
  const [text, setText] = useState('');
  const { busy, error, fieldErrors, run } = useAction();
  const add = useApiMutation('post', '/api/kpi/evaluations/{fiscalYear}/opinions', { invalidates: [EVALUATION] });
  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await run(() =>
      add.send({
        params: { path: { fiscalYear }, query: plan ? { plan } : {} },
        body: { givenOn, author, indicatorCode: (about || null) as 'uij_movers' | null, text },
      }),
    );
    if (ok) {
      setText('');
      onDone();
    }
  }
  return (
    <form className="stack" onSubmit={submit} aria-label={t('kpi.eval.addOpinion')}>
      <TextField
        type="date"
        label={t('kpi.eval.givenOn')}
        required
        value={givenOn}
        error={fieldErrors.givenOn}
        onChange={(e) => setGivenOn(e.target.value)}
      />
      <TextField
        label={t('kpi.eval.author')}
        required
        maxLength={200}
        value={author}
        error={fieldErrors.author}
        onChange={(e) => setAuthor(e.target.value)}
      />
      <SelectField
        label={t('kpi.eval.about')}
        value={about}
        placeholder={t('kpi.eval.aboutPlan')}
        options={indicators.map((i) => ({ value: i.code, label: i.label }))}
        error={fieldErrors.indicatorCode}
        onChange={(e) => setAbout(e.target.value)}
      />
      <TextAreaField
        label={t('kpi.eval.text')}
        required
        rows={3}
        maxLength={4000}
        value={text}
        error={fieldErrors.text}
        onChange={(e) => setText(e.target.value)}
      />
      {error && Object.keys(fieldErrors).length === 0 && <ErrorAlert>{error}</ErrorAlert>}
      <button type="submit" disabled={busy}>
        {t('kpi.eval.addOpinion')}
      </button>
    </form>
  );
}
