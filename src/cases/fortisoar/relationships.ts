/**
 * FortiSOAR relationships (fortisoar-api-guide.txt › Relationship Operations): get, append an
 * existing or a new record, delete the link. The parent and related modules are configured
 * (`FORTISOAR_RELATION`, the guide's incidents/assets by default).
 */
import type { Source } from '../../checks/response.ts';
import { type CaseContext, scenario } from '../context.ts';
import { guide } from '../kit/sources.ts';
import { createRecord, deleteLater, fieldsComeBack, newRecord, type Rec, recordParams, soar } from './records.ts';

const S = {
  get: guide('Get Relationship'),
  total: guide('"hydra:totalItems": 1,'),
  appendExisting: guide('Append Existing Object to Relationship'),
  appendNew: guide('Append New Object to Relationship'),
  remove: guide('Delete Relationship'),
} satisfies Record<string, Source>;

/** The path of `parent`'s relationship to `related` records. */
const relationship = (ctx: CaseContext, parent: Rec, related: string) => ({ ...ctx.paramsOf('getRecord', parent['@id']), relationship: related });

async function listed(ctx: CaseContext, parent: Rec, related: string): Promise<{ ids: string[]; total: number }> {
  const body = (await ctx.call('getRelationship', { path: relationship(ctx, parent, related) })).expect<{ 'hydra:member': Rec[]; 'hydra:totalItems': number }>(
    200,
  );
  return { ids: body['hydra:member'].map((m) => m['@id']), total: body['hydra:totalItems'] };
}

async function link(ctx: CaseContext, parent: Rec, related: string, record: Rec): Promise<void> {
  await ctx.step('link them', async () =>
    (await ctx.call('appendRelationship', { path: relationship(ctx, parent, related), body: { '@id': record['@id'] } })).expect(200),
  );
}

export const relationships = {
  'fortisoar.relationship-get': scenario(async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const [{ record: p }, { record: r }] = await Promise.all([
      createRecord(ctx, parent, 'relationship parent'),
      createRecord(ctx, related, 'relationship member'),
    ]);
    await link(ctx, p, related, r);
    const { ids, total } = await listed(ctx, p, related);
    ctx.rule(ids.length === 1 && ids[0] === r['@id'], 'the relationship lists the linked record, once', S.get, () => ({ expected: [r['@id']], received: ids }));
    ctx.rule(total === 1, 'hydra:totalItems counts the related records', S.total, () => ({
      expected: 1,
      received: total,
    }));
  }),

  'fortisoar.relationship-append-existing': scenario(async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const [{ record: p }, { record: r }] = await Promise.all([createRecord(ctx, parent, 'append parent'), createRecord(ctx, related, 'append existing')]);
    const got = (await ctx.call('appendRelationship', { path: relationship(ctx, p, related), body: { '@id': r['@id'] } })).expect<Rec>();
    ctx.rule(got['@id'] === r['@id'], 'the answer is the appended record', S.appendExisting, () => ({ expected: r['@id'], received: got['@id'] }));
    const now = await listed(ctx, p, related);
    ctx.rule(now.ids.includes(r['@id']), 'the relationship now lists the record', S.appendExisting, () => ({
      expected: `a list with ${r['@id']}`,
      received: now.ids,
    }));
  }),

  'fortisoar.relationship-append-new': scenario(async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const { record: p } = await createRecord(ctx, parent, 'append parent');
    const sent = newRecord(ctx, related, 'append new');
    const got = (await ctx.call('appendRelationship', { path: relationship(ctx, p, related), body: sent })).expect<Rec>();
    deleteLater(ctx, got['@id']);
    ctx.rule(recordParams(ctx, got['@id'])?.collection === related, 'the answer is the new record with its @id', S.appendNew, () => ({
      expected: `/api/3/${related}/<id>`,
      received: got['@id'],
    }));
    fieldsComeBack(ctx, sent, got, S.appendNew);
    const now = await listed(ctx, p, related);
    ctx.rule(now.ids.includes(got['@id']), 'the relationship now lists the new record', S.appendNew, () => ({
      expected: `a list with ${got['@id']}`,
      received: now.ids,
    }));
  }),

  'fortisoar.relationship-delete': scenario(async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const [{ record: p }, { record: r }] = await Promise.all([createRecord(ctx, parent, 'unlink parent'), createRecord(ctx, related, 'unlink member')]);
    await link(ctx, p, related, r);
    await ctx.step('remove the link', async () =>
      (await ctx.call('deleteRelationship', { path: { ...relationship(ctx, p, related), relatedUuid: ctx.paramsOf('getRecord', r['@id']).uuid! } })).expect(),
    );
    const now = await listed(ctx, p, related);
    ctx.rule(!now.ids.includes(r['@id']), 'the relationship no longer lists the record', S.remove, () => ({
      expected: `a list without ${r['@id']}`,
      received: now.ids,
    }));
  }),
};
