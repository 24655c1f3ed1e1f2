import { PutMetricDataCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { Logger } from "../log.js";
import { batches, cycleMetricData, publishCycle } from "../metrics/cloudwatch.js";
import { runsOnlyFigures, type CycleFigures, type RunFigure } from "../metrics/figures.js";
import type { LakeMetrics } from "../metrics/prometheus.js";

/** A publish that takes longer than this counts as failed (the SDK may retry an unreachable endpoint for long). */
const PUBLISH_TIMEOUT_MS = 20_000;

/**
 * Publishes each cycle's figures to CloudWatch (src/metrics/cloudwatch.ts does the PutMetricData batching). A
 * failure is logged and counted, never thrown: CloudWatch being away must not stop the lake from converging.
 */
export class CloudWatchPublisher {
  private inFlight: Promise<void> = Promise.resolve();
  private lastError = "";

  constructor(
    private readonly client: CloudWatchClient,
    private readonly metrics: LakeMetrics,
    private readonly log: Logger,
  ) {}

  publish(namespace: string, figures: CycleFigures): Promise<void> {
    return this.send(namespace, () => publishCycle(this.client, namespace, figures));
  }

  /** Runs that ended after the last cycle (the final publish at shutdown): their figures, no reconcile figures. */
  publishRuns(namespace: string, lake: string, mode: "apply" | "observe", runs: RunFigure[]): Promise<void> {
    const data = cycleMetricData(runsOnlyFigures(lake, mode, runs, new Date())).filter((d) => !d.MetricName?.startsWith("Reconcile"));
    return this.send(namespace, async () => {
      for (const batch of batches(data, namespace)) await this.client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
    });
  }

  private send(namespace: string, work: () => Promise<unknown>): Promise<void> {
    const run = this.inFlight.then(async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          work(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PUBLISH_TIMEOUT_MS / 1000}s`)), PUBLISH_TIMEOUT_MS))),
        ]);
        if (this.lastError) this.log.info({ namespace }, "CloudWatch publishing works again");
        this.lastError = "";
      } catch (err) {
        this.metrics.cloudwatchFailure();
        const message = (err as Error).message;
        this.log.warn({ namespace }, `CloudWatch publish failed (counted in lakewarden_cloudwatch_publish_failures_total): ${message}`);
        this.lastError = message;
      } finally {
        clearTimeout(timer);
      }
    });
    this.inFlight = run;
    return run;
  }

  /** Resolves when no publish is in flight. */
  settled(): Promise<void> {
    return this.inFlight;
  }
}
