/**
 * What `--list` prints (issue 12, point 3): Playwright's list lines, each test at its place in
 * the spec (`specs/fortisoar.yaml:364:15`), followed by the document section it enforces, so the
 * list reads as the coverage table. playwright.config.ts uses it alone when listing: the other
 * reporters run in list mode too and would overwrite the last run's HTML, JUnit and Allure
 * results with tests that did not run.
 */
import { relative } from 'node:path';
import type { FullConfig, Suite } from '@playwright/test/reporter';

/** One test's line: `  [project] › file:line:column › title — document › section`. */
export function listLine(
  t: { titlePath(): string[]; location: { file: string; line: number; column: number }; annotations: readonly { type: string; description?: string }[] },
  rootDir: string,
): string {
  const [, project, , ...titles] = t.titlePath();
  const location = `${relative(rootDir, t.location.file) || t.location.file}:${t.location.line}:${t.location.column}`;
  const document = t.annotations.find((a) => a.type === 'document')?.description;
  return `  ${project ? `[${project}] › ` : ''}${location} › ${titles.join(' › ')}${document ? ` — ${document}` : ''}`;
}

export default class ConformanceListReporter {
  private rootDir = process.cwd();

  version(): 'v2' {
    return 'v2';
  }

  printsToStdio(): boolean {
    return true;
  }

  onConfigure(config: FullConfig): void {
    this.rootDir = config.rootDir;
  }

  onBegin(suite: Suite): void {
    const tests = suite.allTests();
    const lines = ['Listing tests:', ...tests.map((t) => listLine(t, this.rootDir))];
    const files = new Set(tests.map((t) => t.location.file));
    lines.push(`Total: ${tests.length} ${tests.length === 1 ? 'test' : 'tests'} in ${files.size} ${files.size === 1 ? 'file' : 'files'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  onError(error: { message?: string; value?: string }): void {
    process.stderr.write(`\n${error.message ?? error.value ?? 'error'}\n`);
  }
}
