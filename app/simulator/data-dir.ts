// What the simulator keeps between starts: its certificate (so a pinned fingerprint stays
// valid) and its default API key (so a saved key keeps working).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSelfSignedCertificate, type CertificateMaterial } from './certificate.ts';

export const CERTIFICATE_FILE = 'certificate.pem';
export const PRIVATE_KEY_FILE = 'private-key.pem';
export const API_KEY_FILE = 'api-key.txt';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random letters and digits, the look of AFT! IDs (`p3fEoexohdHj6SXrvuT8H8` is 22 long). */
export function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it are skipped so every letter is equally likely.
      if (byte < 248 && text.length < length) text += BASE62[byte % 62];
    }
  }
  return text;
}

export function newApiKey(): string {
  return randomBase62(40);
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
}

export async function loadOrCreateCertificate(
  dataDir: string,
  replace: boolean,
): Promise<CertificateMaterial> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const certPath = join(dataDir, CERTIFICATE_FILE);
  const keyPath = join(dataDir, PRIVATE_KEY_FILE);
  if (!replace) {
    const [certPem, keyPem] = await Promise.all([readIfPresent(certPath), readIfPresent(keyPath)]);
    if (certPem !== undefined && keyPem !== undefined) return { certPem, keyPem };
  }
  const material = createSelfSignedCertificate();
  await writePrivate(keyPath, material.keyPem);
  await writeFile(certPath, material.certPem);
  return material;
}

export async function loadOrCreateApiKey(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keyPath = join(dataDir, API_KEY_FILE);
  const existing = (await readIfPresent(keyPath))?.trim();
  if (existing) return existing;
  const key = newApiKey();
  await writePrivate(keyPath, `${key}\n`);
  return key;
}
