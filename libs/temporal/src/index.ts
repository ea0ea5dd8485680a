export { connectTemporalClient, type TemporalClientHandle } from './client';
export { temporalReadiness } from './readiness';
