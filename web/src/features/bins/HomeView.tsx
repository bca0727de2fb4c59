/** What the main area says when no bin is open. */
export function HomeView() {
  return (
    <section className="column home" data-testid="home">
      <h2>Watch webhooks arrive</h2>
      <ol>
        <li>Create a bin, or pick one on the left.</li>
        <li>Copy its capture URL into Zendesk (or any sender) as the webhook endpoint.</li>
        <li>Press "Test webhook": the request appears here live, its Authorization header decoded and its signature checked.</li>
      </ol>
    </section>
  );
}
