import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleStylesheetUrl } from './console-assets';

describe("the console's stylesheet URL, from the build's Vite manifest", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-console-'));
    mkdirSync(join(dir, '.vite'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeManifest(entries: object, at: Date): void {
    const file = join(dir, '.vite', 'manifest.json');
    writeFileSync(file, JSON.stringify(entries));
    utimesSync(file, at, at);
  }

  it("names the entry's stylesheet under /console/, and the next build's once the manifest changes", () => {
    writeManifest({ 'index.html': { file: 'assets/index-a.js', isEntry: true, css: ['assets/index-AAAA.css'] } }, new Date(1_000_000));
    expect(consoleStylesheetUrl(dir)).toBe('/console/assets/index-AAAA.css');
    writeManifest({ 'index.html': { file: 'assets/index-b.js', isEntry: true, css: ['assets/index-BBBB.css'] } }, new Date(2_000_000));
    expect(consoleStylesheetUrl(dir)).toBe('/console/assets/index-BBBB.css');
  });

  it('is null without a build, without a manifest, or when the entry has no stylesheet', () => {
    expect(consoleStylesheetUrl(null)).toBeNull();
    expect(consoleStylesheetUrl(dir)).toBeNull();
    writeManifest({ 'index.html': { file: 'assets/index-a.js', isEntry: true }, 'chunk.js': { file: 'assets/chunk.js', css: ['assets/chunk.css'] } }, new Date(3_000_000));
    expect(consoleStylesheetUrl(dir)).toBeNull();
  });
});
