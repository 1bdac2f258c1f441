// A reversible stand-in for Electron's safeStorage. Its ciphertext never contains the plain
// text (each byte is XOR-ed with a rotating key, then base64-encoded, behind a marker), so the
// leak tests can search written bytes for secrets and trust a miss.
import type { SecretCipher } from '../../app/core/ports.ts';

const MARKER = 'fake-cipher:';
const KEY = Buffer.from('aft-launcher-test-key');

function xor(bytes: Buffer): Buffer {
  return Buffer.from(bytes.map((byte, index) => byte ^ KEY[index % KEY.length]!));
}

export interface FakeSecretCipher extends SecretCipher {
  /** Switches encryption on or off, as a desktop without a keyring would. */
  setAvailable(available: boolean): void;
  encryptCount(): number;
}

export function createFakeSecretCipher(
  options: { available?: boolean; backend?: string } = {},
): FakeSecretCipher {
  let available = options.available ?? true;
  let encryptions = 0;
  return {
    isAvailable: async () => available,
    backendName: () => options.backend,
    setAvailable(next) {
      available = next;
    },
    encryptCount: () => encryptions,
    async encrypt(plainText) {
      if (!available) throw new Error('Encryption is not available.');
      encryptions += 1;
      return fakeCipherText(plainText);
    },
    async decrypt(cipherText) {
      if (!available) throw new Error('Encryption is not available.');
      if (!cipherText.startsWith(MARKER)) throw new Error('Not a ciphertext of this cipher.');
      return xor(Buffer.from(cipherText.slice(MARKER.length), 'base64')).toString('utf8');
    },
  };
}

/** The ciphertext the fake produces for a plain text, for building fixtures. */
export function fakeCipherText(plainText: string): string {
  return MARKER + xor(Buffer.from(plainText, 'utf8')).toString('base64');
}
