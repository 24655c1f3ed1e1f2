import { AthenaClient } from "@aws-sdk/client-athena";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { GlueClient } from "@aws-sdk/client-glue";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { CallCounter, instrument } from "./instrument.js";

/** The SDK clients of one target. Drivers receive these and nothing else: they never know which target it is. */
export interface AwsClients {
  region: string;
  s3: S3Client;
  iam: IAMClient;
  sts: STSClient;
  glue: GlueClient;
  athena: AthenaClient;
  cloudwatch: CloudWatchClient;
  calls: CallCounter;
  destroy(): void;
}

export interface ClientOptions {
  region: string;
  /** One endpoint for every service (`--endpoint`, `local serve`); otherwise the SDK's own resolution, which honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint?: string;
  /** An in-process request handler (the embedded AWS); implies its credentials. */
  requestHandler?: unknown;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call, the first included (throttling and 5xx are retried with the SDK's backoff). */
  maxAttempts?: number;
}

export function createClients(options: ClientOptions): AwsClients {
  const common = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 6,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler as never } : {}),
  };
  const calls = new CallCounter();
  const s3 = instrument(
    new S3Client({
      ...common,
      // An explicit endpoint is a local emulator: path style works everywhere (no bucket.localhost DNS needed).
      forcePathStyle: options.endpoint !== undefined,
      followRegionRedirects: true,
    }),
    "s3",
    calls,
  );
  const iam = instrument(new IAMClient(common), "iam", calls);
  const sts = instrument(new STSClient(common), "sts", calls);
  const glue = instrument(new GlueClient(common), "glue", calls);
  const athena = instrument(new AthenaClient(common), "athena", calls);
  const cloudwatch = instrument(new CloudWatchClient(common), "cloudwatch", calls);
  return {
    region: options.region,
    s3,
    iam,
    sts,
    glue,
    athena,
    cloudwatch,
    calls,
    destroy() {
      for (const client of [s3, iam, sts, glue, athena, cloudwatch]) client.destroy();
    },
  };
}
