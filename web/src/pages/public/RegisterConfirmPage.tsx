import { Link } from 'react-router';
import { MailedLinkPage } from '../../components/MailedLinkPage';
import { useT } from '../../i18n';

/** The confirmation link of a supporter registration (ふるさと住民票) from the mail. */
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
      next={{ to: '/me', flash: t('register.confirmed') }}
      recovery={
        <>
          <Link to="/register">{t('register.startAgain')}</Link> · <Link to="/me/login">{t('me.signInInstead')}</Link>
        </>
      }
    />
  );
}
