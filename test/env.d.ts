import type { D1Migration } from 'cloudflare:test';
import type { Env as AppBindings } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends AppBindings {
      TEST_MIGRATIONS: D1Migration[];
      /** Real results files from ../shared/data/results, see vitest.config.ts. */
      RESULTS_BOSTON_2017: ArrayBuffer;
      RESULTS_UTMB_2024: ArrayBuffer;
      RESULTS_BERLIN_100MI_2022: ArrayBuffer;
      /** Uploads as an organiser would make them, see test/sample-images.ts. */
      SAMPLE_PHOTO_JPEG: ArrayBuffer;
      SAMPLE_LOGO_PNG: ArrayBuffer;
      /** A real HTTP server on loopback that serves results files, see test/timing-system.ts. */
      TIMING_SYSTEM_URL: string;
    }
  }
}
