import { useMemo } from 'react';
import { ErrorAlert, Loading } from '../../components/Messages';
import { byCodeMap, consentPurposeLabel, involvementLabel, municipalityLabel, rootLabel } from '../../format';
import { useMunicipalities } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { formatDateTime, useLang, useT } from '../../i18n';

/** What the person told about themselves when signing up, and the consents in force. */
export function SupporterProfilePanel({ personId }: { personId: string }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const view = useApiQuery('/api/people/{id}/supporter-profile', { params: { path: { id: personId } } });
  const none = t('common.none');
  const list = (items: string[], label: (s: string) => string = (s) => s) =>
    items.length ? items.map(label).join(lang === 'ja' ? '、' : ', ') : none;

  return (
    <section aria-labelledby="profile-heading" className="card">
      <h2 id="profile-heading">{t('profile.title')}</h2>
      {view.error && <ErrorAlert onRetry={view.reload}>{view.error.message}</ErrorAlert>}
      {view.loading && !view.data && <Loading />}
      {view.data && !view.data.profile && view.data.consents.length === 0 && <p>{t('profile.none')}</p>}
      {view.data?.profile && (
        <dl className="details">
          <div>
            <dt>{t('register.roots')}</dt>
            <dd>
              {list(view.data.profile.roots, (r) => rootLabel(t, r))}
              {view.data.profile.rootsOther && `（${view.data.profile.rootsOther}）`}
            </dd>
          </div>
          <div>
            <dt>{t('register.involvement')}</dt>
            <dd>{list(view.data.profile.involvement, (k) => involvementLabel(t, k))}</dd>
          </div>
          <div>
            <dt>{t('register.interests')}</dt>
            <dd>{list(view.data.profile.interests)}</dd>
          </div>
          <div>
            <dt>{t('register.skills')}</dt>
            <dd>{list(view.data.profile.skills)}</dd>
          </div>
        </dl>
      )}
      {view.data && view.data.consents.length > 0 && (
        <>
          <h3>{t('profile.consents')}</h3>
          <p className="hint">{t('profile.consentsHint')}</p>
          <ul className="consent-list">
            {view.data.consents.map((c) => (
              <li key={`${c.purpose}-${c.municipalityCode ?? ''}`}>
                <span className={c.granted ? 'consent-yes' : 'consent-no'}>
                  <span aria-hidden="true">{c.granted ? '✓ ' : '✗ '}</span>
                  {c.granted ? t('me.consentYes') : t('me.consentNo')}
                </span>{' '}
                {consentPurposeLabel(t, c.purpose)}
                {c.municipalityCode &&
                  `（${municipalityLabel(byCode.get(c.municipalityCode), c.municipalityCode, lang)}）`}
                <span className="muted"> — {formatDateTime(c.recordedAt, lang)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
