export function JobEditorScreen(_props: Record<string, unknown>) {
  return <p>TODO</p>;
}
