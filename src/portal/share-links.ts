/**
 * Links that share a certificate where runners share, as plain addresses: they work without
 * JavaScript, on any phone, and open the network's app where one is installed.
 */

/** `base` with `params`, every value percent-encoded (a space as %20: mailto: reads "+" as a plus). */
const withParams = (base: string, params: Record<string, string>) =>
  `${base}?${Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&')}`;

export interface ShareSubject {
  /** The certificate page: what people open from the post. */
  certificateUrl: string;
  /** The public check of the certificate: LinkedIn's credential URL. */
  verifyUrl: string;
  certificateId: string;
  event: string;
  /** The words that go with the link, in the runner's language. */
  text: string;
  /** The certification's name on LinkedIn, e.g. "Riverside Marathon: 3:12:45". */
  certificationName: string;
  /** When the certificate was issued: the record's last change. */
  issued: Date;
}

export const shareNetworks = ['whatsapp', 'facebook', 'x', 'linkedin', 'telegram', 'email'] as const;
export type ShareNetwork = (typeof shareNetworks)[number];

/** Each network's share address for a certificate. */
export function shareLinks(s: ShareSubject): Record<ShareNetwork, string> {
  return {
    whatsapp: withParams('https://wa.me/', { text: `${s.text} ${s.certificateUrl}` }),
    facebook: withParams('https://www.facebook.com/sharer/sharer.php', { u: s.certificateUrl }),
    x: withParams('https://x.com/intent/tweet', { text: s.text, url: s.certificateUrl }),
    // "Add to profile" as a certification, issued by the event, checkable at the verify page.
    linkedin: withParams('https://www.linkedin.com/profile/add', {
      startTask: 'CERTIFICATION_NAME',
      name: s.certificationName,
      organizationName: s.event,
      issueYear: String(s.issued.getUTCFullYear()),
      issueMonth: String(s.issued.getUTCMonth() + 1),
      certUrl: s.verifyUrl,
      certId: s.certificateId,
    }),
    telegram: withParams('https://t.me/share/url', { url: s.certificateUrl, text: s.text }),
    email: withParams('mailto:', { subject: s.text, body: `${s.text}\n${s.certificateUrl}` }),
  };
}

/** The networks' names as they write them, in the order the page lists them. */
export const networkNames: Record<Exclude<ShareNetwork, 'linkedin' | 'email'>, string> = {
  whatsapp: 'WhatsApp',
  facebook: 'Facebook',
  x: 'X',
  telegram: 'Telegram',
};
