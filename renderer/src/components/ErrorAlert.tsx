// The one way a screen or dialog shows what went wrong: announced at once (role=alert).

/** Nothing while there is no message. */
export function ErrorAlert(props: { message: string | null }) {
  if (!props.message) return null;
  return (
    <div className="alert error" role="alert">
      <p>{props.message}</p>
    </div>
  );
}
