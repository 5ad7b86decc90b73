import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import css from './styles.css';

export interface PageProps {
  title: string;
  children: Child;
  head?: Child;
  /** Replaces the portal's header link, e.g. with the admin navigation or the portal's language switcher. */
  header?: Child;
  /** The page's language (BCP 47): the admin pages are English, the portal's follow the runner. */
  lang?: string;
}

/** The HTML shell of every page, public and admin: mobile-first, no JavaScript needed. */
export function Page({ title, children, head, header, lang = 'en' }: PageProps) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        <style>{raw(css)}</style>
        {head}
      </head>
      <body>
        <header class="site">{header ?? <a href="/">Certificates</a>}</header>
        <main>{children}</main>
      </body>
    </html>
  );
}
