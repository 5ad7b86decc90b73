/** `npm run token:create -- --email E [--remote]`: prints a new organiser API token, stored hashed. */
import { parseArgs } from 'node:util';
import { newApiToken } from '../src/auth/tokens';
import { runD1, sqlText } from './d1-command';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string', default: 'command line' },
    remote: { type: 'boolean', default: false },
  },
});
if (!values.email) {
  console.error('Usage: npm run token:create -- --email organiser@example.com [--name "Timing system"] [--remote]');
  process.exit(2);
}
const email = values.email.trim().toLowerCase();
const { token, tokenHash } = await newApiToken();
const inserted = runD1(
  `INSERT INTO api_tokens (organiser_id, name, token_hash)
   SELECT id, ${sqlText(values.name!)}, ${sqlText(tokenHash)} FROM organisers WHERE email = ${sqlText(email)}
   RETURNING id`,
  values.remote!,
);
if (inserted.length === 0) {
  console.error(`No organiser with email ${email}. Create one with npm run organiser:create.`);
  process.exit(1);
}
console.log(token);
