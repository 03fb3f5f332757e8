// Builds the CommonJS and ES module outputs; each folder says which kind its .js files are.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(pkg, '..', '..', 'node_modules', '.bin', 'tsc');
rmSync(join(pkg, 'dist'), { recursive: true, force: true });
for (const [config, type] of [['tsconfig.json', 'commonjs'], ['tsconfig.esm.json', 'module']]) {
  execFileSync(tsc, ['-p', join(pkg, config)], { stdio: 'inherit' });
  writeFileSync(join(pkg, 'dist', type === 'module' ? 'esm' : 'cjs', 'package.json'), `${JSON.stringify({ type })}\n`);
}
