/**
 * Donor import (ふるさと納税 寄附者一覧): upload a municipality's CSV, look at a dry run — detected
 * encoding, the column mapping the server recognized, the first rows with their problems —
 * adjust the mapping column by column, then import and read the report row by row (refused rows
 * with reasons). Nothing is skipped silently: every row ends up imported, duplicate or refused.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { DONOR_FIELDS } from '../../../src/shared/domain';
import { api, ApiError } from '../api';
import { useUser } from '../auth';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { SelectField } from '../components/Fields';
import { ErrorAlert, Loading, StatusMessage } from '../components/Messages';
import { PageTitle } from '../components/PageTitle';
import { Pagination } from '../components/Pagination';
import { municipalityLabel } from '../format';
import { useMunicipalities } from '../hooks';
import { oneOfOrNone } from '../vocab';
import { useApiQuery } from '../data/queries';
import { formatDateTime, formatNumber, useLang, useT, type MessageKey, type Translate } from '../i18n';
import type { ImportPreview, ImportProblem, ImportReport, Municipality } from '../types';
import { TableScroll } from '../components/TableScroll';

/** What the server reads as "do not import this column". */
const IGNORE = 'ignore';

const FIELD_KEYS: Record<string, MessageKey> = {
  name: 'imports.field.name',
  familyName: 'imports.field.familyName',
  givenName: 'imports.field.givenName',
  kana: 'imports.field.kana',
  familyKana: 'imports.field.familyKana',
  givenKana: 'imports.field.givenKana',
  email: 'imports.field.email',
  phone: 'imports.field.phone',
  postalCode: 'imports.field.postalCode',
  prefecture: 'imports.field.prefecture',
  city: 'imports.field.city',
  address: 'imports.field.address',
  donatedOn: 'imports.field.donatedOn',
  amountYen: 'imports.field.amountYen',
  receiptNumber: 'imports.field.receiptNumber',
  row: 'imports.field.row',
};

const OUTCOMES = ['imported', 'duplicate', 'refused'] as const;
const REPORT_PAGE = 50;

function fieldName(t: Translate, field: string): string {
  const key = FIELD_KEYS[field];
  return key ? t(key) : field;
}

/** The server words each problem in the reader's language, naming the column as the file does. */
function problemText(p: ImportProblem, lang: 'ja' | 'en'): string {
  if (!p.value) return p.message;
  return lang === 'ja' ? `${p.message}（${p.value}）` : `${p.message} (${p.value})`;
}

/** The server's encoding codes as people know them from Excel's save dialog. */
function encodingLabel(t: Translate, encoding: string): string {
  switch (encoding) {
    case 'cp932':
      return 'Shift_JIS (CP932)';
    case 'utf-8-bom':
      return t('imports.utf8Bom');
    case 'utf-8':
      return 'UTF-8';
    default:
      return encoding;
  }
}

function outcomeLabel(t: Translate, outcome: string): string {
  switch (outcome) {
    case 'imported':
    case 'duplicate':
    case 'refused':
      return t(`imports.outcome.${outcome}`);
    default:
      return outcome;
  }
}

const placeName = (municipalities: Municipality[], code: string, lang: 'ja' | 'en') =>
  municipalityLabel(
    municipalities.find((m) => m.code === code),
    code,
    lang,
  );

/** Header → field as chosen in the form; '' means "do not import". */
type Mapping = Record<string, string>;

/** What the result section shows: the answer of an import just made, or an earlier import by id. */
type Shown = { id: string; report?: ImportReport };

export function ImportsPage() {
  const t = useT();
  const { lang } = useLang();
  const user = useUser();
  const { municipalities } = useMunicipalities();
  const fixed = user.role === 'municipality_staff' ? user.municipalityCode : null;
  const [municipalityCode, setMunicipalityCode] = useState(fixed ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [listVersion, setListVersion] = useState(0);

  const municipalityOptions = municipalities
    .filter((m) => !fixed || m.code === fixed)
    .map((m) => ({ value: m.code, label: municipalityLabel(m, m.code, lang) }));

  function formData(dryRun: boolean): FormData {
    const data = new FormData();
    // Fields before the file: a streaming multipart reader has them when the file arrives.
    data.append('municipalityCode', municipalityCode);
    if (dryRun) data.append('dryRun', 'true');
    // Every column is sent once a preview exists, unused ones as 'ignore', so that "do not
    // import" also overrides a header the server recognized by itself.
    if (preview)
      data.append(
        'mapping',
        JSON.stringify(Object.fromEntries(Object.entries(mapping).map(([header, field]) => [header, field || IGNORE]))),
      );
    data.append('file', file!, file!.name);
    return data;
  }

  async function runPreview(event?: FormEvent) {
    event?.preventDefault();
    if (!file || !municipalityCode) return;
    setBusy('preview');
    setError(null);
    setShown(null);
    try {
      const answer = await api<ImportPreview>('/api/imports/donations', { method: 'POST', body: formData(true) });
      setPreview(answer);
      setMapping(Object.fromEntries(answer.headers.map((h) => [h, answer.mapping[h] ?? ''])));
    } catch (cause) {
      setError(ApiError.from(cause));
    } finally {
      setBusy(null);
    }
  }

  async function runImport() {
    if (!file || !municipalityCode) return;
    setConfirming(false);
    setBusy('import');
    setError(null);
    try {
      const report = await api<ImportReport>('/api/imports/donations', { method: 'POST', body: formData(false) });
      setShown({ id: report.id, report });
      setListVersion((v) => v + 1);
    } catch (cause) {
      setError(ApiError.from(cause));
    } finally {
      setBusy(null);
    }
  }

  function startOver() {
    setFile(null);
    setFileKey((k) => k + 1);
    setPreview(null);
    setMapping({});
    setShown(null);
    setError(null);
  }

  return (
    <>
      <PageTitle>{t('imports.title')}</PageTitle>
      <p>{t('imports.intro')}</p>
      {error && (
        <ErrorAlert>
          <p>{error.message}</p>
          {error.fields && (
            <ul>
              {Object.entries(error.fields).map(([field, message]) => (
                <li key={field}>{message}</li>
              ))}
            </ul>
          )}
        </ErrorAlert>
      )}

      {!shown && (
        <form onSubmit={runPreview} className="card stack" noValidate>
          <h2>{t('imports.step1')}</h2>
          <div className="grid-2">
            <SelectField
              label={t('imports.municipality')}
              name="municipalityCode"
              required
              placeholder={fixed ? undefined : t('common.select')}
              options={municipalityOptions}
              value={municipalityCode}
              onChange={(e) => {
                setMunicipalityCode(e.target.value);
                setPreview(null);
              }}
            />
            <FileField
              key={fileKey}
              file={file}
              onChange={(f) => {
                setFile(f);
                setPreview(null);
                setMapping({});
              }}
            />
          </div>
          <div className="button-row">
            <button type="submit" disabled={!file || !municipalityCode || busy !== null}>
              {busy === 'preview'
                ? t('imports.previewing')
                : preview
                  ? t('imports.previewAgain')
                  : t('imports.preview')}
            </button>
          </div>
        </form>
      )}

      {preview && !shown && (
        <PreviewPanel
          preview={preview}
          mapping={mapping}
          onMappingChange={setMapping}
          busy={busy}
          onRecheck={() => void runPreview()}
          onImport={() => setConfirming(true)}
        />
      )}

      {shown && <ResultPanel key={shown.id} shown={shown} onStartOver={startOver} />}

      <ConfirmDialog
        open={confirming}
        title={t('imports.confirmTitle')}
        confirmLabel={t('imports.import')}
        busy={busy !== null}
        onConfirm={() => void runImport()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {t('imports.confirmBody', {
            file: file?.name ?? '',
            municipality: placeName(municipalities, municipalityCode, lang),
          })}
        </p>
      </ConfirmDialog>

      <PastImports
        key={listVersion}
        onOpen={(id) => {
          setError(null);
          setShown({ id });
          window.scrollTo({ top: 0 });
        }}
      />
    </>
  );
}

function FileField({ file, onChange }: { file: File | null; onChange: (file: File | null) => void }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <div className="field">
      <div className="label-row">
        <label htmlFor="import-file">{t('imports.file')}</label>
        <span className="required" aria-hidden="true">
          ({t('common.required')})
        </span>
      </div>
      <input
        id="import-file"
        type="file"
        name="file"
        required
        accept=".csv,.txt,text/csv"
        aria-describedby="import-file-hint"
        onChange={(e) => onChange(e.target.files?.[0] ?? null)}
      />
      <p id="import-file-hint" className="hint">
        {file
          ? t('imports.fileChosen', { name: file.name, size: formatNumber(Math.ceil(file.size / 1024), lang) })
          : t('imports.fileHint')}
      </p>
    </div>
  );
}

function PreviewPanel({
  preview,
  mapping,
  onMappingChange,
  busy,
  onRecheck,
  onImport,
}: {
  preview: ImportPreview;
  mapping: Mapping;
  onMappingChange: (m: Mapping) => void;
  busy: 'preview' | 'import' | null;
  onRecheck: () => void;
  onImport: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const fields = useMemo(() => {
    const recognized = Object.values(preview.mapping).filter((f): f is string => typeof f === 'string' && f !== IGNORE);
    return [...new Set<string>([...DONOR_FIELDS, ...recognized])];
  }, [preview]);
  const problemRows = preview.rows.filter((r) => r.problems.length > 0);
  // Values come keyed by field, as they would be stored; the first row shows what a column gives.
  const sample = preview.rows[0]?.values ?? {};
  const sampleFor = (header: string) => {
    const field = preview.mapping[header];
    const value = field ? sample[field] : undefined;
    return value === undefined ? '' : String(value);
  };
  // The same target twice would make one column silently win; point it out before importing.
  const used = Object.values(mapping).filter(Boolean);
  const doubled = new Set(used.filter((f, i) => used.indexOf(f) !== i));
  // Changed since the preview: the sample values and problems no longer match what is chosen.
  const changed = preview.headers.some((h) => (mapping[h] ?? '') !== (preview.mapping[h] ?? ''));

  return (
    <section className="card stack" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t('imports.step2')}</h2>
      <dl className="inline-dl stats-dl">
        <div>
          <dt>{t('imports.fileLabel')}</dt>
          <dd>{preview.fileName}</dd>
        </div>
        <div>
          <dt>{t('imports.encoding')}</dt>
          <dd>{encodingLabel(t, preview.encoding)}</dd>
        </div>
        <div>
          <dt>{t('imports.previewRows')}</dt>
          <dd>{formatNumber(preview.rows.length, lang)}</dd>
        </div>
      </dl>
      {preview.missing.length > 0 && (
        <ErrorAlert>
          {t('imports.missing', {
            fields: preview.missing.map((f) => fieldName(t, f)).join(lang === 'ja' ? '、' : ', '),
          })}
        </ErrorAlert>
      )}

      <h3>{t('imports.mapping')}</h3>
      <p className="hint">{t('imports.mappingHint')}</p>
      {preview.headers.length === 0 ? (
        <p>{t('imports.noHeaders')}</p>
      ) : (
        <TableScroll label={t('imports.mapping')}>
          <table>
            <caption className="visually-hidden">{t('imports.mapping')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('imports.header')}</th>
                <th scope="col">{t('imports.target')}</th>
                <th scope="col">{t('imports.sample')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.headers.map((header, i) => {
                const isDoubled = doubled.has(mapping[header] ?? '');
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a column's position in the file is its identity; header texts can repeat
                  <tr key={`${header}-${i}`}>
                    <th scope="row">{header}</th>
                    <td>
                      <select
                        aria-label={t('imports.targetFor', { header })}
                        value={mapping[header] ?? ''}
                        aria-invalid={isDoubled ? true : undefined}
                        onChange={(e) => onMappingChange({ ...mapping, [header]: e.target.value })}
                      >
                        <option value="">{t('imports.ignore')}</option>
                        {fields.map((f) => (
                          <option key={f} value={f}>
                            {fieldName(t, f)}
                          </option>
                        ))}
                      </select>
                      {isDoubled && <p className="field-error">{t('imports.doubled')}</p>}
                    </td>
                    <td className="break">{sampleFor(header)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {changed && <p className="hint">{t('imports.changedHint')}</p>}

      <h3>{t('imports.problems')}</h3>
      {problemRows.length === 0 ? (
        <p>{t('imports.noProblems', { count: formatNumber(preview.rows.length, lang) })}</p>
      ) : (
        <TableScroll label={t('imports.problems')}>
          <table>
            <caption className="visually-hidden">{t('imports.problems')}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {t('imports.row')}
                </th>
                <th scope="col">{t('imports.reasons')}</th>
              </tr>
            </thead>
            <tbody>
              {problemRows.map((r) => (
                <tr key={r.rowNumber} className="row-refused">
                  <td className="numeric">{formatNumber(r.rowNumber, lang)}</td>
                  <td>
                    <ul className="plain-list">
                      {r.problems.map((p, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a row's problems are the server's fixed list, never reordered; nothing in one is unique
                        <li key={i}>{problemText(p, lang)}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <p className="hint">{t('imports.problemsHint')}</p>
      <div className="button-row">
        <button type="button" className="button-secondary" onClick={onRecheck} disabled={busy !== null}>
          {busy === 'preview' ? t('imports.previewing') : t('imports.recheck')}
        </button>
        <button
          type="button"
          onClick={onImport}
          disabled={busy !== null || doubled.size > 0 || (preview.missing.length > 0 && !changed)}
        >
          {busy === 'import' ? t('imports.importing') : t('imports.import')}
        </button>
      </div>
    </section>
  );
}

function ResultPanel({ shown, onStartOver }: { shown: Shown; onStartOver: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const [outcome, setOutcome] = useState('');
  const [offset, setOffset] = useState(0);
  // The import's own answer is the first page of "all rows"; other pages and filters are fetched.
  const useOwnAnswer = shown.report !== undefined && outcome === '' && offset === 0;
  const fetched = useApiQuery(
    '/api/imports/{id}',
    {
      params: {
        path: { id: shown.id },
        query: { outcome: oneOfOrNone(OUTCOMES, outcome), limit: REPORT_PAGE, offset },
      },
    },
    { enabled: !useOwnAnswer },
  );
  const report = useOwnAnswer ? shown.report : fetched.data;

  if (!report) {
    return (
      <section className="card" aria-labelledby="result-heading">
        <h2 id="result-heading">{t('imports.step3')}</h2>
        {fetched.error ? <ErrorAlert onRetry={fetched.reload}>{fetched.error.message}</ErrorAlert> : <Loading />}
      </section>
    );
  }

  const { totals } = report;
  const stat = (label: string, value: number, tone?: string) => (
    <div className={tone ? `stat ${tone}` : 'stat'}>
      <dt>{label}</dt>
      <dd>{formatNumber(value, lang)}</dd>
    </div>
  );

  return (
    <section className="card stack" aria-labelledby="result-heading">
      <h2 id="result-heading">{t('imports.step3')}</h2>
      {shown.report ? (
        <StatusMessage>
          {t('imports.done', { municipality: placeName(municipalities, report.municipalityCode, lang) })}
        </StatusMessage>
      ) : (
        <p>
          {t('imports.reportOf', {
            file: report.fileName,
            municipality: placeName(municipalities, report.municipalityCode, lang),
            when: formatDateTime(report.createdAt, lang),
          })}
        </p>
      )}
      <dl className="stats">
        {stat(t('imports.totalRows'), totals.rows)}
        {stat(t('imports.outcome.imported'), totals.imported, 'stat-good')}
        {stat(t('imports.outcome.duplicate'), totals.duplicates)}
        {stat(t('imports.outcome.refused'), totals.refused, totals.refused ? 'stat-bad' : undefined)}
        {stat(t('imports.newPeople'), totals.newPeople)}
      </dl>
      <p className="hint">{t('imports.encodingUsed', { encoding: encodingLabel(t, report.encoding) })}</p>

      <h3>{t('imports.report')}</h3>
      <div className="filters">
        <SelectField
          label={t('imports.filterOutcome')}
          options={[
            { value: '', label: t('common.all') },
            ...OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(t, o) })),
          ]}
          value={outcome}
          onChange={(e) => {
            setOutcome(e.target.value);
            setOffset(0);
          }}
        />
      </div>
      {!useOwnAnswer && fetched.error && <ErrorAlert onRetry={fetched.reload}>{fetched.error.message}</ErrorAlert>}
      {!useOwnAnswer && fetched.loading && <Loading />}
      <p className="result-count" role="status">
        {t('imports.rowsMatching', { count: formatNumber(report.rowsTotal, lang) })}
      </p>
      {report.rows.length > 0 && (
        <TableScroll label={t('imports.report')}>
          <table>
            <caption className="visually-hidden">{t('imports.report')}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {t('imports.row')}
                </th>
                <th scope="col">{t('imports.outcomeLabel')}</th>
                <th scope="col">{t('imports.reasons')}</th>
                <th scope="col">{t('imports.person')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.rowNumber} className={r.outcome === 'refused' ? 'row-refused' : undefined}>
                  <td className="numeric">{formatNumber(r.rowNumber, lang)}</td>
                  <td className="nowrap">{outcomeLabel(t, r.outcome)}</td>
                  <td>
                    {r.problems.length > 0 ? (
                      <ul className="plain-list">
                        {r.problems.map((p, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a row's problems are the server's fixed list, never reordered; nothing in one is unique
                          <li key={i}>{problemText(p, lang)}</li>
                        ))}
                      </ul>
                    ) : (
                      t('common.none')
                    )}
                  </td>
                  <td>
                    {r.personId ? (
                      <Link to={`/people/${encodeURIComponent(r.personId)}`}>{r.personName ?? r.personId}</Link>
                    ) : (
                      t('common.none')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pagination offset={offset} limit={REPORT_PAGE} total={report.rowsTotal} onChange={setOffset} />
      <div className="button-row">
        <button type="button" className="button-secondary" onClick={onStartOver}>
          {t('imports.another')}
        </button>
      </div>
    </section>
  );
}

/** Earlier imports within the caller's scope, newest first; each opens its report. */
function PastImports({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const [offset, setOffset] = useState(0);
  const limit = 20;
  const list = useApiQuery('/api/imports', { params: { query: { limit, offset } } });
  return (
    <section className="card" aria-labelledby="past-imports">
      <h2 id="past-imports">{t('imports.past')}</h2>
      {list.error && <ErrorAlert onRetry={list.reload}>{list.error.message}</ErrorAlert>}
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <p>{t('imports.noPast')}</p>}
      {list.data && list.data.items.length > 0 && (
        <TableScroll label={t('imports.past')}>
          <table>
            <caption className="visually-hidden">{t('imports.past')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('imports.when')}</th>
                <th scope="col">{t('imports.municipality')}</th>
                <th scope="col">{t('imports.file')}</th>
                <th scope="col" className="numeric">
                  {t('imports.outcome.imported')}
                </th>
                <th scope="col" className="numeric">
                  {t('imports.outcome.duplicate')}
                </th>
                <th scope="col" className="numeric">
                  {t('imports.outcome.refused')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('imports.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.id}>
                  <td className="nowrap">{formatDateTime(i.createdAt, lang)}</td>
                  <td className="nowrap">{placeName(municipalities, i.municipalityCode, lang)}</td>
                  <td className="break">{i.fileName}</td>
                  <td className="numeric">{formatNumber(i.totals.imported, lang)}</td>
                  <td className="numeric">{formatNumber(i.totals.duplicates, lang)}</td>
                  <td className="numeric">{formatNumber(i.totals.refused, lang)}</td>
                  <td>
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => onOpen(i.id)}
                      aria-label={t('imports.openLabel', { file: i.fileName })}
                    >
                      {t('imports.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.data && <Pagination offset={offset} limit={limit} total={list.data.total} onChange={setOffset} />}
    </section>
  );
}
