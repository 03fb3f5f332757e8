// Builds dist/: ES modules that import lit and @herald/sdk (for applications with a bundler), self-contained copies in
// dist/browser (for a plain <script type="module">), the service worker as it is, and the type declarations.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkg, '..', '..');
const dist = join(pkg, 'dist');

rmSync(dist, { recursive: true, force: true });
const entries = { index: join(pkg, 'src', 'index.ts'), 'web-push': join(pkg, 'src', 'web-push.ts') };
// @herald/sdk is this repository's SDK, built from its source.
const common = {
  configFile: false,
  root: pkg,
  logLevel: 'warn',
  esbuild: { target: 'es2022' },
  resolve: { alias: { '@herald/sdk': join(root, 'packages', 'sdk', 'src', 'index.ts') } },
};

await build({
  ...common,
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    lib: { entry: entries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    // lit and the SDK stay dependencies: an application that uses them elsewhere loads them once.
    rollupOptions: { external: [/^lit(\/|$)/, /^@lit\//, /^lit-html(\/|$)/, /^lit-element(\/|$)/, /^@herald\/sdk$/, /^openapi-fetch$/], output: { chunkFileNames: '[name]-[hash].js' } },
  },
});
for (const [name, entry] of Object.entries(entries)) {
  // One file each, lit included: what a page without a bundler loads.
  await build({
    ...common,
    build: {
      outDir: join(dist, 'browser'),
      emptyOutDir: false,
      target: 'es2022',
      minify: 'esbuild',
      lib: { entry, formats: ['es'], fileName: () => (name === 'index' ? 'herald-inbox.js' : `${name}.js`) },
    },
  });
}
copyFileSync(join(pkg, 'src', 'herald-inbox-sw.js'), join(dist, 'herald-inbox-sw.js'));
// The declarations import @herald/sdk's, which its own build writes.
execFileSync(process.execPath, [join(root, 'packages', 'sdk', 'scripts', 'build.mjs')], { stdio: 'inherit' });
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(pkg, 'tsconfig.build.json')], { stdio: 'inherit' });
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
