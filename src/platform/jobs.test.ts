import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInProcessQueue, defineJob } from './jobs.js';

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
      retryDelayMs: (attempt) => (waits.push(attempt), attempt),
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
    await new Promise((r) => setTimeout(r, 400));
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(10);
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
