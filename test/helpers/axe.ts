/**
 * Accessibility checks for the browser tests: axe-core run inside the page under test against the
 * WCAG 2.x A and AA rules. axe is injected through the DevTools protocol (`page.evaluate`), not a
 * <script> tag, so the page keeps its strict Content-Security-Policy while it is checked.
 *
 * `expectNoSeriousViolations(page, label)` is what a journey calls on each page it reaches: it fails
 * with one readable line per serious or critical problem (rule, impact, where, what to do), so a
 * failure says what to fix without opening a report.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: what a public body's site is held to (JIS X 8341-3 follows WCAG 2.x AA). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] as const;

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

export type AxeViolation = {
  id: string;
  impact: AxeImpact | null;
  help: string;
  helpUrl: string;
  /** One entry per offending element: its selector (frames and shadow roots joined by " >>> ") and axe's summary. */
  nodes: { target: string; summary: string }[];
};

export type AxeOptions = {
  /** Rule tags to run; WCAG 2.x A/AA by default. */
  tags?: readonly string[];
  /** Rule ids not to run on this page, each with the reason in the caller's code. */
  disableRules?: readonly string[];
  /** Limit the check to part of the page (a CSS selector); the whole document by default. */
  include?: string;
};

/** Injects axe-core once per document (a navigation starts a new one, so this is cheap to repeat). */
async function injectAxe(page: Page): Promise<void> {
  const present = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(axe.source);
}

/** Runs axe on the page as it is now and returns its violations (every impact). */
export async function runAxe(page: Page, options: AxeOptions = {}): Promise<AxeViolation[]> {
  await injectAxe(page);
  const tags = [...(options.tags ?? WCAG_TAGS)];
  const disabled = [...(options.disableRules ?? [])];
  const include = options.include ?? null;
  return page.evaluate(
    async ({ tags, disabled, include }) => {
      const engine = (globalThis as unknown as { axe: typeof import('axe-core') }).axe;
      const rules: Record<string, { enabled: boolean }> = {};
      for (const id of disabled) rules[id] = { enabled: false };
      const result = await engine.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        rules,
        resultTypes: ['violations'],
      });
      const describe = (target: unknown): string =>
        Array.isArray(target) ? target.map(describe).join(' >>> ') : String(target);
      return result.violations.map((violation) => ({
        id: violation.id,
        impact: (violation.impact ?? null) as AxeImpact | null,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
          target: describe(node.target),
          summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
        })),
      }));
    },
    { tags, disabled, include },
  );
}

const SERIOUS: ReadonlySet<AxeImpact | null> = new Set<AxeImpact | null>(['serious', 'critical']);

/** The serious and critical violations only: what blocks or badly hinders someone using assistive technology. */
export const seriousViolations = (violations: AxeViolation[]) => violations.filter((v) => SERIOUS.has(v.impact));

/** A readable list: one block per rule, one line per element. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const where = v.nodes.map((n) => `    - ${n.target}${n.summary ? `: ${n.summary}` : ''}`).join('\n');
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${where}`;
    })
    .join('\n');
}

/**
 * Fails the test when the page has a serious or critical WCAG 2.x A/AA violation, naming the page
 * (`label`), each rule, its impact, the elements' selectors and axe's advice.
 */
export async function expectNoSeriousViolations(page: Page, label: string, options: AxeOptions = {}): Promise<void> {
  const serious = seriousViolations(await runAxe(page, options));
  const message =
    serious.length === 0
      ? ''
      : `${label} (${page.url()}): ${serious.length} serious/critical accessibility violation(s)\n${formatViolations(serious)}`;
  expect(message, message).toBe('');
}
