import { parentPort } from "node:worker_threads";
import { encodeSample } from "./sample-codec.js";
import { sampleFile } from "./sample.js";

/** A sampling worker: reads and classifies the files it is sent, one at a time (see sample-pool.ts). */

interface Job {
  id: number;
  path: string;
  key: string;
  size: number;
}

parentPort?.on("message", (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, sample: encodeSample(sampleFile(job.path, job.key, job.size)) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message });
  }
});
