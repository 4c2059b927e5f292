import { useState, type FormEvent } from 'react';
import { useLocation } from 'react-router';
import { ApiError } from '../../api';
import { callApi } from '../../data/client';
import { TextField } from '../../components/Fields';
import { ErrorAlert, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { flashFrom } from '../../flash';
import { useLang, useT } from '../../i18n';

/** Sign-in for supporters: no password, a one-time link by mail. */
export function MeLoginPage() {
  const t = useT();
  const location = useLocation();
  const flash = flashFrom(location.state);
  return (
    <>
      <PageTitle>{t('me.loginTitle')}</PageTitle>
      {flash && <StatusMessage>{flash}</StatusMessage>}
      <SupporterSignInForm />
    </>
  );
}

/**
 * Asks for a sign-in link. The answer is the same whether or not the address is registered, so
 * the form cannot be used to find out who is.
 */
export function SupporterSignInForm() {
  const t = useT();
  const { lang } = useLang();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await callApi(
        'post',
        '/api/public/sign-in',
        { body: { email: email.trim(), locale: lang } },
        { redirectOn401: false },
      );
      setSent(true);
    } catch (cause) {
      setError(ApiError.from(cause));
    } finally {
      setBusy(false);
    }
  }

  if (sent) {
    return (
      <div className="card stack">
        <StatusMessage>{t('me.linkSent')}</StatusMessage>
        <p className="hint">{t('me.linkSentHint')}</p>
        <button type="button" className="button-secondary" onClick={() => setSent(false)}>
          {t('me.sendAgain')}
        </button>
      </div>
    );
  }
  return (
    <div className="card stack">
      <p>{t('me.loginIntro')}</p>
      {error && !error.fields && <ErrorAlert>{error.message}</ErrorAlert>}
      <form onSubmit={submit} className="stack" noValidate>
        <TextField
          label={t('register.email')}
          type="email"
          name="email"
          inputMode="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error?.fields?.email}
        />
        <button type="submit" className="button-large" disabled={busy || email.trim() === ''}>
          {t('me.sendLink')}
        </button>
      </form>
    </div>
  );
}
