/**
 * The event form's values and their check. The form holds what people type (strings, Japan-time
 * `datetime-local` values, slots as day + from/to); a thin transform turns that into the request
 * body, which is then checked by the server's own schemas (src/shared/schemas/events.ts) and
 * schedule rules (src/shared/schedule.ts) — so the form refuses exactly what the server would,
 * with the same limits. Issues come back at the body's paths (`booths.0.slots.1.endsAt`), which
 * are also the paths of the server's field errors, and are worded here for the form.
 */
import { z } from 'zod';
import type { FieldProblemCode } from '../../../../src/shared/codes';
import { parseOffsetDateTime, scheduleProblems, type Span } from '../../../../src/shared/schedule';
import { CreateEvent, UpdateEvent } from '../../../../src/shared/schemas/events';
import type { useT } from '../../i18n';
import { fromTokyoLocalInput } from '../../vocab';

export type SlotDraft = {
  key: string;
  id?: string;
  day: string;
  start: string;
  end: string;
  capacity: string;
  booked: number;
};
export type BoothDraft = {
  key: string;
  id?: string;
  name: string;
  /** Empty: none (English pages show the Japanese name). */
  nameEn: string;
  municipalityCode: string;
  organizationId: string;
  slots: SlotDraft[];
};
export type Draft = {
  kind: string;
  title: string;
  description: string;
  titleEn: string;
  descriptionEn: string;
  status: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  /** The municipality of the prefecture the event is held in; empty: outside the prefecture or online. */
  venueMunicipalityCode: string;
  onlineUrl: string;
  capacity: string;
  hostMunicipalityCode: string;
  booths: BoothDraft[];
};

/** A number as typed; empty stays empty (`null`), anything else not a number fails as NaN. */
const numberOf = (s: string) => (s.trim() === '' ? null : /^\d+$/.test(s.trim()) ? Number(s) : Number.NaN);

/**
 * The request body the draft stands for, before the server's schema checks and normalizes it
 * (typed by that schema, so here it is plain data: a select's value is any string until checked).
 */
function bodyOf(draft: Draft): Record<string, unknown> {
  return {
    kind: draft.kind,
    title: draft.title,
    description: draft.description,
    titleEn: draft.titleEn,
    descriptionEn: draft.descriptionEn,
    startsAt: fromTokyoLocalInput(draft.startsAt) ?? '',
    endsAt: fromTokyoLocalInput(draft.endsAt) ?? '',
    venue: draft.venue,
    venueMunicipalityCode: draft.venueMunicipalityCode || null,
    onlineUrl: draft.onlineUrl.trim() || null,
    capacity: numberOf(draft.capacity),
    status: draft.status,
    hostMunicipalityCode: draft.hostMunicipalityCode || null,
    booths: draft.booths.map((b) => ({
      ...(b.id ? { id: b.id } : {}),
      name: b.name,
      nameEn: b.nameEn,
      municipalityCode: b.municipalityCode || null,
      organizationId: b.organizationId || null,
      slots: b.slots.map((s) => ({
        ...(s.id ? { id: s.id } : {}),
        startsAt: `${s.day}T${s.start}:00+09:00`,
        endsAt: `${s.day}T${s.end}:00+09:00`,
        capacity: numberOf(s.capacity) ?? Number.NaN,
      })),
    })),
  };
}

/** The server's schedule rules (an event ends after it starts, slots within it) as Zod issues. */
function checkSchedule(
  body: { startsAt?: string; endsAt?: string; booths?: { slots?: { startsAt: string; endsAt: string }[] }[] },
  ctx: z.RefinementCtx,
) {
  const span = (s: { startsAt?: string; endsAt?: string }): Span | null => {
    const startsAt = parseOffsetDateTime(s.startsAt ?? '');
    const endsAt = parseOffsetDateTime(s.endsAt ?? '');
    return startsAt && endsAt ? { startsAt, endsAt } : null;
  };
  const event = span(body);
  const booths = (Array.isArray(body.booths) ? body.booths : []).map((b) => ({
    slots: (Array.isArray(b?.slots) ? b.slots : []).map(span),
  }));
  if (!event || booths.some((b) => b.slots.some((s) => s === null))) return;
  const problems = scheduleProblems(event, booths as { slots: Span[] }[]);
  for (const [path, { problem }] of Object.entries(problems)) {
    ctx.addIssue({
      code: 'custom',
      path: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      params: { problem },
    });
  }
}

/** The form's schema: draft → body, then the server's create schema (new) or change schema (edit). */
// `when`: the schedule is also checked when other fields failed, so every problem shows at once.
const always = { when: () => true };
export const createEventForm = z.custom<Draft>().transform(bodyOf).pipe(CreateEvent.superRefine(checkSchedule, always));
export const updateEventForm = z
  .custom<Draft>()
  // The host stays what it was when the event was created.
  .transform(({ hostMunicipalityCode: _host, ...draft }) => {
    const { hostMunicipalityCode: _none, ...body } = bodyOf({ ...draft, hostMunicipalityCode: '' });
    return body as unknown;
  })
  .pipe(UpdateEvent.superRefine(checkSchedule, always));

/** The form's wording of a refused field, in the reader's language (the server words its own). */
export function eventIssueMessage(issue: { path?: PropertyKey[]; params?: unknown }, t: ReturnType<typeof useT>) {
  const problem = (issue.params as { problem?: FieldProblemCode } | undefined)?.problem;
  const field = issue.path?.[issue.path.length - 1];
  const inBooth = issue.path?.[0] === 'booths';
  if (problem === 'ends_before_start') return t('eventForm.endsBeforeStart');
  if (problem === 'slot_outside_event') return t('eventForm.slotOutsideEvent');
  if (field === 'title') return t('eventForm.titleRequired');
  if (field === 'name' && inBooth) return t('eventForm.boothNameRequired');
  if ((field === 'startsAt' || field === 'endsAt') && !inBooth) return t('eventForm.timeRequired');
  if (field === 'capacity') return t('eventForm.numberRequired');
  return t('eventForm.checkValue');
}
