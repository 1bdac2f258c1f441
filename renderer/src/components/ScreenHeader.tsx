import type { ReactNode } from 'react';

/** A screen's title (focusable, so navigation can move focus to it) and its main actions. */
export function ScreenHeader(props: { title: string; children?: ReactNode }) {
  return (
    <header className="screen-header">
      <h1 tabIndex={-1}>{props.title}</h1>
      {props.children}
    </header>
  );
}
