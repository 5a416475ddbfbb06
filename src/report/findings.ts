/**
 * What a failure is, read from its message: a conformance finding (a check of the suite found
 * the server deviating from a document: its message starts with one of the stage prefixes of
 * `src/checks/response.ts` and the preflight) or an error of the suite itself (anything else: a
 * crash, a timeout, a bug in a scenario). JUnit files findings as `<failure>` and errors as
 * `<error>`, and the conformance report says which (`failureKind`), so CI dashboards count
 * failed checks and broken tests apart.
 */

/** One prefix per stage (STYLE.md, habit 7): status, schema, rule, content type, body, links, response parsing, and the live preflight. */
export const FINDING_PREFIXES = ['[status]', '[schema]', '[rule]', '[content-type]', '[body]', '[link]', '[response]', '[preflight]'] as const;

export type FailureKind = 'finding' | 'error';

/** Colour codes in a message (Playwright's `expect` colours what it prints). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
export const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** The message without colour codes and without a leading `ErrorName: `. */
export function plainMessage(message: string | undefined): string {
  return (message ?? '')
    .replace(ANSI, '')
    .trimStart()
    .replace(/^[A-Za-z]*Error: /, '');
}

export function failureKind(message: string | undefined): FailureKind {
  const m = plainMessage(message);
  return FINDING_PREFIXES.some((p) => m.startsWith(p)) ? 'finding' : 'error';
}

/** The stage prefix of a finding (`[status]`), or undefined for an error. */
export function stageOf(message: string | undefined): string | undefined {
  const m = plainMessage(message);
  return FINDING_PREFIXES.find((p) => m.startsWith(p));
}

const EXPECTED_RECEIVED = /^(expected|received|sent|differs)\b\s*:/i;

/**
 * The gist of a failure for a summary line: its first line (the check), then its `expected:`,
 * `received:` and `differs:` lines when it has them (a `[rule]` names both values), else its
 * first line of evidence (not the `source:` line a rule cites: the summary names the section).
 */
export function gist(message: string | undefined, width = 300): string[] {
  const lines = plainMessage(message)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // Stop at the stack trace.
  const end = lines.findIndex((l) => /^at [\w.<>[\] ]*\(?\/|^at \//.test(l));
  const body = end === -1 ? lines : lines.slice(0, end);
  const pairs = body.slice(1).filter((l) => EXPECTED_RECEIVED.test(l));
  const evidence = body.slice(1).find((l) => !/^source\s*:/i.test(l));
  const picked = [body[0] ?? '', ...(pairs.length ? pairs : evidence ? [evidence] : [])].filter(Boolean);
  return picked.map((l) => (l.length > width ? `${l.slice(0, width)}…` : l));
}
