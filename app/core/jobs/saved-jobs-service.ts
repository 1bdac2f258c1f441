// Saved jobs: what the person runs. Definitions are checked as a whole before saving; secret
// values never leave main and are stored only as ciphertext (last-used values); presets and
// definitions never hold a secret value at all.
import type { ParamDefinition, ParamValues, Preset, SavedJob } from '../../shared/model.ts';
import type { SavedJobInputSchema } from '../../shared/model.ts';
import { validateDefinitions } from '../../shared/params.ts';
import type { z } from 'zod';
import type { WindowEventSink } from '../ports.ts';
import type { SecretVault } from '../secrets/secret-vault.ts';
import { ServiceError, notFound } from '../service-error.ts';
import type { DocumentStore } from '../store/document-store.ts';
import type { SettingsDocument, StoredJob } from '../store/settings-document.ts';

export type SavedJobFields = z.output<typeof SavedJobInputSchema>;

export interface SavedJobsServiceDeps {
  store: DocumentStore<SettingsDocument>;
  vault: SecretVault;
  emit: WindowEventSink;
  now: () => number;
  newId: () => string;
}

export type SavedJobsService = ReturnType<typeof createSavedJobsService>;

export function secretNames(definitions: readonly ParamDefinition[]): Set<string> {
  return new Set(definitions.filter((d) => d.type === 'secret').map((d) => d.name));
}

/** Values without those of secret parameters. */
export function withoutSecrets(
  definitions: readonly ParamDefinition[],
  values: ParamValues,
): ParamValues {
  const secrets = secretNames(definitions);
  return Object.fromEntries(Object.entries(values).filter(([name]) => !secrets.has(name)));
}

export function toSavedJob(job: StoredJob): SavedJob {
  const { encryptedSecretValues, ...rest } = job;
  const secrets = secretNames(job.params);
  return {
    ...structuredClone(rest),
    savedSecretParams: Object.keys(encryptedSecretValues).filter((name) => secrets.has(name)),
  };
}

function presetsWithoutSecrets(
  definitions: readonly ParamDefinition[],
  presets: Preset[],
): Preset[] {
  return presets.map((preset) => ({
    ...preset,
    values: withoutSecrets(definitions, preset.values),
  }));
}

export function assertValidDefinitions(definitions: readonly ParamDefinition[]): void {
  const checked = validateDefinitions(definitions);
  if (!checked.ok) {
    const count = Object.keys(checked.fieldErrors).length;
    throw new ServiceError(
      'invalid-input',
      `${count === 1 ? 'One parameter definition needs' : `${count} parameter definitions need`} fixing before the job can be saved.`,
      checked.fieldErrors,
    );
  }
}

export function createSavedJobsService(deps: SavedJobsServiceDeps) {
  const { store, vault } = deps;
  const jobs = store.document.jobs;
  const stamp = () => new Date(deps.now()).toISOString();

  function find(id: string): StoredJob {
    const job = jobs.find((candidate) => candidate.id === id);
    if (!job) throw notFound('This saved job');
    return job;
  }

  function assertServerExists(serverId: string): void {
    if (!store.document.servers.some((server) => server.id === serverId)) {
      throw new ServiceError(
        'not-found',
        'The chosen server no longer exists. Choose another one.',
        {
          serverId: 'Choose a saved server.',
        },
      );
    }
  }

  function changed(): void {
    store.save();
    deps.emit('jobsChanged', null);
  }

  function nextOrder(): number {
    return jobs.reduce((highest, job) => Math.max(highest, job.order + 1), 0);
  }

  function ordered(): StoredJob[] {
    return [...jobs].sort((a, b) => a.order - b.order);
  }

  /** Adds a job built elsewhere (import, duplicate); the caller saves. */
  function insert(fields: SavedJobFields, extra: Partial<StoredJob> = {}): StoredJob {
    const at = stamp();
    const job: StoredJob = {
      ...fields,
      presets: presetsWithoutSecrets(fields.params, fields.presets),
      lastValues: {},
      encryptedSecretValues: {},
      ...extra,
      id: deps.newId(),
      order: nextOrder(),
      createdAt: at,
      updatedAt: at,
    };
    jobs.push(job);
    return job;
  }

  return {
    list(): SavedJob[] {
      return ordered().map(toSavedJob);
    },

    get(id: string): SavedJob {
      return toSavedJob(find(id));
    },

    stored(id: string): StoredJob {
      return find(id);
    },

    find(id: string): StoredJob | undefined {
      return jobs.find((job) => job.id === id);
    },

    /** Creates (no id) or updates a saved job. */
    save(input: SavedJobFields): SavedJob {
      assertValidDefinitions(input.params);
      assertServerExists(input.serverId);
      const { id, ...fields } = input;
      if (id === undefined) {
        const job = insert(fields);
        changed();
        return toSavedJob(job);
      }
      const job = find(id);
      const secrets = secretNames(fields.params);
      const names = new Set(fields.params.map((definition) => definition.name));
      Object.assign(job, fields, {
        presets: presetsWithoutSecrets(fields.params, fields.presets),
        // Remembered values follow the definitions: a removed parameter's value is dropped,
        // and so is a value whose parameter became secret (it was stored in clear).
        lastValues: Object.fromEntries(
          Object.entries(job.lastValues).filter(([name]) => names.has(name) && !secrets.has(name)),
        ),
        encryptedSecretValues: Object.fromEntries(
          Object.entries(job.encryptedSecretValues).filter(([name]) => secrets.has(name)),
        ),
        updatedAt: stamp(),
      });
      changed();
      return toSavedJob(job);
    },

    duplicate(id: string): SavedJob {
      const original = find(id);
      const {
        id: _id,
        order: _order,
        createdAt: _c,
        updatedAt: _u,
        ...fields
      } = structuredClone(original);
      const copy = insert(
        { ...fields, name: `${original.name} (copy)` },
        {
          lastValues: fields.lastValues,
          encryptedSecretValues: fields.encryptedSecretValues,
        },
      );
      changed();
      return toSavedJob(copy);
    },

    delete(id: string): void {
      const job = find(id);
      jobs.splice(jobs.indexOf(job), 1);
      changed();
    },

    /** The listed jobs first, in the given order; the others keep theirs after them. */
    reorder(ids: readonly string[]): void {
      const listed = ids.map(find);
      const listedSet = new Set(listed);
      const rest = ordered().filter((job) => !listedSet.has(job));
      [...new Set(listed), ...rest].forEach((job, index) => {
        job.order = index;
      });
      changed();
    },

    savePreset(id: string, preset: Preset): SavedJob {
      const job = find(id);
      const cleaned = { name: preset.name, values: withoutSecrets(job.params, preset.values) };
      const existing = job.presets.findIndex((candidate) => candidate.name === preset.name);
      if (existing >= 0) job.presets[existing] = cleaned;
      else job.presets.push(cleaned);
      job.updatedAt = stamp();
      changed();
      return toSavedJob(job);
    },

    deletePreset(id: string, name: string): SavedJob {
      const job = find(id);
      const index = job.presets.findIndex((candidate) => candidate.name === name);
      if (index < 0) throw notFound(`The preset "${name}"`);
      job.presets.splice(index, 1);
      job.updatedAt = stamp();
      changed();
      return toSavedJob(job);
    },

    /**
     * The entered values, with each secret left empty filled in from its stored (encrypted)
     * last-used value. A secret that cannot be decrypted stays empty: validation then asks for it.
     */
    async withSavedSecrets(job: StoredJob, values: ParamValues): Promise<ParamValues> {
      const filled = { ...values };
      const missing = [...secretNames(job.params)].filter((name) => {
        const value = values[name];
        return (
          (value === undefined || value === '') && job.encryptedSecretValues[name] !== undefined
        );
      });
      for (const name of missing) {
        try {
          filled[name] = await vault.decrypt(job.encryptedSecretValues[name]!);
        } catch {
          // Left empty: the person is asked to enter it again.
        }
      }
      return filled;
    },

    /**
     * Remembers the values of a run: non-secret ones in clear, secret ones encrypted (skipped,
     * not stored in clear, when the platform cannot encrypt). Written coalesced.
     */
    async rememberValues(job: StoredJob, values: ParamValues): Promise<void> {
      const secrets = secretNames(job.params);
      const encrypted: Record<string, string> = {};
      for (const [name, value] of Object.entries(values)) {
        if (!secrets.has(name) || typeof value !== 'string' || value === '') continue;
        try {
          encrypted[name] = await vault.encrypt(value);
        } catch {
          // Without encryption the value is simply not remembered.
        }
      }
      job.lastValues = withoutSecrets(job.params, values);
      job.encryptedSecretValues = { ...job.encryptedSecretValues, ...encrypted };
      store.saveSoon();
      deps.emit('jobsChanged', null);
    },

    insert,
    changed,
  };
}
