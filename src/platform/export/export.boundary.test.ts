import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const WRITER_DIR = 'src/platform/export/';
/** The libraries that write spreadsheet files; only the shared writer may use them. */
const SPREADSHEET_WRITERS = /from\s+['"](csv-stringify(\/[^'"]*)?|exceljs|xlsx)['"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('the one export writer', () => {
  it('is the only code that writes CSV or .xlsx, so no export can skip formula neutralisation', () => {
    const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'web/src'))].map((f) =>
      relative(ROOT, f),
    );
    expect(files.length).toBeGreaterThan(50);
    const bypassing = files.filter(
      (f) => !f.startsWith(WRITER_DIR) && SPREADSHEET_WRITERS.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(bypassing).toEqual([]);
    expect(
      files.filter((f) => f.startsWith(WRITER_DIR) && SPREADSHEET_WRITERS.test(readFileSync(join(ROOT, f), 'utf8'))),
    ).toHaveLength(2);
  });
});
