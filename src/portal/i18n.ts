import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { RemovalQuestion } from '../certificates/removal-requests';
import type { Verdict } from '../certificates/verify';
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
 * Which language a portal page is in: the switcher's `?lang=`, the cookie it leaves, the browser's
 * Accept-Language, else English. A language the portal does not speak is passed over as browsers
 * do, not refused: it is a preference, and the page still answers. Also for the app's own
 * not-found and error pages at portal addresses, which no portal route answered.
 */
export function requestLocale(c: Context): Locale {
  return (
    localeSchema.safeParse(c.req.query('lang')).data ??
    localeSchema.safeParse(getCookie(c, COOKIE)).data ??
    fromAcceptLanguage(c.req.header('Accept-Language')) ??
    'en'
  );
}

/** The page's own path and query, which the language switcher links to in each language. */
export function switcherPath(c: Context) {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/** The same address answers in other languages: caches must keep them apart. */
export function varyByLanguage(c: Context) {
  // The app's not-found page, answered beneath portalLanguage, may have said so already.
  if (c.finalized && /Accept-Language/i.test(c.res.headers.get('Vary') ?? '')) return;
  c.header('Vary', 'Accept-Language, Cookie', { append: true });
}

/** Sets `c.var.locale` for the portal's pages (see requestLocale), and remembers a language chosen with the switcher. */
export const portalLanguage = createMiddleware<PortalEnv>(async (c, next) => {
  const chosen = localeSchema.safeParse(c.req.query('lang')).data;
  if (chosen) setCookie(c, COOKIE, chosen, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'Lax', secure: true });
  c.set('locale', requestLocale(c));
  await next();
  varyByLanguage(c);
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
const count = (locale: Locale, n: number) => new Intl.NumberFormat(dateLocale[locale]).format(n);

function plural(locale: Locale, n: number, forms: Plural) {
  const form = forms[new Intl.PluralRules(dateLocale[locale]).select(n)] ?? forms.other;
  return form.replace('#', count(locale, n));
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
  /** Past the count's cap (records/search.ts): "More than 1,000 participants match". */
  overMatches: (total: number, query: string) => string;
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
  /** The app's own pages, at an address no page answers, or when something broke. */
  pageNotFound: string;
  nothingHere: string;
  somethingWentWrong: string;
  tooManySearches: string;
  /** A results site's link to a participant that leads to no certificate: unknown and hidden alike. */
  linkFindsNoOne: string;
  /** The embedded search box's results open the certificate page outside the organiser's site. */
  opensInNewTab: string;
  /** The finish-area poster, under its QR code: before the search page's address. */
  posterScan: string;

  /** The verify page a certificate's QR code leads to. */
  certificateCheck: string;
  verdicts: Record<Verdict, string>;
  unknownCertificate: string;
  withdrawnCertificate: string;
  supersededCertificate: string;
  forgedCertificate: string;
  event: string;
  participant: string;
  result: string;
  issued: string;
  bib: (bib: string) => string;
  overallRank: (rank: number) => string;
  /** A finisher's result without a time or rank. */
  finishedResult: string;
  seeCertificate: string;

  /** The "Remove my certificate" page; `removeCertificate` is its title and its button. */
  removalQuestion: (question: RemovalQuestion) => string;
  removalIntro: (name: string, event: string) => string;
  answerHint: string;
  cannotAnswer: string;
  requestPending: string;
  organiserDecides: string;
  sendToOrganiser: string;
  certificateRemoved: string;
  removedText: (event: string) => string;
  requestSent: (event: string) => string;
  backTo: (event: string) => string;
  backToCertificate: string;
  answerEmpty: string;
  answerTooLong: string;
  answerControlCharacters: string;
  answerMismatch: (left: number, max: number) => string;
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
  overMatches: (total, query) =>
    `More than ${count('en', total)} participants match “${query}”: add a first name or your bib`,
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
  pageNotFound: 'Page not found',
  nothingHere: 'There is nothing at this address.',
  somethingWentWrong: 'Something went wrong on our side. Please try again in a moment.',
  tooManySearches: 'Too many searches from your connection in the last minute. Wait a minute, then search again.',
  linkFindsNoOne: 'That link leads to no certificate. Search by your bib number or your name.',
  opensInNewTab: 'opens in a new tab',
  posterScan: 'Scan the code, or go to',
  certificateCheck: 'Certificate check',
  verdicts: {
    valid: 'Valid certificate',
    superseded: 'Superseded: the result has changed since this certificate was issued',
    forged: 'Not a valid certificate',
    withdrawn: 'Withdrawn: this certificate is no longer valid',
    unknown: 'No such certificate',
  },
  unknownCertificate:
    'No certificate has this number. A certificate that links here was not issued through this portal.',
  withdrawnCertificate: 'The organiser has withdrawn this certificate. Ask them if you need to know more.',
  supersededCertificate: 'This is the current result; the certificate you hold states something else.',
  forgedCertificate:
    'No certificate was issued with this check code: the one you hold was altered, or the address was mistyped. This is what the portal states for this certificate number.',
  event: 'Event',
  participant: 'Participant',
  result: 'Result',
  issued: 'Issued',
  bib: (bib) => `bib ${bib}`,
  overallRank: (rank) => `overall rank ${rank}`,
  finishedResult: 'finished',
  seeCertificate: 'See the certificate',
  removalQuestion: (q) =>
    q.ask === 'email'
      ? 'Your email address as you gave it when registering'
      : q.ask === 'yearOfBirth'
        ? 'Your year of birth as you gave it when registering'
        : q.ask === 'column'
          ? `Your “${q.column}” as you gave it when registering`
          : q.ask === 'participantKey'
            ? 'The email address or registration number you registered with, as you gave it'
            : 'Your age as you gave it when registering',
  removalIntro: (name, event) =>
    `The certificate of ${name} for ${event}. Once removed, it no longer appears in search, its page and images are gone, and its check page says it was withdrawn.`,
  answerHint: 'Only you and the organiser know this. Capitals and spaces do not matter.',
  cannotAnswer: 'I cannot answer this: send my request to the organiser',
  requestPending: 'Your request is with the organiser, who will decide on it.',
  organiserDecides: 'The organiser will decide on your request.',
  sendToOrganiser: 'Send my request to the organiser',
  certificateRemoved: 'Your certificate has been removed',
  removedText: (event) =>
    `It no longer appears in the search of ${event}, its page and images are gone, and its check page says it was withdrawn. To have it back, ask the organiser.`,
  requestSent: (event) =>
    `Your request was sent to the organiser of ${event}, who will decide on it. Until then your certificate stays as it is.`,
  backTo: (event) => `Back to ${event}`,
  backToCertificate: 'Back to the certificate',
  answerEmpty: 'Type your answer, or send your request to the organiser.',
  answerTooLong: 'That answer is too long: type it as you gave it when registering.',
  answerControlCharacters: 'The answer holds control characters: type it as you gave it when registering.',
  answerMismatch: (left, max) =>
    plural('en', left, {
      one: `That does not match what the organiser has. # try left of ${max}; after that, your request goes to the organiser.`,
      other: `That does not match what the organiser has. # tries left of ${max}; after that, your request goes to the organiser.`,
    }),
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
  overMatches: (total, query) =>
    `Mehr als ${count('de', total)} Teilnehmende passen zu „${query}“: gib einen Vornamen oder deine Startnummer dazu`,
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
  pageNotFound: 'Seite nicht gefunden',
  nothingHere: 'Unter dieser Adresse gibt es nichts.',
  somethingWentWrong: 'Bei uns ist etwas schiefgelaufen. Bitte versuche es gleich noch einmal.',
  tooManySearches:
    'Zu viele Suchen von deiner Verbindung in der letzten Minute. Warte eine Minute und suche dann noch einmal.',
  linkFindsNoOne: 'Dieser Link führt zu keiner Urkunde. Suche nach deiner Startnummer oder deinem Namen.',
  opensInNewTab: 'öffnet in einem neuen Tab',
  posterScan: 'Scanne den Code oder öffne',
  certificateCheck: 'Urkundenprüfung',
  verdicts: {
    valid: 'Gültige Urkunde',
    superseded: 'Überholt: Das Ergebnis hat sich geändert, seit diese Urkunde ausgestellt wurde',
    forged: 'Keine gültige Urkunde',
    withdrawn: 'Zurückgezogen: Diese Urkunde ist nicht mehr gültig',
    unknown: 'Diese Urkunde gibt es nicht',
  },
  unknownCertificate:
    'Keine Urkunde hat diese Nummer. Eine Urkunde, die hierher verweist, wurde nicht über dieses Portal ausgestellt.',
  withdrawnCertificate:
    'Der Veranstalter hat diese Urkunde zurückgezogen. Frag dort nach, wenn du mehr wissen möchtest.',
  supersededCertificate: 'Das ist das aktuelle Ergebnis; auf der Urkunde, die du hast, steht etwas anderes.',
  forgedCertificate:
    'Mit diesem Prüfcode wurde keine Urkunde ausgestellt: Die Urkunde, die du hast, wurde verändert, oder die Adresse wurde falsch eingegeben. Das hier hält das Portal zu dieser Urkundennummer fest.',
  event: 'Veranstaltung',
  participant: 'Teilnehmer:in',
  result: 'Ergebnis',
  issued: 'Ausgestellt am',
  bib: (bib) => `Startnummer ${bib}`,
  overallRank: (rank) => `Gesamtplatz ${rank}`,
  finishedResult: 'im Ziel',
  seeCertificate: 'Urkunde ansehen',
  removalQuestion: (q) =>
    q.ask === 'email'
      ? 'Deine E-Mail-Adresse, wie du sie bei der Anmeldung angegeben hast'
      : q.ask === 'yearOfBirth'
        ? 'Dein Geburtsjahr, wie du es bei der Anmeldung angegeben hast'
        : q.ask === 'column'
          ? `Deine Angabe „${q.column}“, wie du sie bei der Anmeldung gemacht hast`
          : q.ask === 'participantKey'
            ? 'Die E-Mail-Adresse oder Anmeldenummer, mit der du dich angemeldet hast, so wie du sie angegeben hast'
            : 'Dein Alter, wie du es bei der Anmeldung angegeben hast',
  removalIntro: (name, event) =>
    `Die Urkunde von ${name} für ${event}. Nach dem Entfernen erscheint sie nicht mehr in der Suche, ihre Seite und Bilder sind weg, und ihre Prüfseite sagt, dass sie zurückgezogen wurde.`,
  answerHint: 'Das wissen nur du und der Veranstalter. Groß- und Kleinschreibung und Leerzeichen spielen keine Rolle.',
  cannotAnswer: 'Ich kann das nicht beantworten: Anfrage an den Veranstalter schicken',
  requestPending: 'Deine Anfrage liegt beim Veranstalter, der darüber entscheidet.',
  organiserDecides: 'Der Veranstalter entscheidet über deine Anfrage.',
  sendToOrganiser: 'Anfrage an den Veranstalter schicken',
  certificateRemoved: 'Deine Urkunde wurde entfernt',
  removedText: (event) =>
    `Sie erscheint nicht mehr in der Suche von ${event}, ihre Seite und Bilder sind weg, und ihre Prüfseite sagt, dass sie zurückgezogen wurde. Wenn du sie zurückhaben möchtest, wende dich an den Veranstalter.`,
  requestSent: (event) =>
    `Deine Anfrage wurde an den Veranstalter von ${event} geschickt, der darüber entscheidet. Bis dahin bleibt deine Urkunde, wie sie ist.`,
  backTo: (event) => `Zurück zu ${event}`,
  backToCertificate: 'Zurück zur Urkunde',
  answerEmpty: 'Gib deine Antwort ein oder schick deine Anfrage an den Veranstalter.',
  answerTooLong: 'Diese Antwort ist zu lang: Gib sie so ein, wie du sie bei der Anmeldung angegeben hast.',
  answerControlCharacters:
    'Die Antwort enthält Steuerzeichen: Gib sie so ein, wie du sie bei der Anmeldung angegeben hast.',
  // "Noch 1 von 5 Versuchen" is as right as "Noch 4 von 5 Versuchen": no plural forms needed.
  answerMismatch: (left, max) =>
    `Das stimmt nicht mit den Angaben des Veranstalters überein. Noch ${left} von ${max} Versuchen; danach geht deine Anfrage an den Veranstalter.`,
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
  overMatches: (total, query) =>
    `Plus de ${count('fr', total)} participants correspondent à « ${query} » : ajoutez un prénom ou votre dossard`,
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
  pageNotFound: 'Page introuvable',
  nothingHere: 'Il n’y a rien à cette adresse.',
  somethingWentWrong: 'Un problème est survenu de notre côté. Veuillez réessayer dans un instant.',
  tooManySearches:
    'Trop de recherches depuis votre connexion au cours de la dernière minute. Attendez une minute, puis cherchez à nouveau.',
  linkFindsNoOne: 'Ce lien ne mène à aucun certificat. Cherchez par votre dossard ou votre nom.',
  opensInNewTab: 's’ouvre dans un nouvel onglet',
  posterScan: 'Scannez le code ou allez sur',
  certificateCheck: 'Vérification du certificat',
  verdicts: {
    valid: 'Certificat valide',
    superseded: 'Remplacé : le résultat a changé depuis l’émission de ce certificat',
    forged: 'Certificat non valide',
    withdrawn: 'Retiré : ce certificat n’est plus valide',
    unknown: 'Ce certificat n’existe pas',
  },
  unknownCertificate:
    'Aucun certificat ne porte ce numéro. Un certificat qui renvoie ici n’a pas été émis par ce portail.',
  withdrawnCertificate: 'L’organisateur a retiré ce certificat. Adressez-vous à lui pour en savoir plus.',
  supersededCertificate: 'Voici le résultat actuel ; le certificat que vous avez indique autre chose.',
  forgedCertificate:
    'Aucun certificat n’a été émis avec ce code de vérification : celui que vous avez a été modifié, ou l’adresse a été mal saisie. Voici ce que le portail indique pour ce numéro de certificat.',
  event: 'Épreuve',
  participant: 'Participant',
  result: 'Résultat',
  issued: 'Émis le',
  bib: (bib) => `dossard ${bib}`,
  overallRank: (rank) => `${rank === 1 ? '1er' : `${rank}e`} au classement général`,
  finishedResult: 'Finisher',
  seeCertificate: 'Voir le certificat',
  removalQuestion: (q) =>
    q.ask === 'email'
      ? 'Votre adresse e-mail, telle que vous l’avez donnée à l’inscription'
      : q.ask === 'yearOfBirth'
        ? 'Votre année de naissance, telle que vous l’avez donnée à l’inscription'
        : q.ask === 'column'
          ? `Votre « ${q.column} », tel que vous l’avez donné à l’inscription`
          : q.ask === 'participantKey'
            ? 'L’adresse e-mail ou le numéro d’inscription avec lequel vous vous êtes inscrit, tel que vous l’avez donné'
            : 'Votre âge, tel que vous l’avez donné à l’inscription',
  removalIntro: (name, event) =>
    `Le certificat de ${name} pour ${event}. Une fois retiré, il n’apparaît plus dans la recherche, sa page et ses images disparaissent, et sa page de vérification indique qu’il a été retiré.`,
  answerHint: 'Seuls vous et l’organisateur le savez. Les majuscules et les espaces ne comptent pas.',
  cannotAnswer: 'Je ne peux pas répondre : envoyer ma demande à l’organisateur',
  requestPending: 'Votre demande est entre les mains de l’organisateur, qui en décidera.',
  organiserDecides: 'L’organisateur décidera de votre demande.',
  sendToOrganiser: 'Envoyer ma demande à l’organisateur',
  certificateRemoved: 'Votre certificat a été retiré',
  removedText: (event) =>
    `Il n’apparaît plus dans la recherche de ${event}, sa page et ses images ont disparu, et sa page de vérification indique qu’il a été retiré. Pour le récupérer, adressez-vous à l’organisateur.`,
  requestSent: (event) =>
    `Votre demande a été envoyée à l’organisateur de ${event}, qui en décidera. D’ici là, votre certificat reste tel quel.`,
  backTo: (event) => `Retour à ${event}`,
  backToCertificate: 'Retour au certificat',
  answerEmpty: 'Tapez votre réponse, ou envoyez votre demande à l’organisateur.',
  answerTooLong: 'Cette réponse est trop longue : tapez-la telle que vous l’avez donnée à l’inscription.',
  answerControlCharacters:
    'La réponse contient des caractères de contrôle : tapez-la telle que vous l’avez donnée à l’inscription.',
  answerMismatch: (left, max) =>
    plural('fr', left, {
      one: `Cela ne correspond pas à ce que l’organisateur a enregistré. Il vous reste # essai sur ${max} ; ensuite, votre demande ira à l’organisateur.`,
      other: `Cela ne correspond pas à ce que l’organisateur a enregistré. Il vous reste # essais sur ${max} ; ensuite, votre demande ira à l’organisateur.`,
    }),
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
  overMatches: (total, query) =>
    `Más de ${count('es', total)} participantes coinciden con «${query}»: añade un nombre de pila o tu dorsal`,
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
  pageNotFound: 'Página no encontrada',
  nothingHere: 'No hay nada en esta dirección.',
  somethingWentWrong: 'Algo ha fallado por nuestra parte. Vuelve a intentarlo en un momento.',
  tooManySearches: 'Demasiadas búsquedas desde tu conexión en el último minuto. Espera un minuto y vuelve a buscar.',
  linkFindsNoOne: 'Ese enlace no lleva a ningún certificado. Busca por tu dorsal o tu nombre.',
  opensInNewTab: 'se abre en una pestaña nueva',
  posterScan: 'Escanea el código o entra en',
  certificateCheck: 'Verificación del certificado',
  verdicts: {
    valid: 'Certificado válido',
    superseded: 'Sustituido: el resultado ha cambiado desde que se emitió este certificado',
    forged: 'No es un certificado válido',
    withdrawn: 'Retirado: este certificado ya no es válido',
    unknown: 'Este certificado no existe',
  },
  unknownCertificate:
    'Ningún certificado tiene este número. Un certificado que enlaza aquí no se emitió a través de este portal.',
  withdrawnCertificate: 'El organizador ha retirado este certificado. Pregúntale si necesitas saber más.',
  supersededCertificate: 'Este es el resultado actual; el certificado que tienes dice otra cosa.',
  forgedCertificate:
    'No se emitió ningún certificado con este código de verificación: el que tienes fue alterado o la dirección se escribió mal. Esto es lo que el portal indica para este número de certificado.',
  event: 'Evento',
  participant: 'Participante',
  result: 'Resultado',
  issued: 'Emitido el',
  bib: (bib) => `dorsal ${bib}`,
  overallRank: (rank) => `puesto ${rank} en la general`,
  finishedResult: 'Finisher',
  seeCertificate: 'Ver el certificado',
  removalQuestion: (q) =>
    q.ask === 'email'
      ? 'Tu dirección de correo electrónico tal como la diste al inscribirte'
      : q.ask === 'yearOfBirth'
        ? 'Tu año de nacimiento tal como lo diste al inscribirte'
        : q.ask === 'column'
          ? `Tu «${q.column}» tal como lo diste al inscribirte`
          : q.ask === 'participantKey'
            ? 'El correo electrónico o el número de inscripción con el que te inscribiste, tal como lo diste'
            : 'Tu edad tal como la diste al inscribirte',
  removalIntro: (name, event) =>
    `El certificado de ${name} en ${event}. Una vez retirado, ya no aparece en la búsqueda, su página y sus imágenes desaparecen, y su página de verificación indica que fue retirado.`,
  answerHint: 'Solo lo saben tú y el organizador. Las mayúsculas y los espacios no importan.',
  cannotAnswer: 'No puedo responder: enviar mi solicitud al organizador',
  requestPending: 'Tu solicitud está en manos del organizador, que decidirá sobre ella.',
  organiserDecides: 'El organizador decidirá sobre tu solicitud.',
  sendToOrganiser: 'Enviar mi solicitud al organizador',
  certificateRemoved: 'Tu certificado ha sido retirado',
  removedText: (event) =>
    `Ya no aparece en la búsqueda de ${event}, su página y sus imágenes han desaparecido, y su página de verificación indica que fue retirado. Para recuperarlo, pídeselo al organizador.`,
  requestSent: (event) =>
    `Tu solicitud se ha enviado al organizador de ${event}, que decidirá sobre ella. Hasta entonces, tu certificado sigue como está.`,
  backTo: (event) => `Volver a ${event}`,
  backToCertificate: 'Volver al certificado',
  answerEmpty: 'Escribe tu respuesta o envía tu solicitud al organizador.',
  answerTooLong: 'Esa respuesta es demasiado larga: escríbela tal como la diste al inscribirte.',
  answerControlCharacters: 'La respuesta contiene caracteres de control: escríbela tal como la diste al inscribirte.',
  answerMismatch: (left, max) =>
    plural('es', left, {
      one: `No coincide con lo que tiene el organizador. Te queda # intento de ${max}; después, tu solicitud pasará al organizador.`,
      other: `No coincide con lo que tiene el organizador. Te quedan # intentos de ${max}; después, tu solicitud pasará al organizador.`,
    }),
};

const catalogue: Record<Locale, Messages> = { en, de, fr, es };

/** What the portal says, in `locale`. */
export const t = (locale: Locale): Messages => catalogue[locale];
