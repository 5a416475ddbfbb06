/** The project's own unit tests (tests/self): spec and schema validity, config, redaction, stub. */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/self',
  testMatch: '**/*.test.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: { trace: 'off' },
});
