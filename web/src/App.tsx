import { lazy, type ComponentType } from 'react';
import { BrowserRouter, Link, Outlet, Route, Routes } from 'react-router';
import { AuthProvider } from './auth';
import { RequireAdmin, RequireAuth, RequireStaffWithPeople } from './components/Guards';
import { Layout } from './components/Layout';
import { PageTitle } from './components/PageTitle';
import { PublicLayout } from './components/PublicLayout';
import { LangProvider, useT } from './i18n';
import { LoginPage } from './pages/LoginPage';
import { MeDeletedPage } from './pages/public/MeDeletedPage';
import { MeLoginPage } from './pages/public/MeLoginPage';
import { MePage } from './pages/public/MePage';
import { MeSignInPage } from './pages/public/MeSignInPage';
import { RegisterConfirmPage } from './pages/public/RegisterConfirmPage';
import { RegisterPage } from './pages/public/RegisterPage';
import { RegisterSentPage } from './pages/public/RegisterSentPage';
import { VerifyPage } from './pages/public/VerifyPage';

/** A page loaded on first visit, so a supporter's phone never downloads the staff screens. */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

const AccountPage = lazyPage(() => import('./pages/AccountPage'), 'AccountPage');
const AuditPage = lazyPage(() => import('./pages/AuditPage'), 'AuditPage');
const CertificationsPage = lazyPage(() => import('./pages/CertificationsPage'), 'CertificationsPage');
const DashboardPage = lazyPage(() => import('./pages/DashboardPage'), 'DashboardPage');
const ImportsPage = lazyPage(() => import('./pages/ImportsPage'), 'ImportsPage');
const PeopleListPage = lazyPage(() => import('./pages/PeopleListPage'), 'PeopleListPage');
const PersonFormPage = lazyPage(() => import('./pages/PersonFormPage'), 'PersonFormPage');
const PersonPage = lazyPage(() => import('./pages/PersonPage'), 'PersonPage');
const StaffPage = lazyPage(() => import('./pages/StaffPage'), 'StaffPage');
const TokensPage = lazyPage(() => import('./pages/TokensPage'), 'TokensPage');

/**
 * Two apps in one bundle: the public pages (sign-up, the supporter's own page, card check) and
 * the staff UI, whose pages load on demand. Only the staff routes sit inside AuthProvider, so a
 * supporter's phone never asks for a staff session and a staff session never leaks into the
 * public pages.
 */
export function App() {
  return (
    <LangProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<PublicLayout />}>
            <Route path="/register" element={<RegisterPage />} />
            <Route path="/register/sent" element={<RegisterSentPage />} />
            <Route path="/register/confirm" element={<RegisterConfirmPage />} />
            <Route path="/me" element={<MePage />} />
            <Route path="/me/login" element={<MeLoginPage />} />
            <Route path="/me/sign-in" element={<MeSignInPage />} />
            <Route path="/me/deleted" element={<MeDeletedPage />} />
            <Route path="/verify" element={<VerifyPage />} />
          </Route>
          <Route element={<StaffRoot />}>
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireAuth>
                  <Layout />
                </RequireAuth>
              }
            >
              <Route index element={<DashboardPage />} />
              <Route path="people" element={<PeopleListPage />} />
              <Route path="people/new" element={<PersonFormPage />} />
              <Route path="people/:id" element={<PersonPage />} />
              <Route path="people/:id/edit" element={<PersonFormPage />} />
              <Route path="imports" element={<RequireStaffWithPeople><ImportsPage /></RequireStaffWithPeople>} />
              <Route path="certifications" element={<RequireStaffWithPeople><CertificationsPage /></RequireStaffWithPeople>} />
              <Route path="staff" element={<RequireAdmin><StaffPage /></RequireAdmin>} />
              <Route path="audit" element={<RequireAdmin><AuditPage /></RequireAdmin>} />
              <Route path="tokens" element={<RequireAdmin><TokensPage /></RequireAdmin>} />
              <Route path="account" element={<AccountPage />} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Route>
        </Routes>
      </BrowserRouter>
    </LangProvider>
  );
}

function StaffRoot() {
  return (
    <AuthProvider>
      <Outlet />
    </AuthProvider>
  );
}

function NotFound() {
  const t = useT();
  return (
    <>
      <PageTitle>{t('app.notFound')}</PageTitle>
      <p>
        <Link to="/">{t('app.backHome')}</Link>
      </p>
    </>
  );
}
