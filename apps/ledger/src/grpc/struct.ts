/**
 * google.protobuf.Struct as proto-loader encodes and decodes it
 * (`{fields: {k: {stringValue: 'x'}}}`), to and from plain JSON.
 */
export interface StructMessage {
  fields?: Record<string, ValueMessage>;
}

export interface ValueMessage {
  nullValue?: string | number;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: StructMessage;
  listValue?: { values?: ValueMessage[] };
}

export function toStruct(json: Record<string, unknown> | null | undefined): StructMessage {
  const fields: Record<string, ValueMessage> = {};
  for (const [key, value] of Object.entries(json ?? {})) if (value !== undefined) fields[key] = toValue(value);
  return { fields };
}

function toValue(value: unknown): ValueMessage {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  if (value instanceof Date) return { stringValue: value.toISOString() };
  return { structValue: toStruct(value as Record<string, unknown>) };
}

export function fromStruct(struct: StructMessage | null | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(struct?.fields ?? {})) json[key] = fromValue(value);
  return json;
}

function fromValue(value: ValueMessage): unknown {
  if (value.numberValue !== undefined) return value.numberValue;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.structValue !== undefined) return fromStruct(value.structValue);
  if (value.listValue !== undefined) return (value.listValue.values ?? []).map(fromValue);
  return null;
}
