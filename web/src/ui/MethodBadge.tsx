const STYLED = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** An HTTP method as a coloured badge; the class comes from a fixed set, never from the captured text itself. */
export function MethodBadge({ method }: { method: string }) {
  const style = STYLED.has(method) ? method.toLowerCase() : 'other';
  return <span className={`method method-${style}`}>{method}</span>;
}
