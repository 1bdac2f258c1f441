import { describe, expect, it } from 'vitest';
import {
  extractServerMessage,
  httpStatusError,
  redactSecret,
} from '../../../app/core/aft/errors.ts';
import { DEFAULT_AFT_PORT, parseServerUrl } from '../../../app/core/aft/server-url.ts';

const KEY = 'k3y-SECRET-123';
const origin = 'https://127.0.0.1:44399';

describe('extractServerMessage', () => {
  it.each([
    ['{"message":"scriptName is required"}', 'scriptName is required'],
    ['{"error":"bad params"}', 'bad params'],
    ['{"detail":"too big","title":"Payload Too Large"}', 'too big'],
    ['{"title":"Bad Request"}', 'Bad Request'],
    ['{"error":{"code":400,"message":"nested reason"}}', 'nested reason'],
    ['{"errors":[{"msg":"first"},{"msg":"second"}]}', 'first; second'],
    ['{"Message":"case does not matter"}', 'case does not matter'],
    ['  plain text reason \n', 'plain text reason'],
    ['<html><body><h1>502 Bad Gateway</h1></body></html>', '502 Bad Gateway'],
  ])('%s', (body, expected) => {
    expect(extractServerMessage(body, undefined, KEY)).toBe(expected);
  });

  it('shows JSON without a message field as it is', () => {
    expect(extractServerMessage('{"code":17}', 'application/json', KEY)).toBe('{"code":17}');
  });

  it('is undefined for an empty body', () => {
    expect(extractServerMessage('  ', undefined, KEY)).toBeUndefined();
  });

  it('truncates a long body', () => {
    const text = extractServerMessage('x'.repeat(5000), 'text/plain', KEY)!;
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text.endsWith('…')).toBe(true);
  });

  it('redacts the API key when the server echoes it', () => {
    const text = extractServerMessage(`{"message":"key ${KEY} is unknown"}`, undefined, KEY);
    expect(text).toBe('key [redacted] is unknown');
    expect(redactSecret(`${KEY}${KEY}`, KEY)).not.toContain(KEY);
  });
});

describe('httpStatusError', () => {
  const launch = {
    operation: 'launch' as const,
    origin,
    apiKey: KEY,
    contentType: 'application/json',
  };

  it('401 and 403 name both causes: refused key and IP allow-list', () => {
    for (const status of [401, 403]) {
      const error = httpStatusError({ ...launch, status, body: `{"error":"key ${KEY} refused"}` });
      expect(error.code).toBe('auth');
      expect(error.status).toBe(status);
      expect(error.message).toContain('API key was refused');
      expect(error.message).toContain("IP address is not on the key's allow-list");
      expect(error.message).not.toContain(KEY);
      expect(error.serverMessage).toBe('key [redacted] refused');
      expect(error.requestMayHaveReachedServer).toBe(false);
    }
  });

  it('404 on launch names the script', () => {
    const error = httpStatusError({
      ...launch,
      status: 404,
      body: '{"message":"no such script"}',
      targetDescription: 'script named "Nightly"',
    });
    expect(error.code).toBe('script-not-found');
    expect(error.message).toContain('script named "Nightly"');
    expect(error.message).toContain('no such script');
  });

  it('400/413/415 are rejected requests with the server message and status', () => {
    for (const status of [400, 413, 415, 422]) {
      const error = httpStatusError({ ...launch, status, body: '{"message":"why"}' });
      expect(error.code).toBe('rejected');
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain('"why"');
    }
  });

  it('5xx on launch says the job may have started', () => {
    const error = httpStatusError({ ...launch, status: 503, body: 'down for maintenance' });
    expect(error.code).toBe('server-error');
    expect(error.requestMayHaveReachedServer).toBe(true);
    expect(error.message).toContain('check the AFT! web UI before running it again');
    expect(error.message).toContain('down for maintenance');
  });

  it('401/403/404 on the status call means started, status unreadable', () => {
    for (const status of [401, 403, 404]) {
      const error = httpStatusError({
        operation: 'status',
        origin,
        apiKey: KEY,
        status,
        body: '',
        jobId: 'J7',
      });
      expect(error.code).toBe('status-unavailable');
      expect(error.message).toContain(
        'The job was started, but its status cannot be read with this key',
      );
    }
  });
});

describe('parseServerUrl', () => {
  it.each([
    ['https://127.0.0.1:44399', 'https://127.0.0.1:44399', '127.0.0.1', 44399],
    ['https://127.0.0.1:44399/', 'https://127.0.0.1:44399', '127.0.0.1', 44399],
    [
      '  https://AFT.example.com  ',
      'https://aft.example.com:44399',
      'aft.example.com',
      DEFAULT_AFT_PORT,
    ],
    ['https://aft.example.com:443', 'https://aft.example.com:443', 'aft.example.com', 443],
    ['aft.example.com:8443', 'https://aft.example.com:8443', 'aft.example.com', 8443],
    ['HTTPS://[::1]:44399', 'https://[::1]:44399', '::1', 44399],
  ])('%s', (input, origin, host, port) => {
    expect(parseServerUrl(input)).toEqual({ origin, host, port });
  });

  it.each([
    ['', 'empty'],
    ['http://127.0.0.1:44399', 'HTTPS only'],
    ['ftp://host', 'not https'],
    ['https://host/v1/jobs', 'path'],
    ['https://host:44399?x=1', 'query'],
    ['https://host#frag', 'query'],
    ['https://user:pw@host', 'user name'],
    ['https://host:99999', 'not a valid address'],
    ['https://', 'not a valid address'],
  ])('rejects %s', (input, reason) => {
    expect(() => parseServerUrl(input)).toThrowError(
      expect.objectContaining({ code: 'invalid-url' }),
    );
    expect(() => parseServerUrl(input)).toThrow(reason);
  });

  it('does not repeat a password typed into the address', () => {
    for (const input of [
      'https://admin:s3cret-pw@aft.example.com',
      'admin:s3cret-pw@aft.example.com:44399',
    ]) {
      const message = (() => {
        try {
          parseServerUrl(input);
        } catch (error) {
          return (error as Error).message;
        }
        throw new Error(`${input} was accepted`);
      })();
      expect(message).toContain('…@aft.example.com');
      expect(message).not.toContain('s3cret-pw');
    }
  });
});
