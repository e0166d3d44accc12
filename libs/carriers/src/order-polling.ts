export type PollOutcome<T> = { settled: true; value: T } | { settled: false };

export interface PollPlan {
  attempts: number;
  intervalMs: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits `intervalMs`, then asks `check`; up to `attempts` times until it settles.
 * `check` throws to stop early (a failed order); `onExhausted` builds the
 * error for an order still not settled after the last attempt.
 */
export async function pollUntilSettled<T>(
  check: () => Promise<PollOutcome<T>>,
  plan: PollPlan,
  onExhausted: () => Error,
): Promise<T> {
  for (let attempt = 1; attempt <= Math.max(1, plan.attempts); attempt++) {
    await pause(plan.intervalMs);
    const outcome = await check();
    if (outcome.settled) return outcome.value;
  }
  throw onExhausted();
}
