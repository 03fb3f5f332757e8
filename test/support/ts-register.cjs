// Lets a child `node` process load the TypeScript sources directly (used to start a Herald process that a
// test can kill with SIGKILL). Each file is transpiled on its own, as ts-jest and `isolatedModules` allow.
// Transpiled files are kept in a cache folder under the system's temporary folder, keyed by the source, its path,
// the options and TypeScript's version, so that every process after the first starts without transpiling again.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

let ts;
const OPTIONS = {
  module: 'CommonJS',
  target: 'ES2022',
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  esModuleInterop: true,
  inlineSourceMap: true,
};
const compilerOptions = () => ({ ...OPTIONS, module: ts.ModuleKind[OPTIONS.module], target: ts.ScriptTarget[OPTIONS.target] });
const tsVersion = require('typescript/package.json').version;
const cacheDir = path.join(os.tmpdir(), `herald-ts-register-${tsVersion}`);
const OPTIONS_KEY = JSON.stringify(OPTIONS);

function transpile(source, filename) {
  const key = crypto.createHash('sha256').update(`${OPTIONS_KEY}\0${filename}\0${source}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not transpiled yet.
  }
  ts ??= require('typescript');
  const { outputText } = ts.transpileModule(source, { fileName: filename, compilerOptions: compilerOptions() });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written under a name of its own and renamed, so that a process starting beside this one reads all or nothing.
    const partial = `${cached}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
  } catch {
    // A cache that cannot be written only makes the next start slower.
  }
  return outputText;
}

require.extensions['.ts'] = function loadTs(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
