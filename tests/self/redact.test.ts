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

  test('learns tokens issued during the run', () => {
    const learner = new Redactor([]);
    learner.add('eyJhbGciOi.issued.token');
    expect(learner.text('Bearer eyJhbGciOi.issued.token')).toBe(`Bearer ${REDACTED}`);
  });
});
