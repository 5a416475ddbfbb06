/**
 * Helpers of the FortiSOAR administration scenarios: tolerant reading of bodies the guide does
 * not shape (integration envelopes, cluster health), schema checks of one action's answer, and
 * polling of asynchronous jobs with a deadline (never a fixed sleep).
 */
import { randomUUID } from 'node:crypto';
import { describeErrors, validator } from '../../checks/schemas.ts';
import type { ApiResponse } from '../../client/api.ts';
import { SCHEMA_BASE } from '../../spec/load.ts';
import type { CaseContext } from '../context.ts';

export type Json = Record<string, any>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * For a response the guide documents by status only ("you will get a 200 OK response"): an empty
 * body passes on its status, a body goes through the full check.
 */
export function statusOnly<T = unknown>(ctx: CaseContext, res: ApiResponse, status?: string | number, operationId?: string): T | undefined {
  if (res.body.length > 0) return ctx.expect<T>(res, status, operationId);
  const spec = ctx.op(operationId).responses[String(status ?? ctx.case.status)]!;
  ctx.rule(
    spec.acceptStatus.includes(res.status),
    `answers ${spec.acceptStatus.join(' or ')} (${spec.description})`,
    () => `received ${res.status} with no body`,
    operationId,
  );
  return undefined;
}

/** Checks a body against one schema file of schemas/fortisoar/ (for an action whose answer differs from its operation's others). */
export function conforms(ctx: CaseContext, body: unknown, file: string, sentence: string, operationId?: string): void {
  const validate = validator(`fortisoar-admin:${file}`, { $ref: `${SCHEMA_BASE}fortisoar/${file}` });
  const ok = validate(body) as boolean;
  ctx.rule(ok, sentence, () => `${describeErrors(validate.errors, body).join('; ')}; body: ${JSON.stringify(body).slice(0, 300)}`, operationId);
}

/** The object an integration answer is about: the body, or its data object (field notes: {data, ...}). */
export const unwrap = (body: unknown): Json => (isObject(body) && isObject(body.data) ? body.data : isObject(body) ? body : {});

/** The items of a list answer: a bare array, {data: [...]}, {hydra:member: [...]}, or one object. */
export function itemsOf(body: unknown): Json[] {
  if (Array.isArray(body)) return body.filter(isObject);
  if (!isObject(body)) return [];
  for (const key of ['data', 'hydra:member', 'nodes', 'results']) if (Array.isArray(body[key])) return (body[key] as unknown[]).filter(isObject);
  return [body];
}

/** A status that may be a string or a picklist object ({itemValue}). */
export const statusText = (v: unknown): string => (typeof v === 'string' ? v : isObject(v) ? String(v.itemValue ?? v.name ?? v['@id'] ?? '') : '');

/** A name the suite gives to something it creates, reduced to characters every field accepts. */
export const slug = (ctx: CaseContext, label: string): string =>
  ctx
    .unique(label)
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

export const uuidOf = (iri: string): string => iri.replace(/\/+$/, '').split('/').pop()!;

export const neverIssuedUuid = (): string => randomUUID();

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `request` until `done` holds, checking every answer; fails with the last answer when the
 * deadline passes. Against the stub there is no pause between polls (jobs advance per poll);
 * against a real server the pause grows from 0.2 s to 10 s, within the deadline (a quick job costs
 * a few cheap polls; a slow one is not hammered).
 */
export async function pollUntil<T>(
  ctx: CaseContext,
  what: string,
  request: () => Promise<T>,
  done: (value: T) => boolean,
  describe: (value: T) => string,
  operationId?: string,
): Promise<T> {
  const deadline = Date.now() + (ctx.live ? 10 * 60_000 : 10_000);
  let pause = 200;
  let polls = 0;
  for (;;) {
    const value = await request();
    polls++;
    if (done(value)) return value;
    if (Date.now() > deadline || (!ctx.live && polls > 50)) {
      ctx.rule(false, `${what} within the deadline`, () => `after ${polls} polls: ${describe(value)}`, operationId);
    }
    if (ctx.live) {
      await wait(Math.min(pause, Math.max(0, deadline - Date.now())));
      pause = Math.min(pause * 2, 10_000);
    }
  }
}

/** Dotted versions compared numerically (one implementation, in the configuration module). */
export { compareVersions as compareVersion } from '../../config/index.ts';
