/**
 * The person's supporter cards for staff: list with state, issue or reissue (the server replaces
 * the current card), revoke with a reason. Hidden when the server has no cards API (404 on the
 * list route), so the person page works against an older server.
 */
import { useMemo, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { svgDataUrl } from '../../components/SupporterCard';
import {
  byCodeMap,
  CARD_REVOKE_REASONS,
  formatDate,
  joinList,
  municipalityLabel,
  revokeReasonLabel,
  shortId,
} from '../../format';
import { useAction, useMunicipalities } from '../../hooks';
import { oneOfOrNone } from '../../vocab';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { formatDateTime, useLang, useT } from '../../i18n';
import type { CardRecord, IssuedCard } from '../../types';

export function CardsPanel({ personId }: { personId: string }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const cards = useApiQuery('/api/people/{id}/cards', { params: { path: { id: personId } } });
  const [issued, setIssued] = useState<IssuedCard | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmIssue, setConfirmIssue] = useState(false);
  const [revoking, setRevoking] = useState<CardRecord | null>(null);
  const [reason, setReason] = useState<(typeof CARD_REVOKE_REASONS)[number] | ''>('');
  const { busy, error, run, reset } = useAction();
  const issueCard = useApiMutation('post', '/api/people/{id}/cards', { invalidates: ['/api/people/{id}/cards'] });
  const revokeCard = useApiMutation('post', '/api/cards/{id}/revoke', { invalidates: ['/api/people/{id}/cards'] });

  if (cards.error?.status === 404) return null;
  const items = cards.data?.items ?? [];
  const active = items.find((c) => c.status === 'active');

  async function issue() {
    setMessage(null);
    await run(async () => {
      setIssued(await issueCard.send({ params: { path: { id: personId } }, body: {} }));
      setMessage(t(active ? 'cards.reissued' : 'cards.issued'));
    });
    setConfirmIssue(false);
  }

  async function revoke() {
    if (!revoking || !reason) return;
    setMessage(null);
    await run(async () => {
      await revokeCard.send({ params: { path: { id: revoking.id } }, body: { reason } });
      setMessage(t('cards.revokedDone', { id: shortId(revoking.id) }));
      if (issued?.card.id === revoking.id) setIssued(null);
      setRevoking(null);
      setReason('');
    });
  }

  const qr = svgDataUrl(issued?.qrSvg);
  return (
    <section aria-labelledby="cards-heading" className="card">
      <h2 id="cards-heading">{t('cards.title')}</h2>
      {cards.error && <ErrorAlert onRetry={cards.reload}>{cards.error.message}</ErrorAlert>}
      {cards.loading && !cards.data && <Loading />}
      {message && <StatusMessage>{message}</StatusMessage>}
      {error && !revoking && <ErrorAlert>{error}</ErrorAlert>}
      {cards.data && items.length === 0 && <p>{t('cards.none')}</p>}
      {items.length > 0 && (
        <ul className="card-records">
          {items.map((c) => (
            <li key={c.id} className={c.status === 'active' ? 'card-record' : 'card-record card-record-inactive'}>
              <div className="card-record-head">
                <span className={`status-pill status-${c.status}`}>{t(`cards.status.${c.status}`)}</span>
                <span>
                  {t('card.number')} <code title={c.id}>{shortId(c.id)}</code>
                </span>
              </div>
              <dl className="inline-dl">
                <div>
                  <dt>{t('card.municipalities')}</dt>
                  <dd>
                    {joinList(
                      c.municipalityCodes.map((code) => municipalityLabel(byCode.get(code), code, lang)),
                      lang,
                    )}
                  </dd>
                </div>
                <div>
                  <dt>{t('card.validity')}</dt>
                  <dd>
                    {t('card.validRange', { from: formatDate(c.issuedAt, lang), to: formatDate(c.expiresAt, lang) })}
                  </dd>
                </div>
                {c.revokedAt && (
                  <div>
                    <dt>{t('cards.revokedAt')}</dt>
                    <dd>
                      {formatDateTime(c.revokedAt, lang)}
                      {c.revokeReason && ` · ${revokeReasonLabel(t, c.revokeReason)}`}
                    </dd>
                  </div>
                )}
              </dl>
              {c.status === 'active' && (
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={t('cards.revokeLabel', { id: shortId(c.id) })}
                  onClick={() => {
                    reset();
                    setRevoking(c);
                  }}
                >
                  {t('cards.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {cards.data && (
        <div className="button-row">
          <button type="button" onClick={() => (active ? setConfirmIssue(true) : void issue())} disabled={busy}>
            {active ? t('cards.reissue') : t('cards.issue')}
          </button>
        </div>
      )}
      {issued && (
        <div className="issued-card">
          {qr && <img className="supporter-card-qr" src={qr} alt={t('card.qrAlt')} width={160} height={160} />}
          <p>
            <a href={issued.verifyUrl} target="_blank" rel="noreferrer">
              {t('cards.openIssued')}
            </a>
          </p>
        </div>
      )}
      <ConfirmDialog
        open={confirmIssue}
        title={t('cards.reissueTitle')}
        confirmLabel={t('cards.reissue')}
        busy={busy}
        onConfirm={issue}
        onCancel={() => setConfirmIssue(false)}
      >
        <p>{t('cards.reissueBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={revoking !== null}
        title={t('cards.revokeTitle')}
        confirmLabel={t('cards.revoke')}
        danger
        busy={busy}
        confirmDisabled={!reason}
        onConfirm={revoke}
        onCancel={() => {
          setRevoking(null);
          setReason('');
          reset();
        }}
      >
        <p>{t('cards.revokeBody', { id: revoking ? shortId(revoking.id) : '' })}</p>
        {error && <ErrorAlert>{error}</ErrorAlert>}
        <SelectField
          label={t('cards.revokeReason')}
          required
          placeholder={t('common.select')}
          options={CARD_REVOKE_REASONS.map((r) => ({ value: r, label: revokeReasonLabel(t, r) }))}
          value={reason}
          onChange={(e) => setReason(oneOfOrNone(CARD_REVOKE_REASONS, e.target.value) ?? '')}
        />
      </ConfirmDialog>
    </section>
  );
}
