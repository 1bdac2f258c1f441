// The domain model the window, the tray and the main-process services agree on.
// Schemas validate everything that crosses a trust boundary (IPC input, imports, the settings
// file); the TypeScript types are inferred from them so the two cannot drift apart.
import { z } from 'zod';
import { JOB_STATES, TARGET_KINDS } from './job.ts';

const id = z.string().min(1).max(100);
const shortText = z.string().max(200);

export const JobTargetSchema = z
  .object({
    kind: z.enum(TARGET_KINDS),
    value: z.string().trim().min(1, 'Enter the script name, ID or file path.').max(4096),
  })
  .strict();

export const PARAM_TYPES = [
  'text',
  'multiline',
  'number',
  'boolean',
  'choice',
  'secret',
  'path',
  'date',
] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export const ParamValueSchema = z.union([z.string().max(100_000), z.number(), z.boolean()]);
export type ParamValue = z.infer<typeof ParamValueSchema>;
/** Values as a person entered them, keyed by parameter name. */
export const ParamValuesSchema = z.record(z.string().max(200), ParamValueSchema);
export type ParamValues = z.infer<typeof ParamValuesSchema>;

export const ParamDefinitionSchema = z
  .object({
    /** The key sent in `params`. */
    name: z
      .string()
      .trim()
      .min(1, 'A parameter needs a name.')
      .max(200)
      .regex(/^[^\s]+$/, 'A parameter name cannot contain spaces.'),
    label: shortText.optional(),
    description: z.string().max(2000).optional(),
    type: z.enum(PARAM_TYPES),
    default: ParamValueSchema.optional(),
    required: z.boolean().default(false),
    allowedValues: z.array(z.string().max(1000)).max(500).optional(),
    pattern: z.string().max(1000).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();
export type ParamDefinition = z.infer<typeof ParamDefinitionSchema>;

export const NOTIFICATION_RULES = ['always', 'failures', 'never'] as const;
export type NotificationRule = (typeof NOTIFICATION_RULES)[number];

export const PresetSchema = z
  .object({ name: z.string().trim().min(1).max(200), values: ParamValuesSchema })
  .strict();
export type Preset = z.infer<typeof PresetSchema>;

/** What the window may send to create or update a saved job. */
export const SavedJobInputSchema = z
  .object({
    id: id.optional(),
    name: z.string().trim().min(1, 'Give the job a name.').max(200),
    serverId: id,
    target: JobTargetSchema,
    params: z.array(ParamDefinitionSchema).max(200).default([]),
    favourite: z.boolean().default(false),
    showInTray: z.boolean().default(false),
    notify: z.enum(NOTIFICATION_RULES).default('always'),
    confirmBeforeRun: z.boolean().default(false),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
    presets: z.array(PresetSchema).max(100).default([]),
  })
  .strict();
export type SavedJobInput = z.input<typeof SavedJobInputSchema>;

/** A saved job as the window sees it. Secret values never leave main: only their names do. */
export interface SavedJob extends z.output<typeof SavedJobInputSchema> {
  id: string;
  /** Last-used values, without secrets. */
  lastValues: ParamValues;
  /** Names of secret parameters that have a stored (encrypted) last-used value. */
  savedSecretParams: string[];
  order: number;
  createdAt: string;
  updatedAt: string;
}

export interface PinnedCertificateSummary {
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

/** A server as the window sees it: never its API key, only whether one is set. */
export interface ServerSummary {
  id: string;
  name: string;
  baseUrl: string;
  /** Absent when the server's certificate is publicly trusted and needs no pin. */
  pinnedCertificate?: PinnedCertificateSummary;
  hasApiKey: boolean;
  /** The built-in simulator the app started for a demo. */
  isDemo: boolean;
}

/** What a TLS probe saw, shown to the person before they pin it. */
export interface CertificateInfo extends PinnedCertificateSummary {
  subjectAltNames: string[];
  selfSigned: boolean;
  publiclyTrusted: boolean;
}

/**
 * The life of a run as the person sees it. The AFT! job states, plus what can happen before a
 * job exists or when its status cannot be read.
 */
export const RUN_STATES = [
  'launching',
  ...JOB_STATES,
  /** The server said no, or it was never reached: nothing started. */
  'not-started',
  /** The request may have reached the server but no answer came: it may be running. */
  'uncertain',
  /** Started (201), but this key cannot read its status. */
  'status-unavailable',
] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunError {
  code: string;
  message: string;
  status?: number;
  serverMessage?: string;
}

export interface Run {
  id: string;
  /** Absent for an ad-hoc run of a target that is not a saved job. */
  savedJobId?: string;
  jobName: string;
  serverId: string;
  serverName: string;
  target: z.infer<typeof JobTargetSchema>;
  /** The values sent, with secret values replaced by REDACTED. */
  values: ParamValues;
  /** The AFT! job ID from the 201 answer. */
  aftJobId?: string;
  state: RunState;
  /** The state name exactly as the server wrote it. */
  serverState?: string;
  requestedAt: string;
  updatedAt: string;
  endedAt?: string;
  exitCode?: number;
  /** The last job info object the server returned, for display. */
  lastJobInfo?: unknown;
  error?: RunError;
  timeline: { state: RunState; at: string }[];
}

export const REDACTED = '••••••';

export const THEMES = ['system', 'light', 'dark'] as const;

export const SettingsSchema = z
  .object({
    theme: z.enum(THEMES),
    notificationsEnabled: z.boolean(),
    startAtLogin: z.boolean(),
    /** An Electron accelerator, e.g. CommandOrControl+Shift+Space; empty for none. */
    quickLaunchShortcut: z.string().max(100),
    historyLimit: z.number().int().min(100).max(100_000),
  })
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  notificationsEnabled: true,
  startAtLogin: false,
  quickLaunchShortcut: 'CommandOrControl+Shift+Space',
  historyLimit: 5000,
};

export interface SecretStorageStatus {
  available: boolean;
  /** Linux: the safeStorage backend, e.g. gnome_libsecret, kwallet5 or basic_text. */
  backend?: string;
  /** Set when secrets are stored with weak or no protection (basic_text). */
  warning?: string;
}

export interface ConnectionTestResult {
  reachable: boolean;
  tlsOk: boolean;
  /** true: the key was accepted; false: refused; null: the server's answer cannot tell. */
  keyAccepted: boolean | null;
  message: string;
}

/** Something main found wrong at start-up that the person must be told about. */
export interface StartupNotice {
  kind: 'settings-recovered' | 'settings-migrated' | 'secrets-unavailable';
  message: string;
  backupPath?: string;
}
