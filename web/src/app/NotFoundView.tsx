import { Link } from '../ui/Link';

/** A viewer path that names nothing. */
export function NotFoundView() {
  return (
    <section className="column" data-testid="not-found">
      <h2>Nothing here</h2>
      <p>This address is not a page of hooklens: a bin is at /bins/&lt;id&gt;, one of its requests at /bins/&lt;id&gt;/requests/&lt;number&gt;.</p>
      <p>
        <Link to="/">Back to the bins</Link>
      </p>
    </section>
  );
}
