#!/usr/bin/env node
/**
 * `npm run build:server`: compiles the server (src/) to plain ESM JavaScript in dist/ for `node`.
 *
 * One rule makes every file the server reads at run time found from both src/ (tsx) and dist/:
 * dist/ mirrors src/ file by file at the same depth. src/a/b.ts becomes dist/a/b.js, and every file
 * under src/ that is not TypeScript (the municipalities in modules/places/data/) is copied to the same
 * place. Code resolves such files relative to itself (`new URL('./data/…', import.meta.url)`), and the
 * folders outside src/ (`drizzle/`, `web/dist/`) are reached with the same `../` from either tree.
 *
 * `--out-dir DIR` builds elsewhere (the build test); DIR must be named dist and sit in a folder laid
 * out like the package (drizzle/, web/dist/, node_modules/ beside it) for the built server to run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_DIR = path.join(ROOT, 'src');
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const outDir = path.resolve(values['out-dir'] ?? path.join(ROOT, 'dist'));

// The folder is emptied first so a deleted source file leaves no module behind; the name check keeps
// a mistyped --out-dir from emptying anything else.
if (path.basename(outDir) !== 'dist') {
  console.error(`build-server: the output folder must be named dist (got ${outDir})`);
  process.exit(2);
}
fs.rmSync(outDir, { recursive: true, force: true });

const started = performance.now();
const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
for (const entry of fs.readdirSync(SOURCE_DIR, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const relative = path.relative(SOURCE_DIR, path.join(entry.parentPath, entry.name));
  fs.mkdirSync(path.dirname(path.join(outDir, relative)), { recursive: true });
  fs.copyFileSync(path.join(SOURCE_DIR, relative), path.join(outDir, relative));
  copied++;
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `Server built to ${path.relative(process.cwd(), outDir) || '.'} in ${seconds} s (${copied} data files copied).`,
);
