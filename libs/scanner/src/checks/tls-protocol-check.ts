import { draftFinding } from '../finding-draft';
import { type CheckRule } from './check-rule';

/** The server still completes TLS 1.0/1.1 handshakes. */
export const tlsProtocolCheck: CheckRule = ({ tls, port, address }, { hostname }) => {
  if (!tls?.legacyTlsAccepted) return [];
  const legacy = tls.legacyProtocol ?? 'TLS 1.0/1.1';
  return [
    draftFinding('tls.legacy-protocol-accepted', {
      hostname,
      port,
      description: `Port ${port} on ${hostname} completed a handshake limited to TLS 1.1 or older (it agreed to ${legacy}). These versions are deprecated (RFC 8996) and lack modern cipher suites.`,
      evidence: { address, legacyProtocol: legacy, preferredProtocol: tls.protocol },
    }),
  ];
};
