import { Link, useLocation } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';

/** After the sign-up form: nothing is registered until the link in the mail is used. */
export function RegisterSentPage() {
  const t = useT();
  const location = useLocation();
  const state = location.state as { email?: unknown } | null;
  const email = typeof state?.email === 'string' ? state.email : null;
  return (
    <>
      <PageTitle>{t('register.sentTitle')}</PageTitle>
      <div className="card stack">
        <p className="lead">{email ? t('register.sentTo', { email }) : t('register.sentBody')}</p>
        <p>{t('register.sentNext')}</p>
        <p className="hint">{t('register.sentNoMail')}</p>
      </div>
      <p>
        <Link to="/register">{t('register.sentBack')}</Link>
      </p>
    </>
  );
}
