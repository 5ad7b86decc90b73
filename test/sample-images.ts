import sharp from 'sharp';

/**
 * Images as an organiser would upload them, made with sharp (libvips) in Node when the tests
 * start: a 6000×4000 camera-sized photo and a logo with a transparent background.
 */
export async function sampleImages() {
  const photoSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="6000" height="4000">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1d4e89"/><stop offset="1" stop-color="#f2a65a"/></linearGradient></defs>
    <rect width="6000" height="4000" fill="url(#sky)"/>
    <circle cx="4200" cy="1300" r="500" fill="#ffd166"/>
    <path d="M0 3000 L1500 1900 L2600 2700 L3900 1700 L6000 3100 L6000 4000 L0 4000 Z" fill="#2b2d42"/>
  </svg>`;
  const logoSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="240">
    <rect x="10" y="10" width="580" height="220" rx="40" fill="#c0392b"/>
    <circle cx="120" cy="120" r="70" fill="#ffffff"/>
  </svg>`;
  const [photo, logo] = await Promise.all([
    sharp(Buffer.from(photoSvg)).jpeg({ quality: 85 }).toBuffer(),
    sharp(Buffer.from(logoSvg)).png().toBuffer(),
  ]);
  return { SAMPLE_PHOTO_JPEG: new Uint8Array(photo), SAMPLE_LOGO_PNG: new Uint8Array(logo) };
}
