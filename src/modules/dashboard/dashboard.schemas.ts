import { z } from 'zod';

export const DashboardDay = z.object({
  today: z.string().describe("Japan's date (yyyy-mm-dd) the figures are for"),
  fiscalYear: z
    .object({ year: z.number().int(), from: z.string(), to: z.string() })
    .describe('The fiscal year (April–March, Japan time) the moves are counted in'),
  consultationsToday: z.number().int().describe('Consultations recorded for today (/api/consultations?from=&to=)'),
  eventsToday: z.number().int().describe('Events held today (/api/events?from=&to=)'),
  overdueFollowups: z.number().int().describe('Open follow-ups due before today (/api/followups?due=overdue)'),
  overdueNextActions: z
    .number()
    .int()
    .describe(
      'Consultations whose next action is not done and was due before today (/api/consultations?nextAction=overdue)',
    ),
  movesThisYear: z.number().int().describe('Cases moved in within the fiscal year (/api/cases?movedFrom=&movedTo=)'),
  newSignups: z.object({
    since: z.string(),
    days: z.number().int(),
    total: z.number().int().describe('Sign-ups confirmed since `since` with no consultation recorded since'),
    items: z.array(z.object({ personId: z.uuid(), name: z.string(), isDemo: z.boolean(), confirmedAt: z.string() })),
  }),
});
export type DashboardDayView = z.infer<typeof DashboardDay>;
