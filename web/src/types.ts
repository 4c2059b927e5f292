/**
 * Shapes of the Kankei JSON API, derived from the server's own Zod response schemas so the UI
 * cannot drift from what the API sends (type-only imports: nothing of the server is bundled).
 */
import type { z } from 'zod';
import type {
  PremiumApplication as PremiumApplicationSchema,
  PremiumQueueItem as PremiumQueueItemSchema,
} from '../../src/modules/registry/registry.schemas';
import type { User, ApiToken as ApiTokenSchema } from '../../src/platform/auth/auth.routes';
import type { AuditEvent } from '../../src/platform/audit/audit.routes';
import type {
  HeldMail as HeldMailSchema,
  HeldMailSummary as HeldMailSummarySchema,
  UndeliveredMail as UndeliveredMailSchema,
} from '../../src/platform/mail/mail.routes';
import type { FailedJobSummary as FailedJobSchema } from '../../src/platform/jobs.routes';
import type {
  Municipality as MunicipalitySchema,
  Organization as OrganizationSchema,
} from '../../src/modules/places/places.routes';
import type { Consultant as ConsultantSchema, Staff as StaffSchema } from '../../src/modules/staff/staff.routes';
import type { HistoryItem as HistoryItemSchema, Person as PersonSchema } from '../../src/modules/people/people.schemas';
import type {
  ConsentState as ConsentStateSchema,
  MyData as MyDataSchema,
  PublicRegistration as PublicRegistrationSchema,
} from '../../src/modules/registry/registry.schemas';
import type {
  CreateEngagement as CreateEngagementSchema,
  Engagement as EngagementSchema,
  StageView as StageViewSchema,
} from '../../src/modules/engagement/engagement.routes';
import type {
  CardRecord as CardRecordSchema,
  CardSummary as CardSummarySchema,
  CurrentCardView as CurrentCardViewSchema,
  IssuedCard as IssuedCardSchema,
  VerifyCardResult as VerifyCardResultSchema,
} from '../../src/modules/cards/cards.schemas';
import type {
  CertificationList as CertificationListSchema,
  ImportList as ImportListSchema,
  ImportPreview as ImportPreviewSchema,
  ImportReport as ImportReportSchema,
} from '../../src/modules/donations/donations.schemas';
import type {
  AddCaseStep as AddCaseStepSchema,
  CaseDetail as CaseDetailSchema,
  CasesPage as CasesPageSchema,
  CaseSummary as CaseSummarySchema,
  Consultation as ConsultationSchema,
  ConsultationsPage as ConsultationsPageSchema,
  CreateConsultation as CreateConsultationSchema,
  CreatedConsultation as CreatedConsultationSchema,
  CreateReferral as CreateReferralSchema,
  Followup as FollowupSchema,
  FollowupsPage as FollowupsPageSchema,
  Referral as ReferralSchema,
  ReferralsPage as ReferralsPageSchema,
  UpdateFollowup as UpdateFollowupSchema,
  UpdateReferral as UpdateReferralSchema,
} from '../../src/modules/consultations/consultations.schemas';
import type {
  Attendance as AttendanceSchema,
  CheckinResult as CheckinResultSchema,
  CreateEvent as CreateEventSchema,
  EventDetail as EventDetailSchema,
  EventRegistration as EventRegistrationSchema,
  EventsPage as EventsPageSchema,
  PublicEventDetail as PublicEventDetailSchema,
  PublicEventRegistration as PublicEventRegistrationSchema,
  PublicEventsPage as PublicEventsPageSchema,
  PublicRegistrationResult as PublicRegistrationResultSchema,
  RegistrationsPage as RegistrationsPageSchema,
  StaffRegistrationResult as StaffRegistrationResultSchema,
  Ticket as TicketSchema,
  UpdateEvent as UpdateEventSchema,
} from '../../src/modules/events/events.schemas';
import type { ConsultationAnalytics as ConsultationAnalyticsSchema } from '../../src/modules/analytics/analytics.schemas';

export type SessionUser = z.infer<typeof User>;
export type SessionResponse = { user: SessionUser; csrfToken: string };

export type Municipality = z.infer<typeof MunicipalitySchema>;

/** A prefecture's sub-areas (総合支庁: 村山, 最上, 置賜, 庄内); municipalities name theirs by `name`. */
export type Region = { code: string; prefectureCode: string; name: string; nameEn: string };

export type MunicipalityCount = { municipalityCode: string; count: number };

export type Person = z.infer<typeof PersonSchema>;
export type PersonLink = Person['links'][number];

/** What the form sends on create and edit (PATCH accepts any subset; the form sends all). */
export type PersonInput = Omit<Person, 'id' | 'createdAt' | 'updatedAt' | 'isDemo' | 'prefecture'> & {
  prefecture: string | null;
};

export type Page<T> = { items: T[]; total: number };
export type ItemList<T> = { items: T[] };

export type HistoryItem = z.infer<typeof HistoryItemSchema>;
export type Staff = z.infer<typeof StaffSchema>;
export type Consultant = z.infer<typeof ConsultantSchema>;
export type Organization = z.infer<typeof OrganizationSchema>;
export type AuditEntry = z.infer<typeof AuditEvent>;
export type UndeliveredMail = z.infer<typeof UndeliveredMailSchema>;
export type HeldMailSummary = z.infer<typeof HeldMailSummarySchema>;
export type HeldMail = z.infer<typeof HeldMailSchema>;
export type FailedJob = z.infer<typeof FailedJobSchema>;
export type ApiToken = z.infer<typeof ApiTokenSchema>;
export type CreatedToken = { id: string; token: string; name: string; staffId: string; expiresAt: string | null };

// --- Public registry and the supporter's own page (src/modules/registry) ---------------------------

/** What the sign-up form sends (`POST /api/public/registrations`), before the server's defaults. */
export type PublicRegistrationInput = z.input<typeof PublicRegistrationSchema>;
export type MyData = z.infer<typeof MyDataSchema>;
export type PremiumApplication = z.infer<typeof PremiumApplicationSchema>;
export type PremiumQueueItem = z.infer<typeof PremiumQueueItemSchema>;
export type ConsentState = z.infer<typeof ConsentStateSchema>;
export type SupporterProfile = NonNullable<MyData['profile']>;
/** `GET /api/people/:id/supporter-profile` for staff. */
export type SupporterProfileView = { profile: SupporterProfile | null; consents: ConsentState[] };

// --- Engagement and stages (src/modules/engagement) -------------------------------------------------

export type Engagement = z.infer<typeof EngagementSchema>;
export type EngagementInput = z.input<typeof CreateEngagementSchema>;
export type StageView = z.infer<typeof StageViewSchema>;

// --- Supporter cards (src/modules/cards) ------------------------------------------------------------

/** What a card says about its holder (the verify answer, the supporter's own card). */
export type CardSummary = z.infer<typeof CardSummarySchema>;
/** A card as staff see it: state and history, no token. */
export type CardRecord = z.infer<typeof CardRecordSchema>;
export type IssuedCard = z.infer<typeof IssuedCardSchema>;
export type VerifyCardResult = z.infer<typeof VerifyCardResultSchema>;
/** `GET /api/me/card`: the supporter's current card with its QR code (server-made SVG); 404 when none. */
export type MyCard = z.infer<typeof CurrentCardViewSchema>;

// --- Donor imports and certifications (src/modules/donations) ---------------------------------------

export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
/** An import's totals and one page of its row report (the import's own answer, and GET /api/imports/:id). */
export type ImportReport = z.infer<typeof ImportReportSchema>;
export type ImportSummary = z.infer<typeof ImportListSchema>['items'][number];
export type ImportList = z.infer<typeof ImportListSchema>;
export type ImportProblem = ImportReport['rows'][number]['problems'][number];
export type CertificationList = z.infer<typeof CertificationListSchema>;
export type Certification = CertificationList['items'][number];

// --- Consultations, cases, referrals and follow-ups (src/modules/consultations) ---------------------

export type Consultation = z.infer<typeof ConsultationSchema>;
export type ConsultationPage = z.infer<typeof ConsultationsPageSchema>;
/** What the quick-entry form sends (`POST /api/consultations`), before the server's defaults. */
export type ConsultationInput = z.input<typeof CreateConsultationSchema>;
export type CreatedConsultation = z.infer<typeof CreatedConsultationSchema>;
export type CaseSummary = z.infer<typeof CaseSummarySchema>;
export type CasePage = z.infer<typeof CasesPageSchema>;
export type CaseDetail = z.infer<typeof CaseDetailSchema>;
export type CaseStepItem = CaseDetail['steps'][number];
export type CaseStepInput = z.input<typeof AddCaseStepSchema>;
export type Referral = z.infer<typeof ReferralSchema>;
export type ReferralPage = z.infer<typeof ReferralsPageSchema>;
export type ReferralInput = z.input<typeof CreateReferralSchema>;
export type ReferralUpdate = z.input<typeof UpdateReferralSchema>;
export type Followup = z.infer<typeof FollowupSchema>;
export type FollowupPage = z.infer<typeof FollowupsPageSchema>;
export type FollowupUpdate = z.input<typeof UpdateFollowupSchema>;

// --- Events, registrations, tickets, check-in (src/modules/events) ---------------------------------

export type EventsPage = z.infer<typeof EventsPageSchema>;
export type EventSummary = EventsPage['items'][number];
export type EventDetail = z.infer<typeof EventDetailSchema>;
export type Booth = EventDetail['booths'][number];
export type Slot = Booth['slots'][number];
/** What the event form sends: `POST /api/events` (all of it) and `PATCH /api/events/:id`. */
export type EventInput = z.input<typeof CreateEventSchema>;
export type EventUpdate = z.input<typeof UpdateEventSchema>;
export type EventRegistration = z.infer<typeof EventRegistrationSchema>;
export type RegistrationsPage = z.infer<typeof RegistrationsPageSchema>;
export type StaffRegistrationResult = z.infer<typeof StaffRegistrationResultSchema>;
export type CheckinResult = z.infer<typeof CheckinResultSchema>;
export type Attendance = z.infer<typeof AttendanceSchema>;
export type AttendanceItem = Attendance['items'][number];
export type PublicEventList = z.infer<typeof PublicEventsPageSchema>;
export type PublicEvent = PublicEventList['items'][number];
export type PublicEventDetail = z.infer<typeof PublicEventDetailSchema>;
export type PublicEventRegistrationInput = z.input<typeof PublicEventRegistrationSchema>;
export type PublicEventRegistrationResult = z.infer<typeof PublicRegistrationResultSchema>;
export type Ticket = z.infer<typeof TicketSchema>;

// --- Needs analysis (src/modules/analytics) ---------------------------------------------------------

export type ConsultationAnalytics = z.infer<typeof ConsultationAnalyticsSchema>;
