import { createJsonService, type JsonHandler } from "../../protocols/json.js";
import { createQueryService, type QueryHandler, type XmlValue } from "../../protocols/query.js";
import { AwsError, type WireRequest } from "../../protocols/types.js";
import type { EmbeddedService } from "../../service.js";
import { GetMetricData } from "./get-metric-data.js";
import { GetMetricStatistics } from "./get-metric-statistics.js";
import type { CloudWatchHandler } from "./handler.js";
import { ListMetrics } from "./list-metrics.js";
import { PutMetricData } from "./put-metric-data.js";
import { migrateCloudWatch } from "./schema.js";
import { decodeRequest, renderJsonError, toXmlValue } from "./wire.js";

/**
 * The embedded CloudWatch (metrics): one handler per operation behind two protocol front-ends — awsJson 1.0
 * query-compatible, as the SDK sends it, and awsQuery, as the aws CLI v2 sends it — both signed as `monitoring`.
 */
const HANDLERS: Record<string, CloudWatchHandler> = { PutMetricData, ListMetrics, GetMetricStatistics, GetMetricData };

export function createCloudWatchService(): EmbeddedService {
  const common = { name: "cloudwatch", signingName: "monitoring", migrate: migrateCloudWatch };
  const json = createJsonService({
    ...common,
    targetPrefix: "GraniteServiceVersion20100801",
    version: "1.0",
    queryCompatible: true,
    handlers: mapHandlers((handler): JsonHandler => (input, ctx) => handler(input ?? {}, ctx)),
  });
  const query = createQueryService({
    ...common,
    version: "2010-08-01",
    xmlns: "http://monitoring.amazonaws.com/doc/2010-08-01/",
    handlers: mapHandlers((handler): QueryHandler => (params, ctx) => {
      const output = handler(params.raw, ctx);
      return output === undefined ? undefined : (toXmlValue(output) as Record<string, XmlValue>);
    }),
  });
  // The SDK's requests carry X-Amz-Target; anything else is the awsQuery form.
  const frontEndOf = (req: WireRequest) => (json.claims(req) ? json : query);
  return {
    ...common,
    claims: (req) => {
      const decoded = decodeRequest(req);
      return json.claims(req) || (!(decoded instanceof AwsError) && query.claims(decoded));
    },
    operation: (req) => {
      const decoded = decodeRequest(req);
      return frontEndOf(req).operation(decoded instanceof AwsError ? req : decoded);
    },
    async handle(req, ctx) {
      const decoded = decodeRequest(req);
      if (decoded instanceof AwsError) throw decoded;
      return frontEndOf(req).handle(decoded, ctx);
    },
    renderError: (err, req, ctx) => (json.claims(req) ? renderJsonError(err) : query.renderError(err, req, ctx)),
  };
}

function mapHandlers<T>(adapt: (handler: CloudWatchHandler) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(HANDLERS).map(([name, handler]) => [name, adapt(handler)]));
}
