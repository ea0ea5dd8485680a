export { WEBHOOK_HEADERS, SIGNATURE_SCHEME, WEBHOOK_USER_AGENT } from './headers';
export { generateWebhookSecret, isWebhookSecret, WEBHOOK_SECRET_PREFIX } from './webhook-secret';
export { signPayload, type SignPayloadInput, type SignatureHeaders } from './sign-payload';
export {
  verifySignature,
  type VerifySignatureInput,
  type VerifyResult,
  type VerifyFailureReason,
} from './verify-signature';
export type { HeaderSource } from './header-lookup';
export {
  assertDeliverable,
  type DeliverableOptions,
  type DeliverableTarget,
  type HostResolver,
  type ResolvedAddress,
} from './assert-deliverable';
export { UndeliverableUrlError, type UndeliverableReason } from './undeliverable-url-error';
export { METADATA_ENDPOINTS, isMetadataEndpoint, specialAddressKind } from './special-addresses';
export { deliverWebhook, type DeliverWebhookInput, type DeliveryResult } from './deliver-webhook';
export { outcomeForStatus, type DeliveryOutcome } from './delivery-outcome';
export { parseRetryAfter } from './retry-after';
export { nextRetryDelay, type RetryDelayOptions } from './retry-delay';
