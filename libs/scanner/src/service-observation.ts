/** What a TLS handshake showed about a port. */
export interface TlsObservation {
  /** Negotiated with the client's defaults, e.g. "TLSv1.3". */
  protocol: string;
  cipher?: string;
  /** Distinguished names as "CN=example.com, O=Example". */
  subject: string;
  issuer: string;
  /** "DNS:example.com", "IP Address:192.0.2.1", … */
  sans: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  serialNumber: string;
  /** SHA-256 of the DER certificate, colon-separated hex: the certificate's identity. */
  fingerprint256: string;
  /** Issued by itself and signed with its own key. */
  selfSigned: boolean;
  /** The certificate covers the host name scanned (RFC 6125 rules, as node:tls checks them). */
  hostnameMatches: boolean;
  /** Why a verifying client would reject the chain (e.g. "CERT_HAS_EXPIRED"), when it would. */
  authorizedError?: string;
  /** The server completed a handshake limited to TLS 1.0/1.1. */
  legacyTlsAccepted: boolean;
  /** The legacy protocol it agreed to, when it did. */
  legacyProtocol?: string;
}

/** The answer to `GET /`, never following redirects. */
export interface HttpObservation {
  scheme: 'http' | 'https';
  status: number;
  location?: string;
  /** A 3xx whose Location is an https: URL. */
  redirectsToHttps: boolean;
  server?: string;
  poweredBy?: string;
  /** Response headers, names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

export interface RedisObservation {
  /** PING answered with +PONG: no authentication is required. */
  pingAnswered: boolean;
  /** The first reply line, e.g. "+PONG" or "-NOAUTH Authentication required.". */
  reply: string;
  /** Selected INFO server fields ("redis_version:7.0.15", …), when PING was answered. */
  info?: string;
}

export interface DockerApiObservation {
  /** Plain-HTTP GET /version answered like the Docker Engine API. */
  exposed: boolean;
  version?: string;
  apiVersion?: string;
}

/** Everything fingerprinting learned about one open port. Absent fields did not apply. */
export interface ServiceObservation {
  address: string;
  port: number;
  hostname: string;
  tls?: TlsObservation;
  http?: HttpObservation;
  /** What the server volunteered on connect, printable (other bytes as \xNN). */
  banner?: string;
  /** The same bytes in hex (up to 256 bytes), for binary protocols such as Telnet. */
  bannerHex?: string;
  redis?: RedisObservation;
  dockerApi?: DockerApiObservation;
}
