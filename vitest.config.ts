import { readFileSync } from 'node:fs';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { sampleImages } from './test/sample-images';
import { buildAssets } from './scripts/build-assets';
import { startTimingSystem } from './test/timing-system';

// Real results exports, kept beside the checkout in ../shared (locally and in CI), as raw bytes:
// one of them is not valid UTF-8, which a text binding would hide.
const resultsFile = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../shared/data/results/${name}`, import.meta.url)));

// The worker's ASSETS binding serves .assets/ (CJK fonts, emoji), which a fresh clone lacks.
await buildAssets();

const timingSystem = await startTimingSystem();

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations('./migrations'),
          // The suite is a deployed portal (wrangler.toml leaves PUBLIC_URL empty for wrangler dev);
          // test/public-url.test.ts runs the worker with it empty too.
          PUBLIC_URL: 'http://localhost:8787',
          TIMING_SYSTEM_URL: timingSystem,
          // The stand-in timing system is on loopback, which URL sources may not reach otherwise.
          LOCAL_SOURCE_ORIGINS: timingSystem,
        },
        dataBlobBindings: {
          RESULTS_BOSTON_2017: resultsFile('boston2017.csv'),
          RESULTS_UTMB_2024: resultsFile('utmb2024.csv'),
          RESULTS_BERLIN_100MI_2022: resultsFile('berlin100mi_2022.csv'),
          ...(await sampleImages()),
        },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/apply-migrations.ts'],
    testTimeout: 30_000,
  },
}));
