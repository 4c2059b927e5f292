/**
 * The web UI's typed client (web/src/data/client.ts) against the real API: its requests carry the
 * conventions the server checks (session cookie, CSRF token on changes, Accept-Language), and every
 * refusal reaches the pages as the same ApiError the first client produced, with the server's code.
 * The browser's fetch is replaced by one that hands each Request to app.inject, adding the cookie
 * as the browser would.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../../web/src/api.js';
import { type ApiClient, callApi, createApiClient } from '../../web/src/data/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** A person the way the person form sends one (typed by the route's own body). */
const newPerson = (overrides: { email?: string } = {}) => ({
  name: 'テスト 花子',
  email: `client-${randomUUID().slice(0, 8)}@example.jp`,
  links: [{ municipalityCode: '062014', kind: 'supporter' as const }],
  ...overrides,
});

describe('the web data layer client', () => {
  let t: TestApp;
  let client: ApiClient;
  /** Every request the client sent, as the server received it. */
  const sent: Request[] = [];
  let cookie = '';

  beforeAll(async () => {
    t = await createTestApp('pglite');
    cookie = t.admin.cookie;
    client = createApiClient({
      baseUrl: 'http://kankei.test',
      fetch: async (request) => {
        sent.push(request.clone());
        const url = new URL(request.url);
        const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
        const answer = await t.app.inject({
          method: request.method as 'GET',
          url: `${url.pathname}${url.search}`,
          headers: { ...Object.fromEntries(request.headers), ...(cookie ? { cookie } : {}) },
          ...(body ? { payload: body } : {}),
        });
        return new Response(answer.statusCode === 204 ? null : new Uint8Array(answer.rawPayload), {
          status: answer.statusCode,
          headers: answer.headers as Record<string, string>,
        });
      },
    });
  });
  afterAll(async () => t.close());
  afterEach(() => {
    sent.length = 0;
    cookie = t.admin.cookie;
    setCsrfToken(null);
    setUnauthorizedHandler(null);
  });

  it('answers a GET with the typed body and sends the UI language', async () => {
    setCsrfToken(t.admin.csrfToken);
    const created = await callApi('post', '/api/people', { body: newPerson() }, { client });
    const read = await callApi('get', '/api/people/{id}', { params: { path: { id: created.id } } }, { client });
    expect(read.id).toBe(created.id);
    expect(sent.at(-1)?.headers.get('accept-language')).toBe('ja');
    expect(sent.at(-1)?.headers.get('x-csrf-token')).toBeNull();
  });

  it('sends the session CSRF token on changes, and a refusal without it is a typed CSRF error', async () => {
    const refused = await callApi('post', '/api/people', { body: newPerson() }, { client }).catch(
      (cause: unknown) => cause,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 403, code: 'CSRF' });

    setCsrfToken(t.admin.csrfToken);
    await callApi('post', '/api/people', { body: newPerson() }, { client });
    expect(sent.at(-1)?.headers.get('x-csrf-token')).toBe(t.admin.csrfToken);
  });

  it("turns the server's refusal into ApiError with its code, message and field problems", async () => {
    setCsrfToken(t.admin.csrfToken);
    const missing = await callApi('get', '/api/people/{id}', { params: { path: { id: randomUUID() } } }, { client })
      .then(() => null)
      .catch((cause: unknown) => cause as ApiError);
    expect(missing).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(missing?.message).not.toBe('');

    const invalid = await callApi('post', '/api/people', { body: newPerson({ email: 'not-an-address' }) }, { client })
      .then(() => null)
      .catch((cause: unknown) => cause as ApiError);
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION' });
    expect(Object.keys(invalid?.fields ?? {})).toContain('email');
  });

  it('reports a lost staff session for the login redirect, unless the call says 401 is expected', async () => {
    cookie = '';
    let reported = 0;
    setUnauthorizedHandler(() => reported++);
    await expect(callApi('get', '/api/people', undefined, { client })).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(reported).toBe(1);
    await expect(callApi('get', '/api/auth/session', undefined, { client, redirectOn401: false })).rejects.toThrow();
    expect(reported).toBe(1);
  });

  it('leaves empty filters out of the query string and reports no answer as NETWORK', async () => {
    await callApi(
      'get',
      '/api/people',
      { params: { query: { q: '', municipality: undefined, limit: 5 } } },
      { client },
    );
    expect(new URL(sent.at(-1)?.url ?? '').search).toBe('?limit=5');

    const offline = createApiClient({
      baseUrl: 'http://kankei.test',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    await expect(callApi('get', '/api/people', undefined, { client: offline })).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK',
    });
  });
});
