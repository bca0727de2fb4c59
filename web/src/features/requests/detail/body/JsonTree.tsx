import { useState } from 'react';
import { Visible } from '../../../../ui/Visible';
import type { JsonNode } from './jsonTree';

/** "{3 keys}", "[120 items]". */
function summary(node: JsonNode): string {
  if (node.kind === 'object') return `{${node.entries.length} ${node.entries.length === 1 ? 'key' : 'keys'}}`;
  if (node.kind === 'array') return `[${node.items.length} ${node.items.length === 1 ? 'item' : 'items'}]`;
  return '';
}

/**
 * A large JSON document as a tree of <details>: the top level open, everything below closed, and a branch's
 * children rendered only while it is open (a 10 MB document is not 10 MB of elements). Keys and strings are
 * captured text, shown through Visible.
 */
export function JsonTree({ root }: { root: JsonNode }) {
  return (
    <div className="json-tree mono" data-testid="json-tree">
      <Branch label={null} node={root} open />
    </div>
  );
}

function Label({ label }: { label: string | number | null }) {
  if (label === null) return null;
  return (
    <span className="json-key">
      {typeof label === 'number' ? label : <Visible text={JSON.stringify(label)} />}
      {': '}
    </span>
  );
}

function Branch({ label, node, open: initiallyOpen = false }: { label: string | number | null; node: JsonNode; open?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  if (node.kind === 'string' || node.kind === 'literal') {
    return (
      <div className="json-leaf" data-testid="json-leaf">
        <Label label={label} />
        {node.kind === 'string' ? <Visible text={JSON.stringify(node.value)} /> : <span className="json-literal">{node.text}</span>}
      </div>
    );
  }
  const children: [string | number, JsonNode][] = node.kind === 'object' ? node.entries : node.items.map((item, index) => [index, item]);
  return (
    <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)} data-testid="json-branch">
      <summary>
        <Label label={label} />
        <span className="muted">{summary(node)}</span>
      </summary>
      {open && (
        <div className="json-children">
          {children.map(([key, child], index) => (
            <Branch key={index} label={key} node={child} />
          ))}
        </div>
      )}
    </details>
  );
}
