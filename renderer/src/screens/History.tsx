export function HistoryScreen(_props: Record<string, unknown>) {
  return <p>TODO</p>;
}
