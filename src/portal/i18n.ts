import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { AppEnv } from '../env';

/**
 * The portal's languages: its pages speak the runner's language. The API stays English, and a
 * certificate's own texts stay as the organiser designed them.
 *
 * A page of the portal gets its language from the `portalLanguage` middleware:
 *
 *   new Hono<PortalEnv>().use(portalLanguage).get('/x', (c) => { const m = t(c.var.locale); … })
 *
 * and passes `locale` on to `<Page lang={locale}>` and its views.
 */
export const locales = ['en', 'de', 'fr', 'es'] as const;
export type Locale = (typeof locales)[number];

const localeSchema = z.enum(locales);

/** Routes whose pages are in the runner's language: `c.var.locale` is set by portalLanguage. */
export interface PortalEnv {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & { locale: Locale };
}

/** Each language's name in itself, for the switcher: someone looking for their language reads it. */
export const languageNames: Record<Locale, string> = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español' };

/** The region whose way of writing dates a language's pages follow ("19 April 2026", not "April 19, 2026"). */
const dateLocale: Record<Locale, string> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR', es: 'es-ES' };

const COOKIE = 'lang';
/** A header longer than this is not a browser's; only its start is read. */
const MAX_ACCEPT_LANGUAGE = 500;

/**
 * The best language of `Accept-Language` the portal speaks, by q-value (`de;q=0` refuses German),
 * the header's order breaking ties; by primary subtag, so `de-AT` is German. Undefined for none.
 */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  const ranges = (header ?? '')
    .slice(0, MAX_ACCEPT_LANGUAGE)
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      // A q that is not a number leaves the range out (NaN), as a range refused.
      const q = params.find((p) => /^\s*q=/.test(p));
      const weight = q === undefined ? 1 : Number(/^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(q)?.[1] ?? Number.NaN);
      const locale = localeSchema.safeParse(tag.split('-')[0]?.toLowerCase()).data;
      return { locale, q: weight, order };
    })
    .filter((r) => r.locale && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranges[0]?.locale;
}

/**
 * Which language a portal page is in: the switcher's `?lang=` (then remembered in a cookie), the
 * cookie, the browser's Accept-Language, else English. A language the portal does not speak is
 * passed over as browsers do, not refused: it is a preference, and the page still answers.
 */
export const portalLanguage = createMiddleware<PortalEnv>(async (c, next) => {
  const chosen = localeSchema.safeParse(c.req.query('lang')).data;
  if (chosen) setCookie(c, COOKIE, chosen, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'Lax', secure: true });
  const locale =
    chosen ??
    localeSchema.safeParse(getCookie(c, COOKIE)).data ??
    fromAcceptLanguage(c.req.header('Accept-Language')) ??
    'en';
  c.set('locale', locale);
  await next();
  // The same address answers in other languages: caches must keep them apart.
  c.header('Vary', 'Accept-Language, Cookie', { append: true });
});

/** An event's day ('2026-04-19') as people write it: "19 April 2026", "19. April 2026"; unparseable text as it is. */
export function formatEventDate(locale: Locale, date: string) {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!day) return date;
  const at = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(dateLocale[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The plural form of `forms` that `count` takes in `locale`, with the count written that language's way. */
function plural(locale: Locale, count: number, forms: Plural) {
  const form = forms[new Intl.PluralRules(dateLocale[locale]).select(count)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(dateLocale[locale]).format(count));
}

/** Everything the portal's pages say, in one language. Sentences holding a link come in parts around it. */
export interface Messages {
  siteName: string;
  languages: string;
  homeTitle: string;
  homeIntro: string;
  noEvents: string;
  eventTitle: (event: string) => string;
  searchLabel: string;
  search: string;
  emptySearch: string;
  noMatch: (query: string) => string;
  moreMatches: (total: number, query: string) => string;
  searchTooLong: (max: number) => string;
  searchControlCharacters: string;
  finisher: string;
  finished: (name: string, event: string, time: string) => string;
  tookPart: (name: string, event: string) => string;
  certificateAlt: (name: string, event: string) => string;
  /** The share card's alt text: a name, a result (a time, Finisher or DNF) and the event. */
  shareCardAlt: (name: string, result: string, event: string) => string;
  downloadPng: string;
  downloadPdf: string;
  downloadSvg: string;
  copyLink: string;
  linkCopied: string;
  share: string;
  saveImage: string;
  format: string;
  formats: { png: string; pdf: string; square: string; story: string; share: string };
  shareOn: string;
  shareText: (event: string) => string;
  email: string;
  addToLinkedIn: string;
  /** The certification's name on a LinkedIn profile: the event, and Finisher or a word for taking part. */
  certificationName: (event: string, finished: boolean) => string;
  linkToCertificate: string;
  verify: [before: string, link: string, after: string];
  removeCertificate: string;
  seeAllEvents: string;
  errorTitle: (status: number) => string;
  eventNotFound: (slug: string) => string;
  certificateNotFound: string;
}

const en: Messages = {
  siteName: 'Certificates',
  languages: 'Language',
  homeTitle: 'Find your certificate',
  homeIntro: 'Pick your event, then search by bib number or name.',
  noEvents: 'No events are published yet.',
  eventTitle: (event) => `${event}: certificates`,
  searchLabel: 'Bib number or name',
  search: 'Search',
  emptySearch: 'Type your bib number or your name.',
  noMatch: (query) => `No one matches “${query}”. Try your bib number, or fewer letters of your name.`,
  moreMatches: (total, query) =>
    plural('en', total, {
      one: `# participant matches “${query}”: add a first name or your bib`,
      other: `# participants match “${query}”: add a first name or your bib`,
    }),
  searchTooLong: (max) => `Search for at most ${max} characters: a bib number or part of a name.`,
  searchControlCharacters: 'The search holds control characters; type a bib number or a name.',
  finisher: 'Finisher',
  finished: (name, event, time) => `${name} finished ${event} in ${time}.`,
  tookPart: (name, event) => `${name} took part in ${event}.`,
  certificateAlt: (name, event) => `Certificate of ${name} for ${event}`,
  shareCardAlt: (name, result, event) => `${name}: ${result} at ${event}`,
  downloadPng: 'Download PNG',
  downloadPdf: 'Download PDF',
  downloadSvg: 'Download SVG',
  copyLink: 'Copy link',
  linkCopied: 'Link copied',
  share: 'Share',
  saveImage: 'Save image',
  format: 'Image',
  formats: {
    png: 'Certificate (PNG)',
    pdf: 'Certificate (PDF)',
    square: 'Square post',
    story: 'Story',
    share: 'Link preview',
  },
  shareOn: 'Share on',
  shareText: (event) => `My certificate from ${event}`,
  email: 'Email',
  addToLinkedIn: 'Add to LinkedIn profile',
  certificationName: (event, finished) => `${event}: ${finished ? 'Finisher' : 'Participant'}`,
  linkToCertificate: 'Link to this certificate:',
  verify: ['Anyone can ', 'check this certificate', '; the QR code on it leads there too.'],
  removeCertificate: 'Remove my certificate',
  seeAllEvents: 'See all events',
  errorTitle: (status) =>
    status === 404 ? 'Not found' : status === 410 ? 'No longer here' : status < 500 ? 'That did not work' : 'Sorry',
  eventNotFound: (slug) =>
    `There is no published event at “${slug}”. Check the link, or find your event in the list of events.`,
  certificateNotFound: 'This certificate is not available. Search the event again by bib number or name.',
};

const de: Messages = {
  siteName: 'Urkunden',
  languages: 'Sprache',
  homeTitle: 'Finde deine Urkunde',
  homeIntro: 'Wähle deine Veranstaltung und suche nach Startnummer oder Name.',
  noEvents: 'Noch sind keine Veranstaltungen veröffentlicht.',
  eventTitle: (event) => `${event}: Urkunden`,
  searchLabel: 'Startnummer oder Name',
  search: 'Suchen',
  emptySearch: 'Gib deine Startnummer oder deinen Namen ein.',
  noMatch: (query) =>
    `Niemand passt zu „${query}“. Versuche es mit deiner Startnummer oder weniger Buchstaben deines Namens.`,
  moreMatches: (total, query) =>
    plural('de', total, {
      one: `# Teilnehmer:in passt zu „${query}“: gib einen Vornamen oder deine Startnummer dazu`,
      other: `# Teilnehmende passen zu „${query}“: gib einen Vornamen oder deine Startnummer dazu`,
    }),
  searchTooLong: (max) => `Suche nach höchstens ${max} Zeichen: einer Startnummer oder einem Teil des Namens.`,
  searchControlCharacters: 'Die Suche enthält Steuerzeichen; gib eine Startnummer oder einen Namen ein.',
  finisher: 'Finisher',
  finished: (name, event, time) => `${name} hat ${event} in ${time} beendet.`,
  tookPart: (name, event) => `${name} hat an ${event} teilgenommen.`,
  certificateAlt: (name, event) => `Urkunde von ${name} für ${event}`,
  shareCardAlt: (name, result, event) => `${name}: ${result} bei ${event}`,
  downloadPng: 'PNG herunterladen',
  downloadPdf: 'PDF herunterladen',
  downloadSvg: 'SVG herunterladen',
  copyLink: 'Link kopieren',
  linkCopied: 'Link kopiert',
  share: 'Teilen',
  saveImage: 'Bild speichern',
  format: 'Bild',
  formats: {
    png: 'Urkunde (PNG)',
    pdf: 'Urkunde (PDF)',
    square: 'Quadratischer Beitrag',
    story: 'Story',
    share: 'Link-Vorschau',
  },
  shareOn: 'Teilen auf',
  shareText: (event) => `Meine Urkunde von ${event}`,
  email: 'E-Mail',
  addToLinkedIn: 'Zum LinkedIn-Profil hinzufügen',
  certificationName: (event, finished) => `${event}: ${finished ? 'Finisher' : 'Teilnahme'}`,
  linkToCertificate: 'Link zu dieser Urkunde:',
  verify: ['Jede:r kann ', 'diese Urkunde prüfen', '; der QR-Code darauf führt auch dorthin.'],
  removeCertificate: 'Meine Urkunde entfernen',
  seeAllEvents: 'Alle Veranstaltungen',
  errorTitle: (status) =>
    status === 404
      ? 'Nicht gefunden'
      : status === 410
        ? 'Nicht mehr da'
        : status < 500
          ? 'Das hat nicht geklappt'
          : 'Entschuldigung',
  eventNotFound: (slug) =>
    `Unter „${slug}“ ist keine Veranstaltung veröffentlicht. Prüfe den Link oder finde deine Veranstaltung in der Liste.`,
  certificateNotFound:
    'Diese Urkunde ist nicht verfügbar. Suche in der Veranstaltung noch einmal nach Startnummer oder Name.',
};

const fr: Messages = {
  siteName: 'Certificats',
  languages: 'Langue',
  homeTitle: 'Trouvez votre certificat',
  homeIntro: 'Choisissez votre épreuve, puis cherchez par dossard ou par nom.',
  noEvents: 'Aucune épreuve n’est encore publiée.',
  eventTitle: (event) => `${event} : certificats`,
  searchLabel: 'Dossard ou nom',
  search: 'Chercher',
  emptySearch: 'Tapez votre numéro de dossard ou votre nom.',
  noMatch: (query) => `Personne ne correspond à « ${query} ». Essayez votre dossard, ou moins de lettres de votre nom.`,
  moreMatches: (total, query) =>
    plural('fr', total, {
      one: `# participant correspond à « ${query} » : ajoutez un prénom ou votre dossard`,
      other: `# participants correspondent à « ${query} » : ajoutez un prénom ou votre dossard`,
    }),
  searchTooLong: (max) => `Cherchez au plus ${max} caractères : un dossard ou une partie d’un nom.`,
  searchControlCharacters: 'La recherche contient des caractères de contrôle ; tapez un dossard ou un nom.',
  finisher: 'Finisher',
  finished: (name, event, time) => `${name} a terminé ${event} en ${time}.`,
  tookPart: (name, event) => `${name} a participé à ${event}.`,
  certificateAlt: (name, event) => `Certificat de ${name} pour ${event}`,
  shareCardAlt: (name, result, event) => `${name} : ${result} à ${event}`,
  downloadPng: 'Télécharger le PNG',
  downloadPdf: 'Télécharger le PDF',
  downloadSvg: 'Télécharger le SVG',
  copyLink: 'Copier le lien',
  linkCopied: 'Lien copié',
  share: 'Partager',
  saveImage: 'Enregistrer l’image',
  format: 'Image',
  formats: {
    png: 'Certificat (PNG)',
    pdf: 'Certificat (PDF)',
    square: 'Publication carrée',
    story: 'Story',
    share: 'Aperçu du lien',
  },
  shareOn: 'Partager sur',
  shareText: (event) => `Mon certificat de ${event}`,
  email: 'E-mail',
  addToLinkedIn: 'Ajouter au profil LinkedIn',
  certificationName: (event, finished) => `${event} : ${finished ? 'Finisher' : 'Participation'}`,
  linkToCertificate: 'Lien vers ce certificat :',
  verify: ['Chacun peut ', 'vérifier ce certificat', ' ; son code QR y mène aussi.'],
  removeCertificate: 'Retirer mon certificat',
  seeAllEvents: 'Voir tous les événements',
  errorTitle: (status) =>
    status === 404
      ? 'Introuvable'
      : status === 410
        ? 'Plus disponible'
        : status < 500
          ? 'Cela n’a pas marché'
          : 'Désolé',
  eventNotFound: (slug) =>
    `Aucun événement publié à l’adresse « ${slug} ». Vérifiez le lien, ou trouvez votre épreuve dans la liste.`,
  certificateNotFound: 'Ce certificat n’est pas disponible. Cherchez à nouveau par dossard ou par nom.',
};

const es: Messages = {
  siteName: 'Certificados',
  languages: 'Idioma',
  homeTitle: 'Encuentra tu certificado',
  homeIntro: 'Elige tu evento y busca por dorsal o por nombre.',
  noEvents: 'Todavía no hay eventos publicados.',
  eventTitle: (event) => `${event}: certificados`,
  searchLabel: 'Dorsal o nombre',
  search: 'Buscar',
  emptySearch: 'Escribe tu número de dorsal o tu nombre.',
  noMatch: (query) => `Nadie coincide con «${query}». Prueba con tu dorsal, o con menos letras de tu nombre.`,
  moreMatches: (total, query) =>
    plural('es', total, {
      one: `# participante coincide con «${query}»: añade un nombre de pila o tu dorsal`,
      other: `# participantes coinciden con «${query}»: añade un nombre de pila o tu dorsal`,
    }),
  searchTooLong: (max) => `Busca como máximo ${max} caracteres: un dorsal o parte de un nombre.`,
  searchControlCharacters: 'La búsqueda contiene caracteres de control; escribe un dorsal o un nombre.',
  finisher: 'Finisher',
  finished: (name, event, time) => `${name} terminó ${event} en ${time}.`,
  tookPart: (name, event) => `${name} participó en ${event}.`,
  certificateAlt: (name, event) => `Certificado de ${name} en ${event}`,
  shareCardAlt: (name, result, event) => `${name}: ${result} en ${event}`,
  downloadPng: 'Descargar PNG',
  downloadPdf: 'Descargar PDF',
  downloadSvg: 'Descargar SVG',
  copyLink: 'Copiar enlace',
  linkCopied: 'Enlace copiado',
  share: 'Compartir',
  saveImage: 'Guardar imagen',
  format: 'Imagen',
  formats: {
    png: 'Certificado (PNG)',
    pdf: 'Certificado (PDF)',
    square: 'Publicación cuadrada',
    story: 'Historia',
    share: 'Vista previa del enlace',
  },
  shareOn: 'Compartir en',
  shareText: (event) => `Mi certificado de ${event}`,
  email: 'Correo',
  addToLinkedIn: 'Añadir al perfil de LinkedIn',
  certificationName: (event, finished) => `${event}: ${finished ? 'Finisher' : 'Participación'}`,
  linkToCertificate: 'Enlace a este certificado:',
  verify: ['Cualquiera puede ', 'comprobar este certificado', '; su código QR también lleva allí.'],
  removeCertificate: 'Retirar mi certificado',
  seeAllEvents: 'Ver todos los eventos',
  errorTitle: (status) =>
    status === 404
      ? 'No encontrado'
      : status === 410
        ? 'Ya no está aquí'
        : status < 500
          ? 'Eso no funcionó'
          : 'Lo sentimos',
  eventNotFound: (slug) =>
    `No hay ningún evento publicado en «${slug}». Comprueba el enlace o busca tu evento en la lista.`,
  certificateNotFound: 'Este certificado no está disponible. Vuelve a buscar por dorsal o por nombre.',
};

const catalogue: Record<Locale, Messages> = { en, de, fr, es };

/** What the portal says, in `locale`. */
export const t = (locale: Locale): Messages => catalogue[locale];
