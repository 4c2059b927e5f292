/**
 * The Kankei API's paths and answers, generated from the server's OpenAPI document by
 * `npm run api:types` (scripts/openapi.mts). Do not edit: change the route schema and regenerate.
 */


/** OneOf type helpers */
type Without<T, U> = { [P in Exclude<keyof T, keyof U>]?: never };
type XOR<T, U> = (T | U) extends object ? (Without<T, U> & U) | (Without<U, T> & T) : T | U;
type OneOf<T extends any[]> = T extends [infer Only] ? Only : T extends [infer A, infer B, ...infer Rest] ? OneOf<[XOR<A, B>, ...Rest]> : never;

export interface paths {
  "/api/ready": {
    /** Readiness: database reachable, migrations current, job queue answering (503 when not) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "ready" | "not_ready";
              checks: {
                database: {
                  ok: boolean;
                  detail?: string;
                };
                migrations: {
                  ok: boolean;
                  detail?: string;
                };
                jobs: {
                  ok: boolean;
                  detail?: string;
                };
              };
            };
          };
        };
        /** @description Default Response */
        503: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "ready" | "not_ready";
              checks: {
                database: {
                  ok: boolean;
                  detail?: string;
                };
                migrations: {
                  ok: boolean;
                  detail?: string;
                };
                jobs: {
                  ok: boolean;
                  detail?: string;
                };
              };
            };
          };
        };
      };
    };
  };
  "/metrics": {
    /** Metrics in Prometheus text format (Authorization: Bearer KANKEI_METRICS_TOKEN; 404 when unset) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/health": {
    /** Liveness and database check */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "ok";
              /** @enum {string} */
              db: "pglite" | "postgres";
            };
          };
        };
      };
    };
  };
  "/api/auth/login": {
    /**
     * Sign in with email and password; sets an HTTP-only session cookie
     * @description A wrong password and an unknown or disabled email answer the same 401. After repeated failures an account (known or not) or an IP must wait before the next attempt: 429 with Retry-After (seconds), even for the right password.
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            email: string;
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The signed-in staff member */
              user: {
                /** Format: uuid */
                id: string;
                email: string;
                name: string;
                /** @enum {string} */
                role: "prefecture_admin" | "center_staff" | "municipality_staff" | "partner";
                municipalityCode: string | null;
                organizationId: string | null;
              };
              /** @description Send as x-csrf-token on cookie requests that change data */
              csrfToken: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        429: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/auth/session": {
    /** The current session: user and CSRF token */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The signed-in staff member */
              user: {
                /** Format: uuid */
                id: string;
                email: string;
                name: string;
                /** @enum {string} */
                role: "prefecture_admin" | "center_staff" | "municipality_staff" | "partner";
                municipalityCode: string | null;
                organizationId: string | null;
              };
              /** @description Send as x-csrf-token on cookie requests that change data */
              csrfToken: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/auth/logout": {
    /** End the current session */
    post: {
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
      };
    };
  };
  "/api/auth/password": {
    /**
     * Change the own password (other sessions end)
     * @description The current password is checked under the sign-in throttle of the account: after repeated wrong ones, 429 with Retry-After.
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            currentPassword: string;
            newPassword: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        429: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/auth/tokens": {
    /** List API tokens (admin) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** Format: uuid */
                  staffId: string;
                  createdAt: string;
                  lastUsedAt: string | null;
                  expiresAt: string | null;
                  revokedAt: string | null;
                })[];
            };
          };
        };
      };
    };
    /** Issue an API token for scripts (admin). The token is shown only in this answer. */
    post: {
      requestBody: {
        content: {
          "application/json": {
            name: string;
            /**
             * Format: uuid
             * @description Staff account the token acts as; default: the caller
             */
            staffId?: string;
            expiresInDays?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              /** Format: uuid */
              staffId: string;
              token: string;
              expiresAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/auth/tokens/{id}": {
    /** Revoke an API token (admin) */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/municipalities": {
    /** The municipalities, with region */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
                /** @description 全国地方公共団体コード (6 digits) */
                code: string;
                name: string;
                kana: string;
                romaji: string;
                /** @description city, town or village */
                type: string;
                /** @description 村山, 最上, 置賜 or 庄内 */
                region: string;
                regionCode: string;
                lat: number;
                lon: number;
              }[];
          };
        };
      };
    };
  };
  "/api/municipalities/geo": {
    /** Municipal boundaries as GeoJSON (出典：国土交通省国土数値情報（行政区域データ）を加工して作成) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/regions": {
    /** Regions (総合支庁 areas) in official order */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
                code: string;
                prefectureCode: string;
                name: string;
                nameEn: string;
                position: number;
              }[];
          };
        };
      };
    };
  };
  "/api/organizations": {
    /** Partner agencies and other organizations */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** @enum {string} */
                  kind: "center" | "partner_agency" | "intermediary" | "company" | "community" | "sme" | "npo" | "bank" | "chamber_of_commerce";
                  municipalityCode: string | null;
                })[];
            };
          };
        };
      };
    };
    /** Register an organization (admin) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            name: string;
            /** @enum {string} */
            kind: "center" | "partner_agency" | "intermediary" | "company" | "community" | "sme" | "npo" | "bank" | "chamber_of_commerce";
            municipalityCode?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              /** @enum {string} */
              kind: "center" | "partner_agency" | "intermediary" | "company" | "community" | "sme" | "npo" | "bank" | "chamber_of_commerce";
              municipalityCode: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/staff": {
    /** Staff accounts (admin) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  email: string;
                  name: string;
                  /** @enum {string} */
                  role: "prefecture_admin" | "center_staff" | "municipality_staff" | "partner";
                  municipalityCode: string | null;
                  organizationId: string | null;
                  disabled: boolean;
                  lockedUntil: string | null;
                  createdAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create a staff account (admin). municipality_staff need municipalityCode; partner need organizationId. */
    post: {
      requestBody: {
        content: {
          "application/json": {
            email: string;
            name: string;
            /** @enum {string} */
            role: "prefecture_admin" | "center_staff" | "municipality_staff" | "partner";
            municipalityCode?: string | null;
            organizationId?: string | null;
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              email: string;
              name: string;
              /** @enum {string} */
              role: "prefecture_admin" | "center_staff" | "municipality_staff" | "partner";
              municipalityCode: string | null;
              organizationId: string | null;
              disabled: boolean;
              lockedUntil: string | null;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/staff/consultants": {
    /**
     * Who can be named as consultant (read-only, no e-mail addresses)
     * @description Active prefecture_admin and center_staff accounts; municipality staff also get the active staff of their own municipality, an admin those of every municipality. Partners get 403.
     */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** @enum {string} */
                  role: "prefecture_admin" | "center_staff" | "municipality_staff" | "partner";
                  municipalityCode: string | null;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/staff/{id}": {
    /** Rename, disable or re-enable (also unlocks) a staff account (admin) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            name?: string;
            disabled?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              email: string;
              name: string;
              /** @enum {string} */
              role: "prefecture_admin" | "center_staff" | "municipality_staff" | "partner";
              municipalityCode: string | null;
              organizationId: string | null;
              disabled: boolean;
              lockedUntil: string | null;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people": {
    /** Search people within your scope */
    get: {
      parameters: {
        query?: {
          /** @description Name, kana, email or phone; full- and half-width alike */
          q?: string;
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          /** @description Only people with a tie of this kind (to `municipality` when given) */
          kind?: "roots" | "interest" | "supporter" | "moved_in";
          /** @description Only people at this stage (docs/stages.md) with `municipality` when given, else with any municipality */
          stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
          /** @description Only people whose current answer for this consent purpose is yes (for all or for `municipality`) */
          consent?: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
          /** @description relevance (a search's default: readings starting with the search first, then kana order), kana, newest (a plain list's default) or oldest */
          sort?: "relevance" | "kana" | "newest" | "oldest";
          /** @description Page size, 1–100 */
          limit?: number;
          /** @description `nextCursor` of the previous page (keyset paging); absent for the first page */
          cursor?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                  email: string | null;
                  phone: string | null;
                  postalCode: string | null;
                  prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                  city: string | null;
                  birthYear: number | null;
                  notes: string | null;
                  links: ({
                      municipalityCode: string;
                      /** @enum {string} */
                      kind: "roots" | "interest" | "supporter" | "moved_in";
                    })[];
                  isDemo: boolean;
                  createdAt: string;
                  updatedAt: string;
                })[];
              /** @description Matches, exact up to 1000; when totalIsExact is false there are more than this (show "1,000+") */
              total: number;
              totalIsExact: boolean;
              /** @description Pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Create a person; 409 DUPLICATE_PERSON when the normalized email or phone is already known */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description 氏名 as written */
            name: string;
            /** @description フリガナ; stored as full-width katakana */
            kana?: string | null;
            email?: string | null;
            phone?: string | null;
            /** @description Stored as 123-4567 */
            postalCode?: string | null;
            /** @description Prefecture of residence, e.g. 東京都 */
            prefecture?: string | null;
            city?: string | null;
            birthYear?: number | null;
            notes?: string | null;
            links?: ({
                /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
                municipalityCode: string;
                /**
                 * @description roots (出身・ゆかり), interest (関心), supporter (登録サポーター), moved_in (移住済み)
                 * @enum {string}
                 */
                kind: "roots" | "interest" | "supporter" | "moved_in";
              })[];
            /** @description People with the same name and reading the caller checked and found to be someone else (from a 409 DUPLICATE_PERSON with match "name"); a contact match is never passed over */
            distinctFrom?: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              kana: string | null;
              email: string | null;
              phone: string | null;
              postalCode: string | null;
              prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
              city: string | null;
              birthYear: number | null;
              notes: string | null;
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/export": {
    /** Export the people matching a search as CSV for Excel (audited) */
    get: {
      parameters: {
        query?: {
          /** @description Name, kana, email or phone; full- and half-width alike */
          q?: string;
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          /** @description Only people with a tie of this kind (to `municipality` when given) */
          kind?: "roots" | "interest" | "supporter" | "moved_in";
          /** @description Only people at this stage (docs/stages.md) with `municipality` when given, else with any municipality */
          stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
          /** @description Only people whose current answer for this consent purpose is yes (for all or for `municipality`) */
          consent?: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
          /** @description utf8: UTF-8 with BOM; sjis: CP932 (Shift_JIS) for older Excel */
          encoding?: "utf8" | "sjis";
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/people/{id}": {
    /** One person (the read is audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              kana: string | null;
              email: string | null;
              phone: string | null;
              postalCode: string | null;
              prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
              city: string | null;
              birthYear: number | null;
              notes: string | null;
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Delete a person (soft; purge erases) */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Change a person */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      /** @description Any subset of the fields; `links` replaces the whole list within your scope */
      requestBody: {
        content: {
          "application/json": {
            /** @description 氏名 as written */
            name?: string;
            /** @description フリガナ; stored as full-width katakana */
            kana?: string | null;
            email?: string | null;
            phone?: string | null;
            /** @description Stored as 123-4567 */
            postalCode?: string | null;
            /** @description Prefecture of residence, e.g. 東京都 */
            prefecture?: string | null;
            city?: string | null;
            birthYear?: number | null;
            notes?: string | null;
            links?: ({
                /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
                municipalityCode: string;
                /**
                 * @description roots (出身・ゆかり), interest (関心), supporter (登録サポーター), moved_in (移住済み)
                 * @enum {string}
                 */
                kind: "roots" | "interest" | "supporter" | "moved_in";
              })[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              kana: string | null;
              email: string | null;
              phone: string | null;
              postalCode: string | null;
              prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
              city: string | null;
              birthYear: number | null;
              notes: string | null;
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/merge": {
    /** Merge another record into this person */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: uuid
             * @description The record merged into this one; it is closed afterwards
             */
            sourceId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              kana: string | null;
              email: string | null;
              phone: string | null;
              postalCode: string | null;
              prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
              city: string | null;
              birthYear: number | null;
              notes: string | null;
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/duplicates": {
    /** Visible people with the same email or phone */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                  email: string | null;
                  phone: string | null;
                  postalCode: string | null;
                  prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                  city: string | null;
                  birthYear: number | null;
                  notes: string | null;
                  links: ({
                      municipalityCode: string;
                      /** @enum {string} */
                      kind: "roots" | "interest" | "supporter" | "moved_in";
                    })[];
                  isDemo: boolean;
                  createdAt: string;
                  updatedAt: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/history": {
    /** The person's history (audit trail) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  at: string;
                  action: string;
                  actor: {
                    id: string;
                    name: string;
                  } | null;
                  details: {
                    [key: string]: unknown;
                  };
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/stats/people-by-municipality": {
    /** Number of linked people per municipality, within the caller's scope */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
                municipalityCode: string;
                count: number;
              }[];
          };
        };
      };
    };
  };
  "/api/people/{id}/export": {
    /** Everything held about one person as JSON (data-subject access request; audited): record, history, consultations, cases with steps, referrals and event registrations within the reader’s scope */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              exportedAt: string;
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                postalCode: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
                birthYear: number | null;
                notes: string | null;
                links: ({
                    municipalityCode: string;
                    /** @enum {string} */
                    kind: "roots" | "interest" | "supporter" | "moved_in";
                  })[];
                isDemo: boolean;
                createdAt: string;
                updatedAt: string;
              };
              history: ({
                  at: string;
                  action: string;
                  actor: {
                    id: string;
                    name: string;
                  } | null;
                  details: {
                    [key: string]: unknown;
                  };
                })[];
              consultations: ({
                  occurredOn: string;
                  channel: string;
                  topics: string[];
                  municipalityCodes: string[];
                  desiredTiming: string | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                })[];
              cases: ({
                  /** Format: uuid */
                  id: string;
                  step: string;
                  openedOn: string;
                  stepOn: string;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: string | null;
                  steps: ({
                      step: string;
                      occurredOn: string;
                      municipalityCode: string | null;
                    })[];
                })[];
              referrals: ({
                  area: string;
                  /** @description Organization name or municipality code */
                  to: string;
                  status: string;
                  outcome: string | null;
                  sentAt: string;
                })[];
              /** @description Events the person registered for */
              eventRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  event: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    /** @description The English title, where the event has one (English pages show it) */
                    titleEn: string | null;
                    startsAt: string;
                    endsAt: string;
                    venue: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  cancelledAt: string | null;
                  municipalityCodes: string[];
                  slot: {
                    boothName: string;
                    startsAt: string;
                    endsAt: string;
                  } | null;
                  createdAt: string;
                  checkedInAt: string | null;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/purge": {
    /** Erase a person and the records merged into them (data-subject deletion, admin) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              purged: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/audit": {
    /** The audit trail, newest first (admin; read-only — there is no route that changes it) */
    get: {
      parameters: {
        query?: {
          personId?: string;
          actorId?: string;
          action?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  at: string;
                  actor: {
                    id: string;
                    email: string;
                    name: string;
                  } | null;
                  via: string;
                  action: string;
                  entityType: string | null;
                  entityId: string | null;
                  personId: string | null;
                  municipalityCode: string | null;
                  ip: string | null;
                  userAgent: string | null;
                  details: {
                    [key: string]: unknown;
                  };
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/mail/undelivered": {
    /** Mail given up after a day of failed attempts, or queued for more than 10 minutes, newest first (admin; audited: it shows addresses) */
    get: {
      parameters: {
        query?: {
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  kind: "registry.confirmation" | "registry.sign_in" | "events.ticket" | "events.registration_cancelled" | "events.cancelled" | "matching.scout" | "consultations.referral" | "consultations.digest" | "other";
                  /** @description The recipient: admins need it to reach the person another way */
                  to: string;
                  subject: string;
                  /**
                   * @description queued: still being retried; failed: given up after a day
                   * @enum {string}
                   */
                  status: "queued" | "failed";
                  attempts: number;
                  lastError: string | null;
                  createdAt: string;
                  /** @description When the next attempt is due (null once given up) */
                  nextAttemptAt: string | null;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/mail/held": {
    /** Mail held because SMTP_URL is not set (demo, trial), newest first, without bodies (admin; audited) */
    get: {
      parameters: {
        query?: {
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  kind: "registry.confirmation" | "registry.sign_in" | "events.ticket" | "events.registration_cancelled" | "events.cancelled" | "matching.scout" | "consultations.referral" | "consultations.digest" | "other";
                  to: string;
                  subject: string;
                  createdAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/mail/held/{id}": {
    /** One held mail with its text (admin; every read audited with the person it concerns: its links are live) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              kind: "registry.confirmation" | "registry.sign_in" | "events.ticket" | "events.registration_cancelled" | "events.cancelled" | "matching.scout" | "consultations.referral" | "consultations.digest" | "other";
              to: string;
              subject: string;
              createdAt: string;
              /** @description The text as the recipient would read it, links included (live: handle as the person’s data) */
              text: string;
              attachments: {
                  filename: string;
                  contentType: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/admin/jobs": {
    /** Background jobs whose retries are spent, last failed first (admin). Embedded: kept in memory, lost on restart; PostgreSQL: kept by pg-boss for a week */
    get: {
      parameters: {
        query: {
          /** @description Only failed jobs are listed */
          state: "failed";
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** @description The job, e.g. events.ticket-mail */
                  name: string;
                  /** @description Ids, flags and short codes of the payload; any other value shows as [redacted] */
                  payload: {
                    [key: string]: string | number | boolean | null;
                  };
                  attempts: number;
                  /** @description The last error as the log keeps it: no statement values, no addresses */
                  lastError: string | null;
                  failedAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/admin/jobs/{id}/retry": {
    /** Runs a failed job once more (admin; audited). Answers with the job as it failed */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              job: {
                /** Format: uuid */
                id: string;
                /** @description The job, e.g. events.ticket-mail */
                name: string;
                /** @description Ids, flags and short codes of the payload; any other value shows as [redacted] */
                payload: {
                  [key: string]: string | number | boolean | null;
                };
                attempts: number;
                /** @description The last error as the log keeps it: no statement values, no addresses */
                lastError: string | null;
                failedAt: string;
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/engagements": {
    /** A person's engagement records (municipality staff: their municipality's only) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "event" | "visit" | "volunteering" | "donation" | "side_job" | "online" | "public_comment" | "newsletter_click" | "two_region_living" | "moved_in";
                  /** @description yyyy-mm-dd (Asia/Tokyo) */
                  occurredOn: string;
                  /** @description manual, registration, donation_import, event… */
                  source: string;
                  amountYen: number | null;
                  note: string | null;
                  createdAt: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Record an engagement (event attended, visit, volunteering, donation, side job, …) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
            municipalityCode: string;
            /** @enum {string} */
            kind: "event" | "visit" | "volunteering" | "donation" | "side_job" | "online" | "public_comment" | "newsletter_click" | "two_region_living" | "moved_in";
            /** @description yyyy-mm-dd */
            occurredOn: string;
            amountYen?: number | null;
            note?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              municipalityCode: string;
              /** @enum {string} */
              kind: "event" | "visit" | "volunteering" | "donation" | "side_job" | "online" | "public_comment" | "newsletter_click" | "two_region_living" | "moved_in";
              /** @description yyyy-mm-dd (Asia/Tokyo) */
              occurredOn: string;
              /** @description manual, registration, donation_import, event… */
              source: string;
              amountYen: number | null;
              note: string | null;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/stages": {
    /** Stage per municipality with its dated history, derived from the records (docs/stages.md) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  municipalityCode: string;
                  /**
                   * @description interest 関心, exchange 交流, involvement 関与, collaboration 協働, two_region 二地域居住, migrated 移住, settled 定住
                   * @enum {string}
                   */
                  stage: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
                  since: string;
                  history: ({
                      /** @enum {string} */
                      stage: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
                      effectiveOn: string;
                    })[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/imports/donations": {
    /**
     * Import a ふるさと納税 donor CSV (multipart: file, municipalityCode, mapping?, dryRun?)
     * @description Rows become people (deduplicated by email or phone with existing people and within the file) and donation records; idempotent (re-importing the same file adds nothing; a fixed file adds only the rows refused before). dryRun=true previews without writing. Donors with donations in consecutive years per the prefecture rule are certified.
     */
    post: {
      requestBody: {
        content: {
          "multipart/form-data": {
            /**
             * Format: binary
             * @description The donor CSV as platforms and Excel export it: UTF-8 with or without BOM, or CP932 (Shift_JIS). Usual Japanese headers (寄附者氏名/氏名, フリガナ, 寄附日/入金日, 寄附金額/金額, 郵便番号, 住所, 電話番号, メールアドレス, 受付番号 …) are recognized.
             */
            file: string;
            /** @description Receiving municipality (municipality staff: their own only) */
            municipalityCode: string;
            /** @description JSON object: header as in the file → field (name, familyName, givenName, kana, familyKana, givenKana, donatedOn, amountYen, postalCode, address, prefecture, city, phone, email, receiptNumber, ignore); overrides the recognized mapping */
            mapping?: string;
            /**
             * @description true: preview (encoding, headers, mapping, first 20 rows with their problems) without writing anything
             * @enum {string}
             */
            dryRun?: "0" | "1" | "true" | "false" | "on" | "off";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {boolean} */
              dryRun: true;
              fileName: string;
              encoding: string;
              headers: string[];
              /** @description Header → field as it would be used (null: ignored) */
              mapping: {
                [key: string]: string | null;
              };
              /** @description Required fields no column is mapped to; the import would be refused */
              missing: string[];
              rows: ({
                  rowNumber: number;
                  /** @enum {string} */
                  outcome: "ok" | "refused";
                  /** @description Values as they would be stored */
                  values: {
                    [key: string]: string | number;
                  };
                  problems: {
                      /** @description The column as the file names it (empty for the whole row) */
                      column: string;
                      /** @description One of name, familyName, givenName, kana, familyKana, givenKana, donatedOn, amountYen, postalCode, address, prefecture, city, phone, email, receiptNumber, or row */
                      field: string;
                      problem: string;
                      /** @description In the language of Accept-Language */
                      message: string;
                      /** @description The cell as written, shortened */
                      value?: string;
                    }[];
                })[];
            };
          };
        };
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              status: string;
              municipalityCode: string;
              fileName: string;
              encoding: string;
              mapping: {
                [key: string]: string | null;
              };
              totals: {
                rows: number;
                imported: number;
                duplicates: number;
                refused: number;
                newPeople: number;
              };
              createdAt: string;
              finishedAt: string | null;
              /** @description One page of the row report, in file order */
              rows: ({
                  /** @description Row in the spreadsheet; the header is row 1 */
                  rowNumber: number;
                  /** @enum {string} */
                  outcome: "imported" | "duplicate" | "refused";
                  /** @description The donor; null when refused or outside your scope */
                  personId: string | null;
                  /** @description The donor's name as registered; null when personId is */
                  personName: string | null;
                  /** @description The donation record created by this row */
                  engagementId: string | null;
                  problems: {
                      /** @description The column as the file names it (empty for the whole row) */
                      column: string;
                      /** @description One of name, familyName, givenName, kana, familyKana, givenKana, donatedOn, amountYen, postalCode, address, prefecture, city, phone, email, receiptNumber, or row */
                      field: string;
                      problem: string;
                      /** @description In the language of Accept-Language */
                      message: string;
                      /** @description The cell as written, shortened */
                      value?: string;
                    }[];
                })[];
              /** @description Rows matching the outcome filter */
              rowsTotal: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        413: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        415: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/imports": {
    /** Donor imports of your municipalities, newest first */
    get: {
      parameters: {
        query?: {
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  status: string;
                  municipalityCode: string;
                  fileName: string;
                  encoding: string;
                  mapping: {
                    [key: string]: string | null;
                  };
                  totals: {
                    rows: number;
                    imported: number;
                    duplicates: number;
                    refused: number;
                    newPeople: number;
                  };
                  createdAt: string;
                  finishedAt: string | null;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/imports/{id}": {
    /** A donor import with its totals and a page of its row report (?outcome=refused) */
    get: {
      parameters: {
        query?: {
          outcome?: "imported" | "duplicate" | "refused";
          limit?: number;
          offset?: number;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              status: string;
              municipalityCode: string;
              fileName: string;
              encoding: string;
              mapping: {
                [key: string]: string | null;
              };
              totals: {
                rows: number;
                imported: number;
                duplicates: number;
                refused: number;
                newPeople: number;
              };
              createdAt: string;
              finishedAt: string | null;
              /** @description One page of the row report, in file order */
              rows: ({
                  /** @description Row in the spreadsheet; the header is row 1 */
                  rowNumber: number;
                  /** @enum {string} */
                  outcome: "imported" | "duplicate" | "refused";
                  /** @description The donor; null when refused or outside your scope */
                  personId: string | null;
                  /** @description The donor's name as registered; null when personId is */
                  personName: string | null;
                  /** @description The donation record created by this row */
                  engagementId: string | null;
                  problems: {
                      /** @description The column as the file names it (empty for the whole row) */
                      column: string;
                      /** @description One of name, familyName, givenName, kana, familyKana, givenKana, donatedOn, amountYen, postalCode, address, prefecture, city, phone, email, receiptNumber, or row */
                      field: string;
                      problem: string;
                      /** @description In the language of Accept-Language */
                      message: string;
                      /** @description The cell as written, shortened */
                      value?: string;
                    }[];
                })[];
              /** @description Rows matching the outcome filter */
              rowsTotal: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/certifications": {
    /** Certified people within your scope (山形 心のふるさと県民: donations in 3 consecutive years) */
    get: {
      parameters: {
        query?: {
          kind?: "kokoro_furusato";
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: {
                  /** Format: uuid */
                  personId: string;
                  name: string;
                  /** @description kokoro_furusato: 山形 心のふるさと県民 */
                  kind: string;
                  label: string;
                  prefectureCode: string;
                  /** @description The donation that completed the qualifying run (yyyy-mm-dd) */
                  since: string;
                }[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/analytics/consultations": {
    /**
     * Needs analysis of consultations for a fiscal year (JSON, or .xlsx / .csv by Accept or ?format=; exports audited)
     * @description Where consulting people live, topics per month, channels that lead to moves, days from first contact to move, conversion per stage and per-municipality counts. Municipality staff always get their own municipality (another `municipality` answers 404); partners 404. `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` or `text/csv` (or `?format=xlsx|csv`) returns a file named like consultations-FY2026.xlsx. Answers are kept and served again while nothing they count has changed (exact to the transaction); the `x-analytics-cache` header says hit or miss.
     */
    get: {
      parameters: {
        query?: {
          /** @description Fiscal year (April–March, Asia/Tokyo), e.g. 2026 = 2026-04-01…2027-03-31; default: the current one */
          fy?: number;
          /** @description Only what concerns this municipality. Municipality staff always get their own (another code answers 404). */
          municipality?: string;
          /** @description json (default), xlsx (one sheet per table) or csv (UTF-8 with BOM); overrides Accept */
          format?: "json" | "xlsx" | "csv";
          /** @description CSV only: just this table with its own columns. Without it the CSV is one long table: 表, 行, 列, 値 */
          table?: "summary" | "areas" | "topics" | "channels" | "time_to_move" | "conversion" | "municipalities";
        };
      };
      responses: {
        /** @description The analysis */
        200: {
          content: {
            "application/json": {
              /** @description 2026 = FY2026 (令和8年度) */
              fiscalYear: number;
              /** @description First day of the fiscal year, yyyy-mm-dd */
              from: string;
              /** @description Last day of the fiscal year, yyyy-mm-dd */
              to: string;
              /** @description The municipality filter; null = all */
              municipality: {
                code: string;
                name: string;
              } | null;
              /** @description ISO timestamp of the computation */
              generatedAt: string;
              totals: {
                /** @description Consultations that took place in the year */
                consultations: number;
                /** @description Distinct people among them */
                people: number;
                /** @description Cases opened (first contact) in the year */
                casesOpened: number;
                /** @description Cases whose move-in date falls in the year */
                moves: number;
              };
              areas: ({
                  /** @enum {string} */
                  area: "shutoken" | "kansai" | "chukyo" | "yamagata" | "other" | "unknown";
                  people: number;
                  /** @description Fraction 0–1; null when the base is 0 */
                  peopleShare: number | null;
                  consultations: number;
                  /** @description Fraction 0–1; null when the base is 0 */
                  consultationsShare: number | null;
                })[];
              topicsByMonth: {
                  /** @description yyyy-mm */
                  month: string;
                  consultations: number;
                  topics: {
                    [key: string]: number;
                  };
                }[];
              topicTotals: ({
                  /** @enum {string} */
                  topic: "work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other";
                  consultations: number;
                  /** @description Of the year’s consultations */
                  share: number | null;
                })[];
              channels: ({
                  /** @enum {string} */
                  channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
                  consultations: number;
                  people: number;
                  peopleMoved: number;
                  /** @description peopleMoved / people */
                  moveRate: number | null;
                })[];
              timeToMove: {
                cases: number;
                p25: number | null;
                median: number | null;
                p75: number | null;
              };
              conversion: {
                casesOpened: number;
                stages: ({
                    /** @enum {string} */
                    stage: "first_contact" | "consulting" | "visited_or_trial_stay" | "decided" | "moved" | "settled";
                    /** @description Cases that reached this rung or a later one */
                    cases: number;
                    /** @description Fraction 0–1; null when the base is 0 */
                    shareOfOpened: number | null;
                    /** @description Of the cases that reached the rung before; null for first_contact */
                    shareOfPrevious: number | null;
                  })[];
                ended: {
                  /** @description Cases of the cohort ended without a move */
                  cases: number;
                  byReason: ({
                      /** @enum {string} */
                      reason: "chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other";
                      cases: number;
                    })[];
                };
              };
              municipalities: {
                  code: string;
                  name: string;
                  /** @description Consultations of the year naming it as a municipality of interest */
                  consultations: number;
                  /** @description Cases opened in the year about it */
                  casesOpened: number;
                  /** @description Moves into it in the year */
                  moves: number;
                }[];
            };
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
            "text/csv": string;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/plans": {
    /** Plans with their indicators, baselines and target increments per fiscal year (docs/kpi.md) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  code: string;
                  nameJa: string;
                  nameEn: string;
                  fromFiscalYear: number;
                  toFiscalYear: number;
                  municipalityCode: string | null;
                  indicators: ({
                      /** @enum {string} */
                      code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                      labelJa: string;
                      labelEn: string;
                      /** @enum {string} */
                      unit: "people" | "organizations" | "count";
                      baseline: number;
                      targets: {
                          fiscalYear: number;
                          target: number;
                        }[];
                      municipalityTargets: {
                          municipalityCode: string;
                          fiscalYear: number;
                          target: number;
                        }[];
                    })[];
                  createdAt: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Add a plan (prefecture admin): period, indicators (each computed by a stated rule), targets per fiscal year
     * @description Targets are increments per fiscal year within the period; optional per-municipality targets. Audited. A code already taken, a year outside the period or given twice answers 400 naming the field.
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description Stable key, lower-case letters, digits and hyphens (seed-001 is the seeded plan) */
            code: string;
            nameJa: string;
            nameEn: string;
            /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
            fromFiscalYear: number;
            /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
            toFiscalYear: number;
            /** @description A municipality’s own plan; null: the prefecture’s */
            municipalityCode?: string | null;
            note?: string | null;
            indicators: ({
                /**
                 * @description The rule that computes the actual (docs/kpi.md)
                 * @enum {string}
                 */
                code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                labelJa: string;
                labelEn: string;
                /** @enum {string} */
                unit: "people" | "organizations" | "count";
                /**
                 * @description 基準値: the value before the plan
                 * @default 0
                 */
                baseline?: number;
                /** @description Target increment per fiscal year of the plan (each year once, within the period) */
                targets: {
                    /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
                    fiscalYear: number;
                    target: number;
                  }[];
                /**
                 * @description Optional: a municipality’s target increment in a fiscal year
                 * @default []
                 */
                municipalityTargets?: {
                    /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
                    fiscalYear: number;
                    target: number;
                    /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
                    municipalityCode: string;
                  }[];
              })[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              code: string;
              nameJa: string;
              nameEn: string;
              fromFiscalYear: number;
              toFiscalYear: number;
              municipalityCode: string | null;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  labelJa: string;
                  labelEn: string;
                  /** @enum {string} */
                  unit: "people" | "organizations" | "count";
                  baseline: number;
                  targets: {
                      fiscalYear: number;
                      target: number;
                    }[];
                  municipalityTargets: {
                      municipalityCode: string;
                      fiscalYear: number;
                      target: number;
                    }[];
                })[];
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/plans/{id}": {
    /**
     * Change a plan (prefecture admin): name, period, indicators and targets per fiscal year
     * @description Checked as a new plan is (400 naming the field). Once the evaluation of a fiscal year is approved, the period’s start, the indicators and the targets up to that year are fixed (400 `fixed_by_approved_evaluation` on each such field); later targets stay editable. Audited with every changed target, old → new.
     */
    put: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            nameJa: string;
            nameEn: string;
            /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
            fromFiscalYear: number;
            /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
            toFiscalYear: number;
            /** @description A municipality’s own plan; null: the prefecture’s */
            municipalityCode?: string | null;
            note?: string | null;
            indicators: ({
                /**
                 * @description The rule that computes the actual (docs/kpi.md)
                 * @enum {string}
                 */
                code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                labelJa: string;
                labelEn: string;
                /** @enum {string} */
                unit: "people" | "organizations" | "count";
                /**
                 * @description 基準値: the value before the plan
                 * @default 0
                 */
                baseline?: number;
                /** @description Target increment per fiscal year of the plan (each year once, within the period) */
                targets: {
                    /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
                    fiscalYear: number;
                    target: number;
                  }[];
                /**
                 * @description Optional: a municipality’s target increment in a fiscal year
                 * @default []
                 */
                municipalityTargets?: {
                    /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
                    fiscalYear: number;
                    target: number;
                    /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
                    municipalityCode: string;
                  }[];
              })[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              code: string;
              nameJa: string;
              nameEn: string;
              fromFiscalYear: number;
              toFiscalYear: number;
              municipalityCode: string | null;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  labelJa: string;
                  labelEn: string;
                  /** @enum {string} */
                  unit: "people" | "organizations" | "count";
                  baseline: number;
                  targets: {
                      fiscalYear: number;
                      target: number;
                    }[];
                  municipalityTargets: {
                      municipalityCode: string;
                      fiscalYear: number;
                      target: number;
                    }[];
                })[];
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/actuals": {
    /**
     * The plan’s indicators for a fiscal year: target, actual (computed by the rules of docs/kpi.md), cumulative, per municipality
     * @description `actual: null` where there is no data (④ until readiness records exist). Municipality staff always get their own municipality (another `municipality` answers 404); partners 404.
     */
    get: {
      parameters: {
        query?: {
          /** @description Default: the current fiscal year in Japan */
          fiscalYear?: number;
          /** @description Only this municipality. Municipality staff always get their own (another code answers 404) */
          municipality?: string;
          /** @description Plan code or id; default: the prefecture’s plan covering the fiscal year (else the latest) */
          plan?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              fiscalYear: number;
              /** @description First day of the fiscal year, yyyy-mm-dd */
              from: string;
              /** @description Last day, yyyy-mm-dd */
              to: string;
              municipality: {
                code: string;
                name: string;
              } | null;
              plan: {
                /** Format: uuid */
                id: string;
                code: string;
                name: string;
                fromFiscalYear: number;
                toFiscalYear: number;
              };
              items: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  /** @description In the language of Accept-Language */
                  label: string;
                  labelJa: string;
                  labelEn: string;
                  /** @enum {string} */
                  unit: "people" | "organizations" | "count";
                  baseline: number;
                  /** @description Target increment of the year (the municipality’s when filtered; null when none is set) */
                  target: number | null;
                  /** @description Computed from the records; null = no data (the records it needs do not exist yet) */
                  actual: number | null;
                  /** @description Sum of the targets from the plan’s first year to this one */
                  cumulativeTarget: number | null;
                  /** @description Sum of the actuals from the plan’s first year to this one */
                  cumulativeActual: number | null;
                  /** @description actual / target (fraction; null when either is null or the target is 0) */
                  achievement: number | null;
                  /** @description Each fiscal year of the plan up to this one (for the chart: bars per year, cumulative line) */
                  trend: ({
                      fiscalYear: number;
                      target: number | null;
                      actual: number | null;
                      cumulativeTarget: number | null;
                      cumulativeActual: number | null;
                    })[];
                  /** @description ① by UIJ type (U, I, J, unknown); continuing_participants: previous-year participants and share */
                  breakdown: {
                      key: string;
                      value: number;
                    }[];
                })[];
              municipalities: ({
                  code: string;
                  name: string;
                  figures: ({
                      /** @enum {string} */
                      code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                      actual: number | null;
                      target: number | null;
                    })[];
                })[];
              generatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/actuals/{code}/records": {
    /**
     * The records behind a figure (drill-down): moved cases, people, events — exactly those counted; audited
     * @description Within the reader’s scope: municipality staff see their municipality’s records only (another `municipality` answers 404). `sum` over all rows equals the actual.
     */
    get: {
      parameters: {
        query?: {
          /** @description Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear?: number;
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          limit?: number;
          offset?: number;
        };
        path: {
          code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
              fiscalYear: number;
              /** @description Rows in all */
              total: number;
              /** @description Sum of `value` over all rows: equals the actual */
              sum: number | null;
              items: ({
                  /**
                   * @description What the row is: a moved case, a person, an event
                   * @enum {string}
                   */
                  kind: "case" | "person" | "event";
                  /** Format: uuid */
                  id: string;
                  personId: string | null;
                  /** @description Person’s name, or the event’s title */
                  name: string;
                  /** @description The date that put it in the year (yyyy-mm-dd, Japan) */
                  on: string;
                  municipalityCode: string | null;
                  municipalityName: string | null;
                  /** @description What it adds to the figure: household size, 1 person, visitors of the event */
                  value: number;
                  /** @description UIJ type, stage reached, or checked-in + headcount split */
                  detail: string | null;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/depth": {
    /**
     * Depth of a fiscal year: stage transitions (from → to), cohort retention, registered beside active people (docs/kpi.md)
     * @description Aggregates computed from the records. Municipality staff always get their own municipality (another `municipality` answers 404); partners 404. `activity[].continuing` equals the continuing_participants indicator.
     */
    get: {
      parameters: {
        query?: {
          /** @description Default: the current fiscal year in Japan */
          fiscalYear?: number;
          /** @description Only this municipality. Municipality staff always get their own (another code answers 404) */
          municipality?: string;
          /** @description Only people who declared these roots (ルーツ: birthplace, parents’ birthplace …); none: everyone */
          roots?: "birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other";
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              fiscalYear: number;
              municipality: {
                code: string;
                name: string;
              } | null;
              /** @description The roots the views are limited to; null: everyone */
              roots: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other") | null;
              /** @description null before the year has begun */
              stageTransitions: {
                /** @description Row and column labels: （なし）, 関心 … 定住 */
                stages: string[];
                /** @description counts[from][to]: person × municipality pairs */
                counts: number[][];
              } | null;
              cohortRetention: ({
                  cohortFiscalYear: number;
                  /** @description People registered in the year */
                  cohortSize: number;
                  /** @description retained[k]: of them, active in the year + k + 1; null while that year is not over */
                  retained: (number | null)[];
                })[];
              activity: {
                  fiscalYear: number;
                  registered: number;
                  active: number;
                  /** @description Active and registered in the same year */
                  activeNew: number;
                  /** @description Active in this and the previous year (= continuing_participants) */
                  continuing: number;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/evaluations": {
    /** Evaluations recorded (draft or approved), newest fiscal year first */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  fiscalYear: number;
                  planCode: string;
                  /** @enum {string} */
                  state: "draft" | "approved";
                  approvedAt: string | null;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/evaluations/{fiscalYear}": {
    /**
     * The evaluation of a fiscal year: state, commentary per indicator, the committee’s opinions, what stops approval
     * @description A year nobody has written about yet answers as an empty draft. A year outside the plan answers 400 naming `fiscalYear`.
     */
    get: {
      parameters: {
        query?: {
          /** @description Plan code or id; default: the prefecture’s plan covering the fiscal year */
          plan?: string;
        };
        path: {
          /** @description Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              fiscalYear: number;
              plan: {
                /** Format: uuid */
                id: string;
                code: string;
                name: string;
              };
              /**
               * @description draft until a prefecture admin approves it
               * @enum {string}
               */
              state: "draft" | "approved";
              approvedBy: string | null;
              approvedAt: string | null;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  label: string;
                  commentary: string | null;
                  commentaryUpdatedAt: string | null;
                })[];
              opinions: ({
                  /** Format: uuid */
                  id: string;
                  givenOn: string;
                  author: string;
                  indicatorCode: ("uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants") | null;
                  text: string;
                  recordedAt: string;
                })[];
              /** @description What stops approval now (empty: a prefecture admin may approve) */
              approvalProblems: {
                  field: string;
                  message: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/evaluations/{fiscalYear}/commentary/{code}": {
    /**
     * Write the prefecture’s commentary on one indicator (empty text removes it); audited
     * @description Only while the evaluation is a draft: an approved one answers 409 CONFLICT.
     */
    put: {
      parameters: {
        query?: {
          /** @description Plan code or id; default: the prefecture’s plan covering the fiscal year */
          plan?: string;
        };
        path: {
          /** @description Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear: number;
          code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description The prefecture’s own assessment of the indicator in the year (empty removes it) */
            text?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              fiscalYear: number;
              plan: {
                /** Format: uuid */
                id: string;
                code: string;
                name: string;
              };
              /**
               * @description draft until a prefecture admin approves it
               * @enum {string}
               */
              state: "draft" | "approved";
              approvedBy: string | null;
              approvedAt: string | null;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  label: string;
                  commentary: string | null;
                  commentaryUpdatedAt: string | null;
                })[];
              opinions: ({
                  /** Format: uuid */
                  id: string;
                  givenOn: string;
                  author: string;
                  indicatorCode: ("uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants") | null;
                  text: string;
                  recordedAt: string;
                })[];
              /** @description What stops approval now (empty: a prefecture admin may approve) */
              approvalProblems: {
                  field: string;
                  message: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/evaluations/{fiscalYear}/opinions": {
    /**
     * Record an opinion of the external committee (有識者の意見) with its date and author; audited
     * @description Only while the evaluation is a draft (409 CONFLICT once approved). The date may not be in the future nor before the fiscal year.
     */
    post: {
      parameters: {
        query?: {
          /** @description Plan code or id; default: the prefecture’s plan covering the fiscal year */
          plan?: string;
        };
        path: {
          /** @description Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear: number;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description The day the committee gave the opinion (yyyy-mm-dd, Japan): not in the future, not before the fiscal year */
            givenOn: string;
            /** @description The committee or its member (山形県関係人口推進有識者会議 委員長 など) */
            author: string;
            /**
             * @description The indicator it is about; null: the plan as a whole
             * @default null
             */
            indicatorCode?: ("uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants") | null;
            /** @description The opinion as recorded in the minutes */
            text?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              fiscalYear: number;
              plan: {
                /** Format: uuid */
                id: string;
                code: string;
                name: string;
              };
              /**
               * @description draft until a prefecture admin approves it
               * @enum {string}
               */
              state: "draft" | "approved";
              approvedBy: string | null;
              approvedAt: string | null;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  label: string;
                  commentary: string | null;
                  commentaryUpdatedAt: string | null;
                })[];
              opinions: ({
                  /** Format: uuid */
                  id: string;
                  givenOn: string;
                  author: string;
                  indicatorCode: ("uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants") | null;
                  text: string;
                  recordedAt: string;
                })[];
              /** @description What stops approval now (empty: a prefecture admin may approve) */
              approvalProblems: {
                  field: string;
                  message: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/evaluations/{fiscalYear}/approve": {
    /**
     * Approve the evaluation (prefecture admin): freezes the figures, records who approved and when; audited
     * @description Refused with 400 naming each field while the fiscal year is not over (`fiscalYear`) or an indicator has no commentary (`commentary.<code>`); 409 when already approved. The approved report is what the public page, the open data and the report files show.
     */
    post: {
      parameters: {
        query?: {
          /** @description Plan code or id; default: the prefecture’s plan covering the fiscal year */
          plan?: string;
        };
        path: {
          /** @description Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear: number;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description The approver confirms the figures and texts shown; only a prefecture admin can reopen it, with a reason
             * @enum {boolean}
             */
            confirm: true;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              fiscalYear: number;
              plan: {
                /** Format: uuid */
                id: string;
                code: string;
                name: string;
              };
              /**
               * @description draft until a prefecture admin approves it
               * @enum {string}
               */
              state: "draft" | "approved";
              approvedBy: string | null;
              approvedAt: string | null;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  label: string;
                  commentary: string | null;
                  commentaryUpdatedAt: string | null;
                })[];
              opinions: ({
                  /** Format: uuid */
                  id: string;
                  givenOn: string;
                  author: string;
                  indicatorCode: ("uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants") | null;
                  text: string;
                  recordedAt: string;
                })[];
              /** @description What stops approval now (empty: a prefecture admin may approve) */
              approvalProblems: {
                  field: string;
                  message: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/evaluations/{fiscalYear}/reopen": {
    /**
     * Undo an approval (prefecture admin), with a reason: back to draft, figures unfrozen, unpublished until approved again; audited old → new
     * @description 409 unless the evaluation is approved. The public page, the open data and the public report stop showing the year; the staff report shows today’s figures as a draft again.
     */
    post: {
      parameters: {
        query?: {
          /** @description Plan code or id; default: the prefecture’s plan covering the fiscal year */
          plan?: string;
        };
        path: {
          /** @description Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear: number;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description The admin confirms: the approved figures are unfrozen and unpublished
             * @enum {boolean}
             */
            confirm: true;
            /** @description Why the approval is undone (kept in the audit log) */
            reason?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              fiscalYear: number;
              plan: {
                /** Format: uuid */
                id: string;
                code: string;
                name: string;
              };
              /**
               * @description draft until a prefecture admin approves it
               * @enum {string}
               */
              state: "draft" | "approved";
              approvedBy: string | null;
              approvedAt: string | null;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  label: string;
                  commentary: string | null;
                  commentaryUpdatedAt: string | null;
                })[];
              opinions: ({
                  /** Format: uuid */
                  id: string;
                  givenOn: string;
                  author: string;
                  indicatorCode: ("uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants") | null;
                  text: string;
                  recordedAt: string;
                })[];
              /** @description What stops approval now (empty: a prefecture admin may approve) */
              approvalProblems: {
                  field: string;
                  message: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/kpi/reports/{fiscalYear}": {
    /**
     * The evaluation report as PDF or .xlsx (`?format=` or Accept): as approved, or the draft with today’s figures; audited
     * @description Figures as they are (no suppression): the staff report. The public one is /api/public/kpi/reports/:fiscalYear.
     */
    get: {
      parameters: {
        query?: {
          /** @description Plan code or id; default: the prefecture’s plan covering the fiscal year */
          plan?: string;
          /** @description Default: from Accept (application/pdf or the .xlsx type), else pdf */
          format?: "pdf" | "xlsx";
        };
        path: {
          /** @description Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear: number;
        };
      };
      responses: {
        /** @description The report file */
        200: {
          content: {
            "application/pdf": string;
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        503: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/kpi": {
    /**
     * The approved evaluation of a fiscal year for the public page: plan vs actual, per municipality, commentary, opinions
     * @description Approved reports only (404 while none is). No personal data: counts of people below 10, and those that would reveal one, come as `hidden: true` (X).
     */
    get: {
      parameters: {
        query?: {
          /** @description Default: the latest fiscal year with an approved report */
          fiscalYear?: number;
          /** @description A plan’s code (a municipality’s own plan too); default: the prefecture’s plans */
          plan?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              fiscalYear: number;
              /** @description Fiscal years with an approved report of this plan, newest first */
              approvedYears: number[];
              /** @description Plans with an approved report (the page’s choice): the prefecture’s first, then by municipality */
              plans: ({
                  code: string;
                  name: string;
                  nameEn: string;
                  /** @description A municipality’s own plan; null: the prefecture’s */
                  municipality: {
                    code: string;
                    name: string;
                  } | null;
                })[];
              plan: {
                code: string;
                name: string;
                nameEn: string;
                fromFiscalYear: number;
                toFiscalYear: number;
              };
              prefectureName: string;
              approvedAt: string;
              indicators: ({
                  /** @enum {string} */
                  code: "uij_movers" | "relationship_created" | "exchange_created" | "ready_organizations" | "side_job_hosts" | "continuing_participants";
                  label: string;
                  labelEn: string;
                  unit: string;
                  baseline: {
                    /** @description null: hidden (see `hidden`) or no data */
                    value: number | null;
                    /** @description X (秘匿): a small count of people, or one that would reveal it */
                    hidden: boolean;
                  };
                  target: {
                    /** @description null: hidden (see `hidden`) or no data */
                    value: number | null;
                    /** @description X (秘匿): a small count of people, or one that would reveal it */
                    hidden: boolean;
                  };
                  actual: {
                    /** @description null: hidden (see `hidden`) or no data */
                    value: number | null;
                    /** @description X (秘匿): a small count of people, or one that would reveal it */
                    hidden: boolean;
                  };
                  achievement: {
                    /** @description null: hidden (see `hidden`) or no data */
                    value: number | null;
                    /** @description X (秘匿): a small count of people, or one that would reveal it */
                    hidden: boolean;
                  };
                  cumulativeTarget: {
                    /** @description null: hidden (see `hidden`) or no data */
                    value: number | null;
                    /** @description X (秘匿): a small count of people, or one that would reveal it */
                    hidden: boolean;
                  };
                  cumulativeActual: {
                    /** @description null: hidden (see `hidden`) or no data */
                    value: number | null;
                    /** @description X (秘匿): a small count of people, or one that would reveal it */
                    hidden: boolean;
                  };
                  trend: ({
                      fiscalYear: number;
                      target: {
                        /** @description null: hidden (see `hidden`) or no data */
                        value: number | null;
                        /** @description X (秘匿): a small count of people, or one that would reveal it */
                        hidden: boolean;
                      };
                      actual: {
                        /** @description null: hidden (see `hidden`) or no data */
                        value: number | null;
                        /** @description X (秘匿): a small count of people, or one that would reveal it */
                        hidden: boolean;
                      };
                      cumulativeTarget: {
                        /** @description null: hidden (see `hidden`) or no data */
                        value: number | null;
                        /** @description X (秘匿): a small count of people, or one that would reveal it */
                        hidden: boolean;
                      };
                      cumulativeActual: {
                        /** @description null: hidden (see `hidden`) or no data */
                        value: number | null;
                        /** @description X (秘匿): a small count of people, or one that would reveal it */
                        hidden: boolean;
                      };
                    })[];
                  municipalities: ({
                      code: string;
                      name: string;
                      actual: {
                        /** @description null: hidden (see `hidden`) or no data */
                        value: number | null;
                        /** @description X (秘匿): a small count of people, or one that would reveal it */
                        hidden: boolean;
                      };
                    })[];
                  commentary: string | null;
                  opinions: {
                      givenOn: string;
                      author: string;
                      text: string;
                    }[];
                })[];
              generalOpinions: {
                  givenOn: string;
                  author: string;
                  text: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/kpi/opendata.csv": {
    /**
     * Open data (オープンデータ): one row per municipality × indicator × approved fiscal year, UTF-8 with BOM, 全国地方公共団体コード first
     * @description Counts of people below 10 and those that would reveal one are `X` (備考: 秘匿). 404 while nothing is approved.
     */
    get: {
      responses: {
        /** @description CSV */
        200: {
          content: {
            "text/csv": string;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/kpi/reports/{fiscalYear}": {
    /** The approved evaluation report for the public (small counts of people shown as X), as PDF or .xlsx */
    get: {
      parameters: {
        query?: {
          /** @description Default: from Accept, else pdf */
          format?: "pdf" | "xlsx";
          /** @description A plan’s code (a municipality’s own plan too); default: the prefecture’s plans */
          plan?: string;
        };
        path: {
          /** @description Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31 */
          fiscalYear: number;
        };
      };
      responses: {
        /** @description The report file */
        200: {
          content: {
            "application/pdf": string;
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        503: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/cards/verify": {
    /**
     * Verify a supporter card (public): signature against the published JWKS, expiry, then revocation
     * @description A token that is not a string of 1–4,096 characters of base64url and dots is a bad request (400 naming token). Any such string answers 200: {valid: true, card} or {valid: false, reason, message} — reason one of malformed, bad_signature, unknown_key, expired, revoked, not_yet_valid, wrong_issuer (signed by our key for another issuer than the configured one).
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description The compact JWS from the QR code (the part after # in the verify link): base64url and dots, at most 4,096 characters */
            token: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": OneOf<[{
              /** @enum {boolean} */
              valid: true;
              card: {
                /** Format: uuid */
                id: string;
                /** @description Holder name as registered, to match the card to the person showing it */
                name: string;
                municipalities: ({
                    code: string;
                    name: string;
                    /**
                     * @description The registration tier with this municipality
                     * @enum {string}
                     */
                    tier: "basic" | "premium";
                  })[];
                issuedAt: string;
                expiresAt: string;
                /** @description e.g. 山形 心のふるさと県民 */
                certifications: {
                    kind: string;
                    label: string;
                  }[];
              };
            }, {
              /** @enum {boolean} */
              valid: false;
              /** @enum {string} */
              reason: "malformed" | "bad_signature" | "unknown_key" | "expired" | "revoked" | "not_yet_valid" | "wrong_issuer";
              /** @description The reason in the language of Accept-Language */
              message: string;
            }]>;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        429: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/cards/revoked": {
    /** Revoked cards that have not expired yet (public), for verifiers that check offline */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              generatedAt: string;
              items: {
                  /** Format: uuid */
                  id: string;
                  revokedAt: string;
                  expiresAt: string;
                }[];
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/cards": {
    /** The person's cards, newest first (audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  personId: string;
                  municipalityCodes: string[];
                  kid: string;
                  issuedAt: string;
                  expiresAt: string;
                  /** @enum {string} */
                  status: "active" | "expired" | "revoked";
                  revokedAt: string | null;
                  revokeReason: string | null;
                  replacedBy: string | null;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Issue (or reissue) the person’s card; the previous card is revoked as replaced */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description Municipalities on the card; default: every municipality the person supports. Only the caller's own for municipality staff. */
            municipalityCodes?: string[];
            /** @description Days the card is valid; default 365 */
            validDays?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              card: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                personId: string;
                municipalityCodes: string[];
                kid: string;
                issuedAt: string;
                expiresAt: string;
                /** @enum {string} */
                status: "active" | "expired" | "revoked";
                revokedAt: string | null;
                revokeReason: string | null;
                replacedBy: string | null;
              };
              token: string;
              /** @description What the QR code encodes: the verify page with the token after # */
              verifyUrl: string;
              qrSvg: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/cards/{id}/revoke": {
    /** Revoke a card (no effect on an already revoked card) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            reason: "lost" | "stolen" | "withdrawn" | "issued_in_error" | "other";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              personId: string;
              municipalityCodes: string[];
              kid: string;
              issuedAt: string;
              expiresAt: string;
              /** @enum {string} */
              status: "active" | "expired" | "revoked";
              revokedAt: string | null;
              revokeReason: string | null;
              replacedBy: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/cards/keys/rotate": {
    /** Rotate the card signing key (admin); cards signed before stay valid until they expire */
    post: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              kid: string;
              retired: {
                  kid: string;
                  publishedUntil: string;
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/consultations": {
    /** Consultations within your scope, newest first (audited) */
    get: {
      parameters: {
        query?: {
          /** @description Occurred on or after */
          from?: string;
          /** @description Occurred on or before */
          to?: string;
          channel?: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
          /** @description Names this municipality of interest */
          municipality?: string;
          personId?: string;
          eventId?: string;
          caseId?: string;
          /** @description overdue: a next action not done whose due day is before today (Asia/Tokyo) */
          nextAction?: "overdue";
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** Format: uuid */
                  caseId: string;
                  /** @enum {string} */
                  channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
                  occurredOn: string;
                  consultant: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  topics: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
                  municipalityCodes: string[];
                  desiredTiming: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  /** @description Where the person lived when consulting (snapshot) */
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                  nextActionDue: string | null;
                  nextActionDoneAt: string | null;
                  eventId: string | null;
                  boothId: string | null;
                  isDemo: boolean;
                  createdAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Record a consultation (existing person or a new one); it joins or opens the person’s case
     * @description Give `personId` or `person`. A new person is created like POST /api/people: a known email or phone answers 409 DUPLICATE_PERSON with details.candidates to pick from (nothing is overwritten). Municipalities of interest become `interest` links. The first consultation opens a case at first_contact; later ones join the open case (first_contact → consulting); after a settled or ended case a new one opens. Municipality staff must name their own municipality.
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: uuid
             * @description An existing person; or `person` to create one
             */
            personId?: string;
            /** @description A new person, created like POST /api/people (same dedupe: 409 DUPLICATE_PERSON with the candidates, never overwritten) */
            person?: {
              /** @description 氏名 as written */
              name: string;
              /** @description フリガナ; stored as full-width katakana */
              kana?: string | null;
              email?: string | null;
              phone?: string | null;
              /** @description Prefecture of residence, e.g. 東京都 */
              prefecture?: string | null;
              city?: string | null;
              /** @description People with the same name and reading the caller checked and found to be someone else (from a 409 DUPLICATE_PERSON with match "name"); a contact match is never passed over */
              distinctFrom?: string[];
            };
            /** @enum {string} */
            channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
            /** @description Date: 2024-06-01, 2024/6/1, 令和6年6月1日 or R6.6.1 (Asia/Tokyo); answered as yyyy-mm-dd */
            occurredOn: string;
            /**
             * Format: uuid
             * @description Staff member who consulted; default: the caller
             */
            consultantId?: string;
            /** @default [] */
            topics?: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
            /**
             * @description Municipalities of interest; each also becomes an `interest` link of the person
             * @default []
             */
            municipalityCodes?: string[];
            desiredTiming?: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
            householdSize?: number | null;
            withChildren?: boolean | null;
            familyNote?: string | null;
            notes?: string | null;
            nextAction?: string | null;
            nextActionDue?: string | null;
            /** @description The event (fair, mini day…) where it took place */
            eventId?: string | null;
            /** @description The booth of that event */
            boothId?: string | null;
            /** @description Refer the person at once (オール山形) */
            referral?: {
              /**
               * Format: uuid
               * @description A partner agency (organizations); or toMunicipalityCode
               */
              toOrganizationId?: string;
              /** @description A municipality; or toOrganizationId */
              toMunicipalityCode?: string;
              /**
               * @description jobs 就業, housing 住まい, farming 就農, childcare 子育て, business 起業, other
               * @enum {string}
               */
              area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
              /** @description What the partner is asked to do */
              message?: string | null;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              consultation: {
                /** Format: uuid */
                id: string;
                person: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                };
                /** Format: uuid */
                caseId: string;
                /** @enum {string} */
                channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
                occurredOn: string;
                consultant: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                } | null;
                topics: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
                municipalityCodes: string[];
                desiredTiming: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
                householdSize: number | null;
                withChildren: boolean | null;
                familyNote: string | null;
                /** @description Where the person lived when consulting (snapshot) */
                residencePrefecture: string | null;
                notes: string | null;
                nextAction: string | null;
                nextActionDue: string | null;
                nextActionDoneAt: string | null;
                eventId: string | null;
                boothId: string | null;
                isDemo: boolean;
                createdAt: string;
              };
              /** @description The case the consultation joined or opened */
              case: {
                /** Format: uuid */
                id: string;
                person: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                };
                /** @enum {string} */
                step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
                /** @description Date of the current step */
                stepOn: string;
                openedOn: string;
                /** @description The municipality the case is mainly about (the move-in municipality once moved) */
                municipalityCode: string | null;
                consultant: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                } | null;
                movedMunicipalityCode: string | null;
                movedOn: string | null;
                endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
                endNote: string | null;
                /** @description Not settled or ended */
                isOpen: boolean;
                isDemo: boolean;
                createdAt: string;
                updatedAt: string;
              };
              /** @description true: this consultation opened a new case */
              caseOpened: boolean;
              personCreated: boolean;
              referral: ({
                /** Format: uuid */
                id: string;
                /** @description Name and contact, so the receiving partner can act */
                person: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                  email: string | null;
                  phone: string | null;
                  prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                  city: string | null;
                };
                caseId: string | null;
                consultationId: string | null;
                toOrganization: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                } | null;
                toMunicipalityCode: string | null;
                /** @enum {string} */
                area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
                message: string | null;
                /** @enum {string} */
                status: "sent" | "accepted" | "declined" | "completed";
                outcome: ("matched" | "not_matched" | "person_withdrew" | "other") | null;
                outcomeNote: string | null;
                sentAt: string;
                respondedAt: string | null;
                closedAt: string | null;
                createdBy: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                } | null;
                /** @description sent or accepted */
                isOpen: boolean;
                /** @description Calendar days (Asia/Tokyo) from sending to today */
                daysSinceSent: number;
                /** @description Calendar days from sending to the first answer; null while unanswered */
                daysToFirstResponse: number | null;
              }) | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/consultations/{id}": {
    /** One consultation (the read is audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
              };
              /** Format: uuid */
              caseId: string;
              /** @enum {string} */
              channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
              occurredOn: string;
              consultant: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              topics: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
              municipalityCodes: string[];
              desiredTiming: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
              householdSize: number | null;
              withChildren: boolean | null;
              familyNote: string | null;
              /** @description Where the person lived when consulting (snapshot) */
              residencePrefecture: string | null;
              notes: string | null;
              nextAction: string | null;
              nextActionDue: string | null;
              nextActionDoneAt: string | null;
              eventId: string | null;
              boothId: string | null;
              isDemo: boolean;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Change the notes or the next action (due date, done) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      /** @description Any subset of the fields */
      requestBody: {
        content: {
          "application/json": {
            notes?: string | null;
            nextAction?: string | null;
            nextActionDue?: string | null;
            /** @description true: the next action is done (dated now); false: reopen it */
            nextActionDone?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
              };
              /** Format: uuid */
              caseId: string;
              /** @enum {string} */
              channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
              occurredOn: string;
              consultant: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              topics: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
              municipalityCodes: string[];
              desiredTiming: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
              householdSize: number | null;
              withChildren: boolean | null;
              familyNote: string | null;
              /** @description Where the person lived when consulting (snapshot) */
              residencePrefecture: string | null;
              notes: string | null;
              nextAction: string | null;
              nextActionDue: string | null;
              nextActionDoneAt: string | null;
              eventId: string | null;
              boothId: string | null;
              isDemo: boolean;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/cases": {
    /** Cases within your scope (filter by step, municipality, consultant; audited) */
    get: {
      parameters: {
        query?: {
          step?: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          /** @description Staff id of the consultant */
          consultant?: string;
          personId?: string;
          /** @description true: only open cases; false: only settled or ended */
          open?: "true" | "false";
          /** @description Moved in on or after this day */
          movedFrom?: string;
          /** @description Moved in on or before this day */
          movedTo?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** @enum {string} */
                  step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
                  /** @description Date of the current step */
                  stepOn: string;
                  openedOn: string;
                  /** @description The municipality the case is mainly about (the move-in municipality once moved) */
                  municipalityCode: string | null;
                  consultant: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
                  endNote: string | null;
                  /** @description Not settled or ended */
                  isOpen: boolean;
                  isDemo: boolean;
                  createdAt: string;
                  updatedAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/cases/{id}": {
    /** A case with its dated steps, consultations, referrals and follow-ups (audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
              };
              /** @enum {string} */
              step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
              /** @description Date of the current step */
              stepOn: string;
              openedOn: string;
              /** @description The municipality the case is mainly about (the move-in municipality once moved) */
              municipalityCode: string | null;
              consultant: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              movedMunicipalityCode: string | null;
              movedOn: string | null;
              endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
              endNote: string | null;
              /** @description Not settled or ended */
              isOpen: boolean;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
              /** @description Every dated step, oldest first */
              steps: ({
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
                  occurredOn: string;
                  municipalityCode: string | null;
                  endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
                  /** @description moved: people who moved together (null on other steps) */
                  householdSize: number | null;
                  /** @description moved: U, I or J turn; null when not recorded */
                  uijType: ("U" | "I" | "J") | null;
                  note: string | null;
                  createdBy: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  createdAt: string;
                })[];
              consultations: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** Format: uuid */
                  caseId: string;
                  /** @enum {string} */
                  channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
                  occurredOn: string;
                  consultant: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  topics: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
                  municipalityCodes: string[];
                  desiredTiming: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  /** @description Where the person lived when consulting (snapshot) */
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                  nextActionDue: string | null;
                  nextActionDoneAt: string | null;
                  eventId: string | null;
                  boothId: string | null;
                  isDemo: boolean;
                  createdAt: string;
                })[];
              referrals: ({
                  /** Format: uuid */
                  id: string;
                  /** @description Name and contact, so the receiving partner can act */
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                    email: string | null;
                    phone: string | null;
                    prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                    city: string | null;
                  };
                  caseId: string | null;
                  consultationId: string | null;
                  toOrganization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  toMunicipalityCode: string | null;
                  /** @enum {string} */
                  area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
                  message: string | null;
                  /** @enum {string} */
                  status: "sent" | "accepted" | "declined" | "completed";
                  outcome: ("matched" | "not_matched" | "person_withdrew" | "other") | null;
                  outcomeNote: string | null;
                  sentAt: string;
                  respondedAt: string | null;
                  closedAt: string | null;
                  createdBy: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  /** @description sent or accepted */
                  isOpen: boolean;
                  /** @description Calendar days (Asia/Tokyo) from sending to today */
                  daysSinceSent: number;
                  /** @description Calendar days from sending to the first answer; null while unanswered */
                  daysToFirstResponse: number | null;
                })[];
              followups: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                    email: string | null;
                    phone: string | null;
                  };
                  /** Format: uuid */
                  caseId: string;
                  municipalityCode: string;
                  assignee: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  monthsAfterMove: number;
                  movedOn: string | null;
                  dueOn: string;
                  /** @enum {string} */
                  status: "open" | "done" | "skipped";
                  note: string | null;
                  doneAt: string | null;
                  /** @description Open and due before today (Asia/Tokyo) */
                  isOverdue: boolean;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/cases/{id}/steps": {
    /**
     * Move a case to its next step (rules: docs/cases.md)
     * @description Forward only (rungs may be skipped; visited and trial_stay share a rung); nothing after settled or ended; settled only after moved; ended needs endReason and only before moved; dates never before the previous step nor in the future. `moved` needs municipalityCode (the move-in municipality): it adds a moved_in link, an engagement record (stage 移住) and the follow-ups (1, 6, 12 months unless configured).
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description consulting, visited, trial_stay, decided, moved, settled or ended (rules: docs/cases.md)
             * @enum {string}
             */
            step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
            /** @description Date: 2024-06-01, 2024/6/1, 令和6年6月1日 or R6.6.1 (Asia/Tokyo); answered as yyyy-mm-dd */
            occurredOn: string;
            /** @description Required for `moved`: the move-in municipality */
            municipalityCode?: string;
            /**
             * @description Required for `ended`
             * @enum {string}
             */
            endReason?: "chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other";
            /** @description `moved` only: people who moved together, 1–20 (default 1); KPI ① sums them */
            householdSize?: number;
            /**
             * @description `moved` only: U (home again), I (new to the region) or J (near home)
             * @enum {string}
             */
            uijType?: "U" | "I" | "J";
            note?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
              };
              /** @enum {string} */
              step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
              /** @description Date of the current step */
              stepOn: string;
              openedOn: string;
              /** @description The municipality the case is mainly about (the move-in municipality once moved) */
              municipalityCode: string | null;
              consultant: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              movedMunicipalityCode: string | null;
              movedOn: string | null;
              endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
              endNote: string | null;
              /** @description Not settled or ended */
              isOpen: boolean;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
              /** @description Every dated step, oldest first */
              steps: ({
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
                  occurredOn: string;
                  municipalityCode: string | null;
                  endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
                  /** @description moved: people who moved together (null on other steps) */
                  householdSize: number | null;
                  /** @description moved: U, I or J turn; null when not recorded */
                  uijType: ("U" | "I" | "J") | null;
                  note: string | null;
                  createdBy: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  createdAt: string;
                })[];
              consultations: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** Format: uuid */
                  caseId: string;
                  /** @enum {string} */
                  channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
                  occurredOn: string;
                  consultant: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  topics: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
                  municipalityCodes: string[];
                  desiredTiming: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  /** @description Where the person lived when consulting (snapshot) */
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                  nextActionDue: string | null;
                  nextActionDoneAt: string | null;
                  eventId: string | null;
                  boothId: string | null;
                  isDemo: boolean;
                  createdAt: string;
                })[];
              referrals: ({
                  /** Format: uuid */
                  id: string;
                  /** @description Name and contact, so the receiving partner can act */
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                    email: string | null;
                    phone: string | null;
                    prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                    city: string | null;
                  };
                  caseId: string | null;
                  consultationId: string | null;
                  toOrganization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  toMunicipalityCode: string | null;
                  /** @enum {string} */
                  area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
                  message: string | null;
                  /** @enum {string} */
                  status: "sent" | "accepted" | "declined" | "completed";
                  outcome: ("matched" | "not_matched" | "person_withdrew" | "other") | null;
                  outcomeNote: string | null;
                  sentAt: string;
                  respondedAt: string | null;
                  closedAt: string | null;
                  createdBy: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  /** @description sent or accepted */
                  isOpen: boolean;
                  /** @description Calendar days (Asia/Tokyo) from sending to today */
                  daysSinceSent: number;
                  /** @description Calendar days from sending to the first answer; null while unanswered */
                  daysToFirstResponse: number | null;
                })[];
              followups: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                    email: string | null;
                    phone: string | null;
                  };
                  /** Format: uuid */
                  caseId: string;
                  municipalityCode: string;
                  assignee: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  monthsAfterMove: number;
                  movedOn: string | null;
                  dueOn: string;
                  /** @enum {string} */
                  status: "open" | "done" | "skipped";
                  note: string | null;
                  doneAt: string | null;
                  /** @description Open and due before today (Asia/Tokyo) */
                  isOverdue: boolean;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/people/{id}/cases": {
    /** A person's cases with steps, consultations, referrals and follow-ups, newest first (timeline; audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** @enum {string} */
                  step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
                  /** @description Date of the current step */
                  stepOn: string;
                  openedOn: string;
                  /** @description The municipality the case is mainly about (the move-in municipality once moved) */
                  municipalityCode: string | null;
                  consultant: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
                  endNote: string | null;
                  /** @description Not settled or ended */
                  isOpen: boolean;
                  isDemo: boolean;
                  createdAt: string;
                  updatedAt: string;
                  /** @description Every dated step, oldest first */
                  steps: ({
                      /** Format: uuid */
                      id: string;
                      /** @enum {string} */
                      step: "first_contact" | "consulting" | "visited" | "trial_stay" | "decided" | "moved" | "settled" | "ended";
                      occurredOn: string;
                      municipalityCode: string | null;
                      endReason: ("chose_elsewhere" | "postponed" | "no_contact" | "work_not_found" | "housing_not_found" | "family_reasons" | "other") | null;
                      /** @description moved: people who moved together (null on other steps) */
                      householdSize: number | null;
                      /** @description moved: U, I or J turn; null when not recorded */
                      uijType: ("U" | "I" | "J") | null;
                      note: string | null;
                      createdBy: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                      } | null;
                      createdAt: string;
                    })[];
                  consultations: ({
                      /** Format: uuid */
                      id: string;
                      person: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                        kana: string | null;
                      };
                      /** Format: uuid */
                      caseId: string;
                      /** @enum {string} */
                      channel: "fair" | "mini_day" | "theme_desk" | "online" | "tokyo_counter" | "yamagata_counter" | "osaka_office" | "nagoya_office" | "station_popup" | "phone" | "mail";
                      occurredOn: string;
                      consultant: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                      } | null;
                      topics: ("work" | "housing" | "childcare" | "education" | "farming" | "business" | "two_region_living" | "side_job" | "medical_care" | "transport" | "snow_life" | "support_programs" | "other")[];
                      municipalityCodes: string[];
                      desiredTiming: ("within_6_months" | "within_1_year" | "within_2_years" | "later" | "undecided") | null;
                      householdSize: number | null;
                      withChildren: boolean | null;
                      familyNote: string | null;
                      /** @description Where the person lived when consulting (snapshot) */
                      residencePrefecture: string | null;
                      notes: string | null;
                      nextAction: string | null;
                      nextActionDue: string | null;
                      nextActionDoneAt: string | null;
                      eventId: string | null;
                      boothId: string | null;
                      isDemo: boolean;
                      createdAt: string;
                    })[];
                  referrals: ({
                      /** Format: uuid */
                      id: string;
                      /** @description Name and contact, so the receiving partner can act */
                      person: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                        kana: string | null;
                        email: string | null;
                        phone: string | null;
                        prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                        city: string | null;
                      };
                      caseId: string | null;
                      consultationId: string | null;
                      toOrganization: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                      } | null;
                      toMunicipalityCode: string | null;
                      /** @enum {string} */
                      area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
                      message: string | null;
                      /** @enum {string} */
                      status: "sent" | "accepted" | "declined" | "completed";
                      outcome: ("matched" | "not_matched" | "person_withdrew" | "other") | null;
                      outcomeNote: string | null;
                      sentAt: string;
                      respondedAt: string | null;
                      closedAt: string | null;
                      createdBy: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                      } | null;
                      /** @description sent or accepted */
                      isOpen: boolean;
                      /** @description Calendar days (Asia/Tokyo) from sending to today */
                      daysSinceSent: number;
                      /** @description Calendar days from sending to the first answer; null while unanswered */
                      daysToFirstResponse: number | null;
                    })[];
                  followups: ({
                      /** Format: uuid */
                      id: string;
                      person: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                        kana: string | null;
                        email: string | null;
                        phone: string | null;
                      };
                      /** Format: uuid */
                      caseId: string;
                      municipalityCode: string;
                      assignee: {
                        /** Format: uuid */
                        id: string;
                        name: string;
                      } | null;
                      monthsAfterMove: number;
                      movedOn: string | null;
                      dueOn: string;
                      /** @enum {string} */
                      status: "open" | "done" | "skipped";
                      note: string | null;
                      doneAt: string | null;
                      /** @description Open and due before today (Asia/Tokyo) */
                      isOverdue: boolean;
                    })[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/referrals": {
    /**
     * Referrals you may see, with the person’s contact and waiting days (audited)
     * @description Center: all. Municipality staff: those to their municipality. Partners: only those to their organization. `open=true` lists sent and accepted ones, longest waiting first.
     */
    get: {
      parameters: {
        query?: {
          status?: "sent" | "accepted" | "declined" | "completed";
          /** @description true: sent or accepted (longest waiting first); false: declined or completed */
          open?: "true" | "false";
          personId?: string;
          caseId?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** @description Name and contact, so the receiving partner can act */
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                    email: string | null;
                    phone: string | null;
                    prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                    city: string | null;
                  };
                  caseId: string | null;
                  consultationId: string | null;
                  toOrganization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  toMunicipalityCode: string | null;
                  /** @enum {string} */
                  area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
                  message: string | null;
                  /** @enum {string} */
                  status: "sent" | "accepted" | "declined" | "completed";
                  outcome: ("matched" | "not_matched" | "person_withdrew" | "other") | null;
                  outcomeNote: string | null;
                  sentAt: string;
                  respondedAt: string | null;
                  closedAt: string | null;
                  createdBy: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  /** @description sent or accepted */
                  isOpen: boolean;
                  /** @description Calendar days (Asia/Tokyo) from sending to today */
                  daysSinceSent: number;
                  /** @description Calendar days from sending to the first answer; null while unanswered */
                  daysToFirstResponse: number | null;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Refer a person to a partner agency or a municipality
     * @description Name the person by personId, caseId or consultationId (one you may see), and exactly one of toOrganizationId / toMunicipalityCode.
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: uuid
             * @description A partner agency (organizations); or toMunicipalityCode
             */
            toOrganizationId?: string;
            /** @description A municipality; or toOrganizationId */
            toMunicipalityCode?: string;
            /**
             * @description jobs 就業, housing 住まい, farming 就農, childcare 子育て, business 起業, other
             * @enum {string}
             */
            area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
            /** @description What the partner is asked to do */
            message?: string | null;
            /**
             * Format: uuid
             * @description Who is referred; may be left out when caseId or consultationId is given
             */
            personId?: string;
            /** Format: uuid */
            caseId?: string;
            /** Format: uuid */
            consultationId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @description Name and contact, so the receiving partner can act */
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
              };
              caseId: string | null;
              consultationId: string | null;
              toOrganization: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              toMunicipalityCode: string | null;
              /** @enum {string} */
              area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
              message: string | null;
              /** @enum {string} */
              status: "sent" | "accepted" | "declined" | "completed";
              outcome: ("matched" | "not_matched" | "person_withdrew" | "other") | null;
              outcomeNote: string | null;
              sentAt: string;
              respondedAt: string | null;
              closedAt: string | null;
              createdBy: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              /** @description sent or accepted */
              isOpen: boolean;
              /** @description Calendar days (Asia/Tokyo) from sending to today */
              daysSinceSent: number;
              /** @description Calendar days from sending to the first answer; null while unanswered */
              daysToFirstResponse: number | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/referrals/{id}": {
    /** Accept, decline or complete a referral with its outcome (the receiving partner or municipality, or the center) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description accepted 受付, declined 辞退, completed 完了 (needs outcome)
             * @enum {string}
             */
            status: "accepted" | "declined" | "completed";
            /**
             * @description Required with completed
             * @enum {string}
             */
            outcome?: "matched" | "not_matched" | "person_withdrew" | "other";
            outcomeNote?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @description Name and contact, so the receiving partner can act */
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
              };
              caseId: string | null;
              consultationId: string | null;
              toOrganization: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              toMunicipalityCode: string | null;
              /** @enum {string} */
              area: "jobs" | "housing" | "farming" | "childcare" | "business" | "other";
              message: string | null;
              /** @enum {string} */
              status: "sent" | "accepted" | "declined" | "completed";
              outcome: ("matched" | "not_matched" | "person_withdrew" | "other") | null;
              outcomeNote: string | null;
              sentAt: string;
              respondedAt: string | null;
              closedAt: string | null;
              createdBy: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              /** @description sent or accepted */
              isOpen: boolean;
              /** @description Calendar days (Asia/Tokyo) from sending to today */
              daysSinceSent: number;
              /** @description Calendar days from sending to the first answer; null while unanswered */
              daysToFirstResponse: number | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/followups": {
    /**
     * Follow-up tasks within your scope, earliest due first (audited)
     * @description due=overdue: open and due before today (Asia/Tokyo); upcoming: open, due today or later; all (default).
     */
    get: {
      parameters: {
        query?: {
          /** @description overdue: open, due before today; upcoming: open, due today or later */
          due?: "overdue" | "upcoming" | "all";
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          caseId?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                    email: string | null;
                    phone: string | null;
                  };
                  /** Format: uuid */
                  caseId: string;
                  municipalityCode: string;
                  assignee: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  monthsAfterMove: number;
                  movedOn: string | null;
                  dueOn: string;
                  /** @enum {string} */
                  status: "open" | "done" | "skipped";
                  note: string | null;
                  doneAt: string | null;
                  /** @description Open and due before today (Asia/Tokyo) */
                  isOverdue: boolean;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/followups/{id}": {
    /** Mark a follow-up done or skipped, with a note */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            status: "done" | "skipped";
            note?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
              };
              /** Format: uuid */
              caseId: string;
              municipalityCode: string;
              assignee: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              monthsAfterMove: number;
              movedOn: string | null;
              dueOn: string;
              /** @enum {string} */
              status: "open" | "done" | "skipped";
              note: string | null;
              doneAt: string | null;
              /** @description Open and due before today (Asia/Tokyo) */
              isOverdue: boolean;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/settings/followups": {
    /** Months after the move-in at which follow-ups fall due, per prefecture (admin) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  prefectureCode: string;
                  months: number[];
                  /** @description true: no rule stored; the default months apply */
                  isDefault: boolean;
                  updatedAt: string | null;
                })[];
              defaultMonths: number[];
            };
          };
        };
      };
    };
    /** Set the follow-up months of a prefecture (admin); tasks already scheduled keep their dates */
    put: {
      requestBody: {
        content: {
          "application/json": {
            /** @description JIS prefecture code, e.g. 06 (山形県) */
            prefectureCode: string;
            /** @description Months after the move-in date; sorted and de-duplicated */
            months: number[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              prefectureCode: string;
              months: number[];
              /** @description true: no rule stored; the default months apply */
              isDefault: boolean;
              updatedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/dashboard/day": {
    /**
     * Today's work within your scope: consultations, events, overdue follow-ups and next actions, new sign-ups, the fiscal year's moves
     * @description Each figure is counted by the same condition and scope as the list it names, so the two agree. Days are Japan time.
     */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description Japan's date (yyyy-mm-dd) the figures are for */
              today: string;
              /** @description The fiscal year (April–March, Japan time) the moves are counted in */
              fiscalYear: {
                year: number;
                from: string;
                to: string;
              };
              /** @description Consultations recorded for today (/api/consultations?from=&to=) */
              consultationsToday: number;
              /** @description Events held today (/api/events?from=&to=) */
              eventsToday: number;
              /** @description Open follow-ups due before today (/api/followups?due=overdue) */
              overdueFollowups: number;
              /** @description Consultations whose next action is not done and was due before today (/api/consultations?nextAction=overdue) */
              overdueNextActions: number;
              /** @description Cases moved in within the fiscal year (/api/cases?movedFrom=&movedTo=) */
              movesThisYear: number;
              newSignups: {
                since: string;
                days: number;
                /** @description Sign-ups confirmed since `since` with no consultation recorded since */
                total: number;
                items: {
                    /** Format: uuid */
                    personId: string;
                    name: string;
                    isDemo: boolean;
                    confirmedAt: string;
                  }[];
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events": {
    /** Events with registered / capacity / checked-in counts (any staff role) */
    get: {
      parameters: {
        query?: {
          /** @description Events ending on or after this day */
          from?: string;
          /** @description Events starting on or before this day */
          to?: string;
          kind?: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
          status?: "draft" | "published" | "cancelled";
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
                  title: string;
                  description: string | null;
                  /** @description English title; null: none (English pages show the Japanese one) */
                  titleEn: string | null;
                  /** @description English description; null: none */
                  descriptionEn: string | null;
                  /** @description +09:00 */
                  startsAt: string;
                  /** @description +09:00 */
                  endsAt: string;
                  venue: string | null;
                  onlineUrl: string | null;
                  capacity: number | null;
                  /** @description Registrations held (cancelled ones do not count) */
                  registeredCount: number;
                  checkedInCount: number;
                  /** @enum {string} */
                  status: "draft" | "published" | "cancelled";
                  hostMunicipality: {
                    code: string;
                    name: string;
                  } | null;
                  /** @description Municipality of the venue in the prefecture; null: outside the prefecture or online */
                  venueMunicipalityCode: string | null;
                  isDemo: boolean;
                  createdAt: string;
                  updatedAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Create an event with its booths and slots (municipality staff: events their municipality hosts) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description fair フェア, mini_day 相談DAY, theme_desk テーマ別相談, seminar セミナー, online_session オンライン, tour ツアー, trial_stay お試し滞在
             * @enum {string}
             */
            kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
            title: string;
            description?: string | null;
            /** @description English title for the public pages in English; null: none */
            titleEn?: string | null;
            /** @description English description for the public pages in English; null: none */
            descriptionEn?: string | null;
            /**
             * Format: date-time
             * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
             * @example 2025-02-01T11:00:00+09:00
             */
            startsAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
             * @example 2025-02-01T11:00:00+09:00
             */
            endsAt: string;
            venue?: string | null;
            onlineUrl?: string | null;
            /** @description null: no limit */
            capacity?: number | null;
            /**
             * @description draft (not public), published, cancelled
             * @default published
             * @enum {string}
             */
            status?: "draft" | "published" | "cancelled";
            /** @description Hosting municipality; null: the center (prefecture-wide). Municipality staff: their own */
            hostMunicipalityCode?: string | null;
            /** @description The municipality of the prefecture the event takes place in; null: outside the prefecture or online (its visitors do not count as exchange population, KPI ③) */
            venueMunicipalityCode?: string | null;
            booths?: ({
                /**
                 * Format: uuid
                 * @description An existing booth (PATCH); absent: a new booth
                 */
                id?: string;
                name: string;
                /** @description English booth name for the public pages in English; null: none (a municipality’s booth then shows the municipality’s English name, others the Japanese name). On PATCH, absent: unchanged */
                nameEn?: string | null;
                /** @description The municipality staffing the booth */
                municipalityCode?: string | null;
                /** @description The partner agency staffing the booth */
                organizationId?: string | null;
                /** @description Bookable consultation slots. On PATCH the list replaces the booth’s slots (absent: unchanged); a slot with bookings cannot be removed */
                slots?: {
                    /**
                     * Format: uuid
                     * @description An existing slot (PATCH); absent: a new slot
                     */
                    id?: string;
                    /**
                     * Format: date-time
                     * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
                     * @example 2025-02-01T11:00:00+09:00
                     */
                    startsAt: string;
                    /**
                     * Format: date-time
                     * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
                     * @example 2025-02-01T11:00:00+09:00
                     */
                    endsAt: string;
                    /**
                     * @description People per slot (never below those booked)
                     * @default 1
                     */
                    capacity?: number;
                  }[];
              })[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
              title: string;
              description: string | null;
              /** @description English title; null: none (English pages show the Japanese one) */
              titleEn: string | null;
              /** @description English description; null: none */
              descriptionEn: string | null;
              /** @description +09:00 */
              startsAt: string;
              /** @description +09:00 */
              endsAt: string;
              venue: string | null;
              onlineUrl: string | null;
              capacity: number | null;
              /** @description Registrations held (cancelled ones do not count) */
              registeredCount: number;
              checkedInCount: number;
              /** @enum {string} */
              status: "draft" | "published" | "cancelled";
              hostMunicipality: {
                code: string;
                name: string;
              } | null;
              /** @description Municipality of the venue in the prefecture; null: outside the prefecture or online */
              venueMunicipalityCode: string | null;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
              booths: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** @description English booth name; null: none (English pages show the Japanese one) */
                  nameEn: string | null;
                  municipality: {
                    code: string;
                    name: string;
                  } | null;
                  organization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  position: number;
                  slots: {
                      /** Format: uuid */
                      id: string;
                      /** Format: uuid */
                      boothId: string;
                      startsAt: string;
                      endsAt: string;
                      capacity: number;
                      bookedCount: number;
                    }[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}": {
    /** An event with its booths and slots and their booked counts */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
              title: string;
              description: string | null;
              /** @description English title; null: none (English pages show the Japanese one) */
              titleEn: string | null;
              /** @description English description; null: none */
              descriptionEn: string | null;
              /** @description +09:00 */
              startsAt: string;
              /** @description +09:00 */
              endsAt: string;
              venue: string | null;
              onlineUrl: string | null;
              capacity: number | null;
              /** @description Registrations held (cancelled ones do not count) */
              registeredCount: number;
              checkedInCount: number;
              /** @enum {string} */
              status: "draft" | "published" | "cancelled";
              hostMunicipality: {
                code: string;
                name: string;
              } | null;
              /** @description Municipality of the venue in the prefecture; null: outside the prefecture or online */
              venueMunicipalityCode: string | null;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
              booths: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** @description English booth name; null: none (English pages show the Japanese one) */
                  nameEn: string | null;
                  municipality: {
                    code: string;
                    name: string;
                  } | null;
                  organization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  position: number;
                  slots: {
                      /** Format: uuid */
                      id: string;
                      /** Format: uuid */
                      boothId: string;
                      startsAt: string;
                      endsAt: string;
                      capacity: number;
                      bookedCount: number;
                    }[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Change an event: title, times, venue, link, capacity (never below the registrations held), status, booths and slots. Status cancelled calls the event off: each registrant still registered is mailed (background job, in their language); audited once */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      /** @description Any subset of the fields */
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description fair フェア, mini_day 相談DAY, theme_desk テーマ別相談, seminar セミナー, online_session オンライン, tour ツアー, trial_stay お試し滞在
             * @enum {string}
             */
            kind?: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
            title?: string;
            description?: string | null;
            /** @description English title for the public pages in English; null: none */
            titleEn?: string | null;
            /** @description English description for the public pages in English; null: none */
            descriptionEn?: string | null;
            /**
             * Format: date-time
             * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
             * @example 2025-02-01T11:00:00+09:00
             */
            startsAt?: string;
            /**
             * Format: date-time
             * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
             * @example 2025-02-01T11:00:00+09:00
             */
            endsAt?: string;
            venue?: string | null;
            /** @description The municipality of the prefecture the event takes place in; null: outside the prefecture or online (its visitors do not count as exchange population, KPI ③) */
            venueMunicipalityCode?: string | null;
            onlineUrl?: string | null;
            /** @description null: no limit; never below the registrations held */
            capacity?: number | null;
            /**
             * @description cancelled: the event is called off (registrations are kept)
             * @enum {string}
             */
            status?: "draft" | "published" | "cancelled";
            /** @description Replaces the booths: items with id are changed (rename, reassign, slots), items without id are added, booths left out are removed (not when a slot has bookings) */
            booths?: ({
                /**
                 * Format: uuid
                 * @description An existing booth (PATCH); absent: a new booth
                 */
                id?: string;
                name: string;
                /** @description English booth name for the public pages in English; null: none (a municipality’s booth then shows the municipality’s English name, others the Japanese name). On PATCH, absent: unchanged */
                nameEn?: string | null;
                /** @description The municipality staffing the booth */
                municipalityCode?: string | null;
                /** @description The partner agency staffing the booth */
                organizationId?: string | null;
                /** @description Bookable consultation slots. On PATCH the list replaces the booth’s slots (absent: unchanged); a slot with bookings cannot be removed */
                slots?: {
                    /**
                     * Format: uuid
                     * @description An existing slot (PATCH); absent: a new slot
                     */
                    id?: string;
                    /**
                     * Format: date-time
                     * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
                     * @example 2025-02-01T11:00:00+09:00
                     */
                    startsAt: string;
                    /**
                     * Format: date-time
                     * @description ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)
                     * @example 2025-02-01T11:00:00+09:00
                     */
                    endsAt: string;
                    /**
                     * @description People per slot (never below those booked)
                     * @default 1
                     */
                    capacity?: number;
                  }[];
              })[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
              title: string;
              description: string | null;
              /** @description English title; null: none (English pages show the Japanese one) */
              titleEn: string | null;
              /** @description English description; null: none */
              descriptionEn: string | null;
              /** @description +09:00 */
              startsAt: string;
              /** @description +09:00 */
              endsAt: string;
              venue: string | null;
              onlineUrl: string | null;
              capacity: number | null;
              /** @description Registrations held (cancelled ones do not count) */
              registeredCount: number;
              checkedInCount: number;
              /** @enum {string} */
              status: "draft" | "published" | "cancelled";
              hostMunicipality: {
                code: string;
                name: string;
              } | null;
              /** @description Municipality of the venue in the prefecture; null: outside the prefecture or online */
              venueMunicipalityCode: string | null;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
              booths: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** @description English booth name; null: none (English pages show the Japanese one) */
                  nameEn: string | null;
                  municipality: {
                    code: string;
                    name: string;
                  } | null;
                  organization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  position: number;
                  slots: {
                      /** Format: uuid */
                      id: string;
                      /** Format: uuid */
                      boothId: string;
                      startsAt: string;
                      endsAt: string;
                      capacity: number;
                      bookedCount: number;
                    }[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}/registrations": {
    /** Registrations within your scope, searched by name or kana (the check-in desk; audited) */
    get: {
      parameters: {
        query?: {
          /** @description Name or kana, full- and half-width alike */
          q?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  eventId: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  /** @enum {string} */
                  source: "public" | "staff";
                  municipalityCodes: string[];
                  slot: ({
                    /** Format: uuid */
                    id: string;
                    startsAt: string;
                    endsAt: string;
                    /** Format: uuid */
                    boothId: string;
                    boothName: string;
                    /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                    boothNameEn: string | null;
                  }) | null;
                  checkedInAt: string | null;
                  /** @description after_event: recorded after the event from a paper list, dated at the event */
                  checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
                  /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
                  cancelledAt: string | null;
                  createdAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Register a known person (walk-in or by phone), optionally checking them in; a person with an email address gets the ticket mail (background job). 200 with the existing registration when already registered (no mail) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uuid */
            personId: string;
            slotId?: string | null;
            /**
             * @description Walk-in: check the person in at once
             * @default false
             */
            checkIn?: boolean;
            /**
             * @description Language of the ticket mail (sent when the person has an email address) and of later mails about the registration
             * @default ja
             * @enum {string}
             */
            locale?: "ja" | "en";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description true: the person was already registered (200); nothing was added */
              alreadyRegistered: boolean;
              registration: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                eventId: string;
                person: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                };
                /** @enum {string} */
                status: "registered" | "cancelled";
                /** @enum {string} */
                source: "public" | "staff";
                municipalityCodes: string[];
                slot: ({
                  /** Format: uuid */
                  id: string;
                  startsAt: string;
                  endsAt: string;
                  /** Format: uuid */
                  boothId: string;
                  boothName: string;
                  /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                  boothNameEn: string | null;
                }) | null;
                checkedInAt: string | null;
                /** @description after_event: recorded after the event from a paper list, dated at the event */
                checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
                /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
                cancelledAt: string | null;
                createdAt: string;
              };
            };
          };
        };
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** @description true: the person was already registered (200); nothing was added */
              alreadyRegistered: boolean;
              registration: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                eventId: string;
                person: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                };
                /** @enum {string} */
                status: "registered" | "cancelled";
                /** @enum {string} */
                source: "public" | "staff";
                municipalityCodes: string[];
                slot: ({
                  /** Format: uuid */
                  id: string;
                  startsAt: string;
                  endsAt: string;
                  /** Format: uuid */
                  boothId: string;
                  boothName: string;
                  /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                  boothNameEn: string | null;
                }) | null;
                checkedInAt: string | null;
                /** @description after_event: recorded after the event from a paper list, dated at the event */
                checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
                /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
                cancelledAt: string | null;
                createdAt: string;
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}/registrations/{registrationId}/cancel": {
    /** Cancel a registration: its place and booked slot are freed at once (audited) and the registrant is mailed (background job, in the registration's language). Idempotent: a second call answers the same, frees nothing and mails nothing. Center: any; municipality staff: registrations in their scope; partners: none (404). 409 ALREADY_CHECKED_IN */
    post: {
      parameters: {
        path: {
          id: string;
          registrationId: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              eventId: string;
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
              };
              /** @enum {string} */
              status: "registered" | "cancelled";
              /** @enum {string} */
              source: "public" | "staff";
              municipalityCodes: string[];
              slot: ({
                /** Format: uuid */
                id: string;
                startsAt: string;
                endsAt: string;
                /** Format: uuid */
                boothId: string;
                boothName: string;
                /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                boothNameEn: string | null;
              }) | null;
              checkedInAt: string | null;
              /** @description after_event: recorded after the event from a paper list, dated at the event */
              checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
              /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
              cancelledAt: string | null;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}/checkins": {
    /** Check a registration in by registration id or scanned QR token, on the event’s days (Japan time): 201 the first time, 200 with alreadyCheckedIn and the original time after; 409 REGISTRATION_CANCELLED for a cancelled one; 409 CONFLICT before the first day or after the last (details.firstDay, lastDay; after the event use POST …/attendance/after-event) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: uuid
             * @description Found by name at the desk
             */
            registrationId?: string;
            /** @description Scanned from the ticket’s QR code */
            qrToken?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alreadyCheckedIn: boolean;
              /** @description The first (and only) check-in time, +09:00 */
              checkedInAt: string;
              registration: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                eventId: string;
                person: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                };
                /** @enum {string} */
                status: "registered" | "cancelled";
                /** @enum {string} */
                source: "public" | "staff";
                municipalityCodes: string[];
                slot: ({
                  /** Format: uuid */
                  id: string;
                  startsAt: string;
                  endsAt: string;
                  /** Format: uuid */
                  boothId: string;
                  boothName: string;
                  /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                  boothNameEn: string | null;
                }) | null;
                checkedInAt: string | null;
                /** @description after_event: recorded after the event from a paper list, dated at the event */
                checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
                /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
                cancelledAt: string | null;
                createdAt: string;
              };
            };
          };
        };
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              alreadyCheckedIn: boolean;
              /** @description The first (and only) check-in time, +09:00 */
              checkedInAt: string;
              registration: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                eventId: string;
                person: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                };
                /** @enum {string} */
                status: "registered" | "cancelled";
                /** @enum {string} */
                source: "public" | "staff";
                municipalityCodes: string[];
                slot: ({
                  /** Format: uuid */
                  id: string;
                  startsAt: string;
                  endsAt: string;
                  /** Format: uuid */
                  boothId: string;
                  boothName: string;
                  /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                  boothNameEn: string | null;
                }) | null;
                checkedInAt: string | null;
                /** @description after_event: recorded after the event from a paper list, dated at the event */
                checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
                /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
                cancelledAt: string | null;
                createdAt: string;
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}/attendance/after-event": {
    /** Record attendance after the event from a paper list: once the last day (Japan time) has passed, the registrations named are marked as come at the event’s start (method after_event, engagements dated at the event; audited event.attendance_after). 409 before then; 404 (nothing written) for an id outside this event or your scope */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description Registrations the paper list shows as come */
            registrationIds: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description Marked as come, dated at the event */
              recorded: string[];
              /** @description Already checked in at the event: left as they were */
              alreadyCheckedIn: string[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}/attendance": {
    /** Who registered, who came and when, who booked which booth, who came without follow-up yet (within your scope; audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              event: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
                title: string;
                description: string | null;
                /** @description English title; null: none (English pages show the Japanese one) */
                titleEn: string | null;
                /** @description English description; null: none */
                descriptionEn: string | null;
                /** @description +09:00 */
                startsAt: string;
                /** @description +09:00 */
                endsAt: string;
                venue: string | null;
                onlineUrl: string | null;
                capacity: number | null;
                /** @description Registrations held (cancelled ones do not count) */
                registeredCount: number;
                checkedInCount: number;
                /** @enum {string} */
                status: "draft" | "published" | "cancelled";
                hostMunicipality: {
                  code: string;
                  name: string;
                } | null;
                /** @description Municipality of the venue in the prefecture; null: outside the prefecture or online */
                venueMunicipalityCode: string | null;
                isDemo: boolean;
                createdAt: string;
                updatedAt: string;
              };
              totals: {
                registered: number;
                checkedIn: number;
                notCheckedIn: number;
                walkIns: number;
                slotBookings: number;
                checkedInWithoutFollowUp: number;
              };
              booths: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  municipality: {
                    code: string;
                    name: string;
                  } | null;
                  organization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  booked: number;
                  checkedIn: number;
                })[];
              /** @description Registrations within your scope */
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  eventId: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  /** @enum {string} */
                  source: "public" | "staff";
                  municipalityCodes: string[];
                  slot: ({
                    /** Format: uuid */
                    id: string;
                    startsAt: string;
                    endsAt: string;
                    /** Format: uuid */
                    boothId: string;
                    boothName: string;
                    /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                    boothNameEn: string | null;
                  }) | null;
                  checkedInAt: string | null;
                  /** @description after_event: recorded after the event from a paper list, dated at the event */
                  checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
                  /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
                  cancelledAt: string | null;
                  createdAt: string;
                  /** @description A consultation was recorded for the person on or after the event’s day */
                  hasFollowUp: boolean;
                })[];
              /** @description Came (checked in) but no consultation on or after the event’s day */
              withoutFollowUp: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  eventId: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    kana: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  /** @enum {string} */
                  source: "public" | "staff";
                  municipalityCodes: string[];
                  slot: ({
                    /** Format: uuid */
                    id: string;
                    startsAt: string;
                    endsAt: string;
                    /** Format: uuid */
                    boothId: string;
                    boothName: string;
                    /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                    boothNameEn: string | null;
                  }) | null;
                  checkedInAt: string | null;
                  /** @description after_event: recorded after the event from a paper list, dated at the event */
                  checkinMethod: ("qr" | "desk" | "walk_in" | "after_event") | null;
                  /** @description When it was cancelled (by staff, the registrant, or not at all: null) */
                  cancelledAt: string | null;
                  createdAt: string;
                  /** @description A consultation was recorded for the person on or after the event’s day */
                  hasFollowUp: boolean;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}/headcounts": {
    /** Visitors counted without registering (door counts, tours, conferences brought in), with their sum */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  eventId: string;
                  countedOn: string;
                  count: number;
                  note: string | null;
                  countedBy: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  createdAt: string;
                })[];
              /** @description Sum of the counts */
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Record a headcount: day, people counted, note on the evidence; who counted is the caller. Counts towards KPI ③ when the event is held in the prefecture (venueMunicipalityCode). Audited */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description The day the people were there (yyyy-mm-dd, Japan); it decides the fiscal year */
            countedOn: string;
            /** @description People counted */
            count: number;
            /** @description How they were counted, the evidence (受付簿, 主催者報告…) */
            note?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              eventId: string;
              countedOn: string;
              count: number;
              note: string | null;
              countedBy: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/events/{id}/attendance/export": {
    /** The attendance list as .xlsx or CSV (UTF-8 with BOM): Japanese headers, Japan time (within your scope; audited) */
    get: {
      parameters: {
        query?: {
          format?: "xlsx" | "csv";
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description The file */
        200: {
          content: {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
            "text/csv": string;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/events": {
    /** Published events that have not ended, soonest first */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
                  title: string;
                  description: string | null;
                  /** @description English title; null: none (English pages show the Japanese one) */
                  titleEn: string | null;
                  /** @description English description; null: none */
                  descriptionEn: string | null;
                  startsAt: string;
                  endsAt: string;
                  venue: string | null;
                  /** @description The link is sent to registrants only */
                  isOnline: boolean;
                  /** @description null: no limit */
                  freePlaces: number | null;
                  isFull: boolean;
                  hostMunicipality: {
                    code: string;
                    name: string;
                  } | null;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/public/events/{id}": {
    /** A published event with its booths and the free places of each slot */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
              title: string;
              description: string | null;
              /** @description English title; null: none (English pages show the Japanese one) */
              titleEn: string | null;
              /** @description English description; null: none */
              descriptionEn: string | null;
              startsAt: string;
              endsAt: string;
              venue: string | null;
              /** @description The link is sent to registrants only */
              isOnline: boolean;
              /** @description null: no limit */
              freePlaces: number | null;
              isFull: boolean;
              hostMunicipality: {
                code: string;
                name: string;
              } | null;
              booths: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** @description English booth name; null: none (English pages show the Japanese one) */
                  nameEn: string | null;
                  municipality: {
                    code: string;
                    name: string;
                  } | null;
                  organization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  slots: {
                      /** Format: uuid */
                      id: string;
                      startsAt: string;
                      endsAt: string;
                      freePlaces: number;
                    }[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/events/{id}/registrations": {
    /** Register for an event (consents as in the registry sign-up); the ticket mail (sent by a background job right after) carries an .ics file and the check-in QR code. 200 with the existing registration when already registered (the ticket is mailed again at most every 10 minutes); 409 EVENT_FULL / SLOT_FULL / EVENT_CLOSED, or CONFLICT when the form token was already used (reload the form) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description 氏名 */
            name: string;
            /** @description フリガナ (katakana or hiragana) */
            kana: string;
            email: string;
            phone?: string | null;
            /** @description Prefecture of residence, e.g. 東京都 */
            prefecture: string;
            /** @description City of residence, e.g. 世田谷区 */
            city: string;
            /**
             * @description Municipalities of interest; shared with them only with consents.shareWithMunicipalities
             * @default []
             */
            municipalityCodes?: string[];
            /** @description A consultation slot of one of the event’s booths */
            slotId?: string | null;
            consents: {
              /** @description メールマガジン / newsletter */
              newsletter: boolean;
              /** @description 登録した市町村へ連絡先を提供 / share contact with the chosen municipalities */
              shareWithMunicipalities: boolean;
              /** @description 匿名の統計に利用 / use in anonymous statistics */
              anonymousStatistics: boolean;
              /** @description プロジェクトの紹介・スカウトを受け取る（未指定は同意なし） / be proposed projects (off unless given) */
              scouting?: boolean;
            };
            /**
             * @default ja
             * @enum {string}
             */
            locale?: "ja" | "en";
            /** @description From GET /api/public/registration-form */
            formToken: string;
            website?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "registered";
              /** @description true: this address was already registered; nothing was added and the ticket mail is sent again */
              alreadyRegistered: boolean;
              /** Format: uuid */
              eventId: string;
              slot: ({
                /** Format: uuid */
                id: string;
                startsAt: string;
                endsAt: string;
                /** Format: uuid */
                boothId: string;
                boothName: string;
                /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                boothNameEn: string | null;
              }) | null;
            };
          };
        };
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "registered";
              /** @description true: this address was already registered; nothing was added and the ticket mail is sent again */
              alreadyRegistered: boolean;
              /** Format: uuid */
              eventId: string;
              slot: ({
                /** Format: uuid */
                id: string;
                startsAt: string;
                endsAt: string;
                /** Format: uuid */
                boothId: string;
                boothName: string;
                /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                boothNameEn: string | null;
              }) | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        429: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/tickets/{token}": {
    /** The ticket behind a QR code / mailed link: the event and the registration’s state (first name only) */
    get: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              event: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
                title: string;
                description: string | null;
                /** @description English title; null: none (English pages show the Japanese one) */
                titleEn: string | null;
                /** @description English description; null: none */
                descriptionEn: string | null;
                startsAt: string;
                endsAt: string;
                venue: string | null;
                /** @description The link is sent to registrants only */
                isOnline: boolean;
                /** @description null: no limit */
                freePlaces: number | null;
                isFull: boolean;
                hostMunicipality: {
                  code: string;
                  name: string;
                } | null;
                onlineUrl: string | null;
                /** @enum {string} */
                status: "draft" | "published" | "cancelled";
              };
              registration: {
                /** @description The registrant’s full name, as the ticket mail addresses them; no other personal data */
                name: string;
                /** @enum {string} */
                status: "registered" | "cancelled";
                /** @description When the registration was cancelled (+09:00); null while held */
                cancelledAt: string | null;
                checkedIn: boolean;
                checkedInAt: string | null;
                slot: ({
                  /** Format: uuid */
                  id: string;
                  startsAt: string;
                  endsAt: string;
                  /** Format: uuid */
                  boothId: string;
                  boothName: string;
                  /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                  boothNameEn: string | null;
                }) | null;
              };
              /** @description The check-in QR code (SVG), carrying the ticket token */
              qrSvg: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/tickets/{token}/cancel": {
    /** The registrant cancels with the ticket token: the place and slot are freed at once and a confirmation is mailed (background job, in the registration's language); answers the ticket (status cancelled). Idempotent (mailed once); 409 ALREADY_CHECKED_IN after check-in */
    post: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              event: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "fair" | "mini_day" | "theme_desk" | "seminar" | "online_session" | "tour" | "trial_stay";
                title: string;
                description: string | null;
                /** @description English title; null: none (English pages show the Japanese one) */
                titleEn: string | null;
                /** @description English description; null: none */
                descriptionEn: string | null;
                startsAt: string;
                endsAt: string;
                venue: string | null;
                /** @description The link is sent to registrants only */
                isOnline: boolean;
                /** @description null: no limit */
                freePlaces: number | null;
                isFull: boolean;
                hostMunicipality: {
                  code: string;
                  name: string;
                } | null;
                onlineUrl: string | null;
                /** @enum {string} */
                status: "draft" | "published" | "cancelled";
              };
              registration: {
                /** @description The registrant’s full name, as the ticket mail addresses them; no other personal data */
                name: string;
                /** @enum {string} */
                status: "registered" | "cancelled";
                /** @description When the registration was cancelled (+09:00); null while held */
                cancelledAt: string | null;
                checkedIn: boolean;
                checkedInAt: string | null;
                slot: ({
                  /** Format: uuid */
                  id: string;
                  startsAt: string;
                  endsAt: string;
                  /** Format: uuid */
                  boothId: string;
                  boothName: string;
                  /** @description The booth’s English name; null: none (English pages show the Japanese one) */
                  boothNameEn: string | null;
                }) | null;
              };
              /** @description The check-in QR code (SVG), carrying the ticket token */
              qrSvg: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        429: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/tickets/{token}/ics": {
    /** The ticket’s calendar entry (.ics, text/calendar) for “add to calendar”: the same file the confirmation mail attaches */
    get: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description The calendar file, as attachment kankei-event.ics */
        200: {
          content: {
            "text/calendar": string;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/regional-issues": {
    /** Regional issues within your scope (filter by municipality, status, category) */
    get: {
      parameters: {
        query?: {
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          status?: "raised" | "brushing_up" | "published" | "matched" | "collaborating" | "self_running" | "closed";
          category?: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  title: string;
                  /** @enum {string} */
                  category: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
                  municipalityCode: string;
                  lat: number | null;
                  lon: number | null;
                  background: string | null;
                  skills: string[];
                  hoursPerMonth: number | null;
                  remotePercent: number | null;
                  periodStart: string | null;
                  periodEnd: string | null;
                  contactOrganization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  /** @enum {string} */
                  status: "raised" | "brushing_up" | "published" | "matched" | "collaborating" | "self_running" | "closed";
                  closeReason: ("solved" | "no_taker" | "withdrawn" | "merged" | "other") | null;
                  version: number;
                  isDemo: boolean;
                  createdAt: string;
                  updatedAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Register a regional issue (地域課題); it starts as raised, version 1
     * @description Municipality staff register issues of their own municipality only.
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            title: string;
            /** @enum {string} */
            category: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
            /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
            municipalityCode: string;
            lat?: number | null;
            lon?: number | null;
            background?: string | null;
            /** @description Skills as words people use (Web制作, 会計, 農作業 …) */
            skills?: string[];
            hoursPerMonth?: number | null;
            remotePercent?: number | null;
            periodStart?: string | null;
            periodEnd?: string | null;
            contactOrganizationId?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              /** @enum {string} */
              category: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              lat: number | null;
              lon: number | null;
              background: string | null;
              skills: string[];
              hoursPerMonth: number | null;
              remotePercent: number | null;
              periodStart: string | null;
              periodEnd: string | null;
              contactOrganization: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              /** @enum {string} */
              status: "raised" | "brushing_up" | "published" | "matched" | "collaborating" | "self_running" | "closed";
              closeReason: ("solved" | "no_taker" | "withdrawn" | "merged" | "other") | null;
              version: number;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/regional-issues/{id}": {
    /** A regional issue with its comments and the projects cut from it */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              /** @enum {string} */
              category: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              lat: number | null;
              lon: number | null;
              background: string | null;
              skills: string[];
              hoursPerMonth: number | null;
              remotePercent: number | null;
              periodStart: string | null;
              periodEnd: string | null;
              contactOrganization: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              /** @enum {string} */
              status: "raised" | "brushing_up" | "published" | "matched" | "collaborating" | "self_running" | "closed";
              closeReason: ("solved" | "no_taker" | "withdrawn" | "merged" | "other") | null;
              version: number;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
              comments: ({
                  /** Format: uuid */
                  id: string;
                  body: string;
                  author: string | null;
                  createdAt: string;
                })[];
              projects: ({
                  /** Format: uuid */
                  id: string;
                  title: string;
                  /** @enum {string} */
                  status: "draft" | "published" | "closed";
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Brush an issue up: every save that changes something is a new version (author, date, fields) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      /** @description Any subset of the fields; each save is a new version */
      requestBody: {
        content: {
          "application/json": {
            title?: string;
            /** @enum {string} */
            category?: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
            /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
            municipalityCode?: string;
            lat?: number | null;
            lon?: number | null;
            background?: string | null;
            /** @description Skills as words people use (Web制作, 会計, 農作業 …) */
            skills?: string[];
            hoursPerMonth?: number | null;
            remotePercent?: number | null;
            periodStart?: string | null;
            periodEnd?: string | null;
            contactOrganizationId?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              /** @enum {string} */
              category: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              lat: number | null;
              lon: number | null;
              background: string | null;
              skills: string[];
              hoursPerMonth: number | null;
              remotePercent: number | null;
              periodStart: string | null;
              periodEnd: string | null;
              contactOrganization: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              /** @enum {string} */
              status: "raised" | "brushing_up" | "published" | "matched" | "collaborating" | "self_running" | "closed";
              closeReason: ("solved" | "no_taker" | "withdrawn" | "merged" | "other") | null;
              version: number;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/regional-issues/{id}/versions": {
    /** The versions of an issue, newest first: who changed which fields when, and the whole issue as it was */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  version: number;
                  author: string | null;
                  createdAt: string;
                  changedFields: string[];
                  snapshot: {
                    [key: string]: unknown;
                  };
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/regional-issues/{id}/status": {
    /**
     * Move an issue along: raised → brushing_up → published → matched → collaborating → self_running | closed
     * @description Forward only (steps may be skipped); closed needs closeReason and is possible from any open status; nothing after self_running or closed. Each change is a version.
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description raised → brushing_up → published → matched → collaborating → self_running | closed
             * @enum {string}
             */
            status: "raised" | "brushing_up" | "published" | "matched" | "collaborating" | "self_running" | "closed";
            /**
             * @description Required for closed
             * @enum {string}
             */
            closeReason?: "solved" | "no_taker" | "withdrawn" | "merged" | "other";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              /** @enum {string} */
              category: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              lat: number | null;
              lon: number | null;
              background: string | null;
              skills: string[];
              hoursPerMonth: number | null;
              remotePercent: number | null;
              periodStart: string | null;
              periodEnd: string | null;
              contactOrganization: {
                /** Format: uuid */
                id: string;
                name: string;
              } | null;
              /** @enum {string} */
              status: "raised" | "brushing_up" | "published" | "matched" | "collaborating" | "self_running" | "closed";
              closeReason: ("solved" | "no_taker" | "withdrawn" | "merged" | "other") | null;
              version: number;
              isDemo: boolean;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/regional-issues/{id}/comments": {
    /** Comment on an issue */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            body: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              body: string;
              author: string | null;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/projects": {
    /** Projects within your scope (a partner: its own organization’s) */
    get: {
      parameters: {
        query?: {
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          status?: "draft" | "published" | "closed";
          kind?: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
          issueId?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  title: string;
                  summary: string | null;
                  /** @enum {string} */
                  kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
                  /** @enum {string} */
                  theme: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
                  municipalityCode: string;
                  issueId: string | null;
                  organization: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  };
                  seats: number;
                  filled: number;
                  /** @enum {string} */
                  acceptance: "screening" | "first_come";
                  periodStart: string | null;
                  periodEnd: string | null;
                  hoursPerMonth: number | null;
                  remotePercent: number;
                  feeMinYen: number | null;
                  feeMaxYen: number | null;
                  requiredSkills: string[];
                  welcomeSkills: string[];
                  questions: {
                      id: string;
                      text: string;
                      required: boolean;
                    }[];
                  /** @enum {string} */
                  status: "draft" | "published" | "closed";
                  publishedAt: string | null;
                  isDemo: boolean;
                  createdAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Post a project (side job, pro bono, volunteering, company collaboration); it starts as a draft
     * @description Partners post for their own organization; municipality staff for their municipality. `issueId` must name a published issue. `acceptance`: screening (the organization accepts applicants) or first_come (accepted on arrival while seats last).
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            title: string;
            summary?: string | null;
            /** @enum {string} */
            kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
            /** @enum {string} */
            theme: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
            /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
            municipalityCode: string;
            issueId?: string | null;
            /**
             * Format: uuid
             * @description The receiving organization; partners always post for their own
             */
            organizationId?: string;
            seats: number;
            /**
             * @default screening
             * @enum {string}
             */
            acceptance?: "screening" | "first_come";
            periodStart?: string | null;
            periodEnd?: string | null;
            hoursPerMonth?: number | null;
            /**
             * @description Share of the work done remotely, percent
             * @default 0
             */
            remotePercent?: number;
            feeMinYen?: number | null;
            feeMaxYen?: number | null;
            /**
             * @description Skills as words people use (Web制作, 会計, 農作業 …)
             * @default []
             */
            requiredSkills?: string[];
            /**
             * @description Skills as words people use (Web制作, 会計, 農作業 …)
             * @default []
             */
            welcomeSkills?: string[];
            /** @default [] */
            questions?: {
                /** @description Short id the answers name, e.g. q1 */
                id: string;
                text: string;
                /** @default true */
                required?: boolean;
              }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              summary: string | null;
              /** @enum {string} */
              kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
              /** @enum {string} */
              theme: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              issueId: string | null;
              organization: {
                /** Format: uuid */
                id: string;
                name: string;
              };
              seats: number;
              filled: number;
              /** @enum {string} */
              acceptance: "screening" | "first_come";
              periodStart: string | null;
              periodEnd: string | null;
              hoursPerMonth: number | null;
              remotePercent: number;
              feeMinYen: number | null;
              feeMaxYen: number | null;
              requiredSkills: string[];
              welcomeSkills: string[];
              questions: {
                  id: string;
                  text: string;
                  required: boolean;
                }[];
              /** @enum {string} */
              status: "draft" | "published" | "closed";
              publishedAt: string | null;
              isDemo: boolean;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/projects/{id}": {
    /** One project */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              summary: string | null;
              /** @enum {string} */
              kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
              /** @enum {string} */
              theme: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              issueId: string | null;
              organization: {
                /** Format: uuid */
                id: string;
                name: string;
              };
              seats: number;
              filled: number;
              /** @enum {string} */
              acceptance: "screening" | "first_come";
              periodStart: string | null;
              periodEnd: string | null;
              hoursPerMonth: number | null;
              remotePercent: number;
              feeMinYen: number | null;
              feeMaxYen: number | null;
              requiredSkills: string[];
              welcomeSkills: string[];
              questions: {
                  id: string;
                  text: string;
                  required: boolean;
                }[];
              /** @enum {string} */
              status: "draft" | "published" | "closed";
              publishedAt: string | null;
              isDemo: boolean;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Change a project, or publish / close it (draft → published → closed)
     * @description Seats never below those taken; a closed project is not changed any more.
     */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      /** @description Any subset of the fields */
      requestBody: {
        content: {
          "application/json": {
            title?: string;
            summary?: string | null;
            /** @enum {string} */
            kind?: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
            /** @enum {string} */
            theme?: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
            issueId?: string | null;
            seats?: number;
            /** @enum {string} */
            acceptance?: "screening" | "first_come";
            periodStart?: string | null;
            periodEnd?: string | null;
            hoursPerMonth?: number | null;
            /** @description Share of the work done remotely, percent */
            remotePercent?: number;
            feeMinYen?: number | null;
            feeMaxYen?: number | null;
            /** @description Skills as words people use (Web制作, 会計, 農作業 …) */
            requiredSkills?: string[];
            /** @description Skills as words people use (Web制作, 会計, 農作業 …) */
            welcomeSkills?: string[];
            questions?: {
                /** @description Short id the answers name, e.g. q1 */
                id: string;
                text: string;
                /** @default true */
                required?: boolean;
              }[];
            /**
             * @description draft → published → closed (closed is final)
             * @enum {string}
             */
            status?: "draft" | "published" | "closed";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              summary: string | null;
              /** @enum {string} */
              kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
              /** @enum {string} */
              theme: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              issueId: string | null;
              organization: {
                /** Format: uuid */
                id: string;
                name: string;
              };
              seats: number;
              filled: number;
              /** @enum {string} */
              acceptance: "screening" | "first_come";
              periodStart: string | null;
              periodEnd: string | null;
              hoursPerMonth: number | null;
              remotePercent: number;
              feeMinYen: number | null;
              feeMaxYen: number | null;
              requiredSkills: string[];
              welcomeSkills: string[];
              questions: {
                  id: string;
                  text: string;
                  required: boolean;
                }[];
              /** @enum {string} */
              status: "draft" | "published" | "closed";
              publishedAt: string | null;
              isDemo: boolean;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/projects/{id}/candidates": {
    /**
     * The best candidates for a project, each with its score and the reasons in words (audited)
     * @description Supporters who consented to be proposed projects (scouting) and share one of its skills; municipality staff only among people linked to their municipality. Factors and weights: docs/matching.md.
     */
    get: {
      parameters: {
        query?: {
          limit?: number;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: {
                  /** Format: uuid */
                  personId: string;
                  name: string;
                  score: number;
                  reasons: {
                      /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                      factor: string;
                      points: number;
                      /** @description The reason in words */
                      detail: string;
                    }[];
                }[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/projects/{id}/scouts": {
    /** The project’s scouts with their status: sent, interested or declined (audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  };
                  message: string;
                  /** @description The coordinator who sent it */
                  sentBy: string;
                  sentAt: string;
                  /**
                   * @description sent until the person replies through the mail
                   * @enum {string}
                   */
                  status: "sent" | "interested" | "declined";
                  repliedAt: string | null;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Scout chosen candidates: one mail each with the message and 興味あり / 辞退 links (audited)
     * @description Each person must be a candidate of the project (consented to scouting, shares one of its skills; municipality staff: linked to their municipality), have an address and not have been scouted for it yet; otherwise nothing is sent and the answer names them by index (personIds.2). The project must be published (409 PROJECT_CLOSED).
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description Chosen candidates of the project (supporters who consented to scouting); one mail each */
            personIds: string[];
            /** @description The coordinator’s message, mailed as written */
            message: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  };
                  message: string;
                  /** @description The coordinator who sent it */
                  sentBy: string;
                  sentAt: string;
                  /**
                   * @description sent until the person replies through the mail
                   * @enum {string}
                   */
                  status: "sent" | "interested" | "declined";
                  repliedAt: string | null;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/matching/proposals": {
    /**
     * Ask for a proposal over every open project (a job); read it with GET /api/matching/proposals/:id
     * @description Assigns candidates so that no project gets more than its open seats and no person more than their stated capacity (less the matches they hold), maximizing the total score. Nothing is sent: accept pairs one by one with POST /api/matches and the proposal’s id.
     */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description Only this municipality’s open projects; default all in scope */
            municipalityCode?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              status: "queued" | "running" | "done" | "failed";
              /** @description One page of the assignments (limit, offset), highest score first */
              assignments: ({
                  /** Format: uuid */
                  projectId: string;
                  /** Format: uuid */
                  personId: string;
                  score: number;
                  reasons: {
                      /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                      factor: string;
                      points: number;
                      /** @description The reason in words */
                      detail: string;
                    }[];
                  /** @description Null when the person was deleted since the proposal was made */
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  project: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    municipalityCode: string;
                  } | null;
                })[];
              /** @description All assignments of the proposal */
              assignmentCount: number;
              totalScore: number | null;
              openSeatsLeft: number | null;
              createdAt: string;
              finishedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/matching/proposals/{id}": {
    /** A proposal: status, a page of its assignments (person, project, score, reasons), total score, open seats left (audited) */
    get: {
      parameters: {
        query?: {
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              status: "queued" | "running" | "done" | "failed";
              /** @description One page of the assignments (limit, offset), highest score first */
              assignments: ({
                  /** Format: uuid */
                  projectId: string;
                  /** Format: uuid */
                  personId: string;
                  score: number;
                  reasons: {
                      /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                      factor: string;
                      points: number;
                      /** @description The reason in words */
                      detail: string;
                    }[];
                  /** @description Null when the person was deleted since the proposal was made */
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  } | null;
                  project: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    municipalityCode: string;
                  } | null;
                })[];
              /** @description All assignments of the proposal */
              assignmentCount: number;
              totalScore: number | null;
              openSeatsLeft: number | null;
              createdAt: string;
              finishedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/projects/{id}/applications": {
    /** The applicants of a project with their answers and contact (each read audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    /** @description Contact once the person applied */
                    email: string | null;
                    phone: string | null;
                  };
                  answers: {
                      questionId: string;
                      answer: string;
                    }[];
                  message: string | null;
                  /** @enum {string} */
                  status: "applied" | "accepted" | "declined" | "withdrawn";
                  createdAt: string;
                  decidedAt: string | null;
                  matchId: string | null;
                })[];
              interested: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/applications/{id}/decision": {
    /**
     * Accept (takes a seat, opens the match at agreed) or decline an application
     * @description A full project answers 409 PROJECT_FULL; seats hold under concurrent acceptance.
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            decision: "accepted" | "declined";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              status: "applied" | "accepted" | "declined" | "withdrawn";
              matchId: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/matches": {
    /** Matches within your scope (filter by municipality, step, project; audited) */
    get: {
      parameters: {
        query?: {
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          step?: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
          projectId?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  project: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    /** @enum {string} */
                    kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
                    organization: {
                      /** Format: uuid */
                      id: string;
                      name: string;
                    };
                  };
                  person: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  };
                  municipalityCode: string;
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  stepOn: string;
                  score: number | null;
                  reasons: {
                      /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                      factor: string;
                      points: number;
                      /** @description The reason in words */
                      detail: string;
                    }[];
                  endReason: ("person_declined" | "organization_declined" | "no_contact" | "project_cancelled" | "finished" | "other") | null;
                  selfRunningEvidence: ("no_accompaniment_for_months" | "taken_over") | null;
                  holdsSeat: boolean;
                  isDemo: boolean;
                  createdAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Accept a pair (from the candidates or a proposal): a match at proposed; nothing is sent */
    post: {
      /** @description A pair the coordinator accepts (from the candidates or a proposal); it starts at proposed */
      requestBody: {
        content: {
          "application/json": {
            /** Format: uuid */
            projectId: string;
            /** Format: uuid */
            personId: string;
            note?: string | null;
            /**
             * Format: uuid
             * @description The proposal the pair comes from: its score and reasons go with the match
             */
            proposalId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              project: {
                /** Format: uuid */
                id: string;
                title: string;
                /** @enum {string} */
                kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
                organization: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                };
              };
              person: {
                /** Format: uuid */
                id: string;
                name: string;
              };
              municipalityCode: string;
              /** @enum {string} */
              step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
              stepOn: string;
              score: number | null;
              reasons: {
                  /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                  factor: string;
                  points: number;
                  /** @description The reason in words */
                  detail: string;
                }[];
              endReason: ("person_declined" | "organization_declined" | "no_contact" | "project_cancelled" | "finished" | "other") | null;
              selfRunningEvidence: ("no_accompaniment_for_months" | "taken_over") | null;
              holdsSeat: boolean;
              isDemo: boolean;
              createdAt: string;
              steps: ({
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  occurredOn: string;
                  note: string | null;
                  createdAt: string;
                })[];
              accompaniment: ({
                  /** Format: uuid */
                  id: string;
                  occurredOn: string;
                  /** @enum {string} */
                  kind: "meeting" | "advice" | "site_visit" | "online" | "training";
                  note: string | null;
                  nextStep: string | null;
                  nextDueOn: string | null;
                  createdAt: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/matches/{id}": {
    /** A match with its dated steps and the accompaniment timeline (audited) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              project: {
                /** Format: uuid */
                id: string;
                title: string;
                /** @enum {string} */
                kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
                organization: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                };
              };
              person: {
                /** Format: uuid */
                id: string;
                name: string;
              };
              municipalityCode: string;
              /** @enum {string} */
              step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
              stepOn: string;
              score: number | null;
              reasons: {
                  /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                  factor: string;
                  points: number;
                  /** @description The reason in words */
                  detail: string;
                }[];
              endReason: ("person_declined" | "organization_declined" | "no_contact" | "project_cancelled" | "finished" | "other") | null;
              selfRunningEvidence: ("no_accompaniment_for_months" | "taken_over") | null;
              holdsSeat: boolean;
              isDemo: boolean;
              createdAt: string;
              steps: ({
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  occurredOn: string;
                  note: string | null;
                  createdAt: string;
                })[];
              accompaniment: ({
                  /** Format: uuid */
                  id: string;
                  occurredOn: string;
                  /** @enum {string} */
                  kind: "meeting" | "advice" | "site_visit" | "online" | "training";
                  note: string | null;
                  nextStep: string | null;
                  nextDueOn: string | null;
                  createdAt: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/matches/{id}/steps": {
    /**
     * Move a match one rung: proposed → introduced → agreed → collaborating → self_running | ended
     * @description One rung at a time, never back; ended (with endReason) from any open step; nothing after self_running or ended; dates not before the previous step nor in the future. agreed takes a seat (409 PROJECT_FULL); ended gives a held seat back; self_running needs evidence (no_accompaniment_for_months: that many months since the last accompaniment; taken_over). collaborating writes the person’s engagement record for the project’s municipality (side job, company collaboration → 協働; volunteering, pro bono → 関与).
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
            /** @description Date: 2024-06-01, 2024/6/1, 令和6年6月1日 or R6.6.1 (Asia/Tokyo); answered as yyyy-mm-dd */
            occurredOn: string;
            note?: string | null;
            /**
             * @description Required for ended
             * @enum {string}
             */
            endReason?: "person_declined" | "organization_declined" | "no_contact" | "project_cancelled" | "finished" | "other";
            /**
             * @description Required for self_running
             * @enum {string}
             */
            evidence?: "no_accompaniment_for_months" | "taken_over";
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              project: {
                /** Format: uuid */
                id: string;
                title: string;
                /** @enum {string} */
                kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
                organization: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                };
              };
              person: {
                /** Format: uuid */
                id: string;
                name: string;
              };
              municipalityCode: string;
              /** @enum {string} */
              step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
              stepOn: string;
              score: number | null;
              reasons: {
                  /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                  factor: string;
                  points: number;
                  /** @description The reason in words */
                  detail: string;
                }[];
              endReason: ("person_declined" | "organization_declined" | "no_contact" | "project_cancelled" | "finished" | "other") | null;
              selfRunningEvidence: ("no_accompaniment_for_months" | "taken_over") | null;
              holdsSeat: boolean;
              isDemo: boolean;
              createdAt: string;
              steps: ({
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  occurredOn: string;
                  note: string | null;
                  createdAt: string;
                })[];
              accompaniment: ({
                  /** Format: uuid */
                  id: string;
                  occurredOn: string;
                  /** @enum {string} */
                  kind: "meeting" | "advice" | "site_visit" | "online" | "training";
                  note: string | null;
                  nextStep: string | null;
                  nextDueOn: string | null;
                  createdAt: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/matches/{id}/accompaniment": {
    /** Log accompaniment (伴走支援): date, kind, note, next step with due date */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description Date: 2024-06-01, 2024/6/1, 令和6年6月1日 or R6.6.1 (Asia/Tokyo); answered as yyyy-mm-dd */
            occurredOn: string;
            /** @enum {string} */
            kind: "meeting" | "advice" | "site_visit" | "online" | "training";
            note?: string | null;
            nextStep?: string | null;
            nextDueOn?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              project: {
                /** Format: uuid */
                id: string;
                title: string;
                /** @enum {string} */
                kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
                organization: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                };
              };
              person: {
                /** Format: uuid */
                id: string;
                name: string;
              };
              municipalityCode: string;
              /** @enum {string} */
              step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
              stepOn: string;
              score: number | null;
              reasons: {
                  /** @description skills, welcome_skills, ties, stage, involvement, availability, remote, history … */
                  factor: string;
                  points: number;
                  /** @description The reason in words */
                  detail: string;
                }[];
              endReason: ("person_declined" | "organization_declined" | "no_contact" | "project_cancelled" | "finished" | "other") | null;
              selfRunningEvidence: ("no_accompaniment_for_months" | "taken_over") | null;
              holdsSeat: boolean;
              isDemo: boolean;
              createdAt: string;
              steps: ({
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  occurredOn: string;
                  note: string | null;
                  createdAt: string;
                })[];
              accompaniment: ({
                  /** Format: uuid */
                  id: string;
                  occurredOn: string;
                  /** @enum {string} */
                  kind: "meeting" | "advice" | "site_visit" | "online" | "training";
                  note: string | null;
                  nextStep: string | null;
                  nextDueOn: string | null;
                  createdAt: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/organizations/{id}/readiness": {
    /** The receiving side’s readiness (KPI ④): checklist, strengths, interests, who confirmed it when */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              organization: {
                /** Format: uuid */
                id: string;
                name: string;
                kind: string;
                municipalityCode: string | null;
              };
              checklist: {
                contactPerson: boolean;
                publishedIssueOrProject: boolean;
                receivingPlan: boolean;
                trainingAttended: boolean;
              };
              /** @description What Kankei’s own records show for the two items it can see */
              derived: {
                publishedIssueOrProject: boolean;
                trainingAttended: boolean;
              };
              strengths: string[];
              interests: string[];
              note: string | null;
              confirmedBy: string | null;
              confirmedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Update the checklist, strengths and interests; `confirm: true` records the coordinator and date
     * @description Only coordinators (center, prefecture) confirm; a partner keeps its own organization’s record.
     */
    put: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            contactPerson?: boolean;
            publishedIssueOrProject?: boolean;
            receivingPlan?: boolean;
            trainingAttended?: boolean;
            /** @description 得意分野 */
            strengths?: string[];
            /** @description CSR, DX, regional themes */
            interests?: string[];
            note?: string | null;
            /** @description true: confirmed by the caller, dated now */
            confirm?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              organization: {
                /** Format: uuid */
                id: string;
                name: string;
                kind: string;
                municipalityCode: string | null;
              };
              checklist: {
                contactPerson: boolean;
                publishedIssueOrProject: boolean;
                receivingPlan: boolean;
                trainingAttended: boolean;
              };
              /** @description What Kankei’s own records show for the two items it can see */
              derived: {
                publishedIssueOrProject: boolean;
                trainingAttended: boolean;
              };
              strengths: string[];
              interests: string[];
              note: string | null;
              confirmedBy: string | null;
              confirmedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/trainings": {
    /** Trainings and advisor dispatches for municipal staff and community leaders */
    get: {
      parameters: {
        query?: {
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          organizationId?: string;
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  kind: "training" | "advisor_dispatch";
                  heldOn: string;
                  topic: string;
                  municipalityCode: string | null;
                  organizations: {
                      /** Format: uuid */
                      id: string;
                      name: string;
                    }[];
                  attendees: number;
                  note: string | null;
                  isDemo: boolean;
                  createdAt: string;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Record a training or an advisor dispatch (date, topic, organizations, attendees) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            kind: "training" | "advisor_dispatch";
            /** @description Date: 2024-06-01, 2024/6/1, 令和6年6月1日 or R6.6.1 (Asia/Tokyo); answered as yyyy-mm-dd */
            heldOn: string;
            topic: string;
            municipalityCode?: string | null;
            /** @default [] */
            organizationIds?: string[];
            attendees: number;
            note?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              kind: "training" | "advisor_dispatch";
              heldOn: string;
              topic: string;
              municipalityCode: string | null;
              organizations: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                }[];
              attendees: number;
              note: string | null;
              isDemo: boolean;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/settings/matching": {
    /** The prefecture's matching settings: months without accompaniment before a collaboration counts as self-running */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The prefecture the settings are for (the one this installation serves) */
              prefectureCode: string | null;
              /** @description Months without accompaniment before a collaboration may be recorded as self-running on that evidence */
              selfRunningMonths: number;
              /** @description True while the prefecture has not set its own value */
              isDefault: boolean;
              updatedAt: string | null;
            };
          };
        };
      };
    };
    /** Change the matching settings (prefecture admins; audited with the value before and after) */
    put: {
      requestBody: {
        content: {
          "application/json": {
            /** @description Months without accompaniment before self-running may be recorded (1–60; default 6) */
            selfRunningMonths: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The prefecture the settings are for (the one this installation serves) */
              prefectureCode: string | null;
              /** @description Months without accompaniment before a collaboration may be recorded as self-running on that evidence */
              selfRunningMonths: number;
              /** @description True while the prefecture has not set its own value */
              isDefault: boolean;
              updatedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/projects": {
    /** Published projects (filter by municipality, theme, kind, remote); no personal data */
    get: {
      parameters: {
        query?: {
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          municipality?: string;
          theme?: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
          kind?: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
          /** @description true: mostly remote (at least half) */
          remote?: "true" | "false";
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  title: string;
                  summary: string | null;
                  /** @enum {string} */
                  kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
                  /** @enum {string} */
                  theme: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
                  municipalityCode: string;
                  seats: number;
                  periodStart: string | null;
                  periodEnd: string | null;
                  hoursPerMonth: number | null;
                  remotePercent: number;
                  feeMinYen: number | null;
                  feeMaxYen: number | null;
                  requiredSkills: string[];
                  welcomeSkills: string[];
                  questions: {
                      id: string;
                      text: string;
                      required: boolean;
                    }[];
                  publishedAt: string | null;
                  isDemo: boolean;
                  organizationName: string;
                  seatsLeft: number;
                  /** @description How many tapped 興味ある (a count, nobody named) */
                  interestedCount: number;
                })[];
              total: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/projects/{id}": {
    /** One published project; no personal data */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              title: string;
              summary: string | null;
              /** @enum {string} */
              kind: "side_job" | "pro_bono" | "volunteering" | "company_collaboration";
              /** @enum {string} */
              theme: "shopping_access" | "mobility" | "dx" | "abandoned_farmland" | "farmland_conservation" | "nature" | "industry_talent" | "ageing" | "child_rearing" | "traditional_culture" | "other";
              municipalityCode: string;
              seats: number;
              periodStart: string | null;
              periodEnd: string | null;
              hoursPerMonth: number | null;
              remotePercent: number;
              feeMinYen: number | null;
              feeMaxYen: number | null;
              requiredSkills: string[];
              welcomeSkills: string[];
              questions: {
                  id: string;
                  text: string;
                  required: boolean;
                }[];
              publishedAt: string | null;
              isDemo: boolean;
              organizationName: string;
              seatsLeft: number;
              /** @description How many tapped 興味ある (a count, nobody named) */
              interestedCount: number;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/scouts/{token}": {
    /** A scout by the token of its mailed links: the project, the message and the answer if given */
    get: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              project: {
                /** Format: uuid */
                id: string;
                title: string;
                published: boolean;
              };
              message: string;
              sentAt: string;
              answer: ("interested" | "declined") | null;
              repliedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/scouts/{token}/reply": {
    /**
     * Answer a scout through its mailed link: interested (also a 興味ある on the project) or declined
     * @description Once: a second answer is refused with 409 CONFLICT and the first stands.
     */
    post: {
      parameters: {
        path: {
          token: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            answer: "interested" | "declined";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              project: {
                /** Format: uuid */
                id: string;
                title: string;
                published: boolean;
              };
              message: string;
              sentAt: string;
              answer: ("interested" | "declined") | null;
              repliedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/unsubscribe": {
    /**
     * The unsubscribe link opened in a browser: redirects to the page with the button (never withdraws)
     * @description A GET withdraws nothing (mail scanners open links); 303 to /unsubscribe?token=…, whose button POSTs here.
     */
    get: {
      parameters: {
        query: {
          /** @description The token of the mail’s unsubscribe link */
          token: string;
        };
      };
      responses: {
        /** @description To the unsubscribe page */
        303: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * One-click unsubscribe (RFC 8058): withdraws the consent the token names
     * @description Body `List-Unsubscribe=One-Click` (form, as mail providers send it, or JSON); token in the URL. Writes a dated consent row (granted false) and audits it; already withdrawn answers the same 200.
     */
    post: {
      parameters: {
        query: {
          /** @description The token of the mail’s unsubscribe link */
          token: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description Always One-Click (RFC 8058)
             * @enum {string}
             */
            "List-Unsubscribe": "One-Click";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /**
               * @description The consent the link is for
               * @enum {string}
               */
              purpose: "scouting" | "newsletter";
              /** @description Whether the consent is still given */
              subscribed: boolean;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/unsubscribe/info": {
    /** What an unsubscribe link is for: the consent, whether it is still given, who sends (audited) */
    get: {
      parameters: {
        query: {
          /** @description The token of the mail’s unsubscribe link */
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /**
               * @description The consent the link is for
               * @enum {string}
               */
              purpose: "scouting" | "newsletter";
              /** @description Whether the consent is still given */
              subscribed: boolean;
              organization: {
                name: string;
                contact: string;
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/settings/organization": {
    /** Who every mail comes from (every signed-in staff member): the organization’s name, short name, addresses, signature, contact */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The tenant: the prefecture the deployment serves */
              prefectureCode: string;
              organizationName: string;
              shortName: string;
              senderAddress: string;
              replyTo: string | null;
              signature: string;
              contact: string;
              /** @description True while the seed defaults are in force (nothing stored yet) */
              isDefault: boolean;
              updatedAt: string | null;
            };
          };
        };
      };
    };
    /** Set the organization’s sender identity (admin, audited); mails queued from now on use it */
    put: {
      requestBody: {
        content: {
          "application/json": {
            /** @description 団体名: the From name of every mail */
            organizationName: string;
            /** @description 略称: put in brackets before every subject (【略称】件名) */
            shortName: string;
            /** @description 送信元アドレス: the From address of every mail */
            senderAddress: string;
            /** @description 返信先: the Reply-To address; null for none */
            replyTo?: string | null;
            /** @description 署名: the lines under every mail */
            signature?: string | null;
            /** @description 問い合わせ先: shown on public pages such as the unsubscribe page */
            contact?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The tenant: the prefecture the deployment serves */
              prefectureCode: string;
              organizationName: string;
              shortName: string;
              senderAddress: string;
              replyTo: string | null;
              signature: string;
              contact: string;
              /** @description True while the seed defaults are in force (nothing stored yet) */
              isDefault: boolean;
              updatedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/segments": {
    /** Saved segments you see (municipality staff: their municipality’s and the prefecture-wide ones) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  filters: {
                    /** @description Tied to any of these municipalities */
                    municipalities?: string[];
                    /** @description With a tie of any of these kinds (to the chosen municipalities, when given) */
                    linkKinds?: ("roots" | "interest" | "supporter" | "moved_in")[];
                    /**
                     * @description Relationship stage (docs/stages.md)
                     * @enum {string}
                     */
                    stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
                    /**
                     * @description municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage
                     * @enum {string}
                     */
                    stageOf?: "municipality" | "highest";
                    /** @description Any of these roots (supporter profile) */
                    roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
                    /** @description Any of these skills (compared as the candidate search does) */
                    skills?: string[];
                    /** @description Any of these ways of involvement */
                    involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
                    /** @description Every one of these consents given now */
                    consents?: ("newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting")[];
                    /** @description 心のふるさと県民 (any certification) or not */
                    certified?: boolean;
                    /**
                     * Format: date
                     * @description Last engagement on or after this date
                     */
                    engagedFrom?: string;
                    /**
                     * Format: date
                     * @description Last engagement on or before this date
                     */
                    engagedTo?: string;
                    /**
                     * Format: uuid
                     * @description Checked in at this event
                     */
                    attendedEventId?: string;
                  };
                  /** @description Owner municipality; null: prefecture-wide */
                  municipalityCode: string | null;
                  createdAt: string;
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Save a segment (owned by your municipality, or prefecture-wide for prefecture and center) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description What the segment is called */
            name: string;
            filters: {
              /** @description Tied to any of these municipalities */
              municipalities?: string[];
              /** @description With a tie of any of these kinds (to the chosen municipalities, when given) */
              linkKinds?: ("roots" | "interest" | "supporter" | "moved_in")[];
              /**
               * @description Relationship stage (docs/stages.md)
               * @enum {string}
               */
              stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
              /**
               * @description municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage
               * @enum {string}
               */
              stageOf?: "municipality" | "highest";
              /** @description Any of these roots (supporter profile) */
              roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
              /** @description Any of these skills (compared as the candidate search does) */
              skills?: string[];
              /** @description Any of these ways of involvement */
              involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
              /** @description Every one of these consents given now */
              consents?: ("newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting")[];
              /** @description 心のふるさと県民 (any certification) or not */
              certified?: boolean;
              /**
               * Format: date
               * @description Last engagement on or after this date
               */
              engagedFrom?: string;
              /**
               * Format: date
               * @description Last engagement on or before this date
               */
              engagedTo?: string;
              /**
               * Format: uuid
               * @description Checked in at this event
               */
              attendedEventId?: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              filters: {
                /** @description Tied to any of these municipalities */
                municipalities?: string[];
                /** @description With a tie of any of these kinds (to the chosen municipalities, when given) */
                linkKinds?: ("roots" | "interest" | "supporter" | "moved_in")[];
                /**
                 * @description Relationship stage (docs/stages.md)
                 * @enum {string}
                 */
                stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
                /**
                 * @description municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage
                 * @enum {string}
                 */
                stageOf?: "municipality" | "highest";
                /** @description Any of these roots (supporter profile) */
                roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
                /** @description Any of these skills (compared as the candidate search does) */
                skills?: string[];
                /** @description Any of these ways of involvement */
                involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
                /** @description Every one of these consents given now */
                consents?: ("newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting")[];
                /** @description 心のふるさと県民 (any certification) or not */
                certified?: boolean;
                /**
                 * Format: date
                 * @description Last engagement on or after this date
                 */
                engagedFrom?: string;
                /**
                 * Format: date
                 * @description Last engagement on or before this date
                 */
                engagedTo?: string;
                /**
                 * Format: uuid
                 * @description Checked in at this event
                 */
                attendedEventId?: string;
              };
              /** @description Owner municipality; null: prefecture-wide */
              municipalityCode: string | null;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/segments/preview": {
    /** Count and first page of the people the filters select, within your scope (audited) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            filters: {
              /** @description Tied to any of these municipalities */
              municipalities?: string[];
              /** @description With a tie of any of these kinds (to the chosen municipalities, when given) */
              linkKinds?: ("roots" | "interest" | "supporter" | "moved_in")[];
              /**
               * @description Relationship stage (docs/stages.md)
               * @enum {string}
               */
              stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
              /**
               * @description municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage
               * @enum {string}
               */
              stageOf?: "municipality" | "highest";
              /** @description Any of these roots (supporter profile) */
              roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
              /** @description Any of these skills (compared as the candidate search does) */
              skills?: string[];
              /** @description Any of these ways of involvement */
              involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
              /** @description Every one of these consents given now */
              consents?: ("newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting")[];
              /** @description 心のふるさと県民 (any certification) or not */
              certified?: boolean;
              /**
               * Format: date
               * @description Last engagement on or after this date
               */
              engagedFrom?: string;
              /**
               * Format: date
               * @description Last engagement on or before this date
               */
              engagedTo?: string;
              /**
               * Format: uuid
               * @description Checked in at this event
               */
              attendedEventId?: string;
            };
            /** @default 20 */
            limit?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              total: number;
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                  /** @description Codes of the municipalities the person is tied to */
                  municipalities: string[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/segments/{id}": {
    /** One saved segment */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              filters: {
                /** @description Tied to any of these municipalities */
                municipalities?: string[];
                /** @description With a tie of any of these kinds (to the chosen municipalities, when given) */
                linkKinds?: ("roots" | "interest" | "supporter" | "moved_in")[];
                /**
                 * @description Relationship stage (docs/stages.md)
                 * @enum {string}
                 */
                stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
                /**
                 * @description municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage
                 * @enum {string}
                 */
                stageOf?: "municipality" | "highest";
                /** @description Any of these roots (supporter profile) */
                roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
                /** @description Any of these skills (compared as the candidate search does) */
                skills?: string[];
                /** @description Any of these ways of involvement */
                involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
                /** @description Every one of these consents given now */
                consents?: ("newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting")[];
                /** @description 心のふるさと県民 (any certification) or not */
                certified?: boolean;
                /**
                 * Format: date
                 * @description Last engagement on or after this date
                 */
                engagedFrom?: string;
                /**
                 * Format: date
                 * @description Last engagement on or before this date
                 */
                engagedTo?: string;
                /**
                 * Format: uuid
                 * @description Checked in at this event
                 */
                attendedEventId?: string;
              };
              /** @description Owner municipality; null: prefecture-wide */
              municipalityCode: string | null;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Delete a saved segment (the people stay as they are) */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Rename a segment or change its filters (its owner municipality’s staff, prefecture and center) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            name?: string;
            filters?: {
              /** @description Tied to any of these municipalities */
              municipalities?: string[];
              /** @description With a tie of any of these kinds (to the chosen municipalities, when given) */
              linkKinds?: ("roots" | "interest" | "supporter" | "moved_in")[];
              /**
               * @description Relationship stage (docs/stages.md)
               * @enum {string}
               */
              stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
              /**
               * @description municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage
               * @enum {string}
               */
              stageOf?: "municipality" | "highest";
              /** @description Any of these roots (supporter profile) */
              roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
              /** @description Any of these skills (compared as the candidate search does) */
              skills?: string[];
              /** @description Any of these ways of involvement */
              involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
              /** @description Every one of these consents given now */
              consents?: ("newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting")[];
              /** @description 心のふるさと県民 (any certification) or not */
              certified?: boolean;
              /**
               * Format: date
               * @description Last engagement on or after this date
               */
              engagedFrom?: string;
              /**
               * Format: date
               * @description Last engagement on or before this date
               */
              engagedTo?: string;
              /**
               * Format: uuid
               * @description Checked in at this event
               */
              attendedEventId?: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              name: string;
              filters: {
                /** @description Tied to any of these municipalities */
                municipalities?: string[];
                /** @description With a tie of any of these kinds (to the chosen municipalities, when given) */
                linkKinds?: ("roots" | "interest" | "supporter" | "moved_in")[];
                /**
                 * @description Relationship stage (docs/stages.md)
                 * @enum {string}
                 */
                stage?: "interest" | "exchange" | "involvement" | "collaboration" | "two_region" | "migrated" | "settled";
                /**
                 * @description municipality (default): at the stage with the one chosen municipality (with any, when none or several); highest: the person’s highest stage
                 * @enum {string}
                 */
                stageOf?: "municipality" | "highest";
                /** @description Any of these roots (supporter profile) */
                roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
                /** @description Any of these skills (compared as the candidate search does) */
                skills?: string[];
                /** @description Any of these ways of involvement */
                involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
                /** @description Every one of these consents given now */
                consents?: ("newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting")[];
                /** @description 心のふるさと県民 (any certification) or not */
                certified?: boolean;
                /**
                 * Format: date
                 * @description Last engagement on or after this date
                 */
                engagedFrom?: string;
                /**
                 * Format: date
                 * @description Last engagement on or before this date
                 */
                engagedTo?: string;
                /**
                 * Format: uuid
                 * @description Checked in at this event
                 */
                attendedEventId?: string;
              };
              /** @description Owner municipality; null: prefecture-wide */
              municipalityCode: string | null;
              createdAt: string;
              updatedAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/segments/{id}/people": {
    /** The people of a saved segment now, by name, within your scope (audited) */
    get: {
      parameters: {
        query?: {
          /** @description Page size, 1–100 */
          limit?: number;
          offset?: number;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              total: number;
              items: ({
                  /** Format: uuid */
                  id: string;
                  name: string;
                  kana: string | null;
                  /** @description Codes of the municipalities the person is tied to */
                  municipalities: string[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/projects/{id}/interest": {
    /** 興味ある: one tap by a signed-in supporter (idempotent) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              projectId: string;
              createdAt: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/projects/{id}/applications": {
    /**
     * Apply to a project with answers to its questions (signed-in supporter)
     * @description Screening projects: the application waits for the receiving organization. First-come projects: accepted at once while a seat is free, else 409 PROJECT_FULL and nothing is kept. Applying again returns the application held.
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @default [] */
            answers?: {
                questionId: string;
                answer: string;
              }[];
            message?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              status: "applied" | "accepted" | "declined" | "withdrawn";
              matchId: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/applications/{id}/withdraw": {
    /** Withdraw an application (an accepted one gives its seat back) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              status: "applied" | "accepted" | "declined" | "withdrawn";
              matchId: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/interests/{id}/withdraw": {
    /** Withdraw a 興味ある (the id is the project’s) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        403: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/settings/registry": {
    /** The prefecture's registration settings: the cap on municipalities per person and the privacy notice */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The prefecture the settings are for (the one this installation serves) */
              prefectureCode: string;
              /** @description How many municipalities one person may be a registered supporter of */
              registrationCap: number;
              /** @description The privacy notice in Japanese (the default text when none was written) */
              privacyNoticeJa: string;
              /** @description The privacy notice in English (the default text when none was written) */
              privacyNoticeEn: string;
              isDefaultPrivacyNotice: {
                ja: boolean;
                en: boolean;
              };
              updatedAt: string | null;
            };
          };
        };
      };
    };
    /** Change the registration settings (prefecture admins; audited with the fields changed) */
    put: {
      requestBody: {
        content: {
          "application/json": {
            /** @description How many municipalities one person may be a registered supporter of (1–50; default 10) */
            registrationCap: number;
            /** @description Japanese privacy notice; lines "## " are headings, "- " list items. Empty or null: the default text */
            privacyNoticeJa?: string | null;
            /** @description English privacy notice, same format. Empty or null: the default text */
            privacyNoticeEn?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description The prefecture the settings are for (the one this installation serves) */
              prefectureCode: string;
              /** @description How many municipalities one person may be a registered supporter of */
              registrationCap: number;
              /** @description The privacy notice in Japanese (the default text when none was written) */
              privacyNoticeJa: string;
              /** @description The privacy notice in English (the default text when none was written) */
              privacyNoticeEn: string;
              isDefaultPrivacyNotice: {
                ja: boolean;
                en: boolean;
              };
              updatedAt: string | null;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/privacy-notice": {
    /** The privacy notice every public form links to, in the asked language (?lang= or Accept-Language) */
    get: {
      parameters: {
        query?: {
          lang?: "ja" | "en";
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              locale: "ja" | "en";
              /** @description Lines "## " are headings, "- " list items, the rest paragraphs */
              text: string;
              registrationCap: number;
            };
          };
        };
      };
    };
  };
  "/api/me/premium-applications": {
    /** The supporter's premium applications with their dated steps, newest first */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /**
                   * Format: uuid
                   * @description The supporter registration (one municipality) the application is for
                   */
                  registrationId: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  activity: "volunteering" | "side_job" | "two_region_living" | "events";
                  activityDescription: string;
                  /** @enum {string} */
                  status: "submitted" | "more_requested" | "approved" | "refused";
                  createdAt: string;
                  decidedAt: string | null;
                  /** @description Dated steps, oldest first */
                  steps: ({
                      /** @enum {string} */
                      step: "submitted" | "answered" | "more_requested" | "approved" | "refused";
                      /** @description The reviewer's request or reason, or the applicant's answer */
                      message: string | null;
                      at: string;
                    })[];
                  /** @description Evidence files (their contents never leave except to reviewing staff) */
                  files: {
                      /** Format: uuid */
                      id: string;
                      fileName: string;
                      mediaType: string;
                      sizeBytes: number;
                    }[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Apply for the premium tier of one registration, with evidence files (multipart)
     * @description Fields: municipalityCode, activity, activityDescription; files: evidenceFiles (1–5; JPEG, PNG, WebP or PDF by content; 5 MB each). A file over the size or of another type is refused naming it (evidenceFiles.<n>).
     */
    post: {
      requestBody: {
        content: {
          "multipart/form-data": {
            /** @description A municipality the supporter is registered with */
            municipalityCode: string;
            /**
             * @description The activity the premium tier rests on
             * @enum {string}
             */
            activity: "volunteering" | "side_job" | "two_region_living" | "events";
            /** @description What the supporter does there, in their words */
            activityDescription: string;
            evidenceFiles?: string | string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /**
                   * Format: uuid
                   * @description The supporter registration (one municipality) the application is for
                   */
                  registrationId: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  activity: "volunteering" | "side_job" | "two_region_living" | "events";
                  activityDescription: string;
                  /** @enum {string} */
                  status: "submitted" | "more_requested" | "approved" | "refused";
                  createdAt: string;
                  decidedAt: string | null;
                  /** @description Dated steps, oldest first */
                  steps: ({
                      /** @enum {string} */
                      step: "submitted" | "answered" | "more_requested" | "approved" | "refused";
                      /** @description The reviewer's request or reason, or the applicant's answer */
                      message: string | null;
                      at: string;
                    })[];
                  /** @description Evidence files (their contents never leave except to reviewing staff) */
                  files: {
                      /** Format: uuid */
                      id: string;
                      fileName: string;
                      mediaType: string;
                      sizeBytes: number;
                    }[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        413: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        415: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/premium-applications/{id}/answer": {
    /** Answer the municipality asking for more: a message and more files (multipart) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "multipart/form-data": {
            /** @description The answer to what the municipality asked for */
            replyMessage: string;
            evidenceFiles?: string | string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /**
                   * Format: uuid
                   * @description The supporter registration (one municipality) the application is for
                   */
                  registrationId: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  activity: "volunteering" | "side_job" | "two_region_living" | "events";
                  activityDescription: string;
                  /** @enum {string} */
                  status: "submitted" | "more_requested" | "approved" | "refused";
                  createdAt: string;
                  decidedAt: string | null;
                  /** @description Dated steps, oldest first */
                  steps: ({
                      /** @enum {string} */
                      step: "submitted" | "answered" | "more_requested" | "approved" | "refused";
                      /** @description The reviewer's request or reason, or the applicant's answer */
                      message: string | null;
                      at: string;
                    })[];
                  /** @description Evidence files (their contents never leave except to reviewing staff) */
                  files: {
                      /** Format: uuid */
                      id: string;
                      fileName: string;
                      mediaType: string;
                      sizeBytes: number;
                    }[];
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        413: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        415: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/premium-applications": {
    /** Premium applications to the caller's municipalities, waiting ones first (audited) */
    get: {
      parameters: {
        query?: {
          status?: "submitted" | "more_requested" | "approved" | "refused";
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              items: ({
                  /** Format: uuid */
                  id: string;
                  /**
                   * Format: uuid
                   * @description The supporter registration (one municipality) the application is for
                   */
                  registrationId: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  activity: "volunteering" | "side_job" | "two_region_living" | "events";
                  activityDescription: string;
                  /** @enum {string} */
                  status: "submitted" | "more_requested" | "approved" | "refused";
                  createdAt: string;
                  decidedAt: string | null;
                  /** @description Dated steps, oldest first */
                  steps: ({
                      /** @enum {string} */
                      step: "submitted" | "answered" | "more_requested" | "approved" | "refused";
                      /** @description The reviewer's request or reason, or the applicant's answer */
                      message: string | null;
                      at: string;
                    })[];
                  /** @description Evidence files (their contents never leave except to reviewing staff) */
                  files: {
                      /** Format: uuid */
                      id: string;
                      fileName: string;
                      mediaType: string;
                      sizeBytes: number;
                    }[];
                  /** Format: uuid */
                  personId: string;
                  personName: string;
                  personKana: string | null;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/premium-applications/{id}/files/{fileId}": {
    /** One evidence file of an application, for review (each read audited) */
    get: {
      parameters: {
        path: {
          id: string;
          fileId: string;
        };
      };
      responses: {
        /** @description The file as submitted (its type checked by content) */
        200: {
          content: {
            "image/jpeg": string;
            "image/png": string;
            "image/webp": string;
            "application/pdf": string;
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/registrations/{id}/premium": {
    /**
     * Decide on the open premium application of a registration (the municipality's own staff): approve, ask for more, or refuse with a reason
     * @description Approval makes the registration premium, writes the activity as an engagement record (the stage moves) and reissues the card naming the tier.
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            decision: "approve" | "ask_more" | "refuse";
            /** @description What more is needed, or why it is refused (required then); the applicant reads it */
            reviewMessage?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "approved" | "more_requested" | "refused";
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/registration-form": {
    /** A form token to send with the sign-up (spam protection) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              formToken: string;
              /** @description How many municipalities one person may support */
              registrationCap: number;
            };
          };
        };
      };
    };
  };
  "/api/public/registrations": {
    /** Sign up as a supporter of municipalities (ふるさと住民票); a confirmation link is mailed */
    post: {
      requestBody: {
        content: {
          "application/json": {
            email: string;
            name: string;
            kana?: string | null;
            prefecture?: string | null;
            city?: string | null;
            /** @description Municipalities to support (ふるさと住民票); at most the prefecture's registration cap (GET /api/public/registration-form) */
            municipalityCodes: string[];
            /** @default [] */
            roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
            rootsOther?: string | null;
            /** @default [] */
            interests?: string[];
            /** @default [] */
            skills?: string[];
            /** @default [] */
            involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
            /** @description Hours per month they can give to projects (月に関われる時間) */
            hoursPerMonth?: number;
            /** @description Projects they can take part in at the same time (1 when not given) */
            projectCapacity?: number;
            consents: {
              /** @description メールマガジン / newsletter */
              newsletter: boolean;
              /** @description 登録した市町村へ連絡先を提供 / share contact with the chosen municipalities */
              shareWithMunicipalities: boolean;
              /** @description 匿名の統計に利用 / use in anonymous statistics */
              anonymousStatistics: boolean;
              /** @description プロジェクトの紹介・スカウトを受け取る（未指定は同意なし） / be proposed projects (off unless given) */
              scouting?: boolean;
            };
            /**
             * @default ja
             * @enum {string}
             */
            locale?: "ja" | "en";
            /** @description From GET /api/public/registration-form */
            formToken: string;
            website?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "pending";
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        409: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        429: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/registrations/confirm": {
    /** Confirm a sign-up with the mailed token; opens the supporter session */
    post: {
      requestBody: {
        content: {
          "application/json": {
            token: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "confirmed";
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/sign-in": {
    /** Mail a one-time sign-in link to a registered supporter (same answer for unknown addresses) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            email: string;
            /** @enum {string} */
            locale?: "ja" | "en";
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "sent";
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/public/session": {
    /** Open a supporter session with a mailed sign-in token */
    post: {
      requestBody: {
        content: {
          "application/json": {
            token: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me": {
    /** Everything held about the signed-in supporter */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                postalCode: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
                birthYear: number | null;
              };
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              profile: ({
                roots: string[];
                rootsOther: string | null;
                interests: string[];
                skills: string[];
                involvement: string[];
                /** @description Hours per month they can give to projects */
                hoursPerMonth: number | null;
                /** @description Projects they can take part in at the same time */
                projectCapacity: number;
                /**
                 * @description The language of mails to them: that of their latest sign-up
                 * @enum {string}
                 */
                mailLocale: "ja" | "en";
              }) | null;
              /** @description Consents in force (latest decision per purpose and municipality) */
              consents: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              consentHistory: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              engagements: ({
                  municipalityCode: string;
                  kind: string;
                  occurredOn: string;
                  amountYen: number | null;
                })[];
              registrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCodes: string[];
                  status: string;
                  createdAt: string;
                  confirmedAt: string | null;
                })[];
              /** @description The registration with each municipality supported: tier and identity assurance */
              supporterRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  tier: "basic" | "premium";
                  premiumSince: string | null;
                  /** @enum {string} */
                  identityAssurance: "none" | "email" | "document_checked";
                })[];
              /** @description How many municipalities one person may support */
              registrationCap: number;
              consultations: ({
                  occurredOn: string;
                  channel: string;
                  topics: string[];
                  municipalityCodes: string[];
                  desiredTiming: string | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                })[];
              cases: ({
                  /** Format: uuid */
                  id: string;
                  step: string;
                  openedOn: string;
                  stepOn: string;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: string | null;
                  steps: ({
                      step: string;
                      occurredOn: string;
                      municipalityCode: string | null;
                    })[];
                })[];
              referrals: ({
                  area: string;
                  /** @description Organization name or municipality code */
                  to: string;
                  status: string;
                  outcome: string | null;
                  sentAt: string;
                })[];
              /** @description Events the person registered for */
              eventRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  event: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    /** @description The English title, where the event has one (English pages show it) */
                    titleEn: string | null;
                    startsAt: string;
                    endsAt: string;
                    venue: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  cancelledAt: string | null;
                  municipalityCodes: string[];
                  slot: {
                    boothName: string;
                    startsAt: string;
                    endsAt: string;
                  } | null;
                  createdAt: string;
                  checkedInAt: string | null;
                })[];
              projectInterests: ({
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              projectApplications: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  /** @enum {string} */
                  status: "applied" | "accepted" | "declined" | "withdrawn";
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              matches: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  organizationName: string;
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  stepOn: string;
                })[];
              csrfToken: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /** Delete the registration and all data held (cannot be undone) */
    delete: {
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
    /**
     * Correct your own record: name, kana, phone, address, roots, interests, skills, involvement, availability, mail language (audited)
     * @description Any subset of the fields; an absent field stays as it is, null clears an optional one. The email address is not changed here.
     */
    patch: {
      requestBody: {
        content: {
          "application/json": {
            /** @description 氏名 as written */
            name?: string;
            /** @description フリガナ; stored as full-width katakana */
            kana?: string | null;
            phone?: string | null;
            /** @description Stored as 123-4567 */
            postalCode?: string | null;
            /** @description Prefecture of residence, e.g. 東京都 */
            prefecture?: string | null;
            city?: string | null;
            roots?: ("birthplace" | "parents_birthplace" | "work_or_study" | "furusato_donor" | "fan" | "other")[];
            rootsOther?: string | null;
            interests?: string[];
            skills?: string[];
            involvement?: ("online" | "visits" | "events" | "side_job" | "pro_bono" | "volunteering" | "two_region_living" | "considering_move")[];
            hoursPerMonth?: number | null;
            projectCapacity?: number;
            /**
             * @description The language of mails to you
             * @enum {string}
             */
            mailLocale?: "ja" | "en";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                postalCode: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
                birthYear: number | null;
              };
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              profile: ({
                roots: string[];
                rootsOther: string | null;
                interests: string[];
                skills: string[];
                involvement: string[];
                /** @description Hours per month they can give to projects */
                hoursPerMonth: number | null;
                /** @description Projects they can take part in at the same time */
                projectCapacity: number;
                /**
                 * @description The language of mails to them: that of their latest sign-up
                 * @enum {string}
                 */
                mailLocale: "ja" | "en";
              }) | null;
              /** @description Consents in force (latest decision per purpose and municipality) */
              consents: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              consentHistory: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              engagements: ({
                  municipalityCode: string;
                  kind: string;
                  occurredOn: string;
                  amountYen: number | null;
                })[];
              registrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCodes: string[];
                  status: string;
                  createdAt: string;
                  confirmedAt: string | null;
                })[];
              /** @description The registration with each municipality supported: tier and identity assurance */
              supporterRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  tier: "basic" | "premium";
                  premiumSince: string | null;
                  /** @enum {string} */
                  identityAssurance: "none" | "email" | "document_checked";
                })[];
              /** @description How many municipalities one person may support */
              registrationCap: number;
              consultations: ({
                  occurredOn: string;
                  channel: string;
                  topics: string[];
                  municipalityCodes: string[];
                  desiredTiming: string | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                })[];
              cases: ({
                  /** Format: uuid */
                  id: string;
                  step: string;
                  openedOn: string;
                  stepOn: string;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: string | null;
                  steps: ({
                      step: string;
                      occurredOn: string;
                      municipalityCode: string | null;
                    })[];
                })[];
              referrals: ({
                  area: string;
                  /** @description Organization name or municipality code */
                  to: string;
                  status: string;
                  outcome: string | null;
                  sentAt: string;
                })[];
              /** @description Events the person registered for */
              eventRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  event: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    /** @description The English title, where the event has one (English pages show it) */
                    titleEn: string | null;
                    startsAt: string;
                    endsAt: string;
                    venue: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  cancelledAt: string | null;
                  municipalityCodes: string[];
                  slot: {
                    boothName: string;
                    startsAt: string;
                    endsAt: string;
                  } | null;
                  createdAt: string;
                  checkedInAt: string | null;
                })[];
              projectInterests: ({
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              projectApplications: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  /** @enum {string} */
                  status: "applied" | "accepted" | "declined" | "withdrawn";
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              matches: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  organizationName: string;
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  stepOn: string;
                })[];
              csrfToken: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/card": {
    /** The supporter's current digital card: summary, signed token and QR code (SVG); 404 when none is valid */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              card: {
                /** Format: uuid */
                id: string;
                /** @description Holder name as registered, to match the card to the person showing it */
                name: string;
                municipalities: ({
                    code: string;
                    name: string;
                    /**
                     * @description The registration tier with this municipality
                     * @enum {string}
                     */
                    tier: "basic" | "premium";
                  })[];
                issuedAt: string;
                expiresAt: string;
                /** @description e.g. 山形 心のふるさと県民 */
                certifications: {
                    kind: string;
                    label: string;
                  }[];
              };
              /** @description The signed card (compact JWS) */
              token: string;
              /** @description What the QR code encodes: the public verify page with the token in the fragment */
              verifyUrl: string;
              /** @description QR code of verifyUrl as an SVG document */
              qrSvg: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/consents": {
    /** Give or withdraw consents (each is recorded with its date) */
    patch: {
      requestBody: {
        content: {
          "application/json": {
            /** @description メールマガジン / newsletter */
            newsletter?: boolean;
            /** @description 登録した市町村へ連絡先を提供 / share contact with the chosen municipalities */
            shareWithMunicipalities?: boolean;
            /** @description 匿名の統計に利用 / use in anonymous statistics */
            anonymousStatistics?: boolean;
            /** @description プロジェクトの紹介・スカウトを受け取る（未指定は同意なし） / be proposed projects (off unless given) */
            scouting?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                postalCode: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
                birthYear: number | null;
              };
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              profile: ({
                roots: string[];
                rootsOther: string | null;
                interests: string[];
                skills: string[];
                involvement: string[];
                /** @description Hours per month they can give to projects */
                hoursPerMonth: number | null;
                /** @description Projects they can take part in at the same time */
                projectCapacity: number;
                /**
                 * @description The language of mails to them: that of their latest sign-up
                 * @enum {string}
                 */
                mailLocale: "ja" | "en";
              }) | null;
              /** @description Consents in force (latest decision per purpose and municipality) */
              consents: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              consentHistory: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              engagements: ({
                  municipalityCode: string;
                  kind: string;
                  occurredOn: string;
                  amountYen: number | null;
                })[];
              registrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCodes: string[];
                  status: string;
                  createdAt: string;
                  confirmedAt: string | null;
                })[];
              /** @description The registration with each municipality supported: tier and identity assurance */
              supporterRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  tier: "basic" | "premium";
                  premiumSince: string | null;
                  /** @enum {string} */
                  identityAssurance: "none" | "email" | "document_checked";
                })[];
              /** @description How many municipalities one person may support */
              registrationCap: number;
              consultations: ({
                  occurredOn: string;
                  channel: string;
                  topics: string[];
                  municipalityCodes: string[];
                  desiredTiming: string | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                })[];
              cases: ({
                  /** Format: uuid */
                  id: string;
                  step: string;
                  openedOn: string;
                  stepOn: string;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: string | null;
                  steps: ({
                      step: string;
                      occurredOn: string;
                      municipalityCode: string | null;
                    })[];
                })[];
              referrals: ({
                  area: string;
                  /** @description Organization name or municipality code */
                  to: string;
                  status: string;
                  outcome: string | null;
                  sentAt: string;
                })[];
              /** @description Events the person registered for */
              eventRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  event: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    /** @description The English title, where the event has one (English pages show it) */
                    titleEn: string | null;
                    startsAt: string;
                    endsAt: string;
                    venue: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  cancelledAt: string | null;
                  municipalityCodes: string[];
                  slot: {
                    boothName: string;
                    startsAt: string;
                    endsAt: string;
                  } | null;
                  createdAt: string;
                  checkedInAt: string | null;
                })[];
              projectInterests: ({
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              projectApplications: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  /** @enum {string} */
                  status: "applied" | "accepted" | "declined" | "withdrawn";
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              matches: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  organizationName: string;
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  stepOn: string;
                })[];
              csrfToken: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/municipalities": {
    /** Support more municipalities, within the prefecture's cap (refused as a whole over it, naming the cap) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description Municipalities to add to the registration (the total stays within the prefecture's cap) */
            municipalityCodes: string[];
            /** @description Share the contact with the municipalities added (登録した市町村へ連絡先を提供) */
            shareWithMunicipalities: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                postalCode: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
                birthYear: number | null;
              };
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              profile: ({
                roots: string[];
                rootsOther: string | null;
                interests: string[];
                skills: string[];
                involvement: string[];
                /** @description Hours per month they can give to projects */
                hoursPerMonth: number | null;
                /** @description Projects they can take part in at the same time */
                projectCapacity: number;
                /**
                 * @description The language of mails to them: that of their latest sign-up
                 * @enum {string}
                 */
                mailLocale: "ja" | "en";
              }) | null;
              /** @description Consents in force (latest decision per purpose and municipality) */
              consents: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              consentHistory: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              engagements: ({
                  municipalityCode: string;
                  kind: string;
                  occurredOn: string;
                  amountYen: number | null;
                })[];
              registrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCodes: string[];
                  status: string;
                  createdAt: string;
                  confirmedAt: string | null;
                })[];
              /** @description The registration with each municipality supported: tier and identity assurance */
              supporterRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  tier: "basic" | "premium";
                  premiumSince: string | null;
                  /** @enum {string} */
                  identityAssurance: "none" | "email" | "document_checked";
                })[];
              /** @description How many municipalities one person may support */
              registrationCap: number;
              consultations: ({
                  occurredOn: string;
                  channel: string;
                  topics: string[];
                  municipalityCodes: string[];
                  desiredTiming: string | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                })[];
              cases: ({
                  /** Format: uuid */
                  id: string;
                  step: string;
                  openedOn: string;
                  stepOn: string;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: string | null;
                  steps: ({
                      step: string;
                      occurredOn: string;
                      municipalityCode: string | null;
                    })[];
                })[];
              referrals: ({
                  area: string;
                  /** @description Organization name or municipality code */
                  to: string;
                  status: string;
                  outcome: string | null;
                  sentAt: string;
                })[];
              /** @description Events the person registered for */
              eventRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  event: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    /** @description The English title, where the event has one (English pages show it) */
                    titleEn: string | null;
                    startsAt: string;
                    endsAt: string;
                    venue: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  cancelledAt: string | null;
                  municipalityCodes: string[];
                  slot: {
                    boothName: string;
                    startsAt: string;
                    endsAt: string;
                  } | null;
                  createdAt: string;
                  checkedInAt: string | null;
                })[];
              projectInterests: ({
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              projectApplications: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  /** @enum {string} */
                  status: "applied" | "accepted" | "declined" | "withdrawn";
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              matches: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  organizationName: string;
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  stepOn: string;
                })[];
              csrfToken: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/municipalities/{code}": {
    /** Stop supporting one municipality (the last one stays: deleting the registration is the way out) */
    delete: {
      parameters: {
        path: {
          /** @description Six-digit 全国地方公共団体コード, e.g. 062014 */
          code: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              person: {
                /** Format: uuid */
                id: string;
                name: string;
                kana: string | null;
                email: string | null;
                phone: string | null;
                postalCode: string | null;
                prefecture: ("北海道" | "青森県" | "岩手県" | "宮城県" | "秋田県" | "山形県" | "福島県" | "茨城県" | "栃木県" | "群馬県" | "埼玉県" | "千葉県" | "東京都" | "神奈川県" | "新潟県" | "富山県" | "石川県" | "福井県" | "山梨県" | "長野県" | "岐阜県" | "静岡県" | "愛知県" | "三重県" | "滋賀県" | "京都府" | "大阪府" | "兵庫県" | "奈良県" | "和歌山県" | "鳥取県" | "島根県" | "岡山県" | "広島県" | "山口県" | "徳島県" | "香川県" | "愛媛県" | "高知県" | "福岡県" | "佐賀県" | "長崎県" | "熊本県" | "大分県" | "宮崎県" | "鹿児島県" | "沖縄県") | null;
                city: string | null;
                birthYear: number | null;
              };
              links: ({
                  municipalityCode: string;
                  /** @enum {string} */
                  kind: "roots" | "interest" | "supporter" | "moved_in";
                })[];
              profile: ({
                roots: string[];
                rootsOther: string | null;
                interests: string[];
                skills: string[];
                involvement: string[];
                /** @description Hours per month they can give to projects */
                hoursPerMonth: number | null;
                /** @description Projects they can take part in at the same time */
                projectCapacity: number;
                /**
                 * @description The language of mails to them: that of their latest sign-up
                 * @enum {string}
                 */
                mailLocale: "ja" | "en";
              }) | null;
              /** @description Consents in force (latest decision per purpose and municipality) */
              consents: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              consentHistory: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
              engagements: ({
                  municipalityCode: string;
                  kind: string;
                  occurredOn: string;
                  amountYen: number | null;
                })[];
              registrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCodes: string[];
                  status: string;
                  createdAt: string;
                  confirmedAt: string | null;
                })[];
              /** @description The registration with each municipality supported: tier and identity assurance */
              supporterRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  municipalityCode: string;
                  /** @enum {string} */
                  tier: "basic" | "premium";
                  premiumSince: string | null;
                  /** @enum {string} */
                  identityAssurance: "none" | "email" | "document_checked";
                })[];
              /** @description How many municipalities one person may support */
              registrationCap: number;
              consultations: ({
                  occurredOn: string;
                  channel: string;
                  topics: string[];
                  municipalityCodes: string[];
                  desiredTiming: string | null;
                  householdSize: number | null;
                  withChildren: boolean | null;
                  familyNote: string | null;
                  residencePrefecture: string | null;
                  notes: string | null;
                  nextAction: string | null;
                })[];
              cases: ({
                  /** Format: uuid */
                  id: string;
                  step: string;
                  openedOn: string;
                  stepOn: string;
                  movedMunicipalityCode: string | null;
                  movedOn: string | null;
                  endReason: string | null;
                  steps: ({
                      step: string;
                      occurredOn: string;
                      municipalityCode: string | null;
                    })[];
                })[];
              referrals: ({
                  area: string;
                  /** @description Organization name or municipality code */
                  to: string;
                  status: string;
                  outcome: string | null;
                  sentAt: string;
                })[];
              /** @description Events the person registered for */
              eventRegistrations: ({
                  /** Format: uuid */
                  id: string;
                  event: {
                    /** Format: uuid */
                    id: string;
                    title: string;
                    /** @description The English title, where the event has one (English pages show it) */
                    titleEn: string | null;
                    startsAt: string;
                    endsAt: string;
                    venue: string | null;
                  };
                  /** @enum {string} */
                  status: "registered" | "cancelled";
                  cancelledAt: string | null;
                  municipalityCodes: string[];
                  slot: {
                    boothName: string;
                    startsAt: string;
                    endsAt: string;
                  } | null;
                  createdAt: string;
                  checkedInAt: string | null;
                })[];
              projectInterests: ({
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              projectApplications: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  /** @enum {string} */
                  status: "applied" | "accepted" | "declined" | "withdrawn";
                  createdAt: string;
                  withdrawnAt: string | null;
                })[];
              matches: ({
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  projectId: string;
                  title: string;
                  organizationName: string;
                  /** @enum {string} */
                  step: "proposed" | "introduced" | "agreed" | "collaborating" | "self_running" | "ended";
                  stepOn: string;
                })[];
              csrfToken: string;
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        400: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        401: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/api/me/export": {
    /** Download everything held (JSON, or CSV for Excel) */
    get: {
      parameters: {
        query?: {
          format?: "json" | "csv";
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/me/sign-out": {
    /** End the supporter session */
    post: {
      responses: {
        /** @description Default Response */
        204: {
          content: never;
        };
      };
    };
  };
  "/api/people/{id}/supporter-profile": {
    /** What a supporter told about themselves (roots, interests, skills, involvement) and the consents in force */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              profile: ({
                roots: string[];
                rootsOther: string | null;
                interests: string[];
                skills: string[];
                involvement: string[];
                /** @description Hours per month they can give to projects */
                hoursPerMonth: number | null;
                /** @description Projects they can take part in at the same time */
                projectCapacity: number;
                /**
                 * @description The language of mails to them: that of their latest sign-up
                 * @enum {string}
                 */
                mailLocale: "ja" | "en";
              }) | null;
              consents: ({
                  /** @enum {string} */
                  purpose: "newsletter" | "share_with_municipalities" | "anonymous_statistics" | "scouting";
                  municipalityCode: string | null;
                  granted: boolean;
                  recordedAt: string;
                  source: string;
                })[];
            };
          };
        };
        /** @description Error; message in the language of Accept-Language (ja default, en) */
        404: {
          content: {
            "application/json": {
              error: {
                /** @enum {string} */
                code: "VALIDATION" | "INVALID_JSON" | "INVALID_ENCODING" | "BAD_REQUEST" | "UNAUTHENTICATED" | "INVALID_CREDENTIALS" | "CSRF" | "FORBIDDEN" | "NOT_FOUND" | "DUPLICATE_PERSON" | "CONFLICT" | "EVENT_FULL" | "SLOT_FULL" | "EVENT_CLOSED" | "REGISTRATION_CANCELLED" | "ALREADY_CHECKED_IN" | "PROJECT_FULL" | "PROJECT_CLOSED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "PDF_FONTS_MISSING";
                message: string;
                fields?: {
                  [key: string]: string;
                };
                details?: {
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  "/.well-known/jwks.json": {
    /** Public keys that sign supporter cards (JWKS) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              keys: {
                  /** @enum {string} */
                  kty: "OKP";
                  /** @enum {string} */
                  crv: "Ed25519";
                  x: string;
                  kid: string;
                  /** @enum {string} */
                  alg: "EdDSA";
                  /** @enum {string} */
                  use: "sig";
                }[];
            };
          };
        };
      };
    };
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export type operations = Record<string, never>;
