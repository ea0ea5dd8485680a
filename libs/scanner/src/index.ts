export {
  resolveTarget,
  TargetResolutionError,
  type ResolveTargetOptions,
  type ResolvedTarget,
  type TargetResolutionFailure,
} from './target-resolution';
export { parsePortScope, isValidPort, PortScopeError } from './port-scope';
export { PROFILE_PORTS, type ScanProfile } from './scan-profiles';
export { TokenBucket, type TokenBucketOptions } from './token-bucket';
export {
  probePorts,
  type PortProbeOptions,
  type PortProbeProgress,
  type PortProbeResult,
} from './port-probe';
export { tcpPortState, LocalProbeError, type TcpPortState } from './tcp-port-state';
export { ConnectionTimeoutError } from './bounded-connection';
export { fingerprintService, type FingerprintOptions, type ServiceProbe } from './service-fingerprint';
export type {
  ServiceObservation,
  TlsObservation,
  HttpObservation,
  RedisObservation,
  DockerApiObservation,
} from './service-observation';
export { evaluateChecks } from './evaluate-checks';
export { type CheckContext } from './checks/check-rule';
export { CHECKS, type CheckId, type CheckDefinition, type CheckTraits, type Severity } from './check-catalog';
export { type FindingDraft } from './finding-draft';
export { findingFingerprint, type FindingIdentity } from './finding-fingerprint';
