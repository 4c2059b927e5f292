/**
 * Scouting (docs/matching.md): a coordinator mails a message to chosen candidates of a project;
 * each candidate answers through the mail's links (興味あり / 辞退), once.
 *
 * Who can be scouted is who can be a candidate (matching.candidates.ts), checked person by person
 * when sending: alive, a supporter profile sharing one of the project's skills, a current yes to
 * the `scouting` consent and — for municipality staff — linked to their municipality; and an
 * address to mail. The check, the scout rows and the mails are one transaction: a consent withdrawn
 * before it commits sends nothing, and one refused person refuses the whole send (by index).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { sha256 } from '../../platform/auth/auth.service.js';
import { type Db, queryRows, textArray } from '../../platform/db/client.js';
import { inTransaction, withTransaction } from '../../platform/db/unit-of-work.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import type { Mailer } from '../../platform/mail/mail.service.js';
import type { PublicUrl } from '../../platform/public-url.js';
import type { PublicContext, StaffContext } from '../../platform/request-context.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { unsubscribeParts } from '../outreach/index.js';
import { people } from '../people/index.js';
import { prepareProject } from './matching.scoring.js';
import type { SendScoutsInput } from './matching.schemas.js';
import { projectInterests, projects, projectScouts } from './matching.tables.js';
import { needsOf } from './proposals.service.js';
import { projectInScope } from './projects.service.js';

export type ScoutDeps = { db: Db; mailer: Mailer; publicUrl: PublicUrl };
type ScoutAnswer = 'interested' | 'declined';

const newToken = () => randomBytes(32).toString('base64url');

/** The scout mail, in the supporter's mail language (supporter_profiles.mail_locale: that of their latest sign-up). */
export function scoutMail(
  locale: Locale,
  p: { name: string; projectTitle: string; message: string; sender: string; links: ScoutLinks },
) {
  if (locale === 'en') {
    return {
      locale,
      subject: `An invitation to the project "${p.projectTitle}"`,
      text: [
        `Dear ${p.name},`,
        '',
        `${p.sender} (a regional coordinator) invites you to the project "${p.projectTitle}":`,
        '',
        p.message,
        '',
        'The project:',
        p.links.project,
        '',
        'Interested? Open:',
        p.links.interested,
        'Not for you? Open:',
        p.links.declined,
        '',
        'You receive this because you agreed to be contacted about projects. To stop these mails, unsubscribe in one click:',
        p.links.unsubscribe,
        'Your consents are also on your page:',
        p.links.me,
      ].join('\n'),
    };
  }
  return {
    locale,
    subject: `プロジェクト「${p.projectTitle}」へのお誘い（スカウト）`,
    text: [
      `${p.name} 様`,
      '',
      `地域のコーディネーター（${p.sender}）から、プロジェクト「${p.projectTitle}」へのお誘いが届いています。`,
      '',
      p.message,
      '',
      'プロジェクトの詳細：',
      p.links.project,
      '',
      '興味あり（関心を伝える）：',
      p.links.interested,
      '辞退する：',
      p.links.declined,
      '',
      'このメールは、プロジェクトのご案内（スカウト）を受け取ることに同意いただいた方にお送りしています。今後受け取らない場合は、次のリンクから配信を停止できます：',
      p.links.unsubscribe,
      '同意の内容はマイページでも確認・変更できます：',
      p.links.me,
    ].join('\n'),
  };
}

type ScoutLinks = { project: string; interested: string; declined: string; me: string; unsubscribe: string };

/**
 * Sends one scout to each chosen person. Refused as a whole (VALIDATION, one field per index:
 * `personIds.2`) when any is not a candidate, has no address, was scouted for this project already
 * or is listed twice; a project not published answers PROJECT_CLOSED (its page would not open).
 */
export async function sendScouts(deps: ScoutDeps, ctx: StaffContext, projectId: string, input: SendScoutsInput) {
  const base = deps.publicUrl();
  return withTransaction(deps.db, async (uow) => {
    const tx = uow.tx;
    const { p } = await projectInScope(tx, ctx, projectId, true);
    if (p.status !== 'published') throw new AppError('PROJECT_CLOSED');
    const prepared = prepareProject(needsOf(p));
    const keys = [...prepared.required.keys(), ...prepared.welcome.keys()];
    const scope = scopedMunicipalities(ctx.actor);
    const rows = await queryRows<{
      id: string;
      name: string;
      email: string | null;
      mail_locale: Locale | null;
      candidate: boolean;
      scouted: boolean;
    }>(
      tx,
      sql`select pe.id, pe.name, pe.email,
            (select sp.mail_locale from supporter_profiles sp where sp.person_id = pe.id) as mail_locale,
            (exists (select 1 from supporter_profiles sp where sp.person_id = pe.id and sp.skill_keys && ${textArray(keys)})
             and coalesce((
               select c.granted from consents c
               where c.person_id = pe.id and c.purpose = 'scouting' and c.municipality_code is null
               order by c.recorded_at desc, c.id desc limit 1
             ), false)
             ${
               scope
                 ? sql`and exists (select 1 from person_links pl where pl.person_id = pe.id and pl.municipality_code = any(${textArray(scope)}))`
                 : sql``
             }) as candidate,
            exists (select 1 from project_scouts s where s.person_id = pe.id and s.project_id = ${projectId}) as scouted
          from people pe
          where pe.id = any(${sql`array[${sql.join(
            input.personIds.map((id) => sql`${id}`),
            sql`, `,
          )}]::uuid[]`}) and pe.deleted_at is null and pe.merged_into is null`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const fields: Record<string, FieldProblem> = {};
    const seen = new Set<string>();
    input.personIds.forEach((id, i) => {
      const r = byId.get(id);
      const field = `personIds.${i}`;
      if (seen.has(id)) fields[field] = { problem: 'listed_twice' } as FieldProblem;
      else if (!r?.candidate) fields[field] = { problem: 'not_a_candidate' } as FieldProblem;
      else if (r.scouted) fields[field] = { problem: 'already_scouted' } as FieldProblem;
      else if (!r.email) fields[field] = { problem: 'no_email' } as FieldProblem;
      seen.add(id);
    });
    if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });

    const sent = [];
    for (const id of input.personIds) {
      const person = byId.get(id)!;
      const token = newToken();
      const [row] = await tx
        .insert(projectScouts)
        .values({
          projectId,
          personId: id,
          municipalityCode: p.municipalityCode,
          message: input.message,
          sentBy: ctx.actor.staffId,
          sentByName: ctx.actor.name,
          replyTokenHash: sha256(token),
        })
        .returning();
      const reply = `${base}/scouts/${token}`;
      const unsubscribe = await unsubscribeParts(tx, { publicUrl: base, personId: id, purpose: 'scouting' });
      const mail = scoutMail(person.mail_locale ?? 'ja', {
        name: person.name,
        projectTitle: p.title,
        message: input.message,
        sender: ctx.actor.name,
        links: {
          project: `${base}/projects/${projectId}`,
          interested: `${reply}?answer=interested`,
          declined: `${reply}?answer=declined`,
          me: `${base}/me`,
          unsubscribe: unsubscribe.link,
        },
      });
      await deps.mailer.queue(uow, {
        kind: 'matching.scout',
        to: person.email!,
        personId: id,
        headers: unsubscribe.headers,
        ...mail,
      });
      await recordAudit(tx, ctx, {
        action: 'project_scout.create',
        entityType: 'project',
        entityId: projectId,
        personId: id,
        municipalityCode: p.municipalityCode,
      });
      sent.push(present(row!, person.name));
    }
    return { items: sent };
  });
}

const statusOf = (answer: string | null) => (answer === 'interested' || answer === 'declined' ? answer : 'sent');

function present(row: typeof projectScouts.$inferSelect, name: string) {
  return {
    id: row.id,
    projectId: row.projectId,
    person: { id: row.personId, name },
    message: row.message,
    sentBy: row.sentByName,
    sentAt: row.sentAt.toISOString(),
    status: statusOf(row.answer),
    repliedAt: row.repliedAt?.toISOString() ?? null,
  } as const;
}

/** A project's scouts with their status, newest first; each person's read is audited. */
export async function listScouts(db: Db, ctx: StaffContext, projectId: string) {
  const { p } = await projectInScope(db, ctx, projectId);
  const rows = await db
    .select({ s: projectScouts, name: people.name })
    .from(projectScouts)
    .innerJoin(people, eq(people.id, projectScouts.personId))
    .where(and(eq(projectScouts.projectId, projectId), isNull(people.deletedAt)))
    .orderBy(asc(projectScouts.sentAt), asc(projectScouts.id));
  for (const r of rows)
    await recordAudit(db, ctx, {
      action: 'project_scout.read',
      entityType: 'project',
      entityId: projectId,
      personId: r.s.personId,
      municipalityCode: p.municipalityCode,
    });
  return { items: rows.reverse().map((r) => present(r.s, r.name)) };
}

async function scoutByToken(db: Db, token: string, lock = false) {
  const query = db
    .select({ s: projectScouts, title: projects.title, status: projects.status })
    .from(projectScouts)
    .innerJoin(projects, eq(projects.id, projectScouts.projectId))
    .innerJoin(people, eq(people.id, projectScouts.personId))
    .where(and(eq(projectScouts.replyTokenHash, sha256(token)), isNull(people.deletedAt)));
  const [row] = lock ? await query.for('update', { of: projectScouts }) : await query;
  if (!row) throw new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' });
  return row;
}

function presentPublic(row: Awaited<ReturnType<typeof scoutByToken>>) {
  return {
    project: { id: row.s.projectId, title: row.title, published: row.status === 'published' },
    message: row.s.message,
    sentAt: row.s.sentAt.toISOString(),
    answer: (row.s.answer as ScoutAnswer | null) ?? null,
    repliedAt: row.s.repliedAt?.toISOString() ?? null,
  };
}

/** What the reply link shows before the person answers: the project and the message. */
export async function publicScout(db: Db, token: string) {
  return presentPublic(await scoutByToken(db, token));
}

/**
 * Records the answer, once (SCOUT_ANSWERED after that). 興味あり also records a 興味ある on the
 * project, as the one-tap button does, while the project is published.
 */
export async function replyToScout(db: Db, ctx: PublicContext, token: string, answer: ScoutAnswer) {
  return inTransaction(db, async (tx) => {
    const row = await scoutByToken(tx, token, true);
    if (row.s.answer) throw new AppError('CONFLICT', { messageKey: 'SCOUT_ANSWERED' });
    const [updated] = await tx
      .update(projectScouts)
      .set({ answer, repliedAt: sql`now()` })
      .where(eq(projectScouts.id, row.s.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'project_scout.reply',
      entityType: 'project',
      entityId: row.s.projectId,
      personId: row.s.personId,
      municipalityCode: row.s.municipalityCode,
      details: { answer },
    });
    if (answer === 'interested' && row.status === 'published') {
      await tx
        .insert(projectInterests)
        .values({ projectId: row.s.projectId, personId: row.s.personId, municipalityCode: row.s.municipalityCode })
        .onConflictDoUpdate({
          target: [projectInterests.personId, projectInterests.projectId],
          set: { withdrawnAt: null },
        });
      await recordAudit(tx, ctx, {
        action: 'project_interest.create',
        entityType: 'project',
        entityId: row.s.projectId,
        personId: row.s.personId,
        municipalityCode: row.s.municipalityCode,
      });
    }
    return presentPublic({ ...row, s: updated! });
  });
}
