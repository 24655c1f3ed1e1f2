import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "../../src/config/issues.js";
import { loadConfig } from "../../src/config/load.js";
import { tmpLake } from "../helpers/tmp-lake.js";

/** Loads `yaml` as lake.config.yaml beside `files`; returns the errors as printed, with the temp folder removed. */
function errorsOf(yaml: string, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): string[] {
  const dir = tmpLake({ "lake.config.yaml": yaml, ...files });
  try {
    loadConfig(join(dir, "lake.config.yaml"), { env });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => formatIssue(i).replaceAll(`${dir}/`, ""));
    throw err;
  }
  return [];
}

interface Case {
  name: string;
  yaml: string;
  files?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  errors: string[];
}

const cases: Case[] = [
  {
    name: "YAML syntax: an unterminated quote",
    yaml: 'version: 1\nlake: shop\nregion: "us-east-1\n',
    errors: [
      "lake.config.yaml:3:9: YAML syntax: missing closing \"quote — the closing quote or bracket",
    ],
  },
  {
    name: "YAML syntax: a key given twice",
    yaml: "version: 1\nlake: shop\nlake: store\n",
    errors: [
      "lake.config.yaml:3:1: YAML syntax: map keys must be unique — each key once per mapping",
    ],
  },
  {
    name: "YAML syntax: a tab used for indentation",
    yaml: "version: 1\nlake: shop\nbuckets:\n\traw: { name: shop-raw }\n",
    errors: [
      "lake.config.yaml:4:1: YAML syntax: tabs are not allowed as indentation — spaces for indentation, not tabs",
    ],
  },
  {
    name: "an empty file",
    yaml: "# nothing yet\n",
    errors: [
      "lake.config.yaml:1:1: the file is empty — expected a mapping with at least version: 1 and lake: <name>",
    ],
  },
  {
    name: "a list instead of a mapping",
    yaml: "- version: 1\n- lake: shop\n",
    errors: [
      "lake.config.yaml:1:1: the document is a list — expected a mapping with at least version: 1 and lake: <name>",
    ],
  },
  {
    name: "an unsupported format version",
    yaml: "version: 2\nlake: shop\n",
    errors: [
      "lake.config.yaml:1:10: version: is 2 — expected 1 (the only format version)",
    ],
  },
  {
    name: "the lake name missing",
    yaml: "version: 1\nregion: us-east-1\n",
    errors: [
      "lake.config.yaml:1:1: lake: is required but missing — expected a name of 1 to 63 lowercase letters, digits and hyphens starting with a letter, e.g. ecomm",
    ],
  },
  {
    name: "a lake name that cannot be a tag value prefix",
    yaml: "version: 1\nlake: My Shop\n",
    errors: [
      "lake.config.yaml:2:7: lake: \"My Shop\" is not valid — expected a name of 1 to 63 lowercase letters, digits and hyphens starting with a letter, e.g. ecomm",
    ],
  },
  {
    name: "an unknown top-level key with a did-you-mean",
    yaml: "version: 1\nlake: shop\nbucket:\n  raw: { name: shop-raw }\n",
    errors: [
      "lake.config.yaml:3:1: bucket: unknown key — did you mean \"buckets\"?",
    ],
  },
  {
    name: "an unknown nested key with a did-you-mean",
    yaml: "version: 1\nlake: shop\nbuckets:\n  raw:\n    name: shop-raw\n    versionning: true\n",
    errors: [
      "lake.config.yaml:6:5: buckets.raw.versionning: unknown key — did you mean \"versioning\"?",
    ],
  },
  {
    name: "an unknown key with nothing close lists what is allowed",
    yaml: "version: 1\nlake: shop\nschedule:\n  every: 5m\n",
    errors: [
      "lake.config.yaml:4:3: schedule.every: unknown key — expected one of: reconcile, timezone",
    ],
  },
  {
    name: "a string where a boolean is expected",
    yaml: "version: 1\nlake: shop\nbuckets:\n  raw: { name: shop-raw, versioning: \"yes\" }\n",
    errors: [
      "lake.config.yaml:4:38: buckets.raw.versioning: is \"yes\" — expected true or false",
    ],
  },
  {
    name: "a word where an integer is expected",
    yaml: "version: 1\nlake: shop\napply:\n  concurrency: eight\n",
    errors: [
      "lake.config.yaml:4:16: apply.concurrency: is \"eight\" — expected an integer",
    ],
  },
  {
    name: "a single string where a list is expected",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - name: raw\n    database: shop_raw\n    role: arn:aws:iam::123456789012:role/Crawler\n    targets: raw:events/\n",
    errors: [
      "lake.config.yaml:9:14: crawlers[0].targets: is \"raw:events/\" — expected a list",
    ],
  },
  {
    name: "a value outside an enum, with a did-you-mean",
    yaml: "version: 1\nlake: shop\ntarget: locl\n",
    errors: [
      "lake.config.yaml:3:9: target: \"locl\" is not allowed — expected one of: local, aws (did you mean \"local\"?)",
    ],
  },
  {
    name: "a region that is not a region code",
    yaml: "version: 1\nlake: shop\nregion: us-east\n",
    errors: [
      "lake.config.yaml:3:9: region: \"us-east\" is not valid — expected an AWS region code such as us-east-1 or eu-west-2",
    ],
  },
  {
    name: "an integer above its maximum",
    yaml: "version: 1\nlake: shop\ndaemon:\n  http: { port: 70000 }\n",
    errors: [
      "lake.config.yaml:4:17: daemon.http.port: is 70000, above the maximum — expected at most 65535",
    ],
  },
  {
    name: "an environment variable without a default that is not set",
    yaml: "version: 1\nlake: shop\nvars:\n  prefix: ${env:LAKE_PREFIX}\nbuckets:\n  raw: { name: \"${vars.prefix}-raw\" }\n",
    errors: [
      "lake.config.yaml:4:11: vars.prefix: environment variable LAKE_PREFIX is not set — set LAKE_PREFIX, or give a default: ${env:LAKE_PREFIX:-value}",
    ],
  },
  {
    name: "an undefined variable, with a did-you-mean",
    yaml: "version: 1\nlake: shop\nvars: { prefix: acme }\nbuckets:\n  raw: { name: \"${vars.prefx}-raw\" }\n",
    errors: [
      "lake.config.yaml:5:17: buckets.raw.name: variable \"prefx\" is not defined — expected one of vars: prefix (did you mean \"prefix\"?)",
    ],
  },
  {
    name: "variables that refer to each other in a cycle",
    yaml: "version: 1\nlake: shop\nvars:\n  a: ${vars.b}-x\n  b: ${vars.c}\n  c: ${vars.a}\n",
    errors: [
      "lake.config.yaml:6:6: vars.c: variables refer to each other in a cycle: a → b → c → a — expected each variable to resolve without coming back to itself",
    ],
  },
  {
    name: "an unknown kind of reference",
    yaml: "version: 1\nlake: shop\nregion: ${aws.region}\n",
    errors: [
      "lake.config.yaml:3:9: region: unknown reference ${aws.region} — expected ${env:NAME}, ${env:NAME:-default}, ${vars.NAME} or ${bucket:KEY}",
    ],
  },
  {
    name: "a reference to an undeclared bucket in a job argument",
    yaml: "version: 1\nlake: shop\nbuckets: { processed: { name: shop-processed } }\nroles: { glue: { name: GlueRole } }\njobs:\n  - name: etl\n    script: etl.py\n    scriptLocation: processed:scripts/\n    arguments:\n      --target_path: s3://${bucket:procesed}/events/\n",
    files: { "etl.py": "print('etl')\n" },
    errors: [
      "lake.config.yaml:10:27: jobs[0].arguments[\"--target_path\"]: bucket \"procesed\" is not declared — expected a key of buckets: processed (did you mean \"processed\"?)",
    ],
  },
  {
    name: "a bucket name with uppercase letters",
    yaml: "version: 1\nlake: shop\nbuckets:\n  raw: { name: Shop-Raw }\n",
    errors: [
      "lake.config.yaml:4:16: buckets.raw.name: bucket name \"Shop-Raw\" has uppercase letters — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
    ],
  },
  {
    name: "bucket names that break S3's other rules",
    yaml: "version: 1\nlake: shop\nbuckets:\n  a: { name: ab }\n  b: { name: 192.168.1.1 }\n  c: { name: xn--shop }\n  d: { name: shop..raw }\n  e: { name: shop-raw- }\n",
    errors: [
      "lake.config.yaml:4:14: buckets.a.name: bucket name \"ab\" is 2 characters long — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
      "lake.config.yaml:5:14: buckets.b.name: bucket name \"192.168.1.1\" is formatted as an IP address — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
      "lake.config.yaml:6:14: buckets.c.name: bucket name \"xn--shop\" starts with the reserved prefix \"xn--\" — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
      "lake.config.yaml:7:14: buckets.d.name: bucket name \"shop..raw\" has two adjacent dots — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
      "lake.config.yaml:8:14: buckets.e.name: bucket name \"shop-raw-\" must start and end with a letter or digit — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
    ],
  },
  {
    name: "the same bucket name under two keys",
    yaml: "version: 1\nlake: shop\nbuckets:\n  raw: { name: shop-data }\n  processed: { name: shop-data }\n",
    errors: [
      "lake.config.yaml:5:22: buckets.processed.name: bucket name \"shop-data\" is declared twice — expected each bucket name once (first declared on line 4)",
    ],
  },
  {
    name: "an upload from a folder that does not exist, with a did-you-mean",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nuploads:\n  - { from: data/rwa, to: raw:data/ }\n",
    files: { "data/raw/": "" },
    errors: [
      "lake.config.yaml:5:13: uploads[0].from: \"data/rwa\" does not exist — expected a folder or file relative to lake.config.yaml (did you mean \"data/raw\"?)",
    ],
  },
  {
    name: "an upload to an undeclared bucket",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nuploads:\n  - { from: data, to: rwa:data/ }\n",
    files: { "data/": "" },
    errors: [
      "lake.config.yaml:5:23: uploads[0].to: bucket \"rwa\" is not declared — expected a key of buckets: raw (did you mean \"raw\"?)",
    ],
  },
  {
    name: "a bucket reference with a leading slash in its prefix",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nuploads:\n  - { from: data, to: raw:/data/ }\n",
    files: { "data/": "" },
    errors: [
      "lake.config.yaml:5:23: uploads[0].to: \"raw:/data/\" is not valid — expected bucket:prefix, a key of `buckets` then an optional key prefix without a leading /, e.g. raw:data/raw/",
    ],
  },
  {
    name: "an IAM role name IAM refuses, and access to an undeclared bucket",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles:\n  glue:\n    name: Glue Role\n    access: { raw: read, processed: write }\n",
    errors: [
      "lake.config.yaml:6:11: roles.glue.name: role name \"Glue Role\" is not valid — expected 1 to 64 letters, digits and + = , . @ _ - (IAM's rule)",
      "lake.config.yaml:7:26: roles.glue.access.processed: bucket \"processed\" is not declared — expected a key of buckets: raw",
    ],
  },
  {
    name: "an access level that does not exist",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles:\n  glue:\n    name: GlueRole\n    access: { raw: full }\n",
    errors: [
      "lake.config.yaml:7:20: roles.glue.access.raw: \"full\" is not allowed — expected one of: read, write, readwrite",
    ],
  },
  {
    name: "a database name Athena cannot query, and a duplicate database",
    yaml: "version: 1\nlake: shop\ndatabases:\n  - name: Shop-Raw\n  - name: shop_raw\n  - name: shop_raw\n",
    errors: [
      "lake.config.yaml:4:11: databases[0].name: database name \"Shop-Raw\" is not valid — expected lowercase letters, digits and underscores, at most 255 (the names Athena can query), e.g. ecommerce_raw_db",
      "lake.config.yaml:6:11: databases[2].name: database \"shop_raw\" is declared twice — expected each database once (first declared on line 5)",
    ],
  },
  {
    name: "a crawler on an undeclared database and an undeclared role",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles: { glue: { name: GlueRole } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - name: raw\n    database: shop_rwa\n    role: glu\n    targets: [raw:events/]\n",
    errors: [
      "lake.config.yaml:8:15: crawlers[0].database: database \"shop_rwa\" is not declared — expected one of databases: shop_raw (did you mean \"shop_raw\"?)",
      "lake.config.yaml:9:11: crawlers[0].role: role \"glu\" is not declared — expected a key of roles: glue (did you mean \"glue\"?), or an IAM role ARN",
    ],
  },
  {
    name: "a crawler without a role when several roles are declared",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles:\n  crawler: { name: CrawlerRole }\n  etl: { name: EtlRole }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - name: raw\n    database: shop_raw\n    targets: [raw:events/]\n",
    errors: [
      "lake.config.yaml:9:5: crawlers[0]: has no role and 2 roles are declared — expected role: one of crawler, etl (or set defaults.role)",
    ],
  },
  {
    name: "a crawler without a role when no role is declared",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - { name: raw, database: shop_raw, targets: [raw:events/] }\n",
    errors: [
      "lake.config.yaml:6:5: crawlers[0]: has no role and no role is declared — expected role: <IAM role ARN>, or a role declared under roles",
    ],
  },
  {
    name: "a Glue cron with both day fields set",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles: { glue: { name: GlueRole } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - name: raw\n    database: shop_raw\n    targets: [raw:events/]\n    schedule: cron(0 2 * * MON *)\n",
    errors: [
      "lake.config.yaml:10:15: crawlers[0].schedule: day-of-month and day-of-week are both set — expected ? in exactly one of them, e.g. cron(0 2 * * ? *) for 02:00 UTC daily",
    ],
  },
  {
    name: "a Glue cron with an hour out of range, and one with five fields",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles: { glue: { name: GlueRole } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - { name: a, database: shop_raw, targets: [raw:a/], schedule: cron(0 24 * * ? *) }\n  - { name: b, database: shop_raw, targets: [raw:b/], schedule: cron(0 2 * * ?) }\n",
    errors: [
      "lake.config.yaml:7:65: crawlers[0].schedule: hours field \"24\" is out of range — expected 0-23, *, lists (a,b), ranges (a-b) and steps (*/n)",
      "lake.config.yaml:8:65: crawlers[1].schedule: cron expression has 5 fields — expected 6: cron(Minutes Hours Day-of-month Month Day-of-week Year), e.g. cron(0 2 * * ? *) for 02:00 UTC daily",
    ],
  },
  {
    name: "a schedule that is neither on-demand nor cron(...)",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles: { glue: { name: GlueRole } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - { name: a, database: shop_raw, targets: [raw:a/], schedule: daily }\n",
    errors: [
      "lake.config.yaml:7:65: crawlers[0].schedule: \"daily\" is not a schedule — expected on-demand or a Glue cron(...) expression, e.g. cron(0 2 * * ? *) for 02:00 UTC daily",
    ],
  },
  {
    name: "crawling new folders only while updating the schema",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles: { glue: { name: GlueRole } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - name: raw\n    database: shop_raw\n    targets: [raw:events/]\n    recrawl: CRAWL_NEW_FOLDERS_ONLY\n    schemaChange: { update: UPDATE_IN_DATABASE, delete: LOG }\n",
    errors: [
      "lake.config.yaml:11:19: crawlers[0].schemaChange: is update UPDATE_IN_DATABASE, delete LOG with recrawl CRAWL_NEW_FOLDERS_ONLY — expected update: LOG and delete: LOG (Glue's rule for crawling new folders only), or recrawl: CRAWL_EVERYTHING",
    ],
  },
  {
    name: "two crawlers of the same name",
    yaml: "version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\nroles: { glue: { name: GlueRole } }\ndatabases: [{ name: shop_raw }]\ncrawlers:\n  - { name: raw, database: shop_raw, targets: [raw:a/] }\n  - { name: raw, database: shop_raw, targets: [raw:b/] }\n",
    errors: [
      "lake.config.yaml:8:13: crawlers[1].name: crawler \"raw\" is declared twice — expected each crawler once (first declared on line 7)",
    ],
  },
  {
    name: "a Glue job whose script does not exist and that has nowhere to upload it",
    yaml: "version: 1\nlake: shop\nroles: { glue: { name: GlueRole } }\njobs:\n  - name: etl\n    script: glue_scripts/etl.py\n",
    errors: [
      "lake.config.yaml:5:5: jobs[0].scriptLocation: is required but missing — expected where the script is uploaded as bucket:prefix, here or in defaults.scriptLocation",
      "lake.config.yaml:6:13: jobs[0].script: \"glue_scripts/etl.py\" does not exist — expected a file relative to lake.config.yaml",
    ],
  },
  {
    name: "an athena job with Glue settings and no SQL",
    yaml: "version: 1\nlake: shop\ndatabases: [{ name: shop_raw }]\njobs:\n  - name: daily_rollup\n    type: athena\n    script: rollup.py\n    database: shop_raw\n",
    errors: [
      "lake.config.yaml:5:5: jobs[0].sql: is required but missing — expected the SQL file an athena job runs",
      "lake.config.yaml:7:5: jobs[0].script: does not apply to an athena job — expected sql, database and workgroup",
    ],
  },
  {
    name: "a malformed duration and a worker count below Glue's minimum",
    yaml: "version: 1\nlake: shop\nbuckets: { scripts: { name: shop-scripts } }\nroles: { glue: { name: GlueRole } }\njobs:\n  - name: etl\n    script: etl.py\n    scriptLocation: scripts:jobs/\n    timeout: 60 minutes\n    workers: { count: 1 }\n",
    files: { "etl.py": "" },
    errors: [
      "lake.config.yaml:9:14: jobs[0].timeout: \"60 minutes\" is not valid — expected a duration such as 500ms, 30s, 5m, 2h or 1d",
      "lake.config.yaml:10:23: jobs[0].workers.count: is 1, below the minimum — expected at least 2",
    ],
  },
  {
    name: "a bytes-scanned cutoff below Athena's minimum, and a malformed size",
    yaml: "version: 1\nlake: shop\nbuckets: { results: { name: shop-results } }\nworkgroups:\n  - { name: small, results: results:athena/, bytesScannedCutoff: 5MB }\n  - { name: odd, results: results:athena/, bytesScannedCutoff: 10 gigs }\n",
    errors: [
      "lake.config.yaml:5:66: workgroups[0].bytesScannedCutoff: is 5MB — expected at least 10MB (Athena's minimum)",
      "lake.config.yaml:6:64: workgroups[1].bytesScannedCutoff: \"10 gigs\" is not valid — expected a size such as 10GB (powers of 1000) or 512MiB (powers of 1024), or a number of bytes",
    ],
  },
  {
    name: "a workgroup name Athena refuses, and KMS encryption without a key",
    yaml: "version: 1\nlake: shop\nworkgroups:\n  - { name: \"team analytics\", encryption: SSE_KMS }\n",
    errors: [
      "lake.config.yaml:4:5: workgroups[0].kmsKey: is required but missing — expected the KMS key that SSE_KMS encrypts results with",
      "lake.config.yaml:4:13: workgroups[0].name: workgroup name \"team analytics\" is not valid — expected 1 to 128 letters, digits, dots, underscores and hyphens (Athena's rule)",
    ],
  },
  {
    name: "a daemon cron expression and a time zone that do not parse",
    yaml: "version: 1\nlake: shop\nschedule:\n  reconcile: \"*/5 * * *\"\n  timezone: Europe/Paris2\n",
    errors: [
      "lake.config.yaml:4:14: schedule.reconcile: \"*/5 * * *\" is not a valid cron expression — expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. \"*/5 * * * *\"",
      "lake.config.yaml:5:13: schedule.timezone: \"Europe/Paris2\" is not a time zone — expected an IANA time zone such as UTC or Europe/Berlin",
    ],
  },
  {
    name: "saved queries: an undeclared database, a duplicate name, a block without SQL",
    yaml: "version: 1\nlake: shop\ndatabases: [{ name: shop_raw }]\nqueries:\n  - file: sql/a.sql\n    database: shop_rw\nworkgroups: [{ name: adhoc }]\n",
    files: { "sql/a.sql": "-- name: events\nSELECT 1;\n\n-- name: events\nSELECT 2;\n-- name: empty\n-- description: nothing here\n" },
    errors: [
      "lake.config.yaml:6:15: queries[0].database: database \"shop_rw\" is not declared — expected one of databases: shop_raw (did you mean \"shop_raw\"?)",
      "sql/a.sql:4:1: queries[0].file: saved query \"events\" is declared twice — expected each name once (first in sql/a.sql:1)",
      "sql/a.sql:6:1: queries[0].file: saved query \"empty\" has no SQL — expected a statement after the -- name: line",
    ],
  },
  {
    name: "a saved query file without any -- name: block",
    yaml: "version: 1\nlake: shop\ndatabases: [{ name: shop_raw }]\nqueries:\n  - { file: sql/plain.sql, database: shop_raw }\nworkgroups: [{ name: adhoc }]\n",
    files: { "sql/plain.sql": "SELECT 1;\n" },
    errors: [
      "sql/plain.sql:1:1: queries[0].file: SQL before the first -- name: line — expected every statement under a -- name: <query_name> line",
    ],
  },
  {
    name: "saved queries without a workgroup of the lake to belong to",
    yaml: "version: 1\nlake: shop\ndatabases: [{ name: shop_raw }]\nqueries:\n  - { file: sql/a.sql, database: shop_raw }\nworkgroups: [{ name: adhoc }, { name: reports }]\n",
    files: { "sql/a.sql": "-- name: events\nSELECT 1;\n" },
    errors: [
      "lake.config.yaml:5:5: queries[0].workgroup: is required but missing — expected one of the workgroups declared under workgroups (saved queries belong to a workgroup of the lake)",
    ],
  },
  {
    name: "a bucket key that cannot be referenced",
    yaml: "version: 1\nlake: shop\nbuckets:\n  Raw_Data: { name: shop-raw }\n",
    errors: [
      "lake.config.yaml:4:3: buckets.Raw_Data: key \"Raw_Data\" is not valid — expected a key of lowercase letters, digits, _ and -, starting with a letter",
    ],
  },
  {
    name: "every error of a file is reported at once, in file order",
    yaml: "version: 1\nlake: shop\nregion: mars-1\nbuckets:\n  raw: { name: SHOP }\ndatabases:\n  - name: shop raw\nschedule: { reconcile: never }\n",
    errors: [
      "lake.config.yaml:3:9: region: \"mars-1\" is not valid — expected an AWS region code such as us-east-1 or eu-west-2",
      "lake.config.yaml:5:16: buckets.raw.name: bucket name \"SHOP\" has uppercase letters — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
      "lake.config.yaml:7:11: databases[0].name: database name \"shop raw\" is not valid — expected lowercase letters, digits and underscores, at most 255 (the names Athena can query), e.g. ecommerce_raw_db",
      "lake.config.yaml:8:24: schedule.reconcile: \"never\" is not a valid cron expression — expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. \"*/5 * * * *\"",
    ],
  },
];

describe("broken configurations are rejected with file:line:col, the key, what is wrong and what is expected", () => {
  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));
  it.each(cases)("$name", ({ yaml, files, env, errors }) => {
    expect(errorsOf(yaml, files, env)).toEqual(errors);
  });
});
