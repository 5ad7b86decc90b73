import { z } from 'zod';
import type { RecordInput } from '../db/records';
import { recordStatuses } from '../db/schema';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || null);

const optionalNumber = (label: string, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > max) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a whole number.` });
        return z.NEVER;
      }
      return n;
    });

/** A record typed in by hand on the Records tab. */
export const recordFormSchema = z
  .object({
    bib: z.string().trim().min(1, 'Every record needs a bib.').max(20).regex(/^[^\p{Cc}]+$/u, 'The bib holds control characters.'),
    name: z.string().trim().min(1, 'Every record needs a name.').max(200).regex(/^[^\p{Cc}]+$/u, 'The name holds control characters.'),
    category: optionalText(60),
    gender: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .transform((g) => g || null)
      .pipe(z.enum(['M', 'F', 'X'], { error: 'Gender is M, F or X.' }).nullable()),
    age: optionalNumber('Age', 130),
    finishTime: z
      .string()
      .trim()
      .optional()
      .transform((t) => t || null)
      .pipe(z.string().regex(/^\d{1,3}:[0-5]\d:[0-5]\d$/, 'Write the finish time as h:mm:ss, e.g. 3:27:45.').nullable()),
    rankOverall: optionalNumber('Overall rank', 10_000_000),
    rankGender: optionalNumber('Gender rank', 10_000_000),
    rankCategory: optionalNumber('Category rank', 10_000_000),
    status: z.enum(recordStatuses).default('finished'),
  })
  .transform((r): RecordInput => {
    // Someone who did not finish has no finishing rank, whatever the form says.
    const finished = r.status === 'finished';
    return {
      ...r,
      finishTime: finished ? r.finishTime : null,
      rankOverall: finished ? r.rankOverall : null,
      rankGender: finished ? r.rankGender : null,
      rankCategory: finished ? r.rankCategory : null,
    };
  });
