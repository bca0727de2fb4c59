import { Link } from '../ui/Link';

/** A viewer path that names nothing. */
export function NotFoundView() {
  return (
    <section className="column" data-testid="not-found">
      <h2>Nothing here</h2>
      <p>
        <Link to="/">Back to the bins</Link>
      </p>
    </section>
  );
}
