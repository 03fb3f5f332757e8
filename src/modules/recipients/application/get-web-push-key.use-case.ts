import { Injectable } from '@nestjs/common';
import { WebPushNotConfiguredError } from '../../../domain/errors/domain-errors';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/** The VAPID public key the webpush channel signs with: a browser subscribes with it as `applicationServerKey`. */
@Injectable()
export class GetWebPushKey {
  constructor(private readonly config: HeraldConfig) {}

  execute(): { publicKey: string } {
    if (!this.config.channels.webPush.enabled) throw new WebPushNotConfiguredError();
    return { publicKey: this.config.channels.webPush.publicKey };
  }
}
