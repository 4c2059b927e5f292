import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api';
import { ErrorAlert } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';

/** The one-time sign-in link from the mail; used only when the person presses the button. */
export function MeSignInPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signIn() {
    setBusy(true);
    setError(null);
    try {
      await api('/api/public/session', { method: 'POST', body: { token }, redirectOn401: false });
      navigate('/me', { replace: true });
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : String(cause));
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('me.signInTitle')}</PageTitle>
      {!token ? (
        <ErrorAlert>{t('me.signInNoToken')}</ErrorAlert>
      ) : (
        <div className="card stack">
          <p>{t('me.signInBody')}</p>
          <button type="button" className="button-large" onClick={signIn} disabled={busy}>
            {t('me.signInButton')}
          </button>
        </div>
      )}
      {error && (
        <ErrorAlert>
          <p>{error}</p>
          <p>
            <Link to="/me/login">{t('me.requestNewLink')}</Link>
          </p>
        </ErrorAlert>
      )}
    </>
  );
}
