import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import css from './styles.css';

export interface PageProps {
  title: string;
  children: Child;
  head?: Child;
  /** Replaces the portal's header link, e.g. with the admin navigation. */
  header?: Child;
}

/** The HTML shell of every page, public and admin: mobile-first, no JavaScript needed. */
export function Page({ title, children, head, header }: PageProps) {
  return (
    <html lang="en">
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
