// Remembers every secret (API key, secret parameter value) that passes through main in this
// process, so that text about to be logged can have them blanked out whatever its origin.

/** Shorter values would blank out ordinary words and numbers; they are still never logged on purpose. */
const MIN_REDACTED_LENGTH = 4;
export const REDACTED_IN_LOGS = '[redacted]';

export interface Redactor {
  remember(secret: string): void;
  redact(text: string): string;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    remember(secret) {
      if (secret.length >= MIN_REDACTED_LENGTH) secrets.add(secret);
    },
    redact(text) {
      let redacted = text;
      // Longest first, so a secret containing another is blanked whole.
      for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        redacted = redacted.split(secret).join(REDACTED_IN_LOGS);
      }
      return redacted;
    },
  };
}
