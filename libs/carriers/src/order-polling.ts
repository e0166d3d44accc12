import type { OrderCheck } from './carrier';

export interface PollPlan {
  attempts: number;
  intervalMs: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks `check` about an order up to `attempts` times, `intervalMs` apart, until
 * the carrier confirms or fails it. Still pending after the last attempt is an
 * answer too (`pending`), recorded as such and settled later by the sweeper.
 * `attempts` 0 asks nothing: the first answer stands.
 */
export async function pollOrder(check: () => Promise<OrderCheck>, plan: PollPlan): Promise<OrderCheck> {
  for (let attempt = 1; attempt <= Math.max(0, plan.attempts); attempt++) {
    if (plan.intervalMs > 0) await pause(plan.intervalMs);
    const answer = await check();
    if (answer.status !== 'pending') return answer;
  }
  return { status: 'pending' };
}
