import { isIP } from 'node:net';
import { type ConnectionOptions } from 'node:tls';

/** SNI must be a DNS name (RFC 6066): never an IP literal. */
export function serverNameFor(hostname: string): string | undefined {
  return isIP(hostname) === 0 ? hostname : undefined;
}

export const LEGACY_PROTOCOLS: readonly string[] = ['SSLv3', 'TLSv1', 'TLSv1.1'];

/**
 * Client options for looking at a server, not for trusting it: no verification
 * (bad certificates are what we report), SNI = the host name, and every protocol
 * from TLS 1.0 up. OpenSSL 3 refuses TLS 1.0/1.1 and weak keys at its default
 * security level, so the cipher string drops to SECLEVEL=0: servers stuck on old
 * protocols must still show us their certificate. `maxVersion: 'TLSv1.1'` offers
 * only the legacy protocols.
 */
export function observingTlsOptions(hostname: string, maxVersion?: 'TLSv1.1'): ConnectionOptions {
  return {
    rejectUnauthorized: false,
    servername: serverNameFor(hostname),
    minVersion: 'TLSv1',
    ...(maxVersion ? { maxVersion } : {}),
    ciphers: 'DEFAULT@SECLEVEL=0',
  };
}
