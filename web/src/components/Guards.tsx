import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { canWorkWithPeople, isAdmin, useAuth } from '../auth';
import { useT } from '../i18n';
import { ErrorAlert, Loading } from './Messages';

/** Sends signed-out users to the login page, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  if (auth.status === 'loading') return <Loading />;
  if (auth.status === 'signedOut') {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}

/** The server enforces admin rights; this only avoids showing a page that would fail. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const t = useT();
  if (auth.status !== 'signedIn' || !isAdmin(auth.user)) return <ErrorAlert>{t('app.forbidden')}</ErrorAlert>;
  return <>{children}</>;
}

/** Pages about people's records (imports, certifications): not for partner agencies. */
export function RequireStaffWithPeople({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const t = useT();
  if (auth.status !== 'signedIn' || !canWorkWithPeople(auth.user)) return <ErrorAlert>{t('app.forbidden')}</ErrorAlert>;
  return <>{children}</>;
}
