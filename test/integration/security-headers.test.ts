/**
 * Every answer — web UI files, API data, refusals and 404s — carries the security headers: a
 * strict Content-Security-Policy without inline script, no framing, no MIME sniffing, and no
 * referrer (pages opened with a token in their address must not hand it on).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/app.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('security headers', () => {
  let t: TestApp;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-web-'));
    fs.writeFileSync(
      path.join(webRoot, 'index.html'),
      '<!doctype html><title>Kankei</title><script type="module" src="/assets/app.js"></script>',
    );
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'console.log(1)');
    t = await createTestApp('pglite', { webRoot });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  const directives = (res: LightMyRequestResponse) =>
    new Map(
      String(res.headers['content-security-policy'] ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );

  it.each([
    ['the web UI page', '/tickets/some-token?x=1', undefined],
    ['a web UI file', '/assets/app.js', undefined],
    ['API data', '/api/health', undefined],
    ['a refusal', '/api/audit', 401],
    ['an unknown API path', '/api/no-such-thing', 404],
    ['the JWKS', '/.well-known/jwks.json', undefined],
  ] as const)('sends them with %s', async (_what, url, status) => {
    const res = await t.app.inject({ method: 'GET', url });
    if (status) expect(res.statusCode).toBe(status);
    const csp = directives(res);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-(inline|eval)|\*/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // Over plain http no HSTS and no upgrade (a local installation would break).
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('adds HSTS and upgrade-insecure-requests when served over https', async () => {
    const secure = await createTestApp('pglite', { publicUrl: 'https://kankei.example.jp', secureCookies: true });
    try {
      const res = await secure.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(directives(res).has('upgrade-insecure-requests')).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('builds a web UI with no inline script, so the policy needs no exception', () => {
    const index = path.join(WEB_ROOT, 'index.html');
    if (!fs.existsSync(index)) return; // `npm test` builds it first; a lone run of this file may not
    const html = fs.readFileSync(index, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style\b/i);
  });
});
