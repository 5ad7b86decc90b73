/**
 * The page numbers a long list offers: the first, the last, and two either side of the current
 * page, with `…` for the pages left out (1 … 4 5 6 7 8 … 529). A gap of a single page shows
 * that page, since an ellipsis would take as much room.
 */
export function pageNumbers(page: number, pages: number): (number | '…')[] {
  const shown = new Set([1, pages]);
  for (let p = Math.max(1, page - 2); p <= Math.min(pages, page + 2); p++) shown.add(p);
  const numbers: (number | '…')[] = [];
  let last = 0;
  for (const p of [...shown].sort((a, b) => a - b)) {
    if (p - last === 2) numbers.push(last + 1);
    else if (p - last > 2) numbers.push('…');
    numbers.push(p);
    last = p;
  }
  return numbers;
}

/** Links to the pages of a list, for `pageNumbers`; `href` gives a page's address. Nothing for one page. */
export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  return (
    <nav class="pages" aria-label="Pages">
      {page > 1 && (
        <a href={href(page - 1)} rel="prev">
          ← Previous
        </a>
      )}
      {pageNumbers(page, pages).map((p) =>
        p === '…' ? (
          <span class="muted">…</span>
        ) : p === page ? (
          <span aria-current="page">{p}</span>
        ) : (
          <a href={href(p)} aria-label={`Page ${p}`}>
            {p}
          </a>
        ),
      )}
      {page < pages && (
        <a href={href(page + 1)} rel="next">
          Next →
        </a>
      )}
    </nav>
  );
}
