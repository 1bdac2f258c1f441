// The window's frame: navigation, start-up notices, and the screen for the current route.
import { useEffect, useRef, useState } from 'react';
import { useStore, type Route } from './store.tsx';
import { AddServerScreen } from './screens/AddServer.tsx';
import { JobsScreen } from './screens/Jobs.tsx';
import { JobEditorScreen } from './screens/JobEditor.tsx';
import { QuickRunScreen } from './screens/QuickRun.tsx';
import { RunFormScreen } from './screens/RunForm.tsx';
import { RunScreen } from './screens/RunView.tsx';
import { HistoryScreen } from './screens/History.tsx';
import { SettingsScreen } from './screens/Settings.tsx';
import { isActive } from './format.ts';

const NAV: { label: string; route: Route; matches: Route['screen'][] }[] = [
  {
    label: 'Jobs',
    route: { screen: 'jobs' },
    matches: ['jobs', 'job-editor', 'run-form', 'quick-run'],
  },
  { label: 'History', route: { screen: 'history' }, matches: ['history', 'run'] },
  { label: 'Settings', route: { screen: 'settings' }, matches: ['settings', 'add-server'] },
];

export function App() {
  const store = useStore();
  const { route, servers } = store;
  const mainRef = useRef<HTMLElement>(null);

  // Move focus to the new screen's heading so keyboard and screen reader users know where they are.
  useEffect(() => {
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    if (heading && !mainRef.current?.contains(document.activeElement)) heading.focus();
  }, [route]);

  if (servers === null) {
    return (
      <main className="app-main" aria-busy="true">
        <p className="muted">{store.loadError ?? 'Loading…'}</p>
      </main>
    );
  }

  const firstRun = servers.length === 0;
  const running = [...store.runs.values()].filter(isActive).length;

  return (
    <div className="app">
      <nav className="app-nav" aria-label="Main">
        <div className="app-brand">AFT! Launcher</div>
        {NAV.map((item) => (
          <button
            key={item.label}
            type="button"
            aria-current={!firstRun && item.matches.includes(route.screen) ? 'page' : undefined}
            disabled={firstRun && item.route.screen !== 'settings'}
            onClick={() => store.go(item.route)}
          >
            {item.label}
          </button>
        ))}
        <div className="nav-spacer" />
        {running > 0 ? (
          <p className="nav-running" aria-live="polite">
            {running} running
          </p>
        ) : null}
      </nav>
      <div className="app-notices">
        <Notices />
      </div>
      <main className="app-main" ref={mainRef}>
        {/* One position for the add-server screen, so it keeps its state when the first server lands. */}
        {route.screen === 'add-server' || (firstRun && route.screen !== 'settings') ? (
          <AddServerScreen firstRun={firstRun} />
        ) : (
          <Screen route={route} />
        )}
      </main>
    </div>
  );
}

function Screen(props: { route: Route }) {
  const { route } = props;
  switch (route.screen) {
    case 'jobs':
      return <JobsScreen focusSearch={route.focusSearch ?? false} />;
    case 'add-server':
      return null; // rendered by App itself, see above
    case 'job-editor':
      return (
        <JobEditorScreen
          key={route.jobId ?? (route.template ? 'from-run' : 'new')}
          jobId={route.jobId}
          template={route.template}
        />
      );
    case 'quick-run':
      return <QuickRunScreen />;
    case 'run-form':
      return <RunFormScreen key={route.jobId} jobId={route.jobId} linkValues={route.values} />;
    case 'run':
      return <RunScreen key={route.runId} runId={route.runId} />;
    case 'history':
      return <HistoryScreen initialJobId={route.savedJobId} />;
    case 'settings':
      return <SettingsScreen />;
  }
}

/** What main found wrong at start-up (settings recovered or migrated, secrets unprotected). */
function Notices() {
  const { status, loadError } = useStore();
  const [dismissed, setDismissed] = useState<ReadonlySet<number>>(new Set());
  const notices = status?.notices ?? [];
  return (
    <>
      {loadError ? (
        <div className="banner warning" role="alert">
          <p>{loadError}</p>
        </div>
      ) : null}
      {notices.map((notice, index) =>
        dismissed.has(index) ? null : (
          <div key={index} className="banner warning" role="status">
            <p>
              {notice.message}
              {notice.backupPath && !notice.message.includes(notice.backupPath) ? (
                <>
                  {' '}
                  The previous file was kept at <code>{notice.backupPath}</code>.
                </>
              ) : null}
            </p>
            <button
              type="button"
              onClick={() => setDismissed((previous) => new Set(previous).add(index))}
              aria-label="Dismiss this notice"
            >
              Dismiss
            </button>
          </div>
        ),
      )}
    </>
  );
}
