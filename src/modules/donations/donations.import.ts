/**
 * The donor import engine. The file (already on disk, encoding already decided on the whole
 * file) is streamed record by record; rows are read and checked in JavaScript, then handled in
 * batches of BATCH_ROWS: one COPY into a temporary staging table, a script of set-based SQL that
 * matches the batch's donors to existing people (people.bulk), a COPY of the search columns of
 * the donors who are new, and a second script that creates them, inserts the donations as
 * engagements (engagement.bulk, idempotent through external_key) and writes the row report.
 * While the database works on one batch, the next one is being parsed. The whole import is one
 * transaction: it is recorded completely, with its totals, or (on a file-level error such as a
 * broken quote) not at all.
 */
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { todayInTokyo } from '../../shared/dates.js';
import { insertEngagementsSql } from '../engagement/engagement.bulk.js';
import {
  BULK_PEOPLE_COLUMN_TYPES as PERSON_COLUMN_TYPES,
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
  UNMATCHED_PEOPLE_SQL,
  type BulkPerson,
} from '../people/people.bulk.js';
import { recomputeCertifications } from './donations.certify.js';
import { openDonorCsv } from './donations.csv.js';
import type { FileEncoding } from './donations.encoding.js';
import { missingFields, planColumns, type ColumnPlan, type DonorField } from './donations.fields.js';
import { uuid7 } from './donations.ids.js';
import {
  donationDigest,
  donationExternalKey,
  OccurrenceCounter,
  readDonorRow,
  type DonorRecord,
  type RowProblem,
} from './donations.rows.js';
import { copyLine, withBulkSession, type BulkSession } from './donations.session.js';

/** Rows per batch: large enough for set-based SQL to pay off, small enough to keep memory flat. */
export const BATCH_ROWS = 10_000;
/** Rows parsed between two turns of the event loop (so database replies are not kept waiting). */
const YIELD_EVERY = 64;
/** Rows shown by a dry run. */
export const PREVIEW_ROWS = 20;
/** Link kind of donors to the receiving municipality (see docs/architecture.md, "Donor import"). */
export const DONOR_LINK_KIND = 'interest' as const;

export type PreparedFile = { path: string; fileName: string; sha256: string; encoding: FileEncoding };
export type ImportOptions = { municipalityCode: string; mapping?: Record<string, string | null> };
export type ImportTotals = { rows: number; imported: number; duplicates: number; refused: number; newPeople: number };

/** The problems a row is stored with in donation_import_rows.problems. */
export type StoredProblem = { field: string; key: DonorField | 'row'; problem: string; params?: Record<string, string | number>; value?: string };

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
  if (first) throw new AppError('VALIDATION', { fields: { mapping: { problem: first.problem, params: { value: first.value } } } });
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

const ROW_COLUMNS = ['row_number', 'outcome', 'problems', 'slot', 'donated_on', 'amount_yen', 'external_key', 'engagement_id'] as const;

/**
 * Phase 1 of a batch goes through one COPY into `donation_stage_in`: one line per row ('r'),
 * incoming person ('p') or person key ('k'), each filling its own columns, the others \N.
 */
const PERSON_COLUMNS = BULK_PEOPLE_COLUMNS.filter((c) => c !== 'slot');
const KEY_COLUMNS = BULK_PEOPLE_KEY_COLUMNS.filter((c) => c !== 'slot');
const ROW_ONLY_COLUMNS = ROW_COLUMNS.filter((c) => c !== 'slot');
const IN_COLUMNS = ['t', 'slot', ...ROW_ONLY_COLUMNS, ...PERSON_COLUMNS, ...KEY_COLUMNS] as const;
const nulls = (n: number) => '\t\\N'.repeat(n);
const AFTER_ROW = nulls(PERSON_COLUMNS.length + KEY_COLUMNS.length) + '\n';
const BEFORE_PERSON = nulls(ROW_ONLY_COLUMNS.length);
const AFTER_PERSON = nulls(KEY_COLUMNS.length);
const BEFORE_KEY = nulls(ROW_ONLY_COLUMNS.length + PERSON_COLUMNS.length);

/** One batch: its COPY text for phase 1, and the incoming people per slot for phase 2. */
class Batch {
  text = '';
  size = 0;
  people: BulkPerson[] = [];
  private accepted: Array<{ rowNumber: number; donor: DonorRecord; externalKey: string }> = [];

  refuse(rowNumber: number, problems: RowProblem[]) {
    this.text += `r\t\\N\t${copyLine([rowNumber, 'refused', JSON.stringify(problems.map(toStored)), null, null, null, null]).slice(0, -1)}${AFTER_ROW}`;
    this.size++;
  }

  accept(rowNumber: number, donor: DonorRecord, externalKey: string) {
    this.accepted.push({ rowNumber, donor, externalKey });
    this.size++;
  }

  /**
   * Groups the accepted rows into donors — rows sharing an email or phone key, or without
   * either the same name, reading and postal code, are one donor — and stages one person per
   * donor (the first value of each field among its rows) with all of the donor's keys.
   */
  prepare(): this {
    const rows = this.accepted;
    const parent = rows.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    const owner = new Map<string, number>();
    const rowKeys = rows.map(({ donor }) => bulkPersonKeys(donor));
    rowKeys.forEach((keys, i) => {
      for (const k of keys) {
        const id = `${k.kind}:${k.key}`;
        const j = owner.get(id);
        if (j === undefined) owner.set(id, i);
        else {
          const a = find(i);
          const b = find(j);
          if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        }
      }
    });
    const slotOfRoot = new Map<number, number>();
    const people: BulkPerson[] = [];
    const keysBySlot: Array<Map<string, { kind: string; key: string }>> = [];
    rows.forEach(({ rowNumber, donor, externalKey }, i) => {
      const root = find(i);
      let slot = slotOfRoot.get(root);
      const incoming = donorPerson(donor);
      if (slot === undefined) {
        slot = people.length;
        slotOfRoot.set(root, slot);
        people.push(incoming);
        keysBySlot.push(new Map());
      } else {
        const p = people[slot]!;
        for (const f of ['kana', 'email', 'emailKey', 'phone', 'phoneKey', 'postalCode', 'prefecture', 'city'] as const) {
          if (p[f] === null && incoming[f] !== null) (p as Record<string, unknown>)[f] = incoming[f];
        }
      }
      for (const k of rowKeys[i]!) keysBySlot[slot]!.set(`${k.kind}:${k.key}`, k);
      this.text += `r\t${slot}\t${rowNumber}\tok\t\\N\t${donor.donatedOn}\t${donor.amountYen}\t${externalKey}\t${uuid7()}${AFTER_ROW}`;
    });
    people.forEach((p, slot) => {
      this.text += `p\t${slot}${BEFORE_PERSON}\t${copyLine(bulkPersonValues(slot, uuid7(), p).slice(1)).slice(0, -1)}${AFTER_PERSON}\n`;
      // Best key first: email, else phone, else name (bulkPersonKeys' order).
      let first = true;
      for (const k of keysBySlot[slot]!.values()) {
        this.text += `k\t${slot}${BEFORE_KEY}\t${copyLine([k.kind, k.key, first]).slice(0, -1)}\n`;
        first = false;
      }
    });
    this.people = people;
    this.accepted = [];
    return this;
  }
}

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

/** Phase 1: unpack the staged lines, match donors to existing people, list those to create. */
const MATCH_SQL = [
  `insert into donation_stage (${ROW_COLUMNS.join(', ')}) select ${ROW_COLUMNS.join(', ')} from donation_stage_in where t = 'r'`,
  `insert into bulk_people (${BULK_PEOPLE_COLUMNS.join(', ')}) select ${BULK_PEOPLE_COLUMNS.join(', ')} from donation_stage_in where t = 'p'`,
  `insert into bulk_people_keys (${BULK_PEOPLE_KEY_COLUMNS.join(', ')}) select ${BULK_PEOPLE_KEY_COLUMNS.join(', ')} from donation_stage_in where t = 'k'`,
  MATCH_PEOPLE_SQL,
  UNMATCHED_PEOPLE_SQL,
].join(';\n');

/** Phase 2: create people, insert the donations (idempotent), write the row report, count, clear. */
const RECORD_SQL = [
  CREATE_PEOPLE_SQL,
  `with inserted as (${insertEngagementsSql(`
     select r.engagement_id, b.person_id, c.municipality_code, 'donation', r.donated_on, 'donation_import', c.import_id::text,
            r.amount_yen, r.external_key, c.actor_id
       from donation_stage r join bulk_people b on b.slot = r.slot cross join donation_ctx c
      where r.outcome = 'ok'
      -- in person order: the (person_id, …) indexes and the foreign key are then walked in order
      order by b.person_id, r.external_key`)})
   update donation_stage r set outcome = 'imported' from inserted where r.engagement_id = inserted.id`,
  `update donation_stage set outcome = 'duplicate', engagement_id = null where outcome = 'ok'`,
  `insert into donation_import_rows (import_id, row_number, outcome, problems, person_id, engagement_id)
   select c.import_id, r.row_number, r.outcome, r.problems, b.person_id, r.engagement_id
     from donation_stage r left join bulk_people b on b.slot = r.slot cross join donation_ctx c`,
  `select (select count(*) from donation_stage where outcome = 'imported')::int as imported,
          (select count(*) from donation_stage where outcome = 'duplicate')::int as duplicates,
          (select count(*) from donation_stage where outcome = 'refused')::int as refused,
          (select count(*) from donation_stage)::int as rows,
          (select count(distinct person_id) from bulk_people where created)::int as "newPeople",
          (select count(distinct person_id) from bulk_people where linked and not created)::int as "linkedPeople"`,
  `truncate donation_stage_in, donation_stage`,
  CLEAR_PEOPLE_SQL,
].join(';\n');

async function createImportStaging(s: BulkSession, importId: string, municipalityCode: string, actorId: string | null) {
  await s.query(
    `create temp table donation_stage (
       row_number int not null, outcome varchar(16) not null, problems jsonb, slot int,
       donated_on date, amount_yen int, external_key text, engagement_id uuid
     ) on commit drop`,
  );
  await s.query(`create temp table donation_stage_in (
    t char(1) not null, slot int, row_number int, outcome varchar(16), problems jsonb,
    donated_on date, amount_yen int, external_key text, engagement_id uuid,
    ${PERSON_COLUMNS.map((c) => `${c} ${PERSON_COLUMN_TYPES[c]}`).join(', ')},
    kind char(1), key text, first boolean
  ) on commit drop`);
  await s.query(`create temp table donation_ctx (import_id uuid not null, municipality_code varchar(6) not null, actor_id uuid) on commit drop`);
  await s.query(`insert into donation_ctx values ($1, $2, $3)`, [importId, municipalityCode, actorId]);
  // One row each: with statistics the planner knows it, instead of guessing hundreds.
  await s.query(`analyze donation_ctx, bulk_people_ctx`);
}

type BatchCounts = ImportTotals & { linkedPeople: number };

const rowsOf = (results: unknown[][]) => results.flat() as Array<Record<string, unknown>>;

async function sendBatch(s: BulkSession, batch: Batch): Promise<BatchCounts> {
  await s.copyIn('donation_stage_in', IN_COLUMNS, batch.text);
  const unmatched = rowsOf(await s.script(MATCH_SQL)).filter((r) => 'slot' in r);
  if (unmatched.length) {
    let search = '';
    for (const { slot } of unmatched) search += copyLine(bulkPersonSearchValues(slot as number, batch.people[slot as number]!));
    await s.copyIn('bulk_people_search', BULK_PEOPLE_SEARCH_COLUMNS, search);
  }
  const counts = rowsOf(await s.script(RECORD_SQL)).find((r): r is BatchCounts => 'imported' in r);
  if (!counts) throw new Error('batch script returned no counts');
  return counts;
}

export type ImportResult = { id: string; totals: ImportTotals; certified: Record<string, number>; linkedPeople: number };

/**
 * Imports the file for the receiving municipality. `linkOnlyVisible`: the caller is municipality
 * staff, who must not be shown (nor link) people outside their municipality.
 */
export async function importDonorFile(
  db: Db,
  ctx: RequestContext,
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
      await s.query(
        `insert into donation_imports (id, municipality_code, file_name, file_sha256, encoding, mapping, status, created_by)
         values ($1, $2, $3, $4, $5, $6, 'running', $7)`,
        [importId, municipalityCode, file.fileName, file.sha256, file.encoding, JSON.stringify(plan.mapping), ctx.actor.staffId],
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
      let batch = new Batch();
      // While the database works on one batch, the next is parsed and prepared.
      let inFlight: Promise<BatchCounts> | null = null;
      const ship = async (b: Batch) => {
        b.prepare();
        if (inFlight) add(await inFlight);
        inFlight = sendBatch(s, b);
        inFlight.catch(() => {}); // awaited later; keeps an early failure from going unhandled
      };
      try {
        let sinceYield = 0;
        for await (const record of csv.records) {
          // Let the database connection's I/O run while rows are being parsed.
          if (++sinceYield === YIELD_EVERY) {
            sinceYield = 0;
            await new Promise((resolve) => setImmediate(resolve));
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
            batch = new Batch();
          }
        }
        if (batch.size) await ship(batch);
        if (inFlight) add(await inFlight);
      } finally {
        if (inFlight) await (inFlight as Promise<unknown>).catch(() => {});
      }

      // Every donor of this import (the row report names them), certified or not.
      const certified = await recomputeCertifications(s, municipalityCode.slice(0, 2), {
        query: `select distinct r.person_id from donation_import_rows r join donation_ctx c on r.import_id = c.import_id where r.person_id is not null`,
      });
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
