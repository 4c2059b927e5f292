'use strict';
/**
 * Open-loop load at a constant arrival rate, in a worker thread (bench/lib/paced.ts): request n
 * leaves at start + n / rate whether or not earlier ones have been answered — visitors do not wait
 * for each other — cycling through `requests` (each shaped by its `setupRequest` file, as with
 * autocannon). autocannon's overallRate instead lets every connection send its share at the start
 * of each second, so arrivals come in bursts of `rate` at once.
 *
 * workerData: { url, headers, rate, seconds, requests: [{ method, path, setupRequest, kankei }] }
 * Posts: { latencies: number[] (ms), statusCodes: {code: n}, errors, firstError, seconds, lateMs }
 */
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');

const { url, headers, rate, seconds, requests } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const setups = new Map();
const setupOf = (file) => {
  if (!setups.has(file)) setups.set(file, require(file));
  return setups.get(file);
};

const latencies = [];
const statusCodes = {};
let errors = 0;
let firstError = null;
let inFlight = 0;
let sent = 0;
let lateMs = 0;
const total = Math.floor(rate * seconds);
const start = performance.now();

function send(n) {
  const template = requests[n % requests.length];
  const request = setupOf(template.setupRequest)({ ...template });
  const body = Buffer.from(request.body ?? '');
  const t0 = performance.now();
  inFlight++;
  const req = http.request(
    {
      agent,
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: request.path,
      headers: { ...headers, 'content-length': body.length },
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - t0);
        statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
        done();
      });
    },
  );
  req.on('error', (error) => {
    errors++;
    firstError ??= error.message;
    done();
  });
  req.end(body);
}

function done() {
  inFlight--;
  if (sent === total && inFlight === 0) {
    agent.destroy();
    parentPort.postMessage({
      latencies,
      statusCodes,
      errors,
      firstError,
      seconds: (performance.now() - start) / 1000,
      lateMs,
    });
  }
}

function tick() {
  const now = performance.now();
  while (sent < total && start + (sent * 1000) / rate <= now) {
    lateMs = Math.max(lateMs, now - (start + (sent * 1000) / rate));
    send(sent++);
  }
  if (sent < total) setTimeout(tick, Math.max(0, Math.min(5, start + (sent * 1000) / rate - performance.now())));
}
tick();
