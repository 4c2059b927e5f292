import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES, negotiateFormat } from './analytics.export.js';

describe('format from the Accept header', () => {
  it('answers JSON unless a file type is preferred', () => {
    expect(negotiateFormat(undefined)).toBe('json');
    expect(negotiateFormat('*/*')).toBe('json');
    expect(negotiateFormat('text/html,application/xhtml+xml,*/*;q=0.8')).toBe('json');
    expect(negotiateFormat('application/json')).toBe('json');
  });
  it('picks the listed type with the highest q, the first one on a tie', () => {
    expect(negotiateFormat('text/csv')).toBe('csv');
    expect(negotiateFormat(`${MEDIA_TYPES.xlsx}`)).toBe('xlsx');
    expect(negotiateFormat('application/json;q=0.5, text/csv')).toBe('csv');
    expect(negotiateFormat(`text/csv;q=0.4, ${MEDIA_TYPES.xlsx};q=0.9`)).toBe('xlsx');
    expect(negotiateFormat('text/csv, application/json')).toBe('csv');
    expect(negotiateFormat('TEXT/CSV; charset=utf-8')).toBe('csv');
  });
  it('ignores refused (q=0) and malformed entries', () => {
    expect(negotiateFormat('text/csv;q=0')).toBe('json');
    expect(negotiateFormat('text/csv;q=abc, application/json')).toBe('json');
  });
});
