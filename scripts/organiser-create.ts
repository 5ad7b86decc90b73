/**
 * `npm run organiser:create -- --email E --password P [--remote | --persist-to DIR]`: creates an
 * organiser (or sets a new password for an existing one) in the local D1, or in production with
 * --remote. --persist-to uses the local state in DIR instead of .wrangler/state, as `wrangler dev
 * --persist-to DIR` does.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword, newPasswordSchema } from '../src/auth/password';
import { runD1, sqlText } from './d1-command';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    remote: { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
  },
});
if (values.remote && values['persist-to']) {
  console.error('--persist-to is for the local database; it cannot go with --remote.');
  process.exit(2);
}
const input = z
  .object({
    email: z.string().trim().toLowerCase().email('Give an email address.'),
    password: newPasswordSchema,
  })
  .safeParse(values);
if (!input.success) {
  console.error(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  process.exit(2);
}
const { email, password } = input.data;
runD1(
  `INSERT INTO organisers (email, password_hash) VALUES (${sqlText(email)}, ${sqlText(await hashPassword(password))})
   ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash`,
  values.remote!,
  values['persist-to'],
);
console.log(`Organiser ${email} can sign in at /admin/sign-in (${values.remote ? 'production' : 'local'}).`);
