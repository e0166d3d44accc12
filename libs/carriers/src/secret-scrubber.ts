import type { CarrierCredentials } from './carrier-settings';

const MASK = '***';
/** Shorter values would mangle ordinary text; no real credential is that short. */
const MIN_SECRET_LENGTH = 3;

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** The ways a value is written into URLs, forms and XML. */
const encodings = (v: string): string[] => [v, encodeURIComponent(v), xmlEscape(v), new URLSearchParams({ v }).toString().slice(2)];

/** A token as base64 (padded and not, standard and URL-safe alphabets), each also as a URL writes it. */
const base64Forms = (token: string): string[] => {
  const b64 = Buffer.from(token).toString('base64');
  const url = Buffer.from(token).toString('base64url');
  return [...new Set([b64, b64.replace(/=+$/, ''), url])].flatMap(encodings);
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes every form in which a credential can travel back to us (raw, in any letter case,
 * URL or form encoded, XML escaped, base64 in a Basic auth header or a token, those encoded
 * again for a URL) from text that may reach a log line or an error message, e.g. an
 * upstream body echoing the request.
 */
export class SecretScrubber {
  private readonly needles: RegExp | null;

  constructor(credentials: CarrierCredentials) {
    const values = Object.values(credentials).filter((v): v is string => !!v && v.length >= MIN_SECRET_LENGTH);
    const forms = values.flatMap((v) => [...encodings(v), ...base64Forms(v)]);
    if (credentials.user && credentials.password) forms.push(...base64Forms(`${credentials.user}:${credentials.password}`));
    // Longest first so a secret containing another is masked whole.
    const sorted = [...new Set(forms)].sort((a, b) => b.length - a.length);
    this.needles = sorted.length ? new RegExp(sorted.map(escapeRegExp).join('|'), 'gi') : null;
  }

  scrub(text: string): string {
    return this.needles ? text.replace(this.needles, MASK) : text;
  }
}
