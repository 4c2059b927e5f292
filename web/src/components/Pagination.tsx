import { formatNumber, useLang, useT } from '../i18n';

type Props = { offset: number; limit: number; total: number; onChange: (offset: number) => void };

export function Pagination({ offset, limit, total, onChange }: Props) {
  const t = useT();
  const { lang } = useLang();
  if (total === 0) return null;
  const from = offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pagination" aria-label={t('common.pagination')}>
      <button
        type="button"
        className="button-secondary"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        {t('common.prev')}
      </button>
      <span>
        {t('common.range', {
          from: formatNumber(from, lang),
          to: formatNumber(to, lang),
          total: formatNumber(total, lang),
        })}
      </span>
      <button
        type="button"
        className="button-secondary"
        disabled={to >= total}
        onClick={() => onChange(offset + limit)}
      >
        {t('common.next')}
      </button>
    </nav>
  );
}
