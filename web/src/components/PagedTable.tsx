import type { ReactNode } from 'react';
import type { Loadable } from '../data/queries';
import { ErrorAlert, Loading } from './Messages';
import { Pagination } from './Pagination';
import { TableScroll } from './TableScroll';

type Props<T> = {
  list: Loadable<{ items: T[]; total: number }>;
  offset: number;
  limit: number;
  /** The result count announced above the table ("12 consultations"). */
  count: (total: number) => string;
  /** The table's name for screen readers. */
  caption: string;
  columns: string[];
  /** One `<tr>` per item. */
  row: (item: T) => ReactNode;
  onPage: (offset: number) => void;
};

/** A page of a server-side list as a table: loading and error states, the count, the rows and the pager. */
export function PagedTable<T>({ list, offset, limit, count, caption, columns, row, onPage }: Props<T>) {
  if (list.error) return <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>;
  if (!list.data) return <Loading />;
  return (
    <section aria-busy={list.loading}>
      <p role="status" className="result-count">
        {count(list.data.total)}
      </p>
      {list.data.items.length > 0 && (
        <TableScroll label={caption}>
          <table>
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{list.data.items.map(row)}</tbody>
          </table>
        </TableScroll>
      )}
      <Pagination offset={offset} limit={limit} total={list.data.total} onChange={onPage} />
    </section>
  );
}
