// Fault injection: rules that make the simulator misbehave the way real servers and networks
// do, so the client's handling of each failure can be tested against real sockets.

export type FaultKind =
  /** Answer after `ms` (the job, if any, is created at once). */
  | { kind: 'delay'; ms: number }
  /**
   * Destroy the socket before reading the request body (no job created). This happens after the
   * TLS handshake and the request headers, so a client cannot tell whether its request arrived.
   */
  | { kind: 'reset-before-read' }
  /**
   * Reset each new TCP connection as it is accepted, before the TLS handshake, so no request can
   * have been written (the failure a client may safely retry). Requests on connections accepted
   * earlier are unaffected. Nothing is known about the request at that point, so a rule of this
   * kind must have endpoint 'any' and no key or script; `times` counts connections.
   */
  | { kind: 'reset-on-connect' }
  /** Read the request, create the job, then destroy the socket without answering. */
  | { kind: 'reset-after-read' }
  /** Answer this status (e.g. 500/502/503) with this body; no job created. */
  | { kind: 'http-status'; status: number; body?: string; contentType?: string }
  /** 201 (launch) / 200 (status) with a broken JSON body; the launch's job IS created. */
  | { kind: 'malformed-json' }
  /** A job info object lacking any ID field; the launch's job IS created. */
  | { kind: 'no-id' }
  /** The status endpoint refuses this key. */
  | { kind: 'status-refuses-key'; status: 401 | 403 | 404 };

export type FaultEndpoint = 'launch' | 'status';

export interface FaultRule {
  endpoint: FaultEndpoint | 'any';
  /** Only requests with this X-API-Key. */
  key?: string;
  /** Only jobs of this script (name, case-insensitive). */
  script?: string;
  fault: FaultKind;
  /** How many requests (connections, for 'reset-on-connect') it hits; default: every one until removed. */
  times?: number;
}

export interface FaultContext {
  endpoint: FaultEndpoint;
  key: string | undefined;
  /** The script's name when it is known at this point of the request. */
  script: string | undefined;
}

type KindName = FaultKind['kind'];

export class FaultBook {
  private rules: { rule: FaultRule; remaining: number }[] = [];

  /** Throws when the rule can never match as written. */
  add(rule: FaultRule): () => void {
    if (
      rule.fault.kind === 'reset-on-connect' &&
      (rule.endpoint !== 'any' || rule.key !== undefined || rule.script !== undefined)
    ) {
      throw new Error(
        "A 'reset-on-connect' fault applies when a connection is accepted, before any request is read, so it cannot be limited to an endpoint, key or script: use endpoint 'any' with no key or script.",
      );
    }
    const entry = { rule: { ...rule }, remaining: rule.times ?? Infinity };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((candidate) => candidate !== entry);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** True when a 'reset-on-connect' rule takes this new connection, spending one of its `times`. */
  takeConnectionReset(): boolean {
    const entry = this.rules.find(({ rule }) => rule.fault.kind === 'reset-on-connect');
    if (entry === undefined) return false;
    this.spend(entry);
    return true;
  }

  /**
   * The first rule of one of these kinds that matches, spending one of its `times`.
   * A rule with a `script` matches only once the script is known.
   */
  take<K extends KindName>(
    context: FaultContext,
    kinds: readonly K[],
  ): Extract<FaultKind, { kind: K }> | undefined {
    const entry = this.rules.find(
      ({ rule }) =>
        (kinds as readonly KindName[]).includes(rule.fault.kind) &&
        (rule.endpoint === 'any' || rule.endpoint === context.endpoint) &&
        (rule.key === undefined || rule.key === context.key) &&
        (rule.script === undefined ||
          (context.script !== undefined &&
            rule.script.toLowerCase() === context.script.toLowerCase())),
    );
    if (entry === undefined) return undefined;
    this.spend(entry);
    return entry.rule.fault as Extract<FaultKind, { kind: K }>;
  }

  private spend(entry: { remaining: number }): void {
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== entry);
  }
}
