/**
 * Field limits of the event and consultation APIs, for the forms' maxLength. The server keeps
 * them in its schema files (next to zod, which the UI must not bundle), so they are repeated
 * here; the annotations make the type check fail if the two ever differ.
 */
import type { CONSULTATION_LIMITS } from '../../src/modules/consultations/consultations.schemas';
import type { EVENT_LIMITS } from '../../src/modules/events/events.schemas';

export const CONSULTATION_MAX: typeof CONSULTATION_LIMITS = {
  familyNote: 1000,
  notes: 5000,
  nextAction: 500,
  referralMessage: 2000,
  outcomeNote: 2000,
  stepNote: 2000,
  followupNote: 2000,
};

export const EVENT_MAX: typeof EVENT_LIMITS = {
  title: 200,
  description: 5000,
  venue: 500,
  onlineUrl: 1000,
  boothName: 200,
  capacity: 100_000,
  slotCapacity: 1000,
  booths: 100,
  slotsPerBooth: 100,
};
