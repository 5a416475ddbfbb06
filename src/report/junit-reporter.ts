/**
 * JUnit XML (`reports/junit.xml`) that CI dashboards count right: a conformance finding (a check
 * found the server deviating from a document: a stage prefix, findings.ts) is a `<failure>`, and
 * `<error>` is kept for an error of the suite itself (a crash, a timeout). Its counts are the
 * conformance summary's: tests = total, failures + errors = failed, skipped = skipped.
 *
 * Why our own: Playwright's junit reporter files every error whose message is not an
 * `expect(...)` matcher's as `<error>` (`classifyResultError` in playwright/lib/runner), so every
 * conformance finding became an error (`failures="0" errors="3"`), and it has no option to
 * change that. Rewriting its file afterwards would depend on the order in which reporters end;
 * writing the file here does not.
 *
 * Each test case carries its document section (and its safety class, paging mode, version)
 * as `<properties>`, its location in `file`, and its product and operation in `classname`, so a
 * dashboard groups product → operation. Results reach this reporter already redacted by the
 * conformance reporter, which runs first.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { FullConfig, FullResult, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { PRODUCT_NAMES, type ProductId } from '../config/index.ts';
import { failureKind, plainMessage, stageOf } from './findings.ts';
import { annotationsOf, parseTitle, productOfTags, skipReasonOf } from './summary.ts';

interface Options {
  /** Where to write, relative to the configuration's directory; without it the XML goes to stdout. */
  readonly outputFile?: string;
  // Passed by Playwright to every reporter.
  readonly configDir?: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 does not allow
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/g;
const attr = (s: string | number): string =>
  String(s)
    .replace(NOT_XML, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const cdata = (s: string): string => `<![CDATA[${s.replace(NOT_XML, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

/** `<product name> › <METHOD path>` (a test that is not a conformance case: `<product name> › <its project>`). */
function classnameOf(t: TestCase): string {
  const product = productOfTags(t.tags) ?? t.parent.project()?.name ?? '';
  const name = PRODUCT_NAMES[product as ProductId] ?? product;
  const { method, path } = parseTitle(t.title);
  return `${name} › ${method ? `${method} ${path}` : (t.parent.project()?.name.split(':')[1] ?? t.parent.title)}`;
}

/**
 * `base`: the directory attachment paths are relative to (the XML file's, as Playwright's JUnit
 * reporter has them); `root`: the directory locations are relative to (the repository:
 * `specs/fortisoar.yaml`).
 */
export function testcaseXml(t: TestCase, base: string, counts: Counts, root = base): string {
  const results = t.results;
  const last: TestResult | undefined = results.at(-1);
  const ms = results.reduce((sum, r) => sum + r.duration, 0);
  counts.tests++;
  counts.ms += ms;
  const file = relative(root, t.location.file) || t.location.file;
  const out: string[] = [
    `<testcase name="${attr(t.title)}" classname="${attr(classnameOf(t))}" time="${seconds(ms)}" file="${attr(file)}" line="${t.location.line}">`,
  ];
  const annotations = annotationsOf(t);
  const properties = [
    ...annotations.filter((a) => a.type !== 'skip' && a.type !== 'fixme').map((a) => [a.type, a.description ?? ''] as const),
    ['location', `${file}:${t.location.line}`] as const,
    ...(results.length > 1 ? [['retries', String(results.length - 1)] as const] : []),
  ];
  out.push('<properties>', ...properties.map(([name, value]) => `<property name="${attr(name)}" value="${attr(value)}"/>`), '</properties>');

  const outcome = t.outcome();
  if (outcome === 'skipped') {
    counts.skipped++;
    out.push(`<skipped message="${attr(skipReasonOf(annotations) ?? 'not run')}"/>`);
  } else if (outcome === 'unexpected') {
    const errors = last?.errors ?? [];
    const first = errors[0]?.message ?? errors[0]?.value;
    const message = plainMessage(first);
    const kind = failureKind(first);
    const element = kind === 'finding' ? 'failure' : 'error';
    if (kind === 'finding') counts.failures++;
    else counts.errors++;
    const type = stageOf(first) ?? /^\s*([A-Za-z]*Error):/.exec(first ?? '')?.[1] ?? (first === undefined ? `status ${last?.status}` : 'Error');
    const text = errors.map((e) => plainMessage(e.stack ?? e.message ?? e.value)).join('\n\n');
    const firstLine = message.split('\n')[0] || `the test ended ${last?.status ?? 'unexpectedly'}`;
    out.push(`<${element} message="${attr(firstLine)}" type="${attr(type)}">${cdata(text || firstLine)}</${element}>`);
  }

  const stdout = (last?.stdout ?? []).map((c) => c.toString());
  for (const a of last?.attachments ?? []) if (a.path) stdout.push(`\n[[ATTACHMENT|${relative(base, a.path)}]]\n`);
  const stderr = (last?.stderr ?? []).map((c) => c.toString());
  if (stdout.length) out.push(`<system-out>${cdata(stdout.join(''))}</system-out>`);
  if (stderr.length) out.push(`<system-err>${cdata(stderr.join(''))}</system-err>`);
  out.push('</testcase>');
  return out.join('\n');
}

/**
 * The JUnit document of a run: one `<testsuite>` per project, `base` the directory attachment
 * paths are relative to, `locations` the one test locations are relative to.
 */
export function junitXml(root: Suite, durationMs: number, base: string, timestamp = new Date(), locations = base): string {
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  const suites: string[] = [];
  for (const project of root.suites) {
    const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
    const cases = project.allTests().map((t) => testcaseXml(t, base, counts, locations));
    if (!cases.length) continue;
    for (const k of ['tests', 'failures', 'errors', 'skipped'] as const) total[k] += counts[k];
    suites.push(
      `<testsuite name="${attr(project.title)}" timestamp="${timestamp.toISOString()}" hostname="${attr(project.title)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(counts.ms)}">`,
      ...cases,
      '</testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="conformance" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${seconds(durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export default class ConformanceJUnitReporter {
  private readonly outputFile?: string;
  private readonly configDir: string;
  private suite?: Suite;
  private started = new Date();

  constructor(options: Options = {}) {
    this.configDir = options.configDir ?? process.cwd();
    this.outputFile = options.outputFile ? resolve(this.configDir, options.outputFile) : undefined;
  }

  version(): 'v2' {
    return 'v2';
  }

  printsToStdio(): boolean {
    return !this.outputFile;
  }

  onConfigure(_config: FullConfig): void {}

  onBegin(suite: Suite): void {
    this.suite = suite;
    this.started = new Date();
  }

  async onEnd(result: FullResult): Promise<void> {
    if (!this.suite) return;
    const base = this.outputFile ? dirname(this.outputFile) : this.configDir;
    const xml = junitXml(this.suite, result.duration, base, this.started, this.configDir);
    if (!this.outputFile) {
      process.stdout.write(xml);
      return;
    }
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, xml);
  }
}
