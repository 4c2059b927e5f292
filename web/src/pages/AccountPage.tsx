import { useState, type FormEvent } from 'react';
import { ApiError, type FieldErrors } from '../api';
import { callApi } from '../data/client';
import { useAuth, useUser } from '../auth';
import { TextField } from '../components/Fields';
import { ErrorAlert, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { municipalityLabel, roleLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useLang, useT } from '../i18n';

export function AccountPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  const municipality = user.municipalityCode
    ? municipalityLabel(
        municipalities.find((m) => m.code === user.municipalityCode),
        user.municipalityCode,
        lang,
      )
    : null;

  return (
    <>
      <PageTitle>{t('account.title')}</PageTitle>
      <section aria-labelledby="profile-heading" className="card">
        <h2 id="profile-heading">{t('account.profile')}</h2>
        <dl className="details">
          <div>
            <dt>{t('staff.name')}</dt>
            <dd>{user.name}</dd>
          </div>
          <div>
            <dt>{t('staff.email')}</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>{t('staff.role')}</dt>
            <dd>{roleLabel(t, user.role)}</dd>
          </div>
          {municipality && (
            <div>
              <dt>{t('staff.municipality')}</dt>
              <dd>{municipality}</dd>
            </div>
          )}
        </dl>
      </section>
      <ChangePasswordForm />
    </>
  );
}

function ChangePasswordForm() {
  const t = useT();
  const { applySession } = useAuth();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(false);
    if (newPassword !== confirm) {
      setFieldErrors({ confirm: t('account.mismatch') });
      setError(t('common.formHasErrors'));
      return;
    }
    setFieldErrors({});
    setSaving(true);
    try {
      // A wrong current password may come back as 401; that is a form error, not a lost session.
      const result = await callApi(
        'post',
        '/api/auth/password',
        { body: { currentPassword, newPassword } },
        { redirectOn401: false },
      );
      // Servers commonly rotate the session on a password change; pick up the new CSRF token if sent.
      if (result) applySession(result);
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
      setDone(true);
    } catch (cause) {
      const apiError = cause instanceof ApiError ? cause : null;
      setError(apiError?.message ?? String(cause));
      setFieldErrors(apiError?.fields ?? {});
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby="password-heading" className="card">
      <h2 id="password-heading">{t('account.passwordTitle')}</h2>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {done && <StatusMessage>{t('account.changed')}</StatusMessage>}
      <form onSubmit={submit} noValidate className="stack narrow">
        <TextField
          label={t('account.currentPassword')}
          type="password"
          required
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
          error={fieldErrors.currentPassword}
        />
        <TextField
          label={t('account.newPassword')}
          hint={t('account.newPasswordHint')}
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={fieldErrors.newPassword}
        />
        <TextField
          label={t('account.confirmPassword')}
          type="password"
          required
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={fieldErrors.confirm}
        />
        <div className="button-row">
          <button type="submit" disabled={saving}>
            {saving ? t('common.saving') : t('account.changePassword')}
          </button>
        </div>
      </form>
    </section>
  );
}
