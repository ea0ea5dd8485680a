export { queuePrefix, openProducers, closeProducers, DEFAULT_JOB_OPTIONS, type Producers } from './producers';
