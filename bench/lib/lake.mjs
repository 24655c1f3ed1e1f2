// What several benches share: files of a folder, their upload to the embedded S3, a crawl waited for.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { GetCrawlerCommand, GetCrawlerMetricsCommand, StartCrawlerCommand } from "@aws-sdk/client-glue";

/** Relative paths of the files under `dir`, sorted. */
export function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** PutObject of every file under `dir` to `bucket` under `prefix`, 16 at once. */
export async function upload(s3, bucket, dir, prefix) {
  const list = filesUnder(dir);
  let bytes = 0;
  for (let i = 0; i < list.length; i += 16) {
    await Promise.all(
      list.slice(i, i + 16).map((f) => {
        const body = readFileSync(join(dir, f));
        bytes += body.length;
        return s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${f.split("\\").join("/")}`, Body: body }));
      }),
    );
  }
  return { files: list.length, bytes };
}

/** Starts a crawl and polls until it is READY with a successful last crawl: its wall time and metrics. */
export async function crawl(glue, name) {
  const started = performance.now();
  await glue.send(new StartCrawlerCommand({ Name: name }));
  for (;;) {
    const { Crawler } = await glue.send(new GetCrawlerCommand({ Name: name }));
    if (Crawler.State === "READY" && Crawler.LastCrawl) {
      if (Crawler.LastCrawl.Status !== "SUCCEEDED") throw new Error(`crawl ${name} ${Crawler.LastCrawl.Status}: ${Crawler.LastCrawl.ErrorMessage}`);
      const metrics = (await glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: [name] }))).CrawlerMetricsList[0];
      return { seconds: (performance.now() - started) / 1000, metrics };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
