/** Where a setting belongs: a section of XorbConfig, or the loader itself (environment, vault). */
export type SectionName =
  | 'environment'
  | 'database'
  | 'redis'
  | 'temporal'
  | 'apiService'
  | 'orchestratorService'
  | 'workerService'
  | 'security'
  | 'scanning'
  | 'embeddings'
  | 'logging'
  | 'shutdown'
  | 'development'
  | 'bootstrap'
  | 'webhooks'
  | 'retention'
  | 'vault';
