/**
 * The page behind a scout mail's links (興味あり / 辞退): the project, the coordinator's message and
 * the two answers. The answer in the link (?answer=) is only preselected: it is recorded when the
 * person presses the button, since mail scanners open links on their own. Once answered, the page
 * says which answer stands (the server takes one answer only).
 */
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { callApi } from '../../data/client';
import { useApiQuery } from '../../data/queries';
import { formatDateTime, useLang, useT } from '../../i18n';

type Answer = 'interested' | 'declined';

export function ScoutReplyPage() {
  const { token = '' } = useParams();
  const [params] = useSearchParams();
  const t = useT();
  const { lang } = useLang();
  const scout = useApiQuery('/api/public/scouts/{token}', { params: { path: { token } } }, { redirectOn401: false });
  const [choice, setChoice] = useState<Answer>(params.get('answer') === 'declined' ? 'declined' : 'interested');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  if (scout.error)
    return (
      <>
        <PageTitle>{t('scoutReply.title')}</PageTitle>
        <ErrorAlert onRetry={scout.error.status === 404 ? undefined : scout.reload}>
          {scout.error.status === 404 ? t('scoutReply.notFound') : scout.error.message}
        </ErrorAlert>
      </>
    );
  if (!scout.data) return <Loading />;
  const s = scout.data;

  async function send() {
    setBusy(true);
    setFailure(null);
    try {
      await callApi(
        'post',
        '/api/public/scouts/{token}/reply',
        { params: { path: { token } }, body: { answer: choice } },
        { redirectOn401: false },
      );
      scout.reload();
    } catch (cause) {
      setFailure(ApiError.from(cause).message);
      // Answered meanwhile (another tab): show the answer that stands.
      scout.reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('scoutReply.title')}</PageTitle>
      <section className="card stack" aria-labelledby="scout-project">
        <h2 id="scout-project">{s.project.title}</h2>
        <p className="hint">{t('scoutReply.sentAt', { at: formatDateTime(s.sentAt, lang) })}</p>
        <p className="pre-wrap">{s.message}</p>
        {s.project.published && (
          <p>
            <Link to={`/projects/${encodeURIComponent(s.project.id)}`}>{t('scoutReply.projectPage')}</Link>
          </p>
        )}
      </section>
      {s.answer ? (
        <StatusMessage>
          {t(s.answer === 'interested' ? 'scoutReply.answeredInterested' : 'scoutReply.answeredDeclined')}
        </StatusMessage>
      ) : (
        <form
          className="card stack"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <fieldset>
            <legend>{t('scoutReply.question')}</legend>
            {(['interested', 'declined'] as const).map((a) => (
              <label key={a} className="choice">
                <input type="radio" name="answer" value={a} checked={choice === a} onChange={() => setChoice(a)} />{' '}
                {t(a === 'interested' ? 'scoutReply.interested' : 'scoutReply.declined')}
              </label>
            ))}
          </fieldset>
          {failure && <ErrorAlert>{failure}</ErrorAlert>}
          <button type="submit" disabled={busy}>
            {busy ? t('scoutReply.sending') : t('scoutReply.send')}
          </button>
        </form>
      )}
    </>
  );
}
