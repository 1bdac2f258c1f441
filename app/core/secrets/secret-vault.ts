// Encrypts API keys and secret parameter values with the platform's SecretCipher (Electron's
// safeStorage in the app). Only ciphertext is ever stored; when the platform cannot encrypt,
// storing is refused with a clear message rather than falling back to plain text.
import type { SecretStorageStatus } from '../../shared/model.ts';
import type { SecretCipher } from '../ports.ts';
import { ServiceError } from '../service-error.ts';
import type { Redactor } from './redactor.ts';

export const BASIC_TEXT_WARNING =
  'Your desktop has no keyring (secret service), so secrets are only obfuscated, not encrypted: anyone who can read your files can recover the API keys. Install and unlock a keyring (for example GNOME Keyring or KWallet) and restart AFT! Launcher.';

const UNAVAILABLE_MESSAGE =
  'This computer cannot encrypt secrets right now (no keyring is available or it is locked), so AFT! Launcher will not store the API key or secret values: it never stores them unencrypted. Unlock or install a keyring, then try again.';

export interface SecretVault {
  status(): Promise<SecretStorageStatus>;
  /** Throws a `secrets-unavailable` ServiceError when the platform cannot encrypt. */
  encrypt(plainText: string): Promise<string>;
  decrypt(cipherText: string): Promise<string>;
}

export function createSecretVault(cipher: SecretCipher, redactor: Redactor): SecretVault {
  async function requireAvailable(): Promise<void> {
    if (!(await cipher.isAvailable()))
      throw new ServiceError('secrets-unavailable', UNAVAILABLE_MESSAGE);
  }
  return {
    async status() {
      const available = await cipher.isAvailable();
      const backend = cipher.backendName();
      const status: SecretStorageStatus = { available };
      if (backend !== undefined) status.backend = backend;
      if (!available) status.warning = UNAVAILABLE_MESSAGE;
      else if (backend === 'basic_text') status.warning = BASIC_TEXT_WARNING;
      return status;
    },
    async encrypt(plainText) {
      redactor.remember(plainText);
      await requireAvailable();
      return cipher.encrypt(plainText);
    },
    async decrypt(cipherText) {
      await requireAvailable();
      let plainText: string;
      try {
        plainText = await cipher.decrypt(cipherText);
      } catch {
        throw new ServiceError(
          'secrets-unavailable',
          'A stored secret could not be decrypted (the keyring may have changed since it was saved). Enter it again.',
        );
      }
      redactor.remember(plainText);
      return plainText;
    },
  };
}
