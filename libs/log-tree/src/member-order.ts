import { jsonString } from './json-string';

/** An object's member names sorted, each with its `"name":` written out, for the order `Object.keys` listed them in. */
export interface MemberOrder {
  keys: string[];
  names: string[];
  prefixes: string[];
}

/**
 * Events of one type have objects of a few shapes, listed by Object.keys in the same order every
 * time: their sorted names and quoted prefixes are kept (by first name, then compared name by
 * name), which saves sorting and quoting them again for every event. Bounded, for data whose
 * names are not a fixed set: past the bound, orders are computed and not kept.
 */
const orders = new Map<string, MemberOrder[]>();
const MAX_ORDERS = 1024;
const MAX_ORDERS_PER_FIRST_NAME = 16;
let keptOrders = 0;

export function memberOrder(keys: string[]): MemberOrder {
  const candidates = orders.get(keys[0]);
  if (candidates) for (const order of candidates) if (sameNames(order.keys, keys)) return order;
  const names = sortedByCodeUnits([...keys]);
  const order = { keys, names, prefixes: names.map((name) => `${jsonString(name)}:`) };
  if (keptOrders < MAX_ORDERS && (candidates?.length ?? 0) < MAX_ORDERS_PER_FIRST_NAME) {
    if (candidates) candidates.push(order);
    else orders.set(keys[0], [order]);
    keptOrders += 1;
  }
  return order;
}

function sameNames(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** In place; insertion sort, as an object's members are few. `<` on strings compares UTF-16 code units, as RFC 8785 asks. */
function sortedByCodeUnits(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) {
    const name = names[i];
    let j = i - 1;
    for (; j >= 0 && names[j] > name; j--) names[j + 1] = names[j];
    names[j + 1] = name;
  }
  return names;
}
