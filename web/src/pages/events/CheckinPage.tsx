/**
 * The check-in desk, made for a tablet at the door. One big field takes everything:
 * - a USB or Bluetooth QR scanner types the ticket's token and presses Enter (keyboard wedge),
 *   and the visitor is checked in at once;
 * - typing a name or its kana lists the matching registrations, each with a one-tap button, and
 *   Enter checks in the only match.
 * The tablet's camera can scan too: with the browser's `BarcodeDetector`, or jsQR where there is
 * none (qrFrames.ts). Feedback is large and
 * spoken (a live region): "checked in", or "already checked in at 13:05" — the server checks a
 * registration in exactly once, however many desks scan it. The field keeps the focus, so the
 * next visitor can be scanned straight away.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import { toNarrow } from '../../../../src/shared/normalize';
import { ApiError } from '../../api';
import { callApi } from '../../data/client';
import { useUser } from '../../auth';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { EMPTY_NEW_PERSON, PersonChooser, type PersonChoice } from '../../components/PersonChooser';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT } from '../../i18n';
import type { EventRegistration, StaffRegistrationResult } from '../../types';
import { formatTime } from '../../vocab';
import { frameReader, hasCamera } from './qrFrames';

/** A ticket token (base64url HMAC), or a ticket link holding one. */
export function ticketTokenFrom(raw: string): string | null {
  const text = toNarrow(raw).trim();
  const fromLink = /\/tickets\/([A-Za-z0-9_-]{20,200})(?:[/?#].*)?$/.exec(text)?.[1];
  if (fromLink) return fromLink;
  return /^[A-Za-z0-9_-]{32,200}$/.test(text) ? text : null;
}

type CheckedIn = { kind: 'in' | 'already'; registration: EventRegistration; at: string };
type Feedback = CheckedIn | { kind: 'error'; message: string };

export function CheckinPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const event = useApiQuery('/api/events/{id}', { params: { path: { id } } });
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [recent, setRecent] = useState<CheckedIn[]>([]);
  const [checkedIn, setCheckedIn] = useState<number | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (event.data) setCheckedIn((n) => n ?? event.data?.checkedInCount ?? 0);
  }, [event.data]);

  // Names are searched as they are typed; a token never is (it goes straight to check-in).
  useEffect(() => {
    const value = text.trim();
    const timer = setTimeout(() => setQuery(value && !ticketTokenFrom(value) ? value : ''), 200);
    return () => clearTimeout(timer);
  }, [text]);
  const results = useApiQuery(
    '/api/events/{id}/registrations',
    { params: { path: { id }, query: { q: query, limit: 12 } } },
    { enabled: query !== '' },
  );

  const focusField = useCallback(() => requestAnimationFrame(() => inputRef.current?.focus()), []);
  /** Newest first, one line per registration, at most eight. */
  const addRecent = useCallback(
    (next: CheckedIn) =>
      setRecent((list) => [next, ...list.filter((f) => f.registration.id !== next.registration.id)].slice(0, 8)),
    [],
  );

  const checkIn = useCallback(
    async (body: { qrToken: string } | { registrationId: string }) => {
      const key = 'qrToken' in body ? body.qrToken : body.registrationId;
      setBusyId(key);
      try {
        const result = await callApi('post', '/api/events/{id}/checkins', { params: { path: { id } }, body });
        const next: CheckedIn = {
          kind: result.alreadyCheckedIn ? 'already' : 'in',
          registration: result.registration,
          at: result.checkedInAt,
        };
        setFeedback(next);
        if (!result.alreadyCheckedIn) {
          setCheckedIn((n) => (n ?? 0) + 1);
          addRecent(next);
        }
        setText('');
        setQuery('');
        results.reload();
      } catch (cause) {
        const error =
          cause instanceof ApiError ? cause : new ApiError({ status: 0, code: 'UNKNOWN', message: String(cause) });
        setFeedback({
          kind: 'error',
          message:
            error.status === 404
              ? 'qrToken' in body
                ? t('checkin.unknownTicket')
                : t('checkin.unknownRegistration')
              : error.message,
        });
        if ('qrToken' in body) setText('');
      } finally {
        setBusyId(null);
        focusField();
      }
    },
    [id, t, results.reload, focusField, addRecent],
  );

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const token = ticketTokenFrom(text);
    if (token) {
      void checkIn({ qrToken: token });
      return;
    }
    const open = (results.data?.items ?? []).filter((r) => r.status === 'registered' && !r.checkedInAt);
    if (query && query === text.trim() && results.data?.items.length === 1 && open.length === 1 && open[0])
      void checkIn({ registrationId: open[0].id });
  }

  /** Scanners that end with Tab instead of Enter: treat a token followed by Tab the same way. */
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Tab' && ticketTokenFrom(text)) {
      event.preventDefault();
      submit();
    }
  }

  if (event.error) return <ErrorAlert onRetry={event.reload}>{event.error.message}</ErrorAlert>;
  if (!event.data) return <Loading />;
  const e = event.data;
  const items = results.data?.items ?? [];

  return (
    <div className="checkin-desk">
      <div className="title-row">
        <PageTitle>{t('checkin.title', { title: e.title })}</PageTitle>
        <Link to={`/manage/events/${encodeURIComponent(e.id)}`}>{t('checkin.backToEvent')}</Link>
      </div>
      <p className="checkin-count" aria-live="off">
        {t('checkin.count', {
          checkedIn: formatNumber(checkedIn ?? e.checkedInCount, lang),
          registered: formatNumber(e.registeredCount, lang),
        })}
      </p>

      {/* biome-ignore lint/a11y/useSemanticElements: <search> is Baseline only since late 2023; role=search on the form keeps the landmark in older browsers */}
      <form onSubmit={submit} className="checkin-form" role="search">
        <label htmlFor="checkin-input" className="checkin-label">
          {t('checkin.inputLabel')}
        </label>
        <p id="checkin-hint" className="hint">
          {t('checkin.inputHint')}
        </p>
        <div className="checkin-row">
          <input
            id="checkin-input"
            ref={inputRef}
            className="checkin-input"
            type="search"
            // biome-ignore lint/a11y/noAutofocus: the desk's one task is this field (scanner or typing), and the page is opened to check visitors in
            autoFocus
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            enterKeyHint="go"
            aria-describedby="checkin-hint"
            value={text}
            onChange={(ev) => {
              // The next visitor has started: the last verdict makes way for the new one.
              if (ev.target.value && !text) setFeedback(null);
              setText(ev.target.value);
            }}
            onKeyDown={onKeyDown}
          />
          <button type="submit" className="button-large" disabled={busyId !== null}>
            {t('checkin.submit')}
          </button>
        </div>
      </form>

      <div className="checkin-feedback" aria-live="assertive" aria-atomic="true">
        {feedback && <FeedbackBanner feedback={feedback} />}
      </div>

      {query && (
        <section aria-labelledby="checkin-results" aria-busy={results.loading}>
          <h2 id="checkin-results">{t('checkin.results')}</h2>
          {results.error && <ErrorAlert onRetry={results.reload}>{results.error.message}</ErrorAlert>}
          {results.data && items.length === 0 && <p>{t('checkin.noMatch')}</p>}
          <ul className="checkin-results">
            {items.map((r) => (
              <li key={r.id} className={r.checkedInAt ? 'checkin-result checkin-result-done' : 'checkin-result'}>
                <div>
                  <p className="checkin-name">{r.person.name}</p>
                  <p className="muted">
                    {[
                      r.person.kana,
                      r.slot
                        ? t('checkin.slot', { booth: r.slot.boothName, time: formatTime(r.slot.startsAt, lang) })
                        : null,
                      r.status === 'cancelled' ? t('attendance.cancelled') : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </p>
                </div>
                {r.checkedInAt ? (
                  <span className="status-pill status-active">
                    {t('checkin.alreadyAt', { time: formatTime(r.checkedInAt, lang) })}
                  </span>
                ) : r.status === 'registered' ? (
                  <button
                    type="button"
                    className="button-large"
                    disabled={busyId !== null}
                    onClick={() => void checkIn({ registrationId: r.id })}
                    aria-label={t('checkin.checkInLabel', { name: r.person.name })}
                  >
                    {t('checkin.checkIn')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      )}

      <CameraScanner onToken={(token) => void checkIn({ qrToken: token })} paused={busyId !== null} />

      <WalkIn
        eventId={e.id}
        onDone={(result) => {
          const next: CheckedIn = {
            kind: 'in',
            registration: result.registration,
            at: result.registration.checkedInAt ?? new Date().toISOString(),
          };
          setFeedback(next);
          if (!result.alreadyRegistered || !result.registration.checkedInAt) setCheckedIn((n) => (n ?? 0) + 1);
          addRecent(next);
          focusField();
        }}
      />

      {recent.length > 0 && (
        <section aria-labelledby="checkin-recent">
          <h2 id="checkin-recent">{t('checkin.recent')}</h2>
          <ol className="plain-list checkin-recent">
            {recent.map((f) => (
              <li key={f.registration.id}>
                <time dateTime={f.at}>{formatTime(f.at, lang)}</time> {f.registration.person.name}
                {f.registration.slot && <span className="muted"> · {f.registration.slot.boothName}</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function FeedbackBanner({ feedback }: { feedback: Feedback }) {
  const t = useT();
  const { lang } = useLang();
  if (feedback.kind === 'error') {
    return (
      <div className="checkin-banner checkin-banner-error">
        <p className="checkin-verdict">{t('checkin.error')}</p>
        <p>{feedback.message}</p>
      </div>
    );
  }
  const r = feedback.registration;
  return (
    <div
      className={feedback.kind === 'in' ? 'checkin-banner checkin-banner-in' : 'checkin-banner checkin-banner-already'}
    >
      <p className="checkin-verdict">
        {feedback.kind === 'in' ? t('checkin.done') : t('checkin.already', { time: formatTime(feedback.at, lang) })}
      </p>
      <p className="checkin-name">{t('checkin.nameSan', { name: r.person.name })}</p>
      {r.slot && <p>{t('checkin.slot', { booth: r.slot.boothName, time: formatTime(r.slot.startsAt, lang) })}</p>}
    </div>
  );
}

/**
 * Camera scanning: the browser's own BarcodeDetector, or jsQR on canvas frames where there is none
 * (qrFrames.ts). Only a browser without camera access at all (no getUserMedia: an address that is
 * not https) is left with a scanner or the name search. The same code seen again within a few
 * seconds is ignored.
 */
function CameraScanner({ onToken, paused }: { onToken: (token: string) => void; paused: boolean }) {
  const t = useT();
  const canScan = hasCamera();
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const onTokenRef = useRef(onToken);
  onTokenRef.current = onToken;

  useEffect(() => {
    if (!on || !canScan) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    let stopped = false;
    const last = { token: '', at: 0 };
    Promise.all([
      frameReader(),
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
    ])
      .then(async ([read, s]) => {
        if (stopped) {
          for (const track of s.getTracks()) track.stop();
          return;
        }
        stream = s;
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = s;
        await video.play();
        let reading = false;
        timer = setInterval(() => {
          // One frame at a time: jsQR on a slow tablet may take longer than the interval.
          if (reading || pausedRef.current || video.readyState < 2) return;
          reading = true;
          read(video)
            .then((texts) => {
              for (const text of texts) {
                const token = ticketTokenFrom(text);
                if (!token) continue;
                const now = Date.now();
                if (token === last.token && now - last.at < 4000) continue;
                last.token = token;
                last.at = now;
                onTokenRef.current(token);
                break;
              }
            })
            .catch(() => undefined)
            .finally(() => {
              reading = false;
            });
        }, 250);
      })
      .catch((cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)));
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [on, canScan]);

  if (!canScan) return <p className="hint">{t('checkin.noCamera')}</p>;
  return (
    <div className="checkin-camera">
      <button type="button" className="button-secondary" aria-pressed={on} onClick={() => setOn((v) => !v)}>
        {on ? t('checkin.cameraStop') : t('checkin.cameraStart')}
      </button>
      {error && <ErrorAlert>{t('checkin.cameraError', { error })}</ErrorAlert>}
      {on && <video ref={videoRef} className="checkin-video" muted playsInline aria-label={t('checkin.cameraLabel')} />}
    </div>
  );
}

/** A visitor who did not register: find (or enter) them and register and check them in at once. */
function WalkIn({ eventId, onDone }: { eventId: string; onDone: (result: StaffRegistrationResult) => void }) {
  const t = useT();
  const user = useUser();
  const [person, setPerson] = useState<PersonChoice>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const [mailLocale, setMailLocale] = useState<'ja' | 'en'>('ja');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!person) return;
    setBusy(true);
    setError(null);
    try {
      let personId: string;
      if (person.kind === 'existing') personId = person.person.id;
      else {
        // Municipality staff see only people linked to their municipality: link the new visitor to it.
        const links =
          user.role === 'municipality_staff' && user.municipalityCode
            ? [{ municipalityCode: user.municipalityCode, kind: 'interest' as const }]
            : [];
        const created = await callApi('post', '/api/people', {
          body: { ...EMPTY_NEW_PERSON, ...person.person, links },
        });
        personId = created.id;
      }
      const result = await callApi('post', '/api/events/{id}/registrations', {
        params: { path: { id: eventId } },
        body: { personId, checkIn: true, locale: mailLocale },
      });
      setPerson(null);
      setOpen(false);
      onDone(result);
    } catch (cause) {
      setError(
        cause instanceof ApiError ? cause : new ApiError({ status: 0, code: 'UNKNOWN', message: String(cause) }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="collapsible walk-in" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('checkin.walkIn')}</summary>
      {open && (
        <form onSubmit={submit} className="stack" noValidate>
          {error && <ErrorAlert>{error.message}</ErrorAlert>}
          <PersonChooser
            legend={t('checkin.walkInPerson')}
            value={person}
            onChange={setPerson}
            errors={Object.fromEntries(
              Object.entries(error?.fields ?? {}).map(([k, v]) => [
                k.startsWith('person.') || k === 'personId' ? k : `person.${k}`,
                v,
              ]),
            )}
          />
          <SelectField
            label={t('checkin.walkInMailLocale')}
            hint={t('checkin.walkInMailHint')}
            value={mailLocale}
            options={[
              { value: 'ja', label: '日本語' },
              { value: 'en', label: 'English' },
            ]}
            onChange={(e) => setMailLocale(e.target.value === 'en' ? 'en' : 'ja')}
          />
          <div>
            <button type="submit" disabled={busy || !person || (person.kind === 'new' && !person.person.name.trim())}>
              {t('checkin.walkInSubmit')}
            </button>
          </div>
        </form>
      )}
    </details>
  );
}
