/**
 * Bad input on every write endpoint: malformed JSON, wrong JSON types, wrong field types, unknown
 * fields, oversize bodies, non-JSON content types, very long strings, NUL / control characters and
 * lone surrogates. Each must get a clear 4xx in the documented error shape (Japanese by default,
 * English with Accept-Language: en), the server must keep serving, and nothing may be written.
 * SQL metacharacters and emoji in free-text fields, on the other hand, are data: stored exactly.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { unsubscribeToken } from '../../src/modules/outreach/outreach.unsubscribe.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/app.js';
import { sha256 } from '../../src/platform/auth/auth.service.js';
import { ERROR_STATUS } from '../../src/platform/errors.js';
import { PERSON_LIMITS } from '../../src/shared/domain.js';
import { createTestApp, personPayload, STAFF_PASSWORD, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

// ---------------------------------------------------------------------------------------------
// The table of write endpoints
// ---------------------------------------------------------------------------------------------

/** text: any string field (free text, email, uuid, enum, code); secret: passwords; ids: a list of ids. */
type Kind = 'text' | 'secret' | 'int' | 'bool' | 'links' | 'ids';

type Ctx = {
  loginEmail: string;
  passwordSession: Session;
  tokenOwnerId: string;
  staffTargetId: string;
  organizationId: string;
  person: { id: string; email: string; phone: string };
  mergeTarget: { id: string };
  mergeSource: { id: string };
  noBody: { personId: string; tokenId: string; logoutSession: Session; supporter: Session };
  formToken: string;
  supporter: Session;
  /** A consultation (with its case, a referral and follow-ups after a move) for the consultation routes. */
  consulting: { consultationId: string; caseId: string; referralId: string; followupId: string };
  /** An event with one registration, for the event routes. */
  events: { eventId: string; registrationId: string };
  /** A published issue, a project cut from it, an application to it and a match, for the matching routes. */
  matching: { issueId: string; projectId: string; applicationId: string; matchId: string };
  /** The reply token of a scout (written directly: a scout needs a consenting candidate). */
  scoutToken: string;
  /** The person's one-click unsubscribe token (scouting). */
  unsubscribeToken: string;
  /** A saved segment, for its PATCH. */
  segmentId: string;
  /** A plan of the test's own, for the plan edit. */
  planId: string;
  /** A supporter registration (the person's, with 062014) and a reviewer of that municipality. */
  premium: { registrationId: string; reviewer: Session };
};

type Endpoint = {
  method: 'POST' | 'PATCH' | 'PUT';
  /** As the router knows it, e.g. /api/people/:id. */
  route: string;
  /** Who sends it: nobody (login, public forms), the admin, or a dedicated staff session (own password). */
  as: 'anonymous' | 'admin' | 'self';
  url(c: Ctx): string;
  /** A valid body; every bad case changes one thing in it. */
  body(c: Ctx): Record<string, unknown>;
  fields: Record<string, Kind>;
  /** Field names a client might try to smuggle in (privilege, ids, internal columns). */
  smuggled: string[];
  /** Login answers wrong-but-well-formed credentials with 401; allowed where noted. */
  loginLike?: boolean;
  /** Overrides `as` with a particular session. */
  session?(c: Ctx): Session;
  /** Takes an HTML form body too (RFC 8058's one-click unsubscribe): a wrong form is a 400 naming the fields. */
  takesForm?: boolean;
};

const PERSON_FIELDS: Record<string, Kind> = {
  name: 'text',
  kana: 'text',
  email: 'text',
  phone: 'text',
  postalCode: 'text',
  prefecture: 'text',
  city: 'text',
  birthYear: 'int',
  notes: 'text',
  links: 'links',
};

const fullPerson = (email: string, phone: string) => ({
  name: '山形 花子',
  kana: 'ヤマガタ ハナコ',
  email,
  phone,
  postalCode: '990-8570',
  prefecture: '東京都',
  city: '世田谷区',
  birthYear: 1988,
  notes: 'テスト用の架空の人物',
  links: [{ municipalityCode: '062014', kind: 'supporter' }],
});

const ENDPOINTS: Endpoint[] = [
  {
    method: 'POST',
    route: '/api/auth/login',
    as: 'anonymous',
    url: () => '/api/auth/login',
    body: (c) => ({ email: c.loginEmail, password: STAFF_PASSWORD }),
    fields: { email: 'text', password: 'secret' },
    smuggled: ['remember', 'role'],
    loginLike: true,
  },
  {
    method: 'POST',
    route: '/api/auth/password',
    as: 'self',
    url: () => '/api/auth/password',
    body: () => ({ currentPassword: STAFF_PASSWORD, newPassword: 'a-brand-new-password-1' }),
    fields: { currentPassword: 'secret', newPassword: 'secret' },
    smuggled: ['staffId', 'email'],
  },
  {
    method: 'POST',
    route: '/api/auth/tokens',
    as: 'admin',
    url: () => '/api/auth/tokens',
    body: (c) => ({ name: '集計スクリプト', staffId: c.tokenOwnerId, expiresInDays: 30 }),
    fields: { name: 'text', staffId: 'text', expiresInDays: 'int' },
    smuggled: ['token', 'createdBy', 'revokedAt'],
  },
  {
    method: 'POST',
    route: '/api/staff',
    as: 'admin',
    url: () => '/api/staff',
    body: () => ({
      email: 'new.member@test.kankei.example',
      name: '新規 職員',
      role: 'municipality_staff',
      municipalityCode: '062014',
      password: 'long-enough-password-1',
    }),
    fields: {
      email: 'text',
      name: 'text',
      role: 'text',
      municipalityCode: 'text',
      organizationId: 'text',
      password: 'secret',
    },
    smuggled: ['disabled', 'isDemo', 'passwordHash', 'id'],
  },
  {
    method: 'PATCH',
    route: '/api/staff/:id',
    as: 'admin',
    url: (c) => `/api/staff/${c.staffTargetId}`,
    body: () => ({ name: '改名 職員', disabled: false }),
    fields: { name: 'text', disabled: 'bool' },
    smuggled: ['role', 'email', 'password', 'municipalityCode', 'organizationId'],
  },
  {
    method: 'POST',
    route: '/api/organizations',
    as: 'admin',
    url: () => '/api/organizations',
    body: () => ({ name: 'テスト移住支援機構', kind: 'partner_agency', municipalityCode: '062014' }),
    fields: { name: 'text', kind: 'text', municipalityCode: 'text' },
    smuggled: ['id', 'createdAt'],
  },
  {
    method: 'POST',
    route: '/api/people',
    as: 'admin',
    url: () => '/api/people',
    body: () => {
      const p = personPayload();
      return fullPerson(p.email, p.phone);
    },
    fields: PERSON_FIELDS,
    smuggled: ['id', 'isDemo', 'createdBy', 'deletedAt', 'mergedInto', 'searchText'],
  },
  {
    method: 'PATCH',
    route: '/api/people/:id',
    as: 'admin',
    url: (c) => `/api/people/${c.person.id}`,
    body: (c) => fullPerson(c.person.email, c.person.phone),
    fields: PERSON_FIELDS,
    smuggled: ['id', 'isDemo', 'createdBy', 'deletedAt', 'mergedInto', 'searchText'],
  },
  {
    method: 'POST',
    route: '/api/people/:id/merge',
    as: 'admin',
    url: (c) => `/api/people/${c.mergeTarget.id}/merge`,
    body: (c) => ({ sourceId: c.mergeSource.id }),
    fields: { sourceId: 'text' },
    smuggled: ['targetId', 'keep'],
  },
  {
    method: 'POST',
    route: '/api/people/:id/engagements',
    as: 'admin',
    url: (c) => `/api/people/${c.person.id}/engagements`,
    body: () => ({
      municipalityCode: '062014',
      kind: 'event',
      occurredOn: '2024-06-01',
      amountYen: null,
      note: 'やまがた移住・交流フェア',
    }),
    fields: { municipalityCode: 'text', kind: 'text', occurredOn: 'text', amountYen: 'int', note: 'text' },
    smuggled: ['personId', 'source', 'externalKey', 'createdBy'],
  },
  {
    method: 'POST',
    route: '/api/public/registrations',
    as: 'anonymous',
    url: () => '/api/public/registrations',
    body: (c) => ({
      email: 'supporter.signup@example.jp',
      name: '応援 花子',
      kana: 'オウエン ハナコ',
      prefecture: '東京都',
      city: '杉並区',
      municipalityCodes: ['062014'],
      roots: ['fan'],
      rootsOther: '祭りで知った',
      interests: ['農業'],
      skills: [],
      involvement: ['events'],
      consents: { newsletter: true, shareWithMunicipalities: false, anonymousStatistics: true },
      locale: 'ja',
      formToken: c.formToken,
    }),
    fields: {
      email: 'text',
      name: 'text',
      kana: 'text',
      prefecture: 'text',
      city: 'text',
      rootsOther: 'text',
      locale: 'text',
      formToken: 'text',
    },
    smuggled: ['personId', 'status', 'isDemo'],
  },
  {
    method: 'POST',
    route: '/api/public/registrations/confirm',
    as: 'anonymous',
    url: () => '/api/public/registrations/confirm',
    body: () => ({ token: 'not-a-real-confirmation-token' }),
    fields: { token: 'text' },
    smuggled: ['personId'],
    loginLike: true,
  },
  {
    method: 'POST',
    route: '/api/public/sign-in',
    as: 'anonymous',
    url: () => '/api/public/sign-in',
    body: () => ({ email: 'nobody.registered@example.jp', locale: 'ja' }),
    fields: { email: 'text', locale: 'text' },
    smuggled: ['personId'],
  },
  {
    method: 'POST',
    route: '/api/public/session',
    as: 'anonymous',
    url: () => '/api/public/session',
    body: () => ({ token: 'not-a-real-sign-in-token' }),
    fields: { token: 'text' },
    smuggled: ['personId'],
    loginLike: true,
  },
  {
    method: 'PATCH',
    route: '/api/me/consents',
    as: 'anonymous',
    session: (c) => c.supporter,
    url: () => '/api/me/consents',
    body: () => ({ newsletter: false, anonymousStatistics: true }),
    fields: { newsletter: 'bool', shareWithMunicipalities: 'bool', anonymousStatistics: 'bool' },
    smuggled: ['personId', 'source'],
  },
  {
    method: 'PATCH',
    route: '/api/me',
    as: 'anonymous',
    session: (c) => c.supporter,
    url: () => '/api/me',
    body: () => ({ city: '仙台市', skills: ['デザイン'], hoursPerMonth: 8 }),
    fields: {
      name: 'text',
      kana: 'text',
      phone: 'text',
      postalCode: 'text',
      prefecture: 'text',
      city: 'text',
      rootsOther: 'text',
      hoursPerMonth: 'int',
      projectCapacity: 'int',
    },
    smuggled: ['email', 'personId'],
  },
  {
    method: 'PUT',
    route: '/api/settings/registry',
    as: 'admin',
    url: () => '/api/settings/registry',
    body: () => ({ registrationCap: 10, privacyNoticeJa: '## 個人情報の取扱い\n本文', privacyNoticeEn: null }),
    fields: { registrationCap: 'int', privacyNoticeJa: 'text', privacyNoticeEn: 'text' },
    smuggled: ['prefectureCode', 'updatedBy'],
  },
  {
    method: 'PUT',
    route: '/api/settings/matching',
    as: 'admin',
    url: () => '/api/settings/matching',
    body: () => ({ selfRunningMonths: 6 }),
    fields: { selfRunningMonths: 'int' },
    smuggled: ['prefectureCode', 'updatedBy'],
  },
  {
    method: 'POST',
    route: '/api/me/municipalities',
    as: 'anonymous',
    session: (c) => c.supporter,
    url: () => '/api/me/municipalities',
    body: () => ({ municipalityCodes: ['062031'], shareWithMunicipalities: true }),
    fields: { shareWithMunicipalities: 'bool' },
    smuggled: ['personId', 'tier', 'identityAssurance'],
  },
  {
    method: 'POST',
    route: '/api/registrations/:id/premium',
    as: 'admin',
    session: (c) => c.premium.reviewer,
    url: (c) => `/api/registrations/${c.premium.registrationId}/premium`,
    body: () => ({ decision: 'ask_more', reviewMessage: '活動の日付が分かる書類を追加してください。' }),
    fields: { decision: 'text', reviewMessage: 'text' },
    smuggled: ['tier', 'status', 'staffId'],
  },
  {
    method: 'POST',
    route: '/api/cards/verify',
    as: 'anonymous',
    url: () => '/api/cards/verify',
    body: () => ({ token: 'eyJhbGciOiJFZERTQSJ9.e30.not-a-real-signature' }),
    fields: { token: 'text' },
    smuggled: ['valid', 'personId'],
  },
  {
    method: 'POST',
    route: '/api/people/:id/cards',
    as: 'admin',
    url: (c) => `/api/people/${c.person.id}/cards`,
    body: () => ({ municipalityCodes: ['062014'], validDays: 365 }),
    fields: { validDays: 'int' },
    smuggled: ['personId', 'kid', 'token', 'issuedAt', 'expiresAt'],
  },
  {
    method: 'POST',
    route: '/api/cards/:id/revoke',
    as: 'admin',
    url: () => '/api/cards/00000000-0000-4000-8000-000000000000/revoke',
    body: () => ({ reason: 'lost' }),
    fields: { reason: 'text' },
    smuggled: ['revokedAt', 'replacedBy'],
  },
  {
    method: 'POST',
    route: '/api/consultations',
    as: 'admin',
    url: () => '/api/consultations',
    body: (c) => ({
      personId: c.person.id,
      channel: 'fair',
      occurredOn: '2024-06-01',
      topics: ['work'],
      municipalityCodes: ['062014'],
      desiredTiming: 'within_1_year',
      householdSize: 2,
      withChildren: false,
      familyNote: '夫婦2人',
      notes: 'リモートワーク継続を希望',
      nextAction: '物件情報を送る',
      nextActionDue: '2024-06-15',
    }),
    fields: {
      personId: 'text',
      channel: 'text',
      occurredOn: 'text',
      consultantId: 'text',
      desiredTiming: 'text',
      householdSize: 'int',
      withChildren: 'bool',
      familyNote: 'text',
      notes: 'text',
      nextAction: 'text',
      nextActionDue: 'text',
      eventId: 'text',
      boothId: 'text',
    },
    smuggled: ['id', 'caseId', 'isDemo', 'createdBy', 'residencePrefecture'],
  },
  {
    method: 'PATCH',
    route: '/api/consultations/:id',
    as: 'admin',
    url: (c) => `/api/consultations/${c.consulting.consultationId}`,
    body: () => ({
      notes: '資料を送付済み',
      nextAction: '電話で確認',
      nextActionDue: '2024-07-01',
      nextActionDone: false,
    }),
    fields: { notes: 'text', nextAction: 'text', nextActionDue: 'text', nextActionDone: 'bool' },
    smuggled: ['personId', 'caseId', 'channel', 'createdBy'],
  },
  {
    method: 'POST',
    route: '/api/cases/:id/steps',
    as: 'admin',
    url: (c) => `/api/cases/${c.consulting.caseId}/steps`,
    body: () => ({
      step: 'ended',
      occurredOn: '2024-06-10',
      municipalityCode: '062014',
      endReason: 'postponed',
      note: '来年度に再検討',
    }),
    fields: { step: 'text', occurredOn: 'text', municipalityCode: 'text', endReason: 'text', note: 'text' },
    smuggled: ['caseId', 'personId', 'createdBy'],
  },
  {
    method: 'POST',
    route: '/api/referrals',
    as: 'admin',
    url: () => '/api/referrals',
    body: (c) => ({
      personId: c.person.id,
      toMunicipalityCode: '062014',
      area: 'housing',
      message: '空き家の内覧をご案内ください',
    }),
    fields: {
      personId: 'text',
      caseId: 'text',
      consultationId: 'text',
      toOrganizationId: 'text',
      toMunicipalityCode: 'text',
      area: 'text',
      message: 'text',
    },
    smuggled: ['status', 'outcome', 'sentAt', 'createdBy'],
  },
  {
    method: 'PATCH',
    route: '/api/referrals/:id',
    as: 'admin',
    url: (c) => `/api/referrals/${c.consulting.referralId}`,
    body: () => ({ status: 'completed', outcome: 'matched', outcomeNote: '内覧を経て入居' }),
    fields: { status: 'text', outcome: 'text', outcomeNote: 'text' },
    smuggled: ['respondedAt', 'closedAt', 'toOrganizationId', 'personId'],
  },
  {
    method: 'PATCH',
    route: '/api/followups/:id',
    as: 'admin',
    url: (c) => `/api/followups/${c.consulting.followupId}`,
    body: () => ({ status: 'done', note: '電話で近況を確認' }),
    fields: { status: 'text', note: 'text' },
    smuggled: ['dueOn', 'assigneeId', 'doneBy'],
  },
  {
    method: 'PUT',
    route: '/api/settings/followups',
    as: 'admin',
    url: () => '/api/settings/followups',
    body: () => ({ prefectureCode: '06', months: [1, 6, 12] }),
    fields: { prefectureCode: 'text' },
    smuggled: ['updatedAt', 'isDefault'],
  },
  {
    method: 'PUT',
    route: '/api/settings/organization',
    as: 'admin',
    url: () => '/api/settings/organization',
    body: () => ({
      organizationName: '山形県移住・関係人口総合センター',
      shortName: '山形県移住センター',
      senderAddress: 'no-reply@yamagata-center.example',
      replyTo: 'info@yamagata-center.example',
      signature: '山形県移住・関係人口総合センター',
      contact: '023-000-0000',
    }),
    fields: {
      organizationName: 'text',
      shortName: 'text',
      senderAddress: 'text',
      replyTo: 'text',
      signature: 'text',
      contact: 'text',
    },
    smuggled: ['prefectureCode', 'updatedAt', 'updatedBy', 'isDefault'],
  },
  {
    method: 'POST',
    route: '/api/segments',
    as: 'admin',
    url: () => '/api/segments',
    body: () => ({ name: '入力検査のセグメント', filters: { municipalities: ['062014'], consents: ['newsletter'] } }),
    fields: { name: 'text' },
    smuggled: ['id', 'municipalityCode', 'prefectureCode', 'createdBy'],
  },
  {
    method: 'POST',
    route: '/api/segments/preview',
    as: 'admin',
    url: () => '/api/segments/preview',
    body: () => ({ filters: { linkKinds: ['supporter'], stage: 'exchange' }, limit: 20 }),
    fields: { limit: 'int' },
    smuggled: ['offset', 'personIds'],
  },
  {
    method: 'PATCH',
    route: '/api/segments/:id',
    as: 'admin',
    url: (c) => `/api/segments/${c.segmentId}`,
    body: () => ({ name: '入力検査のセグメント（改）', filters: { certified: true } }),
    fields: { name: 'text' },
    smuggled: ['id', 'municipalityCode', 'prefectureCode', 'createdBy'],
  },
  ...eventEndpoints(),
];

/** The write routes of events (staff and public). */
function eventEndpoints(): Endpoint[] {
  const eventBody = () => ({
    kind: 'fair',
    title: 'やまがた移住・交流フェア',
    description: '山形県内の市町村が集まる移住相談会',
    startsAt: '2027-02-06T11:00:00+09:00',
    endsAt: '2027-02-06T17:00:00+09:00',
    venue: '東京交通会館',
    onlineUrl: 'https://example.jp/live',
    capacity: 300,
    status: 'published',
  });
  const eventFields: Record<string, Kind> = {
    kind: 'text',
    title: 'text',
    description: 'text',
    startsAt: 'text',
    endsAt: 'text',
    venue: 'text',
    onlineUrl: 'text',
    capacity: 'int',
    status: 'text',
  };
  return [
    {
      method: 'POST',
      route: '/api/events',
      as: 'admin',
      url: () => '/api/events',
      body: () => ({
        ...eventBody(),
        hostMunicipalityCode: '062014',
        booths: [
          {
            name: '山形市ブース',
            municipalityCode: '062014',
            slots: [{ startsAt: '2027-02-06T11:00:00+09:00', endsAt: '2027-02-06T11:30:00+09:00', capacity: 2 }],
          },
        ],
      }),
      fields: { ...eventFields, hostMunicipalityCode: 'text' },
      smuggled: ['id', 'registeredCount', 'isDemo', 'createdBy'],
    },
    {
      method: 'PATCH',
      route: '/api/events/:id',
      as: 'admin',
      url: (c) => `/api/events/${c.events.eventId}`,
      body: () => eventBody(),
      fields: eventFields,
      smuggled: ['registeredCount', 'hostMunicipalityCode', 'isDemo', 'createdBy'],
    },
    {
      method: 'POST',
      route: '/api/events/:id/registrations',
      as: 'admin',
      url: (c) => `/api/events/${c.events.eventId}/registrations`,
      body: (c) => ({ personId: c.mergeTarget.id, slotId: null, checkIn: true, locale: 'ja' }),
      fields: { personId: 'text', slotId: 'text', checkIn: 'bool', locale: 'text' },
      smuggled: ['source', 'checkedInAt', 'municipalityCodes', 'qrTokenHash'],
    },
    {
      method: 'POST',
      route: '/api/events/:id/checkins',
      as: 'admin',
      url: (c) => `/api/events/${c.events.eventId}/checkins`,
      body: (c) => ({ registrationId: c.events.registrationId }),
      fields: { registrationId: 'text', qrToken: 'text' },
      smuggled: ['checkedInAt', 'checkedInBy', 'personId'],
    },
    {
      method: 'POST',
      route: '/api/events/:id/attendance/after-event',
      as: 'admin',
      url: (c) => `/api/events/${c.events.eventId}/attendance/after-event`,
      body: (c) => ({ registrationIds: [c.events.registrationId] }),
      fields: { registrationIds: 'ids' },
      smuggled: ['checkedInAt', 'checkinMethod', 'occurredOn'],
    },
    {
      method: 'POST',
      route: '/api/public/events/:id/registrations',
      as: 'anonymous',
      url: (c) => `/api/public/events/${c.events.eventId}/registrations`,
      body: (c) => ({
        name: '移住 花子',
        kana: 'イジュウ ハナコ',
        email: 'event.signup@example.jp',
        phone: '090-1234-5678',
        prefecture: '東京都',
        city: '世田谷区',
        municipalityCodes: ['062014'],
        slotId: null,
        consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: false },
        locale: 'ja',
        formToken: c.formToken,
      }),
      fields: {
        name: 'text',
        kana: 'text',
        email: 'text',
        phone: 'text',
        prefecture: 'text',
        city: 'text',
        slotId: 'text',
        locale: 'text',
        formToken: 'text',
      },
      smuggled: ['personId', 'status', 'source', 'qrToken'],
    },
    {
      method: 'POST',
      route: '/api/events/:id/headcounts',
      as: 'admin',
      url: (c) => `/api/events/${c.events.eventId}/headcounts`,
      body: () => ({ countedOn: '2026-11-03', count: 120, note: '受付簿による（テスト）' }),
      fields: { countedOn: 'text', count: 'int', note: 'text' },
      smuggled: ['countedBy', 'eventId', 'createdAt'],
    },
    {
      method: 'POST',
      route: '/api/kpi/plans',
      as: 'admin',
      url: () => '/api/kpi/plans',
      body: () => ({
        code: 'bad-input-plan',
        nameJa: '入力検査の計画',
        nameEn: 'Bad input plan',
        fromFiscalYear: 2025,
        toFiscalYear: 2026,
        indicators: [
          {
            code: 'relationship_created',
            labelJa: '関係人口の創出数',
            labelEn: 'Relationship population created',
            unit: 'people',
            targets: [{ fiscalYear: 2025, target: 30 }],
          },
        ],
      }),
      fields: {
        code: 'text',
        nameJa: 'text',
        nameEn: 'text',
        fromFiscalYear: 'int',
        toFiscalYear: 'int',
        municipalityCode: 'text',
        note: 'text',
      },
      smuggled: ['id', 'createdBy', 'createdAt'],
    },
    {
      method: 'PUT',
      route: '/api/kpi/plans/:id',
      as: 'admin',
      url: (c) => `/api/kpi/plans/${c.planId}`,
      body: () => ({
        nameJa: '入力検査の計画（変更）',
        nameEn: 'Bad input plan (changed)',
        fromFiscalYear: 2024,
        toFiscalYear: 2027,
        indicators: [
          {
            code: 'relationship_created',
            labelJa: '本事業により創出された関係人口',
            labelEn: 'Relationship population created by the project',
            unit: 'people',
            targets: [{ fiscalYear: 2027, target: 30 }],
          },
        ],
      }),
      fields: {
        nameJa: 'text',
        nameEn: 'text',
        fromFiscalYear: 'int',
        toFiscalYear: 'int',
        municipalityCode: 'text',
        note: 'text',
      },
      smuggled: ['id', 'code', 'createdBy', 'createdAt'],
    },
    {
      method: 'PUT',
      route: '/api/kpi/evaluations/:fiscalYear/commentary/:code',
      as: 'admin',
      url: () => '/api/kpi/evaluations/2025/commentary/relationship_created',
      body: () => ({ text: '関係人口の創出数は目標を上回った。' }),
      fields: { text: 'text' },
      smuggled: ['updatedBy', 'evaluationId', 'status'],
    },
    {
      method: 'POST',
      route: '/api/kpi/evaluations/:fiscalYear/opinions',
      as: 'admin',
      url: () => '/api/kpi/evaluations/2025/opinions',
      body: () => ({ givenOn: '2026-09-10', author: '有識者会議', indicatorCode: null, text: '概ね順調である。' }),
      fields: { givenOn: 'text', author: 'text', indicatorCode: 'text', text: 'text' },
      smuggled: ['id', 'recordedBy', 'evaluationId'],
    },
    {
      method: 'POST',
      route: '/api/kpi/evaluations/:fiscalYear/approve',
      as: 'admin',
      url: () => '/api/kpi/evaluations/2025/approve',
      body: () => ({ confirm: true }),
      fields: { confirm: 'bool' },
      smuggled: ['status', 'approvedBy', 'approvedAt', 'snapshot'],
    },
    {
      method: 'POST',
      route: '/api/kpi/evaluations/:fiscalYear/reopen',
      as: 'admin',
      url: () => '/api/kpi/evaluations/2025/reopen',
      body: () => ({ confirm: true, reason: '入力漏れを直して再集計する' }),
      fields: { confirm: 'bool', reason: 'text' },
      smuggled: ['status', 'approvedBy', 'approvedAt', 'snapshot'],
    },
    {
      method: 'POST',
      route: '/api/regional-issues',
      as: 'admin',
      url: () => '/api/regional-issues',
      body: () => ({ title: '入力検査の課題', category: 'mobility', municipalityCode: '062014', hoursPerMonth: 5 }),
      fields: {
        title: 'text',
        category: 'text',
        municipalityCode: 'text',
        lat: 'int',
        lon: 'int',
        background: 'text',
        hoursPerMonth: 'int',
        remotePercent: 'int',
        periodStart: 'text',
        periodEnd: 'text',
        contactOrganizationId: 'text',
      },
      smuggled: ['status', 'version', 'isDemo', 'createdBy'],
    },
    {
      method: 'PATCH',
      route: '/api/regional-issues/:id',
      as: 'admin',
      url: (c) => `/api/regional-issues/${c.matching.issueId}`,
      body: () => ({ hoursPerMonth: 8, background: '背景の書き直し' }),
      fields: { title: 'text', category: 'text', background: 'text', hoursPerMonth: 'int', remotePercent: 'int' },
      smuggled: ['status', 'version', 'closeReason'],
    },
    {
      method: 'POST',
      route: '/api/regional-issues/:id/status',
      as: 'admin',
      url: (c) => `/api/regional-issues/${c.matching.issueId}/status`,
      body: () => ({ status: 'matched' }),
      fields: { status: 'text', closeReason: 'text' },
      smuggled: ['version', 'updatedAt'],
    },
    {
      method: 'POST',
      route: '/api/regional-issues/:id/comments',
      as: 'admin',
      url: (c) => `/api/regional-issues/${c.matching.issueId}/comments`,
      body: () => ({ body: '確認しました' }),
      fields: { body: 'text' },
      smuggled: ['authorStaffId', 'issueId'],
    },
    {
      method: 'POST',
      route: '/api/projects',
      as: 'admin',
      url: () => '/api/projects',
      body: (c) => ({
        title: '入力検査のプロジェクト',
        kind: 'pro_bono',
        theme: 'dx',
        municipalityCode: '062014',
        organizationId: c.organizationId,
        seats: 2,
      }),
      fields: {
        title: 'text',
        summary: 'text',
        kind: 'text',
        theme: 'text',
        municipalityCode: 'text',
        issueId: 'text',
        organizationId: 'text',
        seats: 'int',
        acceptance: 'text',
        periodStart: 'text',
        periodEnd: 'text',
        hoursPerMonth: 'int',
        remotePercent: 'int',
        feeMinYen: 'int',
        feeMaxYen: 'int',
      },
      smuggled: ['status', 'filledCount', 'filled', 'isDemo'],
    },
    {
      method: 'PATCH',
      route: '/api/projects/:id',
      as: 'admin',
      url: (c) => `/api/projects/${c.matching.projectId}`,
      body: () => ({ title: '入力検査のプロジェクト（改）', seats: 3 }),
      fields: { title: 'text', summary: 'text', kind: 'text', seats: 'int', status: 'text', feeMaxYen: 'int' },
      smuggled: ['filledCount', 'organizationId', 'municipalityCode'],
    },
    {
      method: 'POST',
      route: '/api/applications/:id/decision',
      as: 'admin',
      url: (c) => `/api/applications/${c.matching.applicationId}/decision`,
      body: () => ({ decision: 'declined' }),
      fields: { decision: 'text' },
      smuggled: ['status', 'matchId'],
    },
    {
      method: 'POST',
      route: '/api/matches',
      as: 'admin',
      url: () => '/api/matches',
      body: (c) => ({ projectId: c.matching.projectId, personId: c.mergeSource.id }),
      fields: { projectId: 'text', personId: 'text', note: 'text', proposalId: 'text' },
      smuggled: ['step', 'holdsSeat', 'score'],
    },
    {
      method: 'POST',
      route: '/api/matching/proposals',
      as: 'admin',
      url: () => '/api/matching/proposals',
      body: () => ({ municipalityCode: '062014' }),
      fields: { municipalityCode: 'text' },
      smuggled: ['status', 'assignments', 'totalScore'],
    },
    {
      method: 'POST',
      route: '/api/projects/:id/scouts',
      as: 'admin',
      url: (c) => `/api/projects/${c.matching.projectId}/scouts`,
      body: (c) => ({ personIds: [c.person.id], message: 'ご関心があればぜひ。' }),
      fields: { personIds: 'ids', message: 'text' },
      smuggled: ['status', 'sentBy', 'replyTokenHash'],
    },
    {
      method: 'POST',
      route: '/api/public/scouts/:token/reply',
      as: 'anonymous',
      url: (c) => `/api/public/scouts/${c.scoutToken}/reply`,
      body: () => ({ answer: 'interested' }),
      fields: { answer: 'text' },
      smuggled: ['personId', 'repliedAt'],
    },
    {
      method: 'POST',
      route: '/api/public/unsubscribe',
      as: 'anonymous',
      url: (c) => `/api/public/unsubscribe?token=${c.unsubscribeToken}`,
      body: () => ({ 'List-Unsubscribe': 'One-Click' }),
      fields: { 'List-Unsubscribe': 'text' },
      smuggled: ['personId', 'purpose', 'granted'],
      takesForm: true,
    },
    {
      method: 'POST',
      route: '/api/matches/:id/steps',
      as: 'admin',
      url: (c) => `/api/matches/${c.matching.matchId}/steps`,
      body: () => ({ step: 'introduced', occurredOn: '2026-11-02', note: '顔合わせ' }),
      fields: { step: 'text', occurredOn: 'text', note: 'text', endReason: 'text', evidence: 'text' },
      smuggled: ['holdsSeat', 'personId', 'engagement'],
    },
    {
      method: 'POST',
      route: '/api/matches/:id/accompaniment',
      as: 'admin',
      url: (c) => `/api/matches/${c.matching.matchId}/accompaniment`,
      body: () => ({ occurredOn: '2026-11-10', kind: 'advice', note: '進め方を助言' }),
      fields: { occurredOn: 'text', kind: 'text', note: 'text', nextStep: 'text', nextDueOn: 'text' },
      smuggled: ['createdBy', 'personId'],
    },
    {
      method: 'PUT',
      route: '/api/organizations/:id/readiness',
      as: 'admin',
      url: (c) => `/api/organizations/${c.organizationId}/readiness`,
      body: () => ({ contactPerson: true }),
      fields: {
        contactPerson: 'bool',
        publishedIssueOrProject: 'bool',
        receivingPlan: 'bool',
        trainingAttended: 'bool',
        note: 'text',
        confirm: 'bool',
      },
      smuggled: ['confirmedBy', 'confirmedAt'],
    },
    {
      method: 'POST',
      route: '/api/trainings',
      as: 'admin',
      url: () => '/api/trainings',
      body: () => ({ kind: 'training', heldOn: '2026-10-20', topic: '受け入れ研修', attendees: 10 }),
      fields: { kind: 'text', heldOn: 'text', topic: 'text', municipalityCode: 'text', attendees: 'int', note: 'text' },
      smuggled: ['isDemo', 'createdBy'],
    },
    {
      method: 'POST',
      route: '/api/public/projects/:id/applications',
      as: 'anonymous',
      session: (c) => c.supporter,
      url: (c) => `/api/public/projects/${c.matching.projectId}/applications`,
      body: () => ({ answers: [], message: 'よろしくお願いします' }),
      fields: { message: 'text' },
      smuggled: ['status', 'personId'],
    },
  ];
}

/**
 * Routes that take a multipart file upload instead of JSON. Their file-level bad input (wrong
 * encoding, broken CSV, oversize, bad rows) is tested with the feature (test/integration/donations.test.ts);
 * here: they refuse JSON and garbage bodies without writing anything.
 */
const MULTIPART_ROUTES = [
  'POST /api/imports/donations',
  'POST /api/me/premium-applications',
  'POST /api/me/premium-applications/:id/answer',
];

/** Non-GET /api routes that take no body; each must still refuse junk bodies without acting. */
const NO_BODY_ROUTES = [
  'POST /api/auth/logout',
  'DELETE /api/auth/tokens/:id',
  'DELETE /api/people/:id',
  'POST /api/people/:id/purge',
  'DELETE /api/me',
  'POST /api/me/sign-out',
  'POST /api/cards/keys/rotate',
  'POST /api/events/:id/registrations/:registrationId/cancel',
  'POST /api/public/tickets/:token/cancel',
  'POST /api/admin/jobs/:id/retry',
  'POST /api/public/projects/:id/interest',
  'POST /api/me/applications/:id/withdraw',
  'POST /api/me/interests/:id/withdraw',
  'DELETE /api/segments/:id',
  'DELETE /api/me/municipalities/:code',
];

const routeKey = (e: Pick<Endpoint, 'method' | 'route'>) => `${e.method} ${e.route}`;

/** Every (method, url) the router knows, from printRoutes (includes routes hidden from OpenAPI). */
function listRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([^)]*)\))?$/u.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (m[3]) for (const method of m[3].split(',')) routes.push(`${method.trim()} ${stack.join('')}`);
  }
  return routes;
}

/** Routes whose OpenAPI operation documents a request body. */
function routesWithBodyInOpenApi(app: FastifyInstance): string[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  const out: string[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (op.requestBody) out.push(`${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bad values
// ---------------------------------------------------------------------------------------------

type WrongValue = { value: unknown; field: string; label: string };

function wrongTypes(kind: Kind, field: string): WrongValue[] {
  const simple = (values: unknown[]) =>
    values.map((value) => ({ value, field, label: `${field}=${JSON.stringify(value)}` }));
  switch (kind) {
    case 'text':
    case 'secret':
      return simple([12345, true, { value: 'x' }, ['x']]);
    case 'int':
      return simple(['1985', true, { value: 1 }, [1]]);
    case 'bool':
      return simple(['true', 1, { value: true }, [true]]);
    case 'ids':
      return [
        ...simple(['00000000-0000-4000-8000-000000000000', 12345, true, { value: 'x' }]),
        { value: [12345], field: `${field}.0`, label: `${field}=[12345]` },
      ];
    case 'links':
      return [
        ...simple(['062014', 62014, { municipalityCode: '062014', kind: 'roots' }]),
        { value: ['062014'], field: `${field}.0`, label: `${field}=["062014"]` },
        {
          value: [{ municipalityCode: 62014, kind: 'roots' }],
          field: `${field}.0.municipalityCode`,
          label: `${field}[0].municipalityCode=62014`,
        },
        {
          value: [{ municipalityCode: '062014', kind: ['roots'] }],
          field: `${field}.0.kind`,
          label: `${field}[0].kind=["roots"]`,
        },
      ];
  }
}

/** A string sample for a field: its valid value when it has one. */
function sampleString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  return typeof v === 'string' && v.length > 1 ? v : 'abc';
}

const insertAt1 = (s: string, ch: string) => `${s.slice(0, 1)}${ch}${s.slice(1)}`;

const CONTROL_VARIANTS = [
  { label: 'NUL', make: (s: string) => insertAt1(s, '\u0000') },
  { label: 'trailing NUL', make: (s: string) => `${s}\u0000` },
  { label: 'ESC (ANSI escape)', make: (s: string) => insertAt1(s, '\u001b[31m') },
  { label: 'DEL', make: (s: string) => insertAt1(s, '\u007f') },
];
/** Bytes that are not UTF-8, put into a JSON text as they are (what a broken client or a Latin-1 form sends). */
const NON_UTF8_VARIANTS = [
  { label: 'bytes FF FE', bytes: [0xff, 0xfe] },
  { label: 'a cut-off character (E3 81)', bytes: [0xe3, 0x81] },
  { label: 'an overlong slash (C0 AF)', bytes: [0xc0, 0xaf] },
  { label: 'an encoded surrogate (ED A0 80)', bytes: [0xed, 0xa0, 0x80] },
];
const BYTES_MARKER = '\u2603\u2603';

/** The body as JSON bytes with `bytes` in place of the marker inside one field's string. */
function withRawBytes(body: Record<string, unknown>, field: string, bytes: number[]): Buffer {
  const [before, after] = JSON.stringify({
    ...body,
    [field]: insertAt1(sampleString(body, field), BYTES_MARKER),
  }).split(BYTES_MARKER) as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

const SURROGATE_VARIANTS = [
  { label: 'lone high surrogate', make: (s: string) => insertAt1(s, '\uD800') },
  { label: 'lone low surrogate', make: (s: string) => `\uDC00${s}` },
  { label: 'trailing high surrogate', make: (s: string) => `${s}\uDBFF` },
];

/** Free text that must be stored as sent. */
const NASTY = [
  `'; DROP TABLE people; --`,
  `" OR 1=1 --`,
  `%_\\`,
  `🌸山形👨‍👩‍👧`,
  `Robert'); DELETE FROM staff; --`,
  `$$; select pg_sleep(10); $$`,
  `\\'; -- \\x00 \\0`,
  `<script>alert("x")</script>`,
];

/** Japanese sentences carry kana; English ones may quote a Japanese example (東京都) but never kana. */
const KANA = /[\u3040-\u30ff]/;
const LATIN_WORD = /[A-Za-z]{3}/;

// ---------------------------------------------------------------------------------------------
// Checking an error answer
// ---------------------------------------------------------------------------------------------

type Expected = {
  status: number;
  code: string;
  /** Exactly these keys in error.fields. */
  fields?: string[];
};

type ErrorBody = { error?: { code?: string; message?: string; fields?: Record<string, string>; details?: unknown } };

/** What is wrong with `res` compared with `exp` (empty when it matches). */
function problemsWith(res: LightMyRequestResponse, exp: Expected, lang: 'ja' | 'en'): string[] {
  const problems: string[] = [];
  if (res.statusCode !== exp.status) problems.push(`status ${res.statusCode}, expected ${exp.status}`);
  let body: ErrorBody | undefined;
  try {
    body = res.json() as ErrorBody;
  } catch {
    problems.push(`body is not JSON: ${res.body.slice(0, 200)}`);
    return problems;
  }
  if (!body || typeof body !== 'object' || Object.keys(body).join() !== 'error') {
    problems.push(`body is not {error}: ${res.body.slice(0, 200)}`);
    return problems;
  }
  const error = body.error ?? {};
  const extra = Object.keys(error).filter((k) => !['code', 'message', 'fields', 'details'].includes(k));
  if (extra.length) problems.push(`unexpected keys in error: ${extra.join(', ')}`);
  if (error.code !== exp.code) problems.push(`code ${error.code}, expected ${exp.code}`);
  if (!(String(error.code) in ERROR_STATUS)) problems.push(`code ${error.code} is not a documented code`);
  else if (ERROR_STATUS[error.code as keyof typeof ERROR_STATUS] !== res.statusCode) {
    problems.push(`code ${error.code} documented with another status than ${res.statusCode}`);
  }
  const inLanguage = (text: unknown, what: string) => {
    if (typeof text !== 'string' || text.length === 0) problems.push(`${what} missing`);
    else if (lang === 'ja' && !KANA.test(text)) problems.push(`${what} not Japanese: ${text}`);
    else if (lang === 'en' && (KANA.test(text) || !LATIN_WORD.test(text)))
      problems.push(`${what} not English: ${text}`);
  };
  inLanguage(error.message, 'message');
  if (exp.fields) {
    const got = Object.keys(error.fields ?? {}).sort();
    const want = [...exp.fields].sort();
    if (got.join('|') !== want.join('|'))
      problems.push(
        `fields ${JSON.stringify(got)}, expected ${JSON.stringify(want)} (${JSON.stringify(error.fields ?? {})})`,
      );
    for (const [f, m] of Object.entries(error.fields ?? {})) inLanguage(m, `fields.${f}`);
  }
  return problems;
}

const INVALID_CREDENTIALS: Expected = { status: 401, code: 'INVALID_CREDENTIALS' };

// ---------------------------------------------------------------------------------------------

describe.each(TEST_DRIVERS)('bad input on %s', (driver) => {
  let t: TestApp;
  const ctx = {} as Ctx;

  async function counts() {
    const result = (await t.database.db.execute(sql`
      select (select count(*) from people)::int as people,
             (select count(*) from person_links)::int as person_links,
             (select count(*) from supporter_registrations)::int + (select count(*) from registry_settings)::int + (select count(*) from supporter_registrations where tier = 'premium')::int as registry,
             (select count(*) from premium_applications)::int + (select count(*) from premium_application_steps)::int + (select count(*) from premium_evidence)::int as premium,
             (select count(*) from staff)::int as staff,
             (select count(*) from organizations)::int as organizations,
             (select count(*) from api_tokens)::int as api_tokens,
             (select count(*) from consultations)::int + (select count(*) from case_steps)::int + (select count(*) from referrals)::int as consulting,
             (select count(*) from events)::int + (select count(*) from event_booths)::int + (select count(*) from event_registrations)::int as events,
             (select count(*) from regional_issues)::int + (select count(*) from regional_issue_versions)::int + (select count(*) from regional_issue_comments)::int as issues,
             (select count(*) from projects)::int + (select count(*) from project_interests)::int + (select count(*) from project_applications)::int + (select count(*) from project_scouts)::int + (select count(*) from project_scouts where answer is not null)::int as projects,
             (select count(*) from matches)::int + (select count(*) from match_steps)::int + (select count(*) from match_accompaniments)::int as matches,
             (select count(*) from trainings)::int + (select count(*) from organization_readiness)::int + (select count(*) from organization_profiles)::int + (select count(*) from matching_proposals)::int as readiness,
             (select count(*) from kpi_evaluations)::int + (select count(*) from kpi_evaluation_commentary)::int + (select count(*) from kpi_committee_opinions)::int + (select count(*) from kpi_evaluations where status = 'approved')::int as evaluations,
             (select count(*) from organization_settings)::int as organization_settings,
             (select count(*) from segments)::int as segments`)) as unknown as {
      rows: Array<Record<string, number>>;
    };
    return { ...result.rows[0] };
  }

  function send(
    ep: Endpoint,
    req: { payload?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse> {
    const options: InjectOptions = {
      method: ep.method,
      url: ep.url(ctx),
      headers: req.headers ?? {},
      ...(req.payload !== undefined ? { payload: req.payload as InjectOptions['payload'] } : {}),
    };
    if (ep.session) return ep.session(ctx).request(options);
    if (ep.as === 'anonymous') return t.app.inject(options);
    return (ep.as === 'self' ? ctx.passwordSession : t.admin).request(options);
  }

  const rawJson = (payload: string, headers: Record<string, string> = {}) => ({
    payload,
    headers: { 'content-type': 'application/json', ...headers },
  });

  /**
   * Sends `req` in Japanese (default) and English; each answer must match `exp` (or one of `alternatives`).
   * Afterwards the server must still answer /api/health and no row may have been added or removed.
   */
  async function refused(
    ep: Endpoint,
    label: string,
    req: { payload?: unknown; headers?: Record<string, string> },
    exp: Expected,
    alternatives: Expected[] = [],
  ) {
    const before = await counts();
    for (const lang of ['ja', 'en'] as const) {
      const headers = { ...(req.headers ?? {}), ...(lang === 'en' ? { 'accept-language': 'en' } : {}) };
      const res = await send(ep, { payload: req.payload, headers });
      const found = [exp, ...alternatives].map((e) => problemsWith(res, e, lang));
      const best = found.reduce((a, b) => (b.length < a.length ? b : a));
      expect.soft(best, `${routeKey(ep)} ${label} [${lang}]`).toEqual([]);
    }
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect.soft(health.statusCode, `${routeKey(ep)} ${label}: server keeps serving /api/health`).toBe(200);
    expect.soft(await counts(), `${routeKey(ep)} ${label}: nothing written`).toEqual(before);
  }

  /** A field problem on `field`; login may also answer 401 for well-formed-but-wrong credentials. */
  const fieldProblem = (ep: Endpoint, field: string, { allowLogin = false } = {}): [Expected, Expected[]] => [
    { status: 400, code: 'VALIDATION', fields: [field] },
    ep.loginLike && allowLogin ? [INVALID_CREDENTIALS] : [],
  ];

  beforeAll(async () => {
    t = await createTestApp(driver);
    const admin = t.admin;
    const post = async (url: string, payload: Record<string, unknown>) => {
      const res = await admin.request({ method: 'POST', url, payload });
      if (res.statusCode !== 201) throw new Error(`setup ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };

    ctx.loginEmail = 'login.target@test.kankei.example';
    await post('/api/staff', {
      email: ctx.loginEmail,
      name: 'ログイン 対象',
      role: 'center_staff',
      password: STAFF_PASSWORD,
    });
    ctx.passwordSession = await t.staffSession('center_staff');
    ctx.tokenOwnerId = (
      await post('/api/staff', {
        email: 'token.owner@test.kankei.example',
        name: 'トークン 所有者',
        role: 'center_staff',
        password: STAFF_PASSWORD,
      })
    ).id;
    ctx.staffTargetId = (
      await post('/api/staff', {
        email: 'patch.target@test.kankei.example',
        name: '変更 対象',
        role: 'center_staff',
        password: STAFF_PASSWORD,
      })
    ).id;
    ctx.organizationId = (await post('/api/organizations', { name: '既存の機関', kind: 'intermediary' })).id;
    const p = personPayload();
    const person = await post('/api/people', fullPerson(p.email, p.phone));
    ctx.person = { id: person.id, email: person.email, phone: person.phone };
    ctx.mergeTarget = { id: (await post('/api/people', personPayload({ name: '統合先 一郎' }))).id };
    ctx.mergeSource = { id: (await post('/api/people', personPayload({ name: '統合元 二郎' }))).id };
    ctx.noBody = {
      personId: (await post('/api/people', personPayload({ name: '削除されない 三郎' }))).id,
      tokenId: (await post('/api/auth/tokens', { name: '取り消されないトークン' })).id,
      logoutSession: await t.staffSession('center_staff'),
      supporter: await t.supporterSession((await post('/api/people', personPayload({ name: '応援 四郎' }))).id),
    };
    ctx.supporter = await t.supporterSession(ctx.person.id);
    const [registration] = (
      (await t.database.db.execute(
        sql`select id from supporter_registrations where person_id = ${ctx.person.id} and municipality_code = '062014'`,
      )) as unknown as { rows: Array<{ id: string }> }
    ).rows;
    ctx.premium = { registrationId: registration!.id, reviewer: await t.staffSession('municipality_staff', '062014') };
    ctx.formToken = (
      (await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string }
    ).formToken;
    const consulted = await post('/api/consultations', {
      personId: ctx.person.id,
      channel: 'fair',
      occurredOn: '2024-05-01',
      municipalityCodes: ['062014'],
      referral: { toMunicipalityCode: '062014', area: 'housing' },
    });
    const moved = await post(`/api/cases/${consulted.case.id}/steps`, {
      step: 'moved',
      occurredOn: '2024-05-31',
      municipalityCode: '062014',
    });
    ctx.consulting = {
      consultationId: consulted.consultation.id,
      caseId: consulted.case.id,
      referralId: consulted.referral.id,
      followupId: moved.followups[0].id,
    };
    const event = await post('/api/events', {
      kind: 'fair',
      title: '入力検査用フェア',
      startsAt: '2027-02-06T11:00:00+09:00',
      endsAt: '2027-02-06T17:00:00+09:00',
    });
    const registered = await post(`/api/events/${event.id}/registrations`, { personId: ctx.person.id });
    ctx.events = { eventId: event.id, registrationId: registered.registration.id };
    const issue = await post('/api/regional-issues', {
      title: '入力検査用の課題',
      category: 'dx',
      municipalityCode: '062014',
    });
    await admin.request({
      method: 'POST',
      url: `/api/regional-issues/${issue.id}/status`,
      payload: { status: 'published' },
    });
    const project = await post('/api/projects', {
      title: '入力検査用のプロジェクト',
      kind: 'side_job',
      theme: 'dx',
      municipalityCode: '062014',
      organizationId: ctx.organizationId,
      issueId: issue.id,
      seats: 1,
    });
    const published = await admin.request({
      method: 'PATCH',
      url: `/api/projects/${project.id}`,
      payload: { status: 'published' },
    });
    if (published.statusCode !== 200) throw new Error(published.body);
    const applied = await ctx.supporter.request({
      method: 'POST',
      url: `/api/public/projects/${project.id}/applications`,
      payload: { answers: [] },
    });
    if (applied.statusCode !== 201) throw new Error(applied.body);
    const match = await post('/api/matches', { projectId: project.id, personId: ctx.mergeTarget.id });
    ctx.matching = { issueId: issue.id, projectId: project.id, applicationId: applied.json().id, matchId: match.id };
    ctx.scoutToken = 'bad-input-scout-reply-token';
    ctx.unsubscribeToken = await unsubscribeToken(t.database.db, ctx.person.id, 'scouting');
    const segment = await t.admin.request({
      method: 'POST',
      url: '/api/segments',
      payload: { name: '入力検査の保存済みセグメント', filters: {} },
    });
    ctx.segmentId = segment.json().id;
    await t.database.db.execute(sql`
      insert into project_scouts (project_id, person_id, municipality_code, message, sent_by_name, reply_token_hash)
      values (${project.id}, ${ctx.person.id}, '062014', '入力検査用のスカウト', '入力検査', ${sha256(ctx.scoutToken)})`);
    ctx.planId = (
      await post('/api/kpi/plans', {
        code: 'bad-input-edit',
        nameJa: '入力検査で変更する計画',
        nameEn: 'Plan changed by bad input',
        fromFiscalYear: 2024,
        toFiscalYear: 2027,
        indicators: [
          {
            code: 'relationship_created',
            labelJa: '本事業により創出された関係人口',
            labelEn: 'Relationship population created by the project',
            unit: 'people',
            targets: [{ fiscalYear: 2024, target: 10 }],
          },
        ],
      })
    ).id;
  });
  afterAll(() => t?.close());

  it('the bad-input table covers every non-GET /api route that takes a body, and only real routes', () => {
    const routes = listRoutes(t.app);
    expect(routes).toContain('GET /api/health');
    const writes = routes.filter((r) => !/^(GET|HEAD|OPTIONS) /.test(r) && r.split(' ')[1]!.startsWith('/api/'));
    const table = ENDPOINTS.map(routeKey);
    // A new write route must get a bad-input case here (or be listed as taking no body or a file).
    const listed = [...NO_BODY_ROUTES, ...MULTIPART_ROUTES];
    expect(writes.filter((r) => !table.includes(r) && !listed.includes(r))).toEqual([]);
    expect([...table, ...listed].filter((r) => !writes.includes(r))).toEqual([]);
    // The OpenAPI document agrees: exactly the table's routes and the uploads declare a request body.
    expect(routesWithBodyInOpenApi(t.app).sort()).toEqual([...table, ...MULTIPART_ROUTES].sort());
  });

  it('refuses JSON, malformed multipart and a missing file on the upload routes, writing nothing', async () => {
    const before = await counts();
    for (const route of MULTIPART_ROUTES) {
      const url = route.split(' ')[1]!;
      const json = await t.admin.request({ method: 'POST', url, payload: { municipalityCode: '062014' } });
      expect([400, 415], `${route} JSON`).toContain(json.statusCode);
      expect(json.json().error.code).toBeTruthy();
      const broken = await t.admin.request({
        method: 'POST',
        url,
        payload: '--xyz\r\nContent-Disposition: form-data; name="municipalityCode"\r\n\r\n062014\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      });
      expect(broken.statusCode, `${route} broken multipart`).toBeGreaterThanOrEqual(400);
      expect(broken.statusCode, `${route} broken multipart`).toBeLessThan(500);
      expect(broken.json().error.code).toBeTruthy();
      const noFile = await t.admin.request({
        method: 'POST',
        url,
        payload: '--xyz\r\nContent-Disposition: form-data; name="municipalityCode"\r\n\r\n062014\r\n--xyz--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      });
      expect(noFile.statusCode, `${route} without a file`).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    }
    expect(await counts()).toEqual(before);
  });

  describe('refused input writes nothing', () => {
    let snapshot: {
      counts: Record<string, number>;
      person: unknown;
      mergeTarget: unknown;
      mergeSource: unknown;
      staffTarget: unknown;
      tokens: unknown;
    };

    const readState = async () => {
      const get = async (url: string) => {
        const res = await t.admin.request({ method: 'GET', url });
        return { status: res.statusCode, body: res.json() };
      };
      const staffList = (await get('/api/staff')).body.items as Array<{ id: string }>;
      return {
        counts: await counts(),
        person: await get(`/api/people/${ctx.person.id}`),
        mergeTarget: await get(`/api/people/${ctx.mergeTarget.id}`),
        mergeSource: await get(`/api/people/${ctx.mergeSource.id}`),
        staffTarget: staffList.find((s) => s.id === ctx.staffTargetId),
        tokens: (await get('/api/auth/tokens')).body,
      };
    };

    beforeAll(async () => {
      snapshot = await readState();
    });

    describe.each(ENDPOINTS.map((e) => [routeKey(e), e] as const))('%s', (_name, ep) => {
      it('refuses malformed JSON with 400 INVALID_JSON', async () => {
        const variants = [
          '{"name": ',
          '{name: "x"}',
          "{'name': 'x'}",
          '{"name": "x",}',
          '{"a": 1} trailing',
          'NaN',
          '',
          '\u0000',
        ];
        for (const raw of variants) {
          await refused(ep, `malformed JSON ${JSON.stringify(raw)}`, rawJson(raw), {
            status: 400,
            code: 'INVALID_JSON',
          });
        }
        const good = JSON.stringify(ep.body(ctx));
        await refused(ep, 'truncated valid body', rawJson(good.slice(0, -1)), { status: 400, code: 'INVALID_JSON' });
      });

      it('refuses a body that is not a JSON object (array, string, number, null, boolean, none) with 400 naming the body', async () => {
        const variants = ['[]', JSON.stringify([ep.body(ctx)]), '"text"', '42', 'null', 'true'];
        for (const raw of variants) {
          await refused(ep, `body ${raw.slice(0, 20)}`, rawJson(raw), {
            status: 400,
            code: 'VALIDATION',
            fields: ['(body)'],
          });
        }
        await refused(ep, 'no body at all', {}, { status: 400, code: 'VALIDATION', fields: ['(body)'] });
      });

      it('refuses each field given the wrong type with 400 naming exactly that field', async () => {
        for (const [field, kind] of Object.entries(ep.fields)) {
          for (const wrong of wrongTypes(kind, field)) {
            const payload = { ...ep.body(ctx), [field]: wrong.value };
            await refused(
              ep,
              `wrong type ${wrong.label}`,
              { payload },
              { status: 400, code: 'VALIDATION', fields: [wrong.field] },
            );
          }
        }
      });

      it('refuses unknown fields (also privileged or internal ones) with 400 naming the unknown field', async () => {
        for (const extra of ['hacker', ...ep.smuggled]) {
          const payload = { ...ep.body(ctx), [extra]: extra === 'role' ? 'prefecture_admin' : true };
          await refused(
            ep,
            `unknown field ${extra}`,
            { payload },
            { status: 400, code: 'VALIDATION', fields: [extra] },
          );
        }
        if (ep.fields.links === 'links') {
          const payload = { ...ep.body(ctx), links: [{ municipalityCode: '062014', kind: 'roots', extra: 1 }] };
          await refused(
            ep,
            'unknown field inside links',
            { payload },
            { status: 400, code: 'VALIDATION', fields: ['links.0.extra'] },
          );
        }
      });

      it(`refuses a body over BODY_LIMIT_BYTES (${BODY_LIMIT_BYTES}) with 413 PAYLOAD_TOO_LARGE; one just under reaches validation`, async () => {
        // Endpoints without a text field (only flags) are padded with an unknown field instead.
        const field =
          Object.keys(ep.fields).find((f) => ep.fields[f] === 'text' || ep.fields[f] === 'secret') ?? 'zzPadding';
        const over = JSON.stringify({ ...ep.body(ctx), [field]: 'a'.repeat(BODY_LIMIT_BYTES) });
        expect(Buffer.byteLength(over)).toBeGreaterThan(BODY_LIMIT_BYTES);
        await refused(ep, 'oversize body', rawJson(over), { status: 413, code: 'PAYLOAD_TOO_LARGE' });
        const padding = { ...ep.body(ctx), zzPadding: 'a'.repeat(BODY_LIMIT_BYTES * 4) };
        await refused(ep, 'oversize body (4x, unknown field)', rawJson(JSON.stringify(padding)), {
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
        });
        const under = JSON.stringify({ ...ep.body(ctx), [field]: 'a'.repeat(BODY_LIMIT_BYTES - 2048) });
        expect(Buffer.byteLength(under)).toBeLessThan(BODY_LIMIT_BYTES);
        await refused(ep, 'body just under the limit', rawJson(under), ...fieldProblem(ep, field));
      });

      it('refuses non-JSON content types with 415 UNSUPPORTED_MEDIA_TYPE (text/plain: a clear 4xx)', async () => {
        const json = JSON.stringify(ep.body(ctx));
        const types = [
          ['application/x-www-form-urlencoded', 'name=x&kind=center'],
          ['application/xml', '<person><name>x</name></person>'],
          [
            'multipart/form-data; boundary=xyz',
            '--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--xyz--',
          ],
          ['application/octet-stream', json],
          ['image/png', json],
        ] as const;
        for (const [type, payload] of types) {
          const expected: Expected =
            ep.takesForm && type === 'application/x-www-form-urlencoded'
              ? { status: 400, code: 'VALIDATION', fields: ['List-Unsubscribe', 'name', 'kind'] }
              : { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' };
          await refused(ep, `content-type ${type}`, { payload, headers: { 'content-type': type } }, expected);
        }
        // Fastify parses text/plain into a string by default; every body schema wants an object.
        await refused(
          ep,
          'content-type text/plain',
          { payload: json, headers: { 'content-type': 'text/plain' } },
          { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
          [{ status: 400, code: 'VALIDATION', fields: ['(body)'] }],
        );
      });

      it('refuses every text field 10,001 characters long with 400 naming the field', async () => {
        for (const [field, kind] of Object.entries(ep.fields)) {
          if (kind !== 'text' && kind !== 'secret') continue;
          for (const ch of ['あ', 'a', '🌸']) {
            const payload = { ...ep.body(ctx), [field]: ch.repeat(10_001) };
            await refused(ep, `${field} = ${ch} x 10,001`, { payload }, ...fieldProblem(ep, field));
          }
        }
      });

      it('refuses NUL and other control characters in every text field with 400 naming the field', async () => {
        for (const [field, kind] of Object.entries(ep.fields)) {
          if (kind !== 'text') continue; // passwords: see the dedicated test below
          for (const variant of CONTROL_VARIANTS) {
            const payload = { ...ep.body(ctx), [field]: variant.make(sampleString(ep.body(ctx), field)) };
            // NUL must never reach the database; other controls may be answered like wrong credentials at login.
            const allowLogin = !variant.label.includes('NUL');
            await refused(ep, `${variant.label} in ${field}`, { payload }, ...fieldProblem(ep, field, { allowLogin }));
          }
        }
      });

      it('refuses lone surrogates (broken UTF-16) in every text field with 400 naming the field', async () => {
        for (const [field, kind] of Object.entries(ep.fields)) {
          if (kind !== 'text') continue;
          for (const variant of SURROGATE_VARIANTS) {
            const payload = { ...ep.body(ctx), [field]: variant.make(sampleString(ep.body(ctx), field)) };
            await refused(
              ep,
              `${variant.label} in ${field}`,
              { payload },
              ...fieldProblem(ep, field, { allowLogin: true }),
            );
          }
        }
      });

      it('refuses bytes that are not UTF-8 in every text field with 400 INVALID_ENCODING (not stored as replacement characters)', async () => {
        for (const [field, kind] of Object.entries(ep.fields)) {
          if (kind !== 'text' && kind !== 'secret') continue;
          for (const variant of NON_UTF8_VARIANTS) {
            const payload = withRawBytes(ep.body(ctx), field, variant.bytes);
            await refused(
              ep,
              `${variant.label} in ${field}`,
              { payload, headers: { 'content-type': 'application/json' } },
              { status: 400, code: 'INVALID_ENCODING' },
            );
          }
        }
      });

      it('refuses prototype-pollution keys with 400 INVALID_JSON and survives deeply nested JSON', async () => {
        const good = JSON.stringify(ep.body(ctx)).slice(1, -1);
        await refused(ep, '__proto__ key', rawJson(`{"__proto__": {"role": "prefecture_admin"}, ${good}}`), {
          status: 400,
          code: 'INVALID_JSON',
        });
        await refused(
          ep,
          'constructor.prototype key',
          rawJson(`{"constructor": {"prototype": {"isAdmin": true}}, ${good}}`),
          {
            status: 400,
            code: 'INVALID_JSON',
          },
        );
        const depth = 50_000;
        await refused(ep, `array nested ${depth} deep`, rawJson('['.repeat(depth) + ']'.repeat(depth)), {
          status: 400,
          code: 'VALIDATION',
          fields: ['(body)'],
        });
        const field = Object.keys(ep.fields)[0]!;
        const objectDepth = 20_000; // 6 bytes a level: stays under the body limit
        const nested = `{${good}, ${JSON.stringify(field)}: ${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}}`;
        expect(Buffer.byteLength(nested)).toBeLessThan(BODY_LIMIT_BYTES);
        await refused(ep, `${field} nested ${objectDepth} deep`, rawJson(nested), {
          status: 400,
          code: 'VALIDATION',
          fields: [field],
        });
      });
    });

    it('reports a field of the wrong type as a wrong type, not as a missing field', async () => {
      const offenders: string[] = [];
      for (const ep of ENDPOINTS) {
        const cases: Array<{
          label: string;
          req: { payload?: unknown; headers?: Record<string, string> };
          field: string;
        }> = [{ label: 'body []', req: rawJson('[]'), field: '(body)' }];
        for (const [field, kind] of Object.entries(ep.fields)) {
          const wrong = wrongTypes(kind, field)[0]!;
          cases.push({
            label: wrong.label,
            req: { payload: { ...ep.body(ctx), [field]: wrong.value } },
            field: wrong.field,
          });
        }
        for (const c of cases) {
          const res = await send(ep, { ...c.req, headers: { ...(c.req.headers ?? {}), 'accept-language': 'en' } });
          const message = (res.json() as ErrorBody).error?.fields?.[c.field] ?? '(no message)';
          // "Enter the …" is the message for a field that was left out.
          if (res.statusCode !== 400 || /^Enter the /.test(message))
            offenders.push(`${routeKey(ep)} ${c.label}: ${res.statusCode} "${message}"`);
        }
      }
      const fraction = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        headers: { 'accept-language': 'en' },
        payload: { ...personPayload(), birthYear: 1985.5 },
      });
      const message = (fraction.json() as ErrorBody).error?.fields?.birthYear ?? '(no message)';
      if (!/whole number/.test(message))
        offenders.push(`POST /api/people birthYear=1985.5: "${message}" (expected the not_integer message)`);
      expect(offenders).toEqual([]);
    });

    it('refuses birthYear 1899, 3000, 1985.5, "1985", -1, 1e400 and true with 400 naming birthYear (create and change)', async () => {
      const create = ENDPOINTS.find((e) => routeKey(e) === 'POST /api/people')!;
      const change = ENDPOINTS.find((e) => routeKey(e) === 'PATCH /api/people/:id')!;
      for (const ep of [create, change]) {
        for (const value of [1899, 3000, new Date().getFullYear() + 1, 1985.5, '1985', -1, 0, true, '']) {
          await refused(
            ep,
            `birthYear=${JSON.stringify(value)}`,
            { payload: { ...ep.body(ctx), birthYear: value } },
            ...fieldProblem(ep, 'birthYear'),
          );
        }
        const raw = JSON.stringify(ep.body(ctx)).replace('"birthYear":1988', '"birthYear":1e400');
        expect(raw).toContain('1e400');
        await refused(ep, 'birthYear=1e400 (Infinity)', rawJson(raw), ...fieldProblem(ep, 'birthYear'));
      }
    });

    it('refuses expiresInDays 0, 3651, 1.5, "30" and -1 with 400 naming expiresInDays', async () => {
      const tokens = ENDPOINTS.find((e) => routeKey(e) === 'POST /api/auth/tokens')!;
      for (const value of [0, 3651, 1.5, '30', -1, 1e12]) {
        await refused(
          tokens,
          `expiresInDays=${JSON.stringify(value)}`,
          { payload: { ...tokens.body(ctx), expiresInDays: value } },
          ...fieldProblem(tokens, 'expiresInDays'),
        );
      }
    });

    it('refuses junk bodies on the routes that take none (logout, token revoke, person delete and purge, cancellations, job retry) without acting', async () => {
      const targets = [
        { route: 'POST /api/auth/logout', session: ctx.noBody.logoutSession, url: '/api/auth/logout' },
        { route: 'DELETE /api/auth/tokens/:id', session: t.admin, url: `/api/auth/tokens/${ctx.noBody.tokenId}` },
        { route: 'DELETE /api/people/:id', session: t.admin, url: `/api/people/${ctx.noBody.personId}` },
        { route: 'POST /api/people/:id/purge', session: t.admin, url: `/api/people/${ctx.noBody.personId}/purge` },
        { route: 'DELETE /api/me', session: ctx.noBody.supporter, url: '/api/me' },
        { route: 'POST /api/me/sign-out', session: ctx.noBody.supporter, url: '/api/me/sign-out' },
        { route: 'POST /api/cards/keys/rotate', session: t.admin, url: '/api/cards/keys/rotate' },
        {
          route: 'POST /api/events/:id/registrations/:registrationId/cancel',
          session: t.admin,
          url: `/api/events/${ctx.events.eventId}/registrations/${ctx.events.registrationId}/cancel`,
        },
        {
          route: 'POST /api/public/tickets/:token/cancel',
          session: t.admin,
          url: '/api/public/tickets/bad-input-ticket-token/cancel',
        },
        {
          route: 'POST /api/admin/jobs/:id/retry',
          session: t.admin,
          url: '/api/admin/jobs/00000000-0000-4000-8000-000000000000/retry',
        },
        {
          route: 'POST /api/public/projects/:id/interest',
          session: ctx.noBody.supporter,
          url: `/api/public/projects/${ctx.matching.projectId}/interest`,
        },
        {
          route: 'POST /api/me/applications/:id/withdraw',
          session: ctx.supporter,
          url: `/api/me/applications/${ctx.matching.applicationId}/withdraw`,
        },
        {
          route: 'POST /api/me/interests/:id/withdraw',
          session: ctx.supporter,
          url: `/api/me/interests/${ctx.matching.projectId}/withdraw`,
        },
        { route: 'DELETE /api/me/municipalities/:code', session: ctx.supporter, url: '/api/me/municipalities/062014' },
        { route: 'DELETE /api/segments/:id', session: t.admin, url: `/api/segments/${ctx.segmentId}` },
      ];
      expect(targets.map((x) => x.route).sort()).toEqual([...NO_BODY_ROUTES].sort());
      for (const target of targets) {
        const [method, route] = target.route.split(' ') as ['POST' | 'DELETE', string];
        const ep: Endpoint = {
          method: method as 'POST',
          route,
          as: 'admin',
          url: () => target.url,
          body: () => ({}),
          fields: {},
          smuggled: [],
        };
        const sendAs = (req: { payload?: unknown; headers?: Record<string, string> }) =>
          target.session.request({
            method,
            url: target.url,
            headers: req.headers ?? {},
            payload: req.payload as string,
          });
        for (const lang of ['ja', 'en'] as const) {
          const langHeader: Record<string, string> = lang === 'en' ? { 'accept-language': 'en' } : {};
          const cases: Array<[string, { payload?: unknown; headers?: Record<string, string> }, Expected]> = [
            ['malformed JSON', rawJson('{"confirm": ', langHeader), { status: 400, code: 'INVALID_JSON' }],
            [
              'oversize body',
              rawJson(JSON.stringify({ x: 'a'.repeat(BODY_LIMIT_BYTES) }), langHeader),
              { status: 413, code: 'PAYLOAD_TOO_LARGE' },
            ],
            [
              'xml body',
              { payload: '<x/>', headers: { 'content-type': 'application/xml', ...langHeader } },
              { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
            ],
          ];
          for (const [label, req, exp] of cases) {
            const before = await counts();
            const res = await sendAs(req);
            expect.soft(problemsWith(res, exp, lang), `${routeKey(ep)} ${label} [${lang}]`).toEqual([]);
            expect.soft(await counts(), `${routeKey(ep)} ${label}: nothing written`).toEqual(before);
          }
        }
      }
      // Nothing happened: the session is alive, the token unrevoked, the person still there.
      expect((await ctx.noBody.logoutSession.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(
        200,
      );
      const tokens = (await t.admin.request({ method: 'GET', url: '/api/auth/tokens' })).json() as {
        items: Array<{ id: string; revokedAt: string | null }>;
      };
      expect(tokens.items.find((x) => x.id === ctx.noBody.tokenId)?.revokedAt).toBeNull();
      expect((await t.admin.request({ method: 'GET', url: `/api/people/${ctx.noBody.personId}` })).statusCode).toBe(
        200,
      );
      expect((await ctx.noBody.supporter.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    });

    it('after the whole bad-input batch no row was added or removed and no target record changed', async () => {
      const after = await readState();
      expect(after.counts).toEqual(snapshot.counts);
      expect(after.person).toEqual(snapshot.person);
      expect(after.mergeTarget).toEqual(snapshot.mergeTarget);
      expect(after.mergeSource).toEqual(snapshot.mergeSource);
      expect(after.staffTarget).toEqual(snapshot.staffTarget);
      expect(after.tokens).toEqual(snapshot.tokens);
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    });
  });

  // Outside the batch above: today these requests are accepted and write (see the report), which
  // must not hide the batch's own result.
  describe('passwords', () => {
    it('refuses NUL and lone surrogates in password fields (staff creation, password change, login)', async () => {
      const staffCreate = ENDPOINTS.find((e) => routeKey(e) === 'POST /api/staff')!;
      const passwordChange = ENDPOINTS.find((e) => routeKey(e) === 'POST /api/auth/password')!;
      const login = ENDPOINTS.find((e) => routeKey(e) === 'POST /api/auth/login')!;
      const variants = [...CONTROL_VARIANTS.filter((v) => v.label.includes('NUL')), ...SURROGATE_VARIANTS];
      for (const [i, variant] of variants.entries()) {
        const bad = variant.make('long-enough-password-1');
        // A fresh email and a fresh signed-in staff member per case, so each case stands alone.
        const create = {
          ...staffCreate,
          body: () => ({ ...staffCreate.body(ctx), email: `pw${i}@test.kankei.example`, password: bad }),
        };
        await refused(
          create,
          `${variant.label} in password`,
          { payload: create.body() },
          ...fieldProblem(create, 'password'),
        );

        const own = await t.staffSession('center_staff');
        const change = { ...passwordChange, session: () => own };
        await refused(
          change,
          `${variant.label} in newPassword`,
          { payload: { ...passwordChange.body(ctx), newPassword: bad } },
          ...fieldProblem(change, 'newPassword'),
        );
        const email = (
          (await own.request({ method: 'GET', url: '/api/auth/session' })).json() as { user: { email: string } }
        ).user.email;
        const relogin = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email, password: STAFF_PASSWORD },
        });
        expect.soft(relogin.statusCode, `${variant.label} in newPassword: the old password still signs in`).toBe(200);

        // An unknown account, so that the failures do not lock anyone out (423) midway.
        const loginBody = { email: 'nobody@test.kankei.example', password: bad };
        await refused(
          login,
          `${variant.label} in password`,
          { payload: loginBody },
          ...fieldProblem(login, 'password', { allowLogin: true }),
        );
      }
    });
  });

  describe('SQL metacharacters and emoji are stored exactly', () => {
    it('person name, city and notes keep SQL metacharacters and emoji exactly (create, read back, change)', async () => {
      for (const value of NASTY) {
        const notes = `${value}\n2行目\t${value}`;
        const created = await t.admin.request({
          method: 'POST',
          url: '/api/people',
          payload: personPayload({ name: value, city: value, notes }),
        });
        expect(created.statusCode, value).toBe(201);
        const person = created.json();
        expect(person, value).toMatchObject({ name: value, city: value, notes });
        const read = await t.admin.request({ method: 'GET', url: `/api/people/${person.id}` });
        expect(read.json(), value).toMatchObject({ name: value, city: value, notes });

        const changed = `${value} ${value}`;
        const patched = await t.admin.request({
          method: 'PATCH',
          url: `/api/people/${person.id}`,
          payload: { name: changed, city: changed, notes: changed },
        });
        expect(patched.statusCode, value).toBe(200);
        const reread = await t.admin.request({ method: 'GET', url: `/api/people/${person.id}` });
        expect(reread.json(), value).toMatchObject({ name: changed, city: changed, notes: changed });
      }
      const tables = await counts();
      expect(tables.people).toBeGreaterThanOrEqual(NASTY.length);
      expect(tables.staff).toBeGreaterThan(0);
    });

    it('staff names keep SQL metacharacters and emoji exactly (create, list, rename)', async () => {
      for (const [i, value] of NASTY.entries()) {
        const res = await t.admin.request({
          method: 'POST',
          url: '/api/staff',
          payload: {
            email: `nasty${i}@test.kankei.example`,
            name: value,
            role: 'center_staff',
            password: STAFF_PASSWORD,
          },
        });
        expect(res.statusCode, value).toBe(201);
        const id = res.json().id as string;
        const listed = (await t.admin.request({ method: 'GET', url: '/api/staff' }))
          .json()
          .items.find((s: { id: string }) => s.id === id);
        expect(listed?.name, value).toBe(value);
        const renamed = `${value}🌸`;
        expect(
          (await t.admin.request({ method: 'PATCH', url: `/api/staff/${id}`, payload: { name: renamed } })).json().name,
          value,
        ).toBe(renamed);
        const relisted = (await t.admin.request({ method: 'GET', url: '/api/staff' }))
          .json()
          .items.find((s: { id: string }) => s.id === id);
        expect(relisted?.name, value).toBe(renamed);
      }
    });

    it('organization names keep SQL metacharacters and emoji exactly', async () => {
      for (const value of NASTY) {
        const res = await t.admin.request({
          method: 'POST',
          url: '/api/organizations',
          payload: { name: value, kind: 'community' },
        });
        expect(res.statusCode, value).toBe(201);
        const id = res.json().id as string;
        const listed = (await t.admin.request({ method: 'GET', url: '/api/organizations' }))
          .json()
          .items.find((o: { id: string }) => o.id === id);
        expect(listed?.name, value).toBe(value);
      }
    });

    it('API token names keep SQL metacharacters and emoji exactly', async () => {
      for (const value of NASTY) {
        const res = await t.admin.request({ method: 'POST', url: '/api/auth/tokens', payload: { name: value } });
        expect(res.statusCode, value).toBe(201);
        expect(res.json().name, value).toBe(value);
        const id = res.json().id as string;
        const listed = (await t.admin.request({ method: 'GET', url: '/api/auth/tokens' }))
          .json()
          .items.find((x: { id: string }) => x.id === id);
        expect(listed?.name, value).toBe(value);
      }
    });

    it('searching people with q made of SQL metacharacters and emoji answers 200 and finds exactly the matching person', async () => {
      const marker = 'ｻｰﾁ';
      const ids = new Map<string, string>();
      for (const value of NASTY) {
        const res = await t.admin.request({
          method: 'POST',
          url: '/api/people',
          payload: personPayload({ name: `${value}検索${marker}` }),
        });
        expect(res.statusCode, value).toBe(201);
        ids.set(value, res.json().id);
      }
      for (const value of [...NASTY, `'`, `"`, `%`, `_`, `\\`, `;`, `--`, `/*`, `👨‍👩‍👧`, `🌸`]) {
        const res = await t.admin.request({
          method: 'GET',
          url: `/api/people?q=${encodeURIComponent(value)}&limit=100`,
        });
        expect(res.statusCode, value).toBe(200);
        const page = res.json() as { items: Array<{ id: string; name: string }>; total: number };
        expect(page.total, value).toBeGreaterThanOrEqual(page.items.length);
        if (ids.has(value))
          expect(
            page.items.map((i) => i.id),
            value,
          ).toContain(ids.get(value));
      }
      // LIKE wildcards are literal: '%' and '_' find only names that contain them.
      for (const wildcard of ['%', '_', '%_']) {
        const page = (
          await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent(wildcard)}&limit=100` })
        ).json() as {
          items: Array<{ name: string; kana: string | null; email: string | null }>;
        };
        expect(page.items.length, wildcard).toBeGreaterThan(0);
        for (const item of page.items) expect(`${item.name} ${item.kana} ${item.email}`, wildcard).toContain(wildcard);
      }
      // And the tables are all still there.
      expect((await counts()).people).toBeGreaterThan(0);
    });

    it('a search q whose %-escapes are not UTF-8 (%FF, a cut-off %E3%81) is refused with 400 INVALID_ENCODING, not searched as the text "%FF"', async () => {
      const named = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ name: '百分率 %FF さん' }),
      });
      expect(named.statusCode).toBe(201);
      for (const q of ['%FF', 'a%E3%81', '%C0%AF', '%E3%81%82%FF']) {
        for (const lang of ['ja', 'en'] as const) {
          const res = await t.admin.request({
            method: 'GET',
            url: `/api/people?q=${q}`,
            headers: lang === 'en' ? { 'accept-language': 'en' } : {},
          });
          expect(problemsWith(res, { status: 400, code: 'INVALID_ENCODING' }, lang), `${q} [${lang}]`).toEqual([]);
        }
      }
      // Proper escapes (あ, a literal %) still search as before.
      expect((await t.admin.request({ method: 'GET', url: '/api/people?q=%E3%81%82' })).statusCode).toBe(200);
      const literal = await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent('%FF')}` });
      expect(literal.json().items.map((i: { id: string }) => i.id)).toContain(named.json().id);
    });

    it('a search q over 200 characters is refused with 400 naming q; a q with NUL is refused with a 4xx, not passed through', async () => {
      const long = await t.admin.request({ method: 'GET', url: `/api/people?q=${'あ'.repeat(201)}` });
      expect(long.statusCode).toBe(400);
      expect(Object.keys(long.json().error.fields)).toEqual(['q']);
      for (const q of ['\u0000', 'a\u0000b']) {
        const res = await t.admin.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent(q)}` });
        expect(res.statusCode, JSON.stringify(q)).toBe(400);
        expect(['VALIDATION', 'BAD_REQUEST']).toContain(res.json().error.code);
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    });

    it(`text exactly at its limit is accepted and stored exactly (name ${PERSON_LIMITS.name}, city ${PERSON_LIMITS.city}, notes ${PERSON_LIMITS.notes}); one more is refused`, async () => {
      const name = '名'.repeat(PERSON_LIMITS.name);
      const city = 'c'.repeat(PERSON_LIMITS.city);
      const notes = 'メ'.repeat(PERSON_LIMITS.notes);
      const ok = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ name, city, notes }),
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ name, city, notes });
      for (const [field, value] of [
        ['name', `${name}名`],
        ['city', `${city}c`],
        ['notes', `${notes}メ`],
      ] as const) {
        const res = await t.admin.request({
          method: 'POST',
          url: '/api/people',
          payload: personPayload({ [field]: value }),
        });
        expect(res.statusCode, field).toBe(400);
        expect(Object.keys(res.json().error.fields), field).toEqual([field]);
      }
    });

    it('birthYear 1900, the current year and null are accepted; expiresInDays 1 and 3650 are accepted', async () => {
      const created = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ birthYear: 1900 }),
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().birthYear).toBe(1900);
      const id = created.json().id as string;
      const thisYear = new Date().getFullYear();
      expect(
        (await t.admin.request({ method: 'PATCH', url: `/api/people/${id}`, payload: { birthYear: thisYear } })).json()
          .birthYear,
      ).toBe(thisYear);
      expect(
        (await t.admin.request({ method: 'PATCH', url: `/api/people/${id}`, payload: { birthYear: null } })).json()
          .birthYear,
      ).toBeNull();
      for (const days of [1, 3650]) {
        const res = await t.admin.request({
          method: 'POST',
          url: '/api/auth/tokens',
          payload: { name: `期限${days}日`, expiresInDays: days },
        });
        expect(res.statusCode, String(days)).toBe(201);
        const expires = Date.parse(res.json().expiresAt as string);
        expect(Math.abs(expires - (Date.now() + days * 86_400_000))).toBeLessThan(60_000);
      }
    });
  });
});
