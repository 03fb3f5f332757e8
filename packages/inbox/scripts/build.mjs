// Builds dist/: ES modules that import lit (for applications with a bundler), self-contained copies in dist/browser
// (for a plain <script type="module">), the service worker as it is, and the type declarations.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkg, '..', '..');
const dist = join(pkg, 'dist');
const { build } = await import(join(root, 'node_modules', 'vite', 'dist', 'node', 'index.js'));

rmSync(dist, { recursive: true, force: true });
const entries = { index: join(pkg, 'src', 'index.ts'), 'web-push': join(pkg, 'src', 'web-push.ts') };
const common = { configFile: false, root: pkg, logLevel: 'warn', esbuild: { target: 'es2022' } };

await build({
  ...common,
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    lib: { entry: entries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    // lit stays a dependency: an application that uses lit elsewhere loads it once.
    rollupOptions: { external: [/^lit(\/|$)/, /^@lit\//, /^lit-html(\/|$)/, /^lit-element(\/|$)/], output: { chunkFileNames: '[name]-[hash].js' } },
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
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(pkg, 'tsconfig.json'), '--declaration', '--emitDeclarationOnly'], { stdio: 'inherit' });
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
