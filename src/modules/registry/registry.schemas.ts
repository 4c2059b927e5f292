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
import { Consents } from '../people/index.js';
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
    municipalityCodes: z.array(MunicipalityCode).min(1).max(10).describe('Municipalities to support (ふるさと住民票)'),
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
  ...MyConsultationData.shape,
  ...MyEventData.shape,
  ...MyMatchingData.shape,
  csrfToken: z.string(),
});
export type MyDataView = z.infer<typeof MyData>;

export const UpdateMyConsents = Consents.partial()
  .strict()
  .meta({ example: { newsletter: false } });
