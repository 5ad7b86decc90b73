// Suggests a new event's address from its name as it is typed ("Kieler Woche 10 km" →
// kieler-woche-10-km), until the organiser types an address of their own. Without JavaScript the
// address is typed by hand; the server checks it either way.
(() => {
  const slug = document.querySelector('input[data-suggest-from]');
  const name = slug && document.getElementById(slug.dataset.suggestFrom);
  if (!name) return;
  // Letters that do not decompose into a Latin letter and a mark.
  const spelled = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };
  const suggest = (text) =>
    text
      .toLowerCase()
      .replace(/[ßæœøđðłþı]/g, (c) => spelled[c])
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 80)
      .replace(/^-+|-+$/g, '');
  // A form shown again with an address that is not the name's suggestion keeps it.
  let following = slug.value === '' || slug.value === suggest(name.value);
  name.addEventListener('input', () => {
    if (following) slug.value = suggest(name.value);
  });
  slug.addEventListener('input', () => {
    following = slug.value === '';
  });
})();
