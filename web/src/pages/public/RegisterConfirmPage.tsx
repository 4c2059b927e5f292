import { Link } from 'react-router';
import { MailedLinkPage } from '../../components/MailedLinkPage';
import { useT } from '../../i18n';
import { returnToPath } from '../../returnTo';

/**
 * The confirmation link of a supporter registration (ふるさと住民票) from the mail; a newcomer who
 * came from a project page goes back there (returnTo.ts), everyone else to their page.
 */
export function RegisterConfirmPage() {
  const t = useT();
  return (
    <MailedLinkPage
      title={t('register.confirmTitle')}
      noToken={t('register.confirmNoToken')}
      body={t('register.confirmBody')}
      button={t('register.confirmButton')}
      busyButton={t('register.confirming')}
      endpoint="/api/public/registrations/confirm"
      next={{ to: returnToPath() ?? '/me', flash: t('register.confirmed') }}
      recovery={
        <>
          <Link to="/register">{t('register.startAgain')}</Link> · <Link to="/me/login">{t('me.signInInstead')}</Link>
        </>
      }
    />
  );
}
