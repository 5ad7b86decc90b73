import encodeQR from 'qr';
import { conditionHolds, fillPlaceholders, type CertificateFields } from './fields';
import type { Design, QrElement } from './layout';

// Modules of light margin around a QR code, so scanners find its edges on any background.
const QR_QUIET_ZONE = 2;

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

function qrMarkup(qr: QrElement, fields: CertificateFields): string {
  const value = fillPlaceholders(qr.value, fields);
  if (!value) return '';
  // The library insists on a quiet zone of at least one module; the margin here is drawn below.
  const modules = encodeQR(value, 'raw', { ecc: 'medium', border: 1 })
    .slice(1, -1)
    .map((row) => row.slice(1, -1));
  const count = modules.length;
  const isDark = (row: number, col: number) => modules[row]![col]!;
  // Whole pixels per module keep the edges between modules crisp, which scanners like.
  const module = Math.max(1, Math.floor(Math.min(qr.width, qr.height) / (count + 2 * QR_QUIET_ZONE)));
  const drawn = module * count;
  const left = qr.x + (qr.width - drawn) / 2;
  const top = qr.y + (qr.height - drawn) / 2;
  let d = '';
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; ) {
      if (!isDark(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < count && isDark(row, end)) end++;
      d += `M${left + col * module},${top + row * module}h${(end - col) * module}v${module}h${-(end - col) * module}z`;
      col = end;
    }
  }
  const margin = QR_QUIET_ZONE * module;
  const background = qr.background
    ? `<rect x="${left - margin}" y="${top - margin}" width="${drawn + 2 * margin}" height="${drawn + 2 * margin}" fill="${escapeAttribute(qr.background)}"/>`
    : '';
  return `${background}<path d="${d}" fill="${escapeAttribute(qr.colour)}"/>`;
}

/**
 * Draws a design's QR codes into Satori's SVG as one path each, on top of the rest. Laid out by
 * Satori as a box per module they cost a certificate render about 60 ms; as a path, nothing.
 */
export function drawQrCodes(svg: string, design: Design, fields: CertificateFields): string {
  const markup = design.elements
    .filter((e): e is QrElement => e.type === 'qr' && conditionHolds(e.when, fields))
    .map((qr) => qrMarkup(qr, fields))
    .join('');
  if (!markup) return svg;
  const end = svg.lastIndexOf('</svg>');
  return svg.slice(0, end) + markup + svg.slice(end);
}
