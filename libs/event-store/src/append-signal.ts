/** In-process notice that something was appended, so local subscribers wake up without waiting for their poll. */
export class AppendSignal {
  private readonly listeners = new Set<() => void>();

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}

const signals = new WeakMap<object, AppendSignal>();

/** One signal per database handle, shared by every store instance that uses it. */
export function appendSignalFor(database: object): AppendSignal {
  let signal = signals.get(database);
  if (!signal) signals.set(database, (signal = new AppendSignal()));
  return signal;
}
