/**
 * Constant-arrival-rate load (open loop) in a worker thread, so the generator does not share the
 * app's event loop: see paced-worker.cjs. Complements autocannon's overallRate, which sends each
 * second's requests in a burst at the start of the second.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type autocannon from 'autocannon';
import { percentile } from './stats.js';
import type { ThroughputResult } from './http.js';

const WORKER = fileURLToPath(new URL('./paced-worker.cjs', import.meta.url));

type WorkerResult = {
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  firstError: string | null;
  seconds: number;
  lateMs: number;
};

/** `rate` requests per second, evenly spaced, for `seconds`; latency from send to the last byte. */
export function runPaced(options: {
  url: string;
  token: string;
  rate: number;
  seconds: number;
  requests: autocannon.Request[];
}): Promise<ThroughputResult & { lateMs: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: {
        url: options.url,
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          'user-agent': 'kankei-bench (paced)',
        },
        rate: options.rate,
        seconds: options.seconds,
        requests: options.requests,
      },
    });
    worker.once('error', reject);
    worker.once('message', (r: WorkerResult) => {
      void worker.terminate();
      const total = r.latencies.length + r.errors;
      const non2xx = Object.entries(r.statusCodes).reduce(
        (n, [code, count]) => (code.startsWith('2') ? n : n + count),
        0,
      );
      resolve({
        perSecond: total / r.seconds,
        p50Ms: percentile(r.latencies, 50),
        p99Ms: percentile(r.latencies, 99),
        total,
        errors: r.errors,
        non2xx,
        statusCodes: r.statusCodes,
        seconds: r.seconds,
        concurrency: 0,
        mainThreadBusy: 0,
        lateMs: r.lateMs,
      });
    });
  });
}
