// Time as a collaborator, so that code which waits (the job follower's backoff) can be tested
// with a fake clock instead of real sleeps.

/** Opaque handle returned by `Clock.setTimeout`; only ever passed back to `clearTimeout`. */
export type TimerHandle = { readonly __timerHandle: unique symbol };

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};
