/**
 * Names as runners write them, in every script the renderer draws: the shaping tests
 * (test/text-shaping.test.ts), the reference run (scripts/shaping-reference.ts) and the contact
 * sheet (scripts/contact-sheet.ts) all take them from here. `language` is what the event or the
 * record would say, where the script alone cannot tell.
 */
export interface TestName {
  script: string;
  name: string;
  language?: string;
  /** What a reader checks: the spelling mistake today's renderers make with it. */
  note?: string;
}

export const testNames: TestName[] = [
  { script: 'Latin', name: 'Zoë Ñúñez-Øster' },
  { script: 'Latin', name: 'Geoffrey Kirui' },
  { script: 'Latin', name: 'Siobhán Ní Mhaoilchiaráin' },
  { script: 'Vietnamese', name: 'Nguyễn Thị Ánh Tuyết' },
  { script: 'Cyrillic', name: 'Дмитрий Иванов' },
  { script: 'Cyrillic', name: 'Мария Ивановна Щербакова' },
  { script: 'Greek', name: 'Γιώργος Παπαδόπουλος' },
  { script: 'Armenian', name: 'Արամ Խաչատրյան' },
  { script: 'Georgian', name: 'ნინო ბერიძე' },
  { script: 'Hebrew', name: 'נועה כהן' },
  { script: 'Hebrew', name: 'שָׁלוֹם לֵוִי', note: 'points on their letters' },
  { script: 'Arabic', name: 'محمد الأمين' },
  { script: 'Arabic', name: 'مُحَمَّد عَلِيّ', note: 'vowel marks kept' },
  { script: 'Persian', name: 'پرستو رضایی' },
  { script: 'Persian', name: 'علی‌رضا احمدی', note: 'ZWNJ keeps علی and رضا apart' },
  { script: 'Urdu', name: 'ٹیپو سلطان', note: 'Nastaliq, no error' },
  { script: 'Urdu', name: 'عمران خان نیازی', language: 'ur' },
  { script: 'Urdu', name: 'ڈاکٹر عبدالقدیر خان' },
  { script: 'Devanagari', name: 'अनिल कुमार' },
  { script: 'Devanagari', name: 'क्षत्रिय शक्ति', note: 'conjuncts, no visible virama' },
  { script: 'Devanagari', name: 'धर्मेंद्र प्रसाद', note: 'reph' },
  { script: 'Bengali', name: 'রবীন্দ্রনাথ ঠাকুর' },
  { script: 'Gurmukhi', name: 'ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ' },
  { script: 'Gujarati', name: 'નરેન્દ્ર મોદી' },
  { script: 'Tamil', name: 'சுப்பிரமணியன் ராமசாமி' },
  { script: 'Telugu', name: 'వెంకటేశ్వర్లు శ్రీనివాస్' },
  { script: 'Kannada', name: 'ಕೃಷ್ಣಮೂರ್ತಿ ಶಾಸ್ತ್ರಿ' },
  { script: 'Malayalam', name: 'ഉണ്ണികൃഷ്ണൻ നായർ' },
  { script: 'Sinhala', name: 'කුමාර සංගක්කාර' },
  { script: 'Thai', name: 'สมชาย ใจดี' },
  { script: 'Thai', name: 'ณัฐพงษ์ ศรีสุข', note: 'tone marks above vowels' },
  { script: 'Lao', name: 'ສົມສັກ ພົມມະຈັນ' },
  { script: 'Khmer', name: 'សុខ ចាន់ថា' },
  { script: 'Myanmar', name: 'အောင်ဆန်းစုကြည်' },
  { script: 'Ethiopic', name: 'ቀነኒሳ በቀለ' },
  { script: 'Chinese', name: '王小明' },
  { script: 'Chinese', name: '張偉傑', language: 'zh-Hant' },
  { script: 'Chinese', name: '黃鸝' },
  { script: 'Japanese', name: 'さくら 山田' },
  { script: 'Japanese', name: '山田直海', language: 'ja', note: 'Japanese forms of 直 and 海' },
  { script: 'Korean', name: '김민준' },
  { script: 'Korean', name: '이서연', language: 'ko' },
  { script: 'Emoji', name: 'Anna 🏃‍♀️🎉' },
  { script: 'Emoji', name: 'Team 🇯🇵 🇧🇷 🏴󠁧󠁢󠁥󠁮󠁧󠁿', note: 'flags' },
  { script: 'Mixed', name: 'Anna כהן 42' },
  { script: 'Mixed', name: 'Kirui (كيروي)' },
];

/** Long names in scripts written without spaces: they must wrap, not shrink to nothing. */
export const unspacedNames: TestName[] = [
  { script: 'Chinese', name: '欧阳娜娜与上海国际马拉松赛组委会全体志愿者' },
  { script: 'Japanese', name: 'やまもとさくらこときむらたくやのしんゆうたち', language: 'ja' },
  { script: 'Thai', name: 'สมชายใจดีมีความสุขมากที่ได้วิ่งมาราธอนกรุงเทพ' },
];

/** Hostile text: stacked combining marks ("zalgo") and a character no font has. */
export const hostileNames: TestName[] = [
  { script: 'Zalgo', name: 'Z̸̢̛̪̺̣̈́̋͌͐a̵̡̛̜̹̦̓̀͌l̸̢̡̛̪̈́̋̚g̵̨̛̜̹͓̓̀o̸̢̡̺̣̍̒͘ Runner' },
  { script: 'Unassigned', name: 'Ann \u{10FFFD} Lee' },
  { script: 'Linear B', name: '𐀀𐀁𐀂 Runner' },
];
