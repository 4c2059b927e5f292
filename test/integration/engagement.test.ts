import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

describe.each(TEST_DRIVERS)('engagement records and stages on %s', (driver) => {
  let t: TestApp;
  let person: { id: string };
  beforeAll(async () => {
    t = await createTestApp(driver);
    person = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({
          links: [
            { municipalityCode: '062014', kind: 'interest' },
            { municipalityCode: '062031', kind: 'supporter' },
          ],
        }),
      })
    ).json();
  });
  afterAll(() => t?.close());

  const record = (payload: Record<string, unknown>, session = t.admin) =>
    session.request({ method: 'POST', url: `/api/people/${person.id}/engagements`, payload });

  it('records engagements and derives the stage with its dated history', async () => {
    expect((await record({ municipalityCode: '062014', kind: 'event', occurredOn: '2023-06-10' })).statusCode).toBe(
      201,
    );
    expect((await record({ municipalityCode: '062014', kind: 'visit', occurredOn: '2024-08-01' })).statusCode).toBe(
      201,
    );
    const donation = await record({
      municipalityCode: '062031',
      kind: 'donation',
      occurredOn: '2024-12-20',
      amountYen: 10000,
    });
    expect(donation.json()).toMatchObject({ kind: 'donation', amountYen: 10000, source: 'manual' });

    const list = (await t.admin.request({ method: 'GET', url: `/api/people/${person.id}/engagements` })).json().items;
    expect(list.map((e: { occurredOn: string }) => e.occurredOn)).toEqual(['2024-12-20', '2024-08-01', '2023-06-10']);

    const stages = (await t.admin.request({ method: 'GET', url: `/api/people/${person.id}/stages` })).json().items;
    const yamagata = stages.find((s: { municipalityCode: string }) => s.municipalityCode === '062014');
    expect(yamagata.stage).toBe('involvement');
    expect(yamagata.since).toBe('2024-08-01');
    // The link was made today, after the records, so the history starts at 交流.
    expect(yamagata.history.map((h: { stage: string }) => h.stage)).toEqual(['exchange', 'involvement']);
    expect(yamagata.history[0].effectiveOn).toBe('2023-06-10');
    const tsuruoka = stages.find((s: { municipalityCode: string }) => s.municipalityCode === '062031');
    expect(tsuruoka.stage).toBe('interest');
  });

  it('refuses future dates, impossible dates and unknown kinds, naming the field', async () => {
    const future = await record({ municipalityCode: '062014', kind: 'event', occurredOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.occurredOn).toContain('未来');
    const impossible = await record({ municipalityCode: '062014', kind: 'event', occurredOn: '2024-02-30' });
    expect(impossible.json().error.fields.occurredOn).toBeTruthy();
    const kind = await record({ municipalityCode: '062014', kind: 'party', occurredOn: '2024-02-01' });
    expect(kind.json().error.fields.kind).toBeTruthy();
  });

  it('shows municipality staff only their municipality’s records and stages, and lets them record only there', async () => {
    const tsuruokaStaff = await t.staffSession('municipality_staff', '062031');
    const list = (await tsuruokaStaff.request({ method: 'GET', url: `/api/people/${person.id}/engagements` })).json()
      .items;
    expect(list.every((e: { municipalityCode: string }) => e.municipalityCode === '062031')).toBe(true);
    expect(list).toHaveLength(1);
    const stages = (await tsuruokaStaff.request({ method: 'GET', url: `/api/people/${person.id}/stages` })).json()
      .items;
    expect(stages.map((s: { municipalityCode: string }) => s.municipalityCode)).toEqual(['062031']);
    const other = await record({ municipalityCode: '062014', kind: 'event', occurredOn: '2024-02-01' }, tsuruokaStaff);
    expect(other.json().error.fields.municipalityCode).toBeTruthy();
  });

  it('records engagement creation in the audit trail', async () => {
    const audit = (
      await t.admin.request({ method: 'GET', url: `/api/audit?personId=${person.id}&action=engagement.create` })
    ).json();
    expect(audit.total).toBeGreaterThanOrEqual(3);
  });
});
