import { Link, useLocation, useParams } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { useLang, useT } from '../../i18n';
import { formatTime } from '../../vocab';

type SentState = {
  email?: unknown;
  title?: unknown;
  alreadyRegistered?: unknown;
  slot?: { boothName?: unknown; startsAt?: unknown } | null;
};

/** After registering for an event: the ticket (QR code and calendar file) is on its way by mail. */
export function PublicEventSentPage() {
  const t = useT();
  const { lang } = useLang();
  const { id = '' } = useParams();
  const state = (useLocation().state ?? null) as SentState | null;
  const email = typeof state?.email === 'string' ? state.email : null;
  const title = typeof state?.title === 'string' ? state.title : null;
  const already = state?.alreadyRegistered === true;
  const slot =
    state?.slot && typeof state.slot.boothName === 'string' && typeof state.slot.startsAt === 'string'
      ? state.slot
      : null;
  return (
    <>
      <PageTitle>{already ? t('eventSent.alreadyTitle') : t('eventSent.title')}</PageTitle>
      <div className="card stack">
        {title && <p className="lead">{title}</p>}
        <p>{already ? t('eventSent.already') : t('eventSent.body')}</p>
        {slot && (
          <p>{t('eventSent.slot', { booth: String(slot.boothName), time: formatTime(String(slot.startsAt), lang) })}</p>
        )}
        <p className="lead">{email ? t('eventSent.mailTo', { email }) : t('eventSent.mail')}</p>
        <p>{t('eventSent.next')}</p>
        <p className="hint">{t('eventSent.noMail')}</p>
      </div>
      <p>
        <Link to={`/events/${encodeURIComponent(id)}`}>{t('eventSent.back')}</Link>
        {' · '}
        <Link to="/events">{t('eventSent.allEvents')}</Link>
      </p>
    </>
  );
}
