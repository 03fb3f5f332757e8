import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { consoleDirectory, consoleStylesheetUrl } from '../../../../infrastructure/http/console-assets';
import type { PageFrame } from './html-pages';
import { pageStrings, type PageLanguageInput } from './page-language';

/** What the hosted pages (preference page, unsubscribe) share: their language, their look and how they are answered. */
@Injectable()
export class HostedPages {
  /** Found once, as /console is mounted once: a console built after start is served after a restart. */
  private consoleDir: string | null | undefined;

  /** The page's strings in the recipient's language, and the console's stylesheet as its latest build names it. */
  frame(language: PageLanguageInput): PageFrame {
    if (this.consoleDir === undefined) this.consoleDir = consoleDirectory();
    return { strings: pageStrings(language), stylesheet: consoleStylesheetUrl(this.consoleDir) };
  }

  send(res: Response, frame: PageFrame, status: number, html: string): void {
    // A page holds a signed token and a person's choices: never kept by a cache.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Language', frame.strings.lang);
    res.setHeader('Vary', 'Accept-Language');
    res.type('html');
    res.status(status).send(html);
  }
}
