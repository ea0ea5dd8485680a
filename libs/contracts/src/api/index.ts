export * from './common';
export * from './identity';
export * from './targets';
export * from './audit';
export * from './scans';
export * from './findings';
export * from './reports';
export * from './webhooks';
