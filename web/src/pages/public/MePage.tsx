/**
 * The supporter's own page (マイページ): their card, everything Kankei holds about them, their
 * consents as switches with dates and history, downloads, sign-out and deletion. Changes carry
 * the supporter session's own CSRF token from `GET /api/me`, never a staff token.
 */
import { type FormEvent, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError, type FieldErrors } from '../../api';
import { PREFECTURES } from '../../../../src/shared/domain';
import { callApi } from '../../data/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField, SwitchField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { SupporterCard } from '../../components/SupporterCard';
import { flashFrom } from '../../flash';
import {
  byCodeMap,
  consentPurposeLabel,
  engagementKindLabel,
  eventTitle,
  formatDate,
  formatYen,
  involvementLabel,
  joinList,
  kindLabel,
  municipalityLabel,
  rootLabel,
} from '../../format';
import { useAction, useMunicipalities } from '../../hooks';
import { formatDateTime, useLang, useT } from '../../i18n';
import type { ConsentState, Municipality, MyCard, MyData } from '../../types';
import { MePremiumSection } from './MePremiumSection';
import { applicationStatusLabel, matchStepLabel, paren } from '../../vocab';
import { SupporterSignInForm } from './MeLoginPage';

type PageState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: MyData };

export function MePage() {
  const t = useT();
  const location = useLocation();
  const [state, setState] = useState<PageState>({ status: 'loading' });
  const [message, setMessage] = useState<string | null>(flashFrom(location.state));

  const load = useCallback(() => {
    setState({ status: 'loading' });
    callApi('get', '/api/me', undefined, { redirectOn401: false })
      .then((data) => setState({ status: 'ready', data }))
      .catch((cause: unknown) => {
        const error = ApiError.from(cause);
        setState(error.status === 401 ? { status: 'signedOut' } : { status: 'error', error });
      });
  }, []);
  useEffect(load, [load]);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorAlert onRetry={load}>{state.error.message}</ErrorAlert>;
  if (state.status === 'signedOut') {
    return (
      <>
        <PageTitle>{t('me.loginTitle')}</PageTitle>
        <p>{t('me.pleaseSignIn')}</p>
        <SupporterSignInForm />
      </>
    );
  }

  const { data } = state;
  return (
    <>
      <PageTitle>{t('me.title')}</PageTitle>
      <p className="subtitle">{t('me.greeting', { name: data.person.name })}</p>
      {message && <StatusMessage>{message}</StatusMessage>}
      <MyCardSection />
      <MePremiumSection data={data} />
      <ConsentsSection
        data={data}
        onChanged={(next) => {
          setState({ status: 'ready', data: next });
          setMessage(t('me.consentsSaved'));
        }}
        onSignedOut={() => setState({ status: 'signedOut' })}
      />
      <ProjectsSection
        data={data}
        onChanged={() => {
          setMessage(t('me.withdrawn'));
          load();
        }}
        onSignedOut={() => setState({ status: 'signedOut' })}
      />
      <HeldDataSection data={data} />
      <EditSection
        data={data}
        onSaved={(next) => {
          setState({ status: 'ready', data: next });
          setMessage(t('me.editSaved'));
        }}
        onSignedOut={() => setState({ status: 'signedOut' })}
      />
      <section className="card stack" aria-labelledby="me-download">
        <h2 id="me-download">{t('me.downloadTitle')}</h2>
        <p>{t('me.downloadIntro')}</p>
        <div className="button-row">
          <a className="button button-secondary" href="/api/me/export?format=json" download="kankei-my-data.json">
            {t('me.downloadJson')}
          </a>
          <a className="button button-secondary" href="/api/me/export?format=csv" download="kankei-my-data.csv">
            {t('me.downloadCsv')}
          </a>
        </div>
      </section>
      <SignOutSection csrfToken={data.csrfToken} />
      <DeleteSection data={data} />
    </>
  );
}

/**
 * The card, if one was issued. `GET /api/me/card` answers null (or 404) when there is none; an
 * older server without the route answers 404 too, and the page then simply has no card yet.
 */
function MyCardSection() {
  const t = useT();
  const [state, setState] = useState<
    | { status: 'loading' }
    | { status: 'none' }
    | { status: 'error'; error: ApiError }
    | { status: 'ready'; card: MyCard }
  >({
    status: 'loading',
  });
  const load = useCallback(() => {
    setState({ status: 'loading' });
    callApi('get', '/api/me/card', undefined, { redirectOn401: false })
      .then((card) => setState(card?.card ? { status: 'ready', card } : { status: 'none' }))
      .catch((cause: unknown) => {
        const error = ApiError.from(cause);
        setState(error.status === 404 || error.status === 401 ? { status: 'none' } : { status: 'error', error });
      });
  }, []);
  useEffect(load, [load]);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorAlert onRetry={load}>{state.error.message}</ErrorAlert>;
  if (state.status === 'none') {
    return (
      <section className="card stack" aria-labelledby="me-card-none">
        <h2 id="me-card-none">{t('card.title')}</h2>
        <p>{t('card.none')}</p>
        <p className="hint">{t('card.noneHint')}</p>
      </section>
    );
  }
  const { card } = state;
  return <SupporterCard card={card.card} qrSvg={card.qrSvg} verifyUrl={card.verifyUrl || `/verify#${card.token}`} />;
}

type SwitchKey = 'newsletter' | 'shareWithMunicipalities' | 'anonymousStatistics' | 'scouting';
const SWITCHES: Array<{ key: SwitchKey; purpose: ConsentState['purpose'] }> = [
  { key: 'newsletter', purpose: 'newsletter' },
  { key: 'shareWithMunicipalities', purpose: 'share_with_municipalities' },
  { key: 'anonymousStatistics', purpose: 'anonymous_statistics' },
  { key: 'scouting', purpose: 'scouting' },
];

/** One purpose's consents in force: on only when every decision recorded for it is a yes. */
function consentFor(consents: ConsentState[], purpose: ConsentState['purpose']) {
  const entries = consents.filter((c) => c.purpose === purpose);
  const granted = entries.length > 0 && entries.every((c) => c.granted);
  const latest = entries.reduce<string | null>(
    (acc, c) => (acc === null || c.recordedAt > acc ? c.recordedAt : acc),
    null,
  );
  return { entries, granted, latest };
}

function ConsentsSection({
  data,
  onChanged,
  onSignedOut,
}: {
  data: MyData;
  onChanged: (next: MyData) => void;
  onSignedOut: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  // The switch shows the requested position while the change is saved, and springs back if it fails.
  const [pending, setPending] = useState<{ key: SwitchKey; value: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function toggle(key: SwitchKey, next: boolean) {
    setPending({ key, value: next });
    setError(null);
    try {
      onChanged(
        await callApi(
          'patch',
          '/api/me/consents',
          { body: { [key]: next } },
          { csrfToken: data.csrfToken, redirectOn401: false },
        ),
      );
    } catch (cause) {
      const e = ApiError.from(cause);
      if (e.status === 401) onSignedOut();
      else setError(e.message);
    } finally {
      setPending(null);
    }
  }

  return (
    <section className="card stack" aria-labelledby="me-consents">
      <h2 id="me-consents">{t('me.consentsTitle')}</h2>
      <p className="hint">{t('me.consentsIntro')}</p>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {SWITCHES.map(({ key, purpose }) => {
        const state = consentFor(data.consents, purpose);
        return (
          <SwitchField
            key={key}
            label={t(`register.consent.${key}`)}
            checked={pending?.key === key ? pending.value : state.granted}
            busy={pending !== null}
            onToggle={(next) => void toggle(key, next)}
            hint={
              <>
                <p>{t(`register.consent.${key}Hint`)}</p>
                <p>
                  {state.latest
                    ? t(state.granted ? 'me.consentGrantedOn' : 'me.consentRefusedOn', {
                        date: formatDateTime(state.latest, lang),
                      })
                    : t('me.consentNever')}
                </p>
                {purpose === 'share_with_municipalities' && state.entries.length > 1 && (
                  <ul className="plain-list">
                    {state.entries.map((c) => (
                      <li key={c.municipalityCode ?? ''}>
                        {municipalityLabel(byCode.get(c.municipalityCode ?? ''), c.municipalityCode ?? '', lang)}:{' '}
                        {c.granted ? t('me.consentYes') : t('me.consentNo')}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            }
          />
        );
      })}
      <details>
        <summary>{t('me.consentHistory')}</summary>
        <ConsentHistory items={data.consentHistory} byCode={byCode} />
      </details>
    </section>
  );
}

function ConsentHistory({ items, byCode }: { items: ConsentState[]; byCode: Map<string, Municipality> }) {
  const t = useT();
  const { lang } = useLang();
  if (items.length === 0) return <p>{t('me.noConsentHistory')}</p>;
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{t('me.consentHistory')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('me.consentWhen')}</th>
            <th scope="col">{t('me.consentPurpose')}</th>
            <th scope="col">{t('me.consentDecision')}</th>
            <th scope="col">{t('me.consentSource')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the person's own view carries no record ids and the same decision can be recorded twice; the list is the server's, replaced whole
            <tr key={`${c.recordedAt}-${c.purpose}-${c.municipalityCode ?? ''}-${i}`}>
              <td className="nowrap">{formatDateTime(c.recordedAt, lang)}</td>
              <td>
                {consentPurposeLabel(t, c.purpose)}
                {c.municipalityCode &&
                  `（${municipalityLabel(byCode.get(c.municipalityCode), c.municipalityCode, lang)}）`}
              </td>
              <td>{c.granted ? t('me.consentYes') : t('me.consentNo')}</td>
              <td>
                {c.source === 'registration'
                  ? t('me.sourceRegistration')
                  : c.source === 'self_service'
                    ? t('me.sourceSelf')
                    : c.source}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HeldDataSection({ data }: { data: MyData }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const name = (code: string) => municipalityLabel(byCode.get(code), code, lang);
  const none = t('common.none');
  const p = data.person;
  const personRows: Array<[string, ReactNode]> = [
    [t('register.name'), p.name],
    [t('register.kana'), p.kana ?? none],
    [t('register.email'), p.email ?? none],
    [t('person.phone'), p.phone ?? none],
    [t('person.postalCode'), p.postalCode ?? none],
    [t('register.prefecture'), p.prefecture ?? none],
    [t('register.city'), p.city ?? none],
    [t('person.birthYear'), p.birthYear ?? none],
  ];
  const profile = data.profile;
  const list = (items: string[], label: (s: string) => string = (s) => s) =>
    items.length ? items.map(label).join(lang === 'ja' ? '、' : ', ') : none;

  return (
    <section className="card stack" aria-labelledby="me-held">
      <h2 id="me-held">{t('me.heldTitle')}</h2>
      <p className="hint">{t('me.heldIntro')}</p>

      <h3>{t('me.heldPerson')}</h3>
      <dl className="details">
        {personRows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>

      <h3>{t('me.heldLinks')}</h3>
      {data.links.length === 0 ? (
        <p>{t('person.noLinks')}</p>
      ) : (
        <ul>
          {data.links.map((l) => (
            <li key={`${l.municipalityCode}-${l.kind}`}>
              {name(l.municipalityCode)}
              {lang === 'ja' ? '：' : ': '}
              {kindLabel(t, l.kind)}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('me.heldProfile')}</h3>
      {profile ? (
        <dl className="details">
          <div>
            <dt>{t('register.roots')}</dt>
            <dd>
              {list(profile.roots, (r) => rootLabel(t, r))}
              {profile.rootsOther && `（${profile.rootsOther}）`}
            </dd>
          </div>
          <div>
            <dt>{t('register.involvement')}</dt>
            <dd>{list(profile.involvement, (k) => involvementLabel(t, k))}</dd>
          </div>
          <div>
            <dt>{t('register.interests')}</dt>
            <dd>{list(profile.interests)}</dd>
          </div>
          <div>
            <dt>{t('register.skills')}</dt>
            <dd>{list(profile.skills)}</dd>
          </div>
        </dl>
      ) : (
        <p>{none}</p>
      )}

      <h3>{t('me.heldEngagements')}</h3>
      {data.engagements.length === 0 ? (
        <p>{t('me.noEngagements')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('me.heldEngagements')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('engagement.occurredOn')}</th>
                <th scope="col">{t('engagement.municipality')}</th>
                <th scope="col">{t('engagement.kind')}</th>
                <th scope="col" className="numeric">
                  {t('engagement.amountYen')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.engagements.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the person's own view carries no record ids and two donations can share day, town and kind; the list is the server's, replaced whole
                <tr key={`${e.occurredOn}-${e.municipalityCode}-${e.kind}-${i}`}>
                  <td className="nowrap">{formatDate(e.occurredOn, lang)}</td>
                  <td className="nowrap">{name(e.municipalityCode)}</td>
                  <td className="nowrap">{engagementKindLabel(t, e.kind)}</td>
                  <td className="numeric nowrap">{e.amountYen === null ? none : formatYen(e.amountYen, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>{t('me.heldRegistrations')}</h3>
      {data.registrations.length === 0 ? (
        <p>{none}</p>
      ) : (
        <ul>
          {data.registrations.map((r) => (
            <li key={r.id}>
              {formatDateTime(r.createdAt, lang)} — {joinList(r.municipalityCodes.map(name), lang)} —{' '}
              {r.status === 'confirmed'
                ? t('me.registrationConfirmed', { date: formatDateTime(r.confirmedAt, lang) })
                : r.status === 'pending'
                  ? t('me.registrationPending')
                  : r.status}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('me.heldEvents')}</h3>
      {data.eventRegistrations.length === 0 ? (
        <p>{t('me.noEvents')}</p>
      ) : (
        <ul>
          {data.eventRegistrations.map((r) => (
            <li key={r.id}>
              {formatDateTime(r.event.startsAt, lang)} — {eventTitle(r.event, lang)} —{' '}
              {r.status === 'cancelled' ? (
                <strong>{t('me.eventCancelled', { date: formatDateTime(r.cancelledAt, lang) })}</strong>
              ) : r.checkedInAt ? (
                t('me.eventCheckedIn', { date: formatDateTime(r.checkedInAt, lang) })
              ) : (
                t('me.eventRegistered')
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SignOutSection({ csrfToken }: { csrfToken: string }) {
  const t = useT();
  const navigate = useNavigate();
  const { busy, error, run } = useAction();
  async function signOut() {
    const signedOut = await run(() =>
      callApi('post', '/api/me/sign-out', undefined, { csrfToken, redirectOn401: false }).catch((cause: unknown) => {
        // Already signed out on the server is what the person asked for.
        if (ApiError.from(cause).status !== 401) throw cause;
      }),
    );
    if (signedOut) navigate('/me/login', { replace: true, state: { flash: t('me.signedOut') } });
  }
  return (
    <section className="card stack" aria-labelledby="me-signout">
      <h2 id="me-signout">{t('me.signOutTitle')}</h2>
      <p className="hint">{t('me.signOutHint')}</p>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <div>
        <button type="button" className="button-secondary" onClick={signOut} disabled={busy}>
          {t('me.signOut')}
        </button>
      </div>
    </section>
  );
}

/** Deletion cannot be undone, so the button unlocks only once the confirmation word is typed. */
function DeleteSection({ data }: { data: MyData }) {
  const t = useT();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const { busy, error, run, reset } = useAction();
  const word = t('me.deleteWord');
  const typedWord = typed.trim();
  // Either language's word is accepted: someone switching languages midway should not be stuck.
  const matches = typedWord === '削除' || typedWord.toUpperCase() === 'DELETE';

  async function remove() {
    if (!matches) return;
    if (await run(() => callApi('delete', '/api/me', undefined, { csrfToken: data.csrfToken, redirectOn401: false }))) {
      navigate('/me/deleted', { replace: true });
    }
  }

  return (
    <section className="card card-danger stack" aria-labelledby="me-delete">
      <h2 id="me-delete">{t('me.deleteTitle')}</h2>
      <p>{t('me.deleteIntro')}</p>
      <div>
        <button type="button" className="button-danger" onClick={() => setOpen(true)}>
          {t('me.deleteButton')}
        </button>
      </div>
      <ConfirmDialog
        open={open}
        title={t('me.deleteConfirmTitle')}
        confirmLabel={t('me.deleteConfirmSubmit')}
        danger
        busy={busy}
        confirmDisabled={!matches}
        onConfirm={remove}
        onCancel={() => {
          setOpen(false);
          setTyped('');
          reset();
        }}
      >
        <p>{t('me.deleteConfirmBody')}</p>
        {error && <ErrorAlert>{error}</ErrorAlert>}
        <TextField
          label={t('me.deleteConfirmLabel', { word })}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
        />
      </ConfirmDialog>
    </section>
  );
}

/**
 * The projects side of the supporter's page: what they tapped 興味ある on, their applications and
 * matches, each interest and open application with a way to take it back.
 */
function ProjectsSection({
  data,
  onChanged,
  onSignedOut,
}: {
  data: MyData;
  onChanged: () => void;
  onSignedOut: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const interests = data.projectInterests.filter((i) => i.withdrawnAt === null);
  const applications = data.projectApplications;
  const options = { csrfToken: data.csrfToken, redirectOn401: false } as const;

  async function withdraw(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (cause) {
      const e = ApiError.from(cause);
      if (e.status === 401) onSignedOut();
      else setError(e.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="me-projects">
      <h2 id="me-projects">{t('me.projectsTitle')}</h2>
      <p className="hint">{t('me.projectsIntro')}</p>
      {error && <ErrorAlert>{error}</ErrorAlert>}

      <h3>{t('me.matches')}</h3>
      {data.matches.length === 0 ? (
        <p>{t('me.noMatches')}</p>
      ) : (
        <ul>
          {data.matches.map((m) => (
            <li key={m.id}>
              <Link to={`/projects/${encodeURIComponent(m.projectId)}`}>{m.title}</Link>
              {paren(m.organizationName, lang)} —{' '}
              <strong>
                {t('me.matchStep', { step: matchStepLabel(t, m.step), date: formatDate(m.stepOn, lang) })}
              </strong>
            </li>
          ))}
        </ul>
      )}

      <h3>{t('me.applications')}</h3>
      {applications.length === 0 ? (
        <p>{t('me.noApplications')}</p>
      ) : (
        <ul className="plain-list stack">
          {applications.map((a) => (
            <li key={a.id}>
              <Link to={`/projects/${encodeURIComponent(a.projectId)}`}>{a.title}</Link> —{' '}
              {applicationStatusLabel(t, a.status)}
              {paren(formatDateTime(a.createdAt, lang), lang)}
              {(a.status === 'applied' || a.status === 'accepted') && (
                <div>
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={busy}
                    aria-label={`${t('me.withdrawApplication')}: ${a.title}`}
                    onClick={() =>
                      void withdraw(() =>
                        callApi(
                          'post',
                          '/api/me/applications/{id}/withdraw',
                          { params: { path: { id: a.id } } },
                          options,
                        ),
                      )
                    }
                  >
                    {t('me.withdrawApplication')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('me.interests')}</h3>
      {interests.length === 0 ? (
        <p>{t('me.noInterests')}</p>
      ) : (
        <ul className="plain-list stack">
          {interests.map((i) => (
            <li key={i.projectId}>
              <Link to={`/projects/${encodeURIComponent(i.projectId)}`}>{i.title}</Link>{' '}
              <button
                type="button"
                className="button-secondary"
                disabled={busy}
                aria-label={`${t('me.withdraw')}: ${i.title}`}
                onClick={() =>
                  void withdraw(() =>
                    callApi(
                      'post',
                      '/api/me/interests/{id}/withdraw',
                      { params: { path: { id: i.projectId } } },
                      options,
                    ),
                  )
                }
              >
                {t('me.withdraw')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/projects">{t('me.findProjects')}</Link>
      </p>
    </section>
  );
}

type EditForm = {
  name: string;
  kana: string;
  phone: string;
  postalCode: string;
  prefecture: string;
  city: string;
  skills: string;
  hoursPerMonth: string;
  mailLocale: 'ja' | 'en';
};

/** Splits what was typed into a list: commas and 、 in either width. */
const splitList = (text: string) =>
  text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Corrections by the supporter (PATCH /api/me): contact, address, skills, hours and the language of
 * their mails. Only what changed is sent; the server audits the names of the fields changed.
 */
function EditSection({
  data,
  onSaved,
  onSignedOut,
}: {
  data: MyData;
  onSaved: (next: MyData) => void;
  onSignedOut: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const initial = (): EditForm => ({
    name: data.person.name,
    kana: data.person.kana ?? '',
    phone: data.person.phone ?? '',
    postalCode: data.person.postalCode ?? '',
    prefecture: data.person.prefecture ?? '',
    city: data.person.city ?? '',
    skills: (data.profile?.skills ?? []).join(lang === 'ja' ? '、' : ', '),
    hoursPerMonth: data.profile?.hoursPerMonth === null || !data.profile ? '' : String(data.profile.hoursPerMonth),
    mailLocale: data.profile?.mailLocale ?? 'ja',
  });
  const [form, setForm] = useState<EditForm>(initial);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const was = initial();
    const body: Record<string, unknown> = {};
    const text = (key: 'name' | 'kana' | 'phone' | 'postalCode' | 'prefecture' | 'city') => {
      if (form[key] !== was[key]) body[key] = form[key].trim() || (key === 'name' ? form[key] : null);
    };
    for (const key of ['name', 'kana', 'phone', 'postalCode', 'prefecture', 'city'] as const) text(key);
    if (form.skills !== was.skills) body.skills = splitList(form.skills);
    if (form.hoursPerMonth !== was.hoursPerMonth)
      body.hoursPerMonth = form.hoursPerMonth.trim() === '' ? null : Number(form.hoursPerMonth);
    if (form.mailLocale !== was.mailLocale) body.mailLocale = form.mailLocale;
    setError(null);
    setFieldErrors({});
    if (!Object.keys(body).length) return;
    setBusy(true);
    try {
      onSaved(await callApi('patch', '/api/me', { body }, { csrfToken: data.csrfToken, redirectOn401: false }));
    } catch (cause) {
      const apiError = ApiError.from(cause);
      if (apiError.status === 401) return onSignedOut();
      setError(apiError.message);
      setFieldErrors(apiError.fields ?? {});
    } finally {
      setBusy(false);
    }
  }

  const field = (key: keyof EditForm) => ({
    value: form[key],
    error: fieldErrors[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });

  return (
    <section className="card stack" aria-labelledby="me-edit">
      <h2 id="me-edit">{t('me.editTitle')}</h2>
      <p className="hint">{t('me.editIntro')}</p>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <form onSubmit={submit} noValidate className="stack">
        <TextField label={t('register.name')} required autoComplete="name" {...field('name')} />
        <TextField label={t('register.kana')} {...field('kana')} />
        <TextField label={t('person.phone')} type="tel" autoComplete="tel" {...field('phone')} />
        <TextField
          label={t('person.postalCode')}
          autoComplete="postal-code"
          inputMode="numeric"
          {...field('postalCode')}
        />
        <SelectField
          label={t('register.prefecture')}
          placeholder={t('common.none')}
          options={PREFECTURES.map((p) => ({ value: p, label: p }))}
          {...field('prefecture')}
        />
        <TextField label={t('register.city')} autoComplete="address-level2" {...field('city')} />
        <TextField label={t('me.editSkills')} hint={t('me.editSkillsHint')} {...field('skills')} />
        <TextField label={t('me.editHours')} type="number" inputMode="numeric" min={0} {...field('hoursPerMonth')} />
        <SelectField
          label={t('me.editMailLocale')}
          options={[
            { value: 'ja', label: '日本語' },
            { value: 'en', label: 'English' },
          ]}
          {...field('mailLocale')}
        />
        <div>
          <button type="submit" disabled={busy}>
            {t('me.editSave')}
          </button>
        </div>
      </form>
    </section>
  );
}
