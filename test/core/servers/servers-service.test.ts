// The servers service on its own, over an in-memory settings document: races the window can
// cause (a double click on Add) and what ends up saved.
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../app/core/secrets/redactor.ts';
import { createSecretVault } from '../../../app/core/secrets/secret-vault.ts';
import { createServersService } from '../../../app/core/servers/servers-service.ts';
import { openDocumentStore } from '../../../app/core/store/document-store.ts';
import { settingsDocumentSpec } from '../../../app/core/store/settings-document.ts';
import { createFakeSecretCipher } from '../../fakes/secret-cipher.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import {
  FIXTURE_FINGERPRINT,
  probedFixtureCertificate,
} from '../../helpers/fixture-certificate.ts';

const FINGERPRINT = FIXTURE_FINGERPRINT;
const certificate = () => probedFixtureCertificate();

function openServers() {
  const clock = new FakeClock();
  let written: unknown;
  const store = openDocumentStore(
    {
      path: 'memory:settings.json',
      read: () => undefined,
      write: (document) => {
        written = structuredClone(document);
      },
    },
    settingsDocumentSpec(new Date(clock.now())),
    { clock },
  );
  let ids = 0;
  const servers = createServersService({
    store,
    vault: createSecretVault(createFakeSecretCipher(), createRedactor()),
    client: {
      probeCertificate: async () => certificate(),
      testConnection: async () => {
        throw new Error('not in this test');
      },
    },
    startDemoServer: async () => {
      throw new Error('not in this test');
    },
    openExternal: () => undefined,
    emit: () => undefined,
    now: () => clock.now(),
    newId: () => `server-${(ids += 1)}`,
  });
  return { servers, written: () => written as { servers: unknown[] } | undefined };
}

describe('servers service', () => {
  it('saves a server once when Add is sent twice before the first finishes', async () => {
    const { servers, written } = openServers();
    const input = {
      name: 'Office',
      baseUrl: 'https://aft.office.example',
      apiKey: 'good-key-123',
      confirmedFingerprint256: FINGERPRINT,
    };
    const results = await Promise.allSettled([servers.add(input), servers.add(input)]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected');
    expect(String((refused as PromiseRejectedResult).reason)).toMatch(/already saved/);
    expect(servers.list()).toHaveLength(1);
    expect(written()?.servers).toHaveLength(1);
  });
});
