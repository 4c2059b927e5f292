import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, type FieldErrors } from '../api';
import { isAdmin, useUser } from '../auth';
import { TextAreaField, TextField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { useApiMutation, useApiQuery } from '../data/queries';
import { useLang, useT } from '../i18n';

type Form = {
  organizationName: string;
  shortName: string;
  senderAddress: string;
  replyTo: string;
  signature: string;
  contact: string;
};

/**
 * The organization's sender identity (/settings/organization): who every mail comes from. Every
 * staff member sees it; the prefecture's administrators change it.
 */
export function OrganizationSettingsPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const editable = isAdmin(user);
  const settings = useApiQuery('/api/settings/organization');
  const save = useApiMutation('put', '/api/settings/organization', { invalidates: ['/api/settings/organization'] });
  const [form, setForm] = useState<Form | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings.data && !form) {
      const s = settings.data;
      setForm({
        organizationName: s.organizationName,
        shortName: s.shortName,
        senderAddress: s.senderAddress,
        replyTo: s.replyTo ?? '',
        signature: s.signature,
        contact: s.contact,
      });
    }
  }, [settings.data, form]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!form) return;
    setError(null);
    setSaved(false);
    setFieldErrors({});
    try {
      await save.send({ body: { ...form, replyTo: form.replyTo.trim() || null } });
      setSaved(true);
    } catch (cause) {
      const apiError = cause instanceof ApiError ? cause : null;
      setError(apiError?.message ?? String(cause));
      setFieldErrors(apiError?.fields ?? {});
    }
  }

  const field = (name: keyof Form) => ({
    value: form?.[name] ?? '',
    error: fieldErrors[name],
    readOnly: !editable,
    onChange: (e: { target: { value: string } }) => setForm((f) => (f ? { ...f, [name]: e.target.value } : f)),
  });
  const subject = form
    ? lang === 'en'
      ? `[${form.shortName}] Your sign-in link`
      : `【${form.shortName}】登録情報の確認用リンク`
    : '';

  return (
    <>
      <PageTitle>{t('orgSettings.title')}</PageTitle>
      <p>{t('orgSettings.intro')}</p>
      {settings.error && <ErrorAlert onRetry={settings.reload}>{settings.error.message}</ErrorAlert>}
      {settings.loading && !settings.data && <Loading />}
      {settings.data?.isDefault && <StatusMessage>{t('orgSettings.defaults')}</StatusMessage>}
      {saved && <StatusMessage>{t('orgSettings.saved')}</StatusMessage>}
      {error && <ErrorAlert>{error}</ErrorAlert>}
      {!editable && <p>{t('orgSettings.readOnly')}</p>}
      {form && (
        <form onSubmit={submit} noValidate className="card stack narrow">
          <TextField
            label={t('orgSettings.organizationName')}
            required
            maxLength={100}
            {...field('organizationName')}
          />
          <TextField
            label={t('orgSettings.shortName')}
            hint={t('orgSettings.shortNameHint')}
            required
            maxLength={30}
            {...field('shortName')}
          />
          <p>
            {t('orgSettings.preview')}: <q>{subject}</q>
          </p>
          <TextField
            label={t('orgSettings.senderAddress')}
            type="email"
            required
            autoComplete="off"
            {...field('senderAddress')}
          />
          <TextField label={t('orgSettings.replyTo')} type="email" autoComplete="off" {...field('replyTo')} />
          <TextAreaField label={t('orgSettings.signature')} rows={4} maxLength={1000} {...field('signature')} />
          <TextAreaField label={t('orgSettings.contact')} rows={2} maxLength={500} {...field('contact')} />
          {editable && (
            <button type="submit" disabled={save.busy}>
              {t('orgSettings.save')}
            </button>
          )}
        </form>
      )}
    </>
  );
}
