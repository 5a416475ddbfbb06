/**
 * FortiSOAR workflow log deletion and table cleanup (fortisoar-api-guide.txt › Deleting workflow
 * logs and cleaning up the workflow table). Both are destructive: on a live target the date is
 * 1970, before which nothing exists; the deletion is seen at work only against the stub, where the
 * test adds the old executions itself and removes what is left.
 */
import type { Source } from '../../checks/response.ts';
import { scenario } from '../context.ts';
import { statusOnly } from '../kit/answers.ts';
import type { Json } from '../kit/bodies.ts';
import { pollUntil } from '../kit/polling.ts';
import { guide } from '../kit/sources.ts';
import { itemId } from '../paging/offset-limit.ts';
import { created, history } from './workflow-history.ts';

const S = {
  deleteResult: guide('{"result": "deleting workflows"}'),
  deleteDate: guide('date: The date before which the workflow logs should be deleted.'),
  awaiting: guide("If you specify true then the workflow logs that are in the 'awating' state are excluded from deletion"),
  vacuum: guide('clears all the empty rows in tables and indexes and makes the unused space available to the system'),
} satisfies Record<string, Source>;

export const workflowCleanup = {
  /**
   * Least harmful on a live target: the date is 1970, before which nothing exists. Against the
   * stub the test first adds old executions (one of them awaiting) dated 1971 and deletes before
   * 1972, so the deletion and the awaiting exception are both seen, and removes what is left.
   */
  'fortisoar.workflow-delete': scenario(async (ctx) => {
    let date = '1970-01-01T00:00:00.000Z';
    let added: { id: number; status: string }[] = [];
    if (!ctx.live) {
      const { appendExecutions, removeExecutions } = await import('../../stub/fortisoar/workflows.ts');
      const old = (status: string, i: number) => ({
        name: 'Conformance Suite Old Run',
        status,
        template_iri: '/api/3/workflows/00000000-0000-4000-8000-000000000000', // not a request: a playbook IRI of the runs the test adds
        records: [],
        parent: null,
        tags: [],
        user: 'conformance-suite',
        created: `1971-0${i + 1}-01T00:00:00.000Z`,
        modified: `1971-0${i + 1}-01T00:05:00.000Z`,
      });
      added = ctx.changeStub('three workflow executions of 1971 (finished, failed, awaiting) are added to the history', (state) =>
        appendExecutions(state, [old('finished', 0), old('failed', 1), old('awaiting', 2)]),
      );
      ctx.defer(async () =>
        removeExecutions(
          ctx.stubState,
          added.map((w) => w.id),
        ),
      );
      date = '1972-01-01T00:00:00.000Z';
    }
    const before = Date.parse(date);
    const older = async (title: string) => (await history(ctx, { limit: 100, ordering: 'created' }, title)).items.filter((m) => created(m) < before);
    const awaiting = (await older('the executions older than the date')).filter((m) => m.status === 'awaiting').map(itemId);
    const body = await ctx.step(`delete the workflow logs before ${date}`, async () =>
      (
        await ctx.call('deleteWorkflows', {
          query: { format: 'json' },
          body: { date, user: ctx.config.fortisoar?.username ?? 'conformance-suite', exclude_awaiting_wf: true },
        })
      ).expect<Json>(),
    );
    ctx.rule(typeof body.result === 'string', 'the answer is {"result": "deleting workflows"}', S.deleteResult, () => ({
      expected: { result: 'deleting workflows' },
      received: body,
    }));
    const left = await ctx.step('the logs before the date are deleted, awaiting ones excepted', () =>
      pollUntil(ctx, {
        what: 'the workflow logs before the date are deleted',
        source: S.deleteDate,
        request: () => older('list the executions left'),
        done: (rows) => rows.every((m) => m.status === 'awaiting'),
        describe: (rows) =>
          `still there: ${rows
            .filter((m) => m.status !== 'awaiting')
            .map((m) => `${itemId(m)} ${m.status} ${m.created}`)
            .slice(0, 5)
            .join('; ')}`,
      }),
    );
    const kept = new Set(left.map(itemId));
    const lost = awaiting.filter((id) => !kept.has(id));
    ctx.rule(lost.length === 0, 'with exclude_awaiting_wf true the awaiting executions are kept', S.awaiting, () => ({
      expected: awaiting,
      received: [...kept],
    }));
    if (!ctx.live)
      ctx.rule(awaiting.length > 0, 'the stub holds an awaiting execution before the date', S.awaiting, () => ({ expected: 'one', received: awaiting.length }));
  }),

  'fortisoar.workflow-vacuum': scenario(async (ctx) => {
    const count = async (title: string) => (await history(ctx, { limit: 1 }, title)).total ?? Number.NaN;
    const before = await count('count the history');
    statusOnly(
      await ctx.step('clean up the workflow table', () =>
        ctx.call('vacuumWorkflows', {
          query: { format: 'json' },
          body: { date: '1970-01-01 00:00:00', user: ctx.config.fortisoar?.username ?? 'conformance-suite' },
        }),
      ),
    );
    const after = await count('count the history again');
    ctx.rule(Number.isNaN(before) || Number.isNaN(after) || after >= before, 'the cleanup clears empty rows: the execution history stays', S.vacuum, () => ({
      expected: `${before} or more`,
      received: after,
    }));
  }),
};
