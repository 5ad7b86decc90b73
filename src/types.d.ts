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
  export interface Font {
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
  }
  export default function bidiFactory(): Bidi;
}
