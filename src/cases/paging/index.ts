/**
 * Paging modes, by id: one file per mode, each a walk that checks the invariants a consumer
 * relies on (every item once, the walk ends, no page larger than asked, counts agree). A spec
 * response names its mode in `x-cases[].paging`, with the mode's params (field names, page size,
 * the sentences enforced). A new mode is one file exporting a CaseRunner, added here.
 */
import type { CaseRunner } from '../context.ts';
import { hydraLegacy, hydraView } from './hydra.ts';
import { offsetLimitMode } from './offset-limit.ts';
import { pageTokenMode } from './page-token.ts';
import { skipLimitMode } from './skip-limit.ts';

export const PAGING: Readonly<Record<string, CaseRunner>> = {
  'hydra-view': hydraView,
  'hydra-legacy': hydraLegacy,
  'skip-limit': skipLimitMode,
  'page-token': pageTokenMode,
  'offset-limit': offsetLimitMode,
};
