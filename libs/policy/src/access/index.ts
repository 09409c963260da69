export * from './api-key';
export * from './access.commands';
export * from './access.decider';
export * from './access.errors';
export * from './access.events';
export * from './access.evolve';
export * from './access.state';
export * from './limit-override.rules';
