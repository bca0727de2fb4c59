import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { errorMessage } from '../api/errors';
import { Visible } from '../ui/Visible';

interface Props {
  children: ReactNode;
  /** Changing it (e.g. the route) clears a caught error, so that moving on shows the next view. */
  resetKey?: string;
}

interface State {
  error: unknown;
  /** The `resetKey` the error was caught under. */
  caughtUnder: string | undefined;
  caught: boolean;
}

/**
 * Catches what a view throws while rendering, so that one broken view (a capture the viewer cannot show, a bug)
 * says what went wrong in its place instead of blanking the whole page; "Try again" renders it anew.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, caughtUnder: undefined, caught: false };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, caught: true };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (!state.caught) return { caughtUnder: props.resetKey };
    if (props.resetKey !== state.caughtUnder) return { error: null, caught: false, caughtUnder: props.resetKey };
    return null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for whoever opens the console: the message is on the page, the component stack is not.
    console.error(error, info.componentStack);
  }

  private readonly retry = () => this.setState({ error: null, caught: false });

  override render() {
    if (!this.state.caught) return this.props.children;
    return (
      <section className="column crashed" role="alert" data-testid="view-error">
        <h2>This view failed</h2>
        <p>
          <Visible text={errorMessage(this.state.error)} />
        </p>
        <button type="button" className="button" onClick={this.retry}>
          Try again
        </button>
      </section>
    );
  }
}
