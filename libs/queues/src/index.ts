export {
  queuePrefix,
  openProducers,
  closeProducers,
  jobId,
  DEFAULT_JOB_OPTIONS,
  type Producers,
} from './producers';
