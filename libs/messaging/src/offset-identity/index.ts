export * from './offset-mismatch';
export * from './topics-seen';
