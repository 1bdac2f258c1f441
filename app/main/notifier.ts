// Desktop notifications: one when a run ends (by the job's rule and the global setting), and
// the app's own hints. Clicking a run's notification opens the window on that run.
import { runEndNotification } from '../core/desktop/run-notifications.ts';
import { runOutcome } from '../core/desktop/run-outcome.ts';
import type { RunObserver } from '../core/ports.ts';
import type { Settings } from '../shared/model.ts';

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotificationParts {
  Notification: {
    new (options: { title: string; body: string; icon?: string }): NotificationLike;
    isSupported(): boolean;
  };
}

export interface Notifier {
  observer: RunObserver;
  /** Shows a notification; `onClick` runs when the person clicks it. */
  show(message: { title: string; body: string }, onClick?: () => void): void;
}

/** Notifications are kept referenced until they close, or a click would be lost to the GC. */
const MAX_KEPT = 20;
const NOTIFIED_RUNS_KEPT = 1000;

export function createNotifier(
  parts: NotificationParts,
  deps: {
    settings(): Pick<Settings, 'notificationsEnabled'>;
    iconPath?: string;
    openRun(runId: string): void;
  },
): Notifier {
  const kept: NotificationLike[] = [];
  const notifiedRuns = new Set<string>();

  function show(message: { title: string; body: string }, onClick?: () => void): void {
    if (!parts.Notification.isSupported()) return;
    const notification = new parts.Notification({
      title: message.title,
      body: message.body,
      ...(deps.iconPath ? { icon: deps.iconPath } : {}),
    });
    const release = () => {
      const index = kept.indexOf(notification);
      if (index !== -1) kept.splice(index, 1);
    };
    notification.on('click', () => {
      release();
      onClick?.();
    });
    notification.on('close', release);
    kept.push(notification);
    if (kept.length > MAX_KEPT) kept.shift();
    notification.show();
  }

  return {
    show,
    observer: {
      runUpdated(run, job) {
        // A run ends once; later updates of an ended run (a refreshed job info) say nothing new.
        if (runOutcome(run) === undefined || notifiedRuns.has(run.id)) return;
        notifiedRuns.add(run.id);
        if (notifiedRuns.size > NOTIFIED_RUNS_KEPT) {
          notifiedRuns.delete(notifiedRuns.values().next().value!);
        }
        const message = runEndNotification(run, job, deps.settings());
        if (message) show(message, () => deps.openRun(run.id));
      },
    },
  };
}
