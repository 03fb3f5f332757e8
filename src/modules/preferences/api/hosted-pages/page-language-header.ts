import type { ApiHeaderOptions } from '@nestjs/swagger';
import { PAGE_CATALOGUES } from './page-language';

/** How the hosted pages document the header they choose their language by. */
export const PAGE_LANGUAGE_HEADER: ApiHeaderOptions = {
  name: 'accept-language',
  required: false,
  description:
    `The page's language when the recipient's profile has no locale with a translation: one of ${Object.keys(PAGE_CATALOGUES).join(', ')} ` +
    '(by language: "de-AT" reads German); English when none fits.',
};
