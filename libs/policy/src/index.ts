export * from './access-policy';
export * from './parse-access-policy';
export * from './sliding-window';
export * from './compiled-policy';
export * from './org-usage';
export * from './decide';
export * from './access';
