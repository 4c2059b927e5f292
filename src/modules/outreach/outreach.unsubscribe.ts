/**
 * One-click unsubscribe (RFC 8058, docs/outreach.md). Every mail sent on a consent (scouts on
 * `scouting`, the newsletter on `newsletter`) carries a signed per-person-per-purpose token in
 * `List-Unsubscribe` and in a visible link; a POST with it withdraws that consent — a dated
 * consent row, as every other change of consent — and answers 200 with nothing more to confirm.
 * A GET never withdraws (link scanners open links): it leads to a page with a button that POSTs.
 *
 * The token is `base64url(personId:purpose).hmac` under a server secret: it names nothing
 * readable, works until the person is erased, and cannot be turned into another person's or
 * purpose's token.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { AppError } from '../../platform/errors.js';
import type { PublicContext } from '../../platform/request-context.js';
import { getSecret, hmac } from '../../platform/secrets.js';
import { safeEqual } from '../../platform/auth/auth.service.js';
import { consentRows, consents, people } from '../people/index.js';
import { getOrganizationSettings, senderIdentity } from './outreach.settings.js';

/** The consents a mail can be unsubscribed from, and the consent choice each one is. */
export const UNSUBSCRIBE_PURPOSES = { scouting: 'scouting', newsletter: 'newsletter' } as const;
export type UnsubscribePurpose = keyof typeof UNSUBSCRIBE_PURPOSES;
const SECRET = 'unsubscribe';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The person's token for one purpose. */
export async function unsubscribeToken(db: Db, personId: string, purpose: UnsubscribePurpose): Promise<string> {
  const value = Buffer.from(`${personId}:${purpose}`).toString('base64url');
  return `${value}.${hmac(await getSecret(db, SECRET), value)}`;
}

/** Whom and what a token stands for; LINK_INVALID for anything Kankei did not sign. */
async function readToken(db: Db, token: string): Promise<{ personId: string; purpose: UnsubscribePurpose }> {
  const invalid = new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' });
  const [value, signature, ...rest] = token.split('.');
  if (!value || !signature || rest.length) throw invalid;
  if (!safeEqual(signature, hmac(await getSecret(db, SECRET), value))) throw invalid;
  const [personId, purpose] = Buffer.from(value, 'base64url').toString('utf8').split(':');
  if (!personId || !UUID.test(personId) || !purpose || !Object.hasOwn(UNSUBSCRIBE_PURPOSES, purpose)) throw invalid;
  return { personId, purpose: purpose as UnsubscribePurpose };
}

/**
 * What a consent-based mail carries: the visible link (to put in its text) and the RFC 8058
 * headers — the one-click URL and a mailto: to the organization's reply-to (or sender) address,
 * whose requests staff handle by hand.
 */
export async function unsubscribeParts(
  db: Db,
  input: { publicUrl: string; personId: string; purpose: UnsubscribePurpose },
): Promise<{ link: string; headers: Record<string, string> }> {
  const token = await unsubscribeToken(db, input.personId, input.purpose);
  const url = `${input.publicUrl}/api/public/unsubscribe?token=${token}`;
  const who = await senderIdentity(db);
  const mailto = `mailto:${who.replyTo ?? who.address}?subject=unsubscribe%20${input.purpose}`;
  return {
    link: url,
    headers: {
      'List-Unsubscribe': `<${url}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

/** The consent in force for the purpose: the latest decision, none meaning no. */
async function consentInForce(db: Db, personId: string, purpose: UnsubscribePurpose): Promise<boolean> {
  const [row] = await db
    .select({ granted: consents.granted })
    .from(consents)
    .where(and(eq(consents.personId, personId), eq(consents.purpose, purpose), isNull(consents.municipalityCode)))
    .orderBy(desc(consents.recordedAt), desc(consents.id))
    .limit(1);
  return row?.granted ?? false;
}

async function livePerson(db: Db, personId: string): Promise<void> {
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, personId), isNull(people.deletedAt), isNull(people.mergedInto)));
  if (!row) throw new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' });
}

/** What the unsubscribe page shows: the purpose, whether it is still on, who sends (audited read). */
export async function unsubscribeInfo(db: Db, ctx: PublicContext, token: string) {
  const { personId, purpose } = await readToken(db, token);
  await livePerson(db, personId);
  const subscribed = await consentInForce(db, personId, purpose);
  await recordAudit(db, ctx, {
    action: 'consent.read',
    entityType: 'person',
    entityId: personId,
    personId,
    details: { purpose, via: 'unsubscribe_link' },
  });
  const org = await getOrganizationSettings(db);
  return { purpose, subscribed, organization: { name: org.organizationName, contact: org.contact } };
}

/**
 * Withdraws the token's consent: a dated `granted: false` row (source `unsubscribe_link`),
 * audited. Already withdrawn: nothing is written, and the answer is the same.
 */
export async function unsubscribe(db: Db, ctx: PublicContext, token: string) {
  return inTransaction(db, async (tx) => {
    const { personId, purpose } = await readToken(tx, token);
    await livePerson(tx, personId);
    if (await consentInForce(tx, personId, purpose)) {
      await tx.insert(consents).values(consentRows(personId, { [purpose]: false }, [], 'unsubscribe_link'));
      await recordAudit(tx, ctx, {
        action: 'consent.change',
        entityType: 'person',
        entityId: personId,
        personId,
        details: { choices: { [purpose]: false }, via: 'unsubscribe_link' },
      });
    }
    return { purpose, subscribed: false };
  });
}
