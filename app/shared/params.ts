// The one parameter validator: the window's run form checks values with it as the person types,
// and main checks them again with it before anything is sent. Entered values (strings from
// inputs, or typed values) become the flat `params` object, or a message per field.
import type { FlatParams } from './job.ts';
import type { ParamDefinition, ParamValue, ParamValues, Preset } from './model.ts';

export type ParamsValidation =
  { ok: true; params: FlatParams } | { ok: false; fieldErrors: Record<string, string> };

export interface ValidateParamsOptions {
  /** Secret parameters whose last-used value is stored (encrypted): left empty, they are satisfied. */
  savedSecretParams?: readonly string[];
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_LISTED_CHOICES = 10;

/** How the person knows the parameter: its label, or its name when it has none. */
export function paramLabel(definition: ParamDefinition): string {
  return definition.label?.trim() || definition.name;
}

/**
 * A definition's pattern as a regular expression matching the WHOLE value (as an HTML input's
 * `pattern` does), or the reason it is not a valid regular expression.
 */
export function compilePattern(pattern: string): RegExp | { invalid: string } {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    return { invalid: error instanceof Error ? error.message : String(error) };
  }
}

function isEmpty(value: ParamValue | undefined): value is undefined | '' {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

function formatNumber(value: number): string {
  return String(value);
}

function listChoices(allowed: readonly string[]): string {
  const shown = allowed.slice(0, MAX_LISTED_CHOICES).map((choice) => `"${choice}"`);
  const more = allowed.length > MAX_LISTED_CHOICES ? `, … (${allowed.length} in all)` : '';
  return `${shown.join(', ')}${more}`;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

type Checked = { value: string | number | boolean } | { error: string };

function checkNumber(definition: ParamDefinition, label: string, value: ParamValue): Checked {
  let parsed: number;
  if (typeof value === 'number') parsed = value;
  else if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) parsed = Number(value);
  else return { error: `${label} must be a number.` };
  if (!Number.isFinite(parsed)) return { error: `${label} must be a finite number.` };
  if (definition.min !== undefined && parsed < definition.min) {
    return { error: `${label} must be at least ${formatNumber(definition.min)}.` };
  }
  if (definition.max !== undefined && parsed > definition.max) {
    return { error: `${label} must be at most ${formatNumber(definition.max)}.` };
  }
  return { value: parsed };
}

function checkBoolean(label: string, value: ParamValue): Checked {
  if (typeof value === 'boolean') return { value };
  if (value === 'true') return { value: true };
  if (value === 'false') return { value: false };
  return { error: `${label} must be true or false.` };
}

function checkChoice(definition: ParamDefinition, label: string, value: ParamValue): Checked {
  const allowed = definition.allowedValues ?? [];
  if (allowed.length === 0) {
    return { error: `${label} has no allowed values to choose from: edit the job to add some.` };
  }
  const text = typeof value === 'string' ? value : String(value);
  if (!allowed.includes(text)) return { error: `${label} must be one of ${listChoices(allowed)}.` };
  return { value: text };
}

function checkDate(label: string, value: ParamValue): Checked {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = DATE_TEXT.exec(text);
  if (!match) return { error: `${label} must be a date written as YYYY-MM-DD.` };
  const [, year, month, day] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) {
    return { error: `${label}: ${text} is not a real date.` };
  }
  return { value: text };
}

function checkText(definition: ParamDefinition, label: string, value: ParamValue): Checked {
  if (typeof value === 'boolean') return { error: `${label} must be text.` };
  const text = typeof value === 'number' ? String(value) : value;
  if (definition.type !== 'multiline' && /[\r\n]/.test(text)) {
    return { error: `${label} must be a single line.` };
  }
  if (definition.pattern !== undefined && definition.pattern !== '') {
    const pattern = compilePattern(definition.pattern);
    if ('invalid' in pattern) {
      return {
        error: `${label} cannot be checked: its pattern is not a valid regular expression (${pattern.invalid}). Edit the job to fix the pattern.`,
      };
    }
    if (!pattern.test(text)) {
      const shown = definition.type === 'secret' ? '' : ` (${definition.pattern})`;
      return { error: `${label} does not have the required format${shown}.` };
    }
  }
  return { value: text };
}

function checkValue(definition: ParamDefinition, value: ParamValue): Checked {
  const label = paramLabel(definition);
  switch (definition.type) {
    case 'number':
      return checkNumber(definition, label, value);
    case 'boolean':
      return checkBoolean(label, value);
    case 'choice':
      return checkChoice(definition, label, value);
    case 'date':
      return checkDate(label, value);
    case 'text':
    case 'multiline':
    case 'path':
    case 'secret':
      return checkText(definition, label, value);
  }
}

/**
 * Turns entered values into the flat `params` object sent to AFT!, or into one message per
 * field (keyed by parameter name). Values for names that have no definition are not sent.
 * An empty optional value is left out of `params`; an empty required one is an error, except a
 * secret whose last-used value is stored (the caller fills it in before sending).
 */
export function validateParams(
  definitions: readonly ParamDefinition[],
  entered: ParamValues,
  options: ValidateParamsOptions = {},
): ParamsValidation {
  const params: FlatParams = {};
  const fieldErrors: Record<string, string> = {};
  const savedSecrets = new Set(options.savedSecretParams ?? []);
  for (const definition of definitions) {
    const value = Object.hasOwn(entered, definition.name) ? entered[definition.name] : undefined;
    if (isEmpty(value)) {
      const satisfiedBySavedSecret =
        definition.type === 'secret' && savedSecrets.has(definition.name);
      if (definition.required && !satisfiedBySavedSecret) {
        fieldErrors[definition.name] = `${paramLabel(definition)} is required.`;
      }
      continue;
    }
    const checked = checkValue(definition, value);
    if ('error' in checked) fieldErrors[definition.name] = checked.error;
    else params[definition.name] = checked.value;
  }
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, params };
}

/**
 * The values a run form starts with: a chosen preset's, else the last-used ones, else the
 * definition's default. Secret values are never prefilled (main keeps them encrypted).
 */
export function initialValues(
  definitions: readonly ParamDefinition[],
  lastValues: ParamValues,
  preset?: Preset,
): ParamValues {
  const values: ParamValues = {};
  for (const definition of definitions) {
    if (definition.type === 'secret') continue;
    const candidates = [preset?.values[definition.name], lastValues[definition.name]];
    const chosen = candidates.find((value) => value !== undefined) ?? definition.default;
    if (chosen !== undefined) values[definition.name] = chosen;
    else if (definition.type === 'boolean') values[definition.name] = false;
  }
  return values;
}

export type DefinitionsValidation =
  { ok: true } | { ok: false; fieldErrors: Record<string, string> };

/**
 * Checks a job's parameter definitions as a whole; messages are keyed `params.<index>.<field>`
 * as the job editor lays them out.
 */
export function validateDefinitions(
  definitions: readonly ParamDefinition[],
): DefinitionsValidation {
  const fieldErrors: Record<string, string> = {};
  const seen = new Set<string>();
  definitions.forEach((definition, index) => {
    const key = (field: string) => `params.${index}.${field}`;
    if (seen.has(definition.name)) {
      fieldErrors[key('name')] = `Another parameter is already named "${definition.name}".`;
    }
    seen.add(definition.name);
    if (
      definition.min !== undefined &&
      definition.max !== undefined &&
      definition.min > definition.max
    ) {
      fieldErrors[key('min')] =
        `The minimum (${formatNumber(definition.min)}) is greater than the maximum (${formatNumber(definition.max)}).`;
    }
    if (definition.pattern !== undefined && definition.pattern !== '') {
      const pattern = compilePattern(definition.pattern);
      if ('invalid' in pattern) {
        fieldErrors[key('pattern')] = `Not a valid regular expression: ${pattern.invalid}.`;
      }
    }
    if (definition.type === 'choice') {
      const allowed = definition.allowedValues ?? [];
      if (allowed.length === 0) {
        fieldErrors[key('allowedValues')] = 'A choice needs at least one allowed value.';
      } else if (new Set(allowed).size !== allowed.length) {
        fieldErrors[key('allowedValues')] = 'Each allowed value may appear only once.';
      }
    }
    if (definition.type === 'secret' && definition.default !== undefined) {
      fieldErrors[key('default')] =
        'A secret parameter cannot have a default: it would be stored unencrypted. Its value is entered at the first run and then kept encrypted.';
      return;
    }
    if (definition.default !== undefined && !fieldErrors[key('pattern')]) {
      const checked = validateParams([{ ...definition, required: false }], {
        [definition.name]: definition.default,
      });
      if (!checked.ok) {
        const message = checked.fieldErrors[definition.name] ?? 'The default is not allowed.';
        fieldErrors[key('default')] =
          `The default is not allowed by this parameter's own rules: ${message}`;
      }
    }
  });
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true };
}
