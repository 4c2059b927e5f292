/**
 * In-process load: `concurrency` async loops calling an operation back to back for a fixed time —
 * the "driver ceiling", i.e. the same database work without HTTP, routing, validation, auth or
 * serialization in front of it.
 */
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.js';

export type InProcessResult = {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  concurrency: number;
  /** Share of the run the event loop (main thread) was busy, 0–1. */
  mainThreadBusy: number;
};

export async function runInProcess(
  options: { seconds?: number; amount?: number; concurrency: number },
  operation: (index: number) => Promise<unknown>,
): Promise<InProcessResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | null = null;
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const deadline = options.seconds !== undefined ? started + options.seconds * 1000 : Infinity;
  const amount = options.amount ?? Infinity;

  async function loop() {
    while (performance.now() < deadline && next < amount) {
      const index = next++;
      const t0 = performance.now();
      try {
        await operation(index);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    total: latencies.length,
    errors,
    firstError,
    seconds,
    concurrency: options.concurrency,
    mainThreadBusy: performance.eventLoopUtilization(elu).utilization,
  };
}
