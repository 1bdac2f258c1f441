// The main process's services wired together, without Electron: the composition root passes
// the backends, the cipher, the AFT! client and the desktop ports, registers `handlers` with
// registerIpcHandlers, shows `notices`, calls `resume()` once the window is up, and `dispose()`
// on quit. Tests build the same thing over files in a temporary folder.
import { randomUUID } from 'node:crypto';
import type { AppStatus } from '../shared/ipc-contract.ts';
import type { FlatParams } from '../shared/job.ts';
import { SettingsSchema, type StartupNotice } from '../shared/model.ts';
import { validateParams } from '../shared/params.ts';
import type { AftClient } from './aft/client.ts';
import { createJobFollower, type JobFollower, type PollPolicy } from './aft/follower.ts';
import { systemClock, type Clock } from './clock.ts';
import type { IpcHandlers } from './ipc/validated-ipc.ts';
import { API_KEY_PLACEHOLDER, buildCommand, secretPlaceholder } from './jobs/copy-as-command.ts';
import { createSavedJobsService, secretNames } from './jobs/saved-jobs-service.ts';
import { exportJobs, importJobs } from './jobs/sharing.ts';
import type { DocumentBackend, RunObserver, SecretCipher, WindowEventSink } from './ports.ts';
import { createJobRunner, type RunFollowRef } from './runs/job-runner.ts';
import { createRedactor } from './secrets/redactor.ts';
import { createSecretVault } from './secrets/secret-vault.ts';
import { createServersService, type DemoServer } from './servers/servers-service.ts';
import { ServiceError } from './service-error.ts';
import { openDocumentStore } from './store/document-store.ts';
import { createRunHistory, historyDocumentSpec } from './store/run-history.ts';
import { settingsDocumentSpec } from './store/settings-document.ts';

export interface MainServicesOptions {
  settingsBackend: DocumentBackend;
  historyBackend: DocumentBackend;
  cipher: SecretCipher;
  client: AftClient;
  /** Default: the system clock. Drives the follower's polling and the coalesced writes. */
  clock?: Clock;
  /** Default: a follower over `client.getJob` with `clock` and `pollPolicy`. */
  follower?: JobFollower<RunFollowRef>;
  pollPolicy?: Partial<PollPolicy>;
  startDemoServer: () => Promise<DemoServer>;
  openExternal: (url: string) => Promise<void> | void;
  /** Puts text on the clipboard; without it, nothing with a secret in it can be copied. */
  writeClipboard?: (text: string) => void;
  /** The window, the tray, the notifier. */
  observers?: readonly RunObserver[];
  emit?: WindowEventSink;
  newId?: () => string;
  log?: (message: string) => void;
  app?: { version: string; platform: string };
  /** How long run-history changes are gathered into one write. */
  historyWriteDelayMs?: number;
}

export type MainServices = Awaited<ReturnType<typeof createMainServices>>;

export async function createMainServices(options: MainServicesOptions) {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const newId = options.newId ?? (() => randomUUID());
  const emit: WindowEventSink = options.emit ?? (() => undefined);
  const redactor = createRedactor();
  const log = (message: string) => (options.log ?? console.error)(redactor.redact(message));

  const settingsStore = openDocumentStore(
    options.settingsBackend,
    settingsDocumentSpec(new Date(now())),
    {
      clock,
      log,
    },
  );
  const historyStore = openDocumentStore(options.historyBackend, historyDocumentSpec, {
    clock,
    log,
    writeDelayMs: options.historyWriteDelayMs,
  });
  const settings = settingsStore.document.settings;
  const history = createRunHistory(historyStore, () => settings.historyLimit);
  const vault = createSecretVault(options.cipher, redactor);

  const notices: StartupNotice[] = [...settingsStore.notices, ...historyStore.notices];
  const secretStatus = await vault.status();
  if (!secretStatus.available && secretStatus.warning) {
    notices.push({ kind: 'secrets-unavailable', message: secretStatus.warning });
  }

  const servers = createServersService({
    store: settingsStore,
    vault,
    client: options.client,
    startDemoServer: options.startDemoServer,
    openExternal: options.openExternal,
    emit,
    now,
    newId,
  });
  const jobs = createSavedJobsService({ store: settingsStore, vault, emit, now, newId });
  const follower =
    options.follower ??
    createJobFollower<RunFollowRef>({
      clock,
      readStatus: (ref) => options.client.getJob(ref.endpoint, ref.jobId),
      policy: options.pollPolicy,
    });
  const runner = createJobRunner({
    client: options.client,
    follower,
    servers,
    jobs,
    history,
    observers: options.observers ?? [],
    emit,
    redactor,
    now,
    newId,
    log,
  });

  /**
   * "Copy as command". With `includeKey`, the command with the real key and secret values goes
   * straight to the clipboard from here: the window only ever receives the placeholder version.
   */
  async function copyAsCommand(input: Parameters<IpcHandlers['jobs.copyAsCommand']>[0]) {
    const job = jobs.stored(input.id);
    const server = servers.get(job.serverId);
    if (input.includeKey && !options.writeClipboard) {
      throw new ServiceError('unsupported', 'There is no clipboard to copy the command to.');
    }
    const entered = input.includeKey
      ? await jobs.withSavedSecrets(job, input.values)
      : input.values;
    const savedSecretParams = Object.keys(job.encryptedSecretValues);
    const checked = validateParams(job.params, entered, { savedSecretParams });
    if (!checked.ok) {
      throw new ServiceError(
        'invalid-input',
        'Some values need fixing before the command can be written.',
        Object.fromEntries(Object.entries(checked.fieldErrors).map(([k, v]) => [`values.${k}`, v])),
      );
    }
    const withPlaceholders = { ...checked.params };
    for (const name of secretNames(job.params)) {
      if (name in withPlaceholders || savedSecretParams.includes(name))
        withPlaceholders[name] = secretPlaceholder(name);
    }
    const command = (params: FlatParams, apiKey: string) =>
      buildCommand(input.format, { baseUrl: server.baseUrl, target: job.target, params, apiKey });
    const shown = command(withPlaceholders, API_KEY_PLACEHOLDER);
    if (!input.includeKey) return { text: shown, copiedWithKey: false };
    options.writeClipboard!(command(checked.params, (await servers.endpoint(server)).apiKey));
    return { text: shown, copiedWithKey: true };
  }

  const handlers: IpcHandlers = {
    'servers.list': async () => servers.list(),
    'servers.probe': async ({ baseUrl }) => servers.probe(baseUrl),
    'servers.add': async (input) => servers.add(input),
    'servers.rename': async ({ id, name }) => servers.rename(id, name),
    'servers.repin': async ({ id, confirmedFingerprint256 }) =>
      servers.repin(id, confirmedFingerprint256),
    'servers.setKey': async ({ id, apiKey }) => servers.setKey(id, apiKey),
    'servers.test': async ({ id }) => servers.test(id),
    'servers.remove': async ({ id }) => {
      servers.remove(id);
      return null;
    },
    'servers.startDemo': async () => servers.startDemo(),
    'servers.openWebUi': async ({ id }) => {
      await servers.openWebUi(id);
      return null;
    },

    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ id }) => jobs.get(id),
    'jobs.save': async (input) => jobs.save(input),
    'jobs.duplicate': async ({ id }) => jobs.duplicate(id),
    'jobs.delete': async ({ id }) => {
      jobs.delete(id);
      return null;
    },
    'jobs.reorder': async ({ ids }) => {
      jobs.reorder(ids);
      return null;
    },
    'jobs.savePreset': async ({ id, preset }) => jobs.savePreset(id, preset),
    'jobs.deletePreset': async ({ id, name }) => jobs.deletePreset(id, name),
    'jobs.export': async ({ ids }) => exportJobs(settingsStore.document, ids, new Date(now())),
    'jobs.import': async ({ json }) => {
      const report = importJobs(json, { store: settingsStore, jobs, newId });
      if (report.importedServers > 0) emit('serversChanged', null);
      if (report.importedJobs > 0) emit('jobsChanged', null);
      return report;
    },
    'jobs.copyAsCommand': copyAsCommand,

    'runs.start': async ({ jobId, values }) => runner.start(jobId, values),
    'runs.startAdHoc': async ({ serverId, target, params }) =>
      runner.startAdHoc(serverId, target, params),
    'runs.rerun': async ({ id }) => runner.rerun(id),
    'runs.get': async ({ id }) => runner.get(id),
    'runs.history': async (query) => runner.history(query),
    'runs.clearHistory': async () => {
      runner.clearHistory();
      return null;
    },

    'settings.get': async () => ({ ...settings }),
    'settings.update': async (changes) => {
      const next = SettingsSchema.parse({ ...settings, ...changes });
      const limitChanged = next.historyLimit !== settings.historyLimit;
      Object.assign(settings, next);
      settingsStore.save();
      if (limitChanged) history.prune();
      emit('settingsChanged', { ...settings });
      return { ...settings };
    },
    'app.copyText': async ({ text }) => {
      if (!options.writeClipboard) {
        throw new ServiceError('unsupported', 'There is no clipboard to copy to.');
      }
      options.writeClipboard(text);
      return null;
    },
    'app.status': async (): Promise<AppStatus> => ({
      version: options.app?.version ?? 'unknown',
      platform: options.app?.platform ?? process.platform,
      secretStorage: await vault.status(),
      notices,
    }),
  };

  return {
    handlers,
    notices,
    servers,
    jobs,
    runner,
    vault,
    redactor,
    /** Follows again the runs that were still going when the app last quit. */
    resume: () => runner.resume(),
    /** Writes every pending change (on quit). */
    flush(): void {
      settingsStore.flush();
      historyStore.flush();
    },
    /**
     * On quit: stops following, then writes everything pending. A launch still in flight may
     * answer later; its run is then written at once (see DocumentStore.dispose).
     */
    dispose(): void {
      runner.dispose();
      settingsStore.dispose();
      historyStore.dispose();
    },
  };
}
