/**
 * The page behind a mail's unsubscribe link (/unsubscribe?token=…): which mails the link stops and
 * one button that withdraws the consent (POST /api/public/unsubscribe, as RFC 8058's one click).
 * Opening the page withdraws nothing, since mail scanners open links on their own.
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { callApi } from '../../data/client';
import { useApiQuery } from '../../data/queries';
import { useT } from '../../i18n';

export function UnsubscribePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const t = useT();
  const info = useApiQuery(
    '/api/public/unsubscribe/info',
    { params: { query: { token } } },
    { redirectOn401: false, enabled: token !== '' },
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  if (!token || info.error)
    return (
      <>
        <PageTitle>{t('unsubscribe.title')}</PageTitle>
        <ErrorAlert onRetry={info.error && info.error.status !== 404 ? info.reload : undefined}>
          {!token || info.error?.status === 404 || info.error?.status === 400
            ? t('unsubscribe.notFound')
            : info.error?.message}
        </ErrorAlert>
      </>
    );
  if (!info.data) return <Loading />;
  const s = info.data;
  const what = t(s.purpose === 'newsletter' ? 'unsubscribe.purpose.newsletter' : 'unsubscribe.purpose.scouting');

  async function send() {
    setBusy(true);
    setFailure(null);
    try {
      await callApi(
        'post',
        '/api/public/unsubscribe',
        { params: { query: { token } }, body: { 'List-Unsubscribe': 'One-Click' } },
        { redirectOn401: false },
      );
      info.reload();
    } catch (cause) {
      setFailure(ApiError.from(cause).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('unsubscribe.title')}</PageTitle>
      <section className="card stack" aria-labelledby="unsubscribe-what">
        <h2 id="unsubscribe-what">{what}</h2>
        <p>{t('unsubscribe.from', { name: s.organization.name })}</p>
        {s.subscribed ? (
          <>
            <p>{t('unsubscribe.question', { what })}</p>
            {failure && <ErrorAlert>{failure}</ErrorAlert>}
            <button type="button" disabled={busy} onClick={() => void send()}>
              {busy ? t('unsubscribe.sending') : t('unsubscribe.button')}
            </button>
          </>
        ) : (
          <StatusMessage>{t('unsubscribe.done', { what })}</StatusMessage>
        )}
        {s.organization.contact && (
          <p className="hint pre-wrap">{t('unsubscribe.contact', { contact: s.organization.contact })}</p>
        )}
      </section>
    </>
  );
}
