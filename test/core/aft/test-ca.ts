// A throw-away certificate authority for tests of CA-issued server certificates. Keys come
// from node:crypto (fast); node-forge builds and signs the certificates.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface Pem {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends Pem {
  /** A server certificate for these DNS names / IP addresses, signed by this CA. */
  issue(options: { dns?: string[]; ips?: string[]; notBefore?: Date; notAfter?: Date }): Pem;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function keyPair(): { keyPem: string; publicKey: forge.pki.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: forge.pki.publicKeyFromPem(
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ),
  };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

export function createTestCa(): TestCa {
  const caKeys = keyPair();
  const caSigningKey = forge.pki.privateKeyFromPem(caKeys.keyPem);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  ca.validity.notBefore = new Date(Date.now() - DAY_MS);
  ca.validity.notAfter = new Date(Date.now() + 365 * DAY_MS);
  const caName = [{ name: 'commonName', value: 'AFT Launcher Test CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caSigningKey, forge.md.sha256.create());

  return {
    certPem: forge.pki.certificateToPem(ca),
    keyPem: caKeys.keyPem,
    issue({ dns = [], ips = [], notBefore, notAfter }) {
      const leafKeys = keyPair();
      const leaf = forge.pki.createCertificate();
      leaf.publicKey = leafKeys.publicKey;
      leaf.serialNumber = serial();
      leaf.validity.notBefore = notBefore ?? new Date(Date.now() - DAY_MS);
      leaf.validity.notAfter = notAfter ?? new Date(Date.now() + 30 * DAY_MS);
      leaf.setSubject([{ name: 'commonName', value: dns[0] ?? ips[0] ?? 'server' }]);
      leaf.setIssuer(ca.subject.attributes);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            ...dns.map((value) => ({ type: 2, value })),
            ...ips.map((ip) => ({ type: 7, ip })),
          ],
        },
      ]);
      leaf.sign(caSigningKey, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(leaf), keyPem: leafKeys.keyPem };
    },
  };
}
