export * from './database-connection';
export * from './database.module';
export * from './data-source-options';
export * from './ensure-database';
export * from './migrate';
export * from './in-transaction';
export * from './refused-data';
