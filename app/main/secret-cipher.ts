// SecretCipher over Electron's safeStorage async API (OS keychain / DPAPI / libsecret / kwallet).
import type { SecretCipher } from '../core/ports.ts';

export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
  getSelectedStorageBackend(): string;
}

export function createSafeStorageCipher(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): SecretCipher {
  return {
    isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    async encrypt(plainText) {
      const encrypted = await safeStorage.encryptStringAsync(plainText);
      return encrypted.toString('base64');
    },
    async decrypt(cipherText) {
      const decrypted = await safeStorage.decryptStringAsync(Buffer.from(cipherText, 'base64'));
      return decrypted.result;
    },
    // Only Linux has a choice of backends (and the weak basic_text one worth warning about).
    backendName: () => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined),
  };
}
