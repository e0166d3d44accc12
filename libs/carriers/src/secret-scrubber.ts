import type { CarrierCredentials } from './carrier-settings';

const MASK = '***';
/** Shorter values would mangle ordinary text; no real credential is that short. */
const MIN_SECRET_LENGTH = 3;

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/**
 * Removes every form in which a credential can travel back to us (raw, URL
 * encoded, XML escaped, inside a Basic auth header) from text that may reach a
 * log line or an error message, e.g. an upstream body echoing the request.
 */
export class SecretScrubber {
  private readonly needles: string[];

  constructor(credentials: CarrierCredentials) {
    const values = Object.values(credentials).filter((v): v is string => !!v && v.length >= MIN_SECRET_LENGTH);
    const forms = values.flatMap((v) => [v, encodeURIComponent(v), xmlEscape(v), new URLSearchParams({ v }).toString().slice(2)]);
    if (credentials.user && credentials.password) {
      forms.push(Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64'));
    }
    // Longest first so a secret containing another is masked whole.
    this.needles = [...new Set(forms)].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const needle of this.needles) out = out.split(needle).join(MASK);
    return out;
  }
}
