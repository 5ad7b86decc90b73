// `node --import ./scripts/workerd-modules/register.mjs`: lets Node load the worker's modules the way
// wrangler bundles them (see the rules in wrangler.toml), so the benchmark can run the renderer itself.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
