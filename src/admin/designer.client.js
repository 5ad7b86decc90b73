// The certificate designer in the browser: elements are boxes over a preview rendered by the real
// renderer on the server. Drag to move, drag the corner to resize, or type exact numbers; every
// change can be undone. Saving sends the layout; the server validates it and makes a new version.
(function () {
  const root = document.querySelector('[data-designer]');
  if (!root) return;
  const config = JSON.parse(document.getElementById('designer-config').textContent);
  let layout = config.layout;
  let selected = -1;
  const undoStack = [];
  const redoStack = [];

  const preview = root.querySelector('[data-preview]');
  const stage = root.querySelector('[data-stage]');
  const panel = root.querySelector('[data-panel]');
  const status = root.querySelector('[data-status]');
  const scale = () => preview.clientWidth / layout.page.width;
  const clone = (value) => JSON.parse(JSON.stringify(value));

  function commit(change) {
    undoStack.push(clone(layout));
    redoStack.length = 0;
    change();
    draw();
    refreshPreview();
  }

  function draw() {
    stage.replaceChildren();
    const s = scale();
    layout.elements.forEach((element, index) => {
      const box = document.createElement('div');
      box.className = 'designer-box' + (index === selected ? ' selected' : '');
      box.dataset.index = String(index);
      box.title = element.type === 'text' ? element.text : element.type;
      Object.assign(box.style, { left: element.x * s + 'px', top: element.y * s + 'px', width: element.width * s + 'px', height: element.height * s + 'px' });
      const handle = document.createElement('span');
      handle.className = 'designer-handle';
      box.append(handle);
      box.addEventListener('pointerdown', (event) => startDrag(event, index, event.target === handle));
      stage.append(box);
    });
    drawPanel();
    root.querySelector('[data-undo]').disabled = undoStack.length === 0;
    root.querySelector('[data-redo]').disabled = redoStack.length === 0;
  }

  const numberFields = ['x', 'y', 'width', 'height'];
  function drawPanel() {
    const element = layout.elements[selected];
    panel.hidden = !element;
    if (!element) return;
    for (const name of numberFields) panel.querySelector(`[name="${name}"]`).value = Math.round(element[name]);
    const isText = element.type === 'text';
    panel.querySelector('[data-text-fields]').hidden = !isText;
    if (isText) {
      panel.querySelector('[name="text"]').value = element.text;
      panel.querySelector('[name="size"]').value = element.font.size;
      panel.querySelector('[name="family"]').value = element.font.family;
      panel.querySelector('[name="weight"]').value = String(element.font.weight);
      panel.querySelector('[name="align"]').value = element.align;
    }
    panel.querySelector('[name="colour"]').value = colourOf(element) ?? '#111111';
  }

  // The colour an element is drawn in: text colour, fill (or outline) of a box, a QR code's modules.
  const colourOf = (element) => (element.type === 'text' ? element.font.colour : element.type === 'rect' ? element.fill ?? element.stroke : element.colour);
  function setColour(element, colour) {
    if (element.type === 'text') element.font.colour = colour;
    else if (element.type === 'qr') element.colour = colour;
    else if (element.fill || !element.stroke) element.fill = colour;
    else element.stroke = colour;
  }

  panel.addEventListener('change', (event) => {
    const field = event.target;
    const element = layout.elements[selected];
    if (!element || !field.name) return;
    commit(() => {
      if (numberFields.includes(field.name)) element[field.name] = Math.max(0, Number(field.value) || 0);
      else if (field.name === 'text') element.text = field.value || ' ';
      else if (field.name === 'size') element.font.size = Math.max(4, Number(field.value) || 4);
      else if (field.name === 'family') element.font.family = field.value;
      else if (field.name === 'weight') element.font.weight = Number(field.value);
      else if (field.name === 'align') element.align = field.value;
      else if (field.name === 'colour') setColour(element, field.value);
    });
  });

  function startDrag(event, index, resizing) {
    event.preventDefault();
    selected = index;
    const element = layout.elements[index];
    const before = clone(layout);
    const start = { x: event.clientX, y: event.clientY, element: clone(element) };
    const s = scale();
    const move = (e) => {
      const dx = (e.clientX - start.x) / s;
      const dy = (e.clientY - start.y) / s;
      if (resizing) {
        element.width = Math.max(10, start.element.width + dx);
        element.height = Math.max(10, start.element.height + dy);
      } else {
        element.x = Math.max(0, Math.min(layout.page.width - element.width, start.element.x + dx));
        element.y = Math.max(0, Math.min(layout.page.height - element.height, start.element.y + dy));
      }
      draw();
    };
    const stop = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', stop);
      if (JSON.stringify(before) !== JSON.stringify(layout)) {
        undoStack.push(before);
        redoStack.length = 0;
        refreshPreview();
      }
      draw();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', stop);
    draw();
  }

  const newElements = {
    text: () => ({ type: 'text', x: 100, y: 100, width: 600, height: 80, text: '{name}', font: { family: 'Noto Sans', weight: 400, size: 48, colour: '#111111', letterSpacing: 0, lineHeight: 1.2 }, align: 'center', uppercase: false, maxLines: 1 }),
    rect: () => ({ type: 'rect', x: 100, y: 100, width: 400, height: 8, fill: '#111111', strokeWidth: 0, radius: 0 }),
    qr: () => ({ type: 'qr', x: 100, y: 100, width: 160, height: 160, value: '{verifyUrl}', colour: '#111111' }),
  };
  root.querySelectorAll('[data-add]').forEach((button) =>
    button.addEventListener('click', () =>
      commit(() => {
        layout.elements.push(newElements[button.dataset.add]());
        selected = layout.elements.length - 1;
      }),
    ),
  );
  root.querySelector('[data-delete]').addEventListener('click', () => {
    if (selected < 0) return;
    commit(() => {
      layout.elements.splice(selected, 1);
      selected = -1;
    });
  });

  function undo() {
    if (!undoStack.length) return;
    redoStack.push(clone(layout));
    layout = undoStack.pop();
    draw();
    refreshPreview();
  }
  function redo() {
    if (!redoStack.length) return;
    undoStack.push(clone(layout));
    layout = redoStack.pop();
    draw();
    refreshPreview();
  }
  root.querySelector('[data-undo]').addEventListener('click', undo);
  root.querySelector('[data-redo]').addEventListener('click', redo);
  document.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z' || event.target.matches('input, textarea')) return;
    event.preventDefault();
    if (event.shiftKey) redo();
    else undo();
  });

  const send = (url, body) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': config.csrfToken }, body: JSON.stringify(body) });

  let pending;
  function refreshPreview() {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const response = await send(config.previewUrl, { layout, bib: root.querySelector('[name="bib"]').value });
      if (!response.ok) {
        status.textContent = (await response.json()).error;
        return;
      }
      const old = preview.src;
      preview.src = URL.createObjectURL(await response.blob());
      if (old.startsWith('blob:')) URL.revokeObjectURL(old);
      status.textContent = '';
    }, 250);
  }
  root.querySelector('[name="bib"]').addEventListener('change', refreshPreview);

  root.querySelector('[data-save]').addEventListener('click', async () => {
    const response = await send(config.saveUrl, { layout });
    const result = await response.json();
    status.textContent = response.ok ? `Saved as version ${result.version}.` : result.error;
  });

  preview.addEventListener('load', draw);
  window.addEventListener('resize', draw);
  draw();
})();
