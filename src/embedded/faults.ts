import { AwsError } from "./protocols/types.js";

/**
 * Fault injection: throttling, 5xx errors and latency per service and operation, so that retries and convergence
 * are exercised through the real SDK retry path. Rules come from code (tests) or from LAKEWARDEN_FAULTS, e.g.
 * `s3:PutObject:throttle:0.2,*:*:error500:0.05,iam:*:latency:50ms`.
 */
export type FaultKind = "throttle" | "error500" | "error503" | "latency";

export interface FaultRule {
  service: string; // "*" for any
  operation: string; // "*" for any
  kind: FaultKind;
  /** Probability in [0, 1] for errors; ignored for latency. */
  probability: number;
  /** Added delay for latency rules. */
  latencyMs: number;
}

const THROTTLE_CODES: Record<string, [string, number]> = {
  s3: ["SlowDown", 503],
  glue: ["ThrottlingException", 400],
  athena: ["TooManyRequestsException", 400],
};

export class Faults {
  private rules: FaultRule[] = [];
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0 || 1;
  }

  /** Replaces the rules; a seed restarts the random sequence (reproducible fault patterns in tests). */
  set(rules: FaultRule[], seed?: number): void {
    this.rules = rules;
    if (seed !== undefined) this.state = seed >>> 0 || 1;
  }

  get active(): readonly FaultRule[] {
    return this.rules;
  }

  /** Waits for any latency rule that applies, then throws the first error rule that fires. */
  async apply(service: string, operation: string): Promise<void> {
    const matching = this.rules.filter((r) => (r.service === "*" || r.service === service) && (r.operation === "*" || r.operation === operation));
    const delay = matching.filter((r) => r.kind === "latency").reduce((sum, r) => sum + r.latencyMs, 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    for (const rule of matching) {
      if (rule.kind === "latency" || this.random() >= rule.probability) continue;
      throw faultError(service, rule.kind);
    }
  }

  /** xorshift32: reproducible fault sequences for a given seed. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}

function faultError(service: string, kind: Exclude<FaultKind, "latency">): AwsError {
  if (kind === "throttle") {
    const [code, status] = THROTTLE_CODES[service] ?? ["Throttling", 400];
    return new AwsError(code, "Rate exceeded (injected fault)", status);
  }
  if (kind === "error503") return new AwsError(service === "s3" ? "ServiceUnavailable" : "ServiceUnavailable", "Service unavailable (injected fault)", 503);
  return new AwsError(service === "s3" ? "InternalError" : "InternalFailure", "We encountered an internal error (injected fault)", 500);
}

/** `s3:PutObject:throttle:0.2,*:*:latency:50ms` → rules; throws on a malformed rule. */
export function parseFaultRules(text: string): FaultRule[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const [service, operation, kind, amount] = spec.split(":");
      if (!service || !operation || !kind || amount === undefined || !["throttle", "error500", "error503", "latency"].includes(kind)) {
        throw new Error(`invalid fault rule "${spec}": expected service:operation:throttle|error500|error503|latency:probability-or-ms`);
      }
      if (kind === "latency") {
        const ms = Number(amount.replace(/ms$/, ""));
        if (!Number.isFinite(ms) || ms < 0) throw new Error(`invalid latency in fault rule "${spec}"`);
        return { service, operation, kind, probability: 1, latencyMs: ms };
      }
      const p = Number(amount);
      if (!(p >= 0 && p <= 1)) throw new Error(`invalid probability in fault rule "${spec}"`);
      return { service, operation, kind: kind as FaultKind, probability: p, latencyMs: 0 };
    });
}
