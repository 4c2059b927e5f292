/**
 * Events for staff: upcoming first by default (or everything from a chosen day), with kind,
 * status, registrations against capacity and check-ins, and the way to create a new one.
 */
import { Link, useSearchParams } from 'react-router';
import { EVENT_KINDS, EVENT_STATUSES } from '../../../../src/shared/domain';
import { todayInTokyo } from '../../../../src/shared/dates';
import { SelectField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT } from '../../i18n';
import { eventKindLabel, eventStatusLabel, formatEventTime, oneOfOrNone, optionsOf } from '../../vocab';
import { TableScroll } from '../../components/TableScroll';

const PAGE_SIZE = 20;

export function EventsListPage() {
  const t = useT();
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  // Upcoming (and today's) events unless another start day is chosen; "" shows all.
  const from = params.has('from') ? (params.get('from') ?? '') : todayInTokyo();
  const to = params.get('to') ?? '';
  const kind = params.get('kind') ?? '';
  const status = params.get('status') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useApiQuery('/api/events', {
    params: {
      query: {
        from,
        to: to || undefined,
        kind: oneOfOrNone(EVENT_KINDS, kind),
        status: oneOfOrNone(EVENT_STATUSES, status),
        limit: PAGE_SIZE,
        offset,
      },
    },
  });

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (key === 'from') next.set('from', value);
    else if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'offset') next.delete('offset');
    setParams(next);
  };

  return (
    <>
      <div className="title-row">
        <PageTitle>{t('events.title')}</PageTitle>
        <Link to="/manage/events/new" className="button">
          {t('events.new')}
        </Link>
      </div>
      <div className="filters">
        <TextField
          label={t('events.from')}
          hint={t('events.fromHint')}
          type="date"
          value={from}
          onChange={(e) => set('from', e.target.value)}
        />
        <TextField label={t('events.to')} type="date" value={to} onChange={(e) => set('to', e.target.value)} />
        <SelectField
          label={t('events.kind')}
          value={kind}
          placeholder={t('common.all')}
          options={optionsOf(EVENT_KINDS, eventKindLabel, t)}
          onChange={(e) => set('kind', e.target.value)}
        />
        <SelectField
          label={t('events.status')}
          value={status}
          placeholder={t('common.all')}
          options={optionsOf(EVENT_STATUSES, eventStatusLabel, t)}
          onChange={(e) => set('status', e.target.value)}
        />
      </div>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <section aria-busy={list.loading}>
          <p role="status" className="result-count">
            {t('events.count', { total: formatNumber(list.data.total, lang) })}
          </p>
          {list.data.items.length > 0 && (
            <TableScroll label={t('events.title')}>
              <table>
                <caption className="visually-hidden">{t('events.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('events.when')}</th>
                    <th scope="col">{t('events.eventTitle')}</th>
                    <th scope="col">{t('events.kind')}</th>
                    <th scope="col">{t('events.status')}</th>
                    <th scope="col" className="numeric">
                      {t('events.registered')}
                    </th>
                    <th scope="col" className="numeric">
                      {t('events.checkedIn')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((e) => (
                    <tr key={e.id} className={e.status === 'cancelled' ? 'row-disabled' : undefined}>
                      <td className="nowrap">{formatEventTime(e.startsAt, e.endsAt, lang)}</td>
                      <th scope="row">
                        <Link to={`/manage/events/${encodeURIComponent(e.id)}`}>{e.title}</Link>
                        {e.venue && <span className="cell-sub">{e.venue}</span>}
                      </th>
                      <td className="nowrap">{eventKindLabel(t, e.kind)}</td>
                      <td className="nowrap">{eventStatusLabel(t, e.status)}</td>
                      <td className="numeric nowrap">
                        {formatNumber(e.registeredCount, lang)}
                        {e.capacity !== null && ` / ${formatNumber(e.capacity, lang)}`}
                      </td>
                      <td className="numeric nowrap">{formatNumber(e.checkedInCount, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pagination
            offset={offset}
            limit={PAGE_SIZE}
            total={list.data.total}
            onChange={(next) => set('offset', String(next))}
          />
        </section>
      )}
    </>
  );
}
