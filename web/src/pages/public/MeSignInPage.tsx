import { Link } from 'react-router';
import { MailedLinkPage } from '../../components/MailedLinkPage';
import { useT } from '../../i18n';
import { returnToPath } from '../../returnTo';

/** The one-time sign-in link from the mail. */
export function MeSignInPage() {
  const t = useT();
  return (
    <MailedLinkPage
      title={t('me.signInTitle')}
      noToken={t('me.signInNoToken')}
      body={t('me.signInBody')}
      button={t('me.signInButton')}
      endpoint="/api/public/session"
      next={{ to: returnToPath() ?? '/me' }}
      recovery={<Link to="/me/login">{t('me.requestNewLink')}</Link>}
    />
  );
}
