import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

const css = `
:root{--ink:#15212e;--muted:#5b6775;--line:#dfe4ea;--accent:#0b6e4f;--bg:#f6f7f9;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}[hidden]{display:none!important}body{margin:0}a{color:var(--accent)}
header.site{background:#fff;border-bottom:1px solid var(--line)}header.site a{display:block;max-width:56rem;margin:0 auto;padding:.8rem 1rem;font-weight:700;text-decoration:none;color:var(--ink)}
main{max-width:56rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;margin:.5rem 0}.muted{color:var(--muted)}
.card{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1rem;margin:.75rem 0}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{border-top:1px solid var(--line)}ul.plain li:first-child{border-top:0}
ul.plain a{display:flex;justify-content:space-between;gap:1rem;padding:.8rem .2rem;text-decoration:none;color:var(--ink)}
.search{display:flex;gap:.5rem}.search input{flex:1;min-width:0;font-size:1.1rem;padding:.7rem;border:1px solid var(--line);border-radius:8px}
button,.button{font-size:1rem;padding:.7rem 1rem;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.button.secondary,button.secondary{background:#fff;color:var(--accent)}
.error{background:#fdecec;border:1px solid #f3b5b5;color:#8a1c1c;border-radius:8px;padding:.7rem;margin:.75rem 0}
.certificate img{width:100%;height:auto;border-radius:6px;box-shadow:0 2px 12px rgba(0,0,0,.12);background:#fff}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}.badge{font-size:.8rem;padding:.1rem .5rem;border-radius:99px;background:#eef1f4;color:var(--muted)}
header.site nav{max-width:56rem;margin:0 auto;display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:0 1rem}header.site nav a{display:inline;margin:0;max-width:none;padding:.8rem 0}header.site nav form{margin-left:auto;display:flex;gap:.5rem;align-items:baseline}
nav.tabs{display:flex;gap:.25rem;border-bottom:1px solid var(--line);margin:1rem 0;overflow-x:auto}nav.tabs a{padding:.6rem .9rem;text-decoration:none;color:var(--muted);border-bottom:3px solid transparent;white-space:nowrap}nav.tabs a[aria-current=page]{color:var(--ink);border-color:var(--accent);font-weight:600}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}input,select,textarea{font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:6px;max-width:100%}input[type=checkbox]{width:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{text-align:left;padding:.45rem;border-bottom:1px solid var(--line);vertical-align:top}.table{overflow-x:auto}
.notice{background:#eaf6f0;border:1px solid #b9e0cc;border-radius:8px;padding:.7rem;margin:.75rem 0}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem}
progress{width:100%;height:1.2rem}ol.card{padding-left:2.5rem}.inline{display:inline}button.link{background:none;border:0;color:var(--accent);padding:0;text-decoration:underline}button.danger{background:#b42318;border-color:#b42318}
`;

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
