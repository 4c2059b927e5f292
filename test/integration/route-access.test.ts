/**
 * Access is decided by the route the router matched, never by how the URL is spelt. Every route
 * the app registers is walked over real HTTP under spellings of its path that routers and proxies
 * treat differently — percent-encoded letters, doubled slashes, dot segments, other letter case —
 * as an outsider (no credentials) and as municipality staff on admin-only routes. A route without
 * an explicit `public: true` must refuse whatever path reached it; a path no route matches answers
 * 404 without data. New routes are covered without editing this file.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

type Answer = { status: number; body: string; headers: http.IncomingHttpHeaders };

/** Sends the path exactly as given (no URL normalisation on the client side). */
function rawRequest(
  port: number,
  method: string,
  rawPath: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: rawPath,
        agent: false,
        headers: {
          ...headers,
          ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', (error) => reject(new Error(`${method} ${rawPath}: ${error.message}`)));
    req.end(body);
  });
}

const encodeLetters = (p: string, every: boolean) =>
  p.replace(/[A-Za-z]/g, (c, i: number) =>
    every || p[i - 1] === '/' ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : c,
  );

/** Spellings of one path that a lax router, a proxy or a browser may treat as the same resource. */
function pathVariants(p: string): string[] {
  const [first = '', ...rest] = p.split('/').filter(Boolean);
  const tail = rest.join('/');
  const variants = [
    p,
    encodeLetters(p, false), // /%61pi/audit
    encodeLetters(p, true), // /%61%70%69/%61%75%64%69%74
    encodeLetters(p, false).toLowerCase(), // lower-case hex digits
    `/${first}/${tail}`.replace(/^\/(\w)/, (_, c: string) => `/%${c.charCodeAt(0).toString(16)}`),
    `/${p}`, // //api/audit
    p.replace(/\//g, '//'),
    `${p}/`,
    `/./${p.slice(1)}`,
    p.replace(/\/(?=[^/]*$)/, '/./'),
    `/web/../${p.slice(1)}`,
    `/%2e/${p.slice(1)}`,
    `/web/%2e%2e/${p.slice(1)}`,
    `/web/%2E%2E/${p.slice(1)}`,
    `${p}/.`,
    p.toUpperCase(),
    `/${first.charAt(0).toUpperCase()}${first.slice(1)}/${tail}`,
    `${p};x=1`,
    p.replace(/\//g, '\\'),
  ];
  return [...new Set(variants)];
}

/** A concrete path for a route pattern: every parameter a fresh id, wildcards a file name. */
const concretePath = (url: string) => url.replace(/:\w+/g, () => randomUUID()).replace(/\*/g, 'index.html');
const methodsOf = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]).map(String);
const isPublic = (r: RouteOptions) => r.config?.public === true;

describe.each(TEST_DRIVERS)('route access by matched route on %s', (driver) => {
  let t: TestApp;
  let port: number;
  let municipalityStaff: Session;
  let webRoot: string;

  beforeAll(async () => {
    // A web UI is served, so its catch-all file route takes part as in production.
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-web-'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Kankei</title>');
    t = await createTestApp(driver, { webRoot });
    municipalityStaff = await t.staffSession('municipality_staff', '062014');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  /**
   * No personal data, no listing: only the error envelope of a refusal or a 404 — or a 400 for a
   * path the HTTP layer cannot parse (`//api/…` reads as a host, a backslash is no URL character).
   */
  function expectRefusal(answer: Answer, where: string, allowed: readonly string[]) {
    expect([400, 401, 403, 404], `${where} → ${answer.status} ${answer.body.slice(0, 200)}`).toContain(answer.status);
    const body = JSON.parse(answer.body) as { error?: { code?: string } | string; statusCode?: number };
    if (answer.status === 400) {
      // Fastify's answer to a request line it refuses before routing: no route ran.
      if (typeof body.error === 'string')
        expect(body, where).toEqual({ error: 'Bad Request', message: 'Client Error', statusCode: 400 });
      else expect(body.error?.code, where).toBe('BAD_REQUEST');
      return;
    }
    expect(Object.keys(body), where).toEqual(['error']);
    expect(allowed, `${where} → ${JSON.stringify(body.error)}`).toContain((body.error as { code?: string }).code);
  }

  it('registers the routes it is expected to protect (the walk below is not empty)', () => {
    const guarded = t.routes.filter((r) => !isPublic(r));
    expect(guarded.length).toBeGreaterThan(50);
    expect(guarded.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/api/audit', '/api/staff', '/api/auth/tokens', '/api/events', '/api/people']),
    );
    // Public routes say so explicitly; the web UI's files are among them.
    expect(t.routes.filter(isPublic).map((r) => r.url)).toEqual(
      expect.arrayContaining(['/api/health', '/*', '/.well-known/jwks.json']),
    );
  });

  it('refuses every route without `public: true` to an outsider under every spelling of its path', async () => {
    let checked = 0;
    for (const route of t.routes.filter((r) => !isPublic(r))) {
      const concrete = concretePath(String(route.url));
      for (const method of methodsOf(route)) {
        for (const variant of pathVariants(concrete)) {
          // HTTP's own refusal of a backslash path carries a body, which a HEAD client cannot parse.
          if (method === 'HEAD' && variant.includes('\\')) continue;
          const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? '{}' : undefined;
          const answer = await rawRequest(port, method, `${variant}?limit=3`, {}, body);
          if (method === 'HEAD') {
            expect([401, 404], `HEAD ${variant} → ${answer.status}`).toContain(answer.status);
          } else {
            expectRefusal(answer, `${method} ${variant}`, ['UNAUTHENTICATED', 'NOT_FOUND']);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('refuses admin-only routes to municipality staff under every spelling of the path', async () => {
    const adminOnly = t.routes.filter((r) => r.config?.roles && !r.config.roles.includes('municipality_staff'));
    expect(adminOnly.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/audit', '/api/staff']));
    for (const route of adminOnly) {
      const concrete = concretePath(String(route.url));
      for (const method of methodsOf(route).filter((m) => m !== 'HEAD')) {
        for (const variant of pathVariants(concrete)) {
          const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? '{}' : undefined;
          const answer = await rawRequest(
            port,
            method,
            variant,
            { cookie: municipalityStaff.cookie, 'x-csrf-token': municipalityStaff.csrfToken },
            body,
          );
          expectRefusal(answer, `${method} ${variant} as municipality staff`, ['FORBIDDEN', 'NOT_FOUND']);
        }
      }
    }
  });

  it('answers paths no route matches with a JSON 404 under any spelling, and the web UI elsewhere', async () => {
    for (const variant of [...pathVariants('/api/no-such-thing'), ...pathVariants('/api/audit/extra/segments')]) {
      expectRefusal(await rawRequest(port, 'GET', variant), `GET ${variant}`, ['NOT_FOUND', 'UNAUTHENTICATED']);
    }
    const page = await rawRequest(port, 'GET', '/people/123');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Kankei</title>');
  });

  it('answers a path whose escapes cannot be decoded with the usual error envelope, before any route runs', async () => {
    for (const bad of ['/api/people/%FF', '/api/people/%E3%81', '/%zzpi/audit', '/api/audit%']) {
      const answer = await rawRequest(port, 'GET', bad, { cookie: t.admin.cookie });
      expect(answer.status, bad).toBe(400);
      expect(JSON.parse(answer.body), bad).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    }
  });

  it('still lets a signed-in admin through the spelling the router decodes', async () => {
    const answer = await rawRequest(port, 'GET', '/%61pi/audit?limit=1', { cookie: t.admin.cookie });
    expect(answer.status, answer.body).toBe(200);
  });

  it('refuses an anonymous upload before its body arrives and closes the connection', async () => {
    const declared = 50 * 1024 * 1024;
    const answer = await new Promise<{ head: string; closed: boolean; sent: number }>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let head = '';
      let sent = 0;
      socket.on('error', () => undefined); // the server may reset a socket it closed with unread bytes
      socket.on('connect', () => {
        socket.write(
          `POST /%61pi/imports/donations HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: multipart/form-data; boundary=x\r\ncontent-length: ${declared}\r\n\r\n--x\r\n`,
        );
        sent = 64 * 1024;
        socket.write(Buffer.alloc(sent, 'a'));
      });
      socket.on('data', (chunk) => (head += chunk.toString('latin1')));
      socket.on('close', () => resolve({ head, closed: true, sent }));
      setTimeout(() => reject(new Error(`no answer before the body was sent; got: ${head}`)), 10_000);
    });
    expect(answer.head).toMatch(/^HTTP\/1\.1 401/);
    expect(answer.head.toLowerCase()).toContain('connection: close');
    expect(answer.closed).toBe(true);
    expect(answer.sent).toBeLessThan(declared);
  });
});
