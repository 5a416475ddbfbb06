/**
 * A failing test's `reproduce.sh`: a POSIX shell script that replays the test's own requests in
 * order (its setup included, the cleanup's after them kept apart), against the live target or
 * against `npm run stub` in stub mode, and says which answer deviated and how.
 *
 * - Base URLs are variables (`$FORTISOAR_URL`, ...) defaulting to the run's; in stub mode the run
 *   used the in-process stub (`https://*.stub.invalid`, which never resolves), so they default to
 *   `npm run stub`'s ports and the script says how to start it (with `--mutant <id>` when the run
 *   mounted a broken variant).
 * - Credentials are variables, never values: `$FORTISOAR_PASSWORD`, `$FORTISOAR_API_KEY`,
 *   `$FORTICASB_TOKEN`, `$FMBS_TOKEN`, client secrets; a token the test's worker had obtained
 *   before the test is obtained again by the script's own login step.
 * - Values the server generated in earlier answers (a created record's `@id`, a page token) are
 *   read from those answers when the script runs (jq when installed, else node), never replayed
 *   as stale literals.
 * - Whatever is left literal goes through the redactor.
 *
 * Environment-free: attachments.ts gives it the test's exchanges and the configuration.
 */
import type { Exchange } from '../client/api.ts';
import { escapeRegExp } from '../client/marker.ts';
import type { Config, ProductId } from '../config/index.ts';
import { NEWEST_FORTISOAR_VERSION, namedSecrets, PRODUCT_NAMES, PRODUCTS, URL_VARIABLE } from '../config/index.ts';
import { gist } from './findings.ts';

/** The stub's ports under `npm run stub` (src/stub/serve-cli.ts: 8400 and the next two). */
const STUB_PORTS: Record<ProductId, number> = { fortisoar: 8400, forticasb: 8401, fmbs: 8402 };

export interface ReproduceInput {
  readonly title: string;
  readonly document?: string;
  /** The failure's message (first error of the test). */
  readonly error?: string;
  /** Every exchange of the test, in order; `lastOwn` is the index of the test's last own one (the rest are its cleanup's). */
  readonly log: readonly Exchange[];
  readonly lastOwn: number;
  readonly config: Config;
  /** The broken variant of the stub the run mounted, if any. */
  readonly mutant?: string;
  /**
   * What the test changed in the in-process stub between its requests (the FMBS log grows by new
   * entries, say), each after the exchange of index `after`: a replay over HTTP cannot do it, so
   * the script says where, and that the answers after it may differ.
   */
  readonly stubChanges?: readonly { readonly after: number; readonly what: string }[];
  /** Redacts what stays literal. */
  readonly redact: (s: string) => string;
  /** True when `s` holds a secret the run knows (configured, or a token issued during the run). */
  readonly isSecret: (s: string) => boolean;
}

/** A piece of a shell word: literal text, or an expression expanded when the script runs. */
type Segment = { readonly lit: string } | { readonly expr: string };

interface Substitution {
  readonly value: string;
  readonly expr: string;
  /** Match only where the value is not part of a longer word (ids from answers). */
  readonly bounded?: boolean;
}

/** Escapes text for the inside of a double-quoted shell word. */
const dq = (s: string): string => s.replace(/[\\"$`]/g, (c) => `\\${c}`);
/** A single-quoted shell word. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function substitute(segments: Segment[], sub: Substitution): Segment[] {
  const pattern = new RegExp(sub.bounded ? `(?<![A-Za-z0-9_.~-])${escapeRegExp(sub.value)}(?![A-Za-z0-9_~-])` : escapeRegExp(sub.value), 'g');
  const out: Segment[] = [];
  for (const seg of segments) {
    if (!('lit' in seg)) {
      out.push(seg);
      continue;
    }
    let last = 0;
    for (const m of seg.lit.matchAll(pattern)) {
      if (m.index > last) out.push({ lit: seg.lit.slice(last, m.index) });
      out.push({ expr: sub.expr });
      last = m.index + m[0].length;
    }
    if (last < seg.lit.length) out.push({ lit: seg.lit.slice(last) });
  }
  return out;
}

/** A double-quoted shell word of `text` with the substitutions applied, longest value first, literals redacted. */
function word(text: string, subs: readonly Substitution[], redact: (s: string) => string): string {
  let segments: Segment[] = [{ lit: text }];
  for (const sub of [...subs].sort((a, b) => b.value.length - a.value.length)) segments = substitute(segments, sub);
  return `"${segments.map((s) => ('lit' in s ? dq(redact(s.lit)) : s.expr)).join('')}"`;
}

/** A value of an answer that later requests may carry: a string id, an IRI, a page token, a large integer id. */
interface Generated {
  readonly value: string;
  readonly path: readonly (string | number)[];
  readonly step: number;
}

function generatedValues(body: string | undefined, step: number): Generated[] {
  if (!body) return [];
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const out: Generated[] = [];
  const walk = (v: unknown, path: (string | number)[], depth: number): void => {
    if (depth > 8 || out.length > 5000) return;
    if (typeof v === 'string') {
      // Long enough not to match by chance, and safe inside a URL or a JSON string.
      if (v.length >= 6 && v.length <= 4096 && /^[A-Za-z0-9._~:/?#[\]@!$&'()*+,;=%-]+$/.test(v) && /\d/.test(v)) out.push({ value: v, path, step });
    } else if (typeof v === 'number') {
      const key = String(path.at(-1) ?? '');
      if (Number.isInteger(v) && v >= 10 && /(^|_)id$|Id$|^pk$/i.test(key)) out.push({ value: String(v), path, step });
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...path, i], depth + 1);
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
  };
  walk(json, [], 0);
  return out;
}

interface ProductVars {
  readonly id: ProductId;
  readonly base: string;
  readonly variable: string;
  /** What the script defaults the variable to. */
  readonly fallback: string;
}

/** A URL without user information (never a credential in the script). */
function withoutUser(u: string): string {
  try {
    const url = new URL(u);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return u;
  }
}

function productsOf(config: Config): ProductVars[] {
  return PRODUCTS.filter((p) => config[p]).map((p) => ({
    id: p,
    base: config[p]!.url,
    variable: URL_VARIABLE[p],
    fallback: config.target === 'stub' ? `http://127.0.0.1:${STUB_PORTS[p]}` : withoutUser(config[p]!.url),
  }));
}

/** The script. */
export function reproduceScript(input: ReproduceInput): string {
  const { config, redact } = input;
  const products = productsOf(config);
  // A throttled answer the client waited out was a refusal before acting, and its request was sent
  // again: the replay sends it once (a create sent twice would leave a record behind).
  const kept = (e: Exchange): boolean => !e.waitedOut;
  const own = input.log.slice(0, input.lastOwn + 1).filter(kept);
  const cleanup = input.log.slice(input.lastOwn + 1).filter(kept);
  /** The index among the replayed exchanges of the exchange at `i` of the log (or of the last one before it). */
  const replayed = (i: number): number => input.log.slice(0, i + 1).filter(kept).length - 1;
  // The product of a URL: the longest base URL it starts with (one base may extend another).
  const basesFirst = [...products].sort((a, b) => b.base.length - a.base.length);
  const productOf = (url: string): ProductVars | undefined => basesFirst.find((p) => url.startsWith(p.base));

  // Which answer the suite judged: the request a [status] failure names, else the test's last own one.
  const named = /request: ([A-Z]+) (\S+)/.exec(input.error ?? '');
  let judged = own.length - 1;
  if (named) {
    for (let i = own.length - 1; i >= 0; i--) {
      if (own[i].method === named[1] && redact(own[i].url) === named[2]) {
        judged = i;
        break;
      }
    }
  }

  // --- variables the script needs -----------------------------------------------------------
  const needs = new Map<string, string>(); // variable → what it is
  const defaults = new Map<string, string>(); // variable → default value
  const steps: string[] = []; // token steps first
  const fixed: Substitution[] = [];
  const use = (variable: string, what: string): string => {
    needs.set(variable, what);
    return `\${${variable}}`;
  };
  const soar = config.fortisoar;
  const casb = config.forticasb;
  const fmbs = config.fmbs;
  /** Configured secrets, by value: the variable that holds each. */
  const secretVars = new Map<string, [string, string]>();
  for (const { value, variable, what } of namedSecrets(config)) {
    fixed.push({ value, expr: `\${${variable}}` });
    secretVars.set(value, [variable, what]);
  }
  // Non-secret settings sent as whole values: the login id, FortiCASB's headers.
  const exactValues = new Map<string, string>();
  if (soar?.username) {
    defaults.set('FORTISOAR_USERNAME', soar.username);
    // Only as a whole JSON string (`"loginid":"csadmin"`): a short login could occur anywhere.
    fixed.push({ value: JSON.stringify(soar.username), expr: '\\"${FORTISOAR_USERNAME}\\"' });
  }
  if (casb) {
    for (const [header, variable, value] of [
      ['companyid', 'FORTICASB_COMPANY_ID', casb.companyId],
      ['buid', 'FORTICASB_BU_ID', casb.buId],
      ['service', 'FORTICASB_SERVICE', casb.service],
    ] as const) {
      exactValues.set(`${header}\u0000${value}`, variable);
      defaults.set(variable, value);
    }
  }
  /** Basic <base64 of id:secret> of a product's client credentials. */
  const basics = new Map<string, string>();
  for (const [c, prefix] of [
    [casb?.clientCredentials, 'FORTICASB'],
    [fmbs?.clientCredentials, 'FMBS'],
  ] as const) {
    if (!c) continue;
    defaults.set(`${prefix}_CLIENT_ID`, c.clientId);
    basics.set(Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64'), prefix);
  }

  // A token issued before the test (cached by the worker) is obtained again by the script.
  const tokenSteps = new Set<ProductId>();
  const tokenVariable: Record<ProductId, string> = { fortisoar: 'FORTISOAR_TOKEN', forticasb: 'FORTICASB_ACCESS_TOKEN', fmbs: 'FMBS_ACCESS_TOKEN' };

  // --- the requests ---------------------------------------------------------------------------
  const generated: Generated[] = [];
  const sent: string[] = [];
  const extractions = new Map<string, { variable: string; step: number; path: readonly (string | number)[] }>();
  let needsUri = false;
  const lines: string[] = [];
  const all = [...own, ...cleanup];
  const bodies = all.map((e) => e.responseBody);

  const requestLines = (e: Exchange, n: number): string[] => {
    const product = productOf(e.url);
    // Values generated by earlier answers and not sent by the test before them.
    const subs: Substitution[] = [...fixed];
    for (const g of generated) {
      if (g.step >= n) continue;
      const text = `${e.url}\n${e.requestBody ?? ''}\n${Object.values(e.requestHeaders).join('\n')}`;
      const encoded = new URLSearchParams({ v: g.value }).toString().slice(2);
      const plain = text.includes(g.value);
      const inUrl = encoded !== g.value && e.url.includes(encoded);
      if (!plain && !inUrl) continue;
      let x = extractions.get(g.value);
      if (!x) {
        x = { variable: `V${extractions.size + 1}`, step: g.step, path: g.path };
        extractions.set(g.value, x);
      }
      if (plain) subs.push({ value: g.value, expr: `\${${x.variable}}`, bounded: true });
      if (inUrl) {
        needsUri = true;
        subs.push({ value: encoded, expr: `$(uri "\${${x.variable}}")`, bounded: true });
      }
    }
    const url = product
      ? `\${${product.variable}}${word(e.url.slice(product.base.length), subs, redact).slice(1, -1)}`
      : word(e.url, subs, redact).slice(1, -1);
    const args = [`-X ${e.method} "${url}"`];
    for (const [name, value] of Object.entries(e.requestHeaders)) {
      const lower = name.toLowerCase();
      let expr: string | undefined;
      const exact = exactValues.get(`${lower}\u0000${value}`);
      if (exact) expr = use(exact, `the ${name} header`);
      else if (lower === 'authorization') {
        const [scheme, credential = ''] = value.split(/\s+(.*)/s);
        const fromAnswer = subs.find((s) => s.bounded && s.value === credential);
        if (/^basic$/i.test(scheme) && basics.has(credential)) {
          const prefix = basics.get(credential)!;
          use(`${prefix}_CLIENT_ID`, `the ${prefix === 'FMBS' ? 'FMBS' : 'FortiCASB'} client id`);
          use(`${prefix}_CLIENT_SECRET`, 'its secret');
          expr = `${scheme} $(printf '%s:%s' "\${${prefix}_CLIENT_ID}" "\${${prefix}_CLIENT_SECRET}" | base64 | tr -d '\\n')`;
        } else if (secretVars.has(credential)) {
          const [variable, what] = secretVars.get(credential)!;
          expr = `${scheme} ${use(variable, what)}`;
        } else if (fromAnswer) expr = `${scheme} ${fromAnswer.expr}`;
        else if (credential && input.isSecret(credential) && product) {
          // Issued before this test: the script logs in itself.
          tokenSteps.add(product.id);
          expr = `${scheme} \${${tokenVariable[product.id]}}`;
        }
      }
      args.push(`-H ${expr !== undefined ? `"${name}: ${expr}"` : word(`${name}: ${value}`, subs, redact)}`);
    }
    if (e.requestBody !== undefined) args.push(`--data-raw ${word(e.requestBody, subs, redact)}`);
    for (const s of subs) {
      const v = secretVars.get(s.value);
      if (v && `${e.url}\n${e.requestBody ?? ''}`.includes(s.value)) use(v[0], v[1]);
    }
    if (soar?.username && (e.requestBody ?? '').includes(JSON.stringify(soar.username))) use('FORTISOAR_USERNAME', 'the FortiSOAR login');
    // The step's label: its path, with the generated values named after their variables.
    const labelSubs = subs.filter((x) => x.bounded).map((x) => ({ ...x, expr: `{${/\$\{(V\d+)\}/.exec(x.expr)?.[1] ?? 'value'}}` }));
    const relativeUrl = e.url.slice(product ? product.base.length : 0) || '/';
    const shown = relativeUrl.length > 120 ? `${relativeUrl.slice(0, 120)}…` : relativeUrl;
    const path = word(shown, labelSubs, redact).slice(1, -1).replace(/\\(.)/g, '$1');
    const recorded = e.error ? 'no answer' : String(e.status ?? '?');
    const out = [`# ${n}. ${e.method} ${path} — in the test: ${recorded}${n - 1 === judged ? '  <-- the answer the suite judged' : ''}`];
    out.push(`call ${n} ${sq(`${e.method} ${path}`)} ${sq(recorded)} \\\n  ${args.join(' \\\n  ')}`);
    return out;
  };

  const changes = (input.stubChanges ?? []).map((c) => ({ ...c, after: replayed(c.after) })).filter((c) => c.after < own.length);
  const changeLines = (i: number): string[] =>
    changes
      .filter((c) => c.after === i - 1)
      .flatMap((c) => [
        `# Here the test changed the in-process stub: ${c.what}.`,
        `echo ${sq(`-- Here the test changed the in-process stub (${c.what}); a replay over HTTP cannot, so the answers after this may differ from the test's.`)}`,
      ]);
  all.forEach((e, i) => {
    const n = i + 1;
    if (i < own.length) lines.push(...changeLines(i));
    if (i === own.length && cleanup.length) {
      lines.push(
        '',
        `# --- The test's cleanup (not part of the check; REPRODUCE_KEEP=1 leaves what the steps above created) ---`,
        'if [ "${REPRODUCE_KEEP:-0}" != 1 ]; then',
      );
    }
    const block = requestLines(e, n);
    // Read the generated values the later requests need right after their answer (below).
    lines.push(...(i >= own.length ? block.map((l) => `  ${l.replace(/\n/g, '\n  ')}`) : block));
    lines.push(`@@EXTRACT ${n}@@`);
    if (i === judged) lines.push(`@@JUDGED@@`);
    // An answer's values the test had not sent before (an echo of its own data is not generated).
    sent.push(e.url, e.requestBody ?? '', ...Object.values(e.requestHeaders));
    const sentText = sent.join('\n');
    const known = new Set(generated.map((g) => g.value));
    for (const g of generatedValues(bodies[i], n)) {
      if (known.has(g.value) || sentText.includes(g.value)) continue;
      known.add(g.value);
      generated.push(g);
    }
  });
  if (cleanup.length) lines.push('fi');

  // Extractions go right after the answer they read.
  const text = lines.join('\n');
  const extractLines = (n: number): string[] =>
    [...extractions.values()]
      .filter((x) => x.step === n && text.includes(`{${x.variable}}`))
      .map((x) => `${x.variable}=$(json_get "$dir/${n}" ${sq(JSON.stringify(x.path))})  # ${x.path.join('.')} of answer ${n}`);
  const failureLines = gist(input.error, 400);
  const body: string[] = [];
  for (const l of lines) {
    const m = /^( *)@@EXTRACT (\d+)@@$/.exec(l);
    if (m) body.push(...extractLines(Number(m[2])).map((x) => `${m[1]}${x}`));
    else if (l === '@@JUDGED@@') {
      body.push(
        `echo '--- Step ${judged + 1} is the answer the suite judged. In the test it was judged:'`,
        "cat <<'END_OF_FAILURE'",
        ...failureLines.map((f) => `  ${redact(f)}`),
        'END_OF_FAILURE',
        `echo '--- Its answer now (first 2000 bytes):'; head -c 2000 "$dir/${judged + 1}"; echo`,
      );
    } else body.push(l);
  }

  // --- the token steps ------------------------------------------------------------------------
  if (tokenSteps.has('fortisoar') && soar) {
    if (soar.username && soar.password) {
      use('FORTISOAR_USERNAME', 'the FortiSOAR login');
      use('FORTISOAR_PASSWORD', 'the password of FORTISOAR_USERNAME');
      steps.push(
        '# The test used the token its worker had obtained before it: log in again (POST /auth/authenticate).',
        `login=$(printf '{"credentials":{"loginid":%s,"password":%s}}' "$(json_str "$FORTISOAR_USERNAME")" "$(json_str "$FORTISOAR_PASSWORD")")`,
        `curl -sS $insecure -o "$dir/login" -X POST "\${FORTISOAR_URL}/auth/authenticate" -H 'content-type: application/json' --data-raw "$login" || true`,
        `FORTISOAR_TOKEN=$(json_get "$dir/login" '["token"]')`,
        `[ -n "$FORTISOAR_TOKEN" ] || { echo "reproduce.sh: the login was refused: $(head -c 300 "$dir/login")" >&2; exit 1; }`,
        '',
      );
    }
  }
  for (const [p, prefix, c] of [
    ['forticasb', 'FORTICASB', casb?.clientCredentials],
    ['fmbs', 'FMBS', fmbs?.clientCredentials],
  ] as const) {
    if (!tokenSteps.has(p) || !c) continue;
    const product = products.find((x) => x.id === p)!;
    const tokenUrl = c.tokenUrl.startsWith(product.base) ? `\${${product.variable}}${c.tokenUrl.slice(product.base.length)}` : c.tokenUrl;
    use(`${prefix}_CLIENT_ID`, `the ${PRODUCT_NAMES[p]} client id`);
    use(`${prefix}_CLIENT_SECRET`, 'its secret');
    steps.push(
      `# The test used the token its worker had obtained before it: obtain one (OAuth2 client credentials).`,
      `curl -sS $insecure -o "$dir/${p}-token" -X POST "${tokenUrl}" -H "Authorization: Basic $(printf '%s:%s' "\${${prefix}_CLIENT_ID}" "\${${prefix}_CLIENT_SECRET}" | base64 | tr -d '\\n')" -H 'content-type: application/x-www-form-urlencoded' --data-raw 'grant_type=client_credentials' || true`,
      `${tokenVariable[p]}=$(json_get "$dir/${p}-token" '["access_token"]')`,
      `[ -n "$${tokenVariable[p]}" ] || { echo "reproduce.sh: no token: $(head -c 300 "$dir/${p}-token")" >&2; exit 1; }`,
      '',
    );
  }

  // --- the header ---------------------------------------------------------------------------
  const used = new Set(products.filter((p) => all.some((e) => e.url.startsWith(p.base))));
  const stub = config.target === 'stub';
  const header = [
    '#!/bin/sh',
    `# Reproduces: ${input.title}`,
    ...(input.document ? [`# Document:   ${input.document}`] : []),
    '#',
    '# The test failed:',
    ...failureLines.map((l) => `#   ${redact(l)}`),
    `# The answer the suite judged is step ${judged + 1} of ${own.length}${cleanup.length ? ` (then ${cleanup.length} cleanup request(s))` : ''}: the script shows it, and what was reported.`,
    ...changes.map(
      (c) =>
        `# ${c.after < 0 ? 'Before step 1' : `Between steps ${c.after + 1} and ${c.after + 2}`} the test changed the in-process stub (${c.what}); no request can do that, so from there the replay may not show the deviation: the test's own answers are in its exchanges.json.`,
    ),
    '#',
  ];
  // A run against an older FortiSOAR (FORTISOAR_VERSION) replays against a stub answering as it.
  const soarVersion =
    [...used].some((p) => p.id === 'fortisoar') && config.fortisoar && config.fortisoar.version !== NEWEST_FORTISOAR_VERSION
      ? config.fortisoar.version
      : undefined;
  if (stub) {
    header.push(
      `# Recorded against the built-in stub, mounted in-process at ${[...used].map((p) => p.base).join(', ')} (a host that`,
      `# never resolves)${input.mutant ? `, with its broken variant "${input.mutant}"` : ''}. To replay it against the same stub over HTTP:`,
      `#   1. in another terminal: npm run stub -- ${input.mutant ? `--mutant ${input.mutant} ` : ''}${soarVersion ? `--fortisoar-version ${soarVersion} ` : ''}--settings-file .stub/settings.env`,
      '#   2. sh reproduce.sh .stub/settings.env',
      `# (or export ${[...used].map((p) => p.variable).join(', ')} and the credentials npm run stub prints: ${[...needs.keys()].join(', ') || 'none needed'}).`,
    );
  } else {
    header.push(
      `# Recorded against ${[...used].map((p) => `${p.variable}=${redact(p.fallback)}`).join(', ')} (the defaults below).`,
      `# Set the credentials first: ${[...needs.keys()].join(', ') || 'none needed'}; the arguments may name a file of settings to source (.env).`,
    );
  }
  header.push(
    "# It sends the requests again, in order, and prints each answer's status beside the one the test got.",
    '# Needs curl, and jq (or else node) to read the ids earlier answers generated.',
    '',
    'set -eu',
    'if [ $# -gt 0 ]; then set -a; . "$1"; set +a; fi',
    ...[...used].map((p) => `: "\${${p.variable}:=${dq(redact(p.fallback))}}"`),
    ...[...defaults].filter(([k]) => needs.has(k)).map(([k, v]) => `: "\${${k}:=${dq(redact(v))}}"`),
    `insecure=; [ "\${CONFORMANCE_INSECURE_TLS:-${config.insecureTls ? 1 : 0}}" = 1 ] && insecure=-k`,
    ...[...needs]
      .filter(([k]) => !defaults.has(k))
      .map(([k, what]) => `[ -n "\${${k}:-}" ] || { echo "reproduce.sh: set ${k} (${what})${stub ? ': npm run stub prints it' : ''}" >&2; exit 2; }`),
    'dir=$(mktemp -d); trap \'rm -rf "$dir"\' EXIT',
    '',
    '# json_get FILE PATH: the value at PATH (a JSON array of keys) in an answer; jq when installed, else node.',
    'json_get() {',
    '  if command -v jq >/dev/null 2>&1; then jq -r --argjson p "$2" \'getpath($p) // empty | if type == "string" then . else tojson end\' "$1" 2>/dev/null || true',
    '  else node -e \'let v; try { v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); for (const k of JSON.parse(process.argv[2])) v = v?.[k]; } catch {} if (v !== undefined && v !== null) process.stdout.write(typeof v === "string" ? v : JSON.stringify(v))\' "$1" "$2"; fi',
    '}',
    ...(tokenSteps.has('fortisoar') ? ['json_str() { node -e \'process.stdout.write(JSON.stringify(process.argv[1]))\' "$1"; }'] : []),
    ...(needsUri ? ['uri() { node -e \'process.stdout.write(new URLSearchParams({ v: process.argv[1] }).toString().slice(2))\' "$1"; }'] : []),
    '# call N WHAT STATUS_IN_THE_TEST CURL_ARGUMENTS...: sends one request, keeps its answer in $dir/N.',
    'call() {',
    '  n=$1; what=$2; recorded=$3; shift 3',
    '  status=$(curl -sS $insecure -o "$dir/$n" -w \'%{http_code}\' "$@") || status="no answer"',
    '  [ -f "$dir/$n" ] || : > "$dir/$n"',
    '  if [ "$status" = "$recorded" ]; then mark=; else mark="  (differs)"; fi',
    '  echo "$n. $what -> $status (in the test: $recorded)$mark"',
    '}',
    '',
  );
  return `${renumber([...header, ...steps, ...body].join('\n'))}\n`;
}

/** Names the variables of generated values V1, V2, ... in the order the script reads them. */
function renumber(script: string): string {
  const order = [...script.matchAll(/^ *(V\d+)=\$\(json_get/gm)].map((m) => m[1]);
  const names = new Map(order.map((v, i) => [v, `V${i + 1}`]));
  return script.replace(/\bV\d+\b/g, (v) => names.get(v) ?? v);
}
