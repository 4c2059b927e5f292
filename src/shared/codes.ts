/**
 * The codes Kankei answers with: error codes (with their HTTP status), the message keys of the
 * server's message tables, and the field-problem codes with the parameters each message needs.
 * One place, shared by the server and the web UI: the ja and en message tables in
 * `platform/i18n.ts` must cover exactly these keys (`satisfies`), so a code without both texts,
 * or a typo in one, fails the type-check instead of falling back to a generic message at run time.
 */

export const ERROR_STATUS = {
  /** Request fields failed validation; `fields` names each. */
  VALIDATION: 400,
  /** Body is not parseable JSON. */
  INVALID_JSON: 400,
  /** Body or query string text is not UTF-8 (bytes or %-escapes that decode to no character). */
  INVALID_ENCODING: 400,
  BAD_REQUEST: 400,
  /** No or expired session / token. */
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  /** Cookie request that changes something without a matching x-csrf-token. */
  CSRF: 403,
  /** Role does not allow the operation. Records outside scope answer NOT_FOUND instead. */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** Same normalized email or phone, or same name and reading, as an existing person; details.candidates lists visible ones. */
  DUPLICATE_PERSON: 409,
  CONFLICT: 409,
  /** The event has no free place left (capacity holds under concurrent sign-ups). */
  EVENT_FULL: 409,
  /** The chosen consultation slot has no free place left. */
  SLOT_FULL: 409,
  /** The event takes no registrations: ended, cancelled or still a draft. */
  EVENT_CLOSED: 409,
  /** The registration was cancelled: it cannot be checked in (register the person again). */
  REGISTRATION_CANCELLED: 409,
  /** The registration was checked in: it cannot be cancelled any more. */
  ALREADY_CHECKED_IN: 409,
  /** The project has no open seat left (seats hold under concurrent acceptance). */
  PROJECT_FULL: 409,
  /** The project takes no interest or applications: still a draft, or closed. */
  PROJECT_CLOSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many requests, or sign-in attempts after failures too soon (Retry-After says when). */
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** A PDF cannot be made: the Japanese fonts (Debian's fonts-noto-cjk) are not installed on the server. */
  PDF_FONTS_MISSING: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/**
 * Closer wordings of an error, each tied to the one code it is answered with (the code and status
 * stay; only the message differs): `new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' })`.
 */
export const MESSAGE_VARIANTS = {
  /** Sign-ins of the account or IP must wait after failures. */
  LOGIN_WAIT: 'RATE_LIMITED',
  /** The duplicate lives outside the caller's municipalities: no candidate can be shown. */
  DUPLICATE_PERSON_HIDDEN: 'DUPLICATE_PERSON',
  /** Someone with the same name and reading (and no contact telling them apart) is registered. */
  DUPLICATE_PERSON_NAME: 'DUPLICATE_PERSON',
  /** A public form token that expired a day after it was issued (or was forged). */
  FORM_EXPIRED: 'BAD_REQUEST',
  /** A public form sent faster than a person fills it in (a bot, or autofill and a quick press): press again. */
  FORM_TOO_FAST: 'BAD_REQUEST',
  /** A public form token already spent. */
  FORM_ALREADY_SENT: 'CONFLICT',
  /** A mailed link (confirmation, ticket, sign-in) that is unknown, used or expired. */
  LINK_INVALID: 'NOT_FOUND',
  /** A scout's reply link used a second time: the first answer stands. */
  SCOUT_ANSWERED: 'CONFLICT',
  /** Check-in before the event's first day (Japan time); details name the days. */
  CHECKIN_BEFORE_EVENT: 'CONFLICT',
  /** Check-in after the event's last day: attendance is recorded through the after-the-event path. */
  CHECKIN_AFTER_EVENT: 'CONFLICT',
  /** Attendance "after the event" asked for before the event's last day has passed. */
  ATTENDANCE_NOT_AFTER_EVENT: 'CONFLICT',
  MULTIPART_REQUIRED: 'UNSUPPORTED_MEDIA_TYPE',
  MULTIPART_MALFORMED: 'BAD_REQUEST',
} as const satisfies Record<string, ErrorCode>;

export type MessageVariant = keyof typeof MESSAGE_VARIANTS;
/** The variants that may word `code` (all of them for the union of every code). */
export type MessageVariantOf<C extends ErrorCode> = {
  [V in MessageVariant]: (typeof MESSAGE_VARIANTS)[V] extends C ? V : never;
}[MessageVariant];

/** Messages of a 200 answer, not of an error: why a supporter card did not verify. */
export const CARD_VERDICT_KEYS = [
  'CARD_MALFORMED',
  'CARD_BAD_SIGNATURE',
  'CARD_UNKNOWN_KEY',
  'CARD_EXPIRED',
  'CARD_REVOKED',
  'CARD_NOT_YET_VALID',
  'CARD_WRONG_ISSUER',
] as const;
export type CardVerdictKey = (typeof CARD_VERDICT_KEYS)[number];

/** Every key of the server's top-level message tables. */
export type MessageKey = ErrorCode | MessageVariant | CardVerdictKey;
export const MESSAGE_KEYS: readonly MessageKey[] = [
  ...ERROR_CODES,
  ...(Object.keys(MESSAGE_VARIANTS) as MessageVariant[]),
  ...CARD_VERDICT_KEYS,
];

/**
 * Every problem a field can have, with the parameters its message reads (besides the field's
 * label, which every message gets). Answered as the field's message; donor import reports also
 * keep the code.
 */
export const FIELD_PROBLEM_PARAMS = {
  // Shapes Zod reports (platform/errors.ts turns its issues into these)
  required: [],
  invalid_type: ['expected'],
  too_long: ['max'],
  too_short: ['min'],
  too_large: ['max'],
  too_small: ['min'],
  too_many: ['max'],
  not_integer: [],
  invalid_email: [],
  invalid_uuid: [],
  invalid_format: [],
  invalid_choice: ['options'],
  unknown_field: [],
  invalid: [],
  // Text and contact fields
  invalid_kana: [],
  invalid_phone: [],
  invalid_postal_code: [],
  invalid_prefecture: [],
  control_characters: [],
  no_letters: [],
  // References and scope
  unknown_municipality: ['value'],
  unknown_organization: [],
  must_include_own_municipality: [],
  outside_scope: [],
  duplicate: [],
  wrong_password: [],
  /** A new password found in the list of common passwords, or one decorated with digits and symbols. */
  common_password: [],
  /** A new password made of a repetition or a sequence (aaaa, 1234, abcabc). */
  repetitive_password: [],
  requires_municipality: [],
  requires_organization: [],
  not_allowed_for_role: [],
  same_person: [],
  not_future_year: [],
  future_date: [],
  invalid_date: [],
  no_supporter_municipality: [],
  not_a_supporter: ['value'],
  /** Over the prefecture's cap on municipalities per person (registry settings). */
  registration_cap: ['max', 'current'],
  /** A supporter keeps at least one municipality (deleting the registration is the way out). */
  last_municipality: [],
  /** An uploaded file over the size limit (`max`: e.g. "5 MB"). */
  file_too_large: ['max'],
  /** An uploaded file whose first bytes are none of the accepted types (`types`: e.g. "JPEG, PNG, WebP, PDF"). */
  file_type_not_allowed: ['types'],
  /** The application is not waiting for this (already decided, or not asked for more). */
  application_not_open: [],
  // Donor import: cells of a file, the file itself, the column mapping
  unknown_date_format: [],
  outside_era: ['era', 'from', 'to'],
  invalid_amount: [],
  negative_amount: [],
  decimal_amount: [],
  column_count: ['actual', 'expected'],
  encoding_utf16: [],
  encoding_binary: ['line'],
  encoding_unknown: ['line'],
  csv_malformed: ['line'],
  empty_file: [],
  too_many_columns: ['max'],
  missing_columns: ['columns'],
  unknown_column: ['value'],
  unknown_target: ['value'],
  duplicate_target: ['value'],
  invalid_json: [],
  // Consultations and the case pipeline (docs/cases.md)
  person_or_id: [],
  person_and_id: [],
  unknown_staff: [],
  unknown_event: [],
  booth_not_in_event: [],
  one_target: [],
  referral_needs_person: [],
  other_person: [],
  referral_closed: [],
  required_with_completed: [],
  case_ended: [],
  case_settled: [],
  first_contact_opens_case: [],
  ended_after_move: [],
  settled_needs_moved: [],
  same_step: [],
  step_backwards: ['from', 'to'],
  before_previous_step: ['date'],
  required_for_moved: [],
  required_for_ended: [],
  only_for_ended: [],
  only_for_moved: [],
  unknown_prefecture: ['value'],
  // Matches (docs/matching.md)
  match_closed: [],
  match_opens_with_proposed: [],
  match_step_backwards: ['from', 'to'],
  match_step_skipped: ['from', 'to'],
  self_running_too_soon: ['months'],
  only_for_self_running: [],
  // Events
  invalid_datetime: [],
  ends_before_start: [],
  slot_outside_event: [],
  not_in_event: [],
  below_booked: ['count'],
  below_registered: ['count'],
  slot_has_bookings: ['count'],
  booth_has_bookings: ['count'],
  unknown_slot: [],
  registration_or_token: [],
  host_own_municipality: [],
  // Events: headcounts
  event_cancelled: [],
  // KPI plans (docs/kpi.md)
  outside_plan_period: ['from', 'to'],
  fixed_by_approved_evaluation: ['year'],
  // Regional issues, projects and matches (docs/matching.md)
  status_final: [],
  status_backwards: ['from', 'to'],
  required_for_closed: [],
  only_for_closed: [],
  issue_not_published: [],
  below_filled: ['count'],
  project_closed_final: [],
  unknown_question: ['value'],
  answer_required: ['value'],
  own_organization: [],
  not_a_candidate: [],
  no_email: [],
  already_scouted: [],
  listed_twice: [],
} as const satisfies Record<string, readonly string[]>;

export type FieldProblemCode = keyof typeof FIELD_PROBLEM_PARAMS;
export const FIELD_PROBLEM_CODES = Object.keys(FIELD_PROBLEM_PARAMS) as FieldProblemCode[];

export function isFieldProblemCode(value: unknown): value is FieldProblemCode {
  return typeof value === 'string' && Object.hasOwn(FIELD_PROBLEM_PARAMS, value);
}

export type ParamValue = string | number;
/** The parameter names the message of problem `C` reads. */
export type FieldProblemParamName<C extends FieldProblemCode> = (typeof FIELD_PROBLEM_PARAMS)[C][number];
export type FieldProblemParams<C extends FieldProblemCode> = Record<FieldProblemParamName<C>, ParamValue>;

/** The arguments after a problem code: its parameters, required when its message reads any. */
export type FieldProblemParamsArg<C extends FieldProblemCode> =
  FieldProblemParamName<C> extends never
    ? [params?: Record<string, ParamValue>]
    : [params: FieldProblemParams<C> & Record<string, ParamValue>];

/**
 * A field's problem: its code, with the parameters its message needs (none: `params` may be left
 * out; parameters a message does not read are allowed and ignored).
 */
export type FieldProblem = {
  [C in FieldProblemCode]: FieldProblemParamName<C> extends never
    ? { problem: C; params?: Record<string, ParamValue> }
    : { problem: C; params: FieldProblemParams<C> & Record<string, ParamValue> };
}[FieldProblemCode];

/** The problem codes whose message needs no parameter. */
export type PlainFieldProblemCode = {
  [C in FieldProblemCode]: FieldProblemParamName<C> extends never ? C : never;
}[FieldProblemCode];

/**
 * A problem that arrives as data — a Zod custom issue's params, a stored import report — as one
 * Kankei can word, or null: an unknown code, or a known one without the parameters its message
 * reads. The caller decides the explicit fallback (usually the generic `invalid`).
 */
export function toFieldProblem(code: unknown, params: Record<string, unknown> = {}): FieldProblem | null {
  if (!isFieldProblemCode(code)) return null;
  const kept: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') kept[name] = value;
  }
  const needed: readonly string[] = FIELD_PROBLEM_PARAMS[code];
  if (!needed.every((name) => name in kept)) return null;
  // Checked just above: the code is catalogued and every parameter its message reads is present.
  return { problem: code, params: kept } as FieldProblem;
}
