// The small shared state of the application: values that several views
// read (the timeline's brushed window, which the network view's time slider
// follows). Each value is a Store: get(), set(), subscribe().

export interface Store<T> {
  get(): T;
  set(value: T): void;
  // Calls `listener` on every change; returns the function that stops it.
  subscribe(listener: (value: T) => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const listener of [...listeners]) listener(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// A time window in milliseconds since the epoch, [from, to).
export interface TimeWindow {
  from: number;
  to: number;
}

// The window brushed on a subject's timeline (null: none), with the subject.
export interface Brush {
  personId: string;
  window: TimeWindow;
}

export const brushedWindow = createStore<Brush | null>(null);
