import type { RecordStatus } from '../records/rules';
import { foldedKey } from './folded-key';

/** A status other than finished, which a marker in the file can set. */
export type MarkedStatus = Exclude<RecordStatus, 'finished'>;

// What timing exports write instead of a time or rank, in English, German, French and Spanish.
// biome-ignore format: the markers are grouped by language, one group a line.
const markers: Record<MarkedStatus, string[]> = {
  dnf: [
    'dnf', 'did not finish', 'dnc', 'otl', 'retired', 'ret',
    'aufgabe', 'aufgegeben', 'ausgeschieden', 'abbruch',
    'abandon', 'abandonne', 'ab', 'abd', 'hors delai',
    'abandono', 'abandona', 'retirado', 'retirada',
  ],
  dns: [
    'dns', 'did not start', 'no show',
    'nicht gestartet', 'nicht angetreten',
    'non partant', 'np', 'absent',
    'no presentado', 'no presentada', 'no salio',
  ],
  dsq: [
    'dsq', 'dq', 'disq', 'disqualified',
    'disqualifiziert', 'disqualifikation',
    'disqualifie', 'disqualifiee', 'disqualification',
    'descalificado', 'descalificada',
  ],
};

const statusByMarker = new Map<string, MarkedStatus>(
  (Object.keys(markers) as MarkedStatus[]).flatMap((status) =>
    markers[status].map((word): [string, MarkedStatus] => [foldedKey(word), status]),
  ),
);

/**
 * The status a cell's marker stands for, e.g. "DNF", "D.N.F.", "Aufgabe" or "DNF (km 80)";
 * undefined for anything else, including times and ranks.
 */
export function statusMarker(value: string): MarkedStatus | undefined {
  if (!/\p{L}/u.test(value)) return undefined;
  const firstWord = value.split(/[\s(/,;:-]/, 1)[0] ?? '';
  return statusByMarker.get(foldedKey(value)) ?? statusByMarker.get(foldedKey(firstWord));
}
