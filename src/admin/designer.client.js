// The certificate designer in the browser: elements are boxes over a preview rendered by the real
// renderer on the server. Drag to move, drag the corner to resize, or type exact numbers; every
// change can be undone. Saving sends the layout; the server validates it and makes a new version.
(() => {
  const root = document.querySelector('[data-designer]');
  if (!root) return;
  const config = JSON.parse(document.getElementById('designer-config').textContent);
  let layout = config.layout;
  // The certificate, or a social format; a format without a design of its own is adapted on the server.
  let format = 'certificate';
  let selected = -1;
  const undoStack = [];
  const redoStack = [];

  const preview = root.querySelector('[data-preview]');
  const stage = root.querySelector('[data-stage]');
  const panel = root.querySelector('[data-panel]');
  const pagePanel = root.querySelector('[data-page-panel]');
  const status = root.querySelector('[data-status]');
  const field = (name) => root.querySelector(`[name="${name}"]`);
  const design = () => (format === 'certificate' ? layout : layout[format]);
  const scale = () => preview.clientWidth / (design()?.page.width ?? config.formats[format].width);
  const clone = (value) => JSON.parse(JSON.stringify(value));

  // Uploaded images and fonts, offered wherever one can be chosen.
  const option = (value, label) => Object.assign(document.createElement('option'), { value, textContent: label });
  root.querySelectorAll('[data-image-options]').forEach((select) => {
    if (config.images.length) select.replaceChildren();
    for (const image of config.images)
      select.append(option(image.hash, `${image.name} (${image.width}×${image.height})`));
  });
  for (const font of config.fonts) field('family').append(option(`asset:${font.hash}`, `${font.name} (uploaded)`));

  function commit(change) {
    undoStack.push(clone(layout));
    redoStack.length = 0;
    change();
    draw();
    refreshPreview();
  }

  function draw() {
    stage.replaceChildren();
    const current = design();
    const s = scale();
    (current?.elements ?? []).forEach((element, index) => {
      const box = document.createElement('div');
      box.className = `designer-box${index === selected ? ' selected' : ''}`;
      box.dataset.index = String(index);
      box.title = element.type === 'text' ? element.text : element.type;
      Object.assign(box.style, {
        left: `${element.x * s}px`,
        top: `${element.y * s}px`,
        width: `${element.width * s}px`,
        height: `${element.height * s}px`,
      });
      const handle = document.createElement('span');
      handle.className = 'designer-handle';
      box.append(handle);
      box.addEventListener('pointerdown', (event) => startDrag(event, index, event.target === handle));
      stage.append(box);
    });
    const adapted = !current;
    root.querySelector('[data-adapted-note]').hidden = !adapted;
    root.querySelector('[data-own-note]').hidden = adapted || format === 'certificate';
    for (const part of root.querySelectorAll('[data-editing]')) part.hidden = adapted;
    pagePanel.hidden = adapted;
    if (current) drawPagePanel(current);
    drawPanel();
    root.querySelector('[data-undo]').disabled = undoStack.length === 0;
    root.querySelector('[data-redo]').disabled = redoStack.length === 0;
  }

  const numberFields = ['x', 'y', 'width', 'height'];
  function drawPanel() {
    const element = design()?.elements[selected];
    panel.hidden = !element;
    if (!element) return;
    for (const name of numberFields) field(name).value = Math.round(element[name]);
    for (const part of panel.querySelectorAll('[data-for]'))
      part.hidden = !part.dataset.for.split(' ').includes(element.type);
    if (element.type === 'text') {
      field('text').value = element.text;
      field('size').value = element.font.size;
      field('maxLines').value = element.maxLines ?? 1;
      field('family').value = element.font.asset ? `asset:${element.font.asset}` : element.font.family;
      field('weight').value = String(element.font.weight);
      field('align').value = element.align;
      field('uppercase').checked = Boolean(element.uppercase);
    }
    if (element.type === 'image') {
      field('asset').value = element.asset;
      field('fit').value = element.fit ?? 'contain';
    }
    if (element.type !== 'image') field('colour').value = colourOf(element) ?? '#111111';
    field('whenField').value = element.when?.field ?? '';
    field('whenOp').value = element.when?.op ?? 'eq';
    field('whenValue').value = element.when?.value ?? '';
    field('whenOp').hidden = field('whenValue').hidden = !element.when;
  }

  function drawPagePanel(current) {
    const background = current.background;
    const kind = background.image ? 'image' : background.gradient ? 'gradient' : 'colour';
    field('backgroundKind').value = kind;
    for (const part of pagePanel.querySelectorAll('[data-background]')) {
      part.hidden = !part.dataset.background.split(' ').includes(kind);
    }
    field('backgroundColour').value = background.colour ?? '#ffffff';
    if (background.gradient) {
      field('gradientFrom').value = background.gradient.from;
      field('gradientTo').value = background.gradient.to;
    }
    if (background.image) {
      field('backgroundImage').value = background.image.asset;
      field('backgroundFit').value = background.image.fit ?? 'cover';
    }
  }

  // The colour an element is drawn in: text colour, fill (or outline) of a box, a QR code's modules.
  const colourOf = (element) =>
    element.type === 'text'
      ? element.font.colour
      : element.type === 'rect'
        ? (element.fill ?? element.stroke)
        : element.colour;
  function setColour(element, colour) {
    if (element.type === 'text') element.font.colour = colour;
    else if (element.type === 'qr') element.colour = colour;
    else if (element.fill || !element.stroke) element.fill = colour;
    else element.stroke = colour;
  }

  // Numbers compare as numbers ("rank at most 3"), anything else as text ("status is finished").
  const conditionValue = (text) => (text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text.trim());

  panel.addEventListener('change', (event) => {
    const input = event.target;
    const element = design()?.elements[selected];
    if (!element || !input.name) return;
    commit(() => {
      const name = input.name;
      if (numberFields.includes(name)) element[name] = Math.max(0, Number(input.value) || 0);
      else if (name === 'text') element.text = input.value || ' ';
      else if (name === 'size') element.font.size = Math.max(4, Number(input.value) || 4);
      else if (name === 'maxLines') element.maxLines = Math.min(10, Math.max(1, Math.round(Number(input.value)) || 1));
      else if (name === 'family' && input.value.startsWith('asset:')) element.font.asset = input.value.slice(6);
      else if (name === 'family') {
        element.font.family = input.value;
        delete element.font.asset;
      } else if (name === 'weight') element.font.weight = Number(input.value);
      else if (name === 'align') element.align = input.value;
      else if (name === 'uppercase') element.uppercase = input.checked;
      else if (name === 'asset') element.asset = input.value;
      else if (name === 'fit') element.fit = input.value;
      else if (name === 'colour') setColour(element, input.value);
      else if (name === 'whenField' && !input.value) delete element.when;
      else if (name === 'whenField') element.when = { op: 'eq', ...element.when, field: input.value };
      else if (name === 'whenOp' && element.when) element.when.op = input.value;
      else if (name === 'whenValue' && element.when) element.when.value = conditionValue(input.value);
      if (element.when && ['present', 'absent'].includes(element.when.op)) delete element.when.value;
      else if (element.when && element.when.value === undefined) element.when.value = '';
    });
  });

  pagePanel.addEventListener('change', (event) => {
    const input = event.target;
    const current = design();
    if (!current || !input.name) return;
    if (input.name === 'backgroundKind' && input.value === 'image' && !config.images[0]) {
      status.textContent = 'Upload a background image on the Certificate tab first.';
      input.value = current.background.gradient ? 'gradient' : 'colour';
      return;
    }
    commit(() => {
      const background = current.background;
      const colour = background.colour ?? '#ffffff';
      if (input.name === 'backgroundKind' && input.value === 'colour') current.background = { colour };
      else if (input.name === 'backgroundKind' && input.value === 'gradient')
        current.background = { gradient: { from: colour, to: '#dddddd', angle: 135 } };
      else if (input.name === 'backgroundKind' && input.value === 'image')
        current.background = { image: { asset: config.images[0].hash, fit: 'cover' }, colour };
      else if (input.name === 'backgroundColour') background.colour = input.value;
      else if (input.name === 'gradientFrom') background.gradient.from = input.value;
      else if (input.name === 'gradientTo') background.gradient.to = input.value;
      else if (input.name === 'backgroundImage') background.image.asset = input.value;
      else if (input.name === 'backgroundFit') background.image.fit = input.value;
    });
  });

  function startDrag(event, index, resizing) {
    event.preventDefault();
    selected = index;
    const current = design();
    const element = current.elements[index];
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
        element.x = Math.max(0, Math.min(current.page.width - element.width, start.element.x + dx));
        element.y = Math.max(0, Math.min(current.page.height - element.height, start.element.y + dy));
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
    text: () => ({
      type: 'text',
      x: 100,
      y: 100,
      width: 600,
      height: 80,
      text: '{name}',
      font: { family: 'Noto Sans', weight: 400, size: 48, colour: '#111111', letterSpacing: 0, lineHeight: 1.2 },
      align: 'center',
      uppercase: false,
      maxLines: 1,
    }),
    rect: () => ({ type: 'rect', x: 100, y: 100, width: 400, height: 8, fill: '#111111', strokeWidth: 0, radius: 0 }),
    qr: () => ({ type: 'qr', x: 100, y: 100, width: 160, height: 160, value: '{verifyUrl}', colour: '#111111' }),
    image: () => {
      const image = config.images.find((i) => i.hash === field('newImage').value);
      if (!image) return undefined;
      // At most a quarter of the page wide, in the image's own proportions.
      const width = Math.min(image.width, design().page.width / 4);
      return {
        type: 'image',
        x: 100,
        y: 100,
        width,
        height: (width * image.height) / image.width,
        asset: image.hash,
        fit: 'contain',
      };
    },
  };
  for (const button of root.querySelectorAll('[data-add]')) {
    button.addEventListener('click', () => {
      const element = newElements[button.dataset.add]();
      if (!element) {
        status.textContent = 'Upload an image on the Certificate tab first.';
        return;
      }
      commit(() => {
        design().elements.push(element);
        selected = design().elements.length - 1;
      });
    });
  }
  root.querySelector('[data-delete]').addEventListener('click', () => {
    if (selected < 0) return;
    commit(() => {
      design().elements.splice(selected, 1);
      selected = -1;
    });
  });

  field('format').addEventListener('change', (event) => {
    format = event.target.value;
    selected = -1;
    draw();
    refreshPreview();
  });
  root.querySelector('[data-own-design]').addEventListener('click', async () => {
    const response = await send(config.adaptUrl, { layout, format });
    const result = await response.json();
    if (!response.ok) {
      status.textContent = result.error;
      return;
    }
    commit(() => (layout[format] = result.design));
  });
  root.querySelector('[data-drop-design]').addEventListener('click', () =>
    commit(() => {
      delete layout[format];
      selected = -1;
    }),
  );

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
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z' || event.target.matches('input, textarea'))
      return;
    event.preventDefault();
    if (event.shiftKey) redo();
    else undo();
  });

  const send = (url, body) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': config.csrfToken },
      body: JSON.stringify(body),
    });

  let pending;
  function refreshPreview() {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const response = await send(config.previewUrl, { layout, format, bib: field('bib').value });
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
  field('bib').addEventListener('change', refreshPreview);

  root.querySelector('[data-save]').addEventListener('click', async () => {
    const response = await send(config.saveUrl, { layout });
    const result = await response.json();
    if (response.ok) document.querySelector('[data-version]').textContent = `v${result.version}`;
    status.textContent = response.ok ? `Saved as version ${result.version}.` : result.error;
  });

  preview.addEventListener('load', draw);
  window.addEventListener('resize', draw);
  draw();
})();
