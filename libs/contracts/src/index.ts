export * from './temporal';
export * from './queues';
