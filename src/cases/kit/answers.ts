/** Checks of answers the documents describe by status only, or by a schema of one action. */
import type { Source } from '../../checks/response.ts';
import { describeErrors, validator } from '../../checks/schemas.ts';
import { SCHEMA_BASE } from '../../spec/load.ts';
import type { Answer, CaseContext } from '../context.ts';

/**
 * For a response the documents give by status only ("you will get a 200 OK response"): an empty
 * body passes on its status, a body goes through the full check.
 */
export function statusOnly<T = unknown>(answer: Answer, status?: string | number): T | undefined {
  if (answer.res.body.length > 0) return answer.expect<T>(status);
  if (!answer.accepted(status)) answer.expect(status);
  return undefined;
}

/** Checks a body against one schema file of `schemas/` (an action whose answer differs from its operation's others). */
export function conforms(ctx: CaseContext, body: unknown, file: string, says: string, source: Source, operationId?: string): void {
  const validate = validator(`file:${file}`, { $ref: `${SCHEMA_BASE}${file}` });
  const ok = validate(body) as boolean;
  ctx.rule(
    ok,
    says,
    source,
    () => ({ expected: `a body matching schemas/${file}`, received: body, detail: describeErrors(validate.errors, body).join('; ') }),
    operationId,
  );
}
