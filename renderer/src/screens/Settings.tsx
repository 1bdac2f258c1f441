export function SettingsScreen(_props: Record<string, unknown>) {
  return <p>TODO</p>;
}
