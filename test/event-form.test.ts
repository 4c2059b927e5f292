/**
 * The web's event form checks a draft with the server's own event schemas and schedule rules
 * (web/src/pages/events/eventForm.ts): what the server would refuse is refused at the same field.
 */
import { describe, expect, it } from 'vitest';
import { createEventForm, type Draft, eventIssueMessage } from '../web/src/pages/events/eventForm';

const draft: Draft = {
  kind: 'fair',
  title: 'やまがた移住・交流フェア',
  description: '',
  titleEn: '',
  descriptionEn: '',
  status: 'published',
  startsAt: '2025-02-01T11:00',
  endsAt: '2025-02-01T17:00',
  venue: '',
  venueMunicipalityCode: '',
  onlineUrl: '',
  capacity: '',
  hostMunicipalityCode: '',
  booths: [
    {
      key: 'b',
      name: '山形市ブース',
      nameEn: '',
      municipalityCode: '062014',
      organizationId: '',
      slots: [{ key: 's', day: '2025-02-01', start: '11:00', end: '11:30', capacity: '2', booked: 0 }],
    },
  ],
};
const t = ((key: string) => key) as Parameters<typeof eventIssueMessage>[1];
const refusals = (d: Draft) => {
  const result = createEventForm.safeParse(d);
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [issue.path.join('.'), eventIssueMessage(issue, t)]),
  );
};

describe('event form check', () => {
  it('sends a filled draft as the create body, in Japan time', () => {
    const result = createEventForm.safeParse(draft);
    expect(result.success).toBe(true);
    expect(result.data?.startsAt).toBe('2025-02-01T11:00:00+09:00');
    expect(result.data?.booths[0]?.slots?.[0]).toEqual({
      startsAt: '2025-02-01T11:00:00+09:00',
      endsAt: '2025-02-01T11:30:00+09:00',
      capacity: 2,
    });
    // Empty English texts are sent as none; filled ones as typed.
    expect(result.data).toMatchObject({ titleEn: null, descriptionEn: null });
    const english = createEventForm.safeParse({ ...draft, titleEn: 'Yamagata Migration Fair ' });
    expect(english.data).toMatchObject({ titleEn: 'Yamagata Migration Fair', descriptionEn: null });
    expect(result.data?.booths[0]?.nameEn).toBeNull();
    const booth = createEventForm.safeParse({ ...draft, booths: [{ ...draft.booths[0]!, nameEn: ' Yamagata City ' }] });
    expect(booth.data?.booths[0]?.nameEn).toBe('Yamagata City');
  });

  it('refuses at their fields what the server refuses', () => {
    expect(
      refusals({
        ...draft,
        title: ' ',
        endsAt: '2025-02-01T10:00',
        capacity: 'many',
        booths: [{ ...draft.booths[0]!, name: '' }],
      }),
    ).toEqual({
      title: 'eventForm.titleRequired',
      capacity: 'eventForm.numberRequired',
      'booths.0.name': 'eventForm.boothNameRequired',
      endsAt: 'eventForm.endsBeforeStart',
      'booths.0.slots.0.startsAt': 'eventForm.slotOutsideEvent',
    });
    expect(refusals({ ...draft, endsAt: '2025-02-01T10:00' })).toEqual({
      endsAt: 'eventForm.endsBeforeStart',
      'booths.0.slots.0.startsAt': 'eventForm.slotOutsideEvent',
    });
    expect(refusals({ ...draft, startsAt: '' })).toEqual({ startsAt: 'eventForm.timeRequired' });
    expect(refusals({ ...draft, booths: [{ ...draft.booths[0]!, nameEn: 'x'.repeat(201) }] })).toEqual({
      'booths.0.nameEn': 'eventForm.checkValue',
    });
  });
});
