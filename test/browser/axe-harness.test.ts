/**
 * The accessibility harness itself: it finds a known serious problem, names the rule and the
 * element, passes a clean page, and works under a Content-Security-Policy that forbids inline and
 * injected scripts (as Kankei's pages send).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoSeriousViolations, runAxe } from '../helpers/axe';
import { hasChromium, launchBrowser } from '../helpers/browser';

const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

describe.skipIf(!hasChromium)('axe-core harness', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const pageWith = async (body: string) => {
    const page = await browser.newPage();
    await page.route('http://kankei.test/', (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': STRICT_CSP },
        body: `<!doctype html><html lang="ja"><head><title>テスト</title></head><body><main><h1>テスト</h1>${body}</main></body></html>`,
      }),
    );
    await page.goto('http://kankei.test/');
    return page;
  };

  test('a button without a name is reported with its rule, impact and selector', async () => {
    const page = await pageWith('<button id="nameless" type="button"></button>');
    try {
      const violations = await runAxe(page);
      const buttonName = violations.find((v) => v.id === 'button-name');
      expect(buttonName?.impact).toBe('critical');
      expect(buttonName?.nodes.map((n) => n.target)).toEqual(['#nameless']);
      const failure = await expectNoSeriousViolations(page, '名前のないボタン').then(
        () => null,
        (error: Error) => error.message,
      );
      expect(failure).toContain('名前のないボタン');
      expect(failure).toContain('[critical] button-name');
      expect(failure).toContain('#nameless');
    } finally {
      await page.close();
    }
  });

  test('a clean page passes, and a disabled rule is not run', async () => {
    const clean = await pageWith('<p>本文</p><button type="button">送信</button>');
    try {
      await expectNoSeriousViolations(clean, 'きれいなページ');
    } finally {
      await clean.close();
    }
    const nameless = await pageWith('<button type="button"></button>');
    try {
      expect((await runAxe(nameless, { disableRules: ['button-name'] })).map((v) => v.id)).not.toContain('button-name');
    } finally {
      await nameless.close();
    }
  });
});
