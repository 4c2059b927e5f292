/**
 * The web's API types (web/src/data/schema.gen.d.ts) are generated from the server's OpenAPI
 * document and committed, so `npm test` type-checks the web before anything is built. This test
 * fails when a route's schema changed without `npm run api:types`: the committed types would then
 * describe an API the server no longer serves.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the generated web API types', () => {
  it('are what the server generates now (else run npm run api:types)', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/openapi.mts', '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
