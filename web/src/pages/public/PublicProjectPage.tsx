/**
 * One published project for the public, phone first: what it is, one-tap 興味ある and the
 * application with the answers to its screening questions, for a signed-in supporter (their own
 * session and its CSRF token, as on /me). A newcomer is sent to the supporter sign-up or the
 * sign-in link, and the mailed link brings them back here (returnTo.ts).
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { MATCHING_LIMITS as L } from '../../../../src/shared/matching';
import { ApiError } from '../../api';
import { TextAreaField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { PrivacyNoticeLink } from '../../components/PublicFormParts';
import { callApi } from '../../data/client';
import { useApiQuery } from '../../data/queries';
import { flashFrom } from '../../flash';
import { formatPeriod, formatYen, joinList } from '../../format';
import { useFocusFirstInvalid, useMunicipalityName } from '../../hooks';
import { formatNumber, useLang, useT } from '../../i18n';
import { forgetReturnTo, rememberReturnTo, returnToPath } from '../../returnTo';
import type { MyData } from '../../types';
import { applicationStatusLabel, issueCategoryLabel, projectKindLabel } from '../../vocab';

type Supporter = { status: 'loading' } | { status: 'signedOut' } | { status: 'ready'; me: MyData };

export function PublicProjectPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const location = useLocation();
  const placeName = useMunicipalityName();
  const project = useApiQuery('/api/public/projects/{id}', { params: { path: { id } } }, { redirectOn401: false });
  const [supporter, setSupporter] = useState<Supporter>({ status: 'loading' });
  const [message, setMessage] = useState<string | null>(flashFrom(location.state));

  const loadMe = useCallback(() => {
    callApi('get', '/api/me', undefined, { redirectOn401: false })
      .then((me) => setSupporter({ status: 'ready', me }))
      // Anything but a session (no cookie, expired, a passing failure) shows the way to sign in.
      .catch(() => setSupporter({ status: 'signedOut' }));
  }, []);
  useEffect(loadMe, [loadMe]);
  // Back from the sign-up or sign-in the newcomer started here: the way back is used up.
  useEffect(() => {
    if (supporter.status === 'ready' && returnToPath() === location.pathname) forgetReturnTo();
  }, [supporter.status, location.pathname]);

  if (project.error)
    return (
      <ErrorAlert onRetry={project.reload}>
        {project.error.status === 404 ? t('publicProject.notFound') : project.error.message}
      </ErrorAlert>
    );
  if (!project.data) return <Loading />;
  const p = project.data;
  const none = t('publicProject.feeNone');

  return (
    <>
      <p className="event-kind">
        {projectKindLabel(t, p.kind)} · {issueCategoryLabel(t, p.theme)}
      </p>
      <PageTitle>{p.isDemo ? `${t('matching.demo')} ${p.title}` : p.title}</PageTitle>
      {message && <StatusMessage>{message}</StatusMessage>}
      <section className="card stack" aria-labelledby="project-facts">
        <h2 id="project-facts" className="visually-hidden">
          {t('project.about')}
        </h2>
        <dl className="details compact">
          <div>
            <dt>{t('matching.municipality')}</dt>
            <dd>{placeName(p.municipalityCode)}</dd>
          </div>
          <div>
            <dt>{t('publicProject.organization')}</dt>
            <dd>{p.organizationName}</dd>
          </div>
          <div>
            <dt>{t('projectForm.seats')}</dt>
            <dd className={p.seatsLeft === 0 ? 'text-danger' : undefined}>
              {p.seatsLeft === 0
                ? t('publicProjects.full')
                : t('publicProjects.seatsLeft', { n: formatNumber(p.seatsLeft, lang) })}
            </dd>
          </div>
          <div>
            <dt>{t('publicProject.period')}</dt>
            <dd>{p.periodStart || p.periodEnd ? formatPeriod(p.periodStart, p.periodEnd, lang) : none}</dd>
          </div>
          <div>
            <dt>{t('publicProject.hours')}</dt>
            <dd>{p.hoursPerMonth === null ? none : t('matching.hours', { n: p.hoursPerMonth })}</dd>
          </div>
          <div>
            <dt>{t('publicProject.remote')}</dt>
            <dd>{t('matching.percent', { n: p.remotePercent })}</dd>
          </div>
          <div>
            <dt>{t('publicProject.fee')}</dt>
            <dd>
              {p.feeMinYen === null && p.feeMaxYen === null
                ? none
                : t('project.feeRange', {
                    min: p.feeMinYen === null ? '' : formatYen(p.feeMinYen, lang),
                    max: p.feeMaxYen === null ? '' : formatYen(p.feeMaxYen, lang),
                  })}
            </dd>
          </div>
          {p.requiredSkills.length > 0 && (
            <div>
              <dt>{t('publicProject.requiredSkills')}</dt>
              <dd>{joinList(p.requiredSkills, lang)}</dd>
            </div>
          )}
          {p.welcomeSkills.length > 0 && (
            <div>
              <dt>{t('publicProject.welcomeSkills')}</dt>
              <dd>{joinList(p.welcomeSkills, lang)}</dd>
            </div>
          )}
        </dl>
        {p.summary && <p className="pre-wrap">{p.summary}</p>}
        <p className="muted">{t('publicProjects.interestedCount', { n: formatNumber(p.interestedCount, lang) })}</p>
      </section>

      {supporter.status === 'loading' && <Loading />}
      {supporter.status === 'signedOut' && <SignInFirst path={location.pathname} />}
      {supporter.status === 'ready' && (
        <SupporterActions
          project={p}
          me={supporter.me}
          onChanged={(text) => {
            setMessage(text);
            loadMe();
            project.reload();
          }}
          onSignedOut={() => setSupporter({ status: 'signedOut' })}
        />
      )}
    </>
  );
}

/** For a newcomer: register (free) or sign in, and come back here afterwards. */
function SignInFirst({ path }: { path: string }) {
  const t = useT();
  const navigate = useNavigate();
  const go = (to: string) => {
    rememberReturnTo(path);
    navigate(to);
  };
  return (
    <section className="card stack" aria-labelledby="project-sign-in">
      <h2 id="project-sign-in">{t('publicProject.applyTitle')}</h2>
      <p>{t('publicProject.signInFirst')}</p>
      <button type="button" className="button-large" onClick={() => go('/register')}>
        {t('publicProject.register')}
      </button>
      <button type="button" className="button-secondary" onClick={() => go('/me/login')}>
        {t('publicProject.signIn')}
      </button>
    </section>
  );
}

type PublicProject = {
  id: string;
  seatsLeft: number;
  questions: readonly { id: string; text: string; required: boolean }[];
};

function SupporterActions({
  project: p,
  me,
  onChanged,
  onSignedOut,
}: {
  project: PublicProject;
  me: MyData;
  onChanged: (message: string) => void;
  onSignedOut: () => void;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid({ fallbackSelector: '.alert-error' });
  const interested = me.projectInterests.some((i) => i.projectId === p.id && i.withdrawnAt === null);
  const application = me.projectApplications.find((a) => a.projectId === p.id && a.status !== 'withdrawn');
  const options = { csrfToken: me.csrfToken, redirectOn401: false } as const;

  async function attempt(work: () => Promise<string>) {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      onChanged(await work());
    } catch (cause) {
      const e = ApiError.from(cause);
      if (e.status === 401) return onSignedOut();
      setError(e.message);
      const fields: Record<string, string> = {};
      for (const [key, text] of Object.entries(e.fields ?? {})) fields[key.replace(/^body\./, '')] = text;
      setFieldErrors(fields);
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  }

  const tapInterest = () =>
    attempt(async () => {
      await callApi('post', '/api/public/projects/{id}/interest', { params: { path: { id: p.id } } }, options);
      return t('publicProject.interestSaved');
    });

  function apply(event: FormEvent) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    p.questions.forEach((q, i) => {
      if (q.required && !(answers[q.id] ?? '').trim())
        missing[`answers.${i}.answer`] = t('publicProject.answerRequired');
    });
    if (Object.keys(missing).length) {
      setFieldErrors(missing);
      setError(t('common.formHasErrors'));
      focusFirstInvalid();
      return;
    }
    void attempt(async () => {
      const result = await callApi(
        'post',
        '/api/public/projects/{id}/applications',
        {
          params: { path: { id: p.id } },
          body: {
            answers: p.questions
              .filter((q) => (answers[q.id] ?? '').trim())
              .map((q) => ({ questionId: q.id, answer: (answers[q.id] ?? '').trim() })),
            ...(note.trim() ? { message: note.trim() } : {}),
          },
        },
        options,
      );
      return t('publicProject.applied', { status: applicationStatusLabel(t, result.status) });
    });
  }

  return (
    <>
      <p className="hint">{t('publicProject.greeting', { name: me.person.name })}</p>
      {error && !application && <ErrorAlert>{error}</ErrorAlert>}
      <div>
        <button
          type="button"
          className="button-large button-secondary"
          aria-pressed={interested}
          disabled={busy || interested}
          onClick={() => void tapInterest()}
        >
          {interested ? t('publicProject.interestDone') : t('publicProject.interest')}
        </button>
      </div>
      {application ? (
        <p className="card">
          {t('publicProject.alreadyApplied', { status: applicationStatusLabel(t, application.status) })}{' '}
          <Link to="/me">{t('public.navMe')}</Link>
        </p>
      ) : p.seatsLeft === 0 ? (
        <p className="alert alert-error">{t('publicProject.full')}</p>
      ) : (
        <form ref={formRef} onSubmit={apply} noValidate className="card stack public-form" aria-labelledby="apply">
          <h2 id="apply">{t('publicProject.applyTitle')}</h2>
          {p.questions.map((q, i) => (
            <TextAreaField
              key={q.id}
              label={q.text}
              required={q.required}
              rows={3}
              maxLength={L.answer}
              value={answers[q.id] ?? ''}
              onChange={(e) => setAnswers((a) => ({ ...a, [q.id]: e.target.value }))}
              error={fieldErrors[`answers.${i}.answer`] ?? (i === 0 ? fieldErrors.answers : undefined)}
            />
          ))}
          <TextAreaField
            label={t('publicProject.message')}
            rows={3}
            maxLength={L.answer}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={fieldErrors.message}
          />
          <PrivacyNoticeLink />
          <button type="submit" className="button-large" disabled={busy}>
            {busy ? t('publicProject.submitting') : t('publicProject.submit')}
          </button>
        </form>
      )}
    </>
  );
}
