/**
 * The unit of work (platform/db/unit-of-work.ts): after-commit work runs only after COMMIT, in
 * order, never after a rollback; a failure of it is logged and leaves the committed change; a
 * function taking a unit of work joins an outer one instead of nesting; only a transaction makes a Tx.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryRows, type Db } from '../../src/platform/db/client.js';
import {
  inTransaction,
  logAfterCommitFailuresTo,
  type Tx,
  type UnitOfWork,
  withTransaction,
} from '../../src/platform/db/unit-of-work.js';
import { createInProcessQueue, defineJob, InvalidJobPayloadError } from '../../src/platform/jobs.js';
import { brandedSubject, createMailer, DEFAULT_IDENTITY, queueDueMail } from '../../src/platform/mail/mail.service.js';
import { spendFormToken } from '../../src/platform/forms/form-token.js';
import { systemContext } from '../../src/platform/request-context.js';
import { recordSourcedEngagements } from '../../src/modules/engagement/index.js';
import { resolveOrCreatePerson } from '../../src/modules/people/index.js';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '../helpers/db.js';

const NoteJob = defineJob({ name: 'test.note', payload: z.object({ note: z.string() }) });

/** Only a transaction's handle is a Tx: a plain Db does not type-check here. */
async function countNotes(tx: Tx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from uow_notes`);
  return row!.n;
}

async function insertNote(uow: UnitOfWork, note: string, seen: string[]) {
  await uow.tx.execute(sql`insert into uow_notes (note) values (${note})`);
  uow.afterCommit(async () => {
    // After COMMIT: another connection (the pool's next client) sees the row.
    seen.push(note);
  });
}

describe.each(TEST_DRIVERS)('unit of work on %s', (driver) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    db = database.db;
    await db.execute(sql`create table uow_notes (note text not null)`);
  });
  afterAll(() => database.destroy());

  const notesOnAnotherConnection = async () =>
    (await queryRows<{ note: string }>(db, sql`select note from uow_notes order by note`)).map((r) => r.note);

  it('runs after-commit work once the transaction has committed, in the order it was added', async () => {
    const order: string[] = [];
    const visible: string[][] = [];
    const result = await withTransaction(db, async (uow) => {
      await uow.tx.execute(sql`insert into uow_notes (note) values ('a1')`);
      uow.afterCommit(async () => {
        order.push('first');
        visible.push(await notesOnAnotherConnection());
      });
      uow.afterCommit(async () => void order.push('second'));
      order.push('in transaction');
      return 'done';
    });
    expect(result).toBe('done');
    expect(order).toEqual(['in transaction', 'first', 'second']);
    expect(visible[0]).toContain('a1');
  });

  it('drops after-commit work when the transaction rolls back, and rethrows', async () => {
    const ran: string[] = [];
    await expect(
      withTransaction(db, async (uow) => {
        await uow.tx.execute(sql`insert into uow_notes (note) values ('b1')`);
        uow.afterCommit(async () => void ran.push('b1'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(ran).toEqual([]);
    expect(await notesOnAnotherConnection()).not.toContain('b1');
  });

  it('logs a failing after-commit work, runs the rest and keeps the committed result', async () => {
    const lines: Array<{ level: number; msg: string; err?: { message: string } }> = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    logAfterCommitFailuresTo(db, logger);
    const ran: string[] = [];
    const result = await withTransaction(db, async (uow) => {
      await uow.tx.execute(sql`insert into uow_notes (note) values ('c1')`);
      uow.afterCommit(async () => {
        throw new Error('queue unavailable');
      });
      uow.afterCommit(async () => void ran.push('after the failure'));
      return 42;
    });
    expect(result).toBe(42);
    expect(ran).toEqual(['after the failure']);
    expect(await notesOnAnotherConnection()).toContain('c1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, err: { message: 'queue unavailable' } });
    expect(lines[0]!.msg).toContain('committed change stands');
  });

  it('enqueues jobs after COMMIT and checks their payload inside the transaction', async () => {
    const jobs = createInProcessQueue();
    const worked: Array<{ note: string; committed: boolean }> = [];
    jobs.define(NoteJob, async (data) => {
      worked.push({ note: data.note, committed: (await notesOnAnotherConnection()).includes(data.note) });
    });
    await jobs.start();
    try {
      await withTransaction(db, async (uow) => {
        await uow.tx.execute(sql`insert into uow_notes (note) values ('d1')`);
        uow.enqueue(jobs, NoteJob, { note: 'd1' });
        // Nothing is queued before COMMIT.
        await jobs.drain();
        expect(worked).toEqual([]);
      });
      await jobs.drain();
      expect(worked).toEqual([{ note: 'd1', committed: true }]);

      await expect(
        withTransaction(db, async (uow) => {
          await uow.tx.execute(sql`insert into uow_notes (note) values ('d2')`);
          uow.enqueue(jobs, NoteJob, { note: 7 } as never);
        }),
      ).rejects.toBeInstanceOf(InvalidJobPayloadError);
      expect(await notesOnAnotherConnection()).not.toContain('d2');
    } finally {
      await jobs.stop();
    }
  });

  it('joins an outer unit of work instead of nesting: its after-commit work waits for the outer COMMIT', async () => {
    const seen: string[] = [];
    await withTransaction(db, async (outer) => {
      await insertNote(outer, 'e1', seen);
      await withTransaction(outer, (inner) => insertNote(inner, 'e2', seen));
      expect(seen).toEqual([]);
      expect(await countNotes(outer.tx)).toBeGreaterThanOrEqual(2);
    });
    expect(seen).toEqual(['e1', 'e2']);

    // A rollback of the outer unit takes the inner one's rows and work with it.
    const dropped: string[] = [];
    await expect(
      withTransaction(db, async (outer) => {
        await withTransaction(outer, (inner) => insertNote(inner, 'f1', dropped));
        throw new Error('outer refused');
      }),
    ).rejects.toThrow('outer refused');
    expect(dropped).toEqual([]);
    expect(await notesOnAnotherConnection()).not.toContain('f1');
  });

  it('accepts only a transaction where a Tx is required, and joins the unit of a Tx that reaches withTransaction', async () => {
    const ran: string[] = [];
    await inTransaction(db, async (tx) => {
      expect(await countNotes(tx)).toBeGreaterThan(0);
      // What a function taking a Db and opening a transaction does when handed a Tx (a Tx is a Db).
      const opensItsOwn = (handle: Db) =>
        withTransaction(handle, async (uow) => {
          uow.afterCommit(async () => void ran.push('joined'));
          return uow.tx;
        });
      expect(await opensItsOwn(tx)).toBe(tx);
      expect(ran).toEqual([]);
      // @ts-expect-error where a unit may start, pass the unit of work, not its Tx
      await withTransaction(tx, async () => 1);
    });
    expect(ran).toEqual(['joined']);
    // @ts-expect-error a plain Db is not a transaction
    await expect(countNotes(db)).resolves.toBeGreaterThan(0);
  });

  it('refuses a plain Db, at type-check, where Kankei functions need a transaction', () => {
    // Compiled, never run: each line is one function that must run inside a transaction.
    const typeCheckOnly = () => [
      // @ts-expect-error the form token is spent only if the sign-up commits
      spendFormToken(db, 'token'),
      // @ts-expect-error engagement records of a check-in commit with it
      recordSourcedEngagements(db, []),
      // @ts-expect-error the person intake holds an advisory lock until COMMIT
      resolveOrCreatePerson(db, systemContext(), { name: 'x', email: 'x@example.com' }, { source: 'test' }),
    ];
    expect(typeCheckOnly).toBeTypeOf('function');
  });
});

describe.each(TEST_DRIVERS)('mail in a unit of work on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.destroy());

  const message = (subject: string) => ({ kind: 'other' as const, to: 'uow@example.com', subject, text: 'body' });
  const mailRows = async (subject: string) =>
    queryRows<{ status: string }>(
      database.db,
      // Subjects go out with the sender's short name in front (【Kankei】… for a mailer without an identity).
      sql`select status from outbound_mail where subject = ${brandedSubject(DEFAULT_IDENTITY.shortName, undefined, subject)} order by created_at`,
    );

  it('writes the mail row in the transaction and queues its send job only after COMMIT', async () => {
    const jobs = createInProcessQueue();
    const mailer = createMailer({ db: database.db, jobs });
    const enqueued: string[] = [];
    const enqueue = jobs.enqueue.bind(jobs);
    jobs.enqueue = async (job, data, options) => {
      enqueued.push(job.name);
      return enqueue(job, data, options);
    };
    await jobs.start();
    try {
      await withTransaction(database.db, async (uow) => {
        await mailer.queue(uow, message('uow-commit'));
        expect(enqueued).toEqual([]);
      });
      expect(enqueued).toEqual(['mail.send']);
      await jobs.drain();
      // No SMTP server: the mail is held, which shows its job ran.
      expect(await mailRows('uow-commit')).toEqual([{ status: 'held' }]);

      await expect(
        withTransaction(database.db, async (uow) => {
          await mailer.queue(uow, message('uow-rollback'));
          throw new Error('sign-up refused');
        }),
      ).rejects.toThrow('sign-up refused');
      expect(enqueued).toEqual(['mail.send']);
      expect(await mailRows('uow-rollback')).toEqual([]);
    } finally {
      await mailer.stop();
      await jobs.stop();
    }
  });

  it('keeps a committed mail whose job could not be queued, and the sweep queues it', async () => {
    const jobs = createInProcessQueue();
    const mailer = createMailer({ db: database.db, jobs });
    const enqueue = jobs.enqueue.bind(jobs);
    jobs.enqueue = async () => {
      throw new Error('queue unavailable');
    };
    logAfterCommitFailuresTo(database.db, pino({ level: 'silent' }));
    await jobs.start();
    try {
      await withTransaction(database.db, (uow) => mailer.queue(uow, message('uow-lost-job')));
      expect(await mailRows('uow-lost-job')).toEqual([{ status: 'queued' }]);
      jobs.enqueue = enqueue;
      expect(await queueDueMail(database.db, jobs)).toBeGreaterThanOrEqual(1);
      await jobs.drain();
      expect(await mailRows('uow-lost-job')).toEqual([{ status: 'held' }]);
    } finally {
      await mailer.stop();
      await jobs.stop();
    }
  });
});
