/**
 * Consents per purpose, each decision a dated row (docs/architecture.md). They belong to the person
 * whatever form gave them: the supporter sign-up, an event registration, the supporter's own page.
 */
import { z } from 'zod';
import type { consents } from './people.tables.js';

export const Consents = z
  .object({
    newsletter: z.boolean().describe('メールマガジン / newsletter'),
    shareWithMunicipalities: z
      .boolean()
      .describe('登録した市町村へ連絡先を提供 / share contact with the chosen municipalities'),
    anonymousStatistics: z.boolean().describe('匿名の統計に利用 / use in anonymous statistics'),
    scouting: z
      .boolean()
      .optional()
      .describe('プロジェクトの紹介・スカウトを受け取る（未指定は同意なし） / be proposed projects (off unless given)'),
  })
  .strict();
export type ConsentChoices = z.infer<typeof Consents>;

/** One dated consent row per purpose given (sharing: one per municipality). */
export function consentRows(personId: string, choices: Partial<ConsentChoices>, codes: string[], source: string) {
  const rows: Array<typeof consents.$inferInsert> = [];
  if (choices.newsletter !== undefined)
    rows.push({ personId, purpose: 'newsletter', granted: choices.newsletter, source });
  if (choices.anonymousStatistics !== undefined) {
    rows.push({ personId, purpose: 'anonymous_statistics', granted: choices.anonymousStatistics, source });
  }
  if (choices.scouting !== undefined) rows.push({ personId, purpose: 'scouting', granted: choices.scouting, source });
  if (choices.shareWithMunicipalities !== undefined) {
    for (const code of codes) {
      rows.push({
        personId,
        purpose: 'share_with_municipalities',
        municipalityCode: code,
        granted: choices.shareWithMunicipalities,
        source,
      });
    }
  }
  return rows;
}
