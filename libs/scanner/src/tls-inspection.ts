import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { withTlsConnection, type Bounds, type Endpoint } from './bounded-connection';
import { attemptProbe } from './probe-attempt';
import { type TlsObservation } from './service-observation';
import { LEGACY_PROTOCOLS, observingTlsOptions } from './tls-client-options';

export interface TlsTarget extends Endpoint {
  /** The name the certificate should cover; sent as SNI unless it is an IP address. */
  hostname: string;
}

/**
 * Handshakes (without verifying, so that bad certificates can be reported) and
 * describes the certificate. Unless that handshake already settled on TLS ≤ 1.1,
 * a second one, capped at TLS 1.1, asks whether the server still accepts legacy
 * protocols. Resolves undefined when the port does not complete a TLS handshake.
 */
export async function inspectTls(target: TlsTarget, bounds: Bounds): Promise<TlsObservation | undefined> {
  const handshake = await attemptProbe(
    () =>
      withTlsConnection(target, observingTlsOptions(target.hostname), bounds, async (socket) => ({
        protocol: socket.getProtocol() ?? 'unknown',
        cipher: socket.getCipher().standardName,
        peer: socket.getPeerCertificate(),
        authorizedError: socket.authorizationError ? String(socket.authorizationError) : undefined,
      })),
    bounds,
  );
  if (!handshake?.peer.raw) return undefined;
  const legacy = LEGACY_PROTOCOLS.includes(handshake.protocol)
    ? handshake.protocol
    : await legacyProtocolAccepted(target, bounds);
  return {
    protocol: handshake.protocol,
    cipher: handshake.cipher,
    ...describeCertificate(handshake.peer, target.hostname),
    ...(handshake.authorizedError ? { authorizedError: handshake.authorizedError } : {}),
    legacyTlsAccepted: legacy !== undefined,
    ...(legacy ? { legacyProtocol: legacy } : {}),
  };
}

/**
 * Offers only TLS 1.0 and 1.1 (at SECLEVEL=0: we ask whether the server accepts
 * them, not whether we would). Resolves the protocol agreed, if any.
 */
export async function legacyProtocolAccepted(target: TlsTarget, bounds: Bounds): Promise<string | undefined> {
  return attemptProbe(
    () =>
      withTlsConnection(
        target,
        observingTlsOptions(target.hostname, 'TLSv1.1'),
        bounds,
        async (socket) => socket.getProtocol() ?? undefined,
      ),
    bounds,
  );
}

type CertificateFacts = Pick<
  TlsObservation,
  | 'subject'
  | 'issuer'
  | 'sans'
  | 'validFrom'
  | 'validTo'
  | 'serialNumber'
  | 'fingerprint256'
  | 'selfSigned'
  | 'hostnameMatches'
>;

function describeCertificate(peer: PeerCertificate, hostname: string): CertificateFacts {
  const certificate = new X509Certificate(peer.raw);
  return {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    sans: certificate.subjectAltName ? certificate.subjectAltName.split(', ') : [],
    validFrom: certificate.validFromDate.toISOString(),
    validTo: certificate.validToDate.toISOString(),
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    selfSigned: certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey),
    hostnameMatches: checkServerIdentity(hostname, peer) === undefined,
  };
}

function distinguishedName(lines: string): string {
  return lines.split('\n').filter(Boolean).join(', ');
}
