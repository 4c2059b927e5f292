/**
 * The premium review queue (プレミアム登録の審査): applications to the caller's municipalities,
 * waiting ones first, each with the activity, the dated steps and the evidence files (opened in a
 * new tab; every opening audited). The municipality's own staff decide: approve, ask for more, or
 * refuse with a reason the applicant reads.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import { useUser } from '../auth';
import { TextAreaField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { useApiQuery } from '../data/queries';
import { formatDate } from '../format';
import { useMunicipalityName } from '../hooks';
import { useLang, useT } from '../i18n';
import type { PremiumQueueItem } from '../types';

export function PremiumReviewPage() {
  const t = useT();
  const queue = useApiQuery('/api/premium-applications', { params: { query: {} } });
  const [message, setMessage] = useState<string | null>(null);
  return (
    <>
      <PageTitle>{t('premiumReview.title')}</PageTitle>
      <p>{t('premiumReview.intro')}</p>
      {message && <StatusMessage>{message}</StatusMessage>}
      {queue.error && <ErrorAlert onRetry={queue.reload}>{queue.error.message}</ErrorAlert>}
      {queue.loading && !queue.data && <Loading />}
      {queue.data && queue.data.items.length === 0 && <p className="card">{t('premiumReview.none')}</p>}
      <ul className="plain-list stack">
        {queue.data?.items.map((item) => (
          <li key={item.id}>
            <ReviewCard
              item={item}
              onDecided={(text) => {
                setMessage(text);
                queue.reload();
              }}
            />
          </li>
        ))}
      </ul>
    </>
  );
}

function ReviewCard({ item, onDecided }: { item: PremiumQueueItem; onDecided: (message: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const name = useMunicipalityName();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const mayDecide =
    item.status === 'submitted' &&
    user?.role === 'municipality_staff' &&
    user.municipalityCode === item.municipalityCode;

  async function decide(decision: 'approve' | 'ask_more' | 'refuse') {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/registrations/${item.registrationId}/premium`, {
        method: 'POST',
        body: { decision, reviewMessage: reason },
      });
      onDecided(t(`premiumReview.done.${decision}`, { name: item.personName }));
    } catch (cause) {
      setError(ApiError.from(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card stack" aria-labelledby={`review-${item.id}`}>
      <h2 id={`review-${item.id}`}>
        <Link to={`/people/${item.personId}`}>{item.personName}</Link>（{name(item.municipalityCode)}）
      </h2>
      <p>
        <strong>{t(`premium.status.${item.status}`)}</strong>・{t(`premium.activity.${item.activity}`)}
      </p>
      <p className="prewrap">{item.activityDescription}</p>
      <ol className="plain-list">
        {item.steps.map((s) => (
          <li key={`${s.step}-${s.at}`}>
            {formatDate(s.at, lang)} {t(`premium.step.${s.step}`)}
            {s.message && `：${s.message}`}
          </li>
        ))}
      </ol>
      <h3>{t('premium.files')}</h3>
      <ul>
        {item.files.map((f) => (
          <li key={f.id}>
            <a href={`/api/premium-applications/${item.id}/files/${f.id}`} target="_blank" rel="noreferrer">
              {f.fileName}
            </a>{' '}
            <span className="muted">
              （{f.mediaType}, {Math.ceil(f.sizeBytes / 1024)} KB）
            </span>
          </li>
        ))}
      </ul>
      {error && <ErrorAlert>{error.message}</ErrorAlert>}
      {mayDecide && (
        <div className="stack">
          <TextAreaField
            label={t('premiumReview.reason')}
            hint={t('premiumReview.reasonHint')}
            rows={2}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={error?.fields?.reviewMessage}
          />
          <div className="button-row">
            <button type="button" disabled={busy} onClick={() => void decide('approve')}>
              {t('premiumReview.approve')}
            </button>
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void decide('ask_more')}>
              {t('premiumReview.askMore')}
            </button>
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void decide('refuse')}>
              {t('premiumReview.refuse')}
            </button>
          </div>
        </div>
      )}
    </article>
  );
}
