/**
 * The production start: `npm run build:server` compiles src/ to plain JavaScript that `node` runs
 * without tsx, and the compiled server finds everything it reads at run time (migrations, the
 * municipalities, the web UI). The build goes to a scratch folder laid out like the package
 * (package.json, node_modules, drizzle/ and web/dist/ linked in), so the developer's own dist/ is
 * never touched; the web UI is built only when web/dist is missing (`npm test` builds it first).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess } from '../helpers/serve-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-build-'));
const distDir = path.join(scratch, 'dist');
const dataDir = path.join(scratch, 'data');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const builtFiles = () =>
  fs.readdirSync(distDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());

describe('the compiled server (npm run build, npm start)', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) {
      const web = run([path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts']);
      expect(web.status, web.output).toBe(0);
    }
    for (const shared of ['package.json', 'node_modules', 'drizzle']) {
      fs.symlinkSync(path.join(ROOT, shared), path.join(scratch, shared));
    }
    fs.mkdirSync(path.join(scratch, 'web'));
    fs.symlinkSync(path.join(ROOT, 'web/dist'), path.join(scratch, 'web/dist'));
    fs.mkdirSync(path.join(scratch, 'bin'));
    fs.copyFileSync(path.join(ROOT, 'bin/kankei.mjs'), path.join(scratch, 'bin/kankei.mjs'));

    const build = run(['scripts/build-server.mjs', '--out-dir', distDir]);
    expect(build.status, build.output).toBe(0);
    console.log(build.output.trim());
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('mirrors src/: one .js per source file, the data files beside them, no tests and nothing that needs tsx', () => {
    const files = builtFiles().map((entry) => path.relative(distDir, path.join(entry.parentPath, entry.name)));
    expect(files).toContain('cli.js');
    expect(files).toContain('platform/db/client.js');
    expect(files).toContain('modules/places/data/yamagata-municipalities.json');
    expect(files).toContain('modules/places/data/yamagata-municipalities.geojson');
    expect(files.filter((file) => file.includes('.test.'))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    const needingTsx = builtFiles().filter((entry) =>
      /from ['"]tsx|import\(['"]tsx/.test(fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8')),
    );
    expect(needingTsx).toEqual([]);
  });

  it('keys kept analytics answers by the compiled files, the same on every start', () => {
    const codeVersion = () =>
      run(
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(path.join(distDir, 'modules/analytics/analytics.cache.js'))}); console.log(m.CODE_VERSION)`,
        ],
        scratch,
      ).output.trim();
    const first = codeVersion();
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    // The fallback for missing files would hash the start time and differ here.
    expect(codeVersion()).toBe(first);
  });

  it('npx kankei runs the compiled CLI', () => {
    // The scratch package has no src/: only dist/cli.js can answer.
    const cli = run(['bin/kankei.mjs', 'no-such-command'], scratch);
    expect(cli.status).toBe(1);
    expect(cli.output).toContain('Unknown command: no-such-command');
  });

  it('node dist/cli.js serve migrates, seeds the municipalities and serves the API and the web UI', async () => {
    const server = await startServeProcess(
      { KANKEI_DATA_DIR: dataDir, KANKEI_DEMO_DATA: '0' },
      { cwd: scratch, nodeArgs: ['dist/cli.js', 'serve'] },
    );
    try {
      expect(server.output()).toContain('Municipalities: 35');
      expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ status: 'ok', db: 'pglite' });
      const municipalities = (await (await fetch(`${server.url}/api/municipalities`)).json()) as unknown[];
      expect(municipalities).toHaveLength(35);

      const page = await fetch(`${server.url}/register`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="root"></div>');
      const script = html.match(/<script type="module" crossorigin src="([^"]+)"/)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${server.url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
      // Read to the end: a response still being sent holds up the server's graceful shutdown.
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
    // A first start migrates a new database: longer than the default on two busy cores.
  }, 150_000);
});
