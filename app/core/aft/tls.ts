// Trust on first use. AFT! installs with a self-signed certificate, and the vendor's examples
// switch verification off; this app never does. Instead the certificate is probed once (a bare
// TLS handshake: no HTTP request, no API key), shown to the person, and then pinned.
import { X509Certificate } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { AftError } from './errors.ts';
import {
  certificateChangedError,
  certificateExpiredError,
  certificateUntrustedError,
  certificateWrongHostError,
  timeoutError,
  unreachableError,
  unreachableReasonFor,
} from './errors.ts';
import type { ServerAddress } from './server-url.ts';
import { parseServerUrl } from './server-url.ts';

export interface PinnedCertificate {
  pem: string;
  /** SHA-256 fingerprint, colon-separated hex (case and colons are ignored when compared). */
  fingerprint256: string;
}

export interface ProbedCertificate extends PinnedCertificate {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** e.g. `['localhost', '127.0.0.1']`. */
  subjectAltNames: string[];
  selfSigned: boolean;
  /** The chain verifies against the default (or configured) CAs AND names this host. */
  publiclyTrusted: boolean;
  /** Why it is not trusted (OpenSSL's or Node's code), when it is not. */
  trustProblem?: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  /** CAs trusted for unpinned servers; default: Node's bundled CAs. */
  trustedCAs?: string[];
  lookup?: LookupFunction;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** Our own code for "the chain was fine but it is not the pinned certificate". */
export const PIN_MISMATCH_CODE = 'ERR_AFT_CERTIFICATE_PIN_MISMATCH';

function fingerprintHex(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

export function isSha256Fingerprint(fingerprint: string): boolean {
  return fingerprintHex(fingerprint).length === 64;
}

export function fingerprintsEqual(a: string, b: string): boolean {
  const left = fingerprintHex(a);
  return left.length === 64 && left === fingerprintHex(b);
}

/**
 * TLS options for a pinned server: the pinned certificate is the only trust anchor (`ca`), so
 * a self-signed certificate verifies at all, and `checkServerIdentity` then insists on exactly
 * that certificate. The fingerprint check alone would never run for a self-signed certificate:
 * Node calls checkServerIdentity only after the chain verified. The host name is deliberately
 * not checked: the person confirmed this exact certificate for this address.
 * `allowPartialTrustChain` lets a pinned CA-issued leaf act as its own anchor.
 */
export function pinnedTlsOptions(pin: PinnedCertificate): tls.ConnectionOptions {
  return {
    ca: [pin.pem],
    allowPartialTrustChain: true,
    checkServerIdentity: (_host, cert) => {
      if (fingerprintsEqual(cert.fingerprint256, pin.fingerprint256)) return undefined;
      return Object.assign(new Error('The server certificate is not the pinned one.'), {
        code: PIN_MISMATCH_CODE,
        actualFingerprint: cert.fingerprint256,
      });
    },
  };
}

function splitNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address|URI|email):/i, '').trim())
    .filter(Boolean);
}

export function describeCertificate(
  der: Buffer,
  publiclyTrusted: boolean,
  trustProblem?: string,
): ProbedCertificate {
  const x509 = new X509Certificate(der);
  // Not checkIssued(): it also demands keyCertSign, which a self-signed leaf lacks.
  const selfSigned = x509.subject === x509.issuer && x509.verify(x509.publicKey);
  const described: ProbedCertificate = {
    pem: x509.toString(),
    fingerprint256: x509.fingerprint256,
    subject: x509.subject.split('\n').join(', '),
    issuer: x509.issuer.split('\n').join(', '),
    validFrom: new Date(x509.validFrom).toISOString(),
    validTo: new Date(x509.validTo).toISOString(),
    subjectAltNames: splitNames(x509.subjectAltName),
    selfSigned,
    publiclyTrusted,
  };
  if (trustProblem !== undefined) described.trustProblem = trustProblem;
  return described;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Connects, completes (or fails) the TLS handshake, and hangs up without sending a byte of HTTP. */
export function probeCertificate(
  baseUrl: string,
  options: ProbeOptions = {},
): Promise<ProbedCertificate> {
  const address = parseServerUrl(baseUrl);
  return probeAddress(address, options);
}

export function probeAddress(
  address: ServerAddress,
  options: ProbeOptions = {},
): Promise<ProbedCertificate> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: address.host,
      port: address.port,
      servername: isIP(address.host) ? undefined : address.host,
      ca: options.trustedCAs,
      lookup: options.lookup,
    });
    // When verification fails Node destroys the socket and its certificate with it, before the
    // 'error' event. Reading the certificate just before that destroy is the only way to show
    // the person an untrusted certificate without ever turning verification off.
    let peerDer: Buffer | undefined;
    const destroy = socket.destroy.bind(socket);
    socket.destroy = (error?: Error) => {
      const peer = peerDer ? undefined : socket.getPeerCertificate();
      if (peer?.raw) peerDer = peer.raw;
      return destroy(error);
    };
    let settled = false;
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          timeoutError({ operation: 'probe', origin: address.origin, phase: 'connect', timeoutMs }),
        ),
      );
    }, timeoutMs);
    function finish(settle: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      settle();
    }
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      finish(() => resolve(describeCertificate(peer.raw, true)));
    });
    socket.once('error', (error) => {
      const code = errorCode(error);
      finish(() => {
        if (peerDer) {
          resolve(describeCertificate(peerDer, false, code ?? error.message));
          return;
        }
        reject(networkFailureError(error, address, 'probe'));
      });
    });
  });
}

/** A connection-level failure (not TLS verification) as an AftError. */
export function networkFailureError(
  error: unknown,
  address: ServerAddress,
  operation: 'launch' | 'status' | 'test' | 'probe',
): AftError {
  const systemCode = errorCode(error);
  return unreachableError({
    operation,
    origin: address.origin,
    host: address.host,
    reason: unreachableReasonFor(systemCode) ?? 'network',
    systemCode,
    cause: error,
  });
}

const EXPIRED_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const WRONG_HOST_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID']);
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'CERT_CHAIN_TOO_LONG',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'HOSTNAME_MISMATCH',
]);

/** True when the error is the server's certificate failing verification (not the network). */
export function isCertificateFailure(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code !== undefined &&
    (code === PIN_MISMATCH_CODE ||
      EXPIRED_CODES.has(code) ||
      WRONG_HOST_CODES.has(code) ||
      UNTRUSTED_CODES.has(code))
  );
}

/**
 * Turns a certificate verification failure into the specific error. A second bare handshake
 * (`probe`) reads the certificate actually presented: for a pinned server a different
 * certificate is 'tls-changed' whatever OpenSSL called it, with both fingerprints shown.
 */
export async function certificateFailureError(
  error: unknown,
  address: ServerAddress,
  pin: PinnedCertificate | undefined,
  probe: () => Promise<ProbedCertificate>,
): Promise<AftError> {
  const systemCode = errorCode(error);
  const origin = address.origin;
  let presented: ProbedCertificate | undefined;
  const reportedFingerprint = (error as { actualFingerprint?: unknown }).actualFingerprint;
  try {
    presented = await probe();
  } catch {
    presented = undefined;
  }
  const actualFingerprint =
    presented?.fingerprint256 ??
    (typeof reportedFingerprint === 'string' ? reportedFingerprint : undefined);

  if (pin && actualFingerprint && !fingerprintsEqual(actualFingerprint, pin.fingerprint256)) {
    return certificateChangedError({
      origin,
      expectedFingerprint: pin.fingerprint256,
      actualFingerprint,
    });
  }
  if (systemCode && EXPIRED_CODES.has(systemCode)) {
    return certificateExpiredError({ origin, validTo: presented?.validTo, systemCode });
  }
  if (systemCode && WRONG_HOST_CODES.has(systemCode)) {
    return certificateWrongHostError({
      origin,
      host: address.host,
      names: presented?.subjectAltNames,
      systemCode,
    });
  }
  return certificateUntrustedError({ origin, systemCode, actualFingerprint });
}
