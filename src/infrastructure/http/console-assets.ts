import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ServerResponse } from 'node:http';

/** Where `npm run build` puts the console (console/vite.config.ts): dist/console beside the compiled server. */
export function consoleDirectory(from: string = __dirname): string | null {
  // Walk up to the project root (the folder with package.json): from src/ under ts-jest, from dist/src/ when built.
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const built = join(dir, 'dist', 'console');
      return existsSync(join(built, 'index.html')) ? built : null;
    }
  }
  return null;
}

/**
 * The URL of the console's stylesheet, as Vite named it (its content hash in the name) in the build's manifest:
 * the hosted pages link the same sheet, cached like every file under /console/assets/. Null when the console is
 * not built or its manifest names no stylesheet. The manifest is read again only when it changes (a new build).
 */
export function consoleStylesheetUrl(dir: string | null = consoleDirectory()): string | null {
  if (!dir) return null;
  const manifest = join(dir, '.vite', 'manifest.json');
  let mtimeMs: number;
  try {
    mtimeMs = statSync(manifest).mtimeMs;
  } catch {
    return null;
  }
  const known = manifestsRead.get(manifest);
  if (known?.mtimeMs === mtimeMs) return known.url;
  const entries = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, { isEntry?: boolean; css?: string[] }>;
  const css = Object.values(entries).find((entry) => entry.isEntry)?.css?.[0];
  const url = css ? `/console/${css}` : null;
  manifestsRead.set(manifest, { mtimeMs, url });
  return url;
}

const manifestsRead = new Map<string, { mtimeMs: number; url: string | null }>();

/**
 * Serves the console's built files at /console. File names under assets/ carry a content hash, so they are cached
 * for a year; index.html is revalidated each time, so that a new build is picked up at once.
 */
export function mountConsole(app: NestExpressApplication): void {
  const dir = consoleDirectory();
  if (!dir) {
    new Logger('Console').warn('The console is not built (npm run build:console): /console is not served');
    return;
  }
  app.useStaticAssets(dir, {
    prefix: '/console',
    index: 'index.html',
    fallthrough: true,
    setHeaders: (res: ServerResponse, path: string) => {
      res.setHeader('Cache-Control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
