// The simulator's self-signed TLS certificate, as a local AFT! installation has by default.
// The key pair comes from node:crypto (native, fast); node-forge only builds and signs the
// X.509 structure, which node:crypto cannot do.
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertificateMaterial {
  certPem: string;
  keyPem: string;
}

const VALIDITY_YEARS = 10;

export function createSelfSignedCertificate(now: Date = new Date()): CertificateMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: clear the top bit so DER does not read it as negative.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  certificate.serialNumber = serial.toString('hex');
  // Backdated a day so a client whose clock runs slightly behind still accepts it.
  certificate.validity.notBefore = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  certificate.validity.notAfter = new Date(now.getTime());
  certificate.validity.notAfter.setFullYear(now.getFullYear() + VALIDITY_YEARS);
  const name = [
    { name: 'commonName', value: 'AFT! Simulator (localhost)' },
    { name: 'organizationName', value: 'AFT! Launcher simulator' },
  ];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(certificate), keyPem };
}

/** SHA-256 fingerprint exactly as node's X509Certificate.fingerprint256 writes it. */
export function fingerprint256Of(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
