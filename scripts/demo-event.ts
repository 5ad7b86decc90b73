import type { RecordInput } from '../src/records/rules';
import type { RecordStatus } from '../src/db/schema';

export const DEMO_SLUG = 'demo-city-marathon';

/** Exists only in the local database the seed writes; never in production. */
export const DEMO_ORGANISER = { email: 'demo@example.com', password: 'demo-organiser-2026' };

// biome-ignore format: plain name lists, packed.
const firstNames = [
  'Anna', 'Lukas', 'Sofía', 'José', 'Zoë', 'Björn', 'Åsa', 'Søren', 'François', 'Hélène', 'Łukasz', 'Małgorzata',
  'Jiří', 'Dvořák', 'Ömer', 'Çağla', 'Nguyễn', 'Mária', 'Ingrid', 'Pedro', 'Chiara', 'Niamh', 'Siobhán', 'Tomás',
  'Дмитрий', 'Анастасия', 'Олександр', 'Наталія', 'Γιώργος', 'Ελένη', 'Νίκος', 'Κατερίνα', 'Emma', 'Noah', 'Mia',
  'Liam', 'Aiko', 'Kwame', 'Amara', 'Mateo',
];
// biome-ignore format: plain name lists, packed.
const lastNames = [
  'Müller', 'García', 'Ñúñez', 'Øster', 'Łęcki', 'Dubois', 'Lefèvre', 'Rossi', 'Kowalski', 'Nováková', 'Yılmaz',
  "O'Brien", 'Schmidt-Weiß', 'Johansson', 'Fernández', 'Horváth', 'Kirui', 'Mensah', 'Smith', 'Brown',
  'Иванов', 'Петренко', 'Смирнова', 'Παπαδόπουλος', 'Γεωργίου', 'Οικονόμου', 'van der Berg', 'da Silva',
];
const longNames = [
  'Maria del Carmen Fernández de la Concepción Rodríguez-Villaseñor',
  'Wolfgang Amadeus Maximilian von Hohenzollern-Sigmaringen',
  'Αλέξανδρος Κωνσταντίνος Παπαδημητρόπουλος-Χατζηγεωργίου',
  'Константин Александрович Преображенский-Сухово-Кобылин',
];

/** A small deterministic generator, so every seed run produces the same people. */
function random(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 2 ** 32;
    return seed / 2 ** 32;
  };
}

const clock = (seconds: number) =>
  `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;

export function demoRecords(count = 360): RecordInput[] {
  const next = random(42);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const people = Array.from({ length: count }, (_, i) => {
    const name =
      i > 0 && i % 90 === 0 ? longNames[(i / 90 - 1) % longNames.length]! : `${pick(firstNames)} ${pick(lastNames)}`;
    const status: RecordStatus = i % 53 === 7 ? 'dnf' : i % 97 === 11 ? 'dns' : 'finished';
    const gender = next() < 0.5 ? 'F' : 'M';
    const age = 18 + Math.floor(next() * 55);
    const seconds = 2 * 3600 + 10 * 60 + Math.floor(next() * 3 * 3600);
    return { bib: String(101 + i), name, status, gender, age, seconds };
  });
  const finishers = people.filter((p) => p.status === 'finished').sort((a, b) => a.seconds - b.seconds);
  const rankIn = (group: typeof finishers, p: (typeof finishers)[number]) => group.indexOf(p) + 1;
  return people.map((p) => {
    const category = `${p.gender}${Math.min(70, Math.floor(p.age / 5) * 5)}`;
    const finished = p.status === 'finished';
    return {
      bib: p.bib,
      name: p.name,
      gender: p.gender,
      age: p.age,
      category,
      status: p.status,
      finishTime: finished ? clock(p.seconds) : null,
      rankOverall: finished ? rankIn(finishers, p) : null,
      rankGender: finished
        ? rankIn(
            finishers.filter((f) => f.gender === p.gender),
            p,
          )
        : null,
      rankCategory: finished
        ? rankIn(
            finishers.filter((f) => `${f.gender}${Math.min(70, Math.floor(f.age / 5) * 5)}` === category),
            p,
          )
        : null,
    };
  });
}
