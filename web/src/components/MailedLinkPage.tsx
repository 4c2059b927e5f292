import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { callApi } from '../data/client';
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
 * The server's answer that the link itself is no good (unknown, used, expired: LINK_INVALID, or
 * a malformed token): pressing again cannot help. Anything else (no connection, a server error,
 * too many requests) may work on a second press.
 */
const linkIsDead = (error: ApiError) => error.status === 400 || error.status === 404 || error.status === 410;

/**
 * A one-time link from a mail (confirm a registration, sign in). The token is redeemed only when
 * the person presses the button: mail scanners open links on their own and must not use them up.
 *
 * The page is in one state at a time: the button to press; or, once the server said the link is
 * used or expired, only that and what to do instead (no button left that can only fail again); or
 * a passing failure next to the button, which may be pressed again.
 */
export function MailedLinkPage({ title, noToken, body, button, busyButton, endpoint, next, recovery }: Props) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; dead: boolean } | null>(null);
  const deadRef = useRef<HTMLDivElement>(null);

  // The button that had focus is gone: take focus to the message that replaced it.
  useEffect(() => {
    if (failure?.dead) deadRef.current?.focus();
  }, [failure]);

  async function redeem() {
    setBusy(true);
    setFailure(null);
    try {
      await callApi('post', endpoint, { body: { token } }, { redirectOn401: false });
      navigate(next.to, { replace: true, ...(next.flash ? { state: { flash: next.flash } } : {}) });
    } catch (cause) {
      const error = ApiError.from(cause);
      setFailure({ message: error.message, dead: linkIsDead(error) });
      setBusy(false);
    }
  }

  if (!token || failure?.dead) {
    return (
      <>
        <PageTitle>{title}</PageTitle>
        <div ref={deadRef} tabIndex={-1} className="stack">
          <ErrorAlert>
            <p>{token ? failure?.message : noToken}</p>
            <p>{recovery}</p>
          </ErrorAlert>
        </div>
      </>
    );
  }

  return (
    <>
      <PageTitle>{title}</PageTitle>
      <div className="card stack">
        <p>{body}</p>
        <button type="button" className="button-large" onClick={redeem} disabled={busy}>
          {busy && busyButton ? busyButton : button}
        </button>
      </div>
      {failure && <ErrorAlert>{failure.message}</ErrorAlert>}
    </>
  );
}
