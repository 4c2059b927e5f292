import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { TextField } from '../components/Fields';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { ErrorAlert, Loading } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { useT } from '../i18n';

/** Only paths inside the app are followed after login, never an absolute URL from the state. */
function safeReturnPath(state: unknown): string {
  const from =
    typeof state === 'object' && state !== null && 'from' in state ? (state as { from: unknown }).from : null;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login')
    ? from
    : '/';
}

export function LoginPage() {
  const t = useT();
  const auth = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  if (auth.status === 'loading') return <Loading />;
  if (auth.status === 'signedIn' && !submitting) return <Navigate to={safeReturnPath(location.state)} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSubmitting(true);
    try {
      await auth.login(email.trim(), password);
      navigate(safeReturnPath(location.state), { replace: true });
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : String(cause));
      setSubmitting(false);
    }
  }

  return (
    <div className="login-page">
      <header className="login-header">
        <span className="app-name">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-main">
        <PageTitle>{t('login.title')}</PageTitle>
        <p>{t('login.intro')}</p>
        {error && <ErrorAlert>{error}</ErrorAlert>}
        <form onSubmit={submit} className="stack">
          <TextField
            label={t('login.email')}
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <TextField
            label={t('login.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit" disabled={submitting}>
            {submitting ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
