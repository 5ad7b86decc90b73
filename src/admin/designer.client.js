// The certificate designer in the browser: elements are boxes over a preview rendered by the real
// renderer on the server. Drag to move (snapping to the page's centre lines and other elements'
// edges; Alt moves freely), drag the corner to resize, pick from the layer list, or type exact
// numbers; every change can be undone. Saving sends the layout; the server validates it and makes a
// new version. Leaving with changes not saved asks first.
(() => {
  const root = document.querySelector('[data-designer]');
  if (!root) return;
  const config = JSON.parse(document.getElementById('designer-config').textContent);
  let layout = config.layout;
  // The certificate, or a social format; a format without a design of its own is adapted on the server.
  let format = 'certificate';
  let selected = -1;
  // The layer that has the list's one tab stop, by element index.
  let focusedLayer = -1;
  // The lines the element being dragged has snapped to, drawn until the drag ends.
  let guides = [];
  const undoStack = [];
  const redoStack = [];
  // The layout as last saved, to tell whether leaving would lose anything.
  let saved = JSON.stringify(layout);

  const preview = root.querySelector('[data-preview]');
  const stage = root.querySelector('[data-stage]');
  const panel = root.querySelector('[data-panel]');
  const pagePanel = root.querySelector('[data-page-panel]');
  const status = root.querySelector('[data-status]');
  const layers = root.querySelector('[data-layers]');
  const canvas = root.querySelector('.designer-canvas');
  const field = (name) => root.querySelector(`[name="${name}"]`);
  const design = () => (format === 'certificate' ? layout : layout[format]);
  const pageOf = () => design()?.page ?? config.formats[format];
  // The rendered width, not clientWidth, which is rounded to whole pixels.
  const scale = () => preview.getBoundingClientRect().width / pageOf().width;
  const clone = (value) => JSON.parse(JSON.stringify(value));

  // Uploaded images and fonts, offered wherever one can be chosen.
  const option = (value, label) => Object.assign(document.createElement('option'), { value, textContent: label });
  root.querySelectorAll('[data-image-options]').forEach((select) => {
    if (config.images.length) select.replaceChildren();
    for (const image of config.images)
      select.append(option(image.hash, `${image.name} (${image.width}×${image.height})`));
  });
  // A participant photo's fallback may also be nothing, so it keeps its first option.
  for (const image of config.images)
    field('fallback').append(option(image.hash, `${image.name} (${image.width}×${image.height})`));
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
    // The canvas is as wide as the window allows, and no taller than the window (see designer.css).
    canvas.style.setProperty('--aspect', String(pageOf().width / pageOf().height));
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
    drawLayers();
    drawGuides();
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
    if (element.type === 'photo') {
      field('fallback').value = element.fallback ?? '';
      field('fit').value = element.fit ?? 'cover';
    }
    if (element.type !== 'image' && element.type !== 'photo') field('colour').value = colourOf(element) ?? '#111111';
    field('whenField').value = element.when?.field ?? '';
    field('whenOp').value = element.when?.op ?? 'eq';
    field('whenValue').value = element.when?.value ?? '';
    field('whenOp').hidden = field('whenValue').hidden = !element.when;
  }

  // What a layer is called in the list: its kind, and its text or size, so two are told apart.
  function layerName(element) {
    const size = `${Math.round(element.width)}×${Math.round(element.height)}`;
    if (element.type === 'text') {
      const text = element.text.length > 40 ? `${element.text.slice(0, 39)}…` : element.text;
      return `Text “${text}”`;
    }
    if (element.type === 'rect') return `${Math.min(element.width, element.height) <= 10 ? 'Line' : 'Box'} ${size}`;
    if (element.type === 'qr') return 'QR code';
    if (element.type === 'photo') return `Participant photo ${size}`;
    const image = config.images.find((i) => i.hash === element.asset);
    return image ? `Image ${image.name}` : 'Image';
  }

  // The layer list (a listbox, topmost element first): one tab stop, which stays where the focus
  // last was; the selected element's layer is marked with aria-selected.
  function drawLayers() {
    const elements = design()?.elements ?? [];
    const hadFocus = layers.contains(document.activeElement);
    if (!elements[focusedLayer]) focusedLayer = selected >= 0 ? selected : elements.length - 1;
    const items = elements
      .map((element, index) => {
        const item = document.createElement('div');
        item.setAttribute('role', 'option');
        item.id = `designer-layer-${index}`;
        item.dataset.index = String(index);
        item.textContent = layerName(element);
        item.setAttribute('aria-selected', String(index === selected));
        item.tabIndex = index === focusedLayer ? 0 : -1;
        return item;
      })
      .reverse();
    layers.replaceChildren(...items);
    if (hadFocus) layers.querySelector('[tabindex="0"]')?.focus();
  }

  function focusLayer(index) {
    focusedLayer = index;
    for (const item of layers.children) item.tabIndex = Number(item.dataset.index) === index ? 0 : -1;
    layers.querySelector(`[data-index="${index}"]`)?.focus();
  }

  function select(index) {
    selected = index;
    focusedLayer = index;
    draw();
  }

  layers.addEventListener('click', (event) => {
    const item = event.target.closest('[role="option"]');
    if (item) select(Number(item.dataset.index));
  });
  layers.addEventListener('keydown', (event) => {
    const items = [...layers.children];
    const at = items.indexOf(document.activeElement);
    const to = {
      ArrowDown: Math.min(at + 1, items.length - 1),
      ArrowUp: Math.max(at - 1, 0),
      Home: 0,
      End: items.length - 1,
    }[event.key];
    if (to !== undefined && items[to]) {
      event.preventDefault();
      focusLayer(Number(items[to].dataset.index));
    } else if ((event.key === 'Enter' || event.key === ' ') && at >= 0) {
      event.preventDefault();
      select(Number(items[at].dataset.index));
    }
  });

  function drawPagePanel(current) {
    // Only the certificate's page can change size: the social formats have theirs.
    root.querySelector('[data-page-size]').hidden = format !== 'certificate';
    const preset = Object.entries(config.pageSizes).find(
      ([, size]) => size.width === current.page.width && size.height === current.page.height,
    )?.[0];
    const custom = root.querySelector('[data-custom-size]');
    custom.hidden = Boolean(preset);
    custom.textContent = `Custom size, ${current.page.width}×${current.page.height}`;
    field('pageSize').value = preset ?? 'custom';
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
      else if (name === 'fallback' && input.value) element.fallback = input.value;
      else if (name === 'fallback') delete element.fallback;
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
    if (input.name === 'pageSize') {
      commit(() => resizePage(current, input.value));
      return;
    }
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

  // A new page size: everything scaled by one factor to fit and centred, so the design keeps its
  // proportions (a social format re-flows instead: adapt.ts).
  function resizePage(current, preset) {
    const to = config.pageSizes[preset];
    const from = current.page;
    const k = Math.min(to.width / from.width, to.height / from.height);
    const dx = (to.width - from.width * k) / 2;
    const dy = (to.height - from.height * k) / 2;
    const round = (value) => Math.round(value * 100) / 100;
    current.page = { preset, width: to.width, height: to.height };
    for (const element of current.elements) {
      element.x = round(element.x * k + dx);
      element.y = round(element.y * k + dy);
      element.width = Math.max(1, round(element.width * k));
      element.height = Math.max(1, round(element.height * k));
      if (element.type === 'rect') {
        element.strokeWidth = round((element.strokeWidth ?? 0) * k);
        element.radius = round((element.radius ?? 0) * k);
      }
      if (element.type === 'text') {
        element.font.size = Math.max(4, round(element.font.size * k));
        element.font.letterSpacing = round((element.font.letterSpacing ?? 0) * k);
      }
    }
  }

  // Snapping: within SNAP screen pixels, an element's left or top edge, centre, or right or bottom
  // edge goes onto the page's centre line, the page's edges, or another element's edges.
  const SNAP = 6;
  function snapLines(current, index) {
    const lines = {
      x: [current.page.width / 2, 0, current.page.width],
      y: [current.page.height / 2, 0, current.page.height],
    };
    current.elements.forEach((other, i) => {
      if (i === index) return;
      lines.x.push(other.x, other.x + other.width);
      lines.y.push(other.y, other.y + other.height);
    });
    return lines;
  }
  // The nearest line within reach of any of the offsets (0, half, whole size) from `start`; ties go
  // to the earlier line, so the page's centre wins over an element's edge on it.
  function snap(start, offsets, lines, reach) {
    let best;
    for (const line of lines) {
      for (const offset of offsets) {
        const distance = line - (start + offset);
        if (Math.abs(distance) <= reach && (!best || Math.abs(distance) < Math.abs(best.distance) - 1e-6))
          best = { distance, line };
      }
    }
    return best;
  }
  function drawGuides() {
    const s = scale();
    for (const { axis, line } of guides) {
      const guide = document.createElement('div');
      guide.className = 'designer-guide';
      guide.dataset.guide = axis;
      guide.setAttribute('aria-hidden', 'true');
      if (axis === 'x') Object.assign(guide.style, { left: `${line * s}px`, top: '0', bottom: '0', width: '1px' });
      else Object.assign(guide.style, { top: `${line * s}px`, left: '0', right: '0', height: '1px' });
      stage.append(guide);
    }
  }

  function startDrag(event, index, resizing) {
    event.preventDefault();
    selected = index;
    focusedLayer = index;
    const current = design();
    const element = current.elements[index];
    const before = clone(layout);
    const start = { x: event.clientX, y: event.clientY, element: clone(element) };
    const s = scale();
    const lines = snapLines(current, index);
    const reach = SNAP / s;
    const move = (e) => {
      const dx = (e.clientX - start.x) / s;
      const dy = (e.clientY - start.y) / s;
      guides = [];
      if (resizing) {
        element.width = Math.max(10, start.element.width + dx);
        element.height = Math.max(10, start.element.height + dy);
        // The right and bottom edges snap; the box keeps at least its smallest size.
        const right = !e.altKey && snap(element.x + element.width, [0], lines.x, reach);
        if (right && element.width + right.distance >= 10) {
          element.width += right.distance;
          guides.push({ axis: 'x', line: right.line });
        }
        const bottom = !e.altKey && snap(element.y + element.height, [0], lines.y, reach);
        if (bottom && element.height + bottom.distance >= 10) {
          element.height += bottom.distance;
          guides.push({ axis: 'y', line: bottom.line });
        }
      } else {
        const maxX = current.page.width - element.width;
        const maxY = current.page.height - element.height;
        element.x = Math.max(0, Math.min(maxX, start.element.x + dx));
        element.y = Math.max(0, Math.min(maxY, start.element.y + dy));
        const x = !e.altKey && snap(element.x, [0, element.width / 2, element.width], lines.x, reach);
        if (x && element.x + x.distance >= 0 && element.x + x.distance <= maxX) {
          element.x += x.distance;
          guides.push({ axis: 'x', line: x.line });
        }
        const y = !e.altKey && snap(element.y, [0, element.height / 2, element.height], lines.y, reach);
        if (y && element.y + y.distance >= 0 && element.y + y.distance <= maxY) {
          element.y += y.distance;
          guides.push({ axis: 'y', line: y.line });
        }
      }
      draw();
    };
    const stop = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', stop);
      guides = [];
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
    // Square, as most portraits are cropped; the runner's photo fills it.
    photo: () => ({ type: 'photo', x: 100, y: 100, width: 300, height: 300, fit: 'cover' }),
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
    const sent = JSON.stringify(layout);
    const response = await send(config.saveUrl, { layout });
    const result = await response.json();
    if (response.ok) {
      saved = sent;
      document.querySelector('[data-version]').textContent = `v${result.version}`;
    }
    status.textContent = response.ok ? `Saved as version ${result.version}.` : result.error;
  });

  // The browser's own "Leave site?" question, only while the layout differs from the saved one.
  window.addEventListener('beforeunload', (event) => {
    if (JSON.stringify(layout) === saved) return;
    event.preventDefault();
    event.returnValue = '';
  });

  preview.addEventListener('load', draw);
  window.addEventListener('resize', draw);
  draw();
})();
