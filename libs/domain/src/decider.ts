/**
 * An aggregate as three pure functions (the "decider" pattern): what a command
 * decides on a state, how an event changes the state, and the state of a
 * stream that does not exist yet. The generic command handler beside the
 * event-store port (`@ledger/event-store/command-handler`) runs it.
 */
export interface Decider<Command, Event, State> {
  /** The events the command produces on `state`; throws a domain error to refuse. No events: nothing to record. */
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** An event as type and payload (the stored shape: `data` is what the log keeps). */
export interface DomainEvent<Type extends string, Data> {
  type: Type;
  data: Data;
}
