import { forwardRef, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { ErrorMessage } from '../../ui/ErrorMessage';
import './search.css';

/**
 * A bin's search box (contract.md "Search"): shows the search in the URL (`q`), submits what was typed on Enter
 * (`onSearch`, null for an empty box), clears it with ✕, and leaves on Esc with its text kept. The server's 400
 * message for an invalid query (`error`) shows under it, as text. `children` (the bin's actions) end its line.
 */
export const SearchBox = forwardRef<HTMLInputElement, { q: string | null; onSearch: (q: string | null) => void; error: unknown; children?: ReactNode }>(
  function SearchBox({ q, onSearch, error, children }, ref) {
    const [text, setText] = useState(q ?? '');
    // The URL changes on back/forward and on links too: the box follows it.
    useEffect(() => setText(q ?? ''), [q]);

    return (
      <form
        className="search-box"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const query = text.trim();
          onSearch(query === '' ? null : query);
        }}
      >
        <div className="search-row">
          <input
            ref={ref}
            type="text"
            className="search-input"
            placeholder='Search: words, "a phrase", method:POST, header:x-foo  ( / )'
            aria-label="Search the bin's requests"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              event.preventDefault();
              event.currentTarget.blur();
            }}
            data-testid="search-input"
          />
          {(q !== null || text !== '') && (
            <button
              type="button"
              className="button tiny"
              aria-label="Clear the search"
              onClick={() => {
                setText('');
                onSearch(null);
              }}
              data-testid="search-clear"
            >
              ✕
            </button>
          )}
          {children}
        </div>
        <ErrorMessage error={error} testId="search-error" />
      </form>
    );
  },
);
