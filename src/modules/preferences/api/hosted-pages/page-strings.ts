import type { Channel } from '../../../../domain/notification/channel';

/**
 * Every string of the hosted preference and unsubscribe pages, in one language. The pages escape whatever these
 * return: a catalogue holds plain text, never HTML. Category names and descriptions are shown as declared.
 */
export interface PageStrings {
  /** The language tag the page declares (`<html lang>`, Content-Language). */
  lang: string;
  /** How a channel is named in a sentence ("by email") and as a column heading. */
  channels: Record<Channel, string>;
  preferences: {
    title: string;
    /** Under the heading: whose preferences these are. */
    forUser: (userId: string) => string;
    saved: string;
    categoryColumn: string;
    /** After a critical category's name. */
    alwaysSent: string;
    /** The accessible name of one checkbox of the table. */
    toggle: (category: string, channel: string) => string;
    stopChannel: (channel: string) => string;
    save: string;
  };
  unsubscribed: {
    title: string;
    heading: string;
    fromCategory: (category: string, channel: string) => string;
    fromChannel: (channel: string) => string;
    fromAddress: (address: string) => string;
    managePreferences: string;
  };
  refused: {
    title: string;
    expired: string;
    tampered: string;
    nothingChanged: string;
  };
}
