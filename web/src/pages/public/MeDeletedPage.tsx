import { Link } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';

/** After the supporter deleted their registration: nothing of them is left to show. */
export function MeDeletedPage() {
  const t = useT();
  return (
    <>
      <PageTitle>{t('me.deletedTitle')}</PageTitle>
      <div className="card stack">
        <p className="lead">{t('me.deletedBody')}</p>
        <p>{t('me.deletedThanks')}</p>
      </div>
      <p>
        <Link to="/register">{t('me.deletedRegisterAgain')}</Link>
      </p>
    </>
  );
}
