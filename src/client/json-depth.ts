/**
 * How deeply a JSON text nests, found by one linear scan (brackets outside strings), so that a
 * body nested 100,000 deep is refused before JSON.parse, ajv or the redactor recurse into it
 * ("Maximum call stack size exceeded", issue 15). Used by the client (a `[body]` finding), the
 * redactor (falls back to plain-text redaction) and the stub (400).
 */

/** Deeper than any answer the documents describe (a few levels) by far, shallow enough for every recursive walk. */
export const MAX_JSON_DEPTH = 1000;

/** True when `text` (a string or UTF-8 bytes) has more than `limit` arrays and objects open at once. */
export function nestsDeeperThan(text: string | Buffer, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  const isString = typeof text === 'string';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = isString ? (text as string).charCodeAt(i) : (text as Buffer)[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The first character that is not white space is `{` or `[`: the text may be JSON worth scanning. */
export function looksLikeJson(text: string | Buffer): boolean {
  const n = Math.min(text.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = typeof text === 'string' ? text.charCodeAt(i) : text[i]!;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xef || c === 0xbb || c === 0xbf) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}
