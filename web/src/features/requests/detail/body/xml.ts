/**
 * XML re-indented for reading: parsed with DOMParser (an inert document: nothing in it loads or runs) and written
 * back as a string, two spaces a level. The result is only ever shown as text.
 */

/** True for XML media types: application/xml, text/xml and +xml types (image/svg+xml, application/atom+xml…). */
export function saysXml(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** The document pretty-printed, or `{ error }` with the parser's message when it is not well-formed. */
export function prettyXml(text: string): { xml: string } | { error: string } {
  const document = new DOMParser().parseFromString(text, 'application/xml');
  const failure = document.getElementsByTagName('parsererror')[0];
  if (failure !== undefined) return { error: (failure.textContent ?? 'not well-formed').trim().replace(/\s+/g, ' ') };
  const lines: string[] = [];
  const declaration = /^\s*<\?xml[^?]*\?>/.exec(text);
  if (declaration) lines.push(declaration[0].trim());
  for (const node of Array.from(document.childNodes)) write(node, 0, lines);
  return { xml: lines.join('\n') };
}

function write(node: Node, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  switch (node.nodeType) {
    case Node.ELEMENT_NODE: {
      const element = node as Element;
      const attributes = Array.from(element.attributes, (attribute) => ` ${attribute.name}="${escapeAttribute(attribute.value)}"`).join('');
      const children = Array.from(element.childNodes).filter((child) => !(child.nodeType === Node.TEXT_NODE && (child.textContent ?? '').trim() === ''));
      if (children.length === 0) {
        lines.push(`${indent}<${element.tagName}${attributes}/>`);
      } else if (children.length === 1 && children[0].nodeType === Node.TEXT_NODE) {
        lines.push(`${indent}<${element.tagName}${attributes}>${escapeText((children[0].textContent ?? '').trim())}</${element.tagName}>`);
      } else {
        lines.push(`${indent}<${element.tagName}${attributes}>`);
        for (const child of children) write(child, depth + 1, lines);
        lines.push(`${indent}</${element.tagName}>`);
      }
      return;
    }
    case Node.TEXT_NODE: {
      const value = (node.textContent ?? '').trim();
      if (value !== '') lines.push(indent + escapeText(value));
      return;
    }
    case Node.CDATA_SECTION_NODE:
      lines.push(`${indent}<![CDATA[${node.textContent ?? ''}]]>`);
      return;
    case Node.COMMENT_NODE:
      lines.push(`${indent}<!--${node.textContent ?? ''}-->`);
      return;
    case Node.PROCESSING_INSTRUCTION_NODE: {
      const instruction = node as ProcessingInstruction;
      lines.push(`${indent}<?${instruction.target} ${instruction.data}?>`);
      return;
    }
    case Node.DOCUMENT_TYPE_NODE:
      lines.push(`${indent}<!DOCTYPE ${(node as DocumentType).name}>`);
      return;
  }
}
