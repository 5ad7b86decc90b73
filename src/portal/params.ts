import { z } from 'zod';

/** Route parameters: anything that cannot be a slug or a certificate id is simply not found. */
/** An event's address: lower-case letters, digits and inner dashes, at most 80 characters. */
export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
export const slugSchema = z.string().regex(slugPattern);
export const certificateIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
