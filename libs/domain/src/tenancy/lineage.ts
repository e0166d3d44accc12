import type { AccountDirectory, NumberState } from '../types';

type Tree = Pick<AccountDirectory, 'isAncestor'>;

/** SPEC 12: an account's lineage is itself, its descendants and its ancestors. */
export function inLineage(tree: Tree, of: string, id: string): boolean {
  return tree.isAncestor(of, id) || tree.isAncestor(id, of);
}

/** States in which a number belongs to nobody (SPEC 12): anyone's service may list it. */
export const UNASSIGNED_STATES: readonly NumberState[] = ['available', 'aging', 'released', 'discovery'];

/** What tenancy needs to know about a number. */
export interface NumberHolding {
  number: string;
  state: NumberState;
  assignedTo: string | null;
  poolAccountId?: string | null;
}

/**
 * The account a number belongs to: its holder while held or reserved, the
 * pool account while it waits in a managed pool; null when it is free to anyone. A
 * `discovery` number is nobody's yet, whoever's carrier account offers it: any service may
 * list it (SPEC 12), though only that account's subtree may read or take it.
 */
export function owningAccount(n: NumberHolding): string | null {
  if (n.state === 'deleted' || n.state === 'discovery') return null;
  if (!UNASSIGNED_STATES.includes(n.state) && n.assignedTo !== null) return n.assignedTo;
  return n.poolAccountId ?? null;
}
