// The bundled @fontsource faces: family, weight, unicode subset, bytes.
// Subsets are ordered so that the common ones are tried first when looking for a glyph.
import sans400Latin from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff';
import sans400LatinExt from '@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff';
import sans400Cyrillic from '@fontsource/noto-sans/files/noto-sans-cyrillic-400-normal.woff';
import sans400CyrillicExt from '@fontsource/noto-sans/files/noto-sans-cyrillic-ext-400-normal.woff';
import sans400Greek from '@fontsource/noto-sans/files/noto-sans-greek-400-normal.woff';
import sans400GreekExt from '@fontsource/noto-sans/files/noto-sans-greek-ext-400-normal.woff';
import sans400Vietnamese from '@fontsource/noto-sans/files/noto-sans-vietnamese-400-normal.woff';
import sans700Latin from '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff';
import sans700LatinExt from '@fontsource/noto-sans/files/noto-sans-latin-ext-700-normal.woff';
import sans700Cyrillic from '@fontsource/noto-sans/files/noto-sans-cyrillic-700-normal.woff';
import sans700CyrillicExt from '@fontsource/noto-sans/files/noto-sans-cyrillic-ext-700-normal.woff';
import sans700Greek from '@fontsource/noto-sans/files/noto-sans-greek-700-normal.woff';
import sans700GreekExt from '@fontsource/noto-sans/files/noto-sans-greek-ext-700-normal.woff';
import sans700Vietnamese from '@fontsource/noto-sans/files/noto-sans-vietnamese-700-normal.woff';
import serif400Latin from '@fontsource/noto-serif/files/noto-serif-latin-400-normal.woff';
import serif400LatinExt from '@fontsource/noto-serif/files/noto-serif-latin-ext-400-normal.woff';
import serif400Cyrillic from '@fontsource/noto-serif/files/noto-serif-cyrillic-400-normal.woff';
import serif400CyrillicExt from '@fontsource/noto-serif/files/noto-serif-cyrillic-ext-400-normal.woff';
import serif400Greek from '@fontsource/noto-serif/files/noto-serif-greek-400-normal.woff';
import serif400GreekExt from '@fontsource/noto-serif/files/noto-serif-greek-ext-400-normal.woff';
import serif400Vietnamese from '@fontsource/noto-serif/files/noto-serif-vietnamese-400-normal.woff';
import serif700Latin from '@fontsource/noto-serif/files/noto-serif-latin-700-normal.woff';
import serif700LatinExt from '@fontsource/noto-serif/files/noto-serif-latin-ext-700-normal.woff';
import serif700Cyrillic from '@fontsource/noto-serif/files/noto-serif-cyrillic-700-normal.woff';
import serif700CyrillicExt from '@fontsource/noto-serif/files/noto-serif-cyrillic-ext-700-normal.woff';
import serif700Greek from '@fontsource/noto-serif/files/noto-serif-greek-700-normal.woff';
import serif700GreekExt from '@fontsource/noto-serif/files/noto-serif-greek-ext-700-normal.woff';
import serif700Vietnamese from '@fontsource/noto-serif/files/noto-serif-vietnamese-700-normal.woff';

import sans400Devanagari from '@fontsource/noto-sans/files/noto-sans-devanagari-400-normal.woff';
import sans400Arabic from '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff';
import sans400Hebrew from '@fontsource/noto-sans-hebrew/files/noto-sans-hebrew-hebrew-400-normal.woff';
import sans400Thai from '@fontsource/noto-sans-thai/files/noto-sans-thai-thai-400-normal.woff';
import sans700Devanagari from '@fontsource/noto-sans/files/noto-sans-devanagari-700-normal.woff';
import sans700Arabic from '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff';
import sans700Hebrew from '@fontsource/noto-sans-hebrew/files/noto-sans-hebrew-hebrew-700-normal.woff';
import sans700Thai from '@fontsource/noto-sans-thai/files/noto-sans-thai-thai-700-normal.woff';
type FontFile = readonly [family: string, weight: 400 | 700, subset: string, data: ArrayBuffer];
export const fontFiles: readonly FontFile[] = [
  ['Noto Sans', 400, 'latin', sans400Latin],
  ['Noto Sans', 400, 'latin-ext', sans400LatinExt],
  ['Noto Sans', 400, 'cyrillic', sans400Cyrillic],
  ['Noto Sans', 400, 'cyrillic-ext', sans400CyrillicExt],
  ['Noto Sans', 400, 'greek', sans400Greek],
  ['Noto Sans', 400, 'greek-ext', sans400GreekExt],
  ['Noto Sans', 400, 'vietnamese', sans400Vietnamese],
  ['Noto Sans', 700, 'latin', sans700Latin],
  ['Noto Sans', 700, 'latin-ext', sans700LatinExt],
  ['Noto Sans', 700, 'cyrillic', sans700Cyrillic],
  ['Noto Sans', 700, 'cyrillic-ext', sans700CyrillicExt],
  ['Noto Sans', 700, 'greek', sans700Greek],
  ['Noto Sans', 700, 'greek-ext', sans700GreekExt],
  ['Noto Sans', 700, 'vietnamese', sans700Vietnamese],
  ['Noto Serif', 400, 'latin', serif400Latin],
  ['Noto Serif', 400, 'latin-ext', serif400LatinExt],
  ['Noto Serif', 400, 'cyrillic', serif400Cyrillic],
  ['Noto Serif', 400, 'cyrillic-ext', serif400CyrillicExt],
  ['Noto Serif', 400, 'greek', serif400Greek],
  ['Noto Serif', 400, 'greek-ext', serif400GreekExt],
  ['Noto Serif', 400, 'vietnamese', serif400Vietnamese],
  ['Noto Serif', 700, 'latin', serif700Latin],
  ['Noto Serif', 700, 'latin-ext', serif700LatinExt],
  ['Noto Serif', 700, 'cyrillic', serif700Cyrillic],
  ['Noto Serif', 700, 'cyrillic-ext', serif700CyrillicExt],
  ['Noto Serif', 700, 'greek', serif700Greek],
  ['Noto Serif', 700, 'greek-ext', serif700GreekExt],
  ['Noto Serif', 700, 'vietnamese', serif700Vietnamese],
  // Scripts with a face of their own in Noto; every family falls back to these.
  ['Noto Sans', 400, 'devanagari', sans400Devanagari],
  ['Noto Sans', 400, 'arabic', sans400Arabic],
  ['Noto Sans', 400, 'hebrew', sans400Hebrew],
  ['Noto Sans', 400, 'thai', sans400Thai],
  ['Noto Sans', 700, 'devanagari', sans700Devanagari],
  ['Noto Sans', 700, 'arabic', sans700Arabic],
  ['Noto Sans', 700, 'hebrew', sans700Hebrew],
  ['Noto Sans', 700, 'thai', sans700Thai],
];
