/** `now`: the current spans; an instant: spans covering it; a period: number-days over [from, to). */
export type BillingWhen = { kind: 'now' } | { kind: 'asOf'; at: Date } | { kind: 'period'; from: Date; to: Date };
