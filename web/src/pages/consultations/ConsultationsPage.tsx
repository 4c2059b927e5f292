/**
 * Consultations and cases as lists: the latest consultations (filter by channel, municipality and
 * dates) and the cases by step. The filters live in the address, like the people list's.
 */
import { Link, useSearchParams } from 'react-router';
import { CASE_STEPS, CONSULTATION_CHANNELS } from '../../../../src/shared/domain';
import { SelectField, TextField } from '../../components/Fields';
import { PageTitle } from '../../components/PageTitle';
import { PagedTable } from '../../components/PagedTable';
import { formatDate, joinList, municipalityLabel } from '../../format';
import { useMunicipalities, useMunicipalityName } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT } from '../../i18n';
import {
  caseStepLabel,
  channelLabel,
  listSep,
  OPEN_FILTER,
  oneOfOrNone,
  optionsOf,
  paren,
  topicLabel,
} from '../../vocab';

const PAGE_SIZE = 20;

export function ConsultationsPage() {
  const t = useT();
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'cases' ? 'cases' : 'consultations';
  const { municipalities } = useMunicipalities();

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'offset') next.delete('offset');
    setParams(next);
  };

  return (
    <>
      <div className="title-row">
        <PageTitle>{t('consultations.title')}</PageTitle>
        <Link to="/consultations/new" className="button">
          {t('consultations.new')}
        </Link>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a labelled set of toggle buttons outside any form; a fieldset would need a legend and bring its own box */}
      <div className="segmented-nav" role="group" aria-label={t('consultations.view')}>
        {(['consultations', 'cases'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className={v === view ? undefined : 'button-secondary'}
            aria-pressed={v === view}
            onClick={() => setParams(v === 'cases' ? { view: 'cases' } : {})}
          >
            {t(`consultations.view.${v}`)}
          </button>
        ))}
      </div>
      <div className="filters">
        {view === 'consultations' ? (
          <>
            <SelectField
              label={t('consult.channel')}
              value={params.get('channel') ?? ''}
              placeholder={t('common.all')}
              options={optionsOf(CONSULTATION_CHANNELS, channelLabel, t)}
              onChange={(e) => set('channel', e.target.value)}
            />
            <TextField
              label={t('consultations.from')}
              type="date"
              value={params.get('from') ?? ''}
              onChange={(e) => set('from', e.target.value)}
            />
            <TextField
              label={t('consultations.to')}
              type="date"
              value={params.get('to') ?? ''}
              onChange={(e) => set('to', e.target.value)}
            />
            <SelectField
              label={t('consultations.nextActionFilter')}
              value={params.get('nextAction') === 'overdue' ? 'overdue' : ''}
              placeholder={t('common.all')}
              options={[{ value: 'overdue', label: t('consultations.nextActionOverdue') }]}
              onChange={(e) => set('nextAction', e.target.value)}
            />
          </>
        ) : (
          <>
            <SelectField
              label={t('case.step')}
              value={params.get('step') ?? ''}
              placeholder={t('common.all')}
              options={optionsOf(CASE_STEPS, caseStepLabel, t)}
              onChange={(e) => set('step', e.target.value)}
            />
            <SelectField
              label={t('consultations.openFilter')}
              value={params.get('open') ?? ''}
              placeholder={t('common.all')}
              options={[
                { value: 'true', label: t('consultations.openOnly') },
                { value: 'false', label: t('consultations.closedOnly') },
              ]}
              onChange={(e) => set('open', e.target.value)}
            />
            <TextField
              label={t('consultations.movedFrom')}
              type="date"
              value={params.get('movedFrom') ?? ''}
              onChange={(e) => set('movedFrom', e.target.value)}
            />
            <TextField
              label={t('consultations.movedTo')}
              type="date"
              value={params.get('movedTo') ?? ''}
              onChange={(e) => set('movedTo', e.target.value)}
            />
          </>
        )}
        <SelectField
          label={t('people.municipalityFilter')}
          value={params.get('municipality') ?? ''}
          placeholder={t('common.all')}
          options={municipalities.map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }))}
          onChange={(e) => set('municipality', e.target.value)}
        />
      </div>
      {view === 'consultations' ? (
        <ConsultationTable params={params} onPage={(o) => set('offset', String(o))} />
      ) : (
        <CaseTable params={params} onPage={(o) => set('offset', String(o))} />
      )}
    </>
  );
}

function ConsultationTable({ params, onPage }: { params: URLSearchParams; onPage: (offset: number) => void }) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useApiQuery('/api/consultations', {
    params: {
      query: {
        channel: oneOfOrNone(CONSULTATION_CHANNELS, params.get('channel')),
        from: params.get('from') ?? undefined,
        to: params.get('to') ?? undefined,
        nextAction: params.get('nextAction') === 'overdue' ? 'overdue' : undefined,
        municipality: params.get('municipality') ?? undefined,
        limit: PAGE_SIZE,
        offset,
      },
    },
  });
  return (
    <PagedTable
      list={list}
      offset={offset}
      limit={PAGE_SIZE}
      count={(total) => t('consultations.count', { total: formatNumber(total, lang) })}
      caption={t('consultations.view.consultations')}
      columns={[
        t('consult.occurredOn'),
        t('consult.person'),
        t('consult.channel'),
        t('consult.topics'),
        t('case.interest'),
        t('consult.nextAction'),
        t('consult.consultant'),
      ]}
      row={(c) => (
        <tr key={c.id}>
          <td className="nowrap">{formatDate(c.occurredOn, lang)}</td>
          <th scope="row">
            <Link to={`/cases/${encodeURIComponent(c.caseId)}`}>{c.person.name}</Link>
          </th>
          <td className="nowrap">{channelLabel(t, c.channel)}</td>
          <td>{c.topics.map((x) => topicLabel(t, x)).join(listSep(lang)) || t('common.none')}</td>
          <td>
            {joinList(
              c.municipalityCodes.map((code) => placeName(code)),
              lang,
            ) || t('common.none')}
          </td>
          <td className="break">
            {c.nextAction ?? t('common.none')}
            {c.nextActionDue && !c.nextActionDoneAt && (
              <span className="muted">{paren(t('case.due', { date: formatDate(c.nextActionDue, lang) }), lang)}</span>
            )}
            {c.nextActionDoneAt && <span className="muted"> ✓</span>}
          </td>
          <td className="nowrap">{c.consultant?.name ?? t('common.none')}</td>
        </tr>
      )}
      onPage={onPage}
    />
  );
}

function CaseTable({ params, onPage }: { params: URLSearchParams; onPage: (offset: number) => void }) {
  const t = useT();
  const { lang } = useLang();
  const placeName = useMunicipalityName();
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useApiQuery('/api/cases', {
    params: {
      query: {
        step: oneOfOrNone(CASE_STEPS, params.get('step')),
        open: oneOfOrNone(OPEN_FILTER, params.get('open')),
        movedFrom: params.get('movedFrom') ?? undefined,
        movedTo: params.get('movedTo') ?? undefined,
        municipality: params.get('municipality') ?? undefined,
        limit: PAGE_SIZE,
        offset,
      },
    },
  });
  return (
    <PagedTable
      list={list}
      offset={offset}
      limit={PAGE_SIZE}
      count={(total) => t('consultations.caseCount', { total: formatNumber(total, lang) })}
      caption={t('consultations.view.cases')}
      columns={[t('consult.person'), t('case.step'), t('case.openedOn'), t('case.municipality'), t('case.consultant')]}
      row={(k) => (
        <tr key={k.id}>
          <th scope="row">
            <Link to={`/cases/${encodeURIComponent(k.id)}`}>{k.person.name}</Link>
          </th>
          <td className="nowrap">
            {caseStepLabel(t, k.step)}
            <span className="muted">{paren(formatDate(k.stepOn, lang), lang)}</span>
          </td>
          <td className="nowrap">{formatDate(k.openedOn, lang)}</td>
          <td className="nowrap">{placeName(k.movedMunicipalityCode ?? k.municipalityCode)}</td>
          <td className="nowrap">{k.consultant?.name ?? t('common.none')}</td>
        </tr>
      )}
      onPage={onPage}
    />
  );
}
