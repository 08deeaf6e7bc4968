import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A TLS certificate made for the test, as a province would make one for a hub with no public
 * authority behind it: self-signed, for 127.0.0.1 and localhost, valid two days (openssl CLI).
 */
export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The certificate, PEM: what a workstation puts in its settings to trust only this hub. */
  pem: string;
}

export function makeTestCertificate(dir: string, name = 'hub'): TestCertificate {
  const certFile = join(dir, `${name}-cert.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=seal-counter-hub-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8').trim() };
}
