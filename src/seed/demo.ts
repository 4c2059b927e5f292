/**
 * Synthetic demo data, marked as such everywhere it shows: staff names and organization names
 * start with 【デモ】, people carry is_demo = 1 and a note, emails use the reserved example.jp
 * domain and phone numbers the unassigned 090-0000 block. No real person is described.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../platform/db/client.js';
import { inTransaction } from '../platform/db/unit-of-work.js';
import { staff } from '../platform/auth/auth.tables.js';
import { hashPassword, verifyPassword } from '../platform/auth/password.js';
import { recordAudit } from '../platform/audit/audit.service.js';
import { organizations } from '../platform/places.tables.js';
import { loadYamagataMunicipalities } from '../modules/places/index.js';
import { people, personLinks } from '../modules/people/index.js';
import { derivedColumns } from '../modules/people/index.js';
import { createStaff } from '../modules/staff/index.js';
import { LINK_KINDS, PREFECTURES, type LinkKind } from '../shared/domain.js';
import { seedDemoConsultations } from '../modules/consultations/index.js';
import { seedDemoEvents } from '../modules/events/index.js';
import { seedDemoKpi } from '../modules/kpi/index.js';
import { seedDemoMatching } from '../modules/matching/index.js';
import { seededRandom } from '../shared/random.js';
import { systemContext } from '../platform/request-context.js';

/**
 * The password every demo account had before passwords were generated per database. It is public
 * (it was in the code), so a database still holding it gets a generated one at the next seed.
 */
export const RETIRED_DEMO_PASSWORD = 'kankei-demo-2026';
const DEMO_PEOPLE = 240;

const SURNAMES: Array<[string, string]> = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['斎藤', 'サイトウ'],
  ['阿部', 'アベ'],
  ['後藤', 'ゴトウ'],
  ['菅原', 'スガワラ'],
  ['結城', 'ユウキ'],
  ['奥山', 'オクヤマ'],
  ['大沼', 'オオヌマ'],
  ['安孫子', 'アビコ'],
  ['齋藤', 'サイトウ'],
  ['五十嵐', 'イガラシ'],
];
const GIVEN: Array<[string, string]> = [
  ['太郎', 'タロウ'],
  ['花子', 'ハナコ'],
  ['翔太', 'ショウタ'],
  ['美咲', 'ミサキ'],
  ['健', 'ケン'],
  ['陽菜', 'ヒナ'],
  ['大輔', 'ダイスケ'],
  ['さくら', 'サクラ'],
  ['悠真', 'ユウマ'],
  ['結衣', 'ユイ'],
  ['誠', 'マコト'],
  ['真由美', 'マユミ'],
  ['拓海', 'タクミ'],
  ['彩', 'アヤ'],
];
const RESIDENCES: Array<[string, string]> = [
  ['東京都', '世田谷区'],
  ['東京都', '練馬区'],
  ['東京都', '杉並区'],
  ['神奈川県', '横浜市'],
  ['埼玉県', 'さいたま市'],
  ['千葉県', '船橋市'],
  ['大阪府', '大阪市'],
  ['愛知県', '名古屋市'],
  ['宮城県', '仙台市'],
  ['山形県', '山形市'],
];

export type DemoSeedResult = {
  created: boolean;
  staff: Array<{ email: string; role: string }>;
  /**
   * The demo staff password when it was set by this seed (a fresh database, or the retired fixed
   * password replaced); null otherwise: it was shown once and is stored only hashed.
   */
  password: string | null;
  people: number;
};

/** A new demo password: random per database, shown once, stored only hashed (like the first admin's). */
const generateDemoPassword = () => randomBytes(12).toString('base64url');

const SYSTEM = systemContext();

/**
 * Gives the demo accounts that still have the retired fixed password a generated one. Returns the
 * new password (shared by the accounts changed), or null when none had the retired password.
 */
export async function retireFixedDemoPassword(db: Db): Promise<string | null> {
  const demoStaff = await db
    .select({ id: staff.id, passwordHash: staff.passwordHash })
    .from(staff)
    .where(eq(staff.isDemo, 1));
  const exposed: string[] = [];
  for (const s of demoStaff) if (await verifyPassword(s.passwordHash, RETIRED_DEMO_PASSWORD)) exposed.push(s.id);
  if (!exposed.length) return null;
  const password = generateDemoPassword();
  const passwordHash = await hashPassword(password);
  await inTransaction(db, async (tx) => {
    for (const id of exposed) {
      await tx.update(staff).set({ passwordHash, updatedAt: new Date() }).where(eq(staff.id, id));
      await recordAudit(tx, SYSTEM, {
        action: 'staff.password_reset',
        entityType: 'staff',
        entityId: id,
        details: { via: 'seed', reason: 'retired_demo_password' },
      });
    }
  });
  return password;
}

/**
 * With demo data turned off, demo accounts seeded earlier (PostgreSQL used to get them by default)
 * still lose the retired password. A result only when a password was replaced, to print it once.
 */
export async function retireFixedDemoPasswordOnly(db: Db): Promise<DemoSeedResult | null> {
  const password = await retireFixedDemoPassword(db);
  if (!password) return null;
  const demoStaff = await db.select({ email: staff.email, role: staff.role }).from(staff).where(eq(staff.isDemo, 1));
  return { created: false, staff: demoStaff, password, people: 0 };
}

export async function seedDemoData(db: Db): Promise<DemoSeedResult> {
  const demoStaff = [
    { email: 'center@demo.kankei.example', name: '【デモ】センター 相談員', role: 'center_staff' as const },
    {
      email: 'yamagata-city@demo.kankei.example',
      name: '【デモ】山形市 担当',
      role: 'municipality_staff' as const,
      municipalityCode: '062014',
    },
    {
      email: 'tsuruoka@demo.kankei.example',
      name: '【デモ】鶴岡市 担当',
      role: 'municipality_staff' as const,
      municipalityCode: '062031',
    },
    { email: 'partner@demo.kankei.example', name: '【デモ】就業支援 担当', role: 'partner' as const },
  ];
  const [already] = await db.select({ id: staff.id }).from(staff).where(eq(staff.isDemo, 1)).limit(1);
  if (already) {
    // Installs seeded before consultations existed get their demo cases now (idempotent).
    await seedDemoConsultations(db);
    await seedDemoEvents(db);
    await seedDemoKpi(db);
    await seedDemoMatching(db);
    return { created: false, staff: demoStaff, password: await retireFixedDemoPassword(db), people: 0 };
  }

  const password = generateDemoPassword();
  const orgs = await db
    .insert(organizations)
    .values([
      { name: '【デモ】やまがた就業支援センター', kind: 'partner_agency' },
      { name: '【デモ】住まい相談ネットワーク', kind: 'partner_agency' },
      { name: '【デモ】関係案内所 つなぐ山形', kind: 'intermediary' },
    ])
    .returning();
  for (const s of demoStaff) {
    await createStaff(db, SYSTEM, {
      ...s,
      organizationId: s.role === 'partner' ? orgs[0]!.id : null,
      password,
      isDemo: true,
    });
  }

  const random = seededRandom(20260401);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const codes = loadYamagataMunicipalities().map((m) => m.code);
  const rows: Array<typeof people.$inferInsert> = [];
  const links: Array<{ index: number; municipalityCode: string; kind: LinkKind }> = [];
  for (let i = 0; i < DEMO_PEOPLE; i++) {
    const [sn, sk] = pick(SURNAMES);
    const [gn, gk] = pick(GIVEN);
    const [prefecture, city] = pick(RESIDENCES);
    const n = String(i + 1).padStart(4, '0');
    const fields = {
      name: `${sn} ${gn}`,
      kana: `${sk} ${gk}`,
      email: `demo${n}@example.jp`,
      phone: `090-0000-${n}`,
      postalCode: null,
      prefecture: PREFECTURES.includes(prefecture as never) ? prefecture : null,
      city,
      birthYear: 1950 + Math.floor(random() * 55),
      notes: '【デモデータ】架空の人物です。 / Synthetic demo person.',
    };
    rows.push({ ...fields, ...derivedColumns(fields), isDemo: 1 });
    // Yamagata city and Tsuruoka get more people so the map has something to show.
    const home = random() < 0.3 ? '062014' : random() < 0.3 ? '062031' : pick(codes);
    links.push({ index: i, municipalityCode: home, kind: pick(LINK_KINDS) });
    if (random() < 0.25) links.push({ index: i, municipalityCode: pick(codes), kind: 'interest' });
  }
  await inTransaction(db, async (tx) => {
    const inserted = await tx.insert(people).values(rows).returning({ id: people.id });
    const unique = new Map<string, { personId: string; municipalityCode: string; kind: LinkKind }>();
    for (const l of links) {
      const personId = inserted[l.index]!.id;
      unique.set(`${personId}:${l.municipalityCode}:${l.kind}`, {
        personId,
        municipalityCode: l.municipalityCode,
        kind: l.kind,
      });
    }
    await tx.insert(personLinks).values([...unique.values()]);
    await recordAudit(tx, SYSTEM, { action: 'demo.seed', details: { people: rows.length, staff: demoStaff.length } });
  });
  await seedDemoConsultations(db);
  await seedDemoEvents(db);
  await seedDemoKpi(db);
  await seedDemoMatching(db);
  return { created: true, staff: demoStaff, password, people: rows.length };
}
