import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HeraldConfig } from './herald-config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HeraldConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: HeraldConfig, useValue: config }], exports: [HeraldConfig] };
  }
}
