import { isHardenedEnv, type XorbEnv } from '../xorb-env';

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

/**
 * Why the Vault token may not be sent to this address, or undefined when it may: staging and
 * production require https, except to a loopback agent (e.g. Vault Agent on 127.0.0.1).
 * Checked before any request, so that a refused address never receives the token.
 */
export function vaultTransportRefusal(env: XorbEnv, vaultAddress: string): string | undefined {
  const url = new URL(vaultAddress);
  if (!isHardenedEnv(env) || url.protocol === 'https:' || isLoopbackHost(url.hostname)) return undefined;
  return `must use https in ${env} (plain http is allowed only on loopback): the Vault token would travel in clear`;
}
