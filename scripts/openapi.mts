#!/usr/bin/env -S npx tsx
/**
 * `npm run api:types`: writes web/src/api/schema.gen.d.ts, the TypeScript types of every API path,
 * from the OpenAPI document the server builds from its Zod route schemas. The web's typed client
 * (web/src/data/client.ts) takes its paths, parameters and answers from this file, so a route whose
 * schema changes without a regeneration fails the web type-check or the freshness test.
 *
 * The app is built on an in-memory PGlite without listening: the document depends only on the
 * registered routes, not on data. `--check` writes nothing and exits 1 when the committed file
 * differs from what the server would generate now (test/integration/api-types.test.ts);
 * `--json FILE` also writes the OpenAPI document itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import openapiTS, { type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/platform/db/client.js';

const ROOT = path.resolve(import.meta.dirname, '..');
export const API_TYPES_FILE = path.join(ROOT, 'web', 'src', 'data', 'schema.gen.d.ts');

const { values } = parseArgs({ options: { check: { type: 'boolean' }, json: { type: 'string' } } });

const database = await openDatabase({ driver: 'pglite' });
let document: OpenAPI3;
try {
  await database.migrate();
  const app = await buildApp({ database, webRoot: '/nonexistent', publicUrl: 'http://localhost' });
  try {
    await app.ready();
    document = app.swagger() as OpenAPI3;
  } finally {
    await app.close();
  }
} finally {
  await database.close();
}

const header =
  "/**\n * The Kankei API's paths and answers, generated from the server's OpenAPI document by\n" +
  ' * `npm run api:types` (scripts/openapi.mts). Do not edit: change the route schema and regenerate.\n */\n\n';
const types = await openapiTS(document, { commentHeader: header, silent: true });

if (values.json) fs.writeFileSync(path.resolve(values.json), `${JSON.stringify(document, null, 2)}\n`);
if (values.check) {
  const committed = fs.existsSync(API_TYPES_FILE) ? fs.readFileSync(API_TYPES_FILE, 'utf8') : '';
  if (committed !== types) {
    console.error(`${path.relative(ROOT, API_TYPES_FILE)} is out of date: run npm run api:types`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(API_TYPES_FILE, types);
  console.log(`wrote ${path.relative(ROOT, API_TYPES_FILE)}`);
}
