export * from './temporal';
export * from './queues';
export * as api from './api';
