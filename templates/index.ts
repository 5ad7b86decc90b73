import { layoutSchema } from '../src/render/layout';
import boldFinisher from './bold-finisher.json';
import classicFinisher from './classic-finisher.json';
import minimal from './minimal.json';
import participation from './participation.json';

/** Built-in certificate designs an organiser can start from. Each is checked against the layout schema at load. */
export const builtInTemplates = [
  { slug: 'classic-finisher', ...classicFinisher },
  { slug: 'bold-finisher', ...boldFinisher },
  { slug: 'minimal', ...minimal },
  { slug: 'participation', ...participation },
].map((t) => ({
  ...t,
  layout: layoutSchema.parse(t.layout),
}));

/** The participant every template preview shows: long enough a name to show how it fits. */
export const previewRecord = {
  bib: '1234',
  name: 'Alexandra Müller-Sánchez',
  category: 'F35',
  gender: 'F',
  age: 37,
  finishTime: '3:27:45',
  rankOverall: 128,
  rankGender: 31,
  rankCategory: 7,
  status: 'finished',
  language: null,
  extra: null,
};

export type BuiltInTemplate = (typeof builtInTemplates)[number];
