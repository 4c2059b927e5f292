/**
 * Pieces the matching pages share: the reasons behind a score said in words (factor, points,
 * detail — never a bare number), and who may coordinate.
 */
import type { SessionUser } from '../../types';
import { NavLink } from 'react-router';
import { canWorkWithPeople } from '../../auth';
import { useT } from '../../i18n';
import { scoreFactorLabel } from '../../vocab';

export type Reason = { factor: string; points: number; detail: string };

/** Center and prefecture staff (関係案内所): move an issue's status, ask for proposals. */
export const isCoordinator = (user: SessionUser) => user.role === 'prefecture_admin' || user.role === 'center_staff';

/** Points with their sign, as the reasons read them (+20, −10). */
export function signedPoints(points: number): string {
  return points > 0 ? `+${points}` : points < 0 ? `−${Math.abs(points)}` : '0';
}

/** Each reason of a score: what it is about, its points and the detail in words. */
export function ReasonList({ reasons, label }: { reasons: readonly Reason[]; label: string }) {
  const t = useT();
  return (
    <ul className="reason-list" aria-label={label}>
      {reasons.map((r) => (
        <li key={`${r.factor}-${r.detail}`} className={r.points < 0 ? 'reason reason-minus' : 'reason'}>
          <span className="reason-factor">{scoreFactorLabel(t, r.factor)}</span>{' '}
          <span className="reason-points">{t('project.reasonPoints', { points: signedPoints(r.points) })}</span>
          <span className="reason-detail">{r.detail}</span>
        </li>
      ))}
    </ul>
  );
}

export { MunicipalitySelect } from '../../components/MunicipalitySelect';

/**
 * The matching pages reached from one entry of the main menu: issues, projects, matches (a
 * partner has only its projects). The page shown is marked aria-current by NavLink.
 */
export function MatchingNav({ user }: { user: SessionUser }) {
  const t = useT();
  const links = canWorkWithPeople(user)
    ? [
        { to: '/issues', label: t('nav.issues') },
        { to: '/manage/projects', label: t('nav.projects') },
        { to: '/matches', label: t('nav.matches') },
        { to: '/receiving', label: t('nav.receiving') },
      ]
    : [];
  if (links.length === 0) return null;
  return (
    <nav className="segmented-nav matching-nav" aria-label={t('nav.matchingPages')}>
      {links.map((l) => (
        <NavLink key={l.to} to={l.to} end className="button button-secondary">
          {l.label}
        </NavLink>
      ))}
    </nav>
  );
}
