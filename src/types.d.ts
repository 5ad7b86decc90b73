declare module '*.woff' {
  const data: ArrayBuffer;
  export default data;
}

declare module '*.css' {
  const source: string;
  export default source;
}

declare module '*.client.js' {
  const source: string;
  export default source;
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
    /** False when parsing found no outlines it can draw. */
    supported: boolean;
  }
  export function parse(buffer: ArrayBuffer): Font;
}

declare module 'bidi-js' {
  interface EmbeddingLevels {
    levels: Uint8Array;
    paragraphs: { start: number; end: number; level: number }[];
  }
  interface Bidi {
    getEmbeddingLevels(text: string, direction?: 'ltr' | 'rtl'): EmbeddingLevels;
    getReorderSegments(text: string, levels: EmbeddingLevels, start?: number, end?: number): [number, number][];
    getMirroredCharactersMap(text: string, levels: EmbeddingLevels, start?: number, end?: number): Map<number, string>;
  }
  export default function bidiFactory(): Bidi;
}

// CommonJS: imported as its default export, which Node and esbuild both give as module.exports.
declare module 'arabic-persian-reshaper' {
  const reshaper: { ArabicShaper: { convertArabic(text: string): string } };
  export default reshaper;
}
