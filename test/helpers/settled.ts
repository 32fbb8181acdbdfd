/**
 * Tells whether `promise` has settled, so a test on Vitest's fake clock can check it at a
 * given time (awaiting a promise that never settles would hang instead of failing).
 * Handles a rejection, which the test still sees by awaiting `promise`.
 */
export function settled(promise: Promise<unknown>): () => boolean {
  let done = false;
  const mark = () => {
    done = true;
  };
  promise.then(mark, mark);
  return () => done;
}
