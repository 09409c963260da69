import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformConfig } from '@metergate/platform';
import type { DataSourceOptions } from 'typeorm';
import { DatabaseConnection } from './database-connection';
import { dataSourceOptions } from './data-source-options';

@Module({})
export class DatabaseModule {
  static forRoot(entities: NonNullable<DataSourceOptions['entities']> = []): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PlatformConfig],
          // Initialized by DatabaseConnection, in the background, so that boot never waits on PostgreSQL.
          useFactory: (config: PlatformConfig) => ({
            ...dataSourceOptions(config.DATABASE_URL, entities),
            manualInitialization: true,
          }),
        }),
      ],
      providers: [DatabaseConnection],
      exports: [DatabaseConnection, TypeOrmModule],
    };
  }
}
