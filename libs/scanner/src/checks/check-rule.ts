import { type FindingDraft } from '../finding-draft';
import { type ServiceObservation } from '../service-observation';

export interface CheckContext {
  /** The target's host name: part of every finding's fingerprint. */
  hostname: string;
  now: Date;
  /** Certificates expiring within this many days are reported. */
  expiringWithinDays: number;
}

/** Looks at one port's observation and reports what is wrong with it. */
export type CheckRule = (observation: ServiceObservation, context: CheckContext) => FindingDraft[];
