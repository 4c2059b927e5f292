import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, type ComponentType } from 'react';
import { BrowserRouter, Link, Navigate, Outlet, Route, Routes } from 'react-router';
import { AuthProvider, canWorkWithPeople, useUser } from './auth';
import { RequireAdmin, RequireAuth, RequireStaffWithPeople } from './components/Guards';
import { Layout } from './components/Layout';
import { PageTitle } from './components/PageTitle';
import { PublicLayout } from './components/PublicLayout';
import { queryClient } from './data/queries';
import { LangProvider, useT } from './i18n';
import { LoginPage } from './pages/LoginPage';
import { MeDeletedPage } from './pages/public/MeDeletedPage';
import { MeLoginPage } from './pages/public/MeLoginPage';
import { MePage } from './pages/public/MePage';
import { MeSignInPage } from './pages/public/MeSignInPage';
import { RegisterConfirmPage } from './pages/public/RegisterConfirmPage';
import { RegisterPage } from './pages/public/RegisterPage';
import { RegisterSentPage } from './pages/public/RegisterSentPage';
import { PublicEventPage } from './pages/public/PublicEventPage';
import { PublicEventSentPage } from './pages/public/PublicEventSentPage';
import { PublicEventsPage } from './pages/public/PublicEventsPage';
import { TicketPage } from './pages/public/TicketPage';
import { ScoutReplyPage } from './pages/public/ScoutReplyPage';
import { UnsubscribePage } from './pages/public/UnsubscribePage';
import { VerifyPage } from './pages/public/VerifyPage';
import { PrivacyPage } from './pages/public/PrivacyPage';

/** A page loaded on first visit, so a supporter's phone never downloads the staff screens. */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

const AccountPage = lazyPage(() => import('./pages/AccountPage'), 'AccountPage');
const AuditPage = lazyPage(() => import('./pages/AuditPage'), 'AuditPage');
const CertificationsPage = lazyPage(() => import('./pages/CertificationsPage'), 'CertificationsPage');
const PremiumReviewPage = lazyPage(() => import('./pages/PremiumReviewPage'), 'PremiumReviewPage');
const DashboardPage = lazyPage(() => import('./pages/DashboardPage'), 'DashboardPage');
const ImportsPage = lazyPage(() => import('./pages/ImportsPage'), 'ImportsPage');
const PeopleListPage = lazyPage(() => import('./pages/PeopleListPage'), 'PeopleListPage');
const PersonFormPage = lazyPage(() => import('./pages/PersonFormPage'), 'PersonFormPage');
const PersonPage = lazyPage(() => import('./pages/PersonPage'), 'PersonPage');
const StaffPage = lazyPage(() => import('./pages/StaffPage'), 'StaffPage');
const TokensPage = lazyPage(() => import('./pages/TokensPage'), 'TokensPage');
const SegmentsPage = lazyPage(() => import('./pages/SegmentsPage'), 'SegmentsPage');
const OrganizationSettingsPage = lazyPage(() => import('./pages/OrganizationSettingsPage'), 'OrganizationSettingsPage');
const AnalyticsPage = lazyPage(() => import('./pages/analytics/AnalyticsPage'), 'AnalyticsPage');
const KpiPage = lazyPage(() => import('./pages/kpi/KpiPage'), 'KpiPage');
const PublicKpiPage = lazyPage(() => import('./pages/public/PublicKpiPage'), 'PublicKpiPage');
const CasePage = lazyPage(() => import('./pages/consultations/CasePage'), 'CasePage');
const CheckinPage = lazyPage(() => import('./pages/events/CheckinPage'), 'CheckinPage');
const ConsultationsPage = lazyPage(() => import('./pages/consultations/ConsultationsPage'), 'ConsultationsPage');
const EventFormPage = lazyPage(() => import('./pages/events/EventFormPage'), 'EventFormPage');
const EventPage = lazyPage(() => import('./pages/events/EventPage'), 'EventPage');
const EventsListPage = lazyPage(() => import('./pages/events/EventsListPage'), 'EventsListPage');
const FollowupsPage = lazyPage(() => import('./pages/consultations/FollowupsPage'), 'FollowupsPage');
const QuickConsultationPage = lazyPage(
  () => import('./pages/consultations/QuickConsultationPage'),
  'QuickConsultationPage',
);
const ReferralsPage = lazyPage(() => import('./pages/consultations/ReferralsPage'), 'ReferralsPage');
const IssuesListPage = lazyPage(() => import('./pages/matching/IssuesListPage'), 'IssuesListPage');
const IssueFormPage = lazyPage(() => import('./pages/matching/IssueFormPage'), 'IssueFormPage');
const IssuePage = lazyPage(() => import('./pages/matching/IssuePage'), 'IssuePage');
const ProjectsListPage = lazyPage(() => import('./pages/matching/ProjectsListPage'), 'ProjectsListPage');
const ProjectFormPage = lazyPage(() => import('./pages/matching/ProjectFormPage'), 'ProjectFormPage');
const ProjectPage = lazyPage(() => import('./pages/matching/ProjectPage'), 'ProjectPage');
const ProposalPage = lazyPage(() => import('./pages/matching/ProposalPage'), 'ProposalPage');
const MatchesListPage = lazyPage(() => import('./pages/matching/MatchesListPage'), 'MatchesListPage');
const MatchPage = lazyPage(() => import('./pages/matching/MatchPage'), 'MatchPage');
const ReceivingPage = lazyPage(() => import('./pages/matching/ReceivingPage'), 'ReceivingPage');
const PublicProjectsPage = lazyPage(() => import('./pages/public/PublicProjectsPage'), 'PublicProjectsPage');
const PublicProjectPage = lazyPage(() => import('./pages/public/PublicProjectPage'), 'PublicProjectPage');

/**
 * Two apps in one bundle: the public pages (sign-up, the supporter's own page, card check) and
 * the staff UI, whose pages load on demand. Only the staff routes sit inside AuthProvider, so a
 * supporter's phone never asks for a staff session and a staff session never leaks into the
 * public pages.
 */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
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
              <Route path="/privacy" element={<PrivacyPage />} />
              <Route path="/events" element={<PublicEventsPage />} />
              <Route path="/events/:id" element={<PublicEventPage />} />
              <Route path="/events/:id/sent" element={<PublicEventSentPage />} />
              <Route path="/tickets/:token" element={<TicketPage />} />
              <Route path="/scouts/:token" element={<ScoutReplyPage />} />
              <Route path="/unsubscribe" element={<UnsubscribePage />} />
              <Route path="/projects" element={<PublicProjectsPage />} />
              <Route path="/projects/:id" element={<PublicProjectPage />} />
              <Route path="/kpi/public" element={<PublicKpiPage />} />
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
                <Route index element={<Home />} />
                <Route path="people" element={<PeopleListPage />} />
                <Route path="people/new" element={<PersonFormPage />} />
                <Route path="people/:id" element={<PersonPage />} />
                <Route path="people/:id/edit" element={<PersonFormPage />} />
                <Route
                  path="imports"
                  element={
                    <RequireStaffWithPeople>
                      <ImportsPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="premium-review"
                  element={
                    <RequireStaffWithPeople>
                      <PremiumReviewPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="certifications"
                  element={
                    <RequireStaffWithPeople>
                      <CertificationsPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="manage/events"
                  element={
                    <RequireStaffWithPeople>
                      <EventsListPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="manage/events/new"
                  element={
                    <RequireStaffWithPeople>
                      <EventFormPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="manage/events/:id"
                  element={
                    <RequireStaffWithPeople>
                      <EventPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="manage/events/:id/edit"
                  element={
                    <RequireStaffWithPeople>
                      <EventFormPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="manage/events/:id/checkin"
                  element={
                    <RequireStaffWithPeople>
                      <CheckinPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="consultations"
                  element={
                    <RequireStaffWithPeople>
                      <ConsultationsPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="consultations/new"
                  element={
                    <RequireStaffWithPeople>
                      <QuickConsultationPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="cases/:id"
                  element={
                    <RequireStaffWithPeople>
                      <CasePage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="issues"
                  element={
                    <RequireStaffWithPeople>
                      <IssuesListPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="issues/new"
                  element={
                    <RequireStaffWithPeople>
                      <IssueFormPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="issues/:id"
                  element={
                    <RequireStaffWithPeople>
                      <IssuePage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="issues/:id/edit"
                  element={
                    <RequireStaffWithPeople>
                      <IssueFormPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route path="manage/projects" element={<ProjectsListPage />} />
                <Route path="manage/projects/new" element={<ProjectFormPage />} />
                <Route path="manage/projects/:id" element={<ProjectPage />} />
                <Route path="manage/projects/:id/edit" element={<ProjectFormPage />} />
                <Route
                  path="proposals"
                  element={
                    <RequireStaffWithPeople>
                      <ProposalPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="matches"
                  element={
                    <RequireStaffWithPeople>
                      <MatchesListPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="matches/:id"
                  element={
                    <RequireStaffWithPeople>
                      <MatchPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="receiving"
                  element={
                    <RequireStaffWithPeople>
                      <ReceivingPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route path="referrals" element={<ReferralsPage />} />
                <Route
                  path="followups"
                  element={
                    <RequireStaffWithPeople>
                      <FollowupsPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="analysis"
                  element={
                    <RequireStaffWithPeople>
                      <AnalyticsPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="kpi"
                  element={
                    <RequireStaffWithPeople>
                      <KpiPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route
                  path="staff"
                  element={
                    <RequireAdmin>
                      <StaffPage />
                    </RequireAdmin>
                  }
                />
                <Route
                  path="audit"
                  element={
                    <RequireAdmin>
                      <AuditPage />
                    </RequireAdmin>
                  }
                />
                <Route
                  path="tokens"
                  element={
                    <RequireAdmin>
                      <TokensPage />
                    </RequireAdmin>
                  }
                />
                <Route path="settings/organization" element={<OrganizationSettingsPage />} />
                <Route
                  path="segments"
                  element={
                    <RequireStaffWithPeople>
                      <SegmentsPage />
                    </RequireStaffWithPeople>
                  }
                />
                <Route path="account" element={<AccountPage />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Route>
          </Routes>
        </BrowserRouter>
      </LangProvider>
    </QueryClientProvider>
  );
}

/** The start page: the dashboard, or a partner agency's referral inbox (all they work with). */
function Home() {
  const user = useUser();
  return canWorkWithPeople(user) ? <DashboardPage /> : <Navigate to="/referrals" replace />;
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
