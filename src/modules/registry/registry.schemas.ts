import { z } from 'zod';
import {
  CONSENT_PURPOSES,
  INVOLVEMENT_KINDS,
  LINK_KINDS,
  PERSON_LIMITS,
  PREFECTURES,
  PROFILE_LIMITS,
  ROOT_KINDS,
} from '../../shared/domain.js';
import { normalizeKana, normalizePrefecture } from '../../shared/normalize.js';
import {
  emailText,
  MunicipalityCode,
  normalizedText,
  optionalText,
  personNameText,
  requiredText,
  tokenText,
} from '../../platform/validation.js';
import { Consents, IDENTITY_ASSURANCES, SUPPORTER_TIERS } from '../people/index.js';
import { UpdatePerson } from '../../shared/schemas/people.js';
import { MyConsultationData } from '../consultations/index.js';
import { MyEventData } from '../events/index.js';
import { MyMatchingData } from '../matching/index.js';

const tagList = z.array(requiredText(50)).max(20).default([]);

export const PublicRegistration = z
  .object({
    email: emailText(),
    name: personNameText(PERSON_LIMITS.name),
    kana: normalizedText(PERSON_LIMITS.kana, normalizeKana, 'invalid_kana'),
    prefecture: normalizedText(12, normalizePrefecture, 'invalid_prefecture'),
    city: optionalText(PERSON_LIMITS.city),
    municipalityCodes: z
      .array(MunicipalityCode)
      .min(1)
      .max(50)
      .describe(
        "Municipalities to support (ふるさと住民票); at most the prefecture's registration cap (GET /api/public/registration-form)",
      ),
    roots: z.array(z.enum(ROOT_KINDS)).max(ROOT_KINDS.length).default([]),
    rootsOther: optionalText(200),
    interests: tagList,
    skills: tagList,
    involvement: z.array(z.enum(INVOLVEMENT_KINDS)).max(INVOLVEMENT_KINDS.length).default([]),
    hoursPerMonth: z
      .number()
      .int()
      .min(0)
      .max(PROFILE_LIMITS.hoursPerMonth)
      .optional()
      .describe('Hours per month they can give to projects (月に関われる時間)'),
    projectCapacity: z
      .number()
      .int()
      .min(1)
      .max(PROFILE_LIMITS.projectCapacity)
      .optional()
      .describe('Projects they can take part in at the same time (1 when not given)'),
    consents: Consents,
    locale: z.enum(['ja', 'en']).default('ja'),
    formToken: tokenText(200).describe('From GET /api/public/registration-form'),
    /** Honeypot: people never see this field; bots fill it. */
    website: z.string().max(200).optional(),
  })
  .strict()
  .meta({
    example: {
      email: 'hanako@example.jp',
      name: '山形 花子',
      kana: 'ヤマガタ ハナコ',
      prefecture: '東京都',
      municipalityCodes: ['062014'],
      roots: ['parents_birthplace'],
      interests: ['農業'],
      skills: ['デザイン'],
      involvement: ['events', 'side_job'],
      consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: true },
      formToken: '…',
    },
  });
export type PublicRegistrationInput = z.infer<typeof PublicRegistration>;

/**
 * What a supporter corrects on /me: any subset; an absent field stays as it is, null clears an
 * optional one. The email address is not here (a change must be confirmed from the new address).
 */
export const UpdateMyProfile = z
  .object({
    ...UpdatePerson.pick({ name: true, kana: true, phone: true, postalCode: true, prefecture: true, city: true }).shape,
    roots: z.array(z.enum(ROOT_KINDS)).max(ROOT_KINDS.length).optional(),
    rootsOther: optionalText(200),
    interests: z.array(requiredText(50)).max(20).optional(),
    skills: z.array(requiredText(50)).max(20).optional(),
    involvement: z.array(z.enum(INVOLVEMENT_KINDS)).max(INVOLVEMENT_KINDS.length).optional(),
    hoursPerMonth: z.number().int().min(0).max(PROFILE_LIMITS.hoursPerMonth).nullable().optional(),
    projectCapacity: z.number().int().min(1).max(PROFILE_LIMITS.projectCapacity).optional(),
    mailLocale: z.enum(['ja', 'en']).optional().describe('The language of mails to you'),
  })
  .strict()
  .meta({ example: { city: '仙台市', skills: ['デザイン', '写真'], hoursPerMonth: 8, mailLocale: 'ja' } });
export type UpdateMyProfileInput = z.infer<typeof UpdateMyProfile>;

export const TokenBody = z.object({ token: tokenText(500) }).strict();

export const ConsentState = z.object({
  purpose: z.enum(CONSENT_PURPOSES),
  municipalityCode: z.string().nullable(),
  granted: z.boolean(),
  recordedAt: z.string(),
  source: z.string(),
});

export const MyData = z.object({
  person: z.object({
    id: z.uuid(),
    name: z.string(),
    kana: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    postalCode: z.string().nullable(),
    prefecture: z.enum(PREFECTURES).nullable(),
    city: z.string().nullable(),
    birthYear: z.number().nullable(),
  }),
  links: z.array(z.object({ municipalityCode: z.string(), kind: z.enum(LINK_KINDS) })),
  profile: z
    .object({
      roots: z.array(z.string()),
      rootsOther: z.string().nullable(),
      interests: z.array(z.string()),
      skills: z.array(z.string()),
      involvement: z.array(z.string()),
      hoursPerMonth: z.number().nullable().describe('Hours per month they can give to projects'),
      projectCapacity: z.number().describe('Projects they can take part in at the same time'),
      mailLocale: z.enum(['ja', 'en']).describe('The language of mails to them: that of their latest sign-up'),
    })
    .nullable(),
  consents: z.array(ConsentState).describe('Consents in force (latest decision per purpose and municipality)'),
  consentHistory: z.array(ConsentState),
  engagements: z.array(
    z.object({
      municipalityCode: z.string(),
      kind: z.string(),
      occurredOn: z.string(),
      amountYen: z.number().nullable(),
    }),
  ),
  registrations: z.array(
    z.object({
      id: z.uuid(),
      municipalityCodes: z.array(z.string()),
      status: z.string(),
      createdAt: z.string(),
      confirmedAt: z.string().nullable(),
    }),
  ),
  supporterRegistrations: z
    .array(
      z.object({
        id: z.uuid(),
        municipalityCode: z.string(),
        tier: z.enum(SUPPORTER_TIERS),
        premiumSince: z.string().nullable(),
        identityAssurance: z.enum(IDENTITY_ASSURANCES),
      }),
    )
    .describe('The registration with each municipality supported: tier and identity assurance'),
  registrationCap: z.number().int().describe('How many municipalities one person may support'),
  ...MyConsultationData.shape,
  ...MyEventData.shape,
  ...MyMatchingData.shape,
  csrfToken: z.string(),
});
export type MyDataView = z.infer<typeof MyData>;

export const UpdateMyConsents = Consents.partial()
  .strict()
  .meta({ example: { newsletter: false } });

/** Longest privacy notice a prefecture may write (characters). */
export const PRIVACY_NOTICE_MAX = 10_000;

export const RegistrySettings = z.object({
  prefectureCode: z.string().describe('The prefecture the settings are for (the one this installation serves)'),
  registrationCap: z.number().int().describe('How many municipalities one person may be a registered supporter of'),
  privacyNoticeJa: z.string().describe('The privacy notice in Japanese (the default text when none was written)'),
  privacyNoticeEn: z.string().describe('The privacy notice in English (the default text when none was written)'),
  isDefaultPrivacyNotice: z.object({ ja: z.boolean(), en: z.boolean() }),
  updatedAt: z.string().nullable(),
});
export type RegistrySettingsView = z.infer<typeof RegistrySettings>;

export const UpdateRegistrySettings = z
  .object({
    registrationCap: z
      .number()
      .int()
      .min(1)
      .max(50)
      .describe('How many municipalities one person may be a registered supporter of (1–50; default 10)'),
    privacyNoticeJa: optionalText(PRIVACY_NOTICE_MAX, { multiline: true }).describe(
      'Japanese privacy notice; lines "## " are headings, "- " list items. Empty or null: the default text',
    ),
    privacyNoticeEn: optionalText(PRIVACY_NOTICE_MAX, { multiline: true }).describe(
      'English privacy notice, same format. Empty or null: the default text',
    ),
  })
  .strict()
  .meta({ example: { registrationCap: 10, privacyNoticeJa: null, privacyNoticeEn: null } });
export type RegistrySettingsInput = z.infer<typeof UpdateRegistrySettings>;

export const PrivacyNotice = z.object({
  locale: z.enum(['ja', 'en']),
  text: z.string().describe('Lines "## " are headings, "- " list items, the rest paragraphs'),
  registrationCap: z.number().int(),
});

export const AddMyMunicipalities = z
  .object({
    municipalityCodes: z
      .array(MunicipalityCode)
      .min(1)
      .max(50)
      .describe("Municipalities to add to the registration (the total stays within the prefecture's cap)"),
    shareWithMunicipalities: z
      .boolean()
      .describe('Share the contact with the municipalities added (登録した市町村へ連絡先を提供)'),
  })
  .strict()
  .meta({ example: { municipalityCodes: ['062031'], shareWithMunicipalities: true } });
export type AddMyMunicipalitiesInput = z.infer<typeof AddMyMunicipalities>;

export const MunicipalityCodeParams = z.object({ code: MunicipalityCode }).strict();

/** What a premium registration rests on (each writes its engagement record on approval). */
export const PREMIUM_ACTIVITIES = ['volunteering', 'side_job', 'two_region_living', 'events'] as const;
export type PremiumActivity = (typeof PREMIUM_ACTIVITIES)[number];
export const PREMIUM_STATUSES = ['submitted', 'more_requested', 'approved', 'refused'] as const;

const EvidenceFile = z.object({ id: z.uuid(), fileName: z.string(), mediaType: z.string(), sizeBytes: z.number() });

export const PremiumApplication = z.object({
  id: z.uuid(),
  registrationId: z.uuid().describe('The supporter registration (one municipality) the application is for'),
  municipalityCode: z.string(),
  activity: z.enum(PREMIUM_ACTIVITIES),
  activityDescription: z.string(),
  status: z.enum(PREMIUM_STATUSES),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  steps: z
    .array(
      z.object({
        step: z.enum(['submitted', 'answered', 'more_requested', 'approved', 'refused']),
        message: z.string().nullable().describe("The reviewer's request or reason, or the applicant's answer"),
        at: z.string(),
      }),
    )
    .describe('Dated steps, oldest first'),
  files: z.array(EvidenceFile).describe('Evidence files (their contents never leave except to reviewing staff)'),
});
export type PremiumApplicationView = z.infer<typeof PremiumApplication>;

export const PremiumQueueItem = PremiumApplication.extend({
  personId: z.uuid(),
  personName: z.string(),
  personKana: z.string().nullable(),
});
export type PremiumQueueItemView = z.infer<typeof PremiumQueueItem>;

const fileHelp = 'Evidence files: JPEG, PNG, WebP or PDF (checked by content), at most 5 files of 5 MB each';
const filePart = z.any().meta({ type: 'string', format: 'binary', description: fileHelp });

/** The multipart form of an application (the route reads the files; these are its text fields). */
export const PremiumApplicationForm = z
  .object({
    municipalityCode: MunicipalityCode.describe('A municipality the supporter is registered with'),
    activity: z.enum(PREMIUM_ACTIVITIES).describe('The activity the premium tier rests on'),
    activityDescription: requiredText(2000, { multiline: true }).describe(
      'What the supporter does there, in their words',
    ),
    evidenceFiles: z.union([filePart, z.array(filePart)]).optional(),
  })
  .strict();

export const PremiumAnswerForm = z
  .object({
    replyMessage: requiredText(2000, { multiline: true }).describe('The answer to what the municipality asked for'),
    evidenceFiles: z.union([filePart, z.array(filePart)]).optional(),
  })
  .strict();

export const ReviewPremium = z
  .object({
    decision: z.enum(['approve', 'ask_more', 'refuse']),
    reviewMessage: optionalText(2000, { multiline: true }).describe(
      'What more is needed, or why it is refused (required then); the applicant reads it',
    ),
  })
  .strict()
  .meta({ example: { decision: 'ask_more', reviewMessage: '活動の日付が分かる書類を追加してください。' } });

export const PremiumQueueQuery = z.object({ status: z.enum(PREMIUM_STATUSES).optional() }).strict();
