/**
 * The privacy notice (/privacy) every public form links to: the prefecture's text (a setting, with
 * Kankei's default), in the language chosen. The text's own light format — `## ` headings, `- `
 * list items, other lines paragraphs — is rendered as elements, never as HTML.
 */
import type { ReactNode } from 'react';
import { ErrorAlert, Loading } from '../../components/Messages';
import { PageTitle } from '../../components/PageTitle';
import { useApiQuery } from '../../data/queries';
import { useLang, useT } from '../../i18n';

export function PrivacyPage() {
  const t = useT();
  const { lang } = useLang();
  const notice = useApiQuery('/api/public/privacy-notice', { params: { query: { lang } } }, { redirectOn401: false });
  return (
    <>
      <PageTitle>{t('privacy.title')}</PageTitle>
      {notice.error && <ErrorAlert onRetry={notice.reload}>{notice.error.message}</ErrorAlert>}
      {notice.loading && !notice.data && <Loading />}
      {notice.data && (
        <article className="card stack privacy-notice" lang={notice.data.locale}>
          {renderNotice(notice.data.text)}
          <p>{t('privacy.cap', { cap: String(notice.data.registrationCap) })}</p>
        </article>
      )}
    </>
  );
}

/** `## ` → h2, runs of `- ` → one list, other non-empty lines → paragraphs. */
export function renderNotice(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let items: string[] = [];
  const flush = () => {
    if (!items.length) return;
    const list = items;
    out.push(
      <ul key={`ul-${out.length}`}>
        {list.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines of a fixed text
          <li key={i}>{item}</li>
        ))}
      </ul>,
    );
    items = [];
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('- ')) {
      items.push(line.slice(2));
      continue;
    }
    flush();
    if (!line) continue;
    if (line.startsWith('## ')) out.push(<h2 key={`h-${out.length}`}>{line.slice(3)}</h2>);
    else out.push(<p key={`p-${out.length}`}>{line}</p>);
  }
  flush();
  return out;
}
