/**
 * The donor import engine. The file (already on disk, encoding already decided on the whole
 * file) is streamed record by record; rows are read and checked in JavaScript, then handled in
 * batches of BATCH_ROWS. All JavaScript work of a batch is done before it goes to the database:
 * grouping rows into donors, and deriving the search columns of the donors who may be new (none
 * of their keys came up earlier in the import). Then COPYs straight into the row report (refused
 * rows) and into temporary staging tables (rows, donors, their keys, search columns), a script
 * that matches the donors to existing people (people.bulk), and a script that creates the new
 * ones, inserts the donations as engagements (engagement.bulk, idempotent through external_key)
 * and writes the row report (runs of imported rows as one line each). While the database works
 * on one batch, the next is parsed. The whole import is one transaction: it is recorded
 * completely, with its totals, or (on a file-level error such as a broken quote) not at all.
 * KANKEI_IMPORT_PROFILE shows where the time goes (see the profiling section below).
 */
import { readFileSync } from 'node:fs';
import type { StaffContext } from '../../platform/request-context.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { todayInTokyo } from '../../shared/dates.js';
import { insertEngagementsSql } from '../engagement/index.js';
import {
  BULK_PEOPLE_COLUMNS,
  BULK_PEOPLE_KEY_COLUMNS,
  BULK_PEOPLE_SEARCH_COLUMNS,
  bulkPersonKeys,
  bulkPersonSearchValues,
  bulkPersonValues,
  CLEAR_PEOPLE_SQL,
  createPeopleStaging,
  CREATE_PEOPLE_SQL,
  MATCH_PEOPLE_SQL,
  type BulkPerson,
} from '../people/index.js';
import { recomputeCertifications } from './donations.certify.js';
import { openDonorCsv } from './donations.csv.js';
import type { FileEncoding } from './donations.encoding.js';
import { missingFields, planColumns, type ColumnPlan, type DonorField } from './donations.fields.js';
import { importEngagementId, importEngagementIdRange, uuid7 } from './donations.ids.js';
import {
  donationDigest,
  donationExternalKey,
  KeyHashSet,
  OccurrenceCounter,
  readDonorRow,
  type DonorRecord,
  type RowProblem,
} from './donations.rows.js';
import { copyLine, withBulkSession, type BulkSession } from './donations.session.js';

/** Rows per batch: large enough for set-based SQL to pay off, small enough to keep memory flat. */
export const BATCH_ROWS = 10_000;
/**
 * Rows parsed (or prepared) between two turns of the event loop: the database's replies within a
 * batch are then answered within a few milliseconds, so it is not kept waiting.
 */
const YIELD_EVERY = 64;
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Rows shown by a dry run. */
export const PREVIEW_ROWS = 20;
/** Link kind of donors to the receiving municipality (see docs/architecture.md, "Donor import"). */
export const DONOR_LINK_KIND = 'interest' as const;

export type PreparedFile = { path: string; fileName: string; sha256: string; encoding: FileEncoding };
export type ImportOptions = { municipalityCode: string; mapping?: Record<string, string | null> };
export type ImportTotals = { rows: number; imported: number; duplicates: number; refused: number; newPeople: number };

/** The problems a row is stored with in donation_import_rows.problems. */
export type StoredProblem = {
  field: string;
  key: DonorField | 'row';
  problem: string;
  params?: Record<string, string | number>;
  value?: string;
};

const toStored = (p: RowProblem): StoredProblem => ({
  field: p.column,
  key: p.field,
  problem: p.problem,
  ...(p.params ? { params: p.params } : {}),
  ...(p.value !== undefined ? { value: p.value } : {}),
});

/** The column plan for the file, or the VALIDATION error naming what is wrong with the mapping. */
function planOrRefuse(headers: string[], options: ImportOptions, { requireAll }: { requireAll: boolean }) {
  const { plan, problems } = planColumns(headers, options.mapping ?? {});
  const [first] = problems;
  if (first)
    throw new AppError('VALIDATION', {
      fields: { mapping: { problem: first.problem, params: { value: first.value } } },
    });
  const missing = missingFields(plan);
  if (requireAll && missing.length) {
    throw new AppError('VALIDATION', {
      fields: { mapping: { problem: 'missing_columns', params: { columns: missing.join(',') } } },
      details: { headers, mapping: plan.mapping, missing },
    });
  }
  return { plan, missing };
}

// --- dry run -----------------------------------------------------------------------------------

export type PreviewRow = {
  rowNumber: number;
  outcome: 'ok' | 'refused';
  values: Partial<Record<DonorField, string | number>>;
  problems: StoredProblem[];
};

export type Preview = {
  encoding: FileEncoding;
  headers: string[];
  mapping: ColumnPlan['mapping'];
  missing: DonorField[];
  rows: PreviewRow[];
};

/** Reads the header and the first rows as the import would, writing nothing. */
export async function previewDonorFile(file: PreparedFile, options: ImportOptions): Promise<Preview> {
  const csv = await openDonorCsv(file.path, file.encoding);
  try {
    const { plan, missing } = planOrRefuse(csv.headers, options, { requireAll: false });
    const today = todayInTokyo();
    const rows: PreviewRow[] = [];
    for await (const record of csv.records) {
      const read = readDonorRow(record.cells, plan, today);
      rows.push({
        rowNumber: record.rowNumber,
        outcome: read.donor ? 'ok' : 'refused',
        values: read.values,
        problems: read.problems.map(toStored),
      });
      if (rows.length >= PREVIEW_ROWS) break;
    }
    return { encoding: file.encoding, headers: csv.headers, mapping: plan.mapping, missing, rows };
  } finally {
    await csv.close();
  }
}

// --- import ------------------------------------------------------------------------------------

/** COPY columns of the staged rows: one line per row that was read without problems. */
const STAGE_COLUMNS = ['row_number', 'slot', 'donated_on', 'amount_yen', 'external_key', 'engagement_id'] as const;
/** COPY columns of refused rows, which go straight into the row report. */
const REFUSED_COLUMNS = ['import_id', 'row_number', 'outcome', 'problems'] as const;

const COPY_SPECIAL = /[\\\t\n\r]/;
/** A text cell for COPY: most cells need no escaping, and are checked before anything is built. */
const esc = (value: string | null): string =>
  value === null ? '\\N' : COPY_SPECIAL.test(value) ? copyLine([value]).slice(0, -1) : value;

/**
 * One batch: the COPY text of its refused rows (as they are read), and — once prepared — of its
 * rows, its donors (one slot each) with their keys, fields and search columns as far as they are
 * needed (see prepare), and the donors per slot for what the database finds missing.
 */
class Batch {
  size = 0;
  refused = 0;
  refusedText = '';
  rowsText = '';
  peopleText = '';
  keysText = '';
  searchText = '';
  /** The incoming person per slot, and whether their fields (bulk_people) and search columns went to the database. */
  people: BulkPerson[] = [];
  private staged: Array<{ person: boolean; search: boolean }> = [];
  private accepted: Array<{ rowNumber: number; donor: DonorRecord; externalKey: string }> = [];

  /** `seenKeys`: the donor keys of the import's earlier batches. */
  constructor(
    private readonly importId: string,
    private readonly seenKeys: KeyHashSet,
  ) {}

  refuse(rowNumber: number, problems: RowProblem[]) {
    this.refusedText += `${this.importId}\t${rowNumber}\trefused\t${esc(JSON.stringify(problems.map(toStored)))}\n`;
    this.refused++;
    this.size++;
  }

  accept(rowNumber: number, donor: DonorRecord, externalKey: string) {
    this.accepted.push({ rowNumber, donor, externalKey });
    this.size++;
  }

  /**
   * Groups the accepted rows into donors — rows sharing an email or phone key, or without
   * either the same name, reading and postal code, are one donor — with one person per donor (the
   * first value of each field among its rows) and all of the donor's keys, and writes the COPY
   * text. Yields to the event loop as parsing does, so that the database is answered meanwhile.
   */
  async prepare(): Promise<this> {
    const rows = this.accepted;
    const n = rows.length;
    const parent = new Int32Array(n);
    for (let i = 0; i < n; i++) parent[i] = i;
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    // Keys as "kind:key" (the kind is one letter), so that one string serves every lookup.
    const owner = new Map<string, number>();
    const rowKeys: string[][] = new Array(n);
    for (let i = 0; i < n; i++) {
      if (i % YIELD_EVERY === 0) await turn();
      const keys = bulkPersonKeys(rows[i]!.donor).map((k) => `${k.kind}:${k.key}`);
      rowKeys[i] = keys;
      for (const id of keys) {
        const j = owner.get(id);
        if (j === undefined) owner.set(id, i);
        else {
          const a = find(i);
          const b = find(j);
          if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        }
      }
    }
    const slotOfRoot = new Map<number, number>();
    const people: BulkPerson[] = [];
    const keysBySlot: string[][] = [];
    let rowsText = '';
    for (let i = 0; i < n; i++) {
      if (i % YIELD_EVERY === 0) await turn();
      const { rowNumber, donor, externalKey } = rows[i]!;
      const root = find(i);
      let slot = slotOfRoot.get(root);
      if (slot === undefined) {
        slot = people.length;
        slotOfRoot.set(root, slot);
        people.push(donorPerson(donor));
        keysBySlot.push([]);
      } else {
        const p = people[slot]!;
        for (const f of PERSON_FIELDS)
          if (p[f] === null && donor[f] !== null) (p as Record<string, unknown>)[f] = donor[f];
      }
      const slotKeys = keysBySlot[slot]!;
      for (const id of rowKeys[i]!) if (!slotKeys.includes(id)) slotKeys.push(id);
      rowsText += `${rowNumber}\t${slot}\t${donor.donatedOn}\t${donor.amountYen}\t${externalKey}\t${importEngagementId(this.importId, rowNumber)}\n`;
    }
    let peopleText = '';
    let keysText = '';
    let searchText = '';
    const staged: Array<{ person: boolean; search: boolean }> = new Array(people.length);
    for (let slot = 0; slot < people.length; slot++) {
      if (slot % YIELD_EVERY === 0) await turn();
      const p = people[slot]!;
      // Best key first: email, else phone, else name (bulkPersonKeys' order).
      let first = 't';
      let seen = false;
      for (const id of keysBySlot[slot]!) {
        keysText += `${slot}\t${id[0]}\t${esc(id.slice(2))}\t${first}\n`;
        first = 'f';
        if (this.seenKeys.add(id)) seen = true;
      }
      // A donor none of whose keys came up earlier in the import may be new: stage their fields
      // and derive their search columns now, before the batch goes to the database (which decides
      // who is new). Donors without contact are found by name: their fields always go.
      const contactless = !p.emailKey && !p.phoneKey;
      staged[slot] = { person: !seen || contactless, search: !seen };
      if (!seen || contactless) peopleText += copyLine(bulkPersonValues(slot, uuid7(), p));
      if (!seen) searchText += copyLine(bulkPersonSearchValues(slot, p));
    }
    this.rowsText = rowsText;
    this.peopleText = peopleText;
    this.keysText = keysText;
    this.searchText = searchText;
    this.people = people;
    this.staged = staged;
    this.accepted = [];
    return this;
  }

  /** COPY text for slots found new without search columns staged: their fields (when not sent yet) and search columns. */
  missing(slots: number[]): { peopleText: string; searchText: string } {
    let peopleText = '';
    let searchText = '';
    for (const slot of slots) {
      const p = this.people[slot]!;
      if (!this.staged[slot]!.person) peopleText += copyLine(bulkPersonValues(slot, uuid7(), p));
      searchText += copyLine(bulkPersonSearchValues(slot, p));
    }
    return { peopleText, searchText };
  }
}

/** Fields of a donor's person filled from later rows when the first row left them empty. */
const PERSON_FIELDS = ['kana', 'email', 'emailKey', 'phone', 'phoneKey', 'postalCode', 'prefecture', 'city'] as const;

function donorPerson(d: DonorRecord): BulkPerson {
  return {
    name: d.name,
    kana: d.kana,
    email: d.email,
    emailKey: d.emailKey,
    phone: d.phone,
    phoneKey: d.phoneKey,
    postalCode: d.postalCode,
    prefecture: d.prefecture,
    city: d.city,
  };
}

/**
 * Phase 2, after the people: insert the donations (idempotent through external_key, in person
 * order so that the (person_id, …) indexes and the foreign key are walked in order) and write the
 * row report — runs of consecutive imported rows as one line each (their donation records have
 * ids derived from the import and row number, see importEngagementId), duplicates one line each
 * with their person. Answers the batch's imported and duplicate counts.
 */
const RECORD_DONATIONS_SQL = `
  with inserted as (${insertEngagementsSql(`
     select r.engagement_id, m.person_id, c.municipality_code, 'donation', r.donated_on, 'donation_import', c.import_id::text,
            r.amount_yen, r.external_key, c.actor_id
       from donation_stage r join bulk_people_match m on m.slot = r.slot cross join donation_ctx c
      order by m.person_id, r.external_key`)}),
  runs as (
    insert into donation_import_rows (import_id, row_number, row_count, outcome)
    select c.import_id, min(x.row_number), count(*), 'imported'
      from (select r.row_number, r.row_number - row_number() over (order by r.row_number) as run
              from donation_stage r join inserted i on i.id = r.engagement_id) x
      cross join donation_ctx c
     group by c.import_id, x.run
    returning row_count),
  duplicates as (
    insert into donation_import_rows (import_id, row_number, outcome, person_id)
    select c.import_id, r.row_number, 'duplicate', m.person_id
      from donation_stage r join bulk_people_match m on m.slot = r.slot cross join donation_ctx c
     where not exists (select 1 from inserted i where i.id = r.engagement_id)
    returning 1)
  select (select coalesce(sum(row_count), 0) from runs)::int as imported, (select count(*) from duplicates)::int as duplicates`;

const RECORD_SQL = [CREATE_PEOPLE_SQL, RECORD_DONATIONS_SQL, `truncate donation_stage`, CLEAR_PEOPLE_SQL].join(';\n');

async function createImportStaging(s: BulkSession, importId: string, municipalityCode: string, actorId: string | null) {
  await s.query(
    `create temp table donation_stage (
       row_number int not null, slot int not null, donated_on date not null, amount_yen int not null,
       external_key text not null, engagement_id uuid not null
     ) on commit drop`,
  );
  await s.query(
    `create temp table donation_ctx (import_id uuid not null, municipality_code varchar(6) not null, actor_id uuid) on commit drop`,
  );
  await s.query(`insert into donation_ctx values ($1, $2, $3)`, [importId, municipalityCode, actorId]);
  // One row each: with statistics the planner knows it, instead of guessing hundreds.
  await s.query(`analyze donation_ctx, bulk_people_ctx`);
}

type BatchCounts = ImportTotals & { linkedPeople: number };

const rowsOf = (results: unknown[][]) => results.flat() as Array<Record<string, unknown>>;

// --- profiling --------------------------------------------------------------------------------
// For the benchmark (bench/donor-import.ts sets it from KANKEI_IMPORT_PROFILE; the app never
// profiles): 'wall': wall time per phase. 'serial': also no overlap of parsing and database
// work, every statement of the scripts on its own, and CPU time — of the Node main thread for
// Node phases, of the database backend (read from /proc when the server runs on this machine)
// for statements — so that figures hold on a machine shared with other work. 'explain': serial,
// plus auto_explain of statements over 5 ms in the server log (superuser only). Printed by
// printImportProfile().
export type ImportProfileMode = 'off' | 'wall' | 'serial' | 'explain';
let profileMode: ImportProfileMode = 'off';
let PROFILE = false;
let PROFILE_SERIAL = false;
/** Turns profiling of donor imports in this process on or off (benchmarks only). */
export function setImportProfiling(mode: ImportProfileMode): void {
  profileMode = mode;
  PROFILE = mode !== 'off';
  PROFILE_SERIAL = mode === 'serial' || mode === 'explain';
}
const profile = new Map<string, { ms: number; cpuMs: number; n: number }>();
let backendPid = 0;
/** CPU time (or, field 1, time waiting for a CPU) in ms of a thread or process, from /proc/…/schedstat; NaN elsewhere. */
function cpuMs(path: string, field = 0): number {
  try {
    return Number(readFileSync(path, 'utf8').split(' ')[field]) / 1e6;
  } catch {
    return NaN;
  }
}
function profiled<T>(label: string, work: () => Promise<T>): Promise<T>;
function profiled<T>(label: string, work: () => T): T;
function profiled<T>(label: string, work: () => T | Promise<T>): T | Promise<T> {
  if (!PROFILE) return work();
  const cpuPath = label.startsWith('node')
    ? `/proc/self/task/${process.pid}/schedstat`
    : backendPid
      ? `/proc/${backendPid}/schedstat`
      : '';
  const cpuStart = PROFILE_SERIAL && cpuPath ? cpuMs(cpuPath) : NaN;
  const started = performance.now();
  const done = () => {
    const p = profile.get(label) ?? { ms: 0, cpuMs: 0, n: 0 };
    p.ms += performance.now() - started;
    p.cpuMs += cpuPath ? cpuMs(cpuPath) - cpuStart : NaN;
    p.n++;
    profile.set(label, p);
  };
  const result = work();
  if (result instanceof Promise) return result.finally(done);
  done();
  return result;
}
/** In serial profiling a script runs statement by statement, each timed on its own. */
async function script(s: BulkSession, text: string): Promise<unknown[][]> {
  if (!PROFILE_SERIAL) return s.script(text);
  const out: unknown[][] = [];
  for (const statement of text.split(';\n')) {
    const label = `sql ${statement.replace(/\s+/g, ' ').trim().slice(0, 90)}`;
    out.push(await profiled(label, () => s.query(statement)));
  }
  return out;
}
/** Prints (stderr) and clears what the import profile (setImportProfiling) collected. */
export function printImportProfile() {
  const lines = [...profile.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(
      ([k, v]) =>
        `${(v.ms / 1000).toFixed(2).padStart(7)} s ${Number.isNaN(v.cpuMs) ? '        ' : `${(v.cpuMs / 1000).toFixed(2).padStart(6)} s`} cpu ${String(v.n).padStart(4)}x  ${k}`,
    );
  console.error(lines.join('\n'));
  profile.clear();
}

async function sendBatch(s: BulkSession, batch: Batch): Promise<BatchCounts> {
  const totals = {
    rows: batch.size,
    refused: batch.refused,
    imported: 0,
    duplicates: 0,
    newPeople: 0,
    linkedPeople: 0,
  };
  // One statement at a time on the connection (node-postgres does not queue them for us).
  if (batch.refusedText)
    await profiled('copy refused rows', () => s.copyIn('donation_import_rows', REFUSED_COLUMNS, batch.refusedText));
  if (!batch.rowsText) return totals;
  await profiled('copy donation_stage', () => s.copyIn('donation_stage', STAGE_COLUMNS, batch.rowsText));
  if (batch.peopleText)
    await profiled('copy bulk_people', () => s.copyIn('bulk_people', BULK_PEOPLE_COLUMNS, batch.peopleText));
  await profiled('copy bulk_people_keys', () => s.copyIn('bulk_people_keys', BULK_PEOPLE_KEY_COLUMNS, batch.keysText));
  if (batch.searchText)
    await profiled('copy bulk_people_search', () =>
      s.copyIn('bulk_people_search', BULK_PEOPLE_SEARCH_COLUMNS, batch.searchText),
    );
  const matched = script(s, MATCH_PEOPLE_SQL);
  const missing = rowsOf(await matched).flatMap((r) => ('missingSlot' in r ? [r.missingSlot as number] : []));
  if (missing.length) {
    // New after all, without search columns yet (see people.bulk): stage them now.
    const { peopleText, searchText } = batch.missing(missing);
    if (peopleText)
      await profiled('copy bulk_people, missing', () => s.copyIn('bulk_people', BULK_PEOPLE_COLUMNS, peopleText));
    await profiled('copy bulk_people_search, missing', () =>
      s.copyIn('bulk_people_search', BULK_PEOPLE_SEARCH_COLUMNS, searchText),
    );
  }
  const results = rowsOf(await script(s, RECORD_SQL));
  const people = results.find((r) => 'linkedPeople' in r);
  const recorded = results.find((r) => 'imported' in r);
  if (!people || !recorded) throw new Error('batch script returned no counts');
  totals.newPeople = people.newPeople as number;
  totals.linkedPeople = people.linkedPeople as number;
  totals.imported = recorded.imported as number;
  totals.duplicates = recorded.duplicates as number;
  return totals;
}

/** ANALYZE inside the transaction (its statistics are seen by the statements after it); skipped when the role may not. */
async function analyzeIfAllowed(s: BulkSession, table: string) {
  await s.query('savepoint kankei_analyze');
  try {
    await s.query(`analyze ${table}`);
    await s.query('release savepoint kankei_analyze');
  } catch {
    await s.query('rollback to savepoint kankei_analyze');
  }
}

export type ImportResult = {
  id: string;
  totals: ImportTotals;
  certified: Record<string, number>;
  linkedPeople: number;
};

/**
 * Imports the file for the receiving municipality. `linkOnlyVisible`: the caller is municipality
 * staff, who must not be shown (nor link) people outside their municipality.
 */
export async function importDonorFile(
  db: Db,
  ctx: StaffContext,
  file: PreparedFile,
  options: ImportOptions & { linkOnlyVisible: boolean; batchRows?: number },
): Promise<ImportResult> {
  const csv = await openDonorCsv(file.path, file.encoding);
  try {
    const { plan } = planOrRefuse(csv.headers, options, { requireAll: true });
    const municipalityCode = options.municipalityCode;
    const importId = uuid7();
    const today = todayInTokyo();
    const batchRows = options.batchRows ?? BATCH_ROWS;
    return await withBulkSession(db, async (s) => {
      // One import at a time: two imports of overlapping files must not both create a donor.
      await s.query(`select pg_advisory_xact_lock(hashtext('kankei:donation_import'))`);
      // Sorting and grouping a million donations (certification) fits in memory, not on disk; and
      // the batch statements are small and many — compiling them (JIT) costs more than it saves.
      await s.query(`set local work_mem = '64MB'`);
      await s.query(`set local jit = off`);
      if (PROFILE) backendPid = (await s.query<{ pid: number }>(`select pg_backend_pid() as pid`))[0]?.pid ?? 0;
      if (profileMode === 'explain') {
        // Plans with timings of the slower statements, in the server log (superuser only).
        await s.query(`load 'auto_explain'`);
        for (const [k, v] of [
          ['log_min_duration', '5ms'],
          ['log_analyze', 'on'],
          ['log_buffers', 'on'],
          ['log_triggers', 'on'],
        ])
          await s.query(`set local auto_explain.${k} = '${v}'`);
      }
      await s.query(
        `insert into donation_imports (id, municipality_code, file_name, file_sha256, encoding, mapping, status, created_by)
         values ($1, $2, $3, $4, $5, $6, 'running', $7)`,
        [
          importId,
          municipalityCode,
          file.fileName,
          file.sha256,
          file.encoding,
          JSON.stringify(plan.mapping),
          ctx.actor.staffId,
        ],
      );
      await createPeopleStaging(s, {
        actor: ctx.actor,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        municipalityCode,
        linkKind: DONOR_LINK_KIND,
        linkOnlyVisible: options.linkOnlyVisible,
        auditDetails: { source: 'donation_import', importId },
      });
      await createImportStaging(s, importId, municipalityCode, ctx.actor.staffId);

      const totals: ImportTotals = { rows: 0, imported: 0, duplicates: 0, refused: 0, newPeople: 0 };
      let linkedPeople = 0;
      const add = (t: BatchCounts) => {
        for (const k of Object.keys(totals) as Array<keyof ImportTotals>) totals[k] += t[k];
        linkedPeople += t.linkedPeople;
      };
      const occurrences = new OccurrenceCounter();
      const seenKeys = new KeyHashSet();
      let batch = new Batch(importId, seenKeys);
      // While the database works on one batch, the next is parsed and prepared.
      let inFlight: Promise<BatchCounts> | null = null;
      const ship = async (b: Batch) => {
        await profiled('node prepare batch', () => b.prepare());
        if (inFlight) add(await profiled('wait for database', () => inFlight!));
        inFlight = sendBatch(s, b);
        inFlight.catch(() => {}); // awaited later; keeps an early failure from going unhandled
        // Serial profiling times each statement alone: no overlap with parsing.
        if (PROFILE_SERIAL) {
          add(await inFlight);
          inFlight = null;
        }
      };
      const main = `/proc/self/task/${process.pid}/schedstat`;
      const backend = `/proc/${backendPid}/schedstat`;
      const loopStarted = PROFILE
        ? {
            wall: performance.now(),
            cpu: cpuMs(main),
            runq: cpuMs(main, 1),
            dbCpu: cpuMs(backend),
            dbRunq: cpuMs(backend, 1),
          }
        : null;
      try {
        let sinceYield = 0;
        for await (const record of csv.records) {
          // Let the database connection's I/O run while rows are being parsed.
          if (++sinceYield === YIELD_EVERY) {
            sinceYield = 0;
            await turn();
          }
          const read = readDonorRow(record.cells, plan, today);
          if (read.donor) {
            const digest = donationDigest(municipalityCode, read.donor);
            batch.accept(record.rowNumber, read.donor, donationExternalKey(digest, occurrences.next(digest)));
          } else {
            batch.refuse(record.rowNumber, read.problems);
          }
          if (batch.size >= batchRows) {
            await ship(batch);
            batch = new Batch(importId, seenKeys);
          }
        }
        if (batch.size) await ship(batch);
        if (inFlight) add(await profiled('wait for database', () => inFlight!));
        if (loopStarted) {
          // The whole loop: wall time, and how the main thread and the database backend spent it
          // (on a CPU, waiting for one; the rest is waiting for each other or for I/O).
          const wall = performance.now() - loopStarted.wall;
          const entries: Array<[string, number, number]> = [
            ['node main thread on CPU', wall, cpuMs(main) - loopStarted.cpu],
            ['node main thread waiting for a CPU', wall, cpuMs(main, 1) - loopStarted.runq],
            ['database backend on CPU', wall, cpuMs(backend) - loopStarted.dbCpu],
            ['database backend waiting for a CPU', wall, cpuMs(backend, 1) - loopStarted.dbRunq],
          ];
          for (const [label, ms, cpu] of entries) profile.set(`loop: ${label}`, { ms, cpuMs: cpu, n: 1 });
        }
      } finally {
        if (inFlight) await (inFlight as Promise<unknown>).catch(() => {});
      }

      // The planner has no statistics for the rows this import wrote (nor, on a new database, any):
      // without them the certification query below can compare every donation with every donor.
      await profiled('sql analyze engagements', () => analyzeIfAllowed(s, 'engagements'));
      // Every donor of this import, certified or not: the people of its donation records (their
      // ids lie in the import's range, see importEngagementId) and of its duplicate rows.
      const [low, high] = importEngagementIdRange(importId);
      const certified = await profiled('sql certifications', () =>
        recomputeCertifications(s, municipalityCode.slice(0, 2), {
          query: `select e.person_id from engagements e where e.id between '${low}'::uuid and '${high}'::uuid
                  union
                  select r.person_id from donation_import_rows r join donation_ctx c on r.import_id = c.import_id where r.person_id is not null`,
        }),
      );
      await s.query(
        `update donation_imports set status = 'completed', total_rows = $2, imported_rows = $3, duplicate_rows = $4,
                refused_rows = $5, new_people = $6, finished_at = clock_timestamp() where id = $1`,
        [importId, totals.rows, totals.imported, totals.duplicates, totals.refused, totals.newPeople],
      );
      await s.query(
        `insert into audit_events (actor_staff_id, actor_label, via, action, entity_type, entity_id, municipality_code, ip, user_agent, details)
         values ($1, $2, $3, 'donations.import', 'donation_import', $4, $5, $6, $7, $8)`,
        [
          ctx.actor.staffId,
          ctx.actor.email,
          ctx.actor.via,
          importId,
          municipalityCode,
          ctx.ip,
          ctx.userAgent?.slice(0, 500) ?? null,
          JSON.stringify({ ...totals, linkedPeople, certified, encoding: file.encoding }),
        ],
      );
      return { id: importId, totals, certified, linkedPeople };
    });
  } finally {
    await csv.close();
  }
}
