import { gzipSync } from "node:zlib";
import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  type GetMetricStatisticsCommandInput,
  ListMetricsCommand,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, describe, expect, it } from "vitest";
import type { WireRequest } from "../../src/embedded/protocols/types.js";
import { createCloudWatchService } from "../../src/embedded/services/cloudwatch/index.js";
import { embeddedStack, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

// The embedded CloudWatch's two protocols (the SDK's awsJson 1.0 with gzip bodies; the aws CLI's awsQuery) and its errors.
const stack = embeddedStack([createCloudWatchService()]);
const sentEncodings: string[] = [];
// The in-process handler, recording the content-encoding of what the SDK sends.
const recording = {
  metadata: stack.handler.metadata,
  handle: (request: Parameters<typeof stack.handler.handle>[0]) => {
    sentEncodings.push(request.headers["content-encoding"] ?? "identity");
    return stack.handler.handle(request);
  },
  updateHttpClientConfig: () => {},
  httpHandlerConfigs: () => ({}),
  destroy: () => {},
};
const cw = new CloudWatchClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: recording, maxAttempts: 1 });

afterAll(() => {
  cw.destroy();
  stack.close();
});

const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const at = (seconds: number) => new Date(BASE + seconds * 1000);

/** The error a command fails with (the test fails if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<CloudWatchServiceException & { Code?: string }> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(CloudWatchServiceException);
    return err as CloudWatchServiceException & { Code?: string };
  }
  throw new Error("expected the call to fail");
}

describe("the SDK's awsJson 1.0 protocol", () => {
  it("accepts a PutMetricData body of 10 KiB and more, which the SDK sends gzip-compressed", async () => {
    const data = Array.from({ length: 300 }, (_, i): MetricDatum => ({
      MetricName: "Bulk",
      Dimensions: [{ Name: "Lake", Value: "ecomm" }, { Name: "Shard", Value: `shard-${String(i % 100).padStart(3, "0")}` }],
      Timestamp: at(i % 60),
      Value: i,
      Unit: "Count",
    }));
    expect(JSON.stringify(data).length).toBeGreaterThan(10 * 1024);
    sentEncodings.length = 0;
    await cw.send(new PutMetricDataCommand({ Namespace: "Test/Gzip", MetricData: data }));
    expect(sentEncodings).toEqual(["gzip"]);

    const listed = await cw.send(new ListMetricsCommand({ Namespace: "Test/Gzip" }));
    expect(listed.Metrics).toHaveLength(100);
    const shard7 = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "Test/Gzip",
        MetricName: "Bulk",
        Dimensions: [{ Name: "Shard", Value: "shard-007" }, { Name: "Lake", Value: "ecomm" }],
        StartTime: at(0),
        EndTime: at(60),
        Period: 60,
        Statistics: ["SampleCount", "Sum"],
      }),
    );
    expect(shard7.Datapoints).toEqual([{ Timestamp: at(0), SampleCount: 3, Sum: 7 + 107 + 207, Unit: "Count" }]);
  });

  it("refuses a request over 1 MB (counted uncompressed) with HTTP 413", async () => {
    const long = "x".repeat(1000);
    const data = Array.from({ length: 1000 }, (_, i): MetricDatum => ({ MetricName: `Big${i}`, Dimensions: [{ Name: "Padding", Value: long }], Value: 1 }));
    const err = await failure(cw.send(new PutMetricDataCommand({ Namespace: "Test/Big", MetricData: data })));
    expect(err.$metadata.httpStatusCode).toBe(413);
    expect(err.name).toBe("RequestEntityTooLarge");
    expect((await cw.send(new ListMetricsCommand({ Namespace: "Test/Big" }))).Metrics).toEqual([]);
  });
});

describe("validation errors, as CloudWatch raises them", () => {
  const put = (MetricData: MetricDatum[], Namespace = "Test/Errors") => cw.send(new PutMetricDataCommand({ Namespace, MetricData }));

  it.each([
    ["a NaN value", [{ MetricName: "M", Value: Number.NaN }], "InvalidParameterValue", /MetricData\.member\.1\.Value/],
    ["an infinite value", [{ MetricName: "M", Value: Number.POSITIVE_INFINITY }], "InvalidParameterValue", /Value/],
    ["a value beyond 2^360", [{ MetricName: "M", Value: 2 ** 361 }], "InvalidParameterValue", /Value/],
    ["Value with StatisticValues", [{ MetricName: "M", Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }], "InvalidParameterCombination", /mutually exclusive/],
    ["no value at all", [{ MetricName: "M" }], "InvalidParameterCombination", /At least one of/],
    ["Values and Counts of different sizes", [{ MetricName: "M", Values: [1, 2], Counts: [1] }], "InvalidParameterValue", /same size/],
    ["151 values", [{ MetricName: "M", Values: Array.from({ length: 151 }, (_, i) => i) }], "InvalidParameterValue", /150/],
    ["an incomplete statistic set", [{ MetricName: "M", StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1 } as never }], "MissingParameter", /StatisticValues\.Maximum/],
    ["a statistic set with Minimum > Maximum", [{ MetricName: "M", StatisticValues: { SampleCount: 2, Sum: 1, Minimum: 3, Maximum: 1 } }], "InvalidParameterValue", /Minimum/],
    ["a timestamp three weeks old", [{ MetricName: "M", Value: 1, Timestamp: new Date(Date.now() - 21 * 86_400_000) }], "InvalidParameterValue", /past two weeks/],
    ["a timestamp three hours ahead", [{ MetricName: "M", Value: 1, Timestamp: new Date(Date.now() + 3 * 3_600_000) }], "InvalidParameterValue", /two hours in the future/],
    ["31 dimensions", [{ MetricName: "M", Value: 1, Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `D${i}`, Value: "v" })) }], "InvalidParameterValue", /30/],
    ["a dimension named twice", [{ MetricName: "M", Value: 1, Dimensions: [{ Name: "D", Value: "a" }, { Name: "D", Value: "b" }] }], "InvalidParameterValue", /duplicate/],
    ["a dimension without a value", [{ MetricName: "M", Value: 1, Dimensions: [{ Name: "D" } as never] }], "MissingParameter", /Dimensions\.member\.1\.Value/],
    ["an unknown unit", [{ MetricName: "M", Value: 1, Unit: "Parsecs" as never }], "InvalidParameterValue", /Unit/],
    ["a storage resolution of 5", [{ MetricName: "M", Value: 1, StorageResolution: 5 }], "InvalidParameterValue", /StorageResolution/],
    ["1,001 datums", Array.from({ length: 1001 }, (): MetricDatum => ({ MetricName: "M", Value: 1 })), "InvalidParameterValue", /1000/],
  ])("PutMetricData with %s", async (_what, data, code, message) => {
    const err = await failure(put(data as MetricDatum[]));
    expect(err.Code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect((await cw.send(new ListMetricsCommand({ Namespace: "Test/Errors" }))).Metrics).toEqual([]);
  });

  it("raises the SDK's own exception classes", async () => {
    const nan = await failure(put([{ MetricName: "M", Value: Number.NaN }]));
    expect(nan.name).toBe("InvalidParameterValueException");
    expect(nan.Code).toBe("InvalidParameterValue");
    const missing = await failure(cw.send(new PutMetricDataCommand({ Namespace: undefined as never, MetricData: [{ MetricName: "M", Value: 1 }] })));
    expect(missing.name).toBe("MissingRequiredParameterException");
    expect(missing.message).toBe("The parameter Namespace is required.");
    const reserved = await failure(put([{ MetricName: "M", Value: 1 }], "AWS/EC2"));
    expect(reserved.name).toBe("InvalidParameterValueException");
    const combination = await failure(put([{ MetricName: "M", Value: 1, Values: [1] }]));
    expect(combination.name).toBe("InvalidParameterCombinationException");
    const token = await failure(cw.send(new ListMetricsCommand({ NextToken: "not-a-token" })));
    expect(token.name).toBe("InvalidNextToken");
  });

  const stats: GetMetricStatisticsCommandInput = { Namespace: "Test/Errors", MetricName: "M", StartTime: at(0), EndTime: at(60), Period: 60, Statistics: ["Sum"] };
  it.each([
    ["StartTime after EndTime", { StartTime: at(120) }, "InvalidParameterValue", /StartTime must be less than/],
    ["a period of 7 seconds", { Period: 7 }, "InvalidParameterValue", /multiple of 60/],
    ["1,441 periods", { EndTime: at(1441 * 60) , StartTime: at(0) }, "InvalidParameterCombination", /1,441 datapoints/],
    ["both kinds of statistics", { ExtendedStatistics: ["p90"] }, "InvalidParameterCombination", /either Statistics or ExtendedStatistics/],
    ["no statistics", { Statistics: [] }, "InvalidParameterCombination", /either Statistics or ExtendedStatistics/],
    ["an unknown statistic", { Statistics: ["Median" as never] }, "InvalidParameterValue", /Statistics\.member\.1/],
    ["a malformed percentile", { Statistics: undefined, ExtendedStatistics: ["p999"] }, "InvalidParameterValue", /ExtendedStatistics\.member\.1/],
  ])("GetMetricStatistics with %s", async (_what, change, code, message) => {
    const input = { ...stats, ...change } as GetMetricStatisticsCommandInput;
    if (input.EndTime && input.EndTime.getTime() > Date.now()) {
      // 1,441 minutes reach into the future; move the window back so only the period count is wrong.
      input.StartTime = new Date(input.StartTime!.getTime() - 2 * 86_400_000);
      input.EndTime = new Date(input.EndTime.getTime() - 2 * 86_400_000);
    }
    const err = await failure(cw.send(new GetMetricStatisticsCommand(input)));
    expect(err.Code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it("GetMetricData: metric math is refused with a clear message; Ids must be unique and well formed", async () => {
    const metric = { Namespace: "Test/Errors", MetricName: "M" };
    const query = (extra: object) => cw.send(new GetMetricDataCommand({ StartTime: at(0), EndTime: at(60), MetricDataQueries: [extra as never] }));
    const math = await failure(query({ Id: "e1", Expression: "SUM(METRICS())" }));
    expect(math.Code).toBe("InvalidParameterValue");
    expect(math.message).toMatch(/metric math expressions are not supported by the embedded CloudWatch/);
    expect((await failure(query({ Id: "Upper", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } }))).message).toMatch(/Id/);
    expect((await failure(query({ Id: "m", MetricStat: { Metric: metric, Period: 60, Stat: "tm99" } }))).Code).toBe("InvalidParameterValue");
    const twice = await failure(
      cw.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(60),
          MetricDataQueries: [
            { Id: "m", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } },
            { Id: "m", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } },
          ],
        }),
      ),
    );
    expect(twice.message).toMatch(/not unique/);
  });
});

describe("the aws CLI's awsQuery protocol", () => {
  const form = (params: Record<string, string>) => new URLSearchParams({ Version: "2010-08-01", ...params }).toString();
  const dispatch = async (body: Buffer | string, headers: Record<string, string> = {}) => {
    const req: WireRequest = {
      method: "POST",
      path: "/",
      query: new URLSearchParams(),
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...headers },
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      host: "127.0.0.1",
    };
    const res = await stack.dispatcher.dispatch(req);
    return { status: res.status, text: (res.body as Buffer).toString("utf8") };
  };

  it("stores form-encoded data (gzip or not) and answers in CloudWatch's XML", async () => {
    const put = form({
      Action: "PutMetricData",
      Namespace: "Test/Query",
      "MetricData.member.1.MetricName": "Rows",
      "MetricData.member.1.Dimensions.member.1.Name": "Lake",
      "MetricData.member.1.Dimensions.member.1.Value": "ecomm",
      "MetricData.member.1.Timestamp": at(5).toISOString(),
      "MetricData.member.1.Values.member.1": "10",
      "MetricData.member.1.Values.member.2": "30",
      "MetricData.member.1.Counts.member.1": "1",
      "MetricData.member.1.Counts.member.2": "3",
      "MetricData.member.1.Unit": "Count",
    });
    const plain = await dispatch(put);
    expect(plain.status, plain.text).toBe(200);
    expect(plain.text).toMatch(/^<PutMetricDataResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><ResponseMetadata><RequestId>/);
    expect((await dispatch(gzipSync(put), { "content-encoding": "gzip" })).status).toBe(200);

    const stats = await dispatch(
      form({
        Action: "GetMetricStatistics",
        Namespace: "Test/Query",
        MetricName: "Rows",
        "Dimensions.member.1.Name": "Lake",
        "Dimensions.member.1.Value": "ecomm",
        StartTime: at(0).toISOString(),
        EndTime: at(60).toISOString(),
        Period: "60",
        "ExtendedStatistics.member.1": "p50",
      }),
    );
    expect(stats.status, stats.text).toBe(200);
    expect(stats.text).toContain("<Label>Rows</Label>");
    // Two puts of 10 ×1 and 30 ×3: eight samples, the median 30.
    expect(stats.text).toContain(
      `<Datapoints><member><Timestamp>${at(0).toISOString().replace(".000Z", "Z")}</Timestamp><Unit>Count</Unit><ExtendedStatistics><entry><key>p50</key><value>30</value></entry></ExtendedStatistics></member></Datapoints>`,
    );

    const listed = await dispatch(form({ Action: "ListMetrics", Namespace: "Test/Query" }));
    expect(listed.text).toContain("<Metrics><member><Namespace>Test/Query</Namespace><MetricName>Rows</MetricName><Dimensions><member><Name>Lake</Name><Value>ecomm</Value></member></Dimensions></member></Metrics>");
  });

  it("answers errors as <ErrorResponse> with the query error code", async () => {
    const res = await dispatch(form({ Action: "PutMetricData", Namespace: "Test/Query", "MetricData.member.1.MetricName": "Rows", "MetricData.member.1.Value": "abc" }));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<ErrorResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><Error><Type>Sender<\/Type><Code>InvalidParameterValue<\/Code><Message>The value abc for parameter MetricData\.member\.1\.Value is invalid\.<\/Message>/);
    const unknown = await dispatch(form({ Action: "DescribeAlarms" }));
    expect(unknown.text).toContain("<Code>InvalidAction</Code>");
  });
});
