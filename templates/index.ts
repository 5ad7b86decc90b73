import { layoutSchema } from '../src/render/layout';
import classicFinisher from './classic-finisher.json';

/** Built-in certificate designs an organiser can start from. Each is checked against the layout schema at load. */
export const builtInTemplates = [{ slug: 'classic-finisher', ...classicFinisher }].map((t) => ({
  ...t,
  layout: layoutSchema.parse(t.layout),
}));
