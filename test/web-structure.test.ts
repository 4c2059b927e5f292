/**
 * Web UI structure: a page family does not import from another page family, so a family can be
 * changed (or split into its own chunk) without reaching into the others. What two families share
 * lives outside web/src/pages: components in web/src/components/, hooks in web/src/hooks.ts,
 * non-UI helpers in web/src/format.ts and web/src/vocab.ts.
 *
 * Families:
 * - every file under web/src/pages/<folder>/ (at any depth) belongs to the family <folder>;
 * - a top-level file web/src/pages/<Name>Page.tsx belongs to the family named <name> with its first
 *   letter lower-cased and "Page" dropped (PersonPage.tsx is family "person", so it may use the
 *   panels in pages/person/; PeopleListPage.tsx is family "peopleList").
 * A page file may import any file outside web/src/pages and any file of its own family.
 * Plain file scan (relative `from '…'` and `import('…')` specifiers), no bundler needed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const PAGES_DIR = resolve(import.meta.dirname, '../web/src/pages');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The family of a file inside web/src/pages, per the rule above. */
function familyOf(absolutePath: string): string {
  const parts = relative(PAGES_DIR, absolutePath).split(sep);
  if (parts.length > 1) return parts[0] as string;
  const base = (parts[0] as string).replace(/\.tsx?$/, '').replace(/Page$/, '');
  return base.charAt(0).toLowerCase() + base.slice(1);
}

function relativeImports(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']*)'/g)].map((m) => m[1] as string);
  return [...new Set(specifiers)];
}

describe('web page families', () => {
  it('no file in web/src/pages imports from another page family', () => {
    const crossings: string[] = [];
    for (const file of filesUnder(PAGES_DIR)) {
      const family = familyOf(file);
      for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(PAGES_DIR + sep)) continue;
        const targetFamily = familyOf(target);
        if (targetFamily !== family) {
          crossings.push(`${relative(PAGES_DIR, file)} (${family}) imports '${specifier}' (${targetFamily})`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it('knows the families it checks (the scan sees the page folders and their imports)', () => {
    const files = filesUnder(PAGES_DIR);
    const families = new Set(files.map(familyOf));
    expect(families).toContain('person');
    expect(families).toContain('consultations');
    expect(familyOf(join(PAGES_DIR, 'PersonPage.tsx'))).toBe('person');
    const personPage = readFileSync(join(PAGES_DIR, 'PersonPage.tsx'), 'utf8');
    expect(relativeImports(personPage)).toContain('./person/CasesPanel');
  });
});
