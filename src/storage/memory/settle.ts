/** Runs synchronous work as a promise, so a thrown error becomes a rejection, as it would with Redis. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
