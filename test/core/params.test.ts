import { describe, expect, it } from 'vitest';
import type { ParamDefinition } from '../../app/shared/model.ts';
import { initialValues, validateDefinitions, validateParams } from '../../app/shared/params.ts';

function def(partial: Partial<ParamDefinition> & Pick<ParamDefinition, 'name' | 'type'>) {
  return { required: false, ...partial } as ParamDefinition;
}

function errorsOf(definition: ParamDefinition, value: unknown) {
  const result = validateParams([definition], { [definition.name]: value as string });
  return result.ok ? undefined : result.fieldErrors[definition.name];
}

function paramsOf(
  definitions: ParamDefinition[],
  values: Record<string, string | number | boolean>,
) {
  const result = validateParams(definitions, values);
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.params;
}

describe('validateParams: numbers', () => {
  const port = def({ name: 'port', label: 'Port', type: 'number', min: 1, max: 65535 });

  it('turns typed text into a number and sends it as one', () => {
    expect(paramsOf([port], { port: '8080' })).toEqual({ port: 8080 });
    expect(paramsOf([port], { port: 22 })).toEqual({ port: 22 });
    expect(paramsOf([def({ name: 'ratio', type: 'number' })], { ratio: '-1.5e2' })).toEqual({
      ratio: -150,
    });
  });

  it('says which bound a number breaks', () => {
    expect(errorsOf(port, '70000')).toBe('Port must be at most 65535.');
    expect(errorsOf(port, 0)).toBe('Port must be at least 1.');
  });

  it('refuses text, booleans and non-finite numbers', () => {
    expect(errorsOf(port, '80a')).toBe('Port must be a number.');
    expect(errorsOf(port, true)).toBe('Port must be a number.');
    expect(errorsOf(port, Infinity)).toBe('Port must be a finite number.');
    expect(errorsOf(port, '1e999')).toBe('Port must be a finite number.');
  });
});

describe('validateParams: booleans, choices, dates', () => {
  it('accepts booleans and their text forms only', () => {
    const verbose = def({ name: 'verbose', label: 'Verbose', type: 'boolean' });
    expect(paramsOf([verbose], { verbose: 'true' })).toEqual({ verbose: true });
    expect(paramsOf([verbose], { verbose: false })).toEqual({ verbose: false });
    expect(errorsOf(verbose, 'yes')).toBe('Verbose must be true or false.');
  });

  it('accepts only an allowed value for a choice', () => {
    const character = def({
      name: 'character',
      type: 'choice',
      allowedValues: ['goofy', 'mickey'],
    });
    expect(paramsOf([character], { character: 'goofy' })).toEqual({ character: 'goofy' });
    expect(errorsOf(character, 'donald')).toBe('character must be one of "goofy", "mickey".');
    expect(errorsOf(def({ name: 'c', type: 'choice' }), 'x')).toMatch(/no allowed values/);
  });

  it('accepts real calendar dates written as YYYY-MM-DD', () => {
    const day = def({ name: 'day', label: 'Day', type: 'date' });
    expect(paramsOf([day], { day: '2024-02-29' })).toEqual({ day: '2024-02-29' });
    expect(errorsOf(day, '2023-02-29')).toBe('Day: 2023-02-29 is not a real date.');
    expect(errorsOf(day, '2026-13-01')).toBe('Day: 2026-13-01 is not a real date.');
    expect(errorsOf(day, '03/12/2026')).toBe('Day must be a date written as YYYY-MM-DD.');
    expect(errorsOf(day, 20260312)).toBe('Day must be a date written as YYYY-MM-DD.');
  });
});

describe('validateParams: text, multi-line, path, secret', () => {
  it('matches a pattern against the whole value', () => {
    const code = def({ name: 'code', label: 'Code', type: 'text', pattern: '[A-Z]{3}' });
    expect(paramsOf([code], { code: 'ABC' })).toEqual({ code: 'ABC' });
    expect(errorsOf(code, 'ABCD')).toBe('Code does not have the required format ([A-Z]{3}).');
    expect(errorsOf(code, 'xABC')).toBe('Code does not have the required format ([A-Z]{3}).');
  });

  it('reports a definition whose pattern is not a regular expression', () => {
    const broken = def({ name: 'x', label: 'X', type: 'path', pattern: '([a-z' });
    expect(errorsOf(broken, 'abc')).toMatch(/^X cannot be checked: its pattern is not a valid/);
  });

  it('keeps text on one line, except multi-line text', () => {
    expect(errorsOf(def({ name: 't', label: 'Title', type: 'text' }), 'a\nb')).toBe(
      'Title must be a single line.',
    );
    expect(errorsOf(def({ name: 'p', label: 'Folder', type: 'path' }), 'a\rb')).toBe(
      'Folder must be a single line.',
    );
    expect(paramsOf([def({ name: 'notes', type: 'multiline' })], { notes: 'a\nb' })).toEqual({
      notes: 'a\nb',
    });
  });

  it('never quotes a secret value or its pattern in a message', () => {
    const pin = def({ name: 'pin', label: 'PIN', type: 'secret', pattern: '\\d{4}' });
    expect(errorsOf(pin, 'hunter2')).toBe('PIN does not have the required format.');
    expect(paramsOf([pin], { pin: '1234' })).toEqual({ pin: '1234' });
  });

  it('refuses a boolean where text is expected', () => {
    expect(errorsOf(def({ name: 't', label: 'T', type: 'text' }), true)).toBe('T must be text.');
  });
});

describe('validateParams: required and optional', () => {
  const required = def({ name: 'dest', label: 'Destination', type: 'text', required: true });

  it('requires a non-blank value', () => {
    expect(errorsOf(required, '')).toBe('Destination is required.');
    expect(errorsOf(required, '   ')).toBe('Destination is required.');
    expect(validateParams([required], {})).toEqual({
      ok: false,
      fieldErrors: { dest: 'Destination is required.' },
    });
  });

  it('leaves an empty optional value out of params, and ignores undefined names', () => {
    const optional = def({ name: 'note', type: 'text' });
    expect(paramsOf([optional], { note: '', stray: 'x' })).toEqual({});
  });

  it('accepts a required secret left empty when its value is stored', () => {
    const secret = def({ name: 'pw', label: 'Password', type: 'secret', required: true });
    expect(validateParams([secret], {}, { savedSecretParams: ['pw'] })).toEqual({
      ok: true,
      params: {},
    });
    expect(validateParams([secret], {}).ok).toBe(false);
  });

  it('reports every bad field at once', () => {
    const result = validateParams(
      [required, def({ name: 'n', label: 'N', type: 'number', max: 3 })],
      { n: 4 },
    );
    expect(result).toEqual({
      ok: false,
      fieldErrors: { dest: 'Destination is required.', n: 'N must be at most 3.' },
    });
  });
});

describe('initialValues', () => {
  const definitions = [
    def({ name: 'a', type: 'text', default: 'default-a' }),
    def({ name: 'b', type: 'number', default: 1 }),
    def({ name: 'c', type: 'choice', allowedValues: ['x', 'y'], default: 'x' }),
    def({ name: 'flag', type: 'boolean' }),
    def({ name: 'pw', type: 'secret' }),
  ];

  it('prefers a preset, then the last-used value, then the default', () => {
    expect(
      initialValues(
        definitions,
        { a: 'last-a', b: 2, pw: 'never' },
        { name: 'p', values: { a: 'preset-a' } },
      ),
    ).toEqual({ a: 'preset-a', b: 2, c: 'x', flag: false });
  });

  it('never prefills a secret', () => {
    expect(initialValues(definitions, { pw: 'leaked' })).not.toHaveProperty('pw');
  });
});

describe('validateDefinitions', () => {
  it('accepts a sound list', () => {
    expect(
      validateDefinitions([
        def({ name: 'port', type: 'number', min: 1, max: 10, default: 5 }),
        def({ name: 'c', type: 'choice', allowedValues: ['a'], default: 'a' }),
      ]),
    ).toEqual({ ok: true });
  });

  it('finds duplicate names, min above max, broken patterns and choices without values', () => {
    const result = validateDefinitions([
      def({ name: 'x', type: 'text' }),
      def({ name: 'x', type: 'number', min: 5, max: 1 }),
      def({ name: 'y', type: 'text', pattern: '(' }),
      def({ name: 'z', type: 'choice' }),
      def({ name: 'w', type: 'choice', allowedValues: ['a', 'a'] }),
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors['params.1.name']).toBe('Another parameter is already named "x".');
    expect(result.fieldErrors['params.1.min']).toBe(
      'The minimum (5) is greater than the maximum (1).',
    );
    expect(result.fieldErrors['params.2.pattern']).toMatch(/^Not a valid regular expression/);
    expect(result.fieldErrors['params.3.allowedValues']).toBe(
      'A choice needs at least one allowed value.',
    );
    expect(result.fieldErrors['params.4.allowedValues']).toBe(
      'Each allowed value may appear only once.',
    );
  });

  it('refuses a default its own rules do not allow, and any default for a secret', () => {
    const result = validateDefinitions([
      def({ name: 'port', label: 'Port', type: 'number', max: 65535, default: 70000 }),
      def({ name: 'c', type: 'choice', allowedValues: ['a'], default: 'b' }),
      def({ name: 'pw', type: 'secret', default: 'hunter2' }),
    ]);
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        'params.0.default':
          "The default is not allowed by this parameter's own rules: Port must be at most 65535.",
        'params.1.default':
          'The default is not allowed by this parameter\'s own rules: c must be one of "a".',
        'params.2.default': expect.stringMatching(/^A secret parameter cannot have a default/),
      },
    });
  });
});
