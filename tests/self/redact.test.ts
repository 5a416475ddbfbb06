import { expect, test } from '@playwright/test';
import { gatePattern, REDACTED, Redactor, secretForms, secretPattern } from '../../src/report/redact.ts';
import { type Finding, prepareSecrets, scanBuffer } from '../../src/report/secret-scan.ts';

/** A seeded generator of whole numbers below n: the high bits of a 31-bit LCG (its low bits repeat too soon). */
function randomFrom(seed: number): (n: number) => number {
  let state = BigInt(seed);
  return (n) => {
    state = (state * 1103515245n + 12345n) % 2n ** 31n;
    return Math.floor((Number(state) / 2 ** 31) * n);
  };
}

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

  // Other tools' encoders (Python's quote and quote_plus, URLSearchParams, HTML numeric references,
  // \u escapes of every character, hex): the forms an echoing server or a proxy page writes.
  // The second is long enough for the gate (redact.ts gatePattern) to decide before its full pattern runs.
  for (const password of [`Hq"7\\z%2F&<b> ü€+x'!~(q)/`, `Hq"7\\z%2F&<b> ü€+x'!~(q)/ and then a long tail of 40 characters`]) {
    test(`removes a secret in the encodings other encoders write, and the scan finds each (${[...password].length} characters)`, () => {
      const red = new Redactor([password]);
      const bytes = [...Buffer.from(password, 'utf8')];
      const pct = (keep: RegExp, space = '%20'): string =>
        bytes
          .map((b) =>
            b === 0x20 ? space : b < 0x80 && keep.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
          )
          .join('');
      const once = JSON.stringify(password).slice(1, -1);
      const forms = [
        pct(/[A-Za-z0-9_.~/-]/), // Python quote
        pct(/[A-Za-z0-9_.~-]/, '+'), // Python quote_plus
        new URLSearchParams({ p: password }).toString().slice(2),
        encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
        [...password].map((c) => (/[a-z0-9]/i.test(c) ? c : `&#${c.codePointAt(0)};`)).join(''),
        password.replace(/["'&<>]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`),
        once.replace(/&/g, '&amp;').replace(/"/g, '&#34;').replace(/</g, '&lt;'),
        [...password].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
        encodeURIComponent(once),
        Buffer.from(password).toString('hex'),
        Buffer.from(password).toString('hex').toUpperCase(),
        Buffer.from(JSON.stringify({ p: password })).toString('base64'),
        encodeURIComponent(Buffer.from(`u:${password}`).toString('base64')),
        Buffer.from(password, 'utf8').toString('latin1'),
      ];
      const scan = prepareSecrets([{ name: 'FORTISOAR_PASSWORD', value: password }]);
      for (const form of forms) {
        expect(red.text(`before ${form} after`), form).not.toContain(form);
        const findings: Finding[] = [];
        scanBuffer('artefact', Buffer.from(`before ${form} after`), scan, findings, []);
        expect(findings.length, form).toBe(1);
      }
    });
  }

  test('the gate of a long secret matches wherever its full pattern does', () => {
    const jwt = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"csadmin","iat":1764500000}').toString('base64url')}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg`;
    for (const secret of [jwt, `p&ss "w\\rd" 100%+€ ü/ ${'x'.repeat(20)} é`, `${'🙂'.repeat(3)}\u0041<tag a='1'>&amp;${'z'.repeat(30)}`]) {
      const full = new RegExp(secretPattern(secret));
      const gate = gatePattern(secret);
      expect(gate, secret).toBeDefined();
      const bytes = Buffer.from(secret, 'utf8');
      const forms = [
        ...secretForms(secret).map((f) => f.text),
        [...secret].map((c) => `&#${c.codePointAt(0)};`).join(''),
        // \u escapes of every UTF-16 unit, as JSON writes them.
        secret
          .split('')
          .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .join(''),
        encodeURIComponent(encodeURIComponent(secret)),
        bytes.toString('hex'),
        Buffer.from(`Basic user:${secret}`).toString('base64'),
        Buffer.from(JSON.stringify({ token: secret })).toString('base64url'),
        JSON.stringify(JSON.stringify(secret)),
      ];
      for (const form of forms) {
        for (const text of [form, `"${form}"`, `\\${form}`, `x${form}%`]) {
          if (full.test(text)) expect(gate!.test(text), `${secret} in ${text}`).toBe(true);
        }
        expect(full.test(form), form).toBe(true);
      }
    }
  });

  test('a text with no escaping character takes the fast path to the same result as the full pattern', () => {
    // Redactor.text skips the full pattern where no plain form (as is, base64, hex) occurs in a
    // text without %, &, a backslash, + or a non-ASCII character: it must never redact less.
    const secrets = ['s3cret-Passw0rd', 'p&ss "w\\rd" 100%+€', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'];
    const random = randomFrom(7);
    const words = ['{"name":"', '"}', 'alert ', '[1,2]', ':', ' ', 'Zm9v', 'ABCDEF0123', '"s3cret', 'Passw0rd"'];
    for (const secret of secrets) {
      const bytes = Buffer.from(secret, 'utf8');
      const forms = [
        secret,
        bytes.toString('base64'),
        bytes.toString('base64url'),
        Buffer.concat([Buffer.from('x'), bytes]).toString('base64'),
        bytes.toString('hex'),
        bytes.toString('hex').toUpperCase(),
      ];
      const full = new RegExp(secretPattern(secret), 'g');
      const r = new Redactor([secret]);
      for (let i = 0; i < 200; i++) {
        const parts = Array.from({ length: 6 }, () => words[random(words.length)]);
        if (random(2)) parts.splice(random(parts.length), 0, forms[random(forms.length)]!);
        const text = parts.join('');
        expect(r.text(text), text).toBe(text.replace(full, REDACTED));
      }
    }
  });

  test('a JSON body whose text holds no plain form of a secret skips the patterns for its plain strings, to the same result', () => {
    // Redactor.body runs text() only on the strings with escaping characters when the whole text,
    // without a backslash, holds no plain form of a secret: it must never redact less than the walk.
    const secret = 's3cret-Passw0rd';
    const red = new Redactor([secret, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln']);
    const random = randomFrom(11);
    const keys = ['name', 'Password', 'apiKey', 'note', 'token', 'my_token'];
    const values = [
      '"alert"',
      '1.5',
      'null',
      '[1,"two"]',
      `"${secret}"`,
      `"x${Buffer.from(secret).toString('base64')}"`,
      `"${encodeURIComponent(secret).replace('-', '%2D')}"`,
      `"a&#115;3cret-Passw0rd"`,
      '"a%20b"',
      '"tab\\t"',
      '"caf\u00e9"',
      // The secret with a JSON escape: the text does not hold it as written, its string does.
      '"s3cret\\u002dPassw0rd"',
      `"${Buffer.from(secret).toString('hex')}"`,
      '{"inner":"ok"}',
    ];
    const value = (depth: number): string =>
      depth < 2 && random(4) === 0
        ? `{${Array.from({ length: 1 + random(3) }, () => `"${keys[random(keys.length)]}":${value(depth + 1)}`).join(',')}}`
        : values[random(values.length)]!;
    for (let i = 0; i < 500; i++) {
      const body = `{${Array.from({ length: 1 + random(4) }, () => `"${keys[random(keys.length)]}":${value(0)}`).join(',')}}`;
      expect(red.body(body), body).toBe(JSON.stringify(red.json(JSON.parse(body))));
    }
  });

  test('a text made to slow the patterns down costs one pass', () => {
    const red = new Redactor([`Hq"7\\z%2F&<b>`, 'stub-Passw0rd!', 'another-secret-9']);
    const started = Date.now();
    for (const text of ['\\'.repeat(200_000), '%25'.repeat(100_000), '&amp;'.repeat(100_000), '\\u0048'.repeat(50_000)]) red.text(text);
    expect(Date.now() - started).toBeLessThan(2_000);
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
