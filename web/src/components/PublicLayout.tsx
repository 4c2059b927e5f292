import { Suspense } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { useT } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { Loading } from './Messages';
import { SiteNameContext } from './PageTitle';

/**
 * The frame of the public pages (sign-up, the supporter's own page, card check): no staff
 * navigation and no staff session, phone first, with the language switch always in reach.
 */
export function PublicLayout() {
  const t = useT();
  return (
    <SiteNameContext.Provider value={t('public.siteName')}>
      <div className="public-page">
        <a className="skip-link" href="#main">
          {t('app.skipToContent')}
        </a>
        <header className="public-header">
          <Link to="/register" className="public-brand">
            {t('public.siteName')}
          </Link>
          <LanguageSwitch />
        </header>
        <main id="main" tabIndex={-1} className="public-main">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
        <footer className="public-footer">
          <nav aria-label={t('public.footerNav')}>
            <ul>
              <li>
                <NavLink to="/register" end>
                  {t('public.navRegister')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/events">{t('public.navEvents')}</NavLink>
              </li>
              <li>
                <NavLink to="/projects">{t('public.navProjects')}</NavLink>
              </li>
              <li>
                <NavLink to="/me" end>
                  {t('public.navMe')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/verify">{t('public.navVerify')}</NavLink>
              </li>
              <li>
                <NavLink to="/kpi/public">{t('public.navKpi')}</NavLink>
              </li>
              <li>
                <NavLink to="/privacy">{t('privacy.link')}</NavLink>
              </li>
            </ul>
          </nav>
          <p className="public-operator">{t('public.operator')}</p>
        </footer>
      </div>
    </SiteNameContext.Provider>
  );
}
