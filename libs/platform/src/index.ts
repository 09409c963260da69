export * from './config/access-policy.file';
export * from './config/load-config';
export * from './config/platform.config';
export * from './health/readiness-checks';
export * from './http/bootstrap';
export * from './http/validation';
export * from './platform.module';
