#!/usr/bin/env node
// `npx kankei <command>`: runs the compiled CLI (dist/cli.js, written by `npm run build`) with plain
// Node. In a checkout that has not been built yet it falls back to the TypeScript sources through
// tsx, which only a development install has.
import fs from 'node:fs';

const compiledCli = new URL('../dist/cli.js', import.meta.url);

/** A source file changed after the build means the command would run older code than the checkout shows. */
function warnWhenBuildIsOlderThanSources() {
  const sourceDir = new URL('../src/', import.meta.url);
  if (!fs.existsSync(sourceDir)) return;
  const builtAt = fs.statSync(compiledCli).mtimeMs;
  const newer = fs
    .readdirSync(sourceDir, { recursive: true, withFileTypes: true })
    .some(
      (entry) =>
        entry.isFile() &&
        !entry.name.endsWith('.test.ts') &&
        fs.statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > builtAt,
    );
  if (newer) {
    console.error(
      'kankei: src/ にビルド後の変更があります。npm run build で dist/ を更新してください。\n' +
        'kankei: src/ changed after the last build; run npm run build to refresh dist/.',
    );
  }
}

if (fs.existsSync(compiledCli)) {
  warnWhenBuildIsOlderThanSources();
  await import(compiledCli.href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    console.error(
      'kankei: ビルドされていません。先に npm run build を実行してください。\n' +
        'kankei: not built yet; run npm run build first.',
    );
    process.exit(1);
  }
  tsx.register();
  await import('../src/cli.ts');
}
