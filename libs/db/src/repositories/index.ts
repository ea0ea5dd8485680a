export * from './tenants.repository';
export * from './users.repository';
export * from './api-keys.repository';
export * from './audit.repository';
export * from './targets.repository';
