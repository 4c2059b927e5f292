import { describe, expect, it } from 'vitest';
import { createInProcessQueue } from './jobs.js';

describe('in-process job queue', () => {
  it('drain() waits for a chain of jobs, each enqueued by the previous one (ticket job → mail job)', async () => {
    const queue = createInProcessQueue();
    const done: string[] = [];
    queue.define('first', async () => {
      await new Promise((r) => setTimeout(r, 20));
      await queue.enqueue('second', {});
      done.push('first');
    });
    queue.define('second', async () => {
      await new Promise((r) => setTimeout(r, 20));
      await queue.enqueue('third', {});
      done.push('second');
    });
    queue.define('third', async () => {
      await new Promise((r) => setTimeout(r, 20));
      done.push('third');
    });
    await queue.start();
    await queue.enqueue('first', {});
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
});
