/**
 * What a browser test of mail-driven pages needs, started before the file's tests and stopped
 * after them: a real SMTP server, a Kankei server delivering to it, and headless Chromium.
 * Call inside the `describe` (it registers beforeAll/afterAll); read the fields in the tests.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { startTestServer, type TestServer, type TestServerOptions } from './server';
import { startTestSmtp, type TestSmtp } from './smtp';

export type BrowserStack = { server: TestServer; smtp: TestSmtp; browser: Browser };

export function useBrowserStack(options: Omit<TestServerOptions, 'smtpUrl'> = {}): BrowserStack {
  const stack = {} as BrowserStack;
  beforeAll(async () => {
    stack.smtp = await startTestSmtp();
    stack.server = await startTestServer({ ...options, smtpUrl: stack.smtp.url });
    stack.browser = await launchBrowser();
    // PGlite migrating and Chromium starting take minutes on a busy two-core machine.
  }, 240_000);
  afterAll(async () => {
    await stack.browser?.close();
    await stack.server?.close();
    await stack.smtp?.close();
  }, 30_000);
  return stack;
}
