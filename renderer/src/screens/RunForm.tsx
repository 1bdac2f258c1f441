export function RunFormScreen(_props: Record<string, unknown>) {
  return <p>TODO</p>;
}
