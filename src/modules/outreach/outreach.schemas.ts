/** Request and response shapes of outreach's routes (OpenAPI through fastify-type-provider-zod). */
import { z } from 'zod';
import {
  emailText,
  MunicipalityCode,
  optionalText,
  Pagination,
  requiredText,
  tokenText,
} from '../../platform/validation.js';
import { CONSENT_PURPOSES, INVOLVEMENT_KINDS, LINK_KINDS, ROOT_KINDS, STAGES } from '../../shared/domain.js';

export const OrganizationSettingsBody = z
  .object({
    organizationName: requiredText(100).describe('団体名: the From name of every mail'),
    shortName: requiredText(30).describe('略称: put in brackets before every subject (【略称】件名)'),
    senderAddress: emailText().describe('送信元アドレス: the From address of every mail'),
    replyTo: emailText().nullable().optional().describe('返信先: the Reply-To address; null for none'),
    signature: optionalText(1000, { multiline: true }).describe('署名: the lines under every mail'),
    contact: optionalText(500, { multiline: true }).describe(
      '問い合わせ先: shown on public pages such as the unsubscribe page',
    ),
  })
  .strict()
  .meta({
    example: {
      organizationName: '山形県移住・関係人口総合センター',
      shortName: '山形県移住センター',
      senderAddress: 'no-reply@yamagata-center.example',
      replyTo: 'info@yamagata-center.example',
      signature: '山形県移住・関係人口総合センター\nhttps://yamagata-center.example',
      contact: 'info@yamagata-center.example / 023-000-0000',
    },
  });
export type OrganizationSettingsInput = z.infer<typeof OrganizationSettingsBody>;

export const OrganizationSettings = z.object({
  prefectureCode: z.string().describe('The tenant: the prefecture the deployment serves'),
  organizationName: z.string(),
  shortName: z.string(),
  senderAddress: z.string(),
  replyTo: z.string().nullable(),
  signature: z.string(),
  contact: z.string(),
  isDefault: z.boolean().describe('True while the seed defaults are in force (nothing stored yet)'),
  updatedAt: z.string().nullable(),
});
export type OrganizationSettingsView = z.infer<typeof OrganizationSettings>;

export const UnsubscribeQuery = z
  .object({ token: tokenText(200).describe('The token of the mail’s unsubscribe link') })
  .strict();

/**
 * RFC 8058's one-click body: mail providers POST `List-Unsubscribe=One-Click` as a form; the
 * unsubscribe page sends the same as JSON.
 */
export const UnsubscribeBody = z
  .object({ 'List-Unsubscribe': z.literal('One-Click').describe('Always One-Click (RFC 8058)') })
  .strict()
  .meta({ example: { 'List-Unsubscribe': 'One-Click' } });

export const UnsubscribeState = z.object({
  purpose: z.enum(['scouting', 'newsletter']).describe('The consent the link is for'),
  subscribed: z.boolean().describe('Whether the consent is still given'),
});

export const UnsubscribeInfo = UnsubscribeState.extend({
  organization: z.object({ name: z.string(), contact: z.string() }),
});

const isoDate = z.iso.date();
const shortList = <T extends z.ZodType>(item: T, max = 50) => z.array(item).max(max).optional();

/** What a segment selects; every filter given must hold (lists: any of their items). */
export const SegmentFilters = z
  .object({
    municipalities: shortList(MunicipalityCode, 100).describe('Tied to any of these municipalities'),
    linkKinds: shortList(z.enum(LINK_KINDS), 4).describe(
      'With a tie of any of these kinds (to the chosen municipalities, when given)',
    ),
    stage: z.enum(STAGES).optional().describe('Relationship stage (docs/stages.md)'),
    stageOf: z
      .enum(['municipality', 'highest'])
      .optional()
      .describe(
        'municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage',
      ),
    roots: shortList(z.enum(ROOT_KINDS), 20).describe('Any of these roots (supporter profile)'),
    skills: shortList(requiredText(100), 20).describe('Any of these skills (compared as the candidate search does)'),
    involvement: shortList(z.enum(INVOLVEMENT_KINDS), 20).describe('Any of these ways of involvement'),
    consents: shortList(z.enum(CONSENT_PURPOSES), 4).describe('Every one of these consents given now'),
    certified: z.boolean().optional().describe('心のふるさと県民 (any certification) or not'),
    engagedFrom: isoDate.optional().describe('Last engagement on or after this date'),
    engagedTo: isoDate.optional().describe('Last engagement on or before this date'),
    attendedEventId: z.uuid().optional().describe('Checked in at this event'),
  })
  .strict();
export type SegmentFiltersInput = z.infer<typeof SegmentFilters>;

const exampleFilters = {
  municipalities: ['062014'],
  linkKinds: ['supporter'],
  stage: 'participation',
  consents: ['newsletter'],
};

export const SegmentBody = z
  .object({ name: requiredText(100).describe('What the segment is called'), filters: SegmentFilters })
  .strict()
  .meta({ example: { name: '山形市のサポーター（メルマガ同意）', filters: exampleFilters } });
export type SegmentInput = z.infer<typeof SegmentBody>;

export const SegmentPatch = z
  .object({ name: requiredText(100).optional(), filters: SegmentFilters.optional() })
  .strict()
  .meta({ example: { name: '山形市のサポーター' } });

export const SegmentPreviewBody = z
  .object({ filters: SegmentFilters, limit: z.number().int().min(1).max(100).default(20) })
  .strict()
  .meta({ example: { filters: exampleFilters, limit: 20 } });

export const Segment = z.object({
  id: z.uuid(),
  name: z.string(),
  filters: SegmentFilters,
  municipalityCode: z.string().nullable().describe('Owner municipality; null: prefecture-wide'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const SegmentPerson = z.object({
  id: z.uuid(),
  name: z.string(),
  kana: z.string().nullable(),
  municipalities: z.array(z.string()).describe('Codes of the municipalities the person is tied to'),
});

export const SegmentPeoplePage = z.object({
  total: z.number().int(),
  items: z.array(SegmentPerson),
});

export const SegmentPeopleQuery = z.object({ limit: Pagination.limit, offset: Pagination.offset }).strict();
