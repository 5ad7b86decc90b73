import { HTTPException } from 'hono/http-exception';
import { t, type Locale } from './i18n';

export const eventNotFound = (slug: string, locale: Locale = 'en') =>
  new HTTPException(404, { message: t(locale).eventNotFound(slug) });

export const certificateNotFound = (locale: Locale = 'en') =>
  new HTTPException(404, { message: t(locale).certificateNotFound });
