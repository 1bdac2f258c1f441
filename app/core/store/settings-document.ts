// The settings document: servers (API keys as ciphertext only), saved jobs (secret last-used
// values as ciphertext only) and preferences, with its schema version and the migrations from
// every older format.
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  ParamValuesSchema,
  SavedJobInputSchema,
  SettingsSchema,
  type ParamValues,
  type Settings,
} from '../../shared/model.ts';
import { parseServerUrl } from '../aft/server-url.ts';
import { describeCertificate } from '../aft/tls.ts';
import type { DocumentSpec, Migration } from './load-document.ts';

export const SETTINGS_DOCUMENT_VERSION = 2;

export const StoredPinSchema = z
  .object({
    pem: z.string().min(1),
    fingerprint256: z.string().min(1),
    subject: z.string(),
    issuer: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
  })
  .strict();
export type StoredPin = z.infer<typeof StoredPinSchema>;

export const StoredServerSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    baseUrl: z.string().min(1),
    pinnedCertificate: StoredPinSchema.optional(),
    /** The API key as the SecretCipher's ciphertext; never the key itself. */
    encryptedApiKey: z.string().optional(),
    isDemo: z.boolean(),
  })
  .strict();
export type StoredServer = z.infer<typeof StoredServerSchema>;

export const StoredJobSchema = SavedJobInputSchema.extend({
  id: z.string().min(1),
  /** Last-used values of non-secret parameters. */
  lastValues: ParamValuesSchema,
  /** Last-used values of secret parameters, as ciphertext, by parameter name. */
  encryptedSecretValues: z.record(z.string(), z.string()),
  order: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredJob = z.output<typeof StoredJobSchema>;

export const SettingsDocumentSchema = z
  .object({
    schemaVersion: z.literal(SETTINGS_DOCUMENT_VERSION),
    servers: z.array(StoredServerSchema),
    jobs: z.array(StoredJobSchema),
    settings: SettingsSchema,
  })
  .strict();
export type SettingsDocument = z.output<typeof SettingsDocumentSchema>;

export function emptySettingsDocument(): SettingsDocument {
  return {
    schemaVersion: SETTINGS_DOCUMENT_VERSION,
    servers: [],
    jobs: [],
    settings: { ...DEFAULT_SETTINGS },
  };
}

// ---- Format 1 (AFT! Launcher 0.x): servers had `url` and a bare hex `fingerprint` next to the
// PEM, jobs named their script with a `script` string, parameter types had other names, and the
// preferences lived under `preferences`.

const V1_PARAM_TYPES: Record<string, string> = {
  string: 'text',
  text: 'text',
  multiline: 'multiline',
  int: 'number',
  float: 'number',
  number: 'number',
  bool: 'boolean',
  boolean: 'boolean',
  list: 'choice',
  choice: 'choice',
  password: 'secret',
  secret: 'secret',
  path: 'path',
  date: 'date',
};

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function canonicalBaseUrl(url: string): string {
  try {
    return parseServerUrl(url).origin;
  } catch {
    // Kept as written: the person sees it in settings and can correct it.
    return url.trim();
  }
}

function migrateServerV1(server: Record<string, unknown>) {
  const migrated: Record<string, unknown> = {
    id: String(server.id),
    name: String(server.name ?? server.url),
    baseUrl: canonicalBaseUrl(String(server.url ?? '')),
    isDemo: false,
  };
  if (typeof server.certificate === 'string' && server.certificate.trim() !== '') {
    // The pin is the certificate itself; its fingerprint is derived from it, not copied.
    const described = describeCertificate(new X509Certificate(server.certificate).raw, false);
    migrated.pinnedCertificate = {
      pem: described.pem,
      fingerprint256: described.fingerprint256,
      subject: described.subject,
      issuer: described.issuer,
      validFrom: described.validFrom,
      validTo: described.validTo,
    };
  }
  if (typeof server.apiKeyCipher === 'string' && server.apiKeyCipher !== '') {
    migrated.encryptedApiKey = server.apiKeyCipher;
  }
  return migrated;
}

function migrateParamV1(param: Record<string, unknown>) {
  const { type, options, ...rest } = param;
  const migrated: Record<string, unknown> = {
    ...rest,
    type: V1_PARAM_TYPES[String(type)] ?? 'text',
  };
  if (Array.isArray(options)) migrated.allowedValues = options.map(String);
  return migrated;
}

function migrateJobV1(job: Record<string, unknown>, index: number, now: string) {
  const params = list(job.parameters).map(migrateParamV1);
  const secretNames = new Set(params.filter((p) => p.type === 'secret').map((p) => p.name));
  const lastValues: ParamValues = {};
  for (const [name, value] of Object.entries(record(job.lastParams))) {
    const isValue = ['string', 'number', 'boolean'].includes(typeof value);
    if (isValue && !secretNames.has(name)) lastValues[name] = value as string | number | boolean;
  }
  return {
    id: String(job.id),
    name: String(job.name),
    serverId: String(job.serverId),
    target: { kind: 'scriptName', value: String(job.script) },
    params,
    favourite: job.favorite === true,
    showInTray: job.favorite === true,
    notify: 'always',
    confirmBeforeRun: false,
    tags: [],
    presets: [],
    lastValues,
    encryptedSecretValues: record(job.secretParamsCipher),
    order: index,
    createdAt: now,
    updatedAt: now,
  };
}

function migrateSettingsV1(preferences: Record<string, unknown>): Settings {
  const theme = preferences.theme;
  const limit = Number(preferences.maxHistory);
  return {
    ...DEFAULT_SETTINGS,
    theme: theme === 'light' || theme === 'dark' ? theme : 'system',
    notificationsEnabled: preferences.notifications !== false,
    historyLimit: Number.isFinite(limit)
      ? Math.min(100_000, Math.max(100, Math.round(limit)))
      : DEFAULT_SETTINGS.historyLimit,
  };
}

export function settingsMigrations(now: Date): Record<number, Migration> {
  const stamp = now.toISOString();
  return {
    1: (document) => ({
      schemaVersion: 2,
      servers: list(document.servers).map(migrateServerV1),
      jobs: list(document.jobs).map((job, index) => migrateJobV1(job, index, stamp)),
      settings: migrateSettingsV1(record(document.preferences)),
    }),
  };
}

export function settingsDocumentSpec(now: Date): DocumentSpec<SettingsDocument> {
  return {
    title: 'settings',
    currentVersion: SETTINGS_DOCUMENT_VERSION,
    migrations: settingsMigrations(now),
    schema: SettingsDocumentSchema,
    empty: emptySettingsDocument,
  };
}
