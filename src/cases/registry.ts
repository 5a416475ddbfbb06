/**
 * Every scenario and paging mode by id, each product's additions to the generic engine, and the
 * validation of the cases a spec declares against them: an unknown scenario or mode, or params
 * that do not fit what it declares, is a SpecError naming the place in the spec.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Config, ProductId } from '../config/index.ts';
import { SpecError } from '../spec/load.ts';
import type { CaseRunner, ParamsSchema, ProductHooks } from './context.ts';
import type { Case } from './derive.ts';
import { fmbsCases } from './fmbs/index.ts';
import { forticasbCases } from './forticasb/index.ts';
import { fortisoarCases } from './fortisoar/index.ts';
import { example } from './kit/example.ts';
import { noToken } from './kit/refusals.ts';
import { PAGING } from './paging/index.ts';

/** What a product adds: its scenarios, and optionally hooks for generic modes and its own skip rules. */
export interface ProductCases {
  readonly scenarios: Readonly<Record<string, CaseRunner>>;
  readonly hooks?: ProductHooks;
  /** Why a case must not run against this configuration (beyond version and safety), or undefined. */
  readonly skipReason?: (c: Case, config: Config) => string | undefined;
}

export const PRODUCT_CASES: Readonly<Record<ProductId, ProductCases>> = {
  fortisoar: fortisoarCases,
  forticasb: forticasbCases,
  fmbs: fmbsCases,
};

/** Scenarios every product shares. */
const SHARED: Readonly<Record<string, CaseRunner>> = { 'common.no-token': noToken };

export const SCENARIOS: Readonly<Record<string, CaseRunner>> = Object.assign({}, SHARED, ...Object.values(PRODUCT_CASES).map((p) => p.scenarios));

/** The runner of a case: the plain example case, its scenario, or its paging mode. */
export function runnerOf(c: Case): CaseRunner {
  const runner = c.kind === 'example' ? example : c.kind === 'scenario' ? SCENARIOS[c.scenario] : PAGING[c.mode];
  if (!runner) {
    const what = c.kind === 'scenario' ? `scenario "${c.scenario}"` : `paging mode "${(c as { mode: string }).mode}"`;
    throw new SpecError(`${c.where.file}:${c.where.line}`, `${c.title} names the ${what}, which no module of src/cases implements`);
  }
  return runner;
}

// Loaded on the first check: the workers import this module for the scenarios, and check nothing.
let ajv: Ajv2020 | undefined;
const validators = new Map<CaseRunner, ValidateFunction>();
const NO_PARAMS: ParamsSchema = { properties: {} };

function validatorOf(runner: CaseRunner): ValidateFunction {
  let v = validators.get(runner);
  if (!v) {
    const p = runner.params ?? NO_PARAMS;
    ajv ??= new (createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020({
      strict: true,
      allErrors: true,
      allowUnionTypes: true,
    });
    v = ajv.compile({ type: 'object', properties: p.properties, required: [...(p.required ?? [])], additionalProperties: false });
    validators.set(runner, v);
  }
  return v;
}

const sentence = (e: ErrorObject): string =>
  e.keyword === 'additionalProperties'
    ? `unknown param "${(e.params as { additionalProperty: string }).additionalProperty}"`
    : e.keyword === 'required'
      ? `missing param "${(e.params as { missingProperty: string }).missingProperty}"`
      : `params${e.instancePath.replace(/\//g, '.')} ${e.message}`;

/**
 * Checks that every case names a scenario or mode that exists and gives it the params it
 * declares; throws the first problem as a SpecError naming the spec file and line.
 */
export function checkCases(cases: readonly Case[]): void {
  for (const c of cases) {
    const runner = runnerOf(c);
    const validate = validatorOf(runner);
    if (!validate(c.params)) {
      const what = c.kind === 'scenario' ? c.scenario : c.kind === 'paging' ? `paging ${c.mode}` : 'the example case';
      throw new SpecError(`${c.where.file}:${c.where.line}`, `${c.id} (${what}): ${(validate.errors ?? []).map(sentence).join('; ')}`);
    }
  }
}
