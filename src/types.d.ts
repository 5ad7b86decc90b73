declare module '*.woff' {
  const data: ArrayBuffer;
  export default data;
}

declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

declare module '@shuding/opentype.js' {
  export interface Glyph {
    advanceWidth?: number;
  }
  export interface Font {
    unitsPerEm: number;
    charToGlyphIndex(char: string): number;
    charToGlyph(char: string): Glyph;
  }
  export function parse(buffer: ArrayBuffer): Font;
}
