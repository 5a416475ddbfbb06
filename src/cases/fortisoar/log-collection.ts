/**
 * FortiSOAR log collection (fortisoar-api-guide.txt › Log Collection Operations): one collection
 * runs at a time ("If another log collection request is running, then status code 202 is
 * returned"), so on a live target a test waits for a 200 within its deadline; the download
 * answers 202 while the collection runs, the file once it is done, 400 for a file never collected.
 */
import type { Source } from '../../checks/response.ts';
import { type Answer, type CaseContext, scenario } from '../context.ts';
import { statusOnly } from '../kit/answers.ts';
import type { Json } from '../kit/bodies.ts';
import { slug } from '../kit/names.ts';
import { pollUntil } from '../kit/polling.ts';
import { guide } from '../kit/sources.ts';

const LOGS_PLAIN = 'fortisoar-logs.tar.gz';
const LOGS_GPG = 'fortisoar-logs.tar.gz.gpg';

const S = {
  busy: guide('If another log collection request is running, then status code 202 is returned.'),
  gpg: guide('The filename is "fortisoar-logs.tar.gz.gpg" if you have supplied a password in the request.'),
  plain: guide('Else, the filename is "fortisoar-logs.tar.gz".'),
  running: guide('If log collection process is still running, then status code 202 is returned.'),
  downloaded: guide('A file is downloaded with the name fortisoar-logs.tar.gz.gpg (or fortisoar-logs.tar.gz)'),
} satisfies Record<string, Source>;

/** Triggers a collection; on a live target another one may be running (202): waits for a 200 within the deadline. */
async function collect(ctx: CaseContext, password?: string): Promise<{ answer: Answer; filename: string }> {
  const body = password === undefined ? {} : { password };
  const answer = await ctx.step(`trigger the log collection ${password === undefined ? 'without' : 'with'} a password`, () =>
    pollUntil(ctx, {
      what: 'a log collection can be started',
      source: S.busy,
      request: () => ctx.call('triggerLogCollection', { body }),
      done: (r) => r.status !== 202 || !ctx.live,
      describe: (r) => `answered ${r.status}`,
      operationId: 'triggerLogCollection',
    }),
  );
  const got = answer.expect<Json>(200);
  return { answer, filename: String(got.filename) };
}

/** Downloads until the file is there (202 while running, each answer checked). */
async function download(ctx: CaseContext, filename: string): Promise<Answer> {
  return ctx.step(`download ${filename} once the collection is done`, () =>
    pollUntil(ctx, {
      what: 'the log collection finishes',
      source: S.running,
      request: async () => {
        const r = await ctx.call('downloadLogCollection', { query: { filename } });
        if (r.status === 202) statusOnly(r, 202);
        return r;
      },
      done: (r) => r.status !== 202,
      describe: (r) => `answered ${r.status}`,
      operationId: 'downloadLogCollection',
    }),
  );
}

function namesFile(ctx: CaseContext, answer: Answer, filename: string): void {
  const disposition = answer.headers['content-disposition'];
  ctx.rule(
    disposition === undefined || disposition.includes(filename),
    `the file is downloaded with the name ${filename}`,
    S.downloaded,
    () => ({ expected: filename, received: disposition }),
    'downloadLogCollection',
  );
}

export const logCollection = {
  'fortisoar.log-collect-password': scenario(async (ctx) => {
    const { filename } = await collect(ctx, 'conformance-suite');
    ctx.rule(filename === LOGS_GPG, `with a password the file is ${LOGS_GPG}`, S.gpg, () => ({ expected: LOGS_GPG, received: filename }));
    const answer = await download(ctx, filename);
    answer.expect(200);
    namesFile(ctx, answer, filename);
  }),

  'fortisoar.log-collect-plain': scenario(async (ctx) => {
    const { filename } = await collect(ctx);
    ctx.rule(filename === LOGS_PLAIN, `without a password the file is ${LOGS_PLAIN}`, S.plain, () => ({ expected: LOGS_PLAIN, received: filename }));
    (await download(ctx, filename)).expect(200);
  }),

  'fortisoar.log-collect-busy': scenario(async (ctx) => {
    const { filename } = await collect(ctx);
    statusOnly(await ctx.step('trigger another while it runs', () => ctx.call('triggerLogCollection', { body: {} })), 202);
    (await download(ctx, filename)).expect(200);
  }),

  'fortisoar.log-download-running': scenario(async (ctx) => {
    const { filename } = await collect(ctx);
    statusOnly(await ctx.step(`download ${filename} at once`, () => ctx.call('downloadLogCollection', { query: { filename } })), 202);
    (await download(ctx, filename)).expect(200);
  }),

  'fortisoar.log-download-done': scenario(async (ctx) => {
    const { filename } = await collect(ctx);
    const answer = await download(ctx, filename);
    const file = answer.expect<Buffer>(200);
    ctx.rule(file.length > 0, 'the collected log file is downloaded', S.downloaded, () => ({ expected: 'a file', received: 'an empty body' }));
    namesFile(ctx, answer, filename);
  }),

  'fortisoar.log-download-unknown': scenario(async (ctx) => {
    const filename = `${slug(ctx, 'missing logs')}.tar.gz`;
    const answer = await ctx.step(`download ${filename}, which was never collected`, () =>
      pollUntil(ctx, {
        what: 'no log collection is running',
        source: S.running,
        request: () => ctx.call('downloadLogCollection', { query: { filename } }),
        done: (r) => r.status !== 202 || !ctx.live,
        describe: (r) => `answered ${r.status}`,
      }),
    );
    answer.expect();
  }),
};
