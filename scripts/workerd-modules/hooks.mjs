// Module rules of wrangler.toml for Node: *.wasm is a compiled WebAssembly.Module, fonts are
// ArrayBuffers, *.client.js and *.css are text.
const read = (url) => `readFileSync(new URL(${JSON.stringify(url)}))`;

export async function load(url, context, nextLoad) {
  const path = url.split('?')[0];
  let source;
  if (path.endsWith('.wasm')) source = `export default new WebAssembly.Module(${read(url)});`;
  else if (/\.(woff|ttf|otf)$/.test(path))
    source = `const b = ${read(url)}; export default b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);`;
  else if (/\.client\.js$|\.css$/.test(path)) source = `export default ${read(url)}.toString('utf8');`;
  else return nextLoad(url, context);
  return { format: 'module', source: `import { readFileSync } from 'node:fs';\n${source}`, shortCircuit: true };
}
