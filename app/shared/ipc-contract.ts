// The one contract between main, preload and renderer (the renderer imports its types only).
// Every request names its input schema (main validates each call against it) and its output
// type; every event from main to the window names its payload. Adding a request here is the
// only way to make it callable from the window.
import { z } from 'zod';
import {
  JobTargetSchema,
  ParamValueSchema,
  ParamValuesSchema,
  PresetSchema,
  RUN_STATES,
  SavedJobInputSchema,
  SettingsSchema,
  type CertificateInfo,
  type ConnectionTestResult,
  type Run,
  type SavedJob,
  type SecretStorageStatus,
  type ServerSummary,
  type Settings,
  type StartupNotice,
} from './model.ts';

const Id = z.string().min(1).max(100);
const ByIdSchema = z.object({ id: Id }).strict();
const NoInputSchema = z.object({}).strict();
/** URLs are checked for shape here; main explains precisely what is wrong with a bad one. */
const BaseUrlSchema = z.string().trim().min(1, 'Enter the server URL.').max(2048);
const ApiKeySchema = z.string().trim().min(1, 'Enter the API key.').max(4096);
const FingerprintSchema = z
  .string()
  .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'Not a SHA-256 fingerprint.');

/** Declares one request: `request<Output>()(inputSchema)`; `output` exists only at the type level. */
function request<Output>() {
  return <Input extends z.ZodType>(input: Input) => ({
    input,
    output: undefined as unknown as Output,
  });
}

const ServerAddSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the server a name.').max(200),
    baseUrl: BaseUrlSchema,
    apiKey: ApiKeySchema,
    /** The probed certificate the person confirmed; omitted only for a publicly trusted one. */
    confirmedFingerprint256: FingerprintSchema.optional(),
  })
  .strict();

const CopyAsCommandSchema = z
  .object({
    id: Id,
    values: ParamValuesSchema,
    format: z.enum(['curl', 'powershell', 'aft']),
    /** The key is a placeholder unless the person asks for it. */
    includeKey: z.boolean(),
  })
  .strict();

/** The flat `params` object AFT! takes, as a person typed it for an ad-hoc run. */
const AdHocParamsSchema = z
  .record(z.string().min(1, 'A parameter needs a name.').max(200), ParamValueSchema)
  .refine((params) => Object.keys(params).length <= 200, 'At most 200 parameters.');

const HistoryQuerySchema = z
  .object({
    savedJobId: Id.optional(),
    serverId: Id.optional(),
    state: z.enum(RUN_STATES).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const ipcRequests = {
  // Servers
  'servers.list': request<ServerSummary[]>()(NoInputSchema),
  /** Connects with TLS only (no key sent) and returns the certificate to confirm. */
  'servers.probe': request<CertificateInfo>()(z.object({ baseUrl: BaseUrlSchema }).strict()),
  'servers.add': request<ServerSummary>()(ServerAddSchema),
  'servers.rename': request<ServerSummary>()(
    z.object({ id: Id, name: z.string().trim().min(1).max(200) }).strict(),
  ),
  /** Replaces the pin with a newly probed certificate the person confirmed. */
  'servers.repin': request<ServerSummary>()(
    z.object({ id: Id, confirmedFingerprint256: FingerprintSchema }).strict(),
  ),
  /** Write-only: the key is never returned. */
  'servers.setKey': request<ServerSummary>()(z.object({ id: Id, apiKey: ApiKeySchema }).strict()),
  'servers.test': request<ConnectionTestResult>()(ByIdSchema),
  'servers.remove': request<null>()(ByIdSchema),
  /** Starts the built-in simulator on loopback, with a fresh key and its certificate pinned. */
  'servers.startDemo': request<ServerSummary>()(NoInputSchema),
  /** Opens the server's AFT! web UI in the browser (https only). */
  'servers.openWebUi': request<null>()(ByIdSchema),

  // Saved jobs
  'jobs.list': request<SavedJob[]>()(NoInputSchema),
  'jobs.get': request<SavedJob>()(ByIdSchema),
  /** Creates (no id) or updates a saved job. */
  'jobs.save': request<SavedJob>()(SavedJobInputSchema),
  'jobs.duplicate': request<SavedJob>()(ByIdSchema),
  'jobs.delete': request<null>()(ByIdSchema),
  'jobs.reorder': request<null>()(z.object({ ids: z.array(Id).max(100_000) }).strict()),
  'jobs.savePreset': request<SavedJob>()(z.object({ id: Id, preset: PresetSchema }).strict()),
  'jobs.deletePreset': request<SavedJob>()(
    z.object({ id: Id, name: z.string().min(1).max(200) }).strict(),
  ),
  /** Saved jobs and their servers as JSON, without keys or secret values. */
  'jobs.export': request<{ json: string; jobCount: number; serverCount: number }>()(
    z.object({ ids: z.array(Id).max(100_000).optional() }).strict(),
  ),
  'jobs.import': request<ImportReport>()(z.object({ json: z.string().max(20_000_000) }).strict()),
  /**
   * The command with placeholders for the key and secret values. With `includeKey`, main puts
   * the real command on the clipboard itself: the key never reaches the window.
   */
  'jobs.copyAsCommand': request<{ text: string; copiedWithKey: boolean }>()(CopyAsCommandSchema),

  // Runs
  /** Validates the values against the job's definitions, launches, and follows the job. */
  'runs.start': request<RunStartResult>()(
    z.object({ jobId: Id, values: ParamValuesSchema }).strict(),
  ),
  /** Runs a script that is not a saved job: the target and params are sent as given. */
  'runs.startAdHoc': request<RunStartResult>()(
    z.object({ serverId: Id, target: JobTargetSchema, params: AdHocParamsSchema }).strict(),
  ),
  /** Runs a past run's job (or ad-hoc target) again with the same values (secret values from the secret store). */
  'runs.rerun': request<RunStartResult>()(ByIdSchema),
  'runs.get': request<Run>()(ByIdSchema),
  'runs.history': request<{ runs: Run[]; total: number }>()(HistoryQuerySchema),
  'runs.clearHistory': request<null>()(NoInputSchema),

  // Settings and app
  'settings.get': request<Settings>()(NoInputSchema),
  'settings.update': request<Settings>()(SettingsSchema.partial().strict()),
  'app.status': request<AppStatus>()(NoInputSchema),
  /** The window's clipboard writes go through main, so the window needs no clipboard permission. */
  'app.copyText': request<null>()(z.object({ text: z.string().max(20_000_000) }).strict()),
} as const;

export interface ImportReport {
  importedJobs: number;
  importedServers: number;
  /** Jobs identical to one already here (same name, server and target), not imported again. */
  skippedJobs: number;
  /** One entry per rejected entry, which was not imported. */
  errors: { entry: string; message: string }[];
}

/** A run either starts, or the values are sent back with a message per field. */
export type RunStartResult =
  { ok: true; run: Run } | { ok: false; fieldErrors: Record<string, string>; message: string };

export interface AppStatus {
  version: string;
  platform: string;
  secretStorage: SecretStorageStatus;
  notices: StartupNotice[];
}

export type IpcRequestName = keyof typeof ipcRequests;
export type IpcInput<Name extends IpcRequestName> = z.input<(typeof ipcRequests)[Name]['input']>;
export type IpcParsedInput<Name extends IpcRequestName> = z.output<
  (typeof ipcRequests)[Name]['input']
>;
export type IpcOutput<Name extends IpcRequestName> = (typeof ipcRequests)[Name]['output'];

/** How every answer crosses the bridge: Electron would flatten a thrown error to a string. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export interface IpcError {
  /** `invalid-input`, `forbidden-sender`, `not-found`, or an AFT! client error code. */
  code: string;
  message: string;
  /** Per-field messages for invalid input, keyed by a dotted path. */
  fields?: Record<string, string>;
  details?: Record<string, string | number | boolean>;
}

/** Events from main to the window. */
export interface IpcEvents {
  /** A run was created or changed. */
  runUpdated: Run;
  jobsChanged: null;
  serversChanged: null;
  historyCleared: null;
  settingsChanged: Settings;
  /** Main asks the window to show something: a run (notification click), a job's run form (link). */
  navigate: NavigateTarget;
}
export const IPC_EVENT_NAMES = [
  'runUpdated',
  'jobsChanged',
  'serversChanged',
  'historyCleared',
  'settingsChanged',
  'navigate',
] as const satisfies readonly (keyof IpcEvents)[];
export type IpcEventName = (typeof IPC_EVENT_NAMES)[number];

export type NavigateTarget =
  | { screen: 'run'; runId: string }
  | { screen: 'run-form'; jobId: string; values: Record<string, string> }
  | { screen: 'jobs' }
  | { screen: 'quick-launch' };

/** The IPC channel for a request; one channel per request, never a generic one. */
export function requestChannel(name: IpcRequestName): string {
  return `aft:request:${name}`;
}
export function eventChannel(name: IpcEventName): string {
  return `aft:event:${name}`;
}

// `window.aft`: `aft.servers.list({})`, `aft.runs.start({...})`, `aft.events.runUpdated(cb)`.
type Namespace<Name> = Name extends `${infer NS}.${string}` ? NS : never;
type Method<Name, NS extends string> = Name extends `${NS}.${infer M}` ? M : never;

export type AftBridge = {
  [NS in Namespace<IpcRequestName>]: {
    [M in Method<IpcRequestName, NS>]: `${NS}.${M}` extends infer Name extends IpcRequestName
      ? (input: IpcInput<Name>) => Promise<IpcResult<IpcOutput<Name>>>
      : never;
  };
} & {
  events: {
    [E in IpcEventName]: (listener: (payload: IpcEvents[E]) => void) => () => void;
  };
};
