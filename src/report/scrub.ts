/**
 * The reporter's last line of defence. Attachments and the suite's own failure messages are
 * redacted where they are made (attachments.ts, checks/response.ts); what a test throws
 * otherwise (an `expect` that prints a received body, a message a scenario builds) reaches
 * every reporter as is. The conformance reporter runs first and passes each step error, test
 * error, captured output line and textual attachment through the one Redactor before the other
 * reporters (list, HTML, JUnit, Allure, blob) see them, and what the runner prints to the console.
 *
 * The runner does not hold the tokens issued to workers: it reads those the workers recorded in
 * the run's private file (issued.ts), and also recognises credentials by their shape (a JWT; the
 * value after `Bearer`, `API-KEY`, `Basic`) and teaches them to the Redactor, as the client does
 * when a login answers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { TestError, TestResult, TestStep } from '@playwright/test/reporter';
import { learnIssued } from './issued.ts';
import { REDACTED, type Redactor } from './redact.ts';

/** A JSON Web Token: base64url JSON header and payload, and a signature. */
export const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
/** A credential after its scheme; at least 16 characters with a digit, so that prose ("Basic authentication") is not taken for one. */
const SCHEME_VALUE = /\b(?:Bearer|API-KEY|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/gi;

/** Redacts `s`, first teaching the Redactor any credential recognised by its shape. */
export function scrubText(redactor: Redactor, s: string): string {
  if (typeof s !== 'string' || s === '') return s;
  learnIssued(redactor);
  for (const m of s.matchAll(JWT)) redactor.add(m[0]);
  for (const m of s.matchAll(SCHEME_VALUE)) if (/\d/.test(m[1]) && !m[1].includes(REDACTED)) redactor.add(m[1]);
  return redactor.text(s);
}

export function scrubError(redactor: Redactor, e: TestError | undefined): void {
  if (!e) return;
  const w = e as { message?: string; stack?: string; value?: string; snippet?: string; cause?: TestError; errors?: TestError[] };
  for (const k of ['message', 'stack', 'value', 'snippet'] as const) if (typeof w[k] === 'string') w[k] = scrubText(redactor, w[k]);
  scrubError(redactor, w.cause);
}

export function scrubStep(redactor: Redactor, step: TestStep): void {
  if (step.error) scrubError(redactor, step.error);
  for (const s of step.steps) scrubStep(redactor, s);
}

const TEXTUAL = /^(text\/|application\/(?:[\w.+-]*\+)?(?:json|xml)|application\/x-sh)/i;

/**
 * Redacts a finished test result in place: errors, steps, captured output and textual
 * attachments (rewriting an attachment file only when something in it was redacted).
 */
export function scrubResult(redactor: Redactor, result: TestResult): void {
  for (const e of result.errors) scrubError(redactor, e);
  scrubError(redactor, result.error);
  for (const s of result.steps) scrubStep(redactor, s);
  for (const out of [result.stdout, result.stderr]) {
    for (let i = 0; i < out.length; i++) out[i] = scrubText(redactor, typeof out[i] === 'string' ? (out[i] as string) : (out[i] as Buffer).toString('utf8'));
  }
  for (const a of result.attachments as { name: string; contentType: string; path?: string; body?: Buffer }[]) {
    if (!TEXTUAL.test(a.contentType)) continue;
    if (a.body) {
      const before = a.body.toString('utf8');
      const after = scrubText(redactor, before);
      if (after !== before) a.body = Buffer.from(after);
    } else if (a.path) {
      let before: string;
      try {
        before = readFileSync(a.path, 'utf8');
      } catch {
        continue;
      }
      const after = scrubText(redactor, before);
      if (after !== before) writeFileSync(a.path, after);
    }
  }
}

/**
 * Redacts what the runner prints: a test's console output reaches the list reporter as it is
 * written, before any result exists to redact. Returns the function that restores the streams.
 */
export function scrubConsole(redactor: Redactor, streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): () => void {
  const restores = streams.map((stream) => {
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
      return (write as (...a: unknown[]) => boolean).call(this, text === undefined ? chunk : scrubText(redactor, text), ...rest);
    } as typeof stream.write;
    return () => {
      stream.write = write;
    };
  });
  return () => {
    for (const r of restores) r();
  };
}
