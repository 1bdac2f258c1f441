// The AFT! REST client: starts jobs (POST /v1/jobs) and reads their status
// (GET /v1/adm/jobs/{id}) over pinned or CA-verified HTTPS, with keep-alive connections per
// server, connect and response timeouts, and at-most-once launches.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import type { FlatParams, JobInfo, JobTarget } from '../../shared/job.ts';
import { TARGET_KINDS } from '../../shared/job.ts';
import type { AftOperation, HttpErrorContext } from './errors.ts';
import {
  AftError,
  connectionLostAfterSendError,
  httpStatusError,
  malformedAnswerError,
  timeoutError,
} from './errors.ts';
import { parseJobInfo } from './job-info.ts';
import type { ServerAddress } from './server-url.ts';
import { parseServerUrl } from './server-url.ts';
import type { PinnedCertificate, ProbedCertificate } from './tls.ts';
import {
  certificateFailureError,
  isSha256Fingerprint,
  isCertificateFailure,
  networkFailureError,
  pinnedTlsOptions,
  probeAddress,
} from './tls.ts';

export interface ServerEndpoint {
  baseUrl: string;
  apiKey: string;
  /** Set once the person confirmed the certificate (trust on first use). */
  pinnedCertificate?: PinnedCertificate;
}

export interface AftClientOptions {
  /** DNS + TCP + TLS handshake. */
  connectTimeoutMs?: number;
  /** From the connection being ready to the whole answer having arrived. */
  responseTimeoutMs?: number;
  maxSocketsPerServer?: number;
  lookup?: LookupFunction;
  /** CAs trusted for servers without a pin; default: Node's bundled public CAs. */
  trustedCAs?: string[];
  /** Waits before the automatic re-tries of a launch that provably never reached the server. */
  launchRetryDelaysMs?: number[];
}

export interface ConnectionCheck {
  origin: string;
  tls: 'pinned' | 'trusted-ca';
  /**
   * 'accepted': the status endpoint took the key. 'not-verified': the server is reachable and
   * its certificate is trusted, but the status endpoint refused the key, which is ambiguous
   * (see testConnection); only starting a job proves the key.
   */
  key: 'accepted' | 'not-verified';
  /** One sentence for the person. */
  summary: string;
}

export interface AftClient {
  /** A bare TLS handshake: no HTTP request, no API key. For trust on first use. */
  probeCertificate(baseUrl: string): Promise<ProbedCertificate>;
  launch(endpoint: ServerEndpoint, target: JobTarget, params: FlatParams): Promise<JobInfo>;
  getJob(endpoint: ServerEndpoint, jobId: string): Promise<JobInfo>;
  testConnection(endpoint: ServerEndpoint): Promise<ConnectionCheck>;
  /** Closes every kept-alive connection. */
  close(): void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_SOCKETS_PER_SERVER = 6;
const DEFAULT_LAUNCH_RETRY_DELAYS_MS = [200, 800];
/** Larger answers are not job info; refusing them bounds memory. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

interface RawResponse {
  status: number;
  contentType?: string;
  body: string;
}

/** Why one HTTP exchange failed, and whether the request can have reached the server. */
class ExchangeFailure extends Error {
  constructor(
    readonly reason: unknown,
    /** False only when it is certain no complete request was written. */
    readonly mayHaveBeenSent: boolean,
    readonly timedOut?: 'connect' | 'response',
  ) {
    super('exchange failed');
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Network failures where nothing was sent and trying again may help. */
const RETRYABLE_BEFORE_SEND = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_SOCKET_CLOSED',
]);

function describeTarget(target: JobTarget): string {
  switch (target.kind) {
    case 'scriptName':
      return `script named "${target.value}"`;
    case 'scriptId':
      return `script with ID "${target.value}"`;
    case 'filePath':
      return `script file "${target.value}"`;
  }
}

function localError(message: string): AftError {
  return new AftError({ code: 'rejected', message: `${message} Nothing was sent.` });
}

/** The launch body exactly as documented: one target key, plus `params` when there are any. */
export function launchBody(target: JobTarget, params: FlatParams): string {
  const body: Record<string, unknown> = { [target.kind]: target.value };
  if (Object.keys(params).length > 0) body.params = params;
  return JSON.stringify(body);
}

export function createAftClient(options: AftClientOptions = {}): AftClient {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
  const retryDelays = options.launchRetryDelaysMs ?? DEFAULT_LAUNCH_RETRY_DELAYS_MS;
  const agents = new Map<string, https.Agent>();

  function agentFor(address: ServerAddress, pin: PinnedCertificate | undefined): https.Agent {
    const key = `${address.origin}|${pin ? pin.fingerprint256.toUpperCase() : 'ca'}`;
    let agent = agents.get(key);
    if (!agent) {
      agent = new https.Agent({
        keepAlive: true,
        maxSockets: options.maxSocketsPerServer ?? DEFAULT_MAX_SOCKETS_PER_SERVER,
        ...(pin ? pinnedTlsOptions(pin) : { ca: options.trustedCAs }),
      });
      agents.set(key, agent);
    }
    return agent;
  }

  function probe(address: ServerAddress): Promise<ProbedCertificate> {
    return probeAddress(address, {
      timeoutMs: connectTimeoutMs,
      trustedCAs: options.trustedCAs,
      lookup: options.lookup,
    });
  }

  function checkEndpoint(endpoint: ServerEndpoint): ServerAddress {
    const address = parseServerUrl(endpoint.baseUrl);
    const pin = endpoint.pinnedCertificate;
    if (pin && !isSha256Fingerprint(pin.fingerprint256)) {
      throw localError('The pinned certificate fingerprint is not a SHA-256 fingerprint.');
    }
    if (!endpoint.apiKey) {
      throw new AftError({
        code: 'auth',
        message:
          'No API key is set for this server. Create one in the AFT! web UI (Settings > API Keys) and enter it here.',
      });
    }
    if (!/^[\x21-\x7e]+$/.test(endpoint.apiKey)) {
      throw new AftError({
        code: 'auth',
        message:
          'The API key contains spaces or characters that cannot be sent in a header. Copy it again from the AFT! web UI.',
      });
    }
    return address;
  }

  /** One HTTP exchange; rejects with ExchangeFailure. */
  function exchange(
    endpoint: ServerEndpoint,
    address: ServerAddress,
    method: 'GET' | 'POST',
    path: string,
    body?: string,
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        'X-API-Key': endpoint.apiKey,
        Accept: 'application/json',
        'User-Agent': 'aft-launcher',
      };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const request = https.request({
        host: address.host,
        port: address.port,
        method,
        path,
        headers,
        agent: agentFor(address, endpoint.pinnedCertificate),
        lookup: options.lookup,
      });

      let connected = false;
      // 'finish' = the whole request was handed to the OS. Requests are written in one piece
      // (headers and body together), so before 'finish' no complete request has left.
      let flushed = false;
      let timedOut: 'connect' | 'response' | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;

      const arm = (phase: 'connect' | 'response', ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = phase;
          request.destroy(Object.assign(new Error(`${phase} timeout`), { code: 'ETIMEDOUT' }));
        }, ms);
      };
      const fail = (cause: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const mayHaveBeenSent = timedOut === 'connect' ? false : connected && flushed;
        reject(new ExchangeFailure(cause, timedOut === 'response' || mayHaveBeenSent, timedOut));
      };
      const onConnected = () => {
        connected = true;
        arm('response', responseTimeoutMs);
      };

      request.on('socket', (socket) => {
        const tlsSocket = socket as TLSSocket;
        // A socket that is already past its handshake is connected now. `reusedSocket` alone
        // misses one such case: a request queued behind others (all sockets busy) gets a socket
        // whose handshake finished for an earlier request, with `reusedSocket` unset and no
        // further 'secureConnect'. Verification is never off, so `authorized` means "handshake
        // done"; missing it would let a reset after the write look retryable (a double launch).
        if (request.reusedSocket || tlsSocket.authorized) {
          onConnected();
          return;
        }
        arm('connect', connectTimeoutMs);
        tlsSocket.once('secureConnect', onConnected);
      });
      request.on('finish', () => {
        flushed = true;
      });
      request.on('error', fail);
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            request.destroy(new Error('The answer is too large.'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('aborted', () => fail(new Error('The answer was cut short.')));
        response.on('end', () => {
          if (settled || !response.complete) return;
          settled = true;
          clearTimeout(timer);
          const contentType = response.headers['content-type'];
          resolve({
            status: response.statusCode ?? 0,
            contentType,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      request.end(body);
    });
  }

  async function failureToError(
    failure: ExchangeFailure,
    endpoint: ServerEndpoint,
    address: ServerAddress,
    operation: AftOperation,
  ): Promise<AftError> {
    if (failure.timedOut) {
      return timeoutError({
        operation,
        origin: address.origin,
        phase: failure.timedOut,
        timeoutMs: failure.timedOut === 'connect' ? connectTimeoutMs : responseTimeoutMs,
      });
    }
    if (isCertificateFailure(failure.reason)) {
      return certificateFailureError(failure.reason, address, endpoint.pinnedCertificate, () =>
        probe(address),
      );
    }
    if (failure.mayHaveBeenSent) {
      return connectionLostAfterSendError({
        operation,
        origin: address.origin,
        systemCode: errorCode(failure.reason),
        cause: failure.reason,
      });
    }
    return networkFailureError(failure.reason, address, operation);
  }

  /** Sends, retrying only failures where the request provably never left (see launch). */
  async function send(
    endpoint: ServerEndpoint,
    address: ServerAddress,
    operation: AftOperation,
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    retryDelaysMs: readonly number[],
  ): Promise<RawResponse> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await exchange(endpoint, address, method, path, body);
      } catch (caught) {
        if (!(caught instanceof ExchangeFailure)) throw caught;
        const retryable =
          !caught.mayHaveBeenSent &&
          !caught.timedOut &&
          RETRYABLE_BEFORE_SEND.has(errorCode(caught.reason) ?? '') &&
          attempt < retryDelaysMs.length;
        if (!retryable) throw await failureToError(caught, endpoint, address, operation);
        await sleep(retryDelaysMs[attempt]);
      }
    }
  }

  function readJson(
    response: RawResponse,
    operation: AftOperation,
    address: ServerAddress,
  ): unknown {
    try {
      return JSON.parse(response.body);
    } catch {
      throw malformedError(response, operation, address, 'not-json');
    }
  }

  /** A non-success answer; the key is passed so that it is cut from anything the server echoed. */
  function statusError(
    response: RawResponse,
    operation: AftOperation,
    address: ServerAddress,
    endpoint: ServerEndpoint,
    about: Pick<HttpErrorContext, 'targetDescription' | 'jobId'> = {},
  ): AftError {
    return httpStatusError({
      operation,
      origin: address.origin,
      status: response.status,
      body: response.body,
      contentType: response.contentType,
      apiKey: endpoint.apiKey,
      ...about,
    });
  }

  /** A success answer this app cannot read (not JSON, or not a job it can follow). */
  function malformedError(
    response: RawResponse,
    operation: AftOperation,
    address: ServerAddress,
    problem: Parameters<typeof malformedAnswerError>[0]['problem'],
  ): AftError {
    return malformedAnswerError({
      operation,
      origin: address.origin,
      status: response.status,
      problem,
    });
  }

  function isSuccess(status: number): boolean {
    return status >= 200 && status < 300;
  }

  return {
    probeCertificate(baseUrl) {
      return probe(parseServerUrl(baseUrl));
    },

    /**
     * At most once: the POST is sent again automatically only when the connection failed
     * before any request was written (refused, DNS, reset during the TLS handshake, or a
     * kept-alive socket found closed before the request was handed to it). After the request
     * may have been written, the error says the job may have started and the person decides.
     */
    async launch(endpoint, target, params) {
      const address = checkEndpoint(endpoint);
      if (!TARGET_KINDS.includes(target.kind)) {
        throw localError(`"${String(target.kind)}" is not a way to name a script.`);
      }
      if (!target.value.trim()) throw localError('The script name, ID or file path is empty.');
      const body = launchBody(target, params);
      const response = await send(
        endpoint,
        address,
        'launch',
        'POST',
        '/v1/jobs',
        body,
        retryDelays,
      );
      if (!isSuccess(response.status)) {
        throw statusError(response, 'launch', address, endpoint, {
          targetDescription: describeTarget(target),
        });
      }
      const job = parseJobInfo(readJson(response, 'launch', address));
      if (!job) throw malformedError(response, 'launch', address, 'no-job-id');
      return job;
    },

    async getJob(endpoint, jobId) {
      const address = checkEndpoint(endpoint);
      const path = `/v1/adm/jobs/${encodeURIComponent(jobId)}`;
      const response = await send(endpoint, address, 'status', 'GET', path, undefined, []);
      if (!isSuccess(response.status)) {
        throw statusError(response, 'status', address, endpoint, { jobId });
      }
      const job = parseJobInfo(readJson(response, 'status', address), jobId);
      if (!job) throw malformedError(response, 'status', address, 'unreadable-job');
      return { ...job, id: jobId };
    },

    /**
     * Checks address, certificate and key without starting a job. Only two calls are
     * documented and POST /v1/jobs would start one, so this reads the status of a job ID that
     * cannot exist: 404 means the server checked the key, accepted it, and found no such job.
     * A 401/403 is ambiguous here: it may be a wrong key or an IP outside the allow-list, or
     * only that /v1/adm/ wants an administrator session instead of an API key (undocumented).
     * So it is reported as "reachable, certificate trusted, key not verified", not as an error.
     */
    async testConnection(endpoint) {
      const address = checkEndpoint(endpoint);
      const tlsKind = endpoint.pinnedCertificate ? 'pinned' : 'trusted-ca';
      const impossibleId = `aft-launcher-connection-test-${randomBytes(12).toString('hex')}`;
      const path = `/v1/adm/jobs/${impossibleId}`;
      const response = await send(endpoint, address, 'test', 'GET', path, undefined, []);
      const base = { origin: address.origin, tls: tlsKind } as const;
      if (response.status === 404 || isSuccess(response.status)) {
        return {
          ...base,
          key: 'accepted',
          summary: `Connected to ${address.origin}: the certificate is trusted and the API key was accepted.`,
        };
      }
      if (response.status === 401 || response.status === 403) {
        return {
          ...base,
          key: 'not-verified',
          summary:
            `Connected to ${address.origin} and the certificate is trusted, but the key could not be ` +
            `verified (HTTP ${response.status} from the status endpoint): either the key is refused or ` +
            "this machine's IP address is not on its allow-list, or this AFT! server only lets an " +
            'administrator session read job status. Starting a job will tell which.',
        };
      }
      throw statusError(response, 'test', address, endpoint);
    },

    close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}
