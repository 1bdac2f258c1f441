export function RunScreen(_props: Record<string, unknown>) {
  return <p>TODO</p>;
}
