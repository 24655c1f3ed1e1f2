import { createClients, type AwsClients } from "../aws/clients.js";
import type { LakeConfig } from "../config/types.js";
import { EmbeddedAws, LOCAL_CREDENTIALS } from "../embedded/index.js";
import type { TargetFlags } from "./options.js";

export interface Target {
  /** Identifies the target in the inventory and in output: `local`, `aws:us-east-1`, `aws:http://127.0.0.1:5000`. */
  id: string;
  clients: AwsClients;
  /** The embedded AWS when the target is local (in this process). */
  embedded?: EmbeddedAws;
  /** Releases the clients; on the embedded target, waits for its background work (crawls) to finish. */
  close(): Promise<void>;
}

/**
 * Opens the target the config and flags ask for. Local: the embedded AWS in this process, state in the lake's
 * state directory. AWS: the SDK's default credential chain and endpoint resolution (AWS_ENDPOINT_URL… honoured).
 */
export function openTarget(config: LakeConfig, flags: TargetFlags): Target {
  const kind = flags.endpoint ? "aws" : (flags.target ?? config.target);
  if (kind === "local") {
    const embedded = new EmbeddedAws({ stateDir: config.local.stateDir, region: config.region });
    const clients = createClients({ region: config.region, requestHandler: embedded.requestHandler(), credentials: LOCAL_CREDENTIALS });
    return {
      id: "local",
      clients,
      embedded,
      async close() {
        clients.destroy();
        await embedded.close();
      },
    };
  }
  const clients = createClients({ region: config.region, ...(flags.endpoint ? { endpoint: flags.endpoint } : {}) });
  return { id: `aws:${flags.endpoint ?? config.region}`, clients, close: async () => clients.destroy() };
}
