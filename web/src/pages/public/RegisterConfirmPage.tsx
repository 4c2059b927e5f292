import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api';
import { ErrorAlert } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';

/**
 * The confirmation link from the mail. The registration is confirmed only when the person
 * presses the button: mail scanners open links on their own, and must not confirm anything.
 */
export function RegisterConfirmPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api('/api/public/registrations/confirm', { method: 'POST', body: { token }, redirectOn401: false });
      navigate('/me', { replace: true, state: { flash: t('register.confirmed') } });
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : String(cause));
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('register.confirmTitle')}</PageTitle>
      {!token ? (
        <ErrorAlert>{t('register.confirmNoToken')}</ErrorAlert>
      ) : (
        <div className="card stack">
          <p>{t('register.confirmBody')}</p>
          <button type="button" className="button-large" onClick={confirm} disabled={busy}>
            {busy ? t('register.confirming') : t('register.confirmButton')}
          </button>
        </div>
      )}
      {error && (
        <ErrorAlert>
          <p>{error}</p>
          <p>
            <Link to="/register">{t('register.startAgain')}</Link> · <Link to="/me/login">{t('me.signInInstead')}</Link>
          </p>
        </ErrorAlert>
      )}
    </>
  );
}
