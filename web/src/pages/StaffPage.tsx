import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type Resolver, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { STAFF_ROLES, type StaffRole } from '../../../src/shared/domain';
import { CreateStaff } from '../../../src/shared/schemas/staff';
import { ApiError, itemsOf } from '../api';
import { callApi } from '../data/client';
import { bodySchemaResolver, flatErrors, showServerErrors } from '../data/forms';
import { useUser } from '../auth';
import { SelectField, TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { byCodeMap, municipalityLabel, roleLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { useApiMutation, useApiQuery } from '../data/queries';
import { formatDateTime, useLang, useT } from '../i18n';
import type { Organization, Staff } from '../types';
import { TableScroll } from '../components/TableScroll';

export function StaffPage() {
  const t = useT();
  const staff = useApiQuery('/api/staff');
  const organizations = useApiQuery('/api/organizations');
  const [message, setMessage] = useState<string | null>(null);

  return (
    <>
      <PageTitle>{t('staff.title')}</PageTitle>
      <p>
        <Link to="/settings/organization">{t('orgSettings.link')}</Link>
      </p>
      {message && <StatusMessage>{message}</StatusMessage>}
      {staff.error && <ErrorAlert onRetry={staff.reload}>{staff.error.message}</ErrorAlert>}
      {staff.loading && !staff.data && <Loading />}
      {staff.data && (
        <StaffTable
          staff={itemsOf(staff.data)}
          organizations={organizations.data ? itemsOf(organizations.data) : []}
          onChanged={setMessage}
        />
      )}
      <CreateStaffForm
        organizations={organizations.data ? itemsOf(organizations.data) : []}
        onCreated={(created) => {
          setMessage(t('staff.created', { name: created.name }));
          staff.reload();
        }}
      />
    </>
  );
}

function StaffTable({
  staff,
  organizations,
  onChanged,
}: {
  staff: Staff[];
  organizations: Organization[];
  onChanged: (message: string) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const me = useUser();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const orgName = (id: string | null) => (id ? (organizations.find((o) => o.id === id)?.name ?? id) : t('common.none'));
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const updateStaff = useApiMutation('patch', '/api/staff/{id}', { invalidates: ['/api/staff'] });

  async function toggle(member: Staff) {
    setBusyId(member.id);
    setError(null);
    try {
      await updateStaff.send({ params: { path: { id: member.id } }, body: { disabled: !member.disabled } });
      onChanged(t('staff.updated', { name: member.name }));
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : String(cause));
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section className="card">
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <TableScroll label={t('staff.listCaption')}>
        <table>
          <caption>{t('staff.listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('staff.name')}</th>
              <th scope="col">{t('staff.email')}</th>
              <th scope="col">{t('staff.role')}</th>
              <th scope="col">{t('staff.municipality')}</th>
              <th scope="col">{t('staff.organization')}</th>
              <th scope="col">{t('staff.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('staff.disable')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.map((member) => (
              <tr key={member.id} className={member.disabled ? 'row-disabled' : undefined}>
                <th scope="row">{member.name}</th>
                <td className="break">{member.email}</td>
                <td>{roleLabel(t, member.role)}</td>
                <td>
                  {member.municipalityCode
                    ? municipalityLabel(byCode.get(member.municipalityCode), member.municipalityCode, lang)
                    : t('common.none')}
                </td>
                <td>{orgName(member.organizationId)}</td>
                <td>
                  {member.disabled ? t('staff.disabled') : t('staff.active')}
                  {member.lockedUntil && new Date(member.lockedUntil).getTime() > Date.now() && (
                    <span className="muted">
                      {' '}
                      · {t('staff.locked', { until: formatDateTime(member.lockedUntil, lang) })}
                    </span>
                  )}
                </td>
                <td>
                  {/* An admin cannot lock themself out from this screen. */}
                  {member.id !== me.id && (
                    <button
                      type="button"
                      className="button-secondary"
                      disabled={busyId === member.id}
                      aria-label={t(member.disabled ? 'staff.enableLabel' : 'staff.disableLabel', {
                        name: member.name,
                      })}
                      onClick={() => void toggle(member)}
                    >
                      {member.disabled ? t('staff.enable') : t('staff.disable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

type NewStaff = {
  email: string;
  name: string;
  role: StaffRole | '';
  municipalityCode: string;
  organizationId: string;
  password: string;
};
const EMPTY_STAFF: NewStaff = { email: '', name: '', role: '', municipalityCode: '', organizationId: '', password: '' };
type StaffBody = z.output<typeof CreateStaff>;

/**
 * The body the form stands for, checked by the shared CreateStaff schema before sending:
 * municipality and organization only belong to the roles that are scoped by them.
 */
function staffBodyOf(form: NewStaff) {
  return {
    email: form.email.trim(),
    name: form.name.trim(),
    role: form.role,
    password: form.password,
    ...(form.role === 'municipality_staff' ? { municipalityCode: form.municipalityCode || null } : {}),
    ...(form.role === 'partner' ? { organizationId: form.organizationId || null } : {}),
  };
}

function CreateStaffForm({
  organizations,
  onCreated,
}: {
  organizations: Organization[];
  onCreated: (staff: Staff) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const {
    watch,
    setValue,
    handleSubmit,
    setError: setFieldError,
    reset,
    formState,
  } = useForm<NewStaff, unknown, StaffBody>({
    defaultValues: EMPTY_STAFF,
    resolver: bodySchemaResolver(staffBodyOf, CreateStaff, lang) as Resolver<NewStaff, unknown, StaffBody>,
  });
  const form = watch();
  const fieldErrors = flatErrors(formState.errors);
  const [error, setError] = useState<string | null>(null);
  const saving = formState.isSubmitting;
  const set = (key: keyof NewStaff) => (e: { target: { value: string } }) => setValue(key, e.target.value);

  const submit = handleSubmit(
    async (body) => {
      setError(null);
      try {
        const created = await callApi('post', '/api/staff', { body });
        reset(EMPTY_STAFF);
        onCreated(created);
      } catch (cause) {
        const apiError = cause instanceof ApiError ? cause : null;
        setError(apiError?.message ?? String(cause));
        showServerErrors(apiError?.fields, setFieldError);
      }
    },
    () => setError(t('common.formHasErrors')),
  );

  return (
    <section aria-labelledby="create-staff-heading" className="card">
      <h2 id="create-staff-heading">{t('staff.createTitle')}</h2>
      {error && <ErrorAlert>{error}</ErrorAlert>}
      <form onSubmit={submit} noValidate className="stack">
        <div className="grid-2">
          <TextField
            label={t('staff.name')}
            required
            name="name"
            value={form.name}
            onChange={set('name')}
            error={fieldErrors.name}
            autoComplete="off"
          />
          <TextField
            label={t('staff.email')}
            required
            type="email"
            name="email"
            value={form.email}
            onChange={set('email')}
            error={fieldErrors.email}
            autoComplete="off"
          />
          <SelectField
            label={t('staff.role')}
            required
            name="role"
            value={form.role}
            onChange={set('role')}
            error={fieldErrors.role}
            placeholder={t('common.select')}
            options={STAFF_ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))}
          />
          {form.role === 'municipality_staff' && (
            <SelectField
              label={t('staff.municipality')}
              required
              name="municipalityCode"
              value={form.municipalityCode}
              onChange={set('municipalityCode')}
              error={fieldErrors.municipalityCode}
              placeholder={t('common.select')}
              options={municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
            />
          )}
          {form.role === 'partner' && (
            <SelectField
              label={t('staff.organization')}
              required
              name="organizationId"
              value={form.organizationId}
              onChange={set('organizationId')}
              error={fieldErrors.organizationId}
              placeholder={t('common.select')}
              options={organizations.map((o) => ({ value: o.id, label: o.name }))}
            />
          )}
          <TextField
            label={t('staff.password')}
            hint={t('staff.passwordHint')}
            required
            type="password"
            name="password"
            value={form.password}
            onChange={set('password')}
            error={fieldErrors.password}
            autoComplete="new-password"
            minLength={12}
          />
        </div>
        <div className="button-row">
          <button type="submit" disabled={saving}>
            {saving ? t('common.saving') : t('staff.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
