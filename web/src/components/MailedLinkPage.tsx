import type { ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { callApi } from '../data/client';
import { useAction } from '../hooks';
import { ErrorAlert } from './Messages';
import { PageTitle } from './PageTitle';

type Props = {
  title: string;
  /** Shown when the page is opened without ?token= (a cut-off link). */
  noToken: string;
  body: string;
  button: string;
  busyButton?: string;
  /** The endpoint that redeems the token (POST {token}). */
  endpoint: '/api/public/registrations/confirm' | '/api/public/session';
  /** Where to go once redeemed, with an optional message for the next page. */
  next: { to: string; flash?: string };
  /** What to offer when the link no longer works (expired, used). */
  recovery: ReactNode;
};

/**
 * A one-time link from a mail (confirm a registration, sign in). The token is redeemed only when
 * the person presses the button: mail scanners open links on their own and must not use them up.
 */
export function MailedLinkPage({ title, noToken, body, button, busyButton, endpoint, next, recovery }: Props) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { busy, error, run } = useAction();

  async function redeem() {
    if (await run(() => callApi('post', endpoint, { body: { token } }, { redirectOn401: false }))) {
      navigate(next.to, { replace: true, ...(next.flash ? { state: { flash: next.flash } } : {}) });
    }
  }

  return (
    <>
      <PageTitle>{title}</PageTitle>
      {!token ? (
        <ErrorAlert>{noToken}</ErrorAlert>
      ) : (
        <div className="card stack">
          <p>{body}</p>
          <button type="button" className="button-large" onClick={redeem} disabled={busy}>
            {busy && busyButton ? busyButton : button}
          </button>
        </div>
      )}
      {error && (
        <ErrorAlert>
          <p>{error}</p>
          <p>{recovery}</p>
        </ErrorAlert>
      )}
    </>
  );
}
