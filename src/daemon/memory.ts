import { setFlagsFromString } from "node:v8";

/**
 * Keeps a long-running daemon small. By default V8 sizes its heap for throughput: back-to-back cycles grow the
 * young generation to 32 MB and the old generation to several times the ~30 MB the daemon keeps alive, and that
 * memory stays taken while the daemon then idles for minutes. Optimising for size (collecting a little more often)
 * holds the heap near the live set. Set at start, before the heap has grown; an engine that refuses a flag keeps
 * its default.
 */
export function optimizeHeapForSize(): void {
  for (const flag of ["--optimize-for-size", "--max-semi-space-size=4"]) {
    try {
      setFlagsFromString(flag);
    } catch {
      // not supported by this engine: its default stays
    }
  }
}
