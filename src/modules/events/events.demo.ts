/**
 * The demo やまがた移住・交流フェア (synthetic, marked 【デモ】 and is_demo): a fair about six weeks
 * ahead on a Saturday at a Tokyo venue, booths of several municipalities and the demo job-support
 * partner with 30-minute consultation slots, and a few demo people registered for it. Idempotent:
 * nothing is added once a demo event exists.
 */
import { and, asc, eq, like } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { organizations } from '../../platform/places.tables.js';
import { people } from '../people/index.js';
import { startOfTokyoDay, tokyoDay } from './events.rules.js';
import { takePlace } from './events.places.js';
import { boothSlots, eventBooths, events } from './events.tables.js';
import { systemContext } from '../../platform/request-context.js';

const HOUR = 60 * 60 * 1000;
const DEMO_PARTNER_ORG = '【デモ】やまがた就業支援センター';
const BOOTHS: Array<{ name: string; municipalityCode: string | null; partner?: boolean }> = [
  { name: '山形市', municipalityCode: '062014' },
  { name: '鶴岡市', municipalityCode: '062031' },
  { name: '酒田市', municipalityCode: '062049' },
  { name: '米沢市', municipalityCode: '062022' },
  { name: '新庄市', municipalityCode: '062057' },
  { name: 'しごと相談（【デモ】やまがた就業支援センター）', municipalityCode: null, partner: true },
];

/** The Saturday at least 42 days after `now`, as a Japanese calendar day. */
export function demoFairDay(now: Date): string {
  const day = new Date(`${tokyoDay(new Date(now.getTime() + 42 * 24 * HOUR))}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + ((6 - day.getUTCDay() + 7) % 7));
  return day.toISOString().slice(0, 10);
}

export async function seedDemoEvents(db: Db, now = new Date()): Promise<boolean> {
  const [already] = await db.select({ id: events.id }).from(events).where(eq(events.isDemo, 1)).limit(1);
  if (already) return false;
  const day = startOfTokyoDay(demoFairDay(now));
  const at = (hours: number) => new Date(day.getTime() + hours * HOUR);
  const [partner] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.name, DEMO_PARTNER_ORG))
    .limit(1);
  const demoPeople = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.isDemo, 1), like(people.email, 'demo0%@example.jp')))
    .orderBy(asc(people.email))
    .limit(8);

  await inTransaction(db, async (tx) => {
    const [fair] = await tx
      .insert(events)
      .values({
        kind: 'fair',
        title: '【デモ】やまがた移住・交流フェア',
        description:
          '【デモデータ】山形県内の市町村と支援機関が集まる移住相談会です。しごと・住まい・子育ての相談を各ブースで受け付けます。',
        startsAt: at(11),
        endsAt: at(17),
        venue: '東京交通会館 12階 カトレアサロン（東京都千代田区有楽町2-10-1）',
        capacity: 400,
        status: 'published',
        isDemo: 1,
      })
      .returning({ id: events.id });
    const slotIds: Array<{ id: string; municipalityCode: string | null }> = [];
    for (const [position, b] of BOOTHS.entries()) {
      if (b.partner && !partner) continue;
      const [booth] = await tx
        .insert(eventBooths)
        .values({
          eventId: fair!.id,
          name: b.name,
          municipalityCode: b.municipalityCode,
          organizationId: b.partner ? partner!.id : null,
          position,
        })
        .returning({ id: eventBooths.id });
      const slots = await tx
        .insert(boothSlots)
        .values(
          Array.from({ length: 10 }, (_, i) => ({
            eventId: fair!.id,
            boothId: booth!.id,
            startsAt: at(11 + i / 2),
            endsAt: at(11.5 + i / 2),
            capacity: 2,
          })),
        )
        .returning({ id: boothSlots.id });
      slotIds.push(...slots.map((s) => ({ id: s.id, municipalityCode: b.municipalityCode })));
    }
    for (const [i, person] of demoPeople.entries()) {
      const slot = i % 3 === 2 ? null : slotIds[(i * 7) % slotIds.length]!;
      await takePlace(tx, {
        eventId: fair!.id,
        personId: person.id,
        slotId: slot?.id ?? null,
        municipalityCodes: slot?.municipalityCode ? [slot.municipalityCode] : ['062014'],
        source: 'staff',
        locale: 'ja',
      });
    }
    await recordAudit(tx, systemContext(), {
      action: 'demo.seed',
      entityType: 'event',
      entityId: fair!.id,
      details: { booths: slotIds.length / 10, registrations: demoPeople.length },
    });
  });
  return true;
}
