import type { Event, ParticipantRecord, TemplateRule } from '../db/schema';

const matches = (rule: TemplateRule, record: Pick<ParticipantRecord, 'status' | 'category'>) =>
  (rule.status === undefined || (rule.status === 'finished') === (record.status === 'finished')) &&
  (rule.category === undefined || rule.category.toLowerCase() === (record.category ?? '').toLowerCase());

/**
 * The template a record's certificate uses: the first rule that matches its status and category,
 * else the event's default. So DNF and DNS records can get a participation certificate, and an
 * age-group winner's category its own design.
 */
export function templateIdFor(event: Pick<Event, 'templateId' | 'templateRules'>, record: Pick<ParticipantRecord, 'status' | 'category'>): number | null {
  return event.templateRules?.find((rule) => matches(rule, record))?.templateId ?? event.templateId;
}
