/**
 * The ticket (受付票) behind the link in the confirmation mail: the event, the booked slot, and the
 * check-in QR code to show at the door, big enough for a scanner at arm's length. The token rides
 * in the path; the page greets the registrant by their full name, as the ticket mail does. The
 * registrant can cancel here (after a confirmation), which frees the place at once.
 */
import { useState } from 'react';
import { useParams } from 'react-router';
import { ConfirmedAction } from '../../components/ConfirmedAction';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { svgDataUrl } from '../../components/SupporterCard';
import { callApi } from '../../data/client';
import { useApiQuery } from '../../data/queries';
import { eventTitle } from '../../format';
import { useLang, useT } from '../../i18n';
import { eventKindLabel, eventStatusLabel, formatEventTime, formatTime } from '../../vocab';

export function TicketPage() {
  const { token = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const ticket = useApiQuery(
    '/api/public/tickets/{token}',
    { params: { path: { token } } },
    {
      redirectOn401: false,
    },
  );
  const [justCancelled, setJustCancelled] = useState(false);

  if (ticket.error) {
    return (
      <>
        <PageTitle>{t('ticket.title')}</PageTitle>
        <ErrorAlert onRetry={ticket.error.status === 404 ? undefined : ticket.reload}>
          {ticket.error.status === 404 ? t('ticket.notFound') : ticket.error.message}
        </ErrorAlert>
      </>
    );
  }
  if (!ticket.data) return <Loading />;
  const { event: e, registration: r } = ticket.data;
  const qr = svgDataUrl(ticket.data.qrSvg);
  const cancelled = r.status === 'cancelled' || e.status === 'cancelled';
  return (
    <>
      <PageTitle>{t('ticket.title')}</PageTitle>
      {justCancelled && <StatusMessage>{t('ticket.cancelDone')}</StatusMessage>}
      <article className="card ticket" aria-labelledby="ticket-event">
        <p className="event-kind">{eventKindLabel(t, e.kind)}</p>
        <h2 id="ticket-event">{eventTitle(e, lang)}</h2>
        <p className="lead">{t('ticket.for', { name: r.name })}</p>
        {cancelled ? (
          <p className="alert alert-error">
            {e.status === 'cancelled' ? t('ticket.eventCancelled') : t('ticket.cancelled')}
          </p>
        ) : r.checkedIn ? (
          <p className="alert alert-success">{t('ticket.checkedIn', { time: formatTime(r.checkedInAt, lang) })}</p>
        ) : (
          qr && (
            <figure className="ticket-qr">
              <img src={qr} alt={t('ticket.qrAlt')} width={280} height={280} />
              <figcaption>{t('ticket.qrCaption')}</figcaption>
            </figure>
          )
        )}
        <dl className="details compact">
          <div>
            <dt>{t('events.when')}</dt>
            <dd>{formatEventTime(e.startsAt, e.endsAt, lang)}</dd>
          </div>
          {e.venue && (
            <div>
              <dt>{t('eventForm.venue')}</dt>
              <dd>{e.venue}</dd>
            </div>
          )}
          {e.onlineUrl && (
            <div>
              <dt>{t('eventForm.onlineUrl')}</dt>
              <dd className="break">
                <a href={e.onlineUrl} rel="noreferrer">
                  {e.onlineUrl}
                </a>
              </dd>
            </div>
          )}
          {r.slot && (
            <div>
              <dt>{t('ticket.slot')}</dt>
              <dd>
                {(lang === 'en' && r.slot.boothNameEn) || r.slot.boothName} {formatTime(r.slot.startsAt, lang)}–
                {formatTime(r.slot.endsAt, lang)}
              </dd>
            </div>
          )}
          {e.status !== 'published' && (
            <div>
              <dt>{t('events.status')}</dt>
              <dd>{eventStatusLabel(t, e.status)}</dd>
            </div>
          )}
        </dl>
        {!cancelled && (
          <div className="button-row">
            <a
              className="button button-secondary"
              href={`/api/public/tickets/${encodeURIComponent(token)}/ics`}
              download="kankei-event.ics"
            >
              {t('ticket.addToCalendar')}
            </a>
            {!r.checkedIn && (
              <CancelTicket
                token={token}
                title={eventTitle(e, lang)}
                onCancelled={() => {
                  setJustCancelled(true);
                  ticket.reload();
                }}
              />
            )}
          </div>
        )}
        <p className="hint">{t('ticket.keep')}</p>
      </article>
    </>
  );
}

/** The registrant's own cancellation, behind a confirmation: it frees the place for someone else. */
function CancelTicket({ token, title, onCancelled }: { token: string; title: string; onCancelled: () => void }) {
  const t = useT();
  return (
    <ConfirmedAction
      label={t('ticket.cancel')}
      title={t('ticket.cancelTitle')}
      confirmLabel={t('ticket.cancelConfirm')}
      dismissLabel={t('ticket.cancelKeep')}
      action={() =>
        callApi('post', '/api/public/tickets/{token}/cancel', { params: { path: { token } } }, { redirectOn401: false })
      }
      onDone={onCancelled}
    >
      <p>{t('ticket.cancelBody', { title })}</p>
    </ConfirmedAction>
  );
}
