import { z } from 'zod';
import { sourceAddressProblem } from './address';

const name = z.string().trim().min(1, 'Name the source.').max(80);

/**
 * A source as the organiser adds or edits it: an uploaded results file, or an address to pull,
 * which must be one the portal may reach (address.ts; `localOrigins` from LOCAL_SOURCE_ORIGINS).
 */
export const sourceInputSchema = (localOrigins?: ReadonlySet<string>) =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('upload'), name }),
    z.object({
      kind: z.literal('url'),
      name,
      url: z
        .string()
        .trim()
        .max(2000, 'The address is too long.')
        .superRefine((url, ctx) => {
          const problem = sourceAddressProblem(url, localOrigins);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    }),
  ]);
export type SourceInput = z.infer<ReturnType<typeof sourceInputSchema>>;
