export * from './access-policy';
export * from './parse-access-policy';
