import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { consoleStylesheetUrl } from '../../../../infrastructure/http/console-assets';
import type { PageFrame } from './html-pages';
import { pageStrings, type PageLanguageInput } from './page-language';

/** What the hosted pages (preference page, unsubscribe) share: their language, their look and how they are answered. */
@Injectable()
export class HostedPages {
  private stylesheet: string | null | undefined;

  /** The page's strings in the recipient's language, and the console's stylesheet (read from its build once). */
  frame(language: PageLanguageInput): PageFrame {
    if (this.stylesheet === undefined) this.stylesheet = consoleStylesheetUrl();
    return { strings: pageStrings(language), stylesheet: this.stylesheet };
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
