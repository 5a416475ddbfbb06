import { expect, test } from '@playwright/test';
import { REDACTED, Redactor } from '../../src/report/redact.ts';

test.describe('redactor', () => {
  const r = new Redactor(['s3cret-Passw0rd', 'tok']);

  test('removes configured secrets from text, also URL-encoded', () => {
    expect(r.text('password=s3cret-Passw0rd&x=1')).toBe(`password=${REDACTED}&x=1`);
    expect(r.text(encodeURIComponent('a s3cret-Passw0rd'))).not.toContain('Passw0rd');
  });

  test('ignores secrets too short to be meaningful', () => {
    expect(r.text('token')).toBe('token');
  });

  test('blanks credential headers whatever they hold, keeping the scheme', () => {
    expect(r.headers({ Authorization: 'Bearer abc.def', accept: 'application/json' })).toEqual({
      Authorization: `Bearer ${REDACTED}`,
      accept: 'application/json',
    });
  });

  test('blanks credential fields of JSON bodies', () => {
    expect(r.json({ credentials: { loginid: 'u', password: 'x' }, token: 'jwt', name: 'n' })).toEqual({
      credentials: { loginid: 'u', password: REDACTED },
      token: REDACTED,
      name: 'n',
    });
  });

  test('blanks every cookie of a Set-Cookie header, not only the first', () => {
    expect(r.headers({ 'set-cookie': 'session=abc123\nother=def456' })).toEqual({ 'set-cookie': REDACTED });
  });

  test('removes a secret with quotes and backslashes in every escaped and encoded form', () => {
    const password = 'pa"ss\\word <&>';
    const red = new Redactor([password]);
    const once = JSON.stringify(password).slice(1, -1);
    const twice = JSON.stringify(once).slice(1, -1);
    const forms = [
      password,
      once,
      twice,
      JSON.stringify(twice).slice(1, -1),
      password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
      encodeURIComponent(password),
      ...[0, 1, 2].flatMap((k) =>
        (['base64', 'base64url'] as const).map((alphabet) => {
          const encoded = Buffer.concat([Buffer.alloc(k, 0x7a), Buffer.from(password)]).toString(alphabet);
          return encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + Buffer.byteLength(password))) / 6));
        }),
      ),
    ];
    for (const form of forms) expect(red.text(`before ${form} after`), form).toBe(`before ${REDACTED} after`);
  });

  test('redacts a body nested too deep to parse as text, without a stack overflow', () => {
    const deep = `{"token":"s3cret-Passw0rd",${'['.repeat(50_000)}`;
    expect(r.body(deep)).toBe(`{"token":"${REDACTED}",${'['.repeat(50_000)}`);
  });

  test('learns tokens issued during the run', () => {
    const learner = new Redactor([]);
    learner.add('eyJhbGciOi.issued.token');
    expect(learner.text('Bearer eyJhbGciOi.issued.token')).toBe(`Bearer ${REDACTED}`);
  });
});
