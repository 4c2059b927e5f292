import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

describe.each(TEST_DRIVERS)('people exports on %s', (driver) => {
  let t: TestApp;
  let person: { id: string };
  beforeAll(async () => {
    t = await createTestApp(driver);
    person = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({
          name: '出力 髙橋🌸',
          kana: 'シュツリョク タカハシ',
          city: '港区, "芝"',
          links: [{ municipalityCode: '062014', kind: 'supporter' }],
        }),
      })
    ).json();
    await t.admin.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({ name: '別の 人', kana: 'ベツノ ヒト' }),
    });
  });
  afterAll(() => t?.close());

  it('exports a search as UTF-8 CSV with BOM and CRLF, quoting commas and quotes', async () => {
    const res = await t.admin.request({
      method: 'GET',
      url: `/api/people/export?q=${encodeURIComponent('シュツリョク')}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="people-\d{8}\.csv"/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'ID,氏名,フリガナ,メールアドレス,電話番号,郵便番号,都道府県,市区町村,生年,関係する市町村,メモ,登録日時',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(person.id);
    expect(lines[1]).toContain('出力 髙橋🌸');
    expect(lines[1]).toContain('"港区, ""芝"""');
    // As an office reads it: municipalities by name with the link kind in words, Japan time; the
    // file named with Japan's date.
    expect(lines[1]).toContain('山形市（登録サポーター）');
    expect(lines[1]).not.toMatch(/\d{6}:[a-z_]+/);
    expect(lines[1]).toMatch(/,\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    expect(lines[1]).not.toMatch(/T\d{2}:\d{2}:\d{2}/);
    const japanToday = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="people-${japanToday}.csv"`);
  });

  it('exports as CP932 (Shift_JIS) for Excel, replacing what CP932 cannot hold', async () => {
    const res = await t.admin.request({
      method: 'GET',
      url: `/api/people/export?encoding=sjis&q=${encodeURIComponent('シュツリョク')}`,
    });
    expect(res.headers['content-type'], res.body).toContain('Shift_JIS');
    const text = iconv.decode(res.rawPayload, 'cp932');
    expect(text).toContain('氏名,フリガナ');
    expect(text).toContain('出力 髙橋');
  });

  it('records every export in the audit trail', async () => {
    const audit = (await t.admin.request({ method: 'GET', url: '/api/audit?action=people.export' })).json();
    expect(audit.total).toBeGreaterThanOrEqual(1);
    expect(audit.items[0].details).toMatchObject({ format: 'csv' });
  });

  it('exports one person’s whole record with history for a data-subject request', async () => {
    const res = await t.admin.request({ method: 'GET', url: `/api/people/${person.id}/export` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.person.id).toBe(person.id);
    expect(body.history.map((h: { action: string }) => h.action)).toContain('person.create');
    const audit = (
      await t.admin.request({ method: 'GET', url: `/api/audit?personId=${person.id}&action=person.export` })
    ).json();
    expect(audit.total).toBe(1);
  });

  it('keeps exports inside the caller’s scope', async () => {
    const tsuruoka = await t.staffSession('municipality_staff', '062031');
    const res = await tsuruoka.request({ method: 'GET', url: '/api/people/export' });
    const lines = res.rawPayload.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const partner = await t.staffSession('partner');
    expect((await partner.request({ method: 'GET', url: '/api/people/export' })).statusCode).toBe(404);
  });

  it('exports the person’s consultations, cases with steps, referrals and event registrations, each within the reader’s scope', async () => {
    const consult = async (payload: Record<string, unknown>) => {
      const res = await t.admin.request({
        method: 'POST',
        url: '/api/consultations',
        payload: { personId: person.id, channel: 'phone', ...payload },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await consult({
      occurredOn: '2026-05-10',
      topics: ['housing'],
      municipalityCodes: ['062014'],
      notes: '山形市の空き家を希望',
      referral: { toMunicipalityCode: '062014', area: 'housing', message: '空き家バンクの案内をお願いします' },
    });
    await consult({
      occurredOn: '2026-06-01',
      topics: ['work'],
      municipalityCodes: ['062031'],
      notes: '鶴岡市の仕事も検討',
    });
    const fair = await t.admin.request({
      method: 'POST',
      url: '/api/events',
      payload: {
        kind: 'fair',
        title: '出力テストフェア',
        startsAt: '2027-03-06T11:00:00+09:00',
        endsAt: '2027-03-06T17:00:00+09:00',
        venue: '東京交通会館',
        capacity: 50,
      },
    });
    expect(fair.statusCode, fair.body).toBe(201);
    const reg = await t.admin.request({
      method: 'POST',
      url: `/api/events/${fair.json().id}/registrations`,
      payload: { personId: person.id },
    });
    expect([200, 201], reg.body).toContain(reg.statusCode);

    const res = await t.admin.request({ method: 'GET', url: `/api/people/${person.id}/export` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.consultations.map((c: { occurredOn: string; notes: string }) => [c.occurredOn, c.notes])).toEqual([
      ['2026-05-10', '山形市の空き家を希望'],
      ['2026-06-01', '鶴岡市の仕事も検討'],
    ]);
    expect(body.cases.length).toBeGreaterThanOrEqual(1);
    expect(body.cases[0].steps.map((s: { step: string }) => s.step)).toContain('first_contact');
    expect(body.referrals).toEqual([
      expect.objectContaining({ area: 'housing', to: '062014', status: expect.any(String) }),
    ]);
    expect(body.eventRegistrations).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({
          id: fair.json().id,
          title: '出力テストフェア',
          startsAt: '2027-03-06T11:00:00+09:00',
        }),
        status: 'registered',
      }),
    ]);
    const audit = (
      await t.admin.request({ method: 'GET', url: `/api/audit?personId=${person.id}&action=person.export` })
    ).json();
    expect(audit.items[0].details).toEqual({
      format: 'json',
      consultations: 2,
      cases: body.cases.length,
      referrals: 1,
      eventRegistrations: 1,
    });

    // Tsuruoka staff now see the person (interest link from the second consultation), but only
    // the consultation about Tsuruoka and no referral addressed to Yamagata City.
    const tsuruoka = await t.staffSession('municipality_staff', '062031');
    const scoped = await tsuruoka.request({ method: 'GET', url: `/api/people/${person.id}/export` });
    expect(scoped.statusCode, scoped.body).toBe(200);
    const seen = scoped.json();
    expect(seen.consultations.map((c: { occurredOn: string }) => c.occurredOn)).toEqual(['2026-06-01']);
    expect(JSON.stringify(seen)).not.toContain('山形市の空き家を希望');
    expect(seen.referrals).toEqual([]);
    // Staff of a municipality the person has nothing to do with get 404, as for the record itself.
    const sakata = await t.staffSession('municipality_staff', '062049');
    expect((await sakata.request({ method: 'GET', url: `/api/people/${person.id}/export` })).statusCode).toBe(404);
  });
});
