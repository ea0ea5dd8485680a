export {
  normalizeTarget,
  canonicalIPv6,
  type NormalizedTarget,
  type NormalizeResult,
  type TargetKind,
} from './normalize-target';
export { AddressList } from './address-list';
export { ScanPolicy, type Eligibility, type EligibilityInput } from './scan-eligibility';
