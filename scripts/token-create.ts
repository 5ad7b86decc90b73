/**
 * `npm run token:create -- --email E [--name N] [--expires 30|90|365|never] [--event SLUG] [--remote]`:
 * prints a new organiser API token, stored hashed. It expires as one made in the admin does (90 days
 * unless told), and may use all the organiser's events, or with `--event` only that one.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN_LIFETIME, newApiToken, tokenExpiry, tokenLifetimeSchema } from '../src/auth/tokens';
import { runD1, sqlText } from './d1-command';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string', default: 'command line' },
    expires: { type: 'string', default: DEFAULT_TOKEN_LIFETIME },
    event: { type: 'string' },
    remote: { type: 'boolean', default: false },
  },
});
const lifetime = tokenLifetimeSchema.safeParse(values.expires);
if (!values.email || !lifetime.success) {
  console.error(
    'Usage: npm run token:create -- --email organiser@example.com [--name "Timing system"] [--expires 30|90|365|never] [--event event-slug] [--remote]',
  );
  process.exit(2);
}
const email = values.email.trim().toLowerCase();
const { token, tokenHash } = await newApiToken();
const expiresAt = tokenExpiry(lifetime.data);
// With --event, the organiser's event of that address, or no row at all (so nothing is inserted).
const scope = values.event
  ? `JOIN events ON events.organiser_id = organisers.id AND events.slug = ${sqlText(values.event)}`
  : '';
const inserted = runD1(
  `INSERT INTO api_tokens (organiser_id, name, token_hash, expires_at, event_id)
   SELECT organisers.id, ${sqlText(values.name!)}, ${sqlText(tokenHash)}, ${expiresAt ? expiresAt.getTime() : 'NULL'},
     ${values.event ? 'events.id' : 'NULL'}
   FROM organisers ${scope} WHERE organisers.email = ${sqlText(email)}
   RETURNING id`,
  values.remote!,
);
if (inserted.length === 0) {
  console.error(
    values.event
      ? `No organiser with email ${email} who has an event "${values.event}".`
      : `No organiser with email ${email}. Create one with npm run organiser:create.`,
  );
  process.exit(1);
}
if (values.event) console.error(`For the event "${values.event}" only.`);
console.error(expiresAt ? `Expires on ${expiresAt.toISOString().slice(0, 10)}.` : 'Does not expire.');
console.log(token);
