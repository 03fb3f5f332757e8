import { Module, type DynamicModule } from '@nestjs/common';
import type { HeraldConfig } from './infrastructure/config/herald-config';
import { ConfigModule } from './infrastructure/config/config.module';
import { DatabaseModule } from './infrastructure/typeorm/database.module';
import { ObservabilityModule } from './modules/observability/observability.module';
import { EveryRoleModule } from './roles/every-role.module';
import { QueueConsumption } from './roles/queue-consumption';
import { DOMAIN_MODULES, roleModules } from './roles/role-modules';

/**
 * One root module for every deployment shape: the same domain modules everywhere; the role modules of the
 * configured roles add the controllers, queue consumers and loops (see the role table in README.md).
 */
@Module({})
export class AppModule {
  static forConfig(config: HeraldConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, EveryRoleModule, ...DOMAIN_MODULES, ...roleModules(config.roles), ObservabilityModule],
      providers: [QueueConsumption],
    };
  }
}
