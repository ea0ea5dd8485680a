import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  /** Self-signed, CN/SAN localhost, valid for 3 more days. */
  expiringSoon: KeyPair;
  /** Self-signed, CN/SAN localhost, valid 2020-01-01 to 2020-01-02. */
  expired: KeyPair;
  /** Self-signed, but for other.example (not localhost), valid a year. */
  otherHost: KeyPair;
  /** localhost, signed by a test CA, valid a year: nothing wrong with it but the untrusted CA. */
  caSigned: KeyPair;
  remove(): void;
}

/**
 * Generates the test certificates with the openssl CLI. OpenSSL 3.0's `req -x509`
 * cannot backdate (-not_before arrived in 3.4), so the expired certificate is made
 * with `openssl ca -selfsign -startdate -enddate` and a throwaway CA database.
 */
export function generateCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'xorb-scanner-certs-'));
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const read = (name: string): KeyPair => ({
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
  });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const selfSigned = (name: string, cn: string, days: number): void =>
    openssl(
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      String(days),
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=DNS:${cn}`,
    );

  selfSigned('expiring', 'localhost', 3);
  selfSigned('other', 'other.example', 365);
  selfSigned('ca', 'XORB Test CA', 365);

  openssl(
    'req',
    '-new',
    ...ecKey,
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  );
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '365',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.crt',
  );

  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'db', 'index.txt'), '');
  writeFileSync(join(dir, 'db', 'serial'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = local',
      '[ local ]',
      'database = db/index.txt',
      'new_certs_dir = db',
      'serial = db/serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      'copy_extensions = copy',
      '[ any ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  openssl(
    'req',
    '-new',
    ...ecKey,
    '-keyout',
    'expired.key',
    '-out',
    'expired.csr',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
  );
  openssl(
    'ca',
    '-batch',
    '-notext',
    '-config',
    'ca.cnf',
    '-selfsign',
    '-keyfile',
    'expired.key',
    '-in',
    'expired.csr',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
    '-out',
    'expired.crt',
  );

  return {
    expiringSoon: read('expiring'),
    expired: read('expired'),
    otherHost: read('other'),
    caSigned: read('leaf'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
