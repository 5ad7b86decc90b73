// Updates the publish progress bar without a reload; without JavaScript the page refreshes itself instead.
const bar = document.querySelector('[data-progress]');
if (bar) {
  const tick = () =>
    fetch(bar.dataset.progress)
      .then((r) => r.json())
      .then((p) => {
        const r = p.run;
        if (!r) return;
        const el = bar.querySelector('progress');
        el.max = r.total;
        el.value = r.done + r.failed;
        bar.querySelector('output').textContent =
          `${r.done} of ${r.total} ready${r.failed ? `, ${r.failed} failed` : ''}`;
        if (!r.finished) setTimeout(tick, 1000);
        else location.reload();
      });
  setTimeout(tick, 1000);
}
