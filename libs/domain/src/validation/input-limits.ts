/**
 * What the domain, the projections and the reporting columns can hold (SPEC 12):
 * every value a command would record is checked against these before anything
 * is decided, so a value that a read model could not store never reaches the log.
 */
export const INPUT_LIMITS = {
  /** PostgreSQL `integer`, the type of every count column of the read models. */
  maxInteger: 2_147_483_647,
  /** Account, key and service ids (the account id pattern allows 128). */
  idLength: 128,
  /** Account and key names. */
  nameLength: 200,
  /** Any other text field the API takes (query parameters, cursors, carrier settings, ...). */
  textLength: 4096,
  /** One feature's settings, serialised. */
  featureSettingsBytes: 4096,
  /** Settings of the features with no fixed shape (port, sms, mms, carrier_name). */
  featureSettingKeys: 32,
  /** Nesting of any JSON body or value (the features of a number need 3). */
  jsonDepth: 32,
  /** Entries of a list a command records (usage of a number, feature lists). */
  listLength: 1000,
  /** Earliest and latest instant a command may carry (timestamptz and Date agree on this range). */
  earliestInstant: Date.UTC(1970, 0, 1),
  latestInstant: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
} as const;

/** Largest length of a field of a feature's settings; unknown fields are refused. */
export const FEATURE_FIELD_LENGTHS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  e911: {
    caller_name: 64, callerName: 64, first_name: 64, firstName: 64, last_name: 64, lastName: 64,
    street_address: 128, streetAddress: 128, extended_address: 128, extendedAddress: 128,
    locality: 64, region: 64, postal_code: 16, postalCode: 16, country: 2,
    activated: 5, address_id: 64, addressId: 64, notification_contact_emails: 512,
  },
  cnam: { inbound: 5, inbound_lookup: 5, outbound: 64, display_name: 64, enabled: 5 },
  prepend: { enabled: 5, name: 64, number: 32 },
  ringback: { early: 256, transfer: 256, enabled: 5 },
  failover: { e164: 32, sip: 256, enabled: 5 },
  force_outbound: { enabled: 5 },
};
