import { describe, expect, it } from 'vitest';
import { createSafeStorageCipher } from '../../app/main/secret-cipher.ts';
import { createFakeSafeStorage } from '../fakes/electron.ts';

describe('safeStorage secret cipher', () => {
  it('uses the async API and stores base64 ciphertext that does not contain the secret', async () => {
    const safeStorage = createFakeSafeStorage();
    const cipher = createSafeStorageCipher(safeStorage, 'linux');
    expect(await cipher.isAvailable()).toBe(true);
    const cipherText = await cipher.encrypt('k3y-Secret');
    expect(cipherText).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(cipherText, 'base64').toString('utf8')).not.toContain('k3y-Secret');
    expect(await cipher.decrypt(cipherText)).toBe('k3y-Secret');
    expect(safeStorage.calls).toEqual([
      'isAsyncEncryptionAvailable',
      'encryptStringAsync',
      'decryptStringAsync',
    ]);
  });

  it('passes a decryption failure on to the services', async () => {
    const cipher = createSafeStorageCipher(createFakeSafeStorage(), 'linux');
    await expect(cipher.decrypt(Buffer.from('garbage').toString('base64'))).rejects.toThrow(
      /decrypting/,
    );
  });

  it('reports unavailable encryption', async () => {
    const cipher = createSafeStorageCipher(createFakeSafeStorage({ available: false }), 'win32');
    expect(await cipher.isAvailable()).toBe(false);
  });

  it('names the Linux backend (so basic_text can be warned about), and none elsewhere', () => {
    const basic = createFakeSafeStorage({ backend: 'basic_text' });
    expect(createSafeStorageCipher(basic, 'linux').backendName()).toBe('basic_text');
    expect(createSafeStorageCipher(basic, 'darwin').backendName()).toBeUndefined();
  });
});
