import { Injectable } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import type { ChannelSender } from '../../../domain/ports/channel-sender.port';
import { EmailChannelSender } from './email.channel-sender';
import { SmsChannelSender } from './sms.channel-sender';
import { PushChannelSender } from './push.channel-sender';
import { WebPushChannelSender } from './web-push.channel-sender';
import { ChatChannelSender } from './chat.channel-sender';
import { InAppChannelSender } from './inapp.channel-sender';

/** Every channel's sender, looked up by channel. */
@Injectable()
export class ChannelSenders {
  private readonly byChannel: Map<Channel, ChannelSender>;

  constructor(
    email: EmailChannelSender,
    sms: SmsChannelSender,
    push: PushChannelSender,
    webpush: WebPushChannelSender,
    chat: ChatChannelSender,
    inapp: InAppChannelSender,
  ) {
    this.byChannel = new Map<Channel, ChannelSender>([email, sms, push, webpush, chat, inapp].map((s) => [s.channel, s]));
  }

  get(channel: Channel): ChannelSender {
    const sender = this.byChannel.get(channel);
    if (!sender) throw new Error(`No sender for channel ${channel}`);
    return sender;
  }

  /** Channels where a send whose outcome was lost can be repeated without risk of a duplicate. */
  resendableChannels(): Channel[] {
    return [...this.byChannel.values()].filter((s) => s.resendable).map((s) => s.channel);
  }
}
