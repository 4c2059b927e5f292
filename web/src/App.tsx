import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { AuthProvider } from './auth';
import { RequireAdmin, RequireAuth } from './components/Guards';
import { Layout } from './components/Layout';
import { PageTitle } from './components/PageTitle';
import { LangProvider, useT } from './i18n';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/AuditPage';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { PeopleListPage } from './pages/PeopleListPage';
import { PersonFormPage } from './pages/PersonFormPage';
import { PersonPage } from './pages/PersonPage';
import { StaffPage } from './pages/StaffPage';
import { TokensPage } from './pages/TokensPage';

export function App() {
  return (
    <LangProvider>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
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
              <Route path="staff" element={<RequireAdmin><StaffPage /></RequireAdmin>} />
              <Route path="audit" element={<RequireAdmin><AuditPage /></RequireAdmin>} />
              <Route path="tokens" element={<RequireAdmin><TokensPage /></RequireAdmin>} />
              <Route path="account" element={<AccountPage />} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AuthProvider>
    </LangProvider>
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
