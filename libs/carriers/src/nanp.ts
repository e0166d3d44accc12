/** The NANP-only carriers (Bandwidth, Vitelity, VoIP Innovations) speak 10-digit numbers. */

export const NANP_COUNTRIES = ['US', 'CA'];

export const servesCountry = (country: string | undefined): boolean =>
  NANP_COUNTRIES.includes((country ?? 'US').toUpperCase());

/** `9733705112` or `19733705112` -> `+19733705112`; undefined when not a NANP number. */
export function nanpToE164(tn: string): string | undefined {
  const digits = tn.replace(/\D/g, '');
  if (/^[2-9]\d{9}$/.test(digits)) return `+1${digits}`;
  if (/^1[2-9]\d{9}$/.test(digits)) return `+${digits}`;
  return undefined;
}

/** `+19733705112` -> `9733705112`; undefined when not a +1 number. */
export function e164ToNanp(e164: string): string | undefined {
  const match = /^\+1([2-9]\d{9})$/.exec(e164);
  return match?.[1];
}
