/**
 * allure-playwright, grouping the Allure report the way the suite reads: product → operation →
 * status, each test showing the document section it enforces.
 *
 * allure-playwright builds its suites from the project, the file and the describe blocks: every
 * test of a product sat under one node. It takes labels from annotations whose type is
 * `allure.label.<name>` (allure-js-commons `getMetadataLabel`), a `description` annotation as
 * the test's description, and keeps labels set that way over its defaults. So each test is handed
 * to it with those annotations added (a view of the test case; the test case itself, which the
 * other reporters read, is left as it is):
 * - parentSuite = the product, suite = `METHOD /path`, subSuite = `→ <status>` (parseTitle);
 * - epic = the product, feature = the document section, story = `METHOD /path`: the Behaviors
 *   tab then reads as the documents' table of contents;
 * - the description names the document section, the safety class, the paging mode and the
 *   test's location (the operation in `specs/<product>.yaml`).
 *
 * It also runs under `playwright merge-reports` (the merge of a sharded run): allure-playwright
 * 3.12 reads `config.projects[0].outputDir` in `onConfigure`; when merging blob reports,
 * Playwright configures the reporters before any project is known, so the read throws (the same
 * class of failure as microsoft/playwright#29279). The directories it reads there only serve to
 * pair visual-comparison snapshots with their diffs, which API tests never produce, so an empty
 * project list is tolerated.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FullConfig } from '@playwright/test';
import type { Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';
import { AllureReporter } from 'allure-playwright';
import { PRODUCT_NAMES } from '../config/index.ts';
import { parseTitle, productOfTags } from './summary.ts';

type Annotation = { type: string; description?: string };

/** The annotations Allure reads for a test: its own, plus labels and a description made from its title, tags and annotations. */
export function allureAnnotations(test: Pick<TestCase, 'title' | 'tags' | 'annotations' | 'location'>, rootDir = process.cwd()): Annotation[] {
  const own = test.annotations;
  const note = (type: string): string | undefined => own.find((a) => a.type === type)?.description;
  const product = productOfTags(test.tags);
  const name = product ? PRODUCT_NAMES[product] : undefined;
  const { method, path, status } = parseTitle(test.title);
  const operation = method ? `${method} ${path}` : undefined;
  const document = note('document');
  const label = (l: string, value: string | undefined): Annotation[] => (value ? [{ type: `allure.label.${l}`, description: value }] : []);
  const location = `${relative(rootDir, test.location.file) || test.location.file}:${test.location.line}`;
  const description = [
    document ? `**Document:** ${document}` : undefined,
    note('safety') ? `**Safety:** ${note('safety')}` : undefined,
    note('paging') ? `**Paging:** ${note('paging')}` : undefined,
    note('since') ? `**Since:** FortiSOAR ${note('since')}` : undefined,
    `**Location:** \`${location}\``,
  ].filter(Boolean);
  return [
    ...own.filter((a) => a.type !== 'description'),
    ...label('parentSuite', name),
    ...label('suite', operation ?? (name ? `${name} preflight` : undefined)),
    ...label('subSuite', status ? `→ ${status}` : undefined),
    ...label('epic', name),
    ...label('feature', document),
    ...label('story', operation),
    { type: 'description', description: [note('description'), ...description].filter(Boolean).join('\n\n') },
  ];
}

/** The test case as Allure should see it: the same object, with `annotations` extended. */
function withLabels(test: TestCase): TestCase {
  const annotations = allureAnnotations(test);
  return new Proxy(test, {
    get(target, key) {
      if (key === 'annotations') return annotations;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Allure's results written as allure-js-commons' FileSystemWriter writes them (the same names,
 * each file written aside and renamed into place), without its `fsync` of every file: durability
 * against a power cut, which a report does not need, at about 1 ms a file in the runner's event
 * loop. A stub run writes 310 files, 0.37 s of the runner's time (issue 14). allure-playwright
 * always makes its own writer, so this one replaces it once the run begins.
 */
export class ResultsWriter implements Writer {
  constructor(private readonly dir: string) {}

  private publish(name: string, write: (path: string) => void): void {
    mkdirSync(this.dir, { recursive: true });
    const aside = join(this.dir, `.allure-write-${randomUUID()}.tmp`);
    try {
      write(aside);
      renameSync(aside, join(this.dir, name));
    } catch (e) {
      rmSync(aside, { force: true });
      throw e;
    }
  }

  writeResult(result: Parameters<Writer['writeResult']>[0]): void {
    this.publish(`${result.uuid}-result.json`, (p) => writeFileSync(p, JSON.stringify(result)));
  }
  writeGroup(result: Parameters<Writer['writeGroup']>[0]): void {
    this.publish(`${result.uuid}-container.json`, (p) => writeFileSync(p, JSON.stringify(result)));
  }
  writeAttachment(name: string, content: Buffer): void {
    this.publish(name, (p) => writeFileSync(p, content));
  }
  writeAttachmentFromPath(name: string, from: string): void {
    this.publish(name, (p) => copyFileSync(from, p));
  }
  writeEnvironmentInfo(info: Parameters<Writer['writeEnvironmentInfo']>[0]): void {
    this.publish('environment.properties', (p) => writeFileSync(p, stringifyEnvInfo(info)));
  }
  writeCategoriesDefinitions(categories: Parameters<Writer['writeCategoriesDefinitions']>[0]): void {
    this.publish('categories.json', (p) => writeFileSync(p, JSON.stringify(categories)));
  }
  writeGlobals(name: string, info: Parameters<Writer['writeGlobals']>[1]): void {
    this.publish(name, (p) => writeFileSync(p, JSON.stringify(info)));
  }
}

export default class ConformanceAllureReporter extends AllureReporter {
  private readonly views = new WeakMap<TestCase, TestCase>();

  private view(test: TestCase): TestCase {
    let v = this.views.get(test);
    if (!v) this.views.set(test, (v = withLabels(test)));
    return v;
  }

  override onConfigure(config: FullConfig): void {
    if (config.projects.length > 0) {
      super.onConfigure(config);
      return;
    }
    this.config = config;
    this.outputDir = undefined;
    this.snapshotDir = undefined;
  }

  override onBegin(suite: Suite): void {
    super.onBegin(suite);
    // allure-playwright keeps its runtime in a private field; should it move, its own writer stays.
    const runtime = (this as unknown as { allureRuntime?: { writer?: Writer } }).allureRuntime;
    if (runtime?.writer) runtime.writer = new ResultsWriter(this.options.resultsDir ?? 'allure-results');
  }

  override onTestBegin(test: TestCase): void {
    super.onTestBegin(this.view(test));
  }

  override onTestEnd(test: TestCase, result: TestResult): Promise<void> {
    return super.onTestEnd(this.view(test), result);
  }
}
