/**
 * One unit of work: a transaction plus the work that may only happen once it has committed —
 * enqueueing jobs, queueing mail. A pg-boss worker runs on its own connection and must find the
 * rows the transaction wrote; work queued before COMMIT could run before them, or after a
 * rollback that took them away. docs/architecture.md, "Unit of work".
 */
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import {
  checkJobPayload,
  type EnqueueOptions,
  type JobDefinition,
  type JobPayloadSchema,
  type JobQueue,
} from '../jobs.js';
import { serializeError } from '../logging.js';
import type { Db } from './client.js';

declare const insideTransaction: unique symbol;

/**
 * A database handle inside a transaction. Only `withTransaction` and `inTransaction` make one, so
 * a function that must run inside a transaction (an advisory lock held to COMMIT, a counter and
 * the row it counts, an audit row with its change) says so by taking `Tx`, and handing it a plain
 * `Db` fails the type-check. A `Tx` is still a `Db`: every query helper accepts it.
 */
export type Tx = Db & { readonly [insideTransaction]: true };

/** Work to run once the transaction has committed. */
export type AfterCommitWork = () => Promise<unknown>;

export type UnitOfWork = {
  /** The transaction's handle. */
  readonly tx: Tx;
  /**
   * Runs `work` after COMMIT, in the order added; never after a rollback. A failure is logged and
   * does not undo the committed change (see withTransaction).
   */
  afterCommit(work: AfterCommitWork): void;
  /**
   * Enqueues a job after COMMIT. The payload is checked now, so a payload that does not match its
   * job's schema rolls the transaction back instead of failing after it.
   */
  enqueue<S extends JobPayloadSchema>(
    queue: JobQueue,
    job: JobDefinition<S>,
    data: NoInfer<z.input<S>>,
    options?: EnqueueOptions,
  ): void;
};

/** A plain database handle: not a transaction's (passing `uow.tx` where a new unit may start would nest it). */
type OutsideTransaction = Db & { readonly [insideTransaction]?: never };

/** Where a unit of work happens: a new transaction on a database, or the given unit joined. */
export type TransactionScope = OutsideTransaction | UnitOfWork;

const loggers = new WeakMap<object, FastifyBaseLogger>();
/**
 * The unit of work of each transaction handle made here. A function that takes a `Db` and opens a
 * transaction may be handed a `Tx` (a `Tx` is a `Db`); it then joins that unit instead of nesting.
 */
const unitOfHandle = new WeakMap<object, UnitOfWork>();

/**
 * Where failures of after-commit work on `db` are logged (the app's logger, made private by
 * logging.ts). Called once by buildApp; without it they go to stderr, redacted the same way.
 */
export function logAfterCommitFailuresTo(db: Db, logger: FastifyBaseLogger): void {
  loggers.set(db, logger);
}

function reportFailure(db: Db, err: unknown, index: number): void {
  const message = 'after-commit work failed; the committed change stands';
  const logger = loggers.get(db);
  if (logger) logger.error({ err, afterCommitIndex: index }, message);
  else console.error(message, serializeError(err));
}

const isUnitOfWork = (target: TransactionScope): target is UnitOfWork =>
  typeof (target as UnitOfWork).afterCommit === 'function' && 'tx' in target;

/**
 * Runs `fn` in one transaction and, after COMMIT, the work it collected (`uow.afterCommit`,
 * `uow.enqueue`), in order. When `fn` throws, the transaction rolls back, the collected work is
 * dropped and the error is rethrown.
 *
 * After-commit work that fails is logged and the next one still runs; the result of `fn` is
 * returned: the change is committed, and answering the caller with an error would invite them to
 * do it again. Lost mail is found again by the mail sweep (platform/mail), which queues every due
 * mail without a job.
 *
 * Given a unit of work instead of a database, `fn` joins it: no new (nested) transaction, and its
 * after-commit work runs after the outer transaction commits. So a function taking `uow` can be
 * called on its own (`withTransaction(db, (uow) => f(uow))`) or inside a larger unit. The type
 * refuses a `Tx` here (pass its unit of work); a `Tx` that arrives at run time anyway, through a
 * function that takes a `Db` and opens a transaction, joins its unit the same way.
 */
export async function withTransaction<T>(target: TransactionScope, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  if (isUnitOfWork(target)) return fn(target);
  const enclosing = unitOfHandle.get(target);
  if (enclosing) return fn(enclosing);
  const db = target as Db;
  const work: AfterCommitWork[] = [];
  const result = await db.transaction(async (handle) => {
    const tx = handle as unknown as Tx;
    const uow: UnitOfWork = {
      tx,
      afterCommit: (w) => void work.push(w),
      enqueue: (queue, job, data, options) => {
        checkJobPayload(job, data);
        work.push(() => queue.enqueue(job, data, options));
      },
    };
    unitOfHandle.set(tx, uow);
    return fn(uow);
  });
  for (const [index, w] of work.entries()) {
    try {
      await w();
    } catch (err) {
      reportFailure(db, err, index);
    }
  }
  return result;
}

/** A transaction with no after-commit work: `fn` gets the `Tx` alone. */
export function inTransaction<T>(db: TransactionScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTransaction(db, (uow) => fn(uow.tx));
}
