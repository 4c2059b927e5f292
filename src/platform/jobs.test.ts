import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInProcessQueue, defineJob, InvalidJobPayloadError, summarizePayload } from './jobs.js';

/** Jobs of these tests: a name, no payload. */
const job = (name: string) => defineJob({ name, payload: z.object({}) });
const first = job('first');
const second = job('second');
const third = job('third');
const flaky = job('flaky');
const broken = job('broken');
const once = job('once');

describe('in-process job queue', () => {
  it('drain() waits for a chain of jobs, each enqueued by the previous one (ticket job → mail job)', async () => {
    const queue = createInProcessQueue();
    const done: string[] = [];
    queue.define(first, async () => {
      await new Promise((r) => setTimeout(r, 20));
      await queue.enqueue(second, {});
      done.push('first');
    });
    queue.define(second, async () => {
      await new Promise((r) => setTimeout(r, 20));
      await queue.enqueue(third, {});
      done.push('second');
    });
    queue.define(third, async () => {
      await new Promise((r) => setTimeout(r, 20));
      done.push('third');
    });
    await queue.start();
    await queue.enqueue(first, {});
    await queue.drain();
    expect(done).toEqual(['first', 'second', 'third']);
    await queue.stop();
  });

  it('drain() returns at once when nothing was enqueued', async () => {
    const queue = createInProcessQueue();
    const started = Date.now();
    await queue.drain();
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('keeps retrying a failing job with growing waits until its retry window ends, not a fixed number of times', async () => {
    const waits: number[] = [];
    const queue = createInProcessQueue({
      retryDelayMs: (attempt) => {
        waits.push(attempt);
        return attempt;
      },
      retryForMs: 60_000,
    });
    let runs = 0;
    const succeeded = new Promise<void>((resolve) =>
      queue.define(flaky, async () => {
        runs += 1;
        if (runs <= 8) throw new Error('mail server down');
        resolve();
      }),
    );
    await queue.enqueue(flaky, {});
    await succeeded;
    expect(runs).toBe(9);
    expect(waits).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await queue.stop();
  });

  it('stops retrying once the retry window has passed', async () => {
    const queue = createInProcessQueue({ retryDelayMs: () => 20, retryForMs: 100 });
    let runs = 0;
    queue.define(broken, async () => {
      runs += 1;
      throw new Error('always');
    });
    await queue.enqueue(broken, {});
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Waits for the first retry however busy the machine is, then for the window to be long past.
    for (let i = 0; i < 500 && runs < 2; i++) await sleep(10);
    expect(runs).toBeGreaterThan(1);
    await sleep(300);
    const settled = runs;
    await sleep(300);
    expect(runs).toBe(settled);
    // 20 ms apart within 100 ms: a handful of runs at most.
    expect(runs).toBeLessThan(10);
    await queue.stop();
  });

  it('counts per job name what waits, what runs and what failed for good (metrics, readiness)', async () => {
    const queue = createInProcessQueue({ retryDelayMs: () => 5 });
    const slow = job('slow');
    const hopeless = defineJob({ name: 'hopeless', payload: z.object({}), retries: 1 });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    queue.define(slow, () => held);
    queue.define(hopeless, async () => {
      throw new Error('always');
    });
    const byName = async () => Object.fromEntries((await queue.stats()).map((s) => [s.name, s]));
    expect(await byName()).toEqual({
      slow: { name: 'slow', waiting: 0, running: 0, failed: 0 },
      hopeless: { name: 'hopeless', waiting: 0, running: 0, failed: 0 },
    });
    await queue.enqueue(slow, {});
    await queue.enqueue(slow, {}, { delayMs: 60_000 });
    expect((await byName()).slow).toEqual({ name: 'slow', waiting: 2, running: 0, failed: 0 });
    await new Promise((r) => setImmediate(r));
    expect((await byName()).slow).toEqual({ name: 'slow', waiting: 1, running: 1, failed: 0 });
    await queue.enqueue(hopeless, {});
    release();
    await queue.drain();
    // The hopeless job's one retry is scheduled on a timer: wait until it has been spent.
    for (let i = 0; i < 200 && (await byName()).hopeless?.failed === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await byName()).toEqual({
      slow: { name: 'slow', waiting: 1, running: 0, failed: 0 },
      hopeless: { name: 'hopeless', waiting: 0, running: 0, failed: 1 },
    });
    await queue.stop();
  });

  it('runs a job id once while it is waiting or running; again after it finished', async () => {
    const queue = createInProcessQueue();
    let runs = 0;
    queue.define(once, async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 30));
    });
    const id = '00000000-0000-4000-8000-000000000001';
    await queue.enqueue(once, {}, { id });
    await queue.enqueue(once, {}, { id });
    await new Promise((r) => setImmediate(r));
    await queue.enqueue(once, {}, { id });
    await queue.drain();
    expect(runs).toBe(1);
    await queue.enqueue(once, {}, { id });
    await queue.drain();
    expect(runs).toBe(2);
    await queue.stop();
  });
});

type LogLine = {
  level: number;
  msg: string;
  job?: string;
  jobId?: string;
  attempt?: number;
  err?: { message: string };
};

/** A pino logger whose every line lands, parsed, in `lines`. */
function captureLog() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

const until = async (condition: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const TicketProbe = defineJob({
  name: 'probe.ticket',
  payload: z.object({ registrationId: z.uuid(), locale: z.enum(['ja', 'en']) }),
  retries: 2,
});
const REGISTRATION = '00000000-0000-4000-8000-0000000000aa';

describe('typed jobs', () => {
  it('takes only the payload its declaration describes: a wrong one does not compile and is refused at enqueue', async () => {
    const queue = createInProcessQueue();
    queue.define(TicketProbe, async (data) => {
      // The handler sees the parsed payload's type.
      const locale: 'ja' | 'en' = data.locale;
      void locale;
    });
    await expect(
      // @ts-expect-error locale must be 'ja' or 'en', and registrationId is missing
      queue.enqueue(TicketProbe, { locale: 'fr' }),
    ).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await queue.enqueue(TicketProbe, { registrationId: REGISTRATION, locale: 'ja' });
    await queue.drain();
    expect((await queue.findFailed({ limit: 10, offset: 0 })).total).toBe(0);
    await queue.stop();
  });

  it('fails a payload that does not match when it is worked at once, without retry, and logs it', async () => {
    const { logger, lines } = captureLog();
    const queue = createInProcessQueue({ retryDelayMs: () => 10, logger });
    let runs = 0;
    queue.define(TicketProbe, async () => {
      runs += 1;
    });
    // An older release's declaration of the same job: the payload it wrote no longer matches.
    const older = defineJob({ name: 'probe.ticket', payload: z.object({ registrationId: z.string() }) });
    const id = '00000000-0000-4000-8000-0000000000b1';
    await queue.enqueue(older, { registrationId: 'R-17' }, { id });
    await queue.drain();
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(0);
    const failed = await queue.findFailed({ limit: 10, offset: 0 });
    expect(failed.items).toMatchObject([
      { id, name: 'probe.ticket', attempts: 1, payload: { registrationId: '[redacted]' } },
    ]);
    expect(failed.items[0]!.lastError).toContain('registrationId');
    const logged = lines.filter((l) => l.jobId === id);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, job: 'probe.ticket', attempt: 1 });
    expect(logged[0]!.msg).toContain('not retried');
    await queue.stop();
  });

  it('logs every failure with job name, id and attempt, lists the job once its retries are spent, and runs it again on retry', async () => {
    const { logger, lines } = captureLog();
    const queue = createInProcessQueue({ retryDelayMs: () => 10, logger });
    const attempts: number[] = [];
    let failing = true;
    queue.define(TicketProbe, async (_data, run) => {
      attempts.push(run.attempt);
      if (failing) throw new Error('mail server refused someone@example.jp');
    });
    const id = '00000000-0000-4000-8000-0000000000c1';
    await queue.enqueue(TicketProbe, { registrationId: REGISTRATION, locale: 'en' }, { id });
    await until(async () => (await queue.findFailed({ limit: 10, offset: 0 })).total === 1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(lines.filter((l) => l.jobId === id).map((l) => [l.level, l.job, l.attempt])).toEqual([
      [40, 'probe.ticket', 1],
      [40, 'probe.ticket', 2],
      [50, 'probe.ticket', 3],
    ]);
    // The log and the list keep the error without the address in it.
    expect(JSON.stringify(lines)).not.toContain('someone@example.jp');
    const [job] = (await queue.findFailed({ limit: 10, offset: 0 })).items;
    expect(job).toMatchObject({
      id,
      name: 'probe.ticket',
      attempts: 3,
      payload: { registrationId: REGISTRATION, locale: 'en' },
      lastError: 'mail server refused [redacted]',
    });

    failing = false;
    expect(await queue.retry(id)).toMatchObject({ id, attempts: 3 });
    await queue.drain();
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect((await queue.findFailed({ limit: 10, offset: 0 })).total).toBe(0);
    expect(await queue.retry(id)).toBeNull();
    await queue.stop();
  });

  it('gives a retried job one more attempt only', async () => {
    const queue = createInProcessQueue({ retryDelayMs: () => 10 });
    let runs = 0;
    queue.define(TicketProbe, async () => {
      runs += 1;
      throw new Error('still down');
    });
    await queue.enqueue(TicketProbe, { registrationId: REGISTRATION, locale: 'ja' });
    await until(async () => (await queue.findFailed({ limit: 10, offset: 0 })).total === 1);
    const [job] = (await queue.findFailed({ limit: 10, offset: 0 })).items;
    await queue.retry(job!.id);
    await until(async () => (await queue.findFailed({ limit: 10, offset: 0 })).total === 1);
    expect(runs).toBe(4);
    expect((await queue.findFailed({ limit: 10, offset: 0 })).items[0]).toMatchObject({ id: job!.id, attempts: 4 });
    await queue.stop();
  });

  it('shows ids, flags and short codes of a payload, nothing else', () => {
    expect(
      summarizePayload({
        registrationId: REGISTRATION,
        resent: true,
        locale: 'ja',
        count: 3,
        email: 'someone@example.jp',
        publicUrl: 'https://kankei.example.jp',
        name: '山形 花子',
        nested: { a: 1 },
      }),
    ).toEqual({
      registrationId: REGISTRATION,
      resent: true,
      locale: 'ja',
      count: 3,
      email: '[redacted]',
      publicUrl: '[redacted]',
      name: '[redacted]',
      nested: '[redacted]',
    });
  });
});
