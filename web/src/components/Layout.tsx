import { Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { canWorkWithPeople, isAdmin, useUser, useAuth } from '../auth';
import { roleLabel, municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useApiQuery } from '../data/queries';
import { useLang, useT } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { Loading } from './Messages';

export function Layout() {
  const t = useT();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="header-top">
          <span className="app-name">{t('app.name')}</span>
          <div className="header-tools">
            <UserBadge />
            <LanguageSwitch />
            <LogoutButton />
          </div>
        </div>
        <MainNav />
      </header>
      <main id="main" tabIndex={-1} className="app-main">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}

function MainNav() {
  const t = useT();
  const user = useUser();
  // Partner agencies work only their referral inbox; everyone else gets the full set.
  const links: { to: string; label: string; end?: boolean }[] = canWorkWithPeople(user)
    ? [
        { to: '/', label: t('nav.dashboard'), end: true },
        { to: '/people', label: t('nav.people') },
        { to: '/manage/events', label: t('nav.events') },
        { to: '/consultations', label: t('nav.consultations') },
        { to: '/referrals', label: t('nav.referrals') },
        // Issues, projects and matches are one family of pages, linked to each other from each list.
        { to: '/issues', label: t('nav.matching') },
        { to: '/followups', label: t('nav.followups') },
        { to: '/analysis', label: t('nav.analysis') },
        { to: '/kpi', label: t('nav.kpi') },
        { to: '/imports', label: t('nav.imports') },
        { to: '/certifications', label: t('nav.certifications') },
      ]
    : [
        { to: '/referrals', label: t('nav.referralInbox') },
        // A partner posts its organization's projects and sees their applicants.
        { to: '/manage/projects', label: t('nav.projects') },
      ];
  links.push(
    ...(isAdmin(user)
      ? [
          { to: '/staff', label: t('nav.staff') },
          { to: '/audit', label: t('nav.audit') },
          { to: '/tokens', label: t('nav.tokens') },
        ]
      : []),
    { to: '/account', label: t('nav.account') },
  );
  // On a phone the links fold behind one button; a chosen page folds them again.
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the menu closes whenever the page changes
  useEffect(() => setOpen(false), [pathname]);
  return (
    <nav aria-label={t('nav.label')} className={open ? 'main-nav main-nav-open' : 'main-nav'}>
      <button
        type="button"
        className="menu-button button-secondary"
        aria-expanded={open}
        aria-controls="main-nav-links"
        onClick={() => setOpen((o) => !o)}
      >
        {t('nav.menu')}
      </button>
      <ul id="main-nav-links">
        {links.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end={link.end ?? false}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function UserBadge() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  // Partner staff are identified by their organization; only they need the list.
  const organizations = useApiQuery('/api/organizations', undefined, { enabled: user.organizationId !== null });
  const organization = organizations.data?.items.find((o) => o.id === user.organizationId)?.name ?? null;
  const municipality = user.municipalityCode
    ? municipalityLabel(
        municipalities.find((m) => m.code === user.municipalityCode),
        user.municipalityCode,
        lang,
      )
    : null;
  return (
    <p className="user-badge">
      <span className="visually-hidden">{t('nav.userInfo')}: </span>
      <span className="user-name">{user.name}</span>
      <span className="user-role">
        {roleLabel(t, user.role)}
        {municipality && ` · ${municipality}`}
        {organization && ` · ${organization}`}
      </span>
    </p>
  );
}

function LogoutButton() {
  const t = useT();
  const { logout } = useAuth();
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="button-secondary"
      onClick={() => {
        void logout().finally(() => navigate('/login', { replace: true }));
      }}
    >
      {t('nav.logout')}
    </button>
  );
}
