/**
 * The public registry: sign-up as a supporter of municipalities (ふるさと住民票), email
 * confirmation, and the supporter's own view of everything held about them — consents, export,
 * deletion — through one-time sign-in links.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, withTransaction } from '../../platform/db/unit-of-work.js';
import { forgetPublicOrigins, recordAudit } from '../../platform/audit/audit.service.js';
import { sha256 } from '../../platform/auth/auth.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import type { ExportCell } from '../../platform/export/export.cells.js';
import { csvFile } from '../../platform/export/export.csv.js';
import type { Locale } from '../../platform/i18n.js';
import type { Mailer } from '../../platform/mail/mail.service.js';
import { outboundMail } from '../../platform/mail/mail.tables.js';
import { getSecret, hmac } from '../../platform/secrets.js';
import { engagements } from '../engagement/index.js';
import { myConsultationData } from '../consultations/index.js';
import { myEventData } from '../events/index.js';
import { myMatchingData } from '../matching/index.js';
import { municipalities } from '../../platform/places.tables.js';
import { consents, people, personLinks, supporterProfiles, supporterRegistrations } from '../people/index.js';
import { derivedColumns, resolveOrCreatePerson } from '../people/index.js';
import { erasePersonRecords } from './registry.erasure.js';
import { addSupportedMunicipalities, capExceeded } from './registry.municipalities.js';
import { registrationCap } from './registry.settings.js';
import {
  CONSENT_PURPOSE_LABELS_JA,
  type ConsentPurpose,
  ENGAGEMENT_KIND_LABELS_JA,
  INVOLVEMENT_KIND_LABELS_JA,
  LINK_KIND_LABELS_JA,
  type LinkKind,
  REFERRAL_AREA_LABELS_JA,
  REFERRAL_OUTCOME_LABELS_JA,
  REFERRAL_STATUS_LABELS_JA,
  ROOT_KIND_LABELS_JA,
} from '../../shared/domain.js';
import { APPLICATION_STATUS_LABELS_JA } from '../../shared/matching.js';
import { formatSheetDate, formatTokyoDateTime } from '../../shared/dates.js';
import { fieldLabel } from '../../shared/messages.js';
import { CHANNEL_LABELS, STAGE_LABELS, TOPIC_LABELS } from '../analytics/index.js';
import { normalizeEmail, searchKey } from '../../shared/normalize.js';
import { checkFormToken, purgeExpiredFormTokens, spendFormToken } from '../../platform/forms/form-token.js';
import { confirmationMail, signInMail } from './registry.mail.js';
import { registrations, supporterLogins } from './registry.tables.js';
import type { MyDataView, PublicRegistrationInput, UpdateMyProfileInput } from './registry.schemas.js';
import { type ConsentChoices, consentRows } from '../people/index.js';
import type { PublicContext, SelfContext } from '../../platform/request-context.js';

export const SUPPORTER_COOKIE = 'kankei_supporter';
const REGISTRATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const SIGN_IN_LINK_TTL_MS = 30 * 60 * 1000;
export const SUPPORTER_SESSION_TTL_MS = 2 * 60 * 60 * 1000;
export { DEFAULT_MIN_FILL_MS } from '../../platform/forms/form-token.js';
/**
 * At most one confirmation mail per address in this time: anyone may type someone else's address
 * into the form, and the owner of the address should not get more than a few mails an hour for it.
 */
export const CONFIRMATION_MAIL_INTERVAL_MS = 10 * 60 * 1000;
/** A supporter is mailed at most one sign-in link in this time while it is unused (mail bombing). */
export const SIGN_IN_MAIL_INTERVAL_MS = 10 * 60 * 1000;

const newToken = () => randomBytes(32).toString('base64url');

async function municipalityNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  const rows = codes.length ? await db.select().from(municipalities).where(inArray(municipalities.code, codes)) : [];
  return new Map(rows.map((m) => [m.code, m.name]));
}

/** What the registry's mailing services work with: the database, the mailer and the base of the mailed links. */
export type RegistryDeps = { db: Db; mailer: Mailer; publicUrl: string };

/**
 * Records a pending sign-up and mails the confirmation link. Answers the same whether or not the
 * email is known, so the form cannot be used to find out who is registered.
 *
 * Anyone can type in anyone's address, so an address has one pending sign-up at a time: a repeat
 * replaces its data (the link confirms the latest form sent) and mails a new link — which replaces
 * the old one — only when the last went out CONFIRMATION_MAIL_INTERVAL_MS ago or more. Sign-ups for
 * one address wait for each other on a transaction-level advisory lock (a unique index on the
 * address would not hold on Citus, where the table is distributed by person). The form token is
 * spent in the same transaction, so it serves one accepted sign-up; a refused one keeps it.
 */
export async function createRegistration(
  deps: RegistryDeps,
  ctx: PublicContext,
  input: PublicRegistrationInput,
  options: { minFillMs: number },
) {
  const { db } = deps;
  if (input.website) {
    await recordAudit(db, ctx, { action: 'registration.refused', details: { reason: 'honeypot' } });
    return;
  }
  await checkFormToken(db, input.formToken, options.minFillMs);
  const codes = [...new Set(input.municipalityCodes)];
  const names = await municipalityNames(db, codes);
  const fields: Record<string, FieldProblem> = {};
  input.municipalityCodes.forEach((c, i) => {
    if (!names.has(c)) fields[`municipalityCodes.${i}`] = { problem: 'unknown_municipality', params: { value: c } };
  });
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  // The prefecture's cap, as far as the form can tell: municipalities the address supports already
  // are counted at confirmation (saying so here would tell anyone typing an address who is registered).
  const cap = await registrationCap(db);
  if (codes.length > cap) throw capExceeded('municipalityCodes', cap, 0);

  const emailKey = normalizeEmail(input.email);
  const token = newToken();
  const { formToken: _formToken, website: _website, ...payload } = input;
  await withTransaction(db, async (uow) => {
    const { tx } = uow;
    await spendFormToken(tx, input.formToken);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`registry-signup:${emailKey}`}))`);
    const mailedRecently = sql<boolean>`coalesce(${registrations.mailedAt} > now() - make_interval(secs => ${CONFIRMATION_MAIL_INTERVAL_MS / 1000}), false)`;
    const [current, ...older] = await tx
      .select({ id: registrations.id, mailedRecently })
      .from(registrations)
      .where(and(eq(registrations.emailKey, emailKey), eq(registrations.status, 'pending')))
      .orderBy(desc(registrations.createdAt), desc(registrations.id));
    // Pending sign-ups from before one per address: the newest one stays and is replaced.
    if (older.length)
      await tx.delete(registrations).where(
        inArray(
          registrations.id,
          older.map((r) => r.id),
        ),
      );
    const mailNow = !current?.mailedRecently;
    const values = {
      payload,
      municipalityCodes: codes,
      ip: ctx.ip,
      expiresAt: new Date(Date.now() + REGISTRATION_TTL_MS),
      ...(mailNow ? { confirmTokenHash: sha256(token), mailedAt: sql`now()` } : {}),
    };
    const [row] = current
      ? await tx
          .update(registrations)
          .set(values)
          .where(eq(registrations.id, current.id))
          .returning({ id: registrations.id })
      : await tx
          .insert(registrations)
          .values({ emailKey, ...values })
          .returning({ id: registrations.id });
    await recordAudit(tx, ctx, {
      action: 'registration.create',
      entityType: 'registration',
      entityId: row!.id,
      details: { municipalities: codes, replacedPending: Boolean(current), mailed: mailNow },
    });
    if (!mailNow) return;
    // Sent after commit: the link must find its row. No text from the form goes into the mail (see confirmationMail).
    const mail = confirmationMail(input.locale, {
      link: `${deps.publicUrl}/register/confirm?token=${token}`,
      municipalities: codes.map((c) => names.get(c)!),
    });
    await deps.mailer.queue(uow, { kind: 'registry.confirmation', to: input.email, registrationId: row!.id, ...mail });
  });
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/**
 * Confirms a sign-up: the person with this email (or a new one) becomes a supporter of the chosen
 * municipalities. Existing data is never overwritten; only empty fields are filled.
 */
export async function confirmRegistration(
  db: Db,
  ctx: PublicContext,
  token: string,
): Promise<{ personId: string; municipalityCodes: string[] }> {
  return inTransaction(db, async (tx) => {
    const [reg] = await tx
      .select()
      .from(registrations)
      .where(
        and(
          eq(registrations.confirmTokenHash, sha256(token)),
          eq(registrations.status, 'pending'),
          gt(registrations.expiresAt, new Date()),
        ),
      );
    if (!reg?.payload) throw new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' });
    const input = reg.payload as unknown as Omit<PublicRegistrationInput, 'formToken' | 'website'>;
    // The person with this address, or a new one; empty fields filled, nothing overwritten (people intake).
    const { personId } = await resolveOrCreatePerson(
      tx,
      ctx,
      {
        name: input.name,
        kana: input.kana ?? null,
        email: input.email,
        prefecture: input.prefecture ?? null,
        city: input.city ?? null,
      },
      { source: 'registration', registrationId: reg.id },
    );
    // Within the cap, counting the municipalities the person supports already (the link in the
    // mail confirmed the address: the registrations' identity assurance is `email`).
    await addSupportedMunicipalities(tx, {
      personId,
      codes: reg.municipalityCodes,
      cap: await registrationCap(tx),
      identity: 'email',
    });
    const [profile] = await tx.select().from(supporterProfiles).where(eq(supporterProfiles.personId, personId));
    const next = {
      roots: union(profile?.roots ?? [], input.roots ?? []),
      rootsOther: input.rootsOther ?? profile?.rootsOther ?? null,
      interests: union(profile?.interests ?? [], input.interests ?? []),
      skills: union(profile?.skills ?? [], input.skills ?? []),
      involvement: union(profile?.involvement ?? [], input.involvement ?? []),
      hoursPerMonth: input.hoursPerMonth ?? profile?.hoursPerMonth ?? null,
      projectCapacity: input.projectCapacity ?? profile?.projectCapacity ?? 1,
      // Mails to the supporter (scouts) follow the language of their latest sign-up.
      mailLocale: input.locale ?? 'ja',
      updatedAt: new Date(),
    };
    // Skills as matching compares them (GIN-indexed for the candidate search).
    const withKeys = { ...next, skillKeys: [...new Set(next.skills.map(searchKey).filter((k) => k.length > 0))] };
    await tx
      .insert(supporterProfiles)
      .values({ personId, ...withKeys })
      .onConflictDoUpdate({ target: supporterProfiles.personId, set: withKeys });
    const rows = consentRows(personId, input.consents, reg.municipalityCodes, 'registration');
    if (rows.length) await tx.insert(consents).values(rows);
    // The pending copy of the form is no longer needed once it lives in the person's record.
    await tx
      .update(registrations)
      .set({ status: 'confirmed', personId, payload: null, confirmTokenHash: null, confirmedAt: new Date() })
      .where(eq(registrations.id, reg.id));
    await recordAudit(tx, ctx, {
      action: 'registration.confirm',
      entityType: 'registration',
      entityId: reg.id,
      personId,
      details: { municipalities: reg.municipalityCodes, consents: input.consents },
    });
    return { personId, municipalityCodes: reg.municipalityCodes };
  });
}

/** Mails a one-time sign-in link to a registered supporter; silent for unknown addresses. */
export async function requestSignIn(deps: RegistryDeps, email: string, locale: Locale): Promise<void> {
  const { db } = deps;
  const [person] = await db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(people)
    .innerJoin(registrations, and(eq(registrations.personId, people.id), eq(registrations.status, 'confirmed')))
    .where(and(eq(people.emailKey, normalizeEmail(email)), isNull(people.deletedAt)))
    .limit(1);
  if (!person?.email) return;
  const to = person.email;
  const token = newToken();
  await withTransaction(db, async (uow) => {
    const { tx } = uow;
    // One request at a time per supporter, so simultaneous requests cannot all see "no recent link".
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`supporter-sign-in:${person.id}`}))`);
    const [recent] = await tx
      .select({ id: supporterLogins.id })
      .from(supporterLogins)
      .where(
        and(
          eq(supporterLogins.personId, person.id),
          eq(supporterLogins.kind, 'link'),
          isNull(supporterLogins.usedAt),
          gt(supporterLogins.createdAt, sql`now() - make_interval(secs => ${SIGN_IN_MAIL_INTERVAL_MS / 1000})`),
        ),
      )
      .limit(1);
    // The unused link mailed a moment ago still works: anyone who knows the address must not be
    // able to fill the supporter's mailbox by asking again and again.
    if (recent) return;
    await tx.insert(supporterLogins).values({
      personId: person.id,
      kind: 'link',
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + SIGN_IN_LINK_TTL_MS),
    });
    await deps.mailer.queue(uow, {
      kind: 'registry.sign_in',
      to,
      personId: person.id,
      ...signInMail(locale, { name: person.name, link: `${deps.publicUrl}/me/sign-in?token=${token}` }),
    });
  });
}

/** Opens a supporter session for a person (after confirmation or a sign-in link); returns the cookie value. */
export async function openSupporterSession(db: Db, personId: string): Promise<string> {
  const token = newToken();
  await db.insert(supporterLogins).values({
    personId,
    kind: 'session',
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + SUPPORTER_SESSION_TTL_MS),
  });
  return token;
}

/** Uses a one-time sign-in link and opens a session. */
export async function signInWithLink(db: Db, ctx: SelfContext, token: string): Promise<string> {
  const [link] = await db
    .update(supporterLogins)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(supporterLogins.tokenHash, sha256(token)),
        eq(supporterLogins.kind, 'link'),
        isNull(supporterLogins.usedAt),
        gt(supporterLogins.expiresAt, new Date()),
      ),
    )
    .returning({ personId: supporterLogins.personId });
  if (!link) throw new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' });
  await recordAudit(db, ctx, {
    action: 'supporter.sign_in',
    entityType: 'person',
    entityId: link.personId,
    personId: link.personId,
  });
  return openSupporterSession(db, link.personId);
}

export type Supporter = { personId: string; sessionId: string };

export async function resolveSupporter(db: Db, token: string): Promise<Supporter | null> {
  const [row] = await db
    .select({ id: supporterLogins.id, personId: supporterLogins.personId })
    .from(supporterLogins)
    .where(
      and(
        eq(supporterLogins.tokenHash, sha256(token)),
        eq(supporterLogins.kind, 'session'),
        gt(supporterLogins.expiresAt, new Date()),
      ),
    );
  return row ? { personId: row.personId, sessionId: row.id } : null;
}

export async function supporterCsrfToken(db: Db, supporter: Supporter): Promise<string> {
  return hmac(await getSecret(db, 'supporter-csrf'), supporter.sessionId);
}

export async function signOutSupporter(db: Db, supporter: Supporter): Promise<void> {
  await db.delete(supporterLogins).where(eq(supporterLogins.id, supporter.sessionId));
}

async function currentConsents(db: Db, personId: string) {
  const history = await db
    .select()
    .from(consents)
    .where(eq(consents.personId, personId))
    .orderBy(desc(consents.recordedAt), desc(consents.id));
  const seen = new Set<string>();
  const present = (c: typeof consents.$inferSelect) => ({
    purpose: c.purpose as ConsentPurpose,
    municipalityCode: c.municipalityCode,
    granted: c.granted,
    recordedAt: c.recordedAt.toISOString(),
    source: c.source,
  });
  const current = history.filter((c) => {
    const key = `${c.purpose}:${c.municipalityCode ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { current: current.map(present), history: history.map(present) };
}

/** Everything Kankei holds about the person that the supporter may see. */
export async function myData(db: Db, supporter: Supporter): Promise<MyDataView> {
  const { personId } = supporter;
  const [person] = await db
    .select()
    .from(people)
    .where(and(eq(people.id, personId), isNull(people.deletedAt)));
  if (!person) throw new AppError('UNAUTHENTICATED');
  const [links, [profile], consentView, records, regs, consulting, eventData, matching, tiers, cap] = await Promise.all(
    [
      db.select().from(personLinks).where(eq(personLinks.personId, personId)),
      db.select().from(supporterProfiles).where(eq(supporterProfiles.personId, personId)),
      currentConsents(db, personId),
      db.select().from(engagements).where(eq(engagements.personId, personId)).orderBy(desc(engagements.occurredOn)),
      db
        .select()
        .from(registrations)
        .where(eq(registrations.personId, personId))
        .orderBy(desc(registrations.createdAt)),
      myConsultationData(db, personId),
      myEventData(db, personId),
      myMatchingData(db, personId),
      db
        .select()
        .from(supporterRegistrations)
        .where(eq(supporterRegistrations.personId, personId))
        .orderBy(supporterRegistrations.municipalityCode),
      registrationCap(db),
    ],
  );
  return {
    person: {
      id: person.id,
      name: person.name,
      kana: person.kana,
      email: person.email,
      phone: person.phone,
      postalCode: person.postalCode,
      prefecture: person.prefecture as MyDataView['person']['prefecture'],
      city: person.city,
      birthYear: person.birthYear,
    },
    links: links.map((l) => ({ municipalityCode: l.municipalityCode, kind: l.kind as LinkKind })),
    profile: profile
      ? {
          roots: profile.roots,
          rootsOther: profile.rootsOther,
          interests: profile.interests,
          skills: profile.skills,
          involvement: profile.involvement,
          hoursPerMonth: profile.hoursPerMonth,
          projectCapacity: profile.projectCapacity,
          mailLocale: profile.mailLocale as Locale,
        }
      : null,
    consents: consentView.current,
    consentHistory: consentView.history,
    engagements: records.map((e) => ({
      municipalityCode: e.municipalityCode,
      kind: e.kind,
      occurredOn: e.occurredOn,
      amountYen: e.amountYen,
    })),
    registrations: regs.map((r) => ({
      id: r.id,
      municipalityCodes: r.municipalityCodes,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      confirmedAt: r.confirmedAt?.toISOString() ?? null,
    })),
    supporterRegistrations: tiers.map((r) => ({
      id: r.id,
      municipalityCode: r.municipalityCode,
      tier: r.tier,
      premiumSince: r.premiumSince?.toISOString() ?? null,
      identityAssurance: r.identityAssurance,
    })),
    registrationCap: cap,
    ...consulting,
    ...eventData,
    ...matching,
    csrfToken: await supporterCsrfToken(db, supporter),
  };
}

export async function updateMyConsents(
  db: Db,
  ctx: SelfContext,
  supporter: Supporter,
  choices: Partial<ConsentChoices>,
) {
  const links = await db
    .select()
    .from(personLinks)
    .where(and(eq(personLinks.personId, supporter.personId), eq(personLinks.kind, 'supporter')));
  const rows = consentRows(
    supporter.personId,
    choices,
    links.map((l) => l.municipalityCode),
    'self_service',
  );
  if (!rows.length) return;
  await inTransaction(db, async (tx) => {
    await tx.insert(consents).values(rows);
    await recordAudit(tx, ctx, {
      action: 'consent.change',
      entityType: 'person',
      entityId: supporter.personId,
      personId: supporter.personId,
      details: { choices },
    });
  });
}

const PERSON_FIELDS = ['name', 'kana', 'phone', 'postalCode', 'prefecture', 'city'] as const;
const PROFILE_FIELDS = [
  'roots',
  'rootsOther',
  'interests',
  'skills',
  'involvement',
  'hoursPerMonth',
  'projectCapacity',
  'mailLocale',
] as const;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The supporter corrects their own record on /me (PATCH /api/me): contact and address on the
 * person (its search text and keys follow, as for staff edits), the rest on their supporter
 * profile. Audited like a staff edit: the names of the fields changed, never their values.
 */
export async function updateMyProfile(
  db: Db,
  ctx: SelfContext,
  supporter: Supporter,
  input: UpdateMyProfileInput,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const [person] = await tx
      .select()
      .from(people)
      .where(and(eq(people.id, supporter.personId), isNull(people.deletedAt)))
      .for('update');
    if (!person) throw new AppError('UNAUTHENTICATED');
    const personChanges: Partial<typeof people.$inferInsert> = {};
    for (const field of PERSON_FIELDS) {
      const value = input[field];
      if (value === undefined || (field === 'name' && value === null)) continue;
      if (!same(person[field], value)) (personChanges as Record<string, unknown>)[field] = value;
    }
    if (Object.keys(personChanges).length) {
      await tx
        .update(people)
        .set({ ...personChanges, ...derivedColumns({ ...person, ...personChanges }), updatedAt: new Date() })
        .where(eq(people.id, person.id));
    }
    const [profile] = await tx.select().from(supporterProfiles).where(eq(supporterProfiles.personId, person.id));
    const profileChanges: Record<string, unknown> = {};
    for (const field of PROFILE_FIELDS) {
      const value = input[field];
      if (value === undefined) continue;
      if (!same(profile?.[field], value)) profileChanges[field] = value;
    }
    if (Object.keys(profileChanges).length) {
      const skills = (profileChanges.skills as string[] | undefined) ?? profile?.skills ?? [];
      const values = {
        ...profileChanges,
        // Skills as matching compares them (the candidate search's GIN index).
        skillKeys: [...new Set(skills.map(searchKey).filter((k) => k.length > 0))],
        updatedAt: new Date(),
      };
      await tx
        .insert(supporterProfiles)
        .values({ personId: person.id, ...values })
        .onConflictDoUpdate({ target: supporterProfiles.personId, set: values });
    }
    const changed = [...Object.keys(personChanges), ...Object.keys(profileChanges)];
    if (!changed.length) return;
    await recordAudit(tx, ctx, {
      action: 'me.update',
      entityType: 'person',
      entityId: person.id,
      personId: person.id,
      details: { fields: changed },
    });
  });
}

/** A match's step as the supporter reads it (docs/matching.md: proposed → … → self-running, or ended). */
const MATCH_STEP_LABELS_JA: Readonly<Record<MyDataView['matches'][number]['step'], string>> = {
  proposed: '提案',
  introduced: '紹介',
  agreed: '合意',
  collaborating: '協働中',
  self_running: '自走',
  ended: '終了',
};

/**
 * The supporter's data as a download: JSON, or CSV (UTF-8 with BOM, one row per item) through the
 * shared writer, which keeps anything typed into the sign-up form from opening as a formula.
 */
export async function exportMyData(db: Db, ctx: SelfContext, supporter: Supporter, format: 'json' | 'csv') {
  const { csrfToken: _csrf, ...data } = await myData(db, supporter);
  await recordAudit(db, ctx, {
    action: 'person.export',
    entityType: 'person',
    entityId: supporter.personId,
    personId: supporter.personId,
    details: { format, by: 'self' },
  });
  if (format === 'json') return JSON.stringify({ exportedAt: new Date().toISOString(), ...data }, null, 2);
  // The CSV is read by the supporter in Excel: Japanese headings and words, Japan time, names of
  // municipalities — never the codes the JSON keeps for machines.
  const nameRows = await db.select({ code: municipalities.code, name: municipalities.name }).from(municipalities);
  const names = new Map(nameRows.map((r) => [r.code, r.name]));
  const place = (code: string | null) => (code ? (names.get(code) ?? code) : '');
  const places = (codes: readonly string[]) => codes.map(place).join('、');
  const when = (iso: string | null) => (iso ? formatTokyoDateTime(iso) : '');
  const day = (iso: string) => formatSheetDate(iso.slice(0, 10));
  const label = <K extends string>(labels: Readonly<Record<K, string>>, code: string) =>
    (labels as Record<string, string>)[code] ?? code;
  const rows: ExportCell[][] = [['区分', '項目', '内容']];
  for (const [field, value] of Object.entries(data.person))
    rows.push(['本人', fieldLabel('ja', field), typeof value === 'number' ? value : (value ?? '')]);
  for (const l of data.links) rows.push(['関係する市町村', place(l.municipalityCode), LINK_KIND_LABELS_JA[l.kind]]);
  if (data.profile) {
    // Roots and ways of involvement are chosen from lists (codes); interests and skills are the supporter's own words.
    const worded: Record<string, Readonly<Record<string, string>>> = {
      roots: ROOT_KIND_LABELS_JA,
      involvement: INVOLVEMENT_KIND_LABELS_JA,
    };
    for (const [field, value] of Object.entries(data.profile)) {
      const words = worded[field];
      const cell = Array.isArray(value) ? value.map((v) => (words ? label(words, v) : v)).join('、') : (value ?? '');
      rows.push(['プロフィール', fieldLabel('ja', field), cell]);
    }
  }
  for (const c of data.consentHistory)
    rows.push([
      '同意',
      `${label(CONSENT_PURPOSE_LABELS_JA, c.purpose)}${c.municipalityCode ? `（${place(c.municipalityCode)}）` : ''}`,
      `${c.granted ? '同意する' : '同意しない'}（${when(c.recordedAt)}）`,
    ]);
  for (const e of data.engagements)
    rows.push([
      '関わりの記録',
      `${place(e.municipalityCode)}：${label(ENGAGEMENT_KIND_LABELS_JA, e.kind)}`,
      `${day(e.occurredOn)}${e.amountYen !== null ? ` ${e.amountYen.toLocaleString('ja-JP')}円` : ''}`,
    ]);
  for (const r of data.registrations)
    rows.push([
      'サポーター登録',
      places(r.municipalityCodes),
      `${r.status === 'confirmed' ? '登録済み' : r.status === 'pending' ? '確認待ち' : r.status}（${when(r.confirmedAt ?? r.createdAt)}）`,
    ]);
  for (const c of data.consultations)
    rows.push([
      '相談',
      `${day(c.occurredOn)} ${label(CHANNEL_LABELS, c.channel)}`,
      [c.topics.map((t) => label(TOPIC_LABELS, t)).join('、'), places(c.municipalityCodes), c.notes ?? '']
        .filter(Boolean)
        .join('｜'),
    ]);
  for (const k of data.cases)
    rows.push([
      '移住までの道のり',
      day(k.openedOn),
      k.steps
        .map(
          (s) =>
            `${day(s.occurredOn)} ${label(STAGE_LABELS, s.step)}${s.municipalityCode ? `（${place(s.municipalityCode)}）` : ''}`,
        )
        .join('、'),
    ]);
  for (const r of data.eventRegistrations) {
    rows.push([
      'イベントの申し込み',
      `${when(r.event.startsAt)} ${r.event.title}`,
      [
        r.status === 'cancelled' ? `キャンセル（${when(r.cancelledAt)}）` : '申し込み済み',
        r.slot ? `${r.slot.boothName} ${when(r.slot.startsAt)}` : '',
        r.checkedInAt ? `受付 ${when(r.checkedInAt)}` : '',
      ]
        .filter(Boolean)
        .join('、'),
    ]);
  }
  for (const r of data.referrals)
    rows.push([
      '紹介',
      `${label(REFERRAL_AREA_LABELS_JA, r.area)}：${place(r.to)}`,
      `${label(REFERRAL_STATUS_LABELS_JA, r.status)}${r.outcome ? `・${label(REFERRAL_OUTCOME_LABELS_JA, r.outcome)}` : ''}（${when(r.sentAt)}）`,
    ]);
  for (const i of data.projectInterests)
    rows.push([
      '興味のあるプロジェクト',
      i.title,
      i.withdrawnAt ? `取り消し（${when(i.withdrawnAt)}）` : `興味あり（${when(i.createdAt)}）`,
    ]);
  for (const a of data.projectApplications)
    rows.push([
      'プロジェクトへの応募',
      a.title,
      `${label(APPLICATION_STATUS_LABELS_JA, a.status)}（${when(a.withdrawnAt ?? a.createdAt)}）`,
    ]);
  for (const m of data.matches)
    rows.push([
      'マッチング',
      `${m.title}（${m.organizationName}）`,
      `${label(MATCH_STEP_LABELS_JA, m.step)}（${day(m.stepOn)}）`,
    ]);
  return csvFile(rows, { encoding: 'utf8' });
}

/**
 * Deletes the registration for real: the person, their links, consents, engagements, cards and
 * mail, and pending sign-ups with the same email (erasePersonRecords). The audit trail keeps only
 * the fact and the id — not where the request came from, like the person's other own actions.
 */
export async function deleteMe(db: Db, ctx: SelfContext, supporter: Supporter): Promise<void> {
  await inTransaction(db, async (tx) => {
    const purged = await erasePersonRecords(tx, supporter.personId);
    await recordAudit(
      tx,
      { ...ctx, ip: null },
      {
        action: 'person.purge',
        entityType: 'person',
        entityId: supporter.personId,
        personId: supporter.personId,
        details: { by: 'self', purgedRecords: purged },
      },
    );
  });
}

/** Profile and consents in force, for the staff person page. */
export async function supporterProfileForStaff(db: Db, personId: string) {
  const [[profile], consentView] = await Promise.all([
    db.select().from(supporterProfiles).where(eq(supporterProfiles.personId, personId)),
    currentConsents(db, personId),
  ]);
  return {
    profile: profile
      ? {
          roots: profile.roots,
          rootsOther: profile.rootsOther,
          interests: profile.interests,
          skills: profile.skills,
          involvement: profile.involvement,
          hoursPerMonth: profile.hoursPerMonth,
          projectCapacity: profile.projectCapacity,
          mailLocale: profile.mailLocale as Locale,
        }
      : null,
    consents: consentView.current,
  };
}

/**
 * Unconfirmed sign-ups hold personal data only for their week; then they go, with their
 * confirmation mail and the origin (IP) of the sign-up in the audit trail. The spent form tokens
 * that can no longer be used go too.
 */
export async function purgeExpiredRegistrations(db: Db): Promise<number> {
  await purgeExpiredFormTokens(db);
  return inTransaction(db, async (tx) => {
    const gone = await tx
      .delete(registrations)
      .where(and(eq(registrations.status, 'pending'), lt(registrations.expiresAt, new Date())))
      .returning({ id: registrations.id });
    const ids = gone.map((r) => r.id);
    if (ids.length) {
      await tx.delete(outboundMail).where(inArray(outboundMail.registrationId, ids));
      await forgetPublicOrigins(tx, { personIds: [], registrationIds: ids });
    }
    return ids.length;
  });
}
