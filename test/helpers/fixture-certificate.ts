// The self-signed certificate of the v1 settings fixture, as a TLS probe would report it: for
// tests of trust on first use that need no network.
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProbedCertificate } from '../../app/core/aft/tls.ts';

const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../fixtures/settings-v1.json'), 'utf8'),
) as { servers: { certificate: string }[] };

export const FIXTURE_PEM = FIXTURE.servers[0]!.certificate;
export const FIXTURE_FINGERPRINT = new X509Certificate(FIXTURE_PEM).fingerprint256;

export function probedFixtureCertificate(
  overrides: Partial<ProbedCertificate> = {},
): ProbedCertificate {
  return {
    pem: FIXTURE_PEM,
    fingerprint256: FIXTURE_FINGERPRINT,
    subject: 'CN=aft.office.example',
    issuer: 'CN=aft.office.example',
    validFrom: '2026-12-03T16:01:18.000Z',
    validTo: '2036-11-30T16:01:18.000Z',
    subjectAltNames: ['aft.office.example'],
    selfSigned: true,
    publiclyTrusted: false,
    ...overrides,
  };
}
