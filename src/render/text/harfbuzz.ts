import hbWasm from 'harfbuzzjs/dist/harfbuzz.wasm';
import drawFuncsWasm from './draw-funcs.wasm';

/** One glyph HarfBuzz placed, in font units; `cluster` is the UTF-16 index in the text it came from. */
export interface ShapedGlyph {
  id: number;
  cluster: number;
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

export interface ShapeOptions {
  direction: 'ltr' | 'rtl' | 'ttb';
  /** ISO 15924, e.g. 'Arab', 'Deva'. */
  script: string;
  /** BCP 47, e.g. 'ur', 'ja': picks a font's language forms (Urdu digits, Japanese kanji). */
  language?: string;
  /** OpenType features on top of the script's own, comma-separated: 'kern,liga', '-kern', ''. */
  features?: string;
}

/** The raw HarfBuzz exports the wrapper calls (pointers and handles are plain numbers). */
interface HarfBuzz {
  memory: WebAssembly.Memory;
  __wasm_call_ctors(): void;
  malloc(size: number): number;
  free(ptr: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_get_upem(face: number): number;
  hb_face_reference_table(face: number, tag: number): number;
  hb_font_create(face: number): number;
  hb_font_destroy(font: number): void;
  hb_font_get_h_extents(font: number, extents: number): number;
  hb_font_get_nominal_glyph(font: number, codePoint: number, glyph: number): number;
  hb_buffer_create(): number;
  hb_buffer_destroy(buffer: number): void;
  hb_buffer_add_utf16(buffer: number, text: number, length: number, offset: number, itemLength: number): void;
  hb_buffer_set_direction(buffer: number, direction: number): void;
  hb_buffer_set_script(buffer: number, script: number): void;
  hb_buffer_set_language(buffer: number, language: number): void;
  hb_buffer_set_flags(buffer: number, flags: number): void;
  hb_buffer_get_length(buffer: number): number;
  hb_buffer_get_glyph_infos(buffer: number, length: number): number;
  hb_buffer_get_glyph_positions(buffer: number, length: number): number;
  hb_script_from_string(text: number, length: number): number;
  hb_language_from_string(text: number, length: number): number;
  hb_feature_from_string(text: number, length: number, feature: number): number;
  hb_shape(font: number, buffer: number, features: number, featureCount: number): void;
  hb_draw_funcs_create(): number;
  hb_draw_funcs_set_move_to_func(funcs: number, func: number, userData: number, destroy: number): void;
  hb_draw_funcs_set_line_to_func(funcs: number, func: number, userData: number, destroy: number): void;
  hb_draw_funcs_set_quadratic_to_func(funcs: number, func: number, userData: number, destroy: number): void;
  hb_draw_funcs_set_cubic_to_func(funcs: number, func: number, userData: number, destroy: number): void;
  hb_draw_funcs_set_close_path_func(funcs: number, func: number, userData: number, destroy: number): void;
  hb_font_draw_glyph(font: number, glyph: number, funcs: number, drawData: number): void;
  __indirect_function_table: WebAssembly.Table;
}

const directions = { ltr: 4, rtl: 5, ttb: 6 } as const;
const MEMORY_MODE_WRITABLE = 2;
// A name is a whole text: HarfBuzz may treat its start and end as such (HB_BUFFER_FLAG_BOT | EOT).
const WHOLE_TEXT = 1 | 2;
/** hb_glyph_info_t and hb_glyph_position_t: five 32-bit fields each. */
const GLYPH_FIELDS = 5;
/** hb_feature_t: tag, value, start, end. */
const FEATURE_BYTES = 16;
/** Out-parameters: a glyph id, or hb_font_extents_t (12 int32). */
const SCRATCH_BYTES = 48;
const HEAD = 0x68656164; // 'head'

let harfbuzz: { hb: HarfBuzz; scratch: number; drawFuncs: number } | undefined;
let ready: Promise<void> | undefined;

/**
 * Workers refuse to compile WASM at run time, and harfbuzzjs' JS API does (for its callbacks), as
 * would its Emscripten loader given bytes. So the module wrangler precompiled is instantiated here
 * with the few imports it has, and the wrapper below calls HarfBuzz's C API itself.
 */
function instantiate(): HarfBuzz {
  let memory: WebAssembly.Memory | undefined;
  const fail = (what: string) => () => {
    throw new Error(`HarfBuzz ${what}`);
  };
  const imports = {
    env: {
      _abort_js: fail('aborted'),
      _emscripten_runtime_keepalive_clear: () => {},
      _setitimer_js: fail('asked for a timer'),
      emscripten_resize_heap(requested: number) {
        const have = memory!.buffer.byteLength;
        // Grow by a fifth at least, as Emscripten does, so a large font does not grow it page by page.
        const want = Math.min(2 ** 31, Math.max(requested >>> 0, have + have / 5));
        try {
          memory!.grow(Math.ceil((want - have) / 65536));
          return 1;
        } catch {
          return 0;
        }
      },
    },
    wasi_snapshot_preview1: { proc_exit: fail('exited') },
  };
  const hb = new WebAssembly.Instance(hbWasm, imports).exports as unknown as HarfBuzz;
  memory = hb.memory;
  hb.__wasm_call_ctors();
  return hb;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The path the glyph being drawn has so far: HarfBuzz's draw callbacks append to it. */
let drawn = '';

/**
 * HarfBuzz's draw callbacks, in the order draw-funcs.wasm exports them. Its arguments before the
 * points (draw funcs, draw data, draw state) and after (user data) are not needed here.
 */
const drawCallbacks = {
  m(_f: number, _d: number, _s: number, x: number, y: number) {
    drawn += `M${round(x)},${round(y)}`;
  },
  l(_f: number, _d: number, _s: number, x: number, y: number) {
    drawn += `L${round(x)},${round(y)}`;
  },
  q(_f: number, _d: number, _s: number, cx: number, cy: number, x: number, y: number) {
    drawn += `Q${round(cx)},${round(cy)} ${round(x)},${round(y)}`;
  },
  c(_f: number, _d: number, _s: number, ax: number, ay: number, bx: number, by: number, x: number, y: number) {
    drawn += `C${round(ax)},${round(ay)} ${round(bx)},${round(by)} ${round(x)},${round(y)}`;
  },
  z() {
    drawn += 'Z';
  },
};

/**
 * One hb_draw_funcs_t that draws into `drawn`. HarfBuzz calls its callbacks through its function
 * table, which holds only WASM functions; draw-funcs.wasm (precompiled by wrangler, see
 * draw-funcs.wat) imports the JS callbacks and exports them as such, so no WASM is compiled here.
 */
function drawFuncs(hb: HarfBuzz): number {
  const exports = new WebAssembly.Instance(drawFuncsWasm, { d: drawCallbacks }).exports;
  const funcs = hb.hb_draw_funcs_create();
  const setters = [
    ['m', hb.hb_draw_funcs_set_move_to_func],
    ['l', hb.hb_draw_funcs_set_line_to_func],
    ['q', hb.hb_draw_funcs_set_quadratic_to_func],
    ['c', hb.hb_draw_funcs_set_cubic_to_func],
    ['z', hb.hb_draw_funcs_set_close_path_func],
  ] as const;
  const table = hb.__indirect_function_table;
  const first = table.grow(setters.length);
  for (const [i, [name, set]] of setters.entries()) {
    table.set(first + i, exports[name]);
    set(funcs, first + i, 0, 0);
  }
  // Kept for the life of the isolate, like HarfBuzz itself. (This build does not export
  // hb_draw_funcs_make_immutable; nothing changes the funcs after this.)
  return funcs;
}

/** Instantiates HarfBuzz, once per isolate; nothing happens at import. */
export function harfbuzzReady(): Promise<void> {
  ready ??= Promise.resolve()
    .then(() => {
      const hb = instantiate();
      harfbuzz = { hb, scratch: alloc(hb, SCRATCH_BYTES), drawFuncs: drawFuncs(hb) };
    })
    .catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
  return ready;
}

function loaded() {
  if (!harfbuzz) throw new Error('HarfBuzz is not ready: await harfbuzzReady() first');
  return harfbuzz;
}

function alloc(hb: HarfBuzz, size: number): number {
  // malloc(0) may answer 0, which would read as out of memory.
  const ptr = hb.malloc(Math.max(size, 1));
  if (ptr === 0) throw new Error('HarfBuzz is out of memory');
  return ptr;
}

/** The WASM memory HarfBuzz has grown to, in bytes: it never shrinks, so faces never freed would show. */
export const harfbuzzMemoryBytes = () => harfbuzz?.hb.memory.buffer.byteLength ?? 0;

/** Views of WASM memory: taken afresh after each call, since growing it replaces the buffer. */
const bytesOf = (hb: HarfBuzz) => new Uint8Array(hb.memory.buffer);
const words = (hb: HarfBuzz, ptr: number, count: number) => new Int32Array(hb.memory.buffer, ptr, count);

const encoder = new TextEncoder();

/** Runs `use` with `text` as UTF-8 in WASM memory, freed after. */
function withUtf8<T>(hb: HarfBuzz, text: string, use: (ptr: number, length: number) => T): T {
  const utf8 = encoder.encode(text);
  const ptr = alloc(hb, utf8.length);
  try {
    bytesOf(hb).set(utf8, ptr);
    return use(ptr, utf8.length);
  } finally {
    hb.free(ptr);
  }
}

/** One sfnt font (TTF/OTF) in HarfBuzz, shaped at its units per em. */
export class ShapingFace {
  private readonly paths = new Map<number, string>();
  private destroyed = false;

  private constructor(
    private readonly data: number,
    private readonly blob: number,
    private readonly face: number,
    private readonly font: number,
    readonly unitsPerEm: number,
    /** Above the baseline, in font units (y up). */
    readonly ascender: number,
    /** Below the baseline, in font units: negative. */
    readonly descender: number,
  ) {}

  /** Copies the font into WASM memory (the caller's bytes are not kept); after harfbuzzReady(). */
  static create(sfnt: ArrayBuffer): ShapingFace {
    const { hb, scratch } = loaded();
    const data = alloc(hb, sfnt.byteLength);
    bytesOf(hb).set(new Uint8Array(sfnt), data);
    // No destroy callback (it would need a WASM function pointer): destroy() frees the bytes.
    const blob = hb.hb_blob_create(data, sfnt.byteLength, MEMORY_MODE_WRITABLE, 0, 0);
    const face = hb.hb_face_create(blob, 0);
    const font = hb.hb_font_create(face);
    const head = hb.hb_face_reference_table(face, HEAD);
    const isFont = hb.hb_blob_get_length(head) > 0;
    hb.hb_blob_destroy(head);
    if (!isFont) {
      free(hb, data, blob, face, font);
      throw new Error('Not a TrueType or OpenType font');
    }
    const upem = hb.hb_face_get_upem(face);
    // A font without line metrics gets HarfBuzz's own fallback: 0.8 em above the baseline, 0.2 below.
    const [ascender, descender] = hb.hb_font_get_h_extents(font, scratch)
      ? words(hb, scratch, 2)
      : [upem * 0.8, -upem * 0.2];
    return new ShapingFace(data, blob, face, font, upem, ascender!, descender!);
  }

  /** Whether the font maps the character to a glyph of its own. */
  has(codePoint: number): boolean {
    const { hb, scratch } = this.live();
    return hb.hb_font_get_nominal_glyph(this.font, codePoint, scratch) !== 0;
  }

  /** The glyphs HarfBuzz sets `text` in, in visual order (right to left text comes out reversed). */
  shape(text: string, { direction, script, language, features = '' }: ShapeOptions): ShapedGlyph[] {
    const { hb } = this.live();
    if (text === '') return [];
    const featureList = features
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const buffer = hb.hb_buffer_create();
    // free(0) does nothing, so whatever was allocated before a throw is freed below.
    let units = 0;
    let featureArray = 0;
    try {
      units = alloc(hb, text.length * 2);
      featureArray = alloc(hb, featureList.length * FEATURE_BYTES);
      const utf16 = new Uint16Array(hb.memory.buffer, units, text.length);
      for (let i = 0; i < text.length; i++) utf16[i] = text.charCodeAt(i);
      hb.hb_buffer_add_utf16(buffer, units, text.length, 0, text.length);
      hb.hb_buffer_set_direction(buffer, directions[direction]);
      const scriptTag = withUtf8(hb, script, (ptr, n) => hb.hb_script_from_string(ptr, n));
      hb.hb_buffer_set_script(buffer, scriptTag);
      if (language) {
        // HarfBuzz keeps each language it is given for the life of the isolate: nothing to free.
        const languageId = withUtf8(hb, language, (ptr, n) => hb.hb_language_from_string(ptr, n));
        hb.hb_buffer_set_language(buffer, languageId);
      }
      hb.hb_buffer_set_flags(buffer, WHOLE_TEXT);
      featureList.forEach((feature, i) => {
        const at = featureArray + i * FEATURE_BYTES;
        if (!withUtf8(hb, feature, (ptr, n) => hb.hb_feature_from_string(ptr, n, at))) {
          throw new Error(`Not an OpenType feature setting: ${feature}`);
        }
      });
      hb.hb_shape(this.font, buffer, featureArray, featureList.length);

      const count = hb.hb_buffer_get_length(buffer);
      const infoArray = hb.hb_buffer_get_glyph_infos(buffer, 0);
      const positionArray = hb.hb_buffer_get_glyph_positions(buffer, 0);
      const infos = new Uint32Array(hb.memory.buffer, infoArray, count * GLYPH_FIELDS);
      const positions = words(hb, positionArray, count * GLYPH_FIELDS);
      return Array.from({ length: count }, (_, i) => {
        const at = i * GLYPH_FIELDS;
        return {
          id: infos[at]!,
          cluster: infos[at + 2]!,
          xAdvance: positions[at]!,
          yAdvance: positions[at + 1]!,
          xOffset: positions[at + 2]!,
          yOffset: positions[at + 3]!,
        };
      });
    } finally {
      hb.hb_buffer_destroy(buffer);
      hb.free(units);
      hb.free(featureArray);
    }
  }

  /**
   * A glyph's outline as SVG path data in font units, y up (absolute M, L, Q, C, Z), as HarfBuzz
   * draws it; '' for a glyph with no ink or none in the font. Read once per glyph.
   */
  glyphPath(id: number): string {
    const { hb, drawFuncs } = this.live();
    let path = this.paths.get(id);
    if (path !== undefined) return path;
    path = '';
    // HarfBuzz draws nothing for a glyph id past the font's last.
    if (Number.isInteger(id) && id >= 0 && id <= 0xffffffff) {
      drawn = '';
      try {
        hb.hb_font_draw_glyph(this.font, id, drawFuncs, 0);
        path = drawn;
      } finally {
        drawn = '';
      }
    }
    this.paths.set(id, path);
    return path;
  }

  /** Frees the font in HarfBuzz; the face cannot be used after. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    free(loaded().hb, this.data, this.blob, this.face, this.font);
    this.paths.clear();
  }

  private live() {
    if (this.destroyed) throw new Error('This font face was destroyed');
    return loaded();
  }
}

/** Font before face before blob, each holding the next; the bytes go last. */
function free(hb: HarfBuzz, data: number, blob: number, face: number, font: number) {
  hb.hb_font_destroy(font);
  hb.hb_face_destroy(face);
  hb.hb_blob_destroy(blob);
  hb.free(data);
}
