import { env, SELF } from 'cloudflare:test';
import { ORIGIN, type Browser } from './fixtures';

/** A real results file as an organiser picks it in the upload form. */
export const resultsFile = (bytes: ArrayBuffer | string, name: string) =>
  new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type: 'text/csv' });

export const realFiles = {
  boston: () => resultsFile(env.RESULTS_BOSTON_2017, 'boston2017.csv'),
  utmb: () => resultsFile(env.RESULTS_UTMB_2024, 'utmb2024.csv'),
  berlin: () => resultsFile(env.RESULTS_BERLIN_100MI_2022, 'berlin100mi_2022.csv'),
};

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decode(match[1]!) : undefined;
};

/** The form whose action ends with `actionEnd`, as the browser would send it when its button is pressed. */
export function formValues(html: string, actionEnd: RegExp): Record<string, string[]> {
  const form = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)]
    .map((m) => m[0])
    .find((f) => actionEnd.test(attribute(f.match(/<form\b[^>]*>/)![0], 'action') ?? ''));
  if (!form) throw new Error(`no form with an action like ${actionEnd}`);
  const values: Record<string, string[]> = {};
  const add = (name: string | undefined, value: string) => {
    if (name) values[name] = [...(values[name] ?? []), value];
  };
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const type = attribute(input, 'type') ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !/\schecked(="[^"]*")?[\s>/]/.test(input)) continue;
    if (type === 'file' || type === 'submit') continue;
    add(attribute(input, 'name'), attribute(input, 'value') ?? (type === 'checkbox' ? 'on' : ''));
  }
  for (const [select] of form.matchAll(/<select\b[^>]*>[\s\S]*?<\/select>/g)) {
    const options = [...select.matchAll(/<option\b[^>]*>/g)].map((m) => m[0]);
    const chosen = options.find((o) => /\sselected(="[^"]*")?[\s>]/.test(o)) ?? options[0];
    add(attribute(select, 'name'), chosen ? (attribute(chosen, 'value') ?? '') : '');
  }
  return values;
}

/** The options of the select with this id, and the one selected. */
export function selectOf(html: string, id: string): { options: string[]; selected: string | undefined } {
  const select = new RegExp(`<select\\b[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!select) throw new Error(`no select #${id}`);
  const options = [...select[1]!.matchAll(/<option\b[^>]*>/g)].map((m) => m[0]);
  const chosen = options.find((o) => /\sselected(="[^"]*")?[\s>]/.test(o)) ?? options[0];
  return {
    options: options.map((o) => attribute(o, 'value') ?? ''),
    // As a browser shows it: the first option unless another is selected.
    selected: chosen === undefined ? undefined : (attribute(chosen, 'value') ?? ''),
  };
}

/** The text a person reads on the page: tags gone, entities decoded, spaces collapsed. */
export const visibleText = (html: string) =>
  decode(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  ).trim();

/** A form's values as the body of a post (a field sent more than once, like checkboxes, as a list). */
export function formBody(values: Record<string, string[]>, changes: Record<string, string | string[]> = {}): FormData {
  const body = new FormData();
  for (const [name, list] of Object.entries({ ...values, ...changes })) {
    for (const value of Array.isArray(list) ? list : [list]) body.append(name, value);
  }
  return body;
}

/** Sends a form as the signed-in browser would (its CSRF field comes with the form's values). */
export const postForm = (browser: Browser, path: string, body: FormData) =>
  SELF.fetch(ORIGIN + path, {
    method: 'POST',
    headers: { Cookie: browser.cookie, Origin: ORIGIN },
    body,
    redirect: 'manual',
  });
