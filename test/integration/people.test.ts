import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, personLinks } from '../../src/modules/people/people.tables.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

describe.each(TEST_DRIVERS)('people on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  const create = (payload: Record<string, unknown>) => t.admin.request({ method: 'POST', url: '/api/people', payload });

  it('creates a person with normalized kana, postal code and prefecture, and reads it back', async () => {
    const res = await create(
      personPayload({
        name: '山形　花子',
        kana: 'ﾔﾏｶﾞﾀ ﾊﾅｺ',
        email: 'Ｈａｎａｋｏ＠Example.jp',
        phone: '０９０－１１１１－２２２２',
        postalCode: '〒９９０－８５７０',
        prefecture: '東京',
        city: '世田谷区',
        birthYear: 1988,
        notes: 'テスト用の架空の人物',
        links: [
          { municipalityCode: '062014', kind: 'supporter' },
          { municipalityCode: '062031', kind: 'roots' },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    const person = res.json();
    expect(person).toMatchObject({
      name: '山形　花子',
      kana: 'ヤマガタ ハナコ',
      email: 'Hanako@Example.jp',
      phone: '090-1111-2222',
      postalCode: '990-8570',
      prefecture: '東京都',
      birthYear: 1988,
    });
    expect(person.links).toEqual([
      { municipalityCode: '062014', kind: 'supporter' },
      { municipalityCode: '062031', kind: 'roots' },
    ]);
    const read = await t.admin.request({ method: 'GET', url: `/api/people/${person.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(person);
  });

  it('finds people by kana, name, email and phone in any width', async () => {
    const p = (
      await create(
        personPayload({
          name: '最上 次郎',
          kana: 'もがみ じろう',
          email: 'jiro.mogami@example.jp',
          phone: '080-3333-4444',
        }),
      )
    ).json();
    const queries = [
      'ﾓｶﾞﾐ',
      'モガミジロウ',
      'もがみ　じろう',
      '最上',
      '最上次郎',
      'JIRO.MOGAMI',
      'ｊｉｒｏ',
      '080-3333',
      '０８０３３３３４４４４',
      '3444',
    ];
    for (const q of queries) {
      const res = await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBe(200);
      expect(
        res.json().items.map((i: { id: string }) => i.id),
        q,
      ).toContain(p.id);
    }
    const none = await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent('存在しない名前')}` });
    expect(none.json()).toMatchObject({ items: [], total: 0, totalIsExact: true, nextCursor: null });
  });

  it('paginates search results with a total', async () => {
    for (let i = 0; i < 5; i++) await create(personPayload({ name: `ページ送り ${i}`, kana: 'ページオクリ' }));
    const url = (cursor?: string) =>
      `/api/people?q=${encodeURIComponent('ページオクリ')}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page1 = (await t.admin.request({ method: 'GET', url: url() })).json();
    const page2 = (await t.admin.request({ method: 'GET', url: url(page1.nextCursor) })).json();
    const page3 = (await t.admin.request({ method: 'GET', url: url(page2.nextCursor) })).json();
    expect(page1.total).toBe(5);
    expect(page1.totalIsExact).toBe(true);
    expect(page1.items).toHaveLength(2);
    expect(page3.items).toHaveLength(1);
    expect(page3.nextCursor).toBeNull();
    const ids = [...page1.items, ...page2.items, ...page3.items].map((p: { id: string }) => p.id);
    expect(new Set(ids).size).toBe(5);
    const bad = await t.admin.request({ method: 'GET', url: `${url()}&cursor=not-a-cursor` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.cursor).toBeDefined();
  });

  it('filters by municipality', async () => {
    const p = (
      await create(personPayload({ name: '庄内 三郎', links: [{ municipalityCode: '062049', kind: 'interest' }] }))
    ).json();
    const res = (await t.admin.request({ method: 'GET', url: '/api/people?municipality=062049' })).json();
    expect(res.items.map((i: { id: string }) => i.id)).toContain(p.id);
    for (const item of res.items)
      expect(item.links.some((l: { municipalityCode: string }) => l.municipalityCode === '062049')).toBe(true);
  });

  it('refuses a second person with the same normalized email and offers the existing one', async () => {
    const first = (await create(personPayload({ email: 'same.person@example.jp', phone: null }))).json();
    const again = await create(personPayload({ email: '  ＳＡＭＥ.Person＠example.JP ', phone: null }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE_PERSON');
    expect(again.json().error.details.candidates).toEqual([{ id: first.id, name: first.name, match: 'contact' }]);
  });

  it('offers a person with the same name and reading as a candidate, in any width and kana, unless told apart', async () => {
    const links = [{ municipalityCode: '062014', kind: 'interest' }];
    const first = (
      await create({
        name: '村山 四郎',
        kana: 'ムラヤマ シロウ',
        email: 'shiro.murayama@example.jp',
        phone: '090-4444-0001',
        links,
      })
    ).json();
    // The same visitor typed again without contacts: full-width space, half-width katakana, hiragana.
    for (const again of [
      { name: '村山　四郎', kana: 'ﾑﾗﾔﾏ ｼﾛｳ' },
      { name: '村山四郎', kana: 'むらやま しろう' },
      { name: '村山 四郎' },
    ]) {
      const res = await create({ ...again, links });
      expect(res.statusCode, JSON.stringify(again)).toBe(409);
      expect(res.json().error.code).toBe('DUPLICATE_PERSON');
      expect(res.json().error.message).toContain('同じ氏名・フリガナ');
      expect(res.json().error.details.candidates).toEqual([{ id: first.id, name: '村山 四郎', match: 'name' }]);
    }
    // A different reading, email or phone tells them apart: no candidate, created.
    const otherKana = await create({ name: '村山 四郎', kana: 'ムラヤマ シオウ', links });
    expect(otherKana.statusCode).toBe(201);
    const otherEmail = await create({
      name: '村山 四郎',
      kana: 'ムラヤマ シロウ',
      email: 'other.shiro@example.jp',
      links,
    });
    expect(otherEmail.statusCode).toBe(201);
    // The user checked the candidates and says it is someone else: created, and only the ones named are passed over.
    const named = await create({ name: '村山 四郎', kana: 'ムラヤマ シロウ', links, distinctFrom: [first.id] });
    expect(named.statusCode).toBe(409);
    const candidates = named.json().error.details.candidates.map((c: { id: string }) => c.id);
    expect(candidates).not.toContain(first.id);
    const apart = await create({
      name: '村山 四郎',
      kana: 'ムラヤマ シロウ',
      links,
      distinctFrom: [first.id, ...candidates],
    });
    expect(apart.statusCode).toBe(201);
    // A shared contact is never passed over.
    const sameEmail = await create({
      name: '村山 四郎',
      email: 'shiro.murayama@example.jp',
      links,
      distinctFrom: [first.id],
    });
    expect(sameEmail.statusCode).toBe(409);
    expect(sameEmail.json().error.details.candidates).toEqual([{ id: first.id, name: '村山 四郎', match: 'contact' }]);
  });

  it("does not name a same-name person outside the caller's municipality", async () => {
    await create({
      name: '鶴岡 五郎',
      kana: 'ツルオカ ゴロウ',
      links: [{ municipalityCode: '062031', kind: 'interest' }],
    });
    const yamagata = await t.staffSession('municipality_staff', '062014');
    const res = await yamagata.request({
      method: 'POST',
      url: '/api/people',
      payload: {
        name: '鶴岡 五郎',
        kana: 'ツルオカ ゴロウ',
        links: [{ municipalityCode: '062014', kind: 'interest' }],
      },
    });
    expect(res.statusCode).toBe(201);
  });

  it('refuses a second person with the same phone written differently', async () => {
    await create(personPayload({ email: null, phone: '022-123-4567' }));
    const again = await create(personPayload({ email: null, phone: '+81 22 123 4567' }));
    expect(again.statusCode).toBe(409);
  });

  it('updates fields and links, recording which fields changed', async () => {
    const p = (await create(personPayload())).json();
    const res = await t.admin.request({
      method: 'PATCH',
      url: `/api/people/${p.id}`,
      payload: { city: '酒田市', kana: 'へんこう', links: [{ municipalityCode: '062049', kind: 'moved_in' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      city: '酒田市',
      kana: 'ヘンコウ',
      links: [{ municipalityCode: '062049', kind: 'moved_in' }],
    });
    const history = (await t.admin.request({ method: 'GET', url: `/api/people/${p.id}/history` })).json().items;
    const update = history.find((h: { action: string }) => h.action === 'person.update');
    expect(update.details.fields.sort()).toEqual(['city', 'kana']);
    // Old → new for the coarse facts; a name's or contact's values never enter the trail.
    expect(update.details.changes).toEqual({ city: { from: p.city ?? null, to: '酒田市' } });
    expect(update.actor.id).toBe(t.admin.user.id);
    const renamed = await t.admin.request({
      method: 'PATCH',
      url: `/api/people/${p.id}`,
      payload: { name: '改名 後子', email: 'renamed@example.jp', birthYear: 1990 },
    });
    expect(renamed.statusCode).toBe(200);
    const rows = (
      await t.admin.request({ method: 'GET', url: `/api/audit?personId=${p.id}&action=person.update` })
    ).json().items;
    expect(rows[0].details.changes).toEqual({ birthYear: { from: p.birthYear ?? null, to: 1990 } });
    expect(JSON.stringify(rows[0].details)).not.toContain('改名');
    expect(JSON.stringify(rows[0].details)).not.toContain('renamed@');
  });

  it('refuses an update that would duplicate another person', async () => {
    const a = (await create(personPayload())).json();
    const b = (await create(personPayload())).json();
    const res = await t.admin.request({
      method: 'PATCH',
      url: `/api/people/${b.id}`,
      payload: { email: a.email.toUpperCase() },
    });
    expect(res.statusCode).toBe(409);
    const unchanged = (await t.admin.request({ method: 'GET', url: `/api/people/${b.id}` })).json();
    expect(unchanged.email).toBe(b.email);
  });

  it('soft-deletes: the person disappears from reads and search but stays purgeable', async () => {
    const p = (await create(personPayload({ name: '削除 予定' }))).json();
    expect((await t.admin.request({ method: 'DELETE', url: `/api/people/${p.id}` })).statusCode).toBe(204);
    expect((await t.admin.request({ method: 'GET', url: `/api/people/${p.id}` })).statusCode).toBe(404);
    const search = (
      await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent('削除予定')}` })
    ).json();
    expect(search.total).toBe(0);
    const rows = await t.database.db.execute(sql`select deleted_at from people where id = ${p.id}`);
    expect((rows as unknown as { rows: unknown[] }).rows).toHaveLength(1);
  });

  it('purges a person and the records merged into them, keeping only ids in the audit trail', async () => {
    const target = (await create(personPayload({ name: '消去 対象', notes: '個人的なメモ' }))).json();
    const source = (await create(personPayload({ name: '消去 対象（重複）' }))).json();
    expect(
      (
        await t.admin.request({
          method: 'POST',
          url: `/api/people/${target.id}/merge`,
          payload: { sourceId: source.id },
        })
      ).statusCode,
    ).toBe(200);
    const res = await t.admin.request({ method: 'POST', url: `/api/people/${target.id}/purge` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ purged: 2 });
    const left = await t.database.db.execute(
      sql`select count(*)::int as n from people where id in (${target.id}, ${source.id})`,
    );
    expect((left as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
    const links = await t.database.db.execute(
      sql`select count(*)::int as n from person_links where person_id in (${target.id}, ${source.id})`,
    );
    expect((links as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
    const audit = await t.database.db.execute(
      sql`select details::text as d from audit_events where person_id = ${target.id}`,
    );
    for (const row of (audit as unknown as { rows: Array<{ d: string }> }).rows) {
      expect(row.d).not.toContain('消去');
      expect(row.d).not.toContain(target.email);
    }
  });

  it('merges: empty fields filled, conflicting contacts kept in notes, links united, source closed', async () => {
    const target = (
      await create(
        personPayload({ name: '統合 先', city: null, links: [{ municipalityCode: '062014', kind: 'supporter' }] }),
      )
    ).json();
    const source = (
      await create(
        personPayload({ name: '統合 元', city: '米沢市', links: [{ municipalityCode: '062022', kind: 'roots' }] }),
      )
    ).json();
    const res = await t.admin.request({
      method: 'POST',
      url: `/api/people/${target.id}/merge`,
      payload: { sourceId: source.id },
    });
    expect(res.statusCode).toBe(200);
    const merged = res.json();
    expect(merged.name).toBe('統合 先');
    expect(merged.city).toBe('米沢市');
    expect(merged.notes).toContain(source.email);
    expect(merged.links).toEqual([
      { municipalityCode: '062014', kind: 'supporter' },
      { municipalityCode: '062022', kind: 'roots' },
    ]);
    expect((await t.admin.request({ method: 'GET', url: `/api/people/${source.id}` })).statusCode).toBe(404);
    const self = await t.admin.request({
      method: 'POST',
      url: `/api/people/${target.id}/merge`,
      payload: { sourceId: target.id },
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.fields.sourceId).toBeTruthy();
  });

  it('lists records that share email or phone as merge candidates', async () => {
    const a = (await create(personPayload({ email: 'dup.list@example.jp' }))).json();
    // Records that arrived before dedupe existed (or through a bulk import) can still share a key.
    const fields = { name: '重複 候補', kana: null, email: 'DUP.LIST@example.jp', phone: null };
    const [row] = await t.database.db
      .insert(people)
      .values({ ...fields, ...derivedColumns(fields) })
      .returning();
    await t.database.db.insert(personLinks).values({ personId: row!.id, municipalityCode: '062014', kind: 'interest' });
    const res = await t.admin.request({ method: 'GET', url: `/api/people/${a.id}/duplicates` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((p: { id: string }) => p.id)).toEqual([row!.id]);
  });

  it('names the wrong field in Japanese by default and in English on request', async () => {
    const bad = personPayload({
      kana: 'Yamada',
      postalCode: '12345',
      phone: '12',
      prefecture: 'Atlantis',
      links: [{ municipalityCode: '999999', kind: 'supporter' }],
    });
    const ja = await create(bad);
    expect(ja.statusCode).toBe(400);
    const { error } = ja.json();
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toBe('入力内容に誤りがあります。');
    expect(Object.keys(error.fields).sort()).toEqual(['kana', 'phone', 'postalCode', 'prefecture']);
    expect(error.fields.kana).toContain('フリガナ');
    const en = await t.admin.request({
      method: 'POST',
      url: '/api/people',
      payload: bad,
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.json().error.fields.postalCode).toContain('postal code');
    const links = await create(personPayload({ links: [{ municipalityCode: '999999', kind: 'supporter' }] }));
    expect(links.json().error.fields['links.0.municipalityCode']).toContain('999999');
    const missing = await create({ kana: 'ナマエナシ' });
    expect(missing.json().error.fields.name).toBe('氏名を入力してください。');
    // A name with nothing to search by could never be found again.
    const dashes = await create(personPayload({ name: 'ー　ー' }));
    expect(dashes.statusCode).toBe(400);
    expect(dashes.json().error.fields.name).toBe(
      '氏名に文字がありません（長音記号・ダッシュ・空白だけでは登録できません）。',
    );
  });

  it('counts linked people per municipality for the map', async () => {
    const res = await t.admin.request({ method: 'GET', url: '/api/stats/people-by-municipality' });
    expect(res.statusCode).toBe(200);
    const yamagata = res.json().find((r: { municipalityCode: string }) => r.municipalityCode === '062014');
    expect(yamagata.count).toBeGreaterThan(0);
  });
});
