/** Bytes as a `data:` URI, which Satori and resvg take as an image source. */
export function dataUri(contentType: string, data: ArrayBuffer): string {
  const bytes = new Uint8Array(data);
  let binary = '';
  // In chunks: one call with every byte as an argument overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${contentType};base64,${btoa(binary)}`;
}
