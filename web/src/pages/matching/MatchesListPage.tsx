/** Matches within the staff member's scope: filter by municipality and step; each opens onto its page. */
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api';
import { isAdmin, useUser } from '../../auth';
import { SelectField, TextField } from '../../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { TableScroll } from '../../components/TableScroll';
import { useApiMutation, useApiQuery } from '../../data/queries';
import { formatDate } from '../../format';
import { useMunicipalityName } from '../../hooks';
import { formatNumber, useLang, useT } from '../../i18n';
import { MATCH_STEPS, matchStepLabel, oneOfOrNone, optionsOf, projectKindLabel } from '../../vocab';
import { MunicipalitySelect, MatchingNav } from './parts';

const PAGE_SIZE = 20;

export function MatchesListPage() {
  const t = useT();
  const user = useUser();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const [params, setParams] = useSearchParams();
  const municipality = params.get('municipality') ?? '';
  const step = params.get('step') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useApiQuery('/api/matches', {
    params: {
      query: {
        municipality: municipality || undefined,
        step: oneOfOrNone(MATCH_STEPS, step),
        limit: PAGE_SIZE,
        offset,
      },
    },
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'offset') next.delete('offset');
    setParams(next);
  };
  return (
    <>
      <PageTitle>{t('matches.title')}</PageTitle>
      <MatchingNav user={user} />
      <div className="filters">
        <MunicipalitySelect
          label={t('matching.municipality')}
          value={municipality}
          placeholder={t('common.all')}
          onChange={(v) => set('municipality', v)}
        />
        <SelectField
          label={t('matches.step')}
          value={step}
          placeholder={t('common.all')}
          options={optionsOf(MATCH_STEPS, matchStepLabel, t)}
          onChange={(e) => set('step', e.target.value)}
        />
      </div>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <section aria-busy={list.loading}>
          <p role="status" className="result-count">
            {t('matching.count', { total: formatNumber(list.data.total, lang) })}
          </p>
          {list.data.items.length > 0 && (
            <TableScroll label={t('matches.title')}>
              <table>
                <caption className="visually-hidden">{t('matches.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('matches.person')}</th>
                    <th scope="col">{t('matches.project')}</th>
                    <th scope="col">{t('matching.municipality')}</th>
                    <th scope="col">{t('matches.step')}</th>
                    <th scope="col">{t('matches.stepOn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((m) => (
                    <tr key={m.id} className={m.step === 'ended' ? 'row-disabled' : undefined}>
                      <th scope="row">
                        <Link to={`/matches/${encodeURIComponent(m.id)}`}>{m.person.name}</Link>
                      </th>
                      <td>
                        {m.project.title}
                        <span className="cell-sub">
                          {projectKindLabel(t, m.project.kind)} · {m.project.organization.name}
                        </span>
                      </td>
                      <td className="nowrap">{placeName(m.municipalityCode)}</td>
                      <td className="nowrap">{matchStepLabel(t, m.step)}</td>
                      <td className="nowrap">{formatDate(m.stepOn, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pagination
            offset={offset}
            limit={PAGE_SIZE}
            total={list.data.total}
            onChange={(next) => set('offset', String(next))}
          />
        </section>
      )}
      <SelfRunningSetting />
    </>
  );
}

/**
 * The prefecture's N: months a collaboration must run without accompaniment before it may be
 * recorded as self-running on that evidence. Everyone who records steps sees it; admins change it.
 */
function SelfRunningSetting() {
  const t = useT();
  const user = useUser();
  const settings = useApiQuery('/api/settings/matching');
  const save = useApiMutation('put', '/api/settings/matching', { invalidates: ['/api/settings/matching'] });
  const [months, setMonths] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  if (!settings.data) return null;
  const current = settings.data.selfRunningMonths;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await save.send({ body: { selfRunningMonths: Number(months ?? current) } });
      setSaved(true);
      setMonths(null);
    } catch (cause) {
      const apiError = cause instanceof ApiError ? cause : null;
      setError(apiError?.fields?.selfRunningMonths ?? apiError?.message ?? String(cause));
    }
  }

  return (
    <section className="card stack narrow" aria-labelledby="self-running-setting">
      <h2 id="self-running-setting">{t('matchingSettings.title')}</h2>
      <p>{t('matchingSettings.current', { months: String(current) })}</p>
      {isAdmin(user) && (
        <form onSubmit={submit} noValidate className="stack">
          <TextField
            label={t('matchingSettings.months')}
            hint={t('matchingSettings.monthsHint')}
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            value={months ?? String(current)}
            error={error}
            onChange={(e) => setMonths(e.target.value)}
          />
          <button type="submit" disabled={save.busy}>
            {t('matchingSettings.save')}
          </button>
          {saved && <StatusMessage>{t('matchingSettings.saved')}</StatusMessage>}
        </form>
      )}
    </section>
  );
}
