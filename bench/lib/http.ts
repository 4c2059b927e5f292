/**
 * HTTP side of the benchmarks: autocannon runs against the app on loopback, and sequential
 * single requests for latency. autocannon runs in its own worker thread (`workers: 1`), so the
 * load generator does not share the app's event loop; the app and the database driver still
 * share the main thread, as in production.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.js';

export type ThroughputResult = {
  /** Completed requests (any status) per second over the run. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  seconds: number;
  concurrency: number;
  /** Share of the run the app's event loop (main thread) was busy, 0–1. */
  mainThreadBusy: number;
};

/** Request data read by create-person-request.cjs inside the autocannon worker. */
export type CreatePersonSpec = {
  names: Array<{ name: string; kana: string; romaji: string; municipalityCode: string; kind: string }>;
  offset: number;
  tag: string;
  phonePrefix: string;
};

export const CREATE_PERSON_REQUEST = fileURLToPath(new URL('./create-person-request.cjs', import.meta.url));

type CannonOptions = {
  url: string;
  token: string;
  connections: number;
  /** Seconds; ignored when `amount` is given. */
  seconds: number;
  amount?: number;
  /** Requests per second over all connections (autocannon overallRate); absent: as fast as answers come. */
  overallRate?: number;
  requests: autocannon.Request[];
};

export async function runCannon(options: CannonOptions): Promise<ThroughputResult> {
  const elu = performance.eventLoopUtilization();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.amount ? { amount: options.amount } : {}),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    workers: 1,
    headers: {
      authorization: `Bearer ${options.token}`,
      'content-type': 'application/json',
      'user-agent': 'kankei-bench (autocannon)',
    },
    requests: options.requests,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0) || result.requests.total;
  return {
    perSecond: total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    seconds: result.duration,
    concurrency: options.connections,
    mainThreadBusy: performance.eventLoopUtilization(elu).utilization,
  };
}

/** The autocannon request that creates unique people (see create-person-request.cjs). */
export function createPersonRequest(spec: CreatePersonSpec): autocannon.Request {
  const request: autocannon.Request & { kankei: CreatePersonSpec } = {
    method: 'POST',
    path: '/api/people',
    setupRequest: CREATE_PERSON_REQUEST,
    kankei: spec,
  };
  return request;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export type HttpAnswer = { status: number; body: string; ms: number };

/** One GET over a kept-alive loopback connection, timed from send to the last byte. */
export function timedGet(baseUrl: string, path: string, token: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(
      `${baseUrl}${path}`,
      { agent, headers: { authorization: `Bearer ${token}`, 'user-agent': 'kankei-bench' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

export type LatencyResult = {
  samples: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  total: number;
  statuses: number[];
};

/**
 * `samples` sequential GETs (after three warm-up ones): concurrency 1, nothing else running.
 * The raw times are also appended to `sink` when given.
 */
export async function sequentialLatency(
  baseUrl: string,
  path: string,
  token: string,
  samples: number,
  sink?: number[],
): Promise<LatencyResult> {
  let total = -1;
  const statuses = new Set<number>();
  for (let i = 0; i < 3; i++) {
    const warm = await timedGet(baseUrl, path, token);
    if (warm.status !== 200) throw new Error(`GET ${path} answered ${warm.status}: ${warm.body.slice(0, 300)}`);
    total = (JSON.parse(warm.body) as { total: number }).total;
  }
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const answer = await timedGet(baseUrl, path, token);
    statuses.add(answer.status);
    times.push(answer.ms);
  }
  sink?.push(...times);
  return {
    samples,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    total,
    statuses: [...statuses],
  };
}

/** JSON request for setup steps (login, token). */
export async function jsonRequest<T>(
  url: string,
  init: { method: string; body?: unknown; headers?: Record<string, string> },
): Promise<{ status: number; body: T; setCookie: string[] }> {
  const res = await fetch(url, {
    method: init.method,
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, setCookie: res.headers.getSetCookie() };
}

export function closeHttpAgent(): void {
  agent.destroy();
}
