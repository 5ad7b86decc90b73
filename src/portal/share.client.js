// Copy, the image chooser and Web Share only enhance the page; without JavaScript its plain
// links download each image and share on each network.
for (const button of document.querySelectorAll('[data-copy]')) {
  button.hidden = !navigator.clipboard;
  button.onclick = () =>
    navigator.clipboard.writeText(button.dataset.copy).then(() => {
      button.textContent = button.dataset.copied;
    });
}

const chooser = document.querySelector('[data-chooser]');
if (chooser) {
  const select = chooser.querySelector('[data-format]');
  const share = chooser.querySelector('[data-share]');
  const chosen = () => select.selectedOptions[0];
  const probe = new File([new Uint8Array(1)], 'certificate.png', { type: 'image/png' });
  const sharesFiles = Boolean(navigator.canShare?.({ files: [probe] }));

  // On a phone the story goes to Instagram and the like; elsewhere the certificate itself.
  if (matchMedia('(pointer: coarse)').matches) {
    const story = select.querySelector('[data-variant="story"]');
    if (story) story.selected = true;
  }
  // The chosen image is fetched ahead: a share sheet opens only shortly after the tap, and a
  // story drawn on demand can take longer than that.
  let file;
  const fetchChosen = () => {
    const option = chosen();
    file = fetch(option.value)
      .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(response.statusText))))
      .then((image) => new File([image], option.dataset.file, { type: option.dataset.type }));
    file.catch(() => {});
  };
  if (sharesFiles) {
    fetchChosen();
    select.onchange = fetchChosen;
  }
  chooser.hidden = false;
  for (const links of document.querySelectorAll('[data-save-links]')) links.hidden = true;

  chooser.querySelector('[data-save]').onclick = () => {
    const link = document.createElement('a');
    link.href = chosen().value;
    link.download = chosen().dataset.file;
    link.click();
  };

  share.hidden = !navigator.share;
  share.onclick = async () => {
    // Counted for the organiser as a share through the phone's own share sheet.
    navigator.sendBeacon(share.dataset.ping);
    const { title, text } = share.dataset;
    const url = share.dataset.share;
    if (sharesFiles) {
      try {
        const files = [await file];
        if (navigator.canShare({ files })) return await navigator.share({ files, title, text, url });
      } catch (error) {
        // Closing the share sheet is a choice, not a failure; anything else falls back to the link.
        if (error.name === 'AbortError') return;
      }
    }
    await navigator.share({ title, text, url }).catch(() => {});
  };
}
