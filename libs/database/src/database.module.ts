import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformConfig } from '@metergate/platform';
import { DatabaseConnection } from './database-connection';
import { ConnectionTuning, dataSourceOptions } from './data-source-options';

@Module({})
export class DatabaseModule {
  static forRoot(tuning: ConnectionTuning = {}): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PlatformConfig],
          // Initialized by DatabaseConnection, in the background, so that boot never waits on PostgreSQL.
          useFactory: (config: PlatformConfig) => ({
            ...dataSourceOptions(config.DATABASE_URL, tuning),
            manualInitialization: true,
          }),
        }),
      ],
      providers: [DatabaseConnection],
      exports: [DatabaseConnection, TypeOrmModule],
    };
  }
}
