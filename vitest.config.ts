import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installs missing system programs (promtool, chromium, redis-server) as root, else fails naming the command.
    globalSetup: ['test/setup/system-deps.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
