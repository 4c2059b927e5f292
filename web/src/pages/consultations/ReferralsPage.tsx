/**
 * Referrals (オール山形の連携). A partner agency sees its inbox — only the referrals sent to it,
 * with the person's contact — and accepts, declines or reports the outcome; municipality staff
 * see those sent to their municipality; the center sees them all, the open ones longest-waiting
 * first, with how many days each has waited.
 */
import { useSearchParams } from 'react-router';
import { REFERRAL_STATUSES } from '../../../../src/shared/domain';
import { useUser } from '../../auth';
import { SelectField } from '../../components/Fields';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { Pagination } from '../../components/Pagination';
import { useApiQuery } from '../../data/queries';
import { formatNumber, useLang, useT } from '../../i18n';
import { oneOfOrNone, optionsOf, referralStatusLabel } from '../../vocab';
import { ReferralItem } from './parts';

const PAGE_SIZE = 20;
/** Open referrals waiting this many days or more are called out. */
const LONG_WAIT_DAYS = 14;

export function ReferralsPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const show = params.get('show') ?? 'open';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const isInbox = user.role === 'partner' || user.role === 'municipality_staff';

  const query =
    show === 'open'
      ? { open: 'true' as const }
      : show === 'closed'
        ? { open: 'false' as const }
        : { status: oneOfOrNone(REFERRAL_STATUSES, show) };
  const list = useApiQuery('/api/referrals', { params: { query: { ...query, limit: PAGE_SIZE, offset } } });

  function update(next: { show?: string; offset?: number }) {
    const search = new URLSearchParams();
    const merged = { show, offset: 0, ...next };
    if (merged.show !== 'open') search.set('show', merged.show);
    if (merged.offset) search.set('offset', String(merged.offset));
    setParams(search);
  }

  const items = list.data?.items ?? [];
  const longWaiting = show === 'open' ? items.filter((r) => r.daysSinceSent >= LONG_WAIT_DAYS).length : 0;

  return (
    <>
      <PageTitle>{isInbox ? t('referrals.inboxTitle') : t('referrals.title')}</PageTitle>
      <p className="hint">{isInbox ? t('referrals.inboxIntro') : t('referrals.intro')}</p>
      <div className="filters">
        <SelectField
          label={t('referrals.show')}
          value={show}
          options={[
            { value: 'open', label: t('referrals.showOpen') },
            { value: 'closed', label: t('referrals.showClosed') },
            ...optionsOf(REFERRAL_STATUSES, referralStatusLabel, t),
            { value: 'all', label: t('common.all') },
          ]}
          onChange={(e) => update({ show: e.target.value })}
        />
      </div>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <section aria-busy={list.loading} aria-labelledby="referrals-count">
          <p id="referrals-count" role="status" className="result-count">
            {t('referrals.count', { total: formatNumber(list.data.total, lang) })}
            {longWaiting > 0 && (
              <strong className="text-danger">
                {' '}
                {t('referrals.longWaiting', { count: longWaiting, days: LONG_WAIT_DAYS })}
              </strong>
            )}
          </p>
          {items.length === 0 && <p>{t('referrals.none')}</p>}
          <div className="record-list">
            {items.map((r) => (
              <ReferralItem
                key={r.id}
                referral={r}
                headingLevel={2}
                showPerson={isInbox ? 'contact' : 'link'}
                canAct={isInbox || user.role === 'center_staff' || user.role === 'prefecture_admin'}
                onChanged={() => list.reload()}
              />
            ))}
          </div>
          <Pagination
            offset={offset}
            limit={PAGE_SIZE}
            total={list.data.total}
            onChange={(next) => update({ offset: next })}
          />
        </section>
      )}
    </>
  );
}
