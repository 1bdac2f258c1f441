// What the whole window shares: servers, saved jobs, settings, app status and the runs it has
// seen, kept fresh by main's events. Screens read it through useStore() and navigate with go().
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { AppStatus, NavigateTarget } from '../../app/shared/ipc-contract.ts';
import type { JobTarget } from '../../app/shared/job.ts';
import type {
  ParamValues,
  Run,
  SavedJob,
  ServerSummary,
  Settings,
} from '../../app/shared/model.ts';
import { aft, call, messageOf } from './bridge.ts';

export type Route =
  | { screen: 'jobs'; focusSearch?: boolean }
  | { screen: 'add-server' }
  | { screen: 'job-editor'; jobId?: string; template?: JobTemplate }
  | { screen: 'quick-run' }
  | { screen: 'run-form'; jobId: string; values?: Record<string, string> }
  | { screen: 'run'; runId: string }
  | { screen: 'history'; savedJobId?: string }
  | { screen: 'settings' };

/** What a new job starts from, e.g. an ad-hoc run saved as a job. */
export interface JobTemplate {
  serverId: string;
  target: JobTarget;
  values: ParamValues;
}

export interface Store {
  servers: ServerSummary[] | null;
  jobs: SavedJob[] | null;
  settings: Settings | null;
  status: AppStatus | null;
  /** Runs seen through events or fetched, newest state per run ID. */
  runs: ReadonlyMap<string, Run>;
  /** Bumped when history must be read again (cleared, or a run was added). */
  historyVersion: number;
  loadError: string | null;
  route: Route;
  go: (route: Route) => void;
  rememberRun: (run: Run) => void;
  reloadJobs: () => Promise<void>;
  /** Saves the person's order of all jobs; the list shows it at once, before main answers. */
  reorderJobs: (ids: readonly string[]) => Promise<void>;
  reloadServers: () => Promise<void>;
  setSettings: (settings: Settings) => void;
  serverName: (id: string) => string;
}

const StoreContext = createContext<Store | null>(null);

export function useStore(): Store {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside <StoreProvider>');
  return store;
}

/**
 * Runs a past run's job again with the same values and shows the new run; the message to show
 * when it did not start, null when it did.
 */
export async function rerunAndShow(
  store: Pick<Store, 'rememberRun' | 'go'>,
  runId: string,
): Promise<string | null> {
  try {
    const result = await call(aft().runs.rerun({ id: runId }));
    if (!result.ok) return result.message;
    store.rememberRun(result.run);
    store.go({ screen: 'run', runId: result.run.id });
    return null;
  } catch (caught) {
    return messageOf(caught);
  }
}

export function routeForNavigate(target: NavigateTarget): Route {
  switch (target.screen) {
    case 'run':
      return { screen: 'run', runId: target.runId };
    case 'run-form':
      return { screen: 'run-form', jobId: target.jobId, values: target.values };
    case 'quick-launch':
      return { screen: 'jobs', focusSearch: true };
    case 'jobs':
      return { screen: 'jobs' };
  }
}

export function StoreProvider(props: { children: ReactNode }) {
  const [servers, setServers] = useState<ServerSummary[] | null>(null);
  const [jobs, setJobs] = useState<SavedJob[] | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [runs, setRuns] = useState<ReadonlyMap<string, Run>>(new Map());
  const [historyVersion, setHistoryVersion] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>({ screen: 'jobs' });

  const reloadJobs = useCallback(
    () =>
      call(aft().jobs.list({})).then(setJobs, (error: unknown) =>
        setLoadError(`Could not read the saved jobs: ${messageOf(error)}`),
      ),
    [],
  );
  const reloadServers = useCallback(
    () =>
      call(aft().servers.list({})).then(setServers, (error: unknown) =>
        setLoadError(`Could not read the servers: ${messageOf(error)}`),
      ),
    [],
  );

  const reorderJobs = useCallback(
    async (ids: readonly string[]) => {
      const position = new Map(ids.map((id, index) => [id, index]));
      setJobs(
        (previous) =>
          previous
            ?.map((job) => ({ ...job, order: position.get(job.id) ?? ids.length + job.order }))
            .sort((a, b) => a.order - b.order) ?? null,
      );
      try {
        await call(aft().jobs.reorder({ ids: [...ids] }));
      } catch (error) {
        // Main refused: show its order again (on success its jobsChanged event reloads).
        await reloadJobs();
        throw error;
      }
    },
    [reloadJobs],
  );

  const rememberRun = useCallback((run: Run) => {
    setRuns((previous) => {
      const known = previous.get(run.id);
      if (known && known.updatedAt > run.updatedAt) return previous;
      const next = new Map(previous);
      next.set(run.id, run);
      return next;
    });
  }, []);

  useEffect(() => {
    void reloadJobs();
    void reloadServers();
    void call(aft().settings.get({}))
      .then(setSettings)
      .catch((error: unknown) => setLoadError(`Could not read the settings: ${messageOf(error)}`));
    void call(aft().app.status({}))
      .then(setStatus)
      .catch((error: unknown) =>
        setLoadError(`Could not read the app status: ${messageOf(error)}`),
      );
    const events = aft().events;
    const unsubscribers = [
      events.jobsChanged(() => void reloadJobs()),
      events.serversChanged(() => void reloadServers()),
      events.settingsChanged(setSettings),
      events.runUpdated((run) => {
        rememberRun(run);
        setHistoryVersion((version) => version + 1);
      }),
      events.historyCleared(() => {
        setRuns(new Map());
        setHistoryVersion((version) => version + 1);
      }),
      events.navigate((target) => setRoute(routeForNavigate(target))),
    ];
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [reloadJobs, reloadServers, rememberRun]);

  // The theme setting wins over the OS preference; "system" leaves it to prefers-color-scheme.
  useEffect(() => {
    const theme = settings?.theme ?? 'system';
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [settings?.theme]);

  const store = useMemo<Store>(() => {
    const names = new Map((servers ?? []).map((server) => [server.id, server.name]));
    return {
      servers,
      jobs,
      settings,
      status,
      runs,
      historyVersion,
      loadError,
      route,
      go: setRoute,
      rememberRun,
      reloadJobs,
      reorderJobs,
      reloadServers,
      setSettings,
      serverName: (id) => names.get(id) ?? 'Removed server',
    };
  }, [
    servers,
    jobs,
    settings,
    status,
    runs,
    historyVersion,
    loadError,
    route,
    rememberRun,
    reloadJobs,
    reorderJobs,
    reloadServers,
  ]);

  return <StoreContext.Provider value={store}>{props.children}</StoreContext.Provider>;
}
