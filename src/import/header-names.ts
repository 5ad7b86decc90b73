/**
 * Column headers that name each record field in English, German, French and Spanish results,
 * most telling first. They are compared folded (see folded-key.ts): case, accents, spaces and
 * punctuation do not matter, so "Start-Nr." matches "startnr" and "Catégorie" "categorie".
 */
// biome-ignore format: the synonyms are grouped by language, one group a line.
export const headerNames = {
  bib: [
    'bib', 'bib number', 'bib no', 'bib nr', 'race number', 'start number', 'start no',
    'startnummer', 'startnr', 'st nr', 'stnr',
    'dossard', 'n dossard', 'no dossard', 'num dossard', 'numero dossard', 'numero de dossard',
    'dorsal', 'n dorsal', 'no dorsal', 'num dorsal', 'numero dorsal', 'numero de dorsal',
    'no', 'nr', 'number', 'num', 'numero',
  ],
  /** Columns that identify a participant without being a bib, like UTMB's "runnerUri". */
  participantId: [
    'runner uri', 'runner id', 'participant id', 'athlete id', 'person id', 'entry id', 'registration id',
    'teilnehmer id', 'id coureur', 'id participante', 'uri', 'id',
  ],
  name: [
    'full name', 'name', 'participant', 'participant name', 'athlete', 'athlete name', 'runner', 'runner name',
    'teilnehmer', 'teilnehmerin', 'laufer', 'name vorname', 'vorname name', 'nachname vorname',
    'nom', 'nom complet', 'nom prenom', 'prenom nom', 'coureur', 'concurrent',
    'nombre', 'nombre completo', 'nombre y apellidos', 'apellidos y nombre', 'apellidos nombre', 'corredor', 'atleta', 'participante',
  ],
  firstName: ['first name', 'first', 'given name', 'forename', 'vorname', 'prenom', 'nombre de pila'],
  lastName: ['last name', 'last', 'surname', 'family name', 'nachname', 'familienname', 'nom de famille', 'apellido', 'apellidos'],
  finishTime: [
    'chip time', 'net time', 'finish time', 'official time', 'nettozeit', 'netzeit', 'laufzeit', 'endzeit', 'gesamtzeit',
    'temps net', 'temps reel', 'temps officiel', 'tiempo neto', 'tiempo real', 'tiempo oficial',
    'time', 'zeit', 'temps', 'tiempo', 'result', 'ergebnis', 'resultat', 'resultado',
    'gun time', 'bruttozeit', 'temps brut', 'tiempo bruto', 'zielzeit',
  ],
  gender: ['gender', 'sex', 'm f', 'mf', 'geschlecht', 'm w', 'sexe', 'h f', 'genre', 'sexo', 'genero'],
  rankGender: [
    'gender rank', 'gender place', 'gender pos', 'sex rank', 'sex place', 'rank gender', 'place gender', 'mf place',
    'platz geschlecht', 'geschlecht platz', 'platz mw', 'mw platz', 'rang geschlecht',
    'clt sexe', 'rang sexe', 'classement sexe', 'place sexe',
    'clasificacion sexo', 'posicion sexo', 'puesto sexo', 'pos sexo',
  ],
  category: [
    'category', 'cat', 'age group', 'agegroup', 'age category', 'age class', 'division', 'div', 'class',
    'kategorie', 'altersklasse', 'ak', 'klasse', 'wertungsklasse',
    'categorie', 'categorie age',
    'categoria', 'categoria edad',
    // The race within the event (Berlin's "Wettbewerb": 1er, 4er), when no column says the age group.
    'competition', 'race', 'event', 'distance', 'course',
    'wettbewerb', 'strecke', 'disziplin',
    'epreuve', 'parcours',
    'prueba', 'carrera', 'distancia',
  ],
  rankCategory: [
    'category rank', 'category place', 'cat rank', 'cat place', 'division rank', 'division place', 'div rank', 'div place',
    'age group rank', 'age group place', 'ag rank', 'ag place',
    'ak platz', 'platz ak', 'klassenplatz', 'platz klasse', 'platz altersklasse', 'ak rang',
    'clt cat', 'rang cat', 'rang categorie', 'classement categorie', 'place categorie',
    'clasificacion categoria', 'posicion categoria', 'puesto categoria', 'pos cat',
  ],
  age: ['age', 'alter', 'edad', 'age years'],
  rankOverall: [
    'overall rank', 'overall place', 'place overall', 'overall', 'rank', 'place', 'pos', 'position', 'ranking',
    'platz', 'gesamtplatz', 'platz gesamt', 'rang', 'gesamtrang', 'pl',
    'classement', 'clt', 'cl', 'clt scratch', 'scratch', 'classement general',
    'posicion', 'puesto', 'clasificacion', 'clasificacion general', 'pos general', 'general',
  ],
  status: ['status', 'result status', 'statut', 'etat', 'estado'],
  language: ['language', 'language code', 'lang', 'locale', 'sprache', 'langue', 'idioma'],
};
