/**
 * allure-playwright, able to run under `playwright merge-reports` (the merge of a sharded run).
 *
 * allure-playwright 3.12 reads `config.projects[0].outputDir` in `onConfigure`; when merging
 * blob reports, Playwright configures the reporters before any project is known, so the read
 * throws (the same class of failure as microsoft/playwright#29279), which turns into an error of
 * the merged run. The directories it reads there only serve to pair visual-comparison snapshots
 * with their diffs, which API tests never produce, so an empty project list is tolerated.
 */
import type { FullConfig } from '@playwright/test';
import { AllureReporter } from 'allure-playwright';

export default class ConformanceAllureReporter extends AllureReporter {
  override onConfigure(config: FullConfig): void {
    if (config.projects.length > 0) {
      super.onConfigure(config);
      return;
    }
    this.config = config;
    this.outputDir = undefined;
    this.snapshotDir = undefined;
  }
}
