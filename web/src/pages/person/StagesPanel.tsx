import { useMemo } from 'react';
import { ErrorAlert, Loading } from '../../components/Messages';
import { StageStaircase } from '../../components/StageStaircase';
import { byCodeMap, municipalityLabel } from '../../format';
import { useMunicipalities } from '../../hooks';
import { useApiQuery } from '../../data/queries';
import { useLang, useT } from '../../i18n';

/** Stage per municipality, derived by the server from links and engagement records (docs/stages.md). */
export function StagesPanel({ personId }: { personId: string }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  const stages = useApiQuery('/api/people/{id}/stages', { params: { path: { id: personId } } });
  return (
    <section aria-labelledby="stages-heading" className="card">
      <h2 id="stages-heading">{t('stage.title')}</h2>
      <p className="hint">{t('stage.intro')}</p>
      {stages.error && <ErrorAlert onRetry={stages.reload}>{stages.error.message}</ErrorAlert>}
      {stages.loading && !stages.data && <Loading />}
      {stages.data && stages.data.items.length === 0 && <p>{t('stage.none')}</p>}
      {stages.data?.items.map((view) => (
        <StageStaircase
          key={view.municipalityCode}
          view={view}
          title={municipalityLabel(byCode.get(view.municipalityCode), view.municipalityCode, lang)}
        />
      ))}
    </section>
  );
}
