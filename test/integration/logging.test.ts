/**
 * What Kankei writes to its log, read back from a real pino logger behind a real app: routes by
 * their pattern (never the address with its query string or tokens), failed statements without
 * the values they carried, and mail produced without SMTP_URL by its id only — while each request
 * still shows method, route, status, response time and request id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { createPgBossQueue, defineJob } from '../../src/platform/jobs.js';
import { outboundMail } from '../../src/platform/mail/mail.tables.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, TEST_DATABASE_URL, TEST_DRIVERS, type TestDatabase } from '../helpers/db.js';

type LogLine = Record<string, unknown> & { msg?: string; level: number; reqId?: string };

/** A pino logger whose every line lands, parsed, in `lines`. */
function capturingLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}

/** The "request completed" and "incoming request" lines of one request. */
function linesOfRequest(lines: LogLine[], reqId: string) {
  const own = lines.filter((l) => l.reqId === reqId);
  return {
    incoming: own.find((l) => l.msg === 'incoming request'),
    completed: own.find((l) => l.msg === 'request completed'),
  };
}

/** Request ids in the order the app logged their "incoming request". */
const lastReqId = (lines: LogLine[]) => lines.filter((l) => l.msg === 'incoming request').at(-1)!.reqId!;

const TOKEN = 'Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi0wMTIzNDU2Nzg5';
const PHONE = '090-1234-5678';
const EMAIL = 'hanako.log@example.jp';

describe.each(TEST_DRIVERS)('the log on %s', (driver) => {
  let t: TestApp;
  const log = capturingLogger();
  beforeAll(async () => {
    t = await createTestApp(driver, { logger: log.logger, publicUrl: 'https://kankei.example.jp' });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    log.lines.length = 0;
  });

  it('names a search by its route: method, route, status, response time and request id, not the phone number searched for', async () => {
    const res = await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent(PHONE)}&limit=5` });
    expect(res.statusCode).toBe(200);
    const byEmail = await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent(EMAIL)}` });
    expect(byEmail.statusCode).toBe(200);

    const { incoming, completed } = linesOfRequest(log.lines, lastReqId(log.lines));
    expect(incoming).toMatchObject({ req: { method: 'GET', route: '/api/people' } });
    expect(completed).toMatchObject({ res: { statusCode: 200, method: 'GET', route: '/api/people' } });
    expect(completed!.responseTime).toEqual(expect.any(Number));
    expect(completed!.reqId).toEqual(expect.any(String));
    for (const secret of [PHONE, encodeURIComponent(PHONE), '1234-5678', EMAIL, encodeURIComponent(EMAIL), 'q='])
      expect(log.text()).not.toContain(secret);
  });

  it('names a ticket call by its route pattern, not the ticket token', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/public/tickets/${TOKEN}` });
    expect(res.statusCode).toBe(404);
    const { incoming, completed } = linesOfRequest(log.lines, lastReqId(log.lines));
    expect(incoming).toMatchObject({ req: { method: 'GET', route: '/api/public/tickets/:token' } });
    expect(completed).toMatchObject({ res: { statusCode: 404, route: '/api/public/tickets/:token' } });
    expect(log.text()).not.toContain(TOKEN);
  });

  it('logs a path no route matches without its query string and with token-like parts replaced', async () => {
    await t.app.inject({ method: 'GET', url: `/me/sign-in?token=${TOKEN}` });
    let { incoming } = linesOfRequest(log.lines, lastReqId(log.lines));
    expect(incoming).toMatchObject({ req: { method: 'GET', path: '/me/sign-in' } });
    expect(incoming!.req).not.toHaveProperty('route');

    await t.app.inject({ method: 'GET', url: `/tickets/${TOKEN}` });
    ({ incoming } = linesOfRequest(log.lines, lastReqId(log.lines)));
    expect(incoming).toMatchObject({ req: { method: 'GET', path: '/tickets/:redacted' } });

    await t.app.inject({ method: 'GET', url: `/api/people/${encodeURIComponent(EMAIL)}/nothing-here?phone=${PHONE}` });
    ({ incoming } = linesOfRequest(log.lines, lastReqId(log.lines)));
    expect(incoming).toMatchObject({ req: { path: '/api/people/:redacted/nothing-here' } });

    for (const secret of [TOKEN, 'token=', EMAIL, encodeURIComponent(EMAIL), PHONE])
      expect(log.text()).not.toContain(secret);
  });

  it('records a sign-up, its confirmation and a sign-in link without SMTP by mail id only: no address, name, subject or link', async () => {
    const formToken = (
      (await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string }
    ).formToken;
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      payload: {
        email: EMAIL,
        name: '記録 花子',
        kana: 'きろく はなこ',
        prefecture: '東京',
        city: '杉並区',
        municipalityCodes: ['062014'],
        roots: ['furusato_donor'],
        interests: [],
        skills: [],
        involvement: [],
        consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: false },
        formToken,
      },
    });
    expect(signUp.statusCode).toBe(202);
    await t.app.jobs.drain();
    const confirmation = await mailTo(EMAIL, '/register/confirm');
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations/confirm',
      payload: { token: confirmation.token },
    });
    expect(confirmed.statusCode).toBe(200);

    const signIn = await t.app.inject({ method: 'POST', url: '/api/public/sign-in', payload: { email: EMAIL } });
    expect(signIn.statusCode).toBe(202);
    await t.app.jobs.drain();
    const signInMail = await mailTo(EMAIL, '/me/sign-in');
    // The page the link opens, then the API call the page makes with the token.
    await t.app.inject({ method: 'GET', url: `/me/sign-in?token=${signInMail.token}` });
    const session = await t.app.inject({
      method: 'POST',
      url: '/api/public/session',
      payload: { token: signInMail.token },
    });
    expect(session.statusCode).toBe(204);

    for (const mail of [confirmation, signInMail]) {
      const produced = log.lines.find((l) => l.mailId === mail.id);
      expect(produced?.msg).toMatch(/SMTP_URL/);
      expect(produced?.msg).toMatch(/outbound_mail/);
      for (const secret of [mail.token, mail.subject, mail.link]) expect(log.text()).not.toContain(secret);
    }
    for (const secret of [EMAIL, '記録', 'token=', 'kankei_supporter=']) expect(log.text()).not.toContain(secret);
    expect(
      log.lines.filter((l) => l.msg === 'request completed').map((l) => (l.res as { route?: string }).route),
    ).toEqual(
      expect.arrayContaining([
        '/api/public/registrations',
        '/api/public/registrations/confirm',
        '/api/public/sign-in',
        '/api/public/session',
      ]),
    );
  });

  /** The stored mail to an address whose text holds a link to `path`, with that link's token. */
  async function mailTo(address: string, path: string) {
    const rows = await t.database.db.select().from(outboundMail).where(sql`${outboundMail.toAddress} = ${address}`);
    const row = rows.find((r) => (r.textBody ?? '').includes(`${path}?token=`));
    if (!row) throw new Error(`no mail to ${address} with a ${path} link`);
    const link = (row.textBody ?? '').match(new RegExp(`https://\\S+${path}\\?token=([A-Za-z0-9_-]+)`))!;
    return { id: row.id, subject: row.subject, link: link[0], token: link[1]! };
  }
});

describe.each(TEST_DRIVERS)('failed statements and web pages in the log on %s', (driver) => {
  const log = capturingLogger();
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let webRoot: string;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-web-'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Kankei</title>');
    app = await buildApp({ database, logger: log.logger, webRoot });
    // Statements that fail on the value they carry, the way a defect in a real route would.
    app.post<{ Body: { value: string } }>('/api/log-probe/not-null', { config: { public: true } }, async (request) =>
      database.db.execute(
        sql`insert into outbound_mail (to_address, text_body) values (${request.body.value}, ${request.body.value})`,
      ),
    );
    app.post<{ Body: { value: string } }>('/api/log-probe/date', { config: { public: true } }, async (request) =>
      database.db.execute(sql`select ${request.body.value}::date as day`),
    );
    app.post<{ Body: { value: string } }>('/api/log-probe/unique', { config: { public: true } }, async (request) => {
      const id = '00000000-0000-4000-8000-000000000001';
      const insert = sql`insert into outbound_mail (id, to_address, subject, text_body) values (${id}, ${request.body.value}, 's', 't')`;
      await database.db.execute(insert);
      return database.db.execute(insert);
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
    if (webRoot) fs.rmSync(webRoot, { recursive: true, force: true });
  });
  beforeEach(() => {
    log.lines.length = 0;
  });

  it('keeps what an operator needs (SQLSTATE, table, column, the SQL with placeholders) and drops the values of a row that broke a constraint', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/log-probe/not-null', payload: { value: EMAIL } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain(EMAIL);
    const error = log.lines.find((l) => l.msg === 'unhandled error');
    expect(error).toBeDefined();
    const err = error!.err as Record<string, unknown> & { cause?: Record<string, unknown> };
    expect(err.query).toMatch(/insert into outbound_mail \(to_address, text_body\) values \(\$1, \$2\)/);
    expect(err.message).toMatch(/^Failed query: insert into outbound_mail/);
    expect(err.cause).toMatchObject({ code: '23502', column: 'subject', table: 'outbound_mail' });
    expect(err.cause!.message).toMatch(/null value in column "subject"/);
    expect(String(err.stack)).toMatch(/\n\s+at /);
    expect(err).not.toHaveProperty('params');
    expect(err.cause).not.toHaveProperty('detail');
    expect(log.text()).not.toContain(EMAIL);
    expect(log.text()).not.toContain('Failing row');
  });

  it('drops a value PostgreSQL quotes in its own message', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/log-probe/date', payload: { value: PHONE } });
    expect(res.statusCode).toBe(500);
    const err = log.lines.find((l) => l.msg === 'unhandled error')!.err as { cause?: Record<string, unknown> };
    // 22008 (field out of range) or 22007 (invalid syntax), each quoting the value it refused.
    expect(err.cause).toMatchObject({ code: expect.stringMatching(/^2200[78]$/), type: 'DatabaseError' });
    expect(err.cause!.message).toMatch(/: "\[redacted\]"$/);
    expect(log.text()).not.toContain(PHONE);
  });

  it('logs a refused duplicate with its SQLSTATE and constraint, not the duplicated value', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/log-probe/unique', payload: { value: EMAIL } });
    expect(res.statusCode).toBe(409);
    const refused = log.lines.find((l) => l.msg === 'database refused client input');
    expect(refused).toMatchObject({ pgCode: '23505', constraint: 'outbound_mail_pkey' });
    expect(log.text()).not.toContain(EMAIL);
    expect(log.text()).not.toContain('00000000-0000-4000-8000-000000000001');
  });

  it('names a page of the web UI by its path, its token and query string left out', async () => {
    const ticketPage = await app.inject({ method: 'GET', url: `/tickets/${TOKEN}` });
    expect(ticketPage.statusCode).toBe(200);
    expect(ticketPage.body).toContain('<title>Kankei</title>');
    const confirmPage = await app.inject({ method: 'GET', url: `/register/confirm?token=${TOKEN}` });
    expect(confirmPage.statusCode).toBe(200);
    const paths = log.lines.filter((l) => l.msg === 'request completed').map((l) => l.res);
    expect(paths).toEqual([
      { statusCode: 200, method: 'GET', path: '/tickets/:redacted' },
      { statusCode: 200, method: 'GET', path: '/register/confirm' },
    ]);
    expect(log.text()).not.toContain(TOKEN);
  });

  it('censors tokens, passwords and addresses some code hands to the log by name', () => {
    app.log.info(
      { token: TOKEN, person: { email: EMAIL, phone: PHONE }, password: 'hunter2-hunter2' },
      'careless line',
    );
    const line = log.lines.find((l) => l.msg === 'careless line');
    expect(line).toMatchObject({
      token: '[redacted]',
      person: { email: '[redacted]', phone: '[redacted]' },
      password: '[redacted]',
    });
    for (const secret of [TOKEN, EMAIL, PHONE, 'hunter2']) expect(log.text()).not.toContain(secret);
  });
});

describe.runIf(TEST_DATABASE_URL)('a failed job kept by pg-boss on postgres', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('records why the job failed (SQL, SQLSTATE, column) without the values of the statement', async () => {
    const jobs = createPgBossQueue(database.url!, { pollingIntervalSeconds: 0.5 });
    const probe = defineJob({ name: 'log-probe', payload: z.object({ address: z.string() }) });
    jobs.define(probe, async (data) => {
      await database.db.execute(
        sql`insert into outbound_mail (to_address, text_body) values (${data.address}, ${'body'})`,
      );
    });
    await jobs.start();
    try {
      await jobs.enqueue(probe, { address: 'someone' });
      let output: unknown;
      for (let i = 0; i < 60 && !output; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const rows = await database.db.execute(
          sql`select output from pgboss.job where name = 'log-probe' and output is not null`,
        );
        output = (rows as unknown as { rows: Array<{ output: unknown }> }).rows[0]?.output;
      }
      expect(output).toMatchObject({
        message: 'Failed query: insert into outbound_mail (to_address, text_body) values ($1, $2)',
        cause: { code: '23502', column: 'subject' },
      });
      expect(JSON.stringify(output)).not.toContain('someone');
      expect(JSON.stringify(output)).not.toContain('Failing row');
    } finally {
      await jobs.stop();
    }
  });
});
