import { Injectable } from '@nestjs/common';
import type { Channel } from '../../../domain/notification/channel';
import type { ChannelSender } from '../../../domain/ports/channel-sender.port';
import { EmailChannelSender } from './email.channel-sender';

/** Every channel's sender, looked up by channel. */
@Injectable()
export class ChannelSenders {
  private readonly byChannel: Map<Channel, ChannelSender>;

  constructor(email: EmailChannelSender) {
    this.byChannel = new Map<Channel, ChannelSender>([[email.channel, email]]);
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
