/** The comma-separated `name=value` parameters of an Authorization header (RFC 9110 §11.2). */

/** One `name=value` of an authorization header. */
export interface AuthParam {
  /** Lower-cased: parameter names are case-insensitive. */
  name: string;
  value: string;
  quoted: boolean;
}

/** The parameters in the order written; a repeated name is kept twice. */
export interface AuthParams {
  params: AuthParam[];
  /** False when something did not parse as name=value; what did parse is still returned. */
  wellFormed: boolean;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/** Parses `a=1, b="two, \"2\""`; a quoted value has its backslash escapes removed. Never throws. */
export function parseAuthParams(text: string): AuthParams {
  const params: AuthParam[] = [];
  let wellFormed = true;
  let i = 0;
  const skipSpaces = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  while (i < text.length) {
    skipSpaces();
    if (text[i] === ',') {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < text.length && TOKEN_CHAR.test(text[i])) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    skipSpaces();
    if (!name || text[i] !== '=') {
      wellFormed = false;
      while (i < text.length && text[i] !== ',') i++;
      continue;
    }
    i++;
    skipSpaces();
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      let closed = false;
      while (i < text.length) {
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (text[i] === '"') {
          closed = true;
          i++;
          break;
        } else value += text[i++];
      }
      if (!closed) wellFormed = false;
    } else {
      const valueStart = i;
      while (i < text.length && text[i] !== ',' && text[i] !== ' ' && text[i] !== '\t') i++;
      value = text.slice(valueStart, i);
    }
    params.push({ name, value, quoted });
    skipSpaces();
    if (i < text.length && text[i] !== ',') {
      wellFormed = false;
      while (i < text.length && text[i] !== ',') i++;
    }
  }
  return { params, wellFormed };
}

/** The first parameter of that (lower-case) name. */
export function paramValue(params: AuthParams, name: string): string | undefined {
  return params.params.find((param) => param.name === name)?.value;
}
