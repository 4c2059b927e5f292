/**
 * Checks a supporter card. A card's QR code opens `/verify#<token>`: the token rides in the
 * fragment, which browsers never send to a server; this page posts it to the verify API and
 * shows a verdict big enough to read at arm's length. No camera library: phones open the QR
 * link with their own camera app, and a paste field takes a token or the whole link.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api';
import { callApi } from '../../data/client';
import { TextAreaField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { CertificationBadges, useCardPlaces } from '../../components/SupporterCard';
import { formatDate, invalidReasonLabel, shortId } from '../../format';
import { useLang, useT } from '../../i18n';
import type { CardSummary, VerifyCardResult } from '../../types';

/** The token in what was pasted or opened: the part after #, or after token=, or the whole text. */
export function tokenFrom(text: string): string {
  let value = text.trim();
  const hash = value.indexOf('#');
  if (hash >= 0) value = value.slice(hash + 1);
  value = value.replace(/^token=/, '');
  try {
    value = decodeURIComponent(value);
  } catch {
    // Not percent-encoded after all; use it as it is.
  }
  return value.replace(/\s+/g, '');
}

type State =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'done'; result: VerifyCardResult }
  | { status: 'error'; error: ApiError };

export function VerifyPage() {
  const t = useT();
  const [state, setState] = useState<State>({ status: 'idle' });
  const [pasted, setPasted] = useState('');

  const verify = useCallback((token: string) => {
    if (!token) return;
    setState({ status: 'checking' });
    callApi('post', '/api/cards/verify', { body: { token } }, { redirectOn401: false })
      .then((result) => setState({ status: 'done', result }))
      .catch((cause: unknown) => setState({ status: 'error', error: ApiError.from(cause) }));
  }, []);

  useEffect(() => {
    const fromHash = () => {
      const token = tokenFrom(window.location.hash);
      if (!token) return;
      // The token stays out of the history and of anything shared from the address bar.
      window.history.replaceState(window.history.state, '', window.location.pathname);
      verify(token);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [verify]);

  function submit(event: FormEvent) {
    event.preventDefault();
    verify(tokenFrom(pasted));
  }

  return (
    <>
      <PageTitle>{t('verify.title')}</PageTitle>
      <div aria-live="polite">
        {state.status === 'checking' && <Loading />}
        {state.status === 'done' && <Verdict result={state.result} />}
      </div>
      {state.status === 'error' && <ErrorAlert>{state.error.message}</ErrorAlert>}
      {state.status === 'idle' && <p>{t('verify.intro')}</p>}
      <form onSubmit={submit} className="card stack">
        <TextAreaField
          label={t('verify.pasteLabel')}
          hint={t('verify.pasteHint')}
          name="token"
          rows={4}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
        />
        <button
          type="submit"
          className="button-large"
          disabled={tokenFrom(pasted) === '' || state.status === 'checking'}
        >
          {t('verify.check')}
        </button>
      </form>
    </>
  );
}

function Verdict({ result }: { result: VerifyCardResult }) {
  const t = useT();
  const headingId = useId();
  if (!result.valid) {
    const reason = invalidReasonLabel(t, result.reason);
    return (
      <section className="verdict-box verdict-invalid" aria-labelledby={headingId}>
        <h2 id={headingId} className="verdict">
          <span className="verdict-mark" aria-hidden="true">
            ✗
          </span>{' '}
          {t('verify.invalid')}
        </h2>
        <p className="verdict-reason">{reason ?? result.message}</p>
        {reason && result.message && result.message !== reason && <p>{result.message}</p>}
        <p className="hint">{t('verify.invalidHint')}</p>
      </section>
    );
  }
  return <ValidCard card={result.card} />;
}

function ValidCard({ card }: { card: CardSummary }) {
  const t = useT();
  const { lang } = useLang();
  const headingId = useId();
  const places = useCardPlaces(card);
  return (
    <section className="verdict-box verdict-valid" aria-labelledby={headingId}>
      <h2 id={headingId} className="verdict">
        <span className="verdict-mark" aria-hidden="true">
          ✓
        </span>{' '}
        {t('verify.valid')}
      </h2>
      <p className="verdict-name">{card.name}</p>
      <CertificationBadges certifications={card.certifications} />
      <dl className="details compact">
        <div>
          <dt>{t('card.municipalities')}</dt>
          <dd>{places}</dd>
        </div>
        <div>
          <dt>{t('card.expiresAt')}</dt>
          <dd>{formatDate(card.expiresAt, lang)}</dd>
        </div>
        <div>
          <dt>{t('card.issuedAt')}</dt>
          <dd>{formatDate(card.issuedAt, lang)}</dd>
        </div>
        <div>
          <dt>{t('card.number')}</dt>
          <dd>
            <code title={card.id}>{shortId(card.id)}</code>
          </dd>
        </div>
      </dl>
      <p className="hint">{t('verify.matchName')}</p>
    </section>
  );
}
