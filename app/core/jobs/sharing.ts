// Export and import of saved jobs with the servers they use, as JSON a person can share:
// never an API key, a secret value or a last-used value. Servers carry their pinned certificate
// (public) so the receiver trusts the same one. Import checks every entry on its own and
// imports only the sound ones, with a message for each rejected entry. A job already here (same
// name, server and target) is skipped and counted, so importing a file twice changes nothing.
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { SavedJobInputSchema, type ParamDefinition, type Preset } from '../../shared/model.ts';
import type { ImportReport } from '../../shared/ipc-contract.ts';
import { validateDefinitions } from '../../shared/params.ts';
import { parseServerUrl } from '../aft/server-url.ts';
import { fingerprintsEqual } from '../aft/tls.ts';
import { ServiceError } from '../service-error.ts';
import type { DocumentStore } from '../store/document-store.ts';
import {
  StoredPinSchema,
  type SettingsDocument,
  type StoredJob,
  type StoredServer,
} from '../store/settings-document.ts';
import { withoutSecrets, type SavedJobsService } from './saved-jobs-service.ts';

export const EXPORT_FORMAT = 'aft-launcher-jobs';
export const EXPORT_VERSION = 1;

const ExportedServerSchema = z
  .object({
    ref: z.string().min(1).max(100),
    name: z.string().trim().min(1).max(200),
    baseUrl: z.string().min(1).max(2048),
    pinnedCertificate: StoredPinSchema.optional(),
  })
  .strict();

const ExportedJobSchema = SavedJobInputSchema.omit({ id: true, serverId: true })
  .extend({ server: z.string().min(1).max(100) })
  .strict();

function withoutSecretDefaults(definitions: readonly ParamDefinition[]): ParamDefinition[] {
  return definitions.map((definition) => {
    if (definition.type !== 'secret' || definition.default === undefined) return definition;
    const { default: _secretDefault, ...rest } = definition;
    return rest;
  });
}

function exportedPresets(definitions: readonly ParamDefinition[], presets: Preset[]): Preset[] {
  return presets.map((preset) => ({
    name: preset.name,
    values: withoutSecrets(definitions, preset.values),
  }));
}

export function exportJobs(
  document: SettingsDocument,
  ids: readonly string[] | undefined,
  now: Date,
): { json: string; jobCount: number; serverCount: number } {
  const wanted = ids ? new Set(ids) : undefined;
  const jobs = [...document.jobs]
    .sort((a, b) => a.order - b.order)
    .filter((job) => !wanted || wanted.has(job.id));
  const serverIds = new Set(jobs.map((job) => job.serverId));
  const servers = document.servers
    .filter((server) => serverIds.has(server.id))
    .map((server) => {
      const exported: z.input<typeof ExportedServerSchema> = {
        ref: server.id,
        name: server.name,
        baseUrl: server.baseUrl,
      };
      if (server.pinnedCertificate) exported.pinnedCertificate = server.pinnedCertificate;
      return exported;
    });
  const exportedJobs = jobs.map((job: StoredJob) => ({
    name: job.name,
    server: job.serverId,
    target: job.target,
    params: withoutSecretDefaults(job.params),
    favourite: job.favourite,
    showInTray: job.showInTray,
    notify: job.notify,
    confirmBeforeRun: job.confirmBeforeRun,
    tags: job.tags,
    presets: exportedPresets(job.params, job.presets),
  }));
  const json = JSON.stringify(
    {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: now.toISOString(),
      servers,
      jobs: exportedJobs,
    },
    null,
    2,
  );
  return { json, jobCount: exportedJobs.length, serverCount: servers.length };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it is not valid.';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

function entryName(kind: 'Server' | 'Job', index: number, value: unknown): string {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() !== ''
    ? `${kind} "${name.trim().slice(0, 80)}"`
    : `${kind} ${index + 1}`;
}

function parseFile(json: string): { servers: unknown[]; jobs: unknown[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ServiceError(
      'invalid-input',
      `This file is not JSON (${error instanceof Error ? error.message : String(error)}). Choose a file exported by AFT! Launcher.`,
    );
  }
  const file = parsed as {
    format?: unknown;
    version?: unknown;
    servers?: unknown;
    jobs?: unknown;
  } | null;
  if (file === null || typeof file !== 'object' || file.format !== EXPORT_FORMAT) {
    throw new ServiceError(
      'invalid-input',
      'This is not a jobs file exported by AFT! Launcher. Choose a file exported with "Export jobs".',
    );
  }
  if (typeof file.version !== 'number' || file.version > EXPORT_VERSION) {
    throw new ServiceError(
      'invalid-input',
      `This file was exported by a newer version of AFT! Launcher (format ${String(file.version)}). Update AFT! Launcher to import it.`,
    );
  }
  return {
    servers: Array.isArray(file.servers) ? file.servers : [],
    jobs: Array.isArray(file.jobs) ? file.jobs : [],
  };
}

/** What makes two jobs the same job: its name, its server and its target. */
function jobIdentity(job: Pick<StoredJob, 'name' | 'serverId' | 'target'>): string {
  return JSON.stringify([job.name.trim(), job.serverId, job.target.kind, job.target.value.trim()]);
}

export function importJobs(
  json: string,
  deps: {
    store: DocumentStore<SettingsDocument>;
    jobs: Pick<SavedJobsService, 'insert'>;
    newId: () => string;
  },
): ImportReport {
  const { store } = deps;
  const file = parseFile(json);
  const report: ImportReport = { importedJobs: 0, importedServers: 0, skippedJobs: 0, errors: [] };
  const serverIdByRef = new Map<string, string>();
  const rejectedRefs = new Set<string>();
  const newServers: StoredServer[] = [];

  file.servers.forEach((entry, index) => {
    const fail = (message: string) => {
      report.errors.push({ entry: entryName('Server', index, entry), message });
      const ref = (entry as { ref?: unknown } | null)?.ref;
      if (typeof ref === 'string') rejectedRefs.add(ref);
    };
    const parsed = ExportedServerSchema.safeParse(entry);
    if (!parsed.success) return fail(`Not imported: ${firstIssue(parsed.error)}`);
    const server = parsed.data;
    let origin: string;
    try {
      origin = parseServerUrl(server.baseUrl).origin;
    } catch (error) {
      return fail(`Not imported: ${error instanceof Error ? error.message : String(error)}`);
    }
    const pin = server.pinnedCertificate;
    if (pin) {
      let actual: string;
      try {
        actual = new X509Certificate(pin.pem).fingerprint256;
      } catch {
        return fail('Not imported: its pinned certificate is not a readable PEM certificate.');
      }
      if (!fingerprintsEqual(actual, pin.fingerprint256)) {
        return fail(
          'Not imported: its pinned certificate does not have the fingerprint written next to it.',
        );
      }
    }
    const existing = [...store.document.servers, ...newServers].find((s) => s.baseUrl === origin);
    if (existing) {
      // Already known here: jobs are attached to it, and its own pin and key stay as they are.
      serverIdByRef.set(server.ref, existing.id);
      return;
    }
    const created: StoredServer = {
      id: deps.newId(),
      name: server.name,
      baseUrl: origin,
      isDemo: false,
    };
    if (pin) created.pinnedCertificate = pin;
    newServers.push(created);
    serverIdByRef.set(server.ref, created.id);
  });

  const newJobs: Parameters<typeof deps.jobs.insert>[0][] = [];
  /** Importing the same file twice must not double the jobs: one per name, server and target. */
  const known = new Set(store.document.jobs.map(jobIdentity));
  file.jobs.forEach((entry, index) => {
    const fail = (message: string) =>
      report.errors.push({ entry: entryName('Job', index, entry), message });
    const parsed = ExportedJobSchema.safeParse(entry);
    if (!parsed.success) return fail(`Not imported: ${firstIssue(parsed.error)}`);
    const { server: ref, ...fields } = parsed.data;
    const serverId =
      serverIdByRef.get(ref) ??
      (store.document.servers.some((server) => server.id === ref) ? ref : undefined);
    if (serverId === undefined) {
      return fail(
        rejectedRefs.has(ref)
          ? `Not imported: its server "${ref}" was rejected (see above).`
          : `Not imported: it refers to the server "${ref}", which is neither in this file nor saved here. Export the job together with its server.`,
      );
    }
    const definitions = validateDefinitions(fields.params);
    if (!definitions.ok) {
      const [field, message] = Object.entries(definitions.fieldErrors)[0] ?? ['', ''];
      return fail(`Not imported: ${field}: ${message}`);
    }
    const identity = jobIdentity({ ...fields, serverId });
    if (known.has(identity)) {
      report.skippedJobs += 1;
      return;
    }
    known.add(identity);
    newJobs.push({ ...fields, serverId });
  });

  for (const server of newServers) store.document.servers.push(server);
  report.importedServers = newServers.length;
  for (const job of newJobs) deps.jobs.insert(job);
  report.importedJobs = newJobs.length;
  if (newServers.length > 0 || newJobs.length > 0) store.save();
  return report;
}
