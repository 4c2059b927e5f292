/**
 * People holding a certification (山形 心のふるさと県民: donations in three consecutive years),
 * recomputed by the server after each donor import, within the caller's scope, paged by the
 * server. Each name opens the person's page.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { CERTIFICATION_KINDS } from '../../../src/shared/domain';
import { SelectField } from '../components/Fields';
import { ErrorAlert, Loading } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { Pagination } from '../components/Pagination';
import { formatDate } from '../format';
import { useApiQuery } from '../data/queries';
import { formatNumber, useLang, useT } from '../i18n';
import { oneOfOrNone } from '../vocab';
import { TableScroll } from '../components/TableScroll';

const PAGE = 50;

export function CertificationsPage() {
  const t = useT();
  const { lang } = useLang();
  const [kind, setKind] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useApiQuery('/api/certifications', {
    params: { query: { kind: oneOfOrNone(CERTIFICATION_KINDS, kind), limit: PAGE, offset } },
  });

  return (
    <>
      <PageTitle>{t('certifications.title')}</PageTitle>
      <p>{t('certifications.intro')}</p>
      <p>
        <Link to="/premium-review">{t('premiumReview.link')}</Link>
      </p>
      {CERTIFICATION_KINDS.length > 1 && (
        <div className="filters">
          <SelectField
            label={t('certifications.kind')}
            options={[
              { value: '', label: t('common.all') },
              ...CERTIFICATION_KINDS.map((k) => ({ value: k, label: t(`certifications.kind.${k}`) })),
            ]}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setOffset(0);
            }}
          />
        </div>
      )}
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <section className="card" aria-labelledby="certified-heading">
          <h2 id="certified-heading" className="visually-hidden">
            {t('certifications.title')}
          </h2>
          <p className="result-count" role="status">
            {t('certifications.count', { count: formatNumber(list.data.total, lang) })}
          </p>
          {list.data.items.length === 0 ? (
            <p>{t('certifications.none')}</p>
          ) : (
            <TableScroll label={t('certifications.title')}>
              <table>
                <caption className="visually-hidden">{t('certifications.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('certifications.person')}</th>
                    <th scope="col">{t('certifications.kind')}</th>
                    <th scope="col">{t('certifications.since')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((c) => (
                    <tr key={`${c.personId}-${c.kind}-${c.prefectureCode}`}>
                      <th scope="row">
                        <Link to={`/people/${encodeURIComponent(c.personId)}`}>{c.name}</Link>
                      </th>
                      <td>
                        <span className={c.kind === 'kokoro_furusato' ? 'badge badge-kokoro' : 'badge'}>
                          {c.label || c.kind}
                        </span>
                      </td>
                      <td className="nowrap">
                        <time dateTime={c.since}>{formatDate(c.since, lang)}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pagination offset={offset} limit={PAGE} total={list.data.total} onChange={setOffset} />
        </section>
      )}
    </>
  );
}
