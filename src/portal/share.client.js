// Copy and Web Share only enhance the page; without JavaScript the link is still there to copy.
for (const button of document.querySelectorAll('[data-share]')) {
  button.hidden = !navigator.share;
  button.onclick = () => navigator.share({ title: document.title, url: button.dataset.share }).catch(() => {});
}
for (const button of document.querySelectorAll('[data-copy]')) {
  button.hidden = !navigator.clipboard;
  button.onclick = () =>
    navigator.clipboard.writeText(button.dataset.copy).then(() => {
      button.textContent = 'Link copied';
    });
}
