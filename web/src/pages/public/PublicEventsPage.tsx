/** The public list of events (fairs, consultation days, seminars…) that are open for registration. */
import { Link } from 'react-router';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { useApiQuery } from '../../data/queries';
import { eventTitle } from '../../format';
import { formatNumber, useLang, useT } from '../../i18n';
import type { PublicEvent } from '../../types';
import { eventKindLabel, formatEventTime } from '../../vocab';

export function PublicEventsPage() {
  const t = useT();
  const list = useApiQuery('/api/public/events', undefined, { redirectOn401: false });
  return (
    <>
      <PageTitle>{t('publicEvents.title')}</PageTitle>
      <p>{t('publicEvents.intro')}</p>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <p className="card">{t('publicEvents.none')}</p>}
      <ul className="plain-list event-cards">
        {list.data?.items.map((e) => (
          <li key={e.id}>
            <EventCard event={e} />
          </li>
        ))}
      </ul>
    </>
  );
}

export function EventCard({ event: e, headingLevel = 2 }: { event: PublicEvent; headingLevel?: 2 | 3 }) {
  const t = useT();
  const { lang } = useLang();
  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  return (
    <article className="card event-card" aria-labelledby={`event-${e.id}`}>
      <p className="event-kind">{eventKindLabel(t, e.kind)}</p>
      <Heading id={`event-${e.id}`}>
        <Link to={`/events/${encodeURIComponent(e.id)}`}>{eventTitle(e, lang)}</Link>
      </Heading>
      <p className="event-when">{formatEventTime(e.startsAt, e.endsAt, lang)}</p>
      <p>{e.isOnline ? t('publicEvents.online') : (e.venue ?? '')}</p>
      <p className={e.isFull ? 'text-danger' : 'muted'}>
        {e.isFull
          ? t('publicEvents.full')
          : e.freePlaces === null
            ? t('publicEvents.open')
            : t('publicEvents.freePlaces', { count: formatNumber(e.freePlaces, lang) })}
      </p>
    </article>
  );
}
