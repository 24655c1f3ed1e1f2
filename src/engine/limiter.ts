/** Runs at most `concurrency` calls at once, in the order they were queued. */
export function createLimiter(concurrency: number): <T>(call: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (running >= concurrency) return;
    const start = queue.shift();
    if (start) {
      running++;
      start();
    }
  };
  return <T>(call: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        call()
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          });
      });
      next();
    });
}
