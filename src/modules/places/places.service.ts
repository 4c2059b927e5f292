import fs from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import type { OrganizationKind } from '../../shared/domain.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { fieldError } from '../../platform/errors.js';
import { municipalities, organizations, regions } from '../../platform/places.tables.js';
import type { RequestContext } from '../../platform/request-context.js';

type MunicipalityRecord = {
  code: string;
  name: string;
  kana: string;
  romaji: string;
  type: string;
  region: string;
  lat: number;
  lon: number;
};

const dataFile = (name: string) => new URL(`./data/${name}`, import.meta.url);

/** The 35 Yamagata municipalities as shipped with Kankei (MIC codes with check digit). */
export function loadYamagataMunicipalities(): MunicipalityRecord[] {
  return JSON.parse(fs.readFileSync(dataFile('yamagata-municipalities.json'), 'utf8')) as MunicipalityRecord[];
}

let geoCache: string | undefined;
/** Municipal boundaries (GeoJSON, simplified). Credit: 国土交通省国土数値情報（行政区域データ）を加工して作成. */
export function yamagataGeoJson(): string {
  geoCache ??= fs.readFileSync(dataFile('yamagata-municipalities.geojson'), 'utf8');
  return geoCache;
}

const YAMAGATA_REGIONS = [
  { code: '06-murayama', name: '村山', nameEn: 'Murayama', position: 1 },
  { code: '06-mogami', name: '最上', nameEn: 'Mogami', position: 2 },
  { code: '06-okitama', name: '置賜', nameEn: 'Okitama', position: 3 },
  { code: '06-shonai', name: '庄内', nameEn: 'Shonai', position: 4 },
];

/** Inserts or refreshes the regions and municipalities; idempotent. */
export async function seedYamagataPlaces(db: Db): Promise<number> {
  const regionByName = new Map(YAMAGATA_REGIONS.map((r) => [r.name, r.code]));
  const records = loadYamagataMunicipalities();
  await inTransaction(db, async (tx) => {
    await tx
      .insert(regions)
      .values(YAMAGATA_REGIONS.map((r) => ({ ...r, prefectureCode: '06' })))
      .onConflictDoUpdate({
        target: regions.code,
        set: { name: sql`excluded.name`, nameEn: sql`excluded.name_en`, position: sql`excluded.position` },
      });
    await tx
      .insert(municipalities)
      .values(
        records.map((m) => ({
          code: m.code,
          prefectureCode: m.code.slice(0, 2),
          regionCode: regionByName.get(m.region)!,
          name: m.name,
          kana: m.kana,
          romaji: m.romaji,
          type: m.type,
          lat: m.lat,
          lon: m.lon,
        })),
      )
      .onConflictDoUpdate({
        target: municipalities.code,
        set: {
          regionCode: sql`excluded.region_code`,
          name: sql`excluded.name`,
          kana: sql`excluded.kana`,
          romaji: sql`excluded.romaji`,
          type: sql`excluded.type`,
          lat: sql`excluded.lat`,
          lon: sql`excluded.lon`,
        },
      });
  });
  return records.length;
}

export async function listMunicipalities(db: Db) {
  return db
    .select({
      code: municipalities.code,
      name: municipalities.name,
      kana: municipalities.kana,
      romaji: municipalities.romaji,
      type: municipalities.type,
      region: regions.name,
      regionCode: municipalities.regionCode,
      lat: municipalities.lat,
      lon: municipalities.lon,
    })
    .from(municipalities)
    .innerJoin(regions, eq(regions.code, municipalities.regionCode))
    .orderBy(asc(municipalities.code));
}

export async function listRegions(db: Db) {
  return db.select().from(regions).orderBy(asc(regions.prefectureCode), asc(regions.position));
}

const presentOrganization = (o: typeof organizations.$inferSelect) => ({
  id: o.id,
  name: o.name,
  kind: o.kind as OrganizationKind,
  municipalityCode: o.municipalityCode,
});

export async function listOrganizations(db: Db) {
  return (await db.select().from(organizations).orderBy(asc(organizations.name))).map(presentOrganization);
}

export async function createOrganization(
  db: Db,
  origin: RequestContext,
  input: { name: string; kind: OrganizationKind; municipalityCode?: string | null },
) {
  if (input.municipalityCode) {
    const [m] = await db.select().from(municipalities).where(eq(municipalities.code, input.municipalityCode));
    if (!m) throw fieldError('municipalityCode', 'unknown_municipality', { value: input.municipalityCode });
  }
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(organizations)
      .values({ name: input.name, kind: input.kind, municipalityCode: input.municipalityCode ?? null })
      .returning();
    await recordAudit(tx, origin, { action: 'organization.create', entityType: 'organization', entityId: row!.id });
    return presentOrganization(row!);
  });
}
