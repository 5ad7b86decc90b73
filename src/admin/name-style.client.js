// The mapping screen's name preview follows the name style's checkboxes without a round trip; the
// names in every style come with the page. Without JavaScript, "Update preview" shows them.
const previews = document.getElementById('name-style-previews');
if (previews) {
  const styled = JSON.parse(previews.textContent);
  const boxes = [...document.querySelectorAll('input[name="nameStyle"]')];
  const cells = [...document.querySelectorAll('[data-styled-name]')];
  const show = () => {
    const key = boxes
      .filter((box) => box.checked)
      .map((box) => box.value)
      .join('+');
    for (const cell of cells) cell.textContent = styled[key]?.[Number(cell.dataset.styledName)] ?? '';
  };
  for (const box of boxes) box.addEventListener('change', show);
}
