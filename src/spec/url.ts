/**
 * An operation's path template → the path of a request, and back: the only place that reads
 * `{name}` templates, so that a request is built from the spec, never from a path literal.
 */
import type { Operation } from './model.ts';

const PARAM = /\{(\w+)\}/g;

/** The template's parameter names, in order. */
export const templateParams = (template: string): string[] => [...template.matchAll(PARAM)].map((m) => m[1]!);

/** `/api/3/{collection}/{uuid}` with `{ collection: 'alerts', uuid }`; every parameter encoded, none missing or extra. */
export function pathOf(op: Pick<Operation, 'operationId' | 'path'>, params: Readonly<Record<string, string | number>> = {}): string {
  const names = templateParams(op.path);
  const extra = Object.keys(params).filter((k) => !names.includes(k));
  if (extra.length) throw new Error(`[cases] ${op.operationId} (${op.path}) has no path parameter ${extra.join(', ')}`);
  return op.path.replace(PARAM, (_m, name: string) => {
    const v = params[name];
    if (v === undefined || v === '') throw new Error(`[cases] ${op.operationId} (${op.path}) needs the path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
}

const compiled = new Map<string, RegExp>();

/** The template as a regex over a path (a trailing slash optional, as the stub's router and real clients treat it). */
export function regexOf(template: string): RegExp {
  let r = compiled.get(template);
  if (!r) {
    const body = template
      .replace(/\/+$/, '')
      .split(/(\{\w+\})/)
      .map((part) => (/^\{\w+\}$/.test(part) ? '([^/?#]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    r = new RegExp(`^${body}/?$`);
    compiled.set(template, r);
  }
  return r;
}

/**
 * The parameters a path or IRI fills in the template (decoded), or undefined when it is not a
 * path of the operation. A full URL or a query string is allowed: only the path is read.
 */
export function paramsOf(op: Pick<Operation, 'path'>, iri: string): Record<string, string> | undefined {
  let path = iri;
  try {
    path = new URL(iri, 'http://relative.invalid').pathname;
  } catch {
    return undefined;
  }
  const m = regexOf(op.path).exec(path);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const names = templateParams(op.path);
  for (const [i, name] of names.entries()) {
    try {
      out[name] = decodeURIComponent(m[i + 1]!);
    } catch {
      return undefined;
    }
  }
  return out;
}
