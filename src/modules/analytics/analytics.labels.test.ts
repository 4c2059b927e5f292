import { describe, expect, it } from 'vitest';
import { CASE_END_REASONS, CONSULTATION_CHANNELS, CONSULTATION_TOPICS } from '../../shared/domain.js';
import { ja } from '../../../web/src/i18n.js';
import { CHANNEL_LABELS, END_REASON_LABELS, TOPIC_LABELS } from './analytics.labels.js';

describe('export labels', () => {
  it('use the web UI’s wording for channels, topics and end reasons, so a chart and its sheet read the same', () => {
    const ui = ja as Record<string, string>;
    for (const c of CONSULTATION_CHANNELS) expect(CHANNEL_LABELS[c], c).toBe(ui[`channel.${c}`]);
    for (const t of CONSULTATION_TOPICS) expect(TOPIC_LABELS[t], t).toBe(ui[`topic.${t}`]);
    for (const r of CASE_END_REASONS) expect(END_REASON_LABELS[r], r).toBe(ui[`endReason.${r}`]);
  });
});
