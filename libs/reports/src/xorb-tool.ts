import { type ReportToolIdentity } from './report-format';

/** SARIF's tool.driver.name. */
export const XORB_TOOL_NAME = 'XORB';

/**
 * Defaults for the tool identity in SARIF output. The worker should pass the real ones
 * (its version, and the deployment's documentation URL) through RenderOptions.tool.
 * ".invalid" is a reserved TLD (RFC 2606): it names no real host.
 */
export const DEFAULT_TOOL_IDENTITY: Readonly<ReportToolIdentity> = Object.freeze({
  semanticVersion: '0.1.0',
  informationUri: 'https://xorb.invalid/docs',
});
