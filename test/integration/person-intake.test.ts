/**
 * One person intake, two ways: the single intake (people.intake.ts: public registry confirmation,
 * event sign-up) and its set-based twin (people.bulk.ts: the donor import) run the same table of
 * cases — match by email, else phone, oldest live record, deleted people left alone, the input's
 * width and kana forms folded. Where the twin differs on purpose the case says so and why.
 * Then: simultaneous intakes of one new address make one person.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/platform/audit/audit.tables.js';
import { queryRows, type Db } from '../../src/platform/db/client.js';
import { withBulkSession } from '../../src/modules/donations/donations.session.js';
import {
  BULK_PEOPLE_COLUMNS,
  bulkPersonKeys,
  bulkPersonSearchValues,
  bulkPersonValues,
  CREATE_PEOPLE_SQL,
  createPeopleStaging,
  MATCH_PEOPLE_SQL,
  type BulkPerson,
} from '../../src/modules/people/people.bulk.js';
import {
  normalizeIntake,
  resolveOrCreatePerson,
  type IntakeField,
  type PersonIntakeInput,
} from '../../src/modules/people/index.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { people } from '../../src/modules/people/people.tables.js';
import { seedYamagataPlaces } from '../../src/modules/places/places.service.js';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '../helpers/db.js';
import { inTransaction } from '../../src/platform/db/unit-of-work.js';
import type { RequestContext } from '../../src/platform/request-context.js';

const YAMAGATA = '062014';
const DAY_MS = 24 * 60 * 60 * 1000;
/** One clock for every record a case sets up, so "as old as each other" is exact. */
const NOW = Date.now();
const publicOrigin: RequestContext = { actor: null, via: 'public', locale: 'ja', ip: null, userAgent: null };

type Stored = Partial<Record<'name' | IntakeField, string | null>>;
type Existing = PersonIntakeInput & { ref: string; ageDays: number; deleted?: boolean; id?: string };
type Expectation = {
  /** The existing record's ref, or 'new'. */
  person: string;
  matchedBy: 'email' | 'phone' | null;
  filled: IntakeField[];
  /** The person's fields after the intake. */
  stored: Stored;
};
type IntakeCase = {
  name: string;
  existing: Existing[];
  input: PersonIntakeInput;
  expect: Expectation;
  /** Where the donor import differs on purpose, and why. */
  bulk?: Partial<Expectation> & { why: string };
};

/** The donor import never changes existing people; asserted by donations.test.ts ("…without changing them"). */
const BULK_NEVER_FILLS = 'the donor import links existing people but never changes their fields';

const CASES: IntakeCase[] = [
  {
    name: 'a new address makes a new person, stored in canonical form',
    existing: [],
    input: {
      name: '新規 一郎',
      kana: 'しんき いちろう',
      email: 'Shinki@Example.jp',
      phone: '090-0000-0001',
      prefecture: '東京',
      city: '港区',
    },
    expect: {
      person: 'new',
      matchedBy: null,
      filled: [],
      stored: {
        name: '新規 一郎',
        kana: 'シンキ イチロウ',
        email: 'Shinki@Example.jp',
        phone: '090-0000-0001',
        prefecture: '東京都',
        city: '港区',
      },
    },
  },
  {
    name: 'a known person without those fields gets them filled, and nothing else changes',
    existing: [{ ref: 'hanako', ageDays: 10, name: '既存 花子', email: 'hanako@example.jp' }],
    input: {
      name: '別名 花子',
      kana: 'きぞん はなこ',
      email: 'HANAKO@example.jp',
      phone: '090-0000-0002',
      prefecture: '東京',
      city: '新宿区',
    },
    expect: {
      person: 'hanako',
      matchedBy: 'email',
      filled: ['kana', 'phone', 'prefecture', 'city'],
      stored: {
        name: '既存 花子',
        kana: 'キゾン ハナコ',
        email: 'hanako@example.jp',
        phone: '090-0000-0002',
        prefecture: '東京都',
        city: '新宿区',
      },
    },
    bulk: {
      filled: [],
      stored: { name: '既存 花子', kana: null, email: 'hanako@example.jp', phone: null, prefecture: null, city: null },
      why: BULK_NEVER_FILLS,
    },
  },
  {
    name: 'a known person with every field keeps them all',
    existing: [
      {
        ref: 'full',
        ageDays: 10,
        name: '満載 太郎',
        kana: 'マンサイ タロウ',
        email: 'full@example.jp',
        phone: '090-0000-0003',
        postalCode: '990-0001',
        prefecture: '山形県',
        city: '山形市',
      },
    ],
    input: {
      name: '上書き 次郎',
      kana: 'うわがき じろう',
      email: 'full@example.jp',
      phone: '080-9999-0003',
      postalCode: '100-0001',
      prefecture: '東京都',
      city: '千代田区',
    },
    expect: {
      person: 'full',
      matchedBy: 'email',
      filled: [],
      stored: {
        name: '満載 太郎',
        kana: 'マンサイ タロウ',
        phone: '090-0000-0003',
        postalCode: '990-0001',
        prefecture: '山形県',
        city: '山形市',
      },
    },
  },
  {
    name: 'of two people with the address, the older record (inserted last)',
    existing: [
      { ref: 'younger', ageDays: 1, name: '新しい 記録', email: 'twice@example.jp' },
      { ref: 'older', ageDays: 400, name: '古い 記録', email: 'twice@example.jp' },
    ],
    input: { name: '二重 登録', email: 'twice@example.jp' },
    expect: { person: 'older', matchedBy: 'email', filled: [], stored: { name: '古い 記録' } },
  },
  {
    name: 'of two records as old as each other, the smaller id',
    existing: [
      {
        ref: 'second',
        ageDays: 5,
        id: '00000000-0000-4000-8000-000000000002',
        name: '同時 二',
        email: 'tie@example.jp',
      },
      {
        ref: 'first',
        ageDays: 5,
        id: '00000000-0000-4000-8000-000000000001',
        name: '同時 一',
        email: 'tie@example.jp',
      },
    ],
    input: { name: '同時 登録', email: 'tie@example.jp' },
    expect: { person: 'first', matchedBy: 'email', filled: [], stored: { name: '同時 一' } },
  },
  {
    name: 'the email decides before the phone, however old the phone’s person is',
    existing: [
      { ref: 'byPhone', ageDays: 900, name: '電話 だけ', phone: '090-0000-0006' },
      { ref: 'byEmail', ageDays: 1, name: 'メール 持ち', email: 'first-by-email@example.jp' },
    ],
    input: { name: '両方 あり', email: 'first-by-email@example.jp', phone: '09000000006' },
    expect: {
      person: 'byEmail',
      matchedBy: 'email',
      filled: ['phone'],
      stored: { name: 'メール 持ち', phone: '09000000006' },
    },
    bulk: { filled: [], stored: { name: 'メール 持ち', phone: null }, why: BULK_NEVER_FILLS },
  },
  {
    name: 'an unknown address with the phone of a person without email: that person, the address filled in',
    existing: [{ ref: 'landline', ageDays: 30, name: '電話 のみ', phone: '090-0000-0007' }],
    input: { name: '電話 のみ', email: 'now-with-mail@example.jp', phone: '０９０（００００）０００７' },
    expect: {
      person: 'landline',
      matchedBy: 'phone',
      filled: ['email'],
      stored: { email: 'now-with-mail@example.jp', phone: '090-0000-0007' },
    },
    bulk: { filled: [], stored: { email: null, phone: '090-0000-0007' }, why: BULK_NEVER_FILLS },
  },
  {
    name: 'a phone never joins two different addresses (a household line): a new person',
    existing: [{ ref: 'spouse', ageDays: 30, name: '家族 一', email: 'spouse@example.jp', phone: '023-600-0008' }],
    input: { name: '家族 二', email: 'partner@example.jp', phone: '023-600-0008' },
    expect: {
      person: 'new',
      matchedBy: null,
      filled: [],
      stored: { name: '家族 二', email: 'partner@example.jp', phone: '023-600-0008' },
    },
    bulk: {
      person: 'spouse',
      matchedBy: 'phone',
      stored: { name: '家族 一', email: 'spouse@example.jp' },
      why: 'the donor import treats a shared phone as one donor, across batches as within one (docs/architecture.md, Donors → people)',
    },
  },
  {
    name: 'without an email, the phone finds the person (+81 and spaces folded)',
    existing: [{ ref: 'withMail', ageDays: 30, name: '番号 太郎', email: 'bango@example.jp', phone: '03-5555-0009' }],
    input: { name: '番号 太郎', kana: 'バンゴウ タロウ', phone: '+81 3 5555 0009' },
    expect: {
      person: 'withMail',
      matchedBy: 'phone',
      filled: ['kana'],
      stored: { kana: 'バンゴウ タロウ', email: 'bango@example.jp', phone: '03-5555-0009' },
    },
    bulk: { filled: [], stored: { kana: null, phone: '03-5555-0009' }, why: BULK_NEVER_FILLS },
  },
  {
    name: 'a deleted person is not matched: a new person',
    existing: [{ ref: 'gone', ageDays: 50, deleted: true, name: '削除 済み', email: 'gone@example.jp' }],
    input: { name: '再登録', email: 'gone@example.jp' },
    expect: { person: 'new', matchedBy: null, filled: [], stored: { name: '再登録', email: 'gone@example.jp' } },
  },
  {
    name: 'a deleted older record is passed over for the live one',
    existing: [
      { ref: 'deletedOld', ageDays: 500, deleted: true, name: '削除 古い', email: 'alive@example.jp' },
      { ref: 'live', ageDays: 3, name: '生存 新しい', email: 'alive@example.jp' },
    ],
    input: { name: '生存', email: 'alive@example.jp' },
    expect: { person: 'live', matchedBy: 'email', filled: [], stored: { name: '生存 新しい' } },
  },
  {
    name: 'full-width email, half-width kana and a 〒 postal code in the input',
    existing: [{ ref: 'width', ageDays: 20, name: '幅 太郎', email: 'width@example.jp' }],
    input: {
      name: '幅 太郎',
      kana: 'ﾊﾊﾞ ﾀﾛｳ',
      email: 'ＷＩＤＴＨ＠ＥＸＡＭＰＬＥ．ＪＰ',
      postalCode: '〒９９０ー８５７０',
    },
    expect: {
      person: 'width',
      matchedBy: 'email',
      filled: ['kana', 'postalCode'],
      stored: { email: 'width@example.jp', kana: 'ハバ タロウ', postalCode: '990-8570' },
    },
    bulk: { filled: [], stored: { email: 'width@example.jp', kana: null, postalCode: null }, why: BULK_NEVER_FILLS },
  },
];

type IntakeOutcome = { personId: string; created: boolean };
type IntakePath = {
  name: 'single intake' | 'donor import (set-based)';
  run(db: Db, input: PersonIntakeInput): Promise<IntakeOutcome>;
};

/** The donor import's steps for one incoming person (one slot), as donations.import.ts runs them per batch. */
async function bulkIntake(db: Db, input: PersonIntakeInput): Promise<IntakeOutcome> {
  const p = normalizeIntake(input);
  const { emailKey, phoneKey } = derivedColumns(p);
  const donor: BulkPerson = { ...p, emailKey, phoneKey };
  return withBulkSession(db, async (s) => {
    await createPeopleStaging(s, {
      actor: null,
      ip: null,
      userAgent: null,
      municipalityCode: YAMAGATA,
      linkKind: 'interest',
      linkOnlyVisible: false,
      auditDetails: { source: 'intake_test' },
    });
    const columns = BULK_PEOPLE_COLUMNS.join(', ');
    const placeholders = BULK_PEOPLE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
    await s.query(
      `insert into bulk_people (${columns}) values (${placeholders})`,
      bulkPersonValues(0, randomUUID(), donor),
    );
    for (const [i, k] of bulkPersonKeys(donor).entries())
      await s.query('insert into bulk_people_keys (slot, kind, key, first) values (0, $1, $2, $3)', [
        k.kind,
        k.key,
        i === 0,
      ]);
    await s.query('insert into bulk_people_search (slot, search_text, search_grams) values ($1, $2, $3)', [
      ...bulkPersonSearchValues(0, donor),
    ]);
    await s.script(MATCH_PEOPLE_SQL);
    await s.script(CREATE_PEOPLE_SQL);
    const [match] = await s.query<{ person_id: string; via: string }>(
      'select person_id, via from bulk_people_match where slot = 0',
    );
    return { personId: match!.person_id, created: match!.via === 'n' };
  });
}

const PATHS: IntakePath[] = [
  {
    name: 'single intake',
    run: (db, input) =>
      inTransaction(db, (tx) => resolveOrCreatePerson(tx, publicOrigin, input, { source: 'intake_test' })),
  },
  { name: 'donor import (set-based)', run: bulkIntake },
];

describe.each(TEST_DRIVERS)('person intake on %s', (driver) => {
  describe.each(PATHS)('$name', (path) => {
    let database: TestDatabase;
    let db: Db;
    beforeAll(async () => {
      database = await createTestDatabase(driver);
      db = database.db;
      await seedYamagataPlaces(db);
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it.each(CASES)('$name', async (c) => {
      const refs = new Map<string, string>();
      for (const e of c.existing) {
        const fields = normalizeIntake(e);
        const [row] = await db
          .insert(people)
          .values({
            ...(e.id ? { id: e.id } : {}),
            ...fields,
            ...derivedColumns(fields),
            createdAt: new Date(NOW - e.ageDays * DAY_MS),
            deletedAt: e.deleted ? new Date() : null,
          })
          .returning({ id: people.id });
        refs.set(e.ref, row!.id);
      }
      const isBulk = path.name !== 'single intake';
      const want: Expectation = { ...c.expect, ...(isBulk ? c.bulk : {}) };

      const outcome = await path.run(db, c.input);

      if (want.person === 'new') {
        expect(outcome.created).toBe(true);
        expect([...refs.values()]).not.toContain(outcome.personId);
      } else {
        expect(outcome).toMatchObject({ personId: refs.get(want.person), created: false });
      }
      const [row] = await db.select().from(people).where(eq(people.id, outcome.personId));
      expect(row).toMatchObject(want.stored);
      expect(row!.deletedAt).toBeNull();

      if (!isBulk) {
        const result = outcome as Awaited<ReturnType<typeof resolveOrCreatePerson>>;
        expect(result.matchedBy).toBe(want.matchedBy);
        expect(result.filled).toEqual(want.filled);
        const audit = await db
          .select({ action: auditEvents.action, details: auditEvents.details })
          .from(auditEvents)
          .where(eq(auditEvents.personId, outcome.personId));
        if (want.person === 'new') {
          expect(audit).toEqual([{ action: 'person.create', details: { source: 'intake_test' } }]);
        } else if (want.filled.length) {
          // Field names only: none of the input's values reach the audit trail.
          expect(audit).toEqual([{ action: 'person.update', details: { source: 'intake_test', filled: want.filled } }]);
          for (const value of Object.values(c.input)) if (value) expect(JSON.stringify(audit)).not.toContain(value);
        } else {
          expect(audit).toEqual([]);
        }
      }
    });
  });

  describe('simultaneous intakes', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(driver);
    });
    afterAll(async () => {
      await database?.destroy();
    });

    const intakeAll = (inputs: PersonIntakeInput[]) =>
      Promise.all(
        inputs.map((input) =>
          inTransaction(database.db, (tx) => resolveOrCreatePerson(tx, publicOrigin, input, { source: 'intake_test' })),
        ),
      );

    it('20 intakes of one new address at once make exactly one person', async () => {
      const results = await intakeAll(
        Array.from({ length: 20 }, (_, i) => ({
          name: `同時 ${i}号`,
          // The same address as people type it: case and width differ, the key does not.
          email: i % 2 ? 'RUSH@example.jp' : 'ｒｕｓｈ＠example.jp',
          kana: i === 7 ? 'どうじ' : null,
        })),
      );
      const live = await database.db
        .select({ id: people.id, kana: people.kana })
        .from(people)
        .where(and(eq(people.emailKey, 'rush@example.jp'), isNull(people.deletedAt)));
      expect(live).toHaveLength(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.personId))).toEqual(new Set([live[0]!.id]));
      // The one reading given was filled in, once, whoever came first.
      expect(live[0]!.kana).toBe('ドウジ');
      expect(results.filter((r) => r.filled.length)).toHaveLength(results[7]!.created ? 0 : 1);
    });

    it('20 intakes of one new phone number without email at once make exactly one person', async () => {
      await intakeAll(
        Array.from({ length: 20 }, (_, i) => ({
          name: `電話 ${i}号`,
          phone: i % 2 ? '09077770000' : '０９０−７７７７−００００',
        })),
      );
      const [counted] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from people where phone_key = '09077770000' and deleted_at is null`,
      );
      expect(counted?.n).toBe(1);
    });
  });
});
