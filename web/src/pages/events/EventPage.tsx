/**
 * One event for staff: what, when and where; its booths and slots with bookings; and, from the
 * registrations, the attendance — who registered, who came and when, who booked which booth, and
 * who came but has no follow-up yet (each with a link to record the consultation). A registration
 * not yet checked in can be cancelled from its row (after a confirmation), which frees its place.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { canWorkWithPeople, useUser } from '../../auth';
import { callApi } from '../../data/client';
import { ConfirmedAction } from '../../components/ConfirmedAction';
import { SelectField, TextAreaField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { todayInTokyo } from '../../../../src/shared/dates';
import { flashFrom } from '../../flash';
import { formatDate, joinList, municipalityLabel } from '../../format';
import { useAction, useMunicipalities, useMunicipalityName } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT } from '../../i18n';
import type { AttendanceItem, EventDetail } from '../../types';
import { eventKindLabel, eventStatusLabel, formatEventTime, formatTime, formatTokyoDateTime } from '../../vocab';
import { TableScroll } from '../../components/TableScroll';

export function EventPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const location = useLocation();
  const flash = flashFrom(location.state);
  const event = useApiQuery('/api/events/{id}', { params: { path: { id } } });
  const canManage = canWorkWithPeople(user);
  const placeName = useMunicipalityName();

  if (event.error) return <ErrorAlert onRetry={event.reload}>{event.error.message}</ErrorAlert>;
  if (!event.data) return <Loading />;
  const e = event.data;
  const base = `/manage/events/${encodeURIComponent(e.id)}`;

  return (
    <>
      <PageTitle>{e.title}</PageTitle>
      <p className="subtitle">
        {eventKindLabel(t, e.kind)} · {eventStatusLabel(t, e.status)}
        {e.isDemo && ` · ${t('case.demo')}`}
      </p>
      {flash && <StatusMessage>{flash}</StatusMessage>}
      <div className="button-row">
        {canManage && (
          <>
            <Link to={`${base}/checkin`} className="button">
              {t('event.checkinDesk')}
            </Link>
            <Link to={`${base}/edit`} className="button button-secondary">
              {t('common.edit')}
            </Link>
            <Link to={`/consultations/new?event=${encodeURIComponent(e.id)}`} className="button button-secondary">
              {t('event.recordConsultation')}
            </Link>
          </>
        )}
        {e.status === 'published' && (
          <a
            href={`/events/${encodeURIComponent(e.id)}`}
            className="button button-secondary"
            target="_blank"
            rel="noreferrer"
          >
            {t('event.publicPage')}
          </a>
        )}
      </div>

      <div className="person-columns">
        <section className="card" aria-labelledby="event-facts">
          <h2 id="event-facts">{t('event.facts')}</h2>
          <dl className="details">
            <div>
              <dt>{t('events.when')}</dt>
              <dd>{formatEventTime(e.startsAt, e.endsAt, lang)}</dd>
            </div>
            <div>
              <dt>{t('eventForm.venue')}</dt>
              <dd>{e.venue ?? t('common.none')}</dd>
            </div>
            <div>
              <dt>{t('eventForm.venueMunicipality')}</dt>
              <dd>{e.venueMunicipalityCode ? placeName(e.venueMunicipalityCode) : t('eventForm.venueOutside')}</dd>
            </div>
            <div>
              <dt>{t('eventForm.onlineUrl')}</dt>
              <dd className="break">{e.onlineUrl ? <a href={e.onlineUrl}>{e.onlineUrl}</a> : t('common.none')}</dd>
            </div>
            <div>
              <dt>{t('events.registered')}</dt>
              <dd>
                {formatNumber(e.registeredCount, lang)}
                {e.capacity !== null ? ` / ${formatNumber(e.capacity, lang)}` : ` ${t('event.noLimit')}`}
              </dd>
            </div>
            <div>
              <dt>{t('events.checkedIn')}</dt>
              <dd>{formatNumber(e.checkedInCount, lang)}</dd>
            </div>
            <div>
              <dt>{t('eventForm.host')}</dt>
              <dd>{e.hostMunicipality ? placeName(e.hostMunicipality.code) : t('eventForm.hostCenter')}</dd>
            </div>
          </dl>
          {e.description && <p className="pre-wrap">{e.description}</p>}
        </section>
        <section className="card" aria-labelledby="event-booths-heading">
          <h2 id="event-booths-heading">{t('eventForm.booths', { count: e.booths.length })}</h2>
          {e.booths.length === 0 && <p>{t('event.noBooths')}</p>}
          <ul className="plain-list booth-summary">
            {e.booths.map((b) => {
              const booked = b.slots.reduce((n, s) => n + s.bookedCount, 0);
              const places = b.slots.reduce((n, s) => n + s.capacity, 0);
              return (
                <li key={b.id}>
                  <strong>{b.name}</strong>
                  <span className="muted">
                    {' '}
                    {[b.municipality ? placeName(b.municipality.code) : null, b.organization?.name]
                      .filter(Boolean)
                      .join(' / ')}
                  </span>
                  <span className="cell-sub">
                    {b.slots.length > 0
                      ? t('event.slotsBooked', {
                          slots: b.slots.length,
                          from: formatTime(b.slots[0]?.startsAt, lang),
                          to: formatTime(b.slots[b.slots.length - 1]?.endsAt, lang),
                          booked,
                          places,
                        })
                      : t('event.noSlots')}
                  </span>
                  {canManage && (
                    <Link
                      to={`/consultations/new?event=${encodeURIComponent(e.id)}&booth=${encodeURIComponent(b.id)}`}
                      aria-label={t('event.recordAtBoothLabel', { booth: b.name })}
                    >
                      {t('event.recordAtBooth')}
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      </div>

      <HeadcountsSection event={e} canRecord={canManage && e.status !== 'cancelled'} />
      {canManage && <AttendanceSection event={e} />}
    </>
  );
}

/**
 * Visitors counted without registering (door counts, tour groups, conferences brought in): they
 * count towards the exchange population (KPI ③) when the event is held in the prefecture.
 */
function HeadcountsSection({ event, canRecord }: { event: EventDetail; canRecord: boolean }) {
  const t = useT();
  const { lang } = useLang();
  const headcounts = useApiQuery('/api/events/{id}/headcounts', { params: { path: { id: event.id } } });
  const [form, setForm] = useState({ countedOn: event.startsAt.slice(0, 10), count: '', note: '' });
  const { busy, error, fieldErrors, setFieldErrors, run, reset } = useAction();

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    reset();
    const count = Number(form.count);
    if (!Number.isInteger(count) || count < 1) {
      setFieldErrors({ count: t('headcount.countInvalid') });
      return;
    }
    const ok = await run(() =>
      callApi('post', '/api/events/{id}/headcounts', {
        params: { path: { id: event.id } },
        body: { countedOn: form.countedOn, count, note: form.note },
      }),
    );
    if (ok) {
      setForm((f) => ({ ...f, count: '', note: '' }));
      headcounts.reload();
    }
  }

  return (
    <section className="card stack" aria-labelledby="headcounts-heading">
      <h2 id="headcounts-heading">{t('headcount.title')}</h2>
      <p className="hint">{event.venueMunicipalityCode ? t('headcount.counts') : t('headcount.notCounted')}</p>
      {headcounts.error && <ErrorAlert onRetry={headcounts.reload}>{headcounts.error.message}</ErrorAlert>}
      {headcounts.data && headcounts.data.items.length === 0 && <p>{t('headcount.none')}</p>}
      {headcounts.data && headcounts.data.items.length > 0 && (
        <table>
          <caption>{t('headcount.total', { n: formatNumber(headcounts.data.total, lang) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('headcount.countedOn')}</th>
              <th scope="col">{t('headcount.count')}</th>
              <th scope="col">{t('headcount.note')}</th>
              <th scope="col">{t('headcount.countedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {headcounts.data.items.map((h) => (
              <tr key={h.id}>
                <td>{formatDate(h.countedOn, lang)}</td>
                <td className="num">{formatNumber(h.count, lang)}</td>
                <td>{h.note ?? ''}</td>
                <td>{h.countedBy?.name ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canRecord && (
        <form onSubmit={submit} className="stack" noValidate aria-labelledby="headcount-add-heading">
          <h3 id="headcount-add-heading">{t('headcount.add')}</h3>
          {error && <ErrorAlert>{error}</ErrorAlert>}
          <div className="grid-2">
            <TextField
              label={t('headcount.countedOn')}
              type="date"
              required
              value={form.countedOn}
              onChange={(ev) => setForm((f) => ({ ...f, countedOn: ev.target.value }))}
              error={fieldErrors.countedOn}
            />
            <TextField
              label={t('headcount.count')}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              required
              value={form.count}
              onChange={(ev) => setForm((f) => ({ ...f, count: ev.target.value }))}
              error={fieldErrors.count}
            />
          </div>
          <TextAreaField
            label={t('headcount.note')}
            hint={t('headcount.noteHint')}
            rows={2}
            value={form.note}
            onChange={(ev) => setForm((f) => ({ ...f, note: ev.target.value }))}
            error={fieldErrors.note}
          />
          <div>
            <button type="submit" disabled={busy}>
              {busy ? t('common.saving') : t('headcount.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

type Show = 'all' | 'came' | 'notCame' | 'withoutFollowUp' | 'booked';

function AttendanceSection({ event }: { event: EventDetail }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const attendance = useApiQuery('/api/events/{id}/attendance', { params: { path: { id: event.id } } });
  const [show, setShow] = useState<Show>('all');
  const [cancelledName, setCancelledName] = useState<string | null>(null);
  const place = (code: string) =>
    municipalityLabel(
      municipalities.find((m) => m.code === code),
      code,
      lang,
    );
  const placeName = useMunicipalityName();

  const items = useMemo(() => {
    const a = attendance.data;
    if (!a) return [];
    switch (show) {
      case 'came':
        return a.items.filter((r) => r.checkedInAt);
      case 'notCame':
        return a.items.filter((r) => !r.checkedInAt && r.status === 'registered');
      case 'withoutFollowUp':
        return a.withoutFollowUp;
      case 'booked':
        return a.items.filter((r) => r.slot);
      default:
        return a.items;
    }
  }, [attendance.data, show]);

  if (attendance.error) return <ErrorAlert onRetry={attendance.reload}>{attendance.error.message}</ErrorAlert>;
  if (!attendance.data) return <Loading />;
  const a = attendance.data;
  const stats: [string, number, string?][] = [
    [t('attendance.registered'), a.totals.registered],
    [t('attendance.checkedIn'), a.totals.checkedIn, 'stat-good'],
    [t('attendance.notCheckedIn'), a.totals.notCheckedIn],
    [t('attendance.walkIns'), a.totals.walkIns],
    [t('attendance.slotBookings'), a.totals.slotBookings],
    [
      t('attendance.withoutFollowUp'),
      a.totals.checkedInWithoutFollowUp,
      a.totals.checkedInWithoutFollowUp > 0 ? 'stat-bad' : undefined,
    ],
  ];

  const exportHref = (format: 'xlsx' | 'csv') =>
    `/api/events/${encodeURIComponent(event.id)}/attendance/export?format=${format}`;

  return (
    <>
      <section className="card" aria-labelledby="attendance-heading">
        <div className="title-row">
          <h2 id="attendance-heading">{t('attendance.title')}</h2>
          <button type="button" className="button-secondary" onClick={attendance.reload}>
            {t('attendance.refresh')}
          </button>
        </div>
        <dl className="stats">
          {stats.map(([label, value, className]) => (
            <div key={label} className={['stat', className ?? ''].filter(Boolean).join(' ')}>
              <dt>{label}</dt>
              <dd>{formatNumber(value, lang)}</dd>
            </div>
          ))}
        </dl>
        {a.booths.length > 0 && (
          <TableScroll label={t('attendance.byBooth')}>
            <table>
              <caption>{t('attendance.byBooth')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('eventForm.boothName')}</th>
                  <th scope="col" className="numeric">
                    {t('attendance.booked')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('attendance.bookedCame')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {a.booths.map((b) => (
                  <tr key={b.id}>
                    <th scope="row">
                      {b.name}
                      <span className="cell-sub">
                        {[b.municipality ? placeName(b.municipality.code) : null, b.organization?.name]
                          .filter(Boolean)
                          .join(' / ')}
                      </span>
                    </th>
                    <td className="numeric">{formatNumber(b.booked, lang)}</td>
                    <td className="numeric">{formatNumber(b.checkedIn, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section className="card print-attendance" aria-labelledby="registrations-heading">
        <div className="title-row">
          <h2 id="registrations-heading">{t('attendance.people')}</h2>
          <div className="button-row no-print">
            <button type="button" className="button-secondary" onClick={printAttendance}>
              {t('attendance.print')}
            </button>
            <a className="button button-secondary" href={exportHref('xlsx')} download>
              {t('attendance.downloadXlsx')}
            </a>
            <a className="button button-secondary" href={exportHref('csv')} download>
              {t('attendance.downloadCsv')}
            </a>
          </div>
        </div>
        {/* On paper the list says which event and day it is, as the files do. */}
        <p className="print-only">
          {event.title} — {formatEventTime(event.startsAt, event.endsAt, lang)}
        </p>
        <div className="filters no-print">
          <SelectField
            label={t('attendance.show')}
            value={show}
            options={[
              { value: 'all', label: t('attendance.showAll', { count: a.items.length }) },
              { value: 'came', label: t('attendance.showCame', { count: a.totals.checkedIn }) },
              { value: 'notCame', label: t('attendance.showNotCame', { count: a.totals.notCheckedIn }) },
              { value: 'booked', label: t('attendance.showBooked', { count: a.totals.slotBookings }) },
              {
                value: 'withoutFollowUp',
                label: t('attendance.showWithoutFollowUp', { count: a.withoutFollowUp.length }),
              },
            ]}
            onChange={(e) => setShow(e.target.value as Show)}
          />
        </div>
        {cancelledName && <StatusMessage>{t('attendance.cancelDone', { name: cancelledName })}</StatusMessage>}
        <p role="status" className="result-count">
          {t('attendance.listed', { count: formatNumber(items.length, lang) })}
        </p>
        {items.length > 0 && (
          <TableScroll label={t('attendance.people')}>
            <table>
              <caption className="visually-hidden">{t('attendance.people')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('person.name')}</th>
                  <th scope="col">{t('attendance.slot')}</th>
                  <th scope="col">{t('attendance.checkedInAt')}</th>
                  <th scope="col">{t('attendance.interest')}</th>
                  <th scope="col">{t('attendance.followUp')}</th>
                  <th scope="col" className="no-print">
                    <span className="visually-hidden">{t('attendance.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <AttendanceRow
                    key={r.id}
                    item={r}
                    event={event}
                    place={place}
                    onCancelled={() => {
                      setCancelledName(r.person.name);
                      attendance.reload();
                    }}
                  />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <p className="hint">{t('attendance.followUpHint', { date: formatDate(event.startsAt, lang) })}</p>
      </section>
    </>
  );
}

function AttendanceRow({
  item: r,
  event,
  place,
  onCancelled,
}: {
  item: AttendanceItem;
  event: EventDetail;
  place: (code: string) => string;
  onCancelled: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const booth = r.slot ? event.booths.find((b) => b.id === r.slot?.boothId) : undefined;
  const record = `/consultations/new?person=${encodeURIComponent(r.person.id)}&event=${encodeURIComponent(event.id)}${booth ? `&booth=${encodeURIComponent(booth.id)}` : ''}`;
  return (
    <tr className={r.status === 'cancelled' ? 'row-disabled' : undefined}>
      <th scope="row">
        <Link to={`/people/${encodeURIComponent(r.person.id)}`}>{r.person.name}</Link>
        {r.person.kana && <span className="cell-sub">{r.person.kana}</span>}
        {r.status === 'cancelled' && <span className="cell-sub">{t('attendance.cancelled')}</span>}
      </th>
      <td className="nowrap">
        {r.slot ? `${r.slot.boothName} ${formatTime(r.slot.startsAt, lang)}` : t('common.none')}
      </td>
      <td className="nowrap">
        {r.checkedInAt ? (
          <>
            {formatTokyoDateTime(r.checkedInAt, lang)}
            {r.checkinMethod && <span className="cell-sub">{t(`attendance.method.${r.checkinMethod}`)}</span>}
          </>
        ) : (
          t('attendance.notYet')
        )}
      </td>
      <td>{joinList(r.municipalityCodes.map(place), lang) || t('common.none')}</td>
      <td className="nowrap">
        {r.hasFollowUp ? (
          t('attendance.hasFollowUp')
        ) : (
          <Link to={record} aria-label={t('attendance.recordFor', { name: r.person.name })}>
            {t('attendance.record')}
          </Link>
        )}
      </td>
      <td className="nowrap no-print">
        {r.status === 'registered' && !r.checkedInAt && (
          <>
            {/* After the event's last day (Japan time) check-in is closed; a paper list is recorded here. */}
            {todayInTokyo() > event.endsAt.slice(0, 10) && (
              <RecordAfterEvent item={r} event={event} onDone={onCancelled} />
            )}
            <CancelRegistration item={r} eventId={event.id} onCancelled={onCancelled} />
          </>
        )}
      </td>
    </tr>
  );
}

/** Records, after the event, that a registrant came (from a paper list): dated at the event, audited. */
function RecordAfterEvent({ item, event, onDone }: { item: AttendanceItem; event: EventDetail; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <ConfirmedAction
      label={t('attendance.after')}
      ariaLabel={t('attendance.afterFor', { name: item.person.name })}
      title={t('attendance.afterTitle')}
      confirmLabel={t('attendance.afterConfirm')}
      dismissLabel={t('common.cancel')}
      action={() =>
        callApi('post', '/api/events/{id}/attendance/after-event', {
          params: { path: { id: event.id } },
          body: { registrationIds: [item.id] },
        })
      }
      onDone={onDone}
    >
      <p>{t('attendance.afterBody', { name: item.person.name, date: formatTokyoDateTime(event.startsAt, lang) })}</p>
    </ConfirmedAction>
  );
}

/** Cancels one registration (a call from the registrant, a known no-show): its place and slot are freed. */
function CancelRegistration({
  item,
  eventId,
  onCancelled,
}: {
  item: AttendanceItem;
  eventId: string;
  onCancelled: () => void;
}) {
  const t = useT();
  return (
    <ConfirmedAction
      label={t('attendance.cancel')}
      ariaLabel={t('attendance.cancelFor', { name: item.person.name })}
      title={t('attendance.cancelTitle')}
      confirmLabel={t('attendance.cancelConfirm')}
      dismissLabel={t('attendance.cancelKeep')}
      action={() =>
        callApi('post', '/api/events/{id}/registrations/{registrationId}/cancel', {
          params: { path: { id: eventId, registrationId: item.id } },
        })
      }
      onDone={onCancelled}
    >
      <p>{t('attendance.cancelBody', { name: item.person.name })}</p>
    </ConfirmedAction>
  );
}

/**
 * Prints the list of people alone: the page says so to the print stylesheet (body[data-print]),
 * which then leaves out the menu, the event's other cards, filters and buttons. window.print()
 * returns when the print dialog closes.
 */
function printAttendance() {
  document.body.dataset.print = 'attendance';
  try {
    window.print();
  } finally {
    delete document.body.dataset.print;
  }
}
