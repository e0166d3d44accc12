import { toStruct } from './struct';

/** The number resource of API.md (as `presentNumber` builds it) as a `numbers.ledger.v1.Number`. */
export function numberMessage(resource: Record<string, unknown>): Record<string, unknown> {
  const features = resource.features as { active: Record<string, unknown>; available: string[] };
  return { ...resource, features: { active: toStruct(features.active), available: features.available } };
}

/** A `{data, nextCursor}` page of number resources as a `NumberPage`. */
export function numberPage(page: { data: Record<string, unknown>[]; nextCursor?: string | null }) {
  return { data: page.data.map(numberMessage), nextCursor: page.nextCursor };
}

/** Proto3 leaves unset strings empty or absent; the HTTP DTOs expect absent. */
export function given<T extends object>(message: T): Partial<T> {
  return Object.fromEntries(Object.entries(message ?? {}).filter(([, v]) => v !== '' && v !== undefined && v !== null)) as Partial<T>;
}
