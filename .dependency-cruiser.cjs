/**
 * Kankei's dependency rules (docs/architecture.md, "Module boundaries"), checked by `npm run deps`
 * as part of `npm test`, over the server's code (src/). TypeScript is parsed with swc: the project's
 * TypeScript 7 compiler has no JavaScript API for dependency-cruiser to use (and swc, as
 * dependency-cruiser calls it, reads no JSX, so the web UI is not cruised).
 */
module.exports = {
  forbidden: [
    {
      name: 'platform-not-modules',
      comment: 'src/platform is what every module builds on; it never imports a module (modules may import platform).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'shared-is-pure',
      comment: 'src/shared holds pure code for server and web alike: no platform, no module, no database.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/(platform|modules|seed)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'no-file-cycles',
      comment: 'No file imports itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'Modules form a hierarchy: no module reaches itself through other modules.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+' },
      to: { path: '^src/modules/[^/]+', circular: true },
    },
    {
      name: 'modules-through-entry',
      comment:
        'Another module is used only through its public entry (src/modules/<m>/index.ts); its other files are private. The app (src/*.ts) and the seed compose modules through their entries too.',
      severity: 'error',
      from: { path: '^src/(modules/([^/]+)/|seed/|[^/]+\\.ts$)' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$2/', '^src/modules/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|\\.test\\.ts$' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    reporterOptions: {
      archi: { collapsePattern: '^src/(modules|platform)/[^/]+|^src/[^/]+' },
    },
  },
};
