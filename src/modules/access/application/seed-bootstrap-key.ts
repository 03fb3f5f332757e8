import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { CreateApiKey } from './create-api-key.use-case';

/** HERALD_BOOTSTRAP_API_KEY gives a deployment its first (admin) key without a CLI step. */
@Injectable()
export class SeedBootstrapKey implements OnModuleInit {
  constructor(
    private readonly config: HeraldConfig,
    private readonly createApiKey: CreateApiKey,
  ) {}

  async onModuleInit(): Promise<void> {
    const secret = this.config.auth.bootstrapApiKey;
    if (!secret) return;
    await this.createApiKey.execute({ name: 'bootstrap', scopes: ['admin'], secret, ifAbsent: true });
    new Logger('Access').log('bootstrap API key is present');
  }
}
