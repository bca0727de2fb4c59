import { useEffect, useRef } from 'react';

const SHORTCUTS: [keys: string[], what: string][] = [
  [['j', '↓'], 'Next (older) request, opened'],
  [['k', '↑'], 'Previous (newer) request, opened'],
  [['/'], 'Filter the loaded requests'],
  [['Esc'], 'Leave the filter box, close this'],
  [['?'], 'Show these shortcuts'],
];

/** The keyboard shortcuts, in a modal dialog (Esc or the button closes it and gives focus back). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="shortcuts-dialog" onClose={onClose} aria-labelledby="shortcuts-title" data-testid="shortcuts-dialog">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <td>
                {keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && ' or '}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Not while typing in a box.</p>
      <form method="dialog">
        <button type="submit" className="button small" data-testid="shortcuts-close">
          Close
        </button>
      </form>
    </dialog>
  );
}
