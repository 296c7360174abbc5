// A tiny observable store and its Preact hook.
import { useEffect, useState } from "preact/hooks";

export interface Store<T> {
  get(): T;
  set(patch: Partial<T>): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      state = { ...state, ...patch };
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<T extends object>(store: Store<T>): T {
  const [, force] = useState(0);
  const state = store.get();
  useEffect(() => {
    const unsubscribe = store.subscribe(() => force((n) => n + 1));
    // A change between this render and the subscription (effects run after paint) must not be missed.
    if (store.get() !== state) force((n) => n + 1);
    return unsubscribe;
  }, [store]);
  return state;
}
