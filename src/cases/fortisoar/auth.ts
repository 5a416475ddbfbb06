/**
 * FortiSOAR authentication (fortisoar-api-guide.txt › Authentication API › Authenticate): a login
 * answers a token the other operations accept; wrong credentials yield none.
 */
import type { Source } from '../../checks/response.ts';
import { scenario } from '../context.ts';
import { guide } from '../kit/sources.ts';
import { soar } from './records.ts';

const S = {
  token: guide(
    'It returns a JSON response containing the JWT token which you can then use to call other FortiSOAR APIs by passing it into the Authorization header.',
  ),
} satisfies Record<string, Source>;

export const auth = {
  'fortisoar.login': scenario(async (ctx) => {
    const c = soar(ctx);
    if (!c.username || !c.password) ctx.skip('FORTISOAR_API_KEY is used: /auth/authenticate needs a username and password');
    const token = await ctx.step('log in', async () => {
      const body = (await ctx.call('authenticate', { body: { credentials: { loginid: c.username, password: c.password } }, auth: false })).expect<{
        token: string;
      }>();
      ctx.api.redactor.add(body.token);
      return body.token;
    });
    await ctx.step('use the token', async () =>
      (await ctx.call('listRecords', { path: { collection: c.recordModule }, query: { $limit: 1 }, auth: `Bearer ${token}` })).expect(200),
    );
  }),

  'fortisoar.wrong-credentials': scenario(async (ctx) => {
    const c = soar(ctx);
    const answer = await ctx.call('authenticate', {
      body: { credentials: { loginid: c.username ?? 'conformance-suite', password: 'conformance-suite-wrong-password' } },
      auth: false,
    });
    answer.expect();
    ctx.rule(!/"token"\s*:\s*"[^"]/.test(answer.text), 'wrong credentials must not yield a token', S.token, () => ({
      expected: 'no token',
      received: 'a refusal carrying a token',
    }));
  }),
};
