export * from './tenants.repository';
export * from './users.repository';
export * from './api-keys.repository';
export * from './audit.repository';
export * from './targets.repository';
export * from './scans.repository';
export * from './findings.repository';
export * from './scan-schedules.repository';
