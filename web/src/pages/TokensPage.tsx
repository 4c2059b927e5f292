import { useRef, useState, type FormEvent } from 'react';
import { itemsOf } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { useAction } from '../hooks';
import { useApiMutation, useApiQuery } from '../data/queries';
import { formatDateTime, useLang, useT } from '../i18n';
import type { ApiToken, CreatedToken } from '../types';
import { TableScroll } from '../components/TableScroll';

export function TokensPage() {
  const t = useT();
  const tokens = useApiQuery('/api/auth/tokens');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <>
      <PageTitle>{t('tokens.title')}</PageTitle>
      <p>{t('tokens.intro')}</p>
      {message && <StatusMessage>{message}</StatusMessage>}
      {created && <NewTokenPanel token={created} onDismiss={() => setCreated(null)} />}
      {tokens.error && <ErrorAlert onRetry={tokens.reload}>{tokens.error.message}</ErrorAlert>}
      {tokens.loading && !tokens.data && <Loading />}
      {tokens.data && (
        <TokenTable tokens={itemsOf(tokens.data)} onRevoked={(name) => setMessage(t('tokens.revokedDone', { name }))} />
      )}
      <CreateTokenForm
        onCreated={(token) => {
          setMessage(null);
          setCreated(token);
        }}
      />
    </>
  );
}

function tokenStatus(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}

function TokenTable({ tokens, onRevoked }: { tokens: ApiToken[]; onRevoked: (name: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const [pending, setPending] = useState<ApiToken | null>(null);
  const { busy, error, run, reset } = useAction();
  const revokeToken = useApiMutation('delete', '/api/auth/tokens/{id}', { invalidates: ['/api/auth/tokens'] });

  async function revoke() {
    if (!pending) return;
    if (await run(() => revokeToken.send({ params: { path: { id: pending.id } } }))) {
      onRevoked(pending.name);
      setPending(null);
    }
  }

  if (tokens.length === 0) return <p>{t('common.noResults')}</p>;
  return (
    <section className="card">
      <TableScroll label={t('tokens.listCaption')}>
        <table>
          <caption>{t('tokens.listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.createdAt')}</th>
              <th scope="col">{t('tokens.lastUsedAt')}</th>
              <th scope="col">{t('tokens.expiresAt')}</th>
              <th scope="col">{t('tokens.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tokens.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => {
              const status = tokenStatus(token);
              return (
                <tr key={token.id} className={status === 'active' ? undefined : 'row-disabled'}>
                  <th scope="row">{token.name}</th>
                  <td className="nowrap">{formatDateTime(token.createdAt, lang)}</td>
                  <td className="nowrap">
                    {token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : t('tokens.never')}
                  </td>
                  <td className="nowrap">
                    {token.expiresAt ? formatDateTime(token.expiresAt, lang) : t('tokens.never')}
                  </td>
                  <td>{t(`tokens.${status}`)}</td>
                  <td>
                    {status === 'active' && (
                      <button
                        type="button"
                        className="button-danger"
                        aria-label={t('tokens.revokeLabel', { name: token.name })}
                        onClick={() => setPending(token)}
                      >
                        {t('tokens.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <ConfirmDialog
        open={pending !== null}
        title={t('tokens.revokeTitle')}
        confirmLabel={t('tokens.revoke')}
        danger
        busy={busy}
        onConfirm={revoke}
        onCancel={() => {
          setPending(null);
          reset();
        }}
      >
        <p>{t('tokens.revokeBody', { name: pending?.name ?? '' })}</p>
        {error && <ErrorAlert>{error}</ErrorAlert>}
      </ConfirmDialog>
    </section>
  );
}

/** The secret is only returned once by the server, so it is shown here until dismissed. */
function NewTokenPanel({ token, onDismiss }: { token: CreatedToken; onDismiss: () => void }) {
  const t = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopyState('copied');
    } catch {
      // Clipboard access needs a secure context and permission; fall back to selecting the text.
      inputRef.current?.select();
      setCopyState('failed');
    }
  }

  return (
    <section aria-labelledby="new-token-heading" className="card card-highlight">
      <h2 id="new-token-heading">{t('tokens.newToken', { name: token.name })}</h2>
      <p role="alert">{t('tokens.newTokenWarning')}</p>
      <div className="inline-form">
        <TextField
          ref={inputRef}
          label={t('tokens.tokenValue')}
          readOnly
          value={token.token}
          className="token-value"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          {t('tokens.copy')}
        </button>
        <button type="button" className="button-secondary" onClick={onDismiss}>
          {t('common.close')}
        </button>
      </div>
      {copyState === 'copied' && <StatusMessage>{t('tokens.copied')}</StatusMessage>}
      {copyState === 'failed' && <ErrorAlert>{t('tokens.copyFailed')}</ErrorAlert>}
    </section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const { busy: saving, error, fieldErrors, run } = useAction();
  const createToken = useApiMutation('post', '/api/auth/tokens', { invalidates: ['/api/auth/tokens'] });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body: { name: string; expiresInDays?: number } = { name: name.trim() };
    if (days.trim() !== '') body.expiresInDays = Number(days);
    await run(async () => {
      const created = await createToken.send({ body });
      setName('');
      setDays('');
      onCreated(created);
    });
  }

  return (
    <section aria-labelledby="create-token-heading" className="card">
      <h2 id="create-token-heading">{t('tokens.createTitle')}</h2>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <form onSubmit={submit} noValidate className="stack">
        <div className="grid-2">
          <TextField
            label={t('tokens.name')}
            required
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldErrors.name}
            autoComplete="off"
          />
          <TextField
            label={t('tokens.expiresInDays')}
            hint={t('tokens.expiresInDaysHint')}
            type="number"
            min={1}
            name="expiresInDays"
            value={days}
            onChange={(e) => setDays(e.target.value)}
            error={fieldErrors.expiresInDays}
          />
        </div>
        <div className="button-row">
          <button type="submit" disabled={saving}>
            {saving ? t('common.saving') : t('tokens.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
