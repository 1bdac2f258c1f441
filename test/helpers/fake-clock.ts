// A Clock whose time moves only when a test says so; `advance` runs due timers in order and
// lets promise callbacks settle between them, so async code driven by timers can be stepped.
import type { Clock, TimerHandle } from '../../app/core/clock.ts';

interface FakeTimer {
  id: number;
  dueAt: number;
  fn: () => void;
}

/** Lets every already-settled promise chain run (a macrotask boundary). */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private currentTime: number;
  private nextId = 1;
  private readonly timers = new Map<number, FakeTimer>();

  constructor(startTime = Date.UTC(2026, 0, 1)) {
    this.currentTime = startTime;
  }

  now(): number {
    return this.currentTime;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.currentTime + Math.max(0, ms), fn });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }

  pendingTimerCount(): number {
    return this.timers.size;
  }

  /** Delays (from now) of the pending timers, soonest first. */
  pendingDelays(): number[] {
    return [...this.timers.values()]
      .map((timer) => timer.dueAt - this.currentTime)
      .sort((a, b) => a - b);
  }

  /** Moves time forward by ms, running each timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.currentTime + ms;
    await flushPromises();
    for (;;) {
      const next = [...this.timers.values()]
        .filter((timer) => timer.dueAt <= target)
        .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!next) break;
      this.timers.delete(next.id);
      this.currentTime = next.dueAt;
      next.fn();
      await flushPromises();
    }
    this.currentTime = target;
    await flushPromises();
  }

  /** Runs the soonest pending timer (moving time to it); returns its delay, or undefined. */
  async runNext(): Promise<number | undefined> {
    const next = [...this.timers.values()].sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
    if (!next) return undefined;
    const delay = next.dueAt - this.currentTime;
    await this.advance(delay);
    return delay;
  }
}
