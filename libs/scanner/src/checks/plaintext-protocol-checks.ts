import { draftFinding, type FindingDraft } from '../finding-draft';
import { type ServiceObservation } from '../service-observation';
import { type CheckRule } from './check-rule';

const FTP_PORT = 21;
const TELNET_PORT = 23;
/** IAC (0xFF) followed by WILL, WONT, DO or DONT, at a byte boundary: Telnet option negotiation. */
const TELNET_NEGOTIATION = /^(?:[0-9a-f]{2})*?ff(?:fb|fc|fd|fe)/i;

/** FTP and Telnet: credentials and sessions in clear text. */
export const plaintextProtocolChecks: CheckRule = (observation, { hostname }) => {
  const { banner, port, address } = observation;
  const findings: FindingDraft[] = [];
  if (isFtp(observation)) {
    findings.push(
      draftFinding('plaintext.ftp', {
        hostname,
        port,
        description: `An FTP server greets on ${hostname}:${port} ("${firstLine(banner)}"). FTP sends user names, passwords and files unencrypted.`,
        evidence: { address, banner: firstLine(banner) },
      }),
    );
  }
  if (isTelnet(observation)) {
    findings.push(
      draftFinding('plaintext.telnet', {
        hostname,
        port,
        description: `A Telnet service negotiates on ${hostname}:${port}. Telnet sends passwords and whole sessions unencrypted.`,
        evidence: { address, banner: banner ?? '', bannerHex: (observation.bannerHex ?? '').slice(0, 64) },
      }),
    );
  }
  return findings;
};

function isFtp({ banner, port }: ServiceObservation): boolean {
  if (banner === undefined || !/^220[ -]/.test(banner)) return false;
  return port === FTP_PORT || /ftp|filezilla/i.test(firstLine(banner));
}

function isTelnet({ bannerHex, banner, port }: ServiceObservation): boolean {
  if (bannerHex !== undefined && TELNET_NEGOTIATION.test(bannerHex)) return true;
  return port === TELNET_PORT && banner !== undefined && /login:|telnet/i.test(banner);
}

function firstLine(banner: string | undefined): string {
  return (banner ?? '').split('\n')[0] ?? '';
}
