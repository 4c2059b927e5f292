import { describe, expect, it } from 'vitest';
import { ja } from '../../web/src/i18n.js';
import {
  CONSENT_PURPOSE_LABELS_JA,
  CONSENT_PURPOSES,
  ENGAGEMENT_KIND_LABELS_JA,
  ENGAGEMENT_KINDS,
  INVOLVEMENT_KIND_LABELS_JA,
  INVOLVEMENT_KINDS,
  LINK_KIND_LABELS_JA,
  LINK_KINDS,
  REFERRAL_AREA_LABELS_JA,
  REFERRAL_AREAS,
  REFERRAL_OUTCOME_LABELS_JA,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUS_LABELS_JA,
  REFERRAL_STATUSES,
  ROOT_KIND_LABELS_JA,
  ROOT_KINDS,
} from './domain.js';
import { fileDateInTokyo, formatTokyoDateTime } from './dates.js';

describe('export labels in src/shared', () => {
  it('use the web UI’s wording for link kinds, consent purposes and engagement kinds, so a file and a screen read the same', () => {
    const ui = ja as Record<string, string>;
    for (const k of LINK_KINDS) expect(LINK_KIND_LABELS_JA[k], k).toBe(ui[`kind.${k}`]);
    for (const p of CONSENT_PURPOSES) expect(CONSENT_PURPOSE_LABELS_JA[p], p).toBe(ui[`consent.${p}`]);
    for (const e of ENGAGEMENT_KINDS) expect(ENGAGEMENT_KIND_LABELS_JA[e], e).toBe(ui[`engagement.kind.${e}`]);
    for (const r of ROOT_KINDS) expect(ROOT_KIND_LABELS_JA[r], r).toBe(ui[`root.${r}`]);
    for (const i of INVOLVEMENT_KINDS) expect(INVOLVEMENT_KIND_LABELS_JA[i], i).toBe(ui[`involvement.${i}`]);
    for (const a of REFERRAL_AREAS) expect(REFERRAL_AREA_LABELS_JA[a], a).toBe(ui[`referralArea.${a}`]);
    for (const s of REFERRAL_STATUSES) expect(REFERRAL_STATUS_LABELS_JA[s], s).toBe(ui[`referralStatus.${s}`]);
    for (const o of REFERRAL_OUTCOMES) expect(REFERRAL_OUTCOME_LABELS_JA[o], o).toBe(ui[`referralOutcome.${o}`]);
  });
});

describe('times in exports', () => {
  it('are Japan time as offices write them, and file names carry Japan’s date', () => {
    // 23:28 UTC on 1 December is 08:28 on 2 December in Japan.
    expect(formatTokyoDateTime('2026-12-01T23:28:20Z')).toBe('2026/12/02 08:28');
    expect(formatTokyoDateTime(new Date('2026-12-31T15:00:00Z'))).toBe('2027/01/01 00:00');
    expect(fileDateInTokyo(new Date('2026-12-01T23:28:20Z'))).toBe('20261202');
  });
});
