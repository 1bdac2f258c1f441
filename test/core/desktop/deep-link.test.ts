import { describe, expect, it } from 'vitest';
import {
  parseCommandLine,
  parseDeepLink,
  resolveLaunchRequest,
} from '../../../app/core/desktop/deep-link.ts';
import { savedJob } from '../../main/fixtures.ts';

describe('parseDeepLink', () => {
  it('reads the job and its values from a link', () => {
    expect(
      parseDeepLink('aft-launcher://run/My%20Backup%20Job?target=%2Fsrv%2Fdata&dry=true'),
    ).toEqual({ jobRef: 'My Backup Job', values: { target: '/srv/data', dry: 'true' } });
  });

  it('accepts a job ID, a trailing fragment, a + for a space and an upper-case scheme', () => {
    expect(parseDeepLink('AFT-LAUNCHER://run/p3fEoexohdHj6SXrvuT8H8?note=a+b#x')).toEqual({
      jobRef: 'p3fEoexohdHj6SXrvuT8H8',
      values: { note: 'a b' },
    });
  });

  it('keeps a multi-line value but no other control characters', () => {
    expect(parseDeepLink('aft-launcher://run/J?lines=a%0Ab')?.values).toEqual({ lines: 'a\nb' });
    expect(parseDeepLink('aft-launcher://run/J?x=a%00b')).toBeUndefined();
    expect(parseDeepLink('aft-launcher://run/J?x=%1B%5B31m')).toBeUndefined();
    expect(parseDeepLink('aft-launcher://run/J%E2%80%AEgpj.exe')).toBeUndefined();
  });

  it.each([
    ['another scheme', 'javascript:alert(1)//aft-launcher://run/J'],
    ['javascript: in place of the job', 'aft-launcher://run/javascript:alert(1)/x'],
    ['an unknown host', 'aft-launcher://delete/J'],
    ['a lookalike host', 'aft-launcher://runner/J'],
    ['https', 'https://run/J'],
    ['no job', 'aft-launcher://run/'],
    ['a blank job', 'aft-launcher://run/%20%20'],
    ['path traversal', 'aft-launcher://run/../../etc/passwd'],
    ['encoded path traversal', 'aft-launcher://run/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['a dot-dot job', 'aft-launcher://run/%2E%2E'],
    ['two path segments', 'aft-launcher://run/a/b'],
    ['a backslash', 'aft-launcher://run/a%5Cb'],
    ['broken percent-encoding', 'aft-launcher://run/J?x=%E0%A4%A'],
    ['a huge link', `aft-launcher://run/J?x=${'a'.repeat(9000)}`],
    ['a huge value', `aft-launcher://run/J?x=${'a'.repeat(4097)}`],
    ['a huge job name', `aft-launcher://run/${'j'.repeat(201)}`],
    [
      'too many values',
      `aft-launcher://run/J?${Array.from({ length: 101 }, (_, i) => `p${i}=1`).join('&')}`,
    ],
    ['a repeated value', 'aft-launcher://run/J?x=1&x=2'],
    ['a name with a space', 'aft-launcher://run/J?a%20b=1'],
    ['__proto__', 'aft-launcher://run/J?__proto__=1'],
    ['constructor', 'aft-launcher://run/J?constructor=1'],
  ])('yields nothing for %s', (_case, link) => {
    expect(parseDeepLink(link)).toBeUndefined();
  });

  it('yields nothing for values that are not strings', () => {
    expect(parseDeepLink(42 as unknown as string)).toBeUndefined();
  });
});

describe('parseCommandLine', () => {
  it('finds --run with the job as the next argument or after =', () => {
    expect(parseCommandLine(['/opt/aft', '--run', 'My Backup Job'])).toEqual({
      jobRef: 'My Backup Job',
      values: {},
    });
    expect(parseCommandLine(['/opt/aft', '--run=Nightly'])).toEqual({
      jobRef: 'Nightly',
      values: {},
    });
  });

  it('finds a link that the OS passed as an argument (Windows, Linux)', () => {
    expect(parseCommandLine(['C:\\aft.exe', '--flag', 'aft-launcher://run/J?a=1'])).toEqual({
      jobRef: 'J',
      values: { a: '1' },
    });
  });

  it('yields nothing for a missing, empty or option-like job, or a hostile link', () => {
    expect(parseCommandLine(['/opt/aft', '--run'])).toBeUndefined();
    expect(parseCommandLine(['/opt/aft', '--run', ''])).toBeUndefined();
    expect(parseCommandLine(['/opt/aft', '--run', '--demo'])).toBeUndefined();
    expect(parseCommandLine(['/opt/aft', '--run', '../../x'])).toBeUndefined();
    expect(parseCommandLine(['/opt/aft', 'aft-launcher://run/../x'])).toBeUndefined();
    expect(parseCommandLine(['/opt/aft', '--demo'])).toBeUndefined();
  });
});

describe('resolveLaunchRequest', () => {
  const jobs = [
    savedJob({
      id: 'job-1',
      name: 'My Backup Job',
      params: [{ name: 'target', type: 'text', required: true }],
    }),
    savedJob({ id: 'job-2', name: 'job-1' }),
  ];

  it('opens the run form of the job named, ignoring case, with only the values it defines', () => {
    expect(
      resolveLaunchRequest({ jobRef: 'my backup JOB', values: { target: '/x', evil: '1' } }, jobs),
    ).toEqual({ screen: 'run-form', jobId: 'job-1', values: { target: '/x' } });
  });

  it('prefers an exact ID over a name', () => {
    expect(resolveLaunchRequest({ jobRef: 'job-1', values: {} }, jobs)).toMatchObject({
      jobId: 'job-1',
    });
  });

  it('yields nothing for an unknown job', () => {
    expect(resolveLaunchRequest({ jobRef: 'Nope', values: {} }, jobs)).toBeUndefined();
  });
});
