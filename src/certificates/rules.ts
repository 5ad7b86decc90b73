import { z } from 'zod';
import { builtInTemplates } from '../../templates';
import type { Event, ParticipantRecord, TemplateRule } from '../db/schema';
import { recordLimits } from '../records/rules';
import { cleanText } from '../records/text';

/** A certificate's public id: 128 random bits as base64url. Anything else is simply not found. */
export const certificateIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

const matches = (rule: TemplateRule, record: Pick<ParticipantRecord, 'status' | 'category'>) =>
  (rule.status === undefined || (rule.status === 'finished') === (record.status === 'finished')) &&
  (rule.category === undefined || rule.category.toLowerCase() === (record.category ?? '').toLowerCase());

/**
 * The template a record's certificate uses: the first rule that matches its status and category,
 * else the event's default. So DNF and DNS records can get a participation certificate, and an
 * age-group winner's category its own design.
 */
export function templateIdFor(
  event: Pick<Event, 'templateId' | 'templateRules'>,
  record: Pick<ParticipantRecord, 'status' | 'category'>,
): number | null {
  return event.templateRules?.find((rule) => matches(rule, record))?.templateId ?? event.templateId;
}

/** A template of the event, by its id; whether it is the event's own is checked against D1 (templates.ts). */
const templateId = z.number({ error: 'Name a template by its id.' }).int().positive();

/**
 * THE rule for one line of "who gets which template": records of a category (compared without
 * case), finishers or not (`unfinished`: DNF, DNS and DSQ), or both, get the template.
 */
export const templateRuleSchema = z
  .object({
    category: z
      .string()
      .overwrite(cleanText)
      .min(1, 'Name the category, or leave it out.')
      .max(recordLimits.category, `A category has at most ${recordLimits.category} characters.`)
      .optional(),
    status: z
      .enum(['finished', 'unfinished'], { error: 'The status a rule picks is finished or unfinished.' })
      .optional(),
    templateId,
  })
  .strict()
  .refine((rule) => rule.category !== undefined || rule.status !== undefined, {
    message: 'A rule names a category, a status (finished or unfinished), or both.',
  })
  .transform((rule): TemplateRule => rule);

/** The rules in order: the first that matches a record wins, else the default template. */
export const templateRulesSchema = z.array(templateRuleSchema).max(200, 'Give at most 200 rules.');

/** An event's choice of templates as a whole: the default, and the rules before it. */
export const templateChoiceSchema = z.object({ defaultTemplateId: templateId, rules: templateRulesSchema }).strict();

const ruleTarget = z.union([z.literal('').transform(() => undefined), z.coerce.number().int().positive()]);

/** The rules form: per-category lines (`category.N`, `categoryTemplate.N`), then finishers or not. */
export const templateRulesFormSchema = z
  .record(z.string(), z.unknown())
  .transform((form) => {
    const rules: TemplateRule[] = [];
    for (let i = 0; `category.${i}` in form; i++) {
      const category = String(form[`category.${i}`] ?? '').trim();
      const templateId = ruleTarget.safeParse(form[`categoryTemplate.${i}`] ?? '');
      if (category && templateId.success && templateId.data) {
        rules.push({ category: category.slice(0, recordLimits.category), templateId: templateId.data });
      }
    }
    for (const status of ['finished', 'unfinished'] as const) {
      const templateId = ruleTarget.safeParse(form[status] ?? '');
      if (templateId.success && templateId.data) rules.push({ status, templateId: templateId.data });
    }
    return rules;
  })
  .pipe(templateRulesSchema);

const builtInSlugs = builtInTemplates.map((t) => t.slug) as [string, ...string[]];

/** One of the built-in designs (templates/), by its slug. */
export const builtInTemplateSchema = z
  .enum(builtInSlugs, { error: `Pick one of the built-in templates: ${builtInSlugs.join(', ')}.` })
  .transform((slug) => builtInTemplates.find((t) => t.slug === slug)!);

/** The longest name a template may have. */
export const TEMPLATE_NAME_MAX = 80;

/** THE rule for a template's name, as an organiser types it: cleaned as any text value is, 1 to 80 characters. */
export const templateNameSchema = z
  .string()
  .overwrite(cleanText)
  .min(1, 'Give the template a name.')
  .max(TEMPLATE_NAME_MAX, `A template name may have at most ${TEMPLATE_NAME_MAX} characters.`);

/** A copy's name, "Copy of …", cut to the rule's length without splitting a character in two. */
export function copyName(name: string): string {
  const cut = `Copy of ${name}`.slice(0, TEMPLATE_NAME_MAX);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Why a template cannot go: every record without a rule gets the default; a rule names a template by id. */
export function templateInUse(
  event: Pick<Event, 'templateId' | 'templateRules'>,
  templateId: number,
): 'default' | 'rules' | undefined {
  if (event.templateId === templateId) return 'default';
  if (event.templateRules?.some((rule) => rule.templateId === templateId)) return 'rules';
  return undefined;
}
