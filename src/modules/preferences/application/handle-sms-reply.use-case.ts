import { Injectable, Logger } from '@nestjs/common';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

/** Carrier-standard keywords (CTIA): these stop or resume every message to the number. */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const START_WORDS = new Set(['START', 'UNSTOP', 'YES', 'OPTIN']);

export type SmsReplyOutcome = { action: 'opted_out' | 'opted_in' | 'ignored'; users: number };

/** An inbound SMS from a provider's webhook: STOP turns SMS off for the number (and its users), START turns it back on. */
@Injectable()
export class HandleSmsReply {
  private readonly logger = new Logger('SmsReplies');

  constructor(private readonly store: PreferenceStore) {}

  async execute(input: { from: string; body: string }): Promise<SmsReplyOutcome> {
    const word = input.body.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    if (STOP_WORDS.has(word)) {
      const users = await this.store.optOutPhone(input.from, `sms-reply:${word}`);
      this.logger.log({ msg: 'sms opt-out', users });
      return { action: 'opted_out', users };
    }
    if (START_WORDS.has(word)) {
      const users = await this.store.optInPhone(input.from);
      return { action: 'opted_in', users };
    }
    return { action: 'ignored', users: 0 };
  }
}
