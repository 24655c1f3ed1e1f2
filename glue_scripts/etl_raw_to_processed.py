"""Glue 4.0 job: raw clickstream JSON (crawled table) -> processed, partitioned Parquet.

Arguments: --JOB_NAME --source_database --source_table --target_path --quarantine_path

Reads only the files that are new since the last successful run (job bookmarks), flattens
and types the events, removes duplicate event_ids, sends invalid records to a JSON
quarantine area with the reason, and writes the valid ones as Snappy Parquet partitioned by
year/month/day of the event time.
"""

import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark import StorageLevel
from pyspark.context import SparkContext
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window

KNOWN_EVENT_TYPES = [
    "page_view",
    "product_view",
    "search",
    "add_to_cart",
    "remove_from_cart",
    "checkout_start",
    "purchase",
]
PRODUCT_EVENT_TYPES = ["product_view", "add_to_cart", "remove_from_cart", "purchase"]

PRICE_TYPE = T.DecimalType(10, 2)
REVENUE_TYPE = T.DecimalType(12, 2)
QUANTITY_MIN = 1
QUANTITY_MAX = 100

# Raw timestamps look like 2025-06-23T14:03:12.345Z; the second pattern accepts the same
# instant written without milliseconds rather than quarantining it.
TS_FORMATS = ["yyyy-MM-dd'T'HH:mm:ss.SSSX", "yyyy-MM-dd'T'HH:mm:ssX"]

PARTITION_COLUMNS = ["year", "month", "day"]

# Order of the processed table's columns; partition columns go last as Spark writes them.
OUTPUT_COLUMNS = [
    "event_id",
    "event_type",
    "event_ts",
    "event_date",
    "user_id",
    "session_id",
    "product_id",
    "product_name",
    "product_category",
    "product_price",
    "quantity",
    "revenue",
    "page_url",
    "page_referrer",
    "device_type",
    "device_os",
    "device_browser",
    "geo_country",
    "geo_city",
    "search_query",
    "coupon_code",
    "order_id",
] + PARTITION_COLUMNS

# (flat column, struct column, struct field, type if the crawled schema lacks it)
NESTED_FIELDS = [
    ("product_id", "product", "id", T.StringType()),
    ("product_name", "product", "name", T.StringType()),
    ("product_category", "product", "category", T.StringType()),
    ("raw_product_price", "product", "price", T.DoubleType()),
    ("page_url", "page", "url", T.StringType()),
    ("page_referrer", "page", "referrer", T.StringType()),
    ("device_type", "device", "type", T.StringType()),
    ("device_os", "device", "os", T.StringType()),
    ("device_browser", "device", "browser", T.StringType()),
    ("geo_country", "geo", "country", T.StringType()),
    ("geo_city", "geo", "city", T.StringType()),
]

# (flat column, raw column, type if the crawled schema lacks it)
TOP_LEVEL_FIELDS = [
    ("event_id", "event_id", T.StringType()),
    ("event_type", "event_type", T.StringType()),
    ("raw_timestamp", "timestamp", T.StringType()),
    ("user_id", "user_id", T.StringType()),
    ("session_id", "session_id", T.StringType()),
    ("raw_quantity", "quantity", T.IntegerType()),
    ("search_query", "search_query", T.StringType()),
    ("coupon_code", "coupon_code", T.StringType()),
    ("order_id", "order_id", T.StringType()),
]


def field_type(schema: T.StructType, name: str):
    for field in schema.fields:
        if field.name == name:
            return field.dataType
    return None


def top_level_or_null(df: DataFrame, name: str, dtype: T.DataType):
    # The crawler/DynamicFrame schema only has columns that occurred in the data read, so a
    # day without searches, coupons or orders has no such column at all.
    if field_type(df.schema, name) is None:
        return F.lit(None).cast(dtype)
    return F.col(name)


def nested_or_null(df: DataFrame, struct_name: str, field_name: str, dtype: T.DataType):
    # Same reason as above, one level down: a struct can be absent (no product events) or
    # miss a field that was null everywhere (e.g. referrer).
    struct_type = field_type(df.schema, struct_name)
    if not isinstance(struct_type, T.StructType) or field_type(struct_type, field_name) is None:
        return F.lit(None).cast(dtype)
    return F.col(struct_name).getField(field_name)


def blank_to_null(col):
    return F.when(F.trim(col) == "", F.lit(None)).otherwise(col)


def flatten(df: DataFrame) -> DataFrame:
    columns = []
    for flat_name, raw_name, dtype in TOP_LEVEL_FIELDS:
        columns.append(top_level_or_null(df, raw_name, dtype).alias(flat_name))
    for flat_name, struct_name, field_name, dtype in NESTED_FIELDS:
        columns.append(nested_or_null(df, struct_name, field_name, dtype).alias(flat_name))

    # The raw partition is the landing date of the file, i.e. the ingest date; a table
    # crawled without partitions falls back to the day of this run.
    if all(field_type(df.schema, name) is not None for name in PARTITION_COLUMNS):
        # "y-M-d" also accepts partitions written without zero padding.
        ingest_date = F.to_date(
            F.concat_ws("-", F.col("year"), F.col("month"), F.col("day")), "y-M-d"
        )
        ingest_date = F.coalesce(ingest_date, F.current_date())
    else:
        ingest_date = F.current_date()
    columns.append(ingest_date.alias("ingest_date"))

    flat = df.select(*columns)
    # Blank identifiers would otherwise pass the not-null checks and collapse together.
    return flat.withColumn("event_id", blank_to_null(F.col("event_id"))).withColumn(
        "event_type", blank_to_null(F.col("event_type"))
    )


def parse_event_ts(col, source_type: T.DataType):
    if isinstance(source_type, T.TimestampType):
        return col
    text = col.cast("string")
    return F.coalesce(*[F.to_timestamp(text, fmt) for fmt in TS_FORMATS])


def cast_types(flat: DataFrame) -> DataFrame:
    ts_type = field_type(flat.schema, "raw_timestamp")
    return (
        flat.withColumn("event_ts", parse_event_ts(F.col("raw_timestamp"), ts_type))
        .withColumn("product_price", F.col("raw_product_price").cast(PRICE_TYPE))
        .withColumn("quantity", F.col("raw_quantity").cast(T.IntegerType()))
    )


def deduplicate(typed: DataFrame) -> DataFrame:
    # Records without an event_id cannot be duplicates of each other; they are kept so that
    # validation quarantines them instead of silently merging them into one.
    keyed = typed.where(F.col("event_id").isNotNull())
    unkeyed = typed.where(F.col("event_id").isNull())
    # The JSON of the whole row breaks ties between copies with the same event_ts, so the
    # same input always keeps the same copy.
    window = Window.partitionBy("event_id").orderBy(
        F.col("event_ts").asc_nulls_last(),
        F.col("ingest_date").asc_nulls_last(),
        F.to_json(F.struct(*[F.col(c) for c in typed.columns])).asc(),
    )
    first = (
        keyed.withColumn("_rank", F.row_number().over(window))
        .where(F.col("_rank") == 1)
        .drop("_rank")
    )
    return first.unionByName(unkeyed)


def with_quarantine_reason(df: DataFrame) -> DataFrame:
    is_product_event = F.col("event_type").isin(PRODUCT_EVENT_TYPES)
    rules = [
        ("missing_event_id", F.col("event_id").isNull()),
        ("missing_event_type", F.col("event_type").isNull()),
        (
            "unknown_event_type",
            F.col("event_type").isNotNull() & ~F.col("event_type").isin(KNOWN_EVENT_TYPES),
        ),
        ("missing_timestamp", F.col("raw_timestamp").isNull()),
        (
            "unparseable_timestamp",
            F.col("raw_timestamp").isNotNull() & F.col("event_ts").isNull(),
        ),
        (
            "missing_product_fields",
            is_product_event
            & (
                F.col("product_id").isNull()
                | F.col("product_name").isNull()
                | F.col("product_category").isNull()
                | F.col("raw_product_price").isNull()
            ),
        ),
        # A price that does not fit decimal(10,2) becomes null on cast; flag it rather than
        # writing an event that lost its price.
        (
            "invalid_price",
            F.col("raw_product_price").isNotNull() & F.col("product_price").isNull(),
        ),
        ("negative_price", F.col("product_price") < 0),
        (
            "invalid_quantity",
            F.col("raw_quantity").isNotNull() & F.col("quantity").isNull(),
        ),
        (
            "quantity_out_of_range",
            F.col("quantity").isNotNull()
            & ((F.col("quantity") < QUANTITY_MIN) | (F.col("quantity") > QUANTITY_MAX)),
        ),
    ]
    # A null condition means "cannot tell", which must not quarantine: coalesce to false.
    reasons = [F.when(F.coalesce(cond, F.lit(False)), F.lit(code)) for code, cond in rules]
    return df.withColumn("quarantine_reason", F.concat_ws(",", *reasons))


def to_output(valid: DataFrame) -> DataFrame:
    revenue = F.when(
        F.col("event_type") == "purchase",
        (F.col("product_price") * F.col("quantity")).cast(REVENUE_TYPE),
    ).otherwise(F.lit(None).cast(REVENUE_TYPE))
    return (
        valid.withColumn("event_date", F.to_date(F.col("event_ts")))
        .withColumn("revenue", revenue)
        # Zero-padded strings keep the processed layout identical to the raw one.
        .withColumn("year", F.date_format(F.col("event_ts"), "yyyy"))
        .withColumn("month", F.date_format(F.col("event_ts"), "MM"))
        .withColumn("day", F.date_format(F.col("event_ts"), "dd"))
        .select(*OUTPUT_COLUMNS)
    )


def existing_partition_paths(spark: SparkSession, target_path: str, partitions) -> list:
    jvm = spark.sparkContext._jvm
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    root = target_path.rstrip("/")
    fs = jvm.org.apache.hadoop.fs.Path(root).getFileSystem(hadoop_conf)
    paths = []
    for year, month, day in partitions:
        path = f"{root}/year={year}/month={month}/day={day}"
        if fs.exists(jvm.org.apache.hadoop.fs.Path(path)):
            paths.append(path)
    return paths


def merge_with_existing(spark: SparkSession, new_rows: DataFrame, target_path: str, logger):
    # Bookmarks hand us only the new files, and dynamic overwrite replaces whole day
    # partitions: without merging, a day whose events arrive in two runs would keep only
    # the second run's events. Merging also makes a re-run of the same files idempotent.
    partitions = [
        (row["year"], row["month"], row["day"])
        for row in new_rows.select(*PARTITION_COLUMNS).distinct().collect()
    ]
    paths = existing_partition_paths(spark, target_path, partitions)
    logger.info(
        f"Partitions touched: {len(partitions)}, of which already in the target: {len(paths)}"
    )
    if not paths:
        return new_rows
    existing = (
        spark.read.option("basePath", target_path.rstrip("/"))
        .parquet(*paths)
        .select(*OUTPUT_COLUMNS)
    )
    merged = new_rows.unionByName(existing)
    window = Window.partitionBy("event_id").orderBy(
        F.col("event_ts").asc(),
        F.to_json(F.struct(*[F.col(c) for c in OUTPUT_COLUMNS])).asc(),
    )
    return (
        merged.withColumn("_rank", F.row_number().over(window))
        .where(F.col("_rank") == 1)
        .drop("_rank")
    )


def run(glue_context: GlueContext, args: dict, logger) -> None:
    spark = glue_context.spark_session
    # Event dates and partitions must be UTC days whatever the cluster's zone is.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    # Spark 3 raises on strings the old parser would have accepted; we want null instead,
    # which validation turns into a quarantine reason.
    spark.conf.set("spark.sql.legacy.timeParserPolicy", "CORRECTED")
    # Keep year=2025/month=06 as the strings "2025"/"06" when reading partitions back.
    spark.conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false")

    raw_dyf = glue_context.create_dynamic_frame.from_catalog(
        database=args["source_database"],
        table_name=args["source_table"],
        transformation_ctx="raw_events",
    )
    # JSON numbers such as price can be read as int in one file and double in another;
    # the catalog types are the contract.
    raw_dyf = raw_dyf.resolveChoice(
        choice="match_catalog",
        database=args["source_database"],
        table_name=args["source_table"],
        transformation_ctx="resolve_raw_events",
    )
    raw_df = raw_dyf.toDF().persist(StorageLevel.MEMORY_AND_DISK)
    read_count = raw_df.count()
    logger.info(f"Read {read_count} raw records from {args['source_database']}.{args['source_table']}")

    if read_count == 0:
        # Nothing new since the last bookmark: not an error, and the commit below keeps the
        # bookmark state consistent.
        logger.info("No new raw records; nothing to write")
        raw_df.unpersist()
        return

    typed = cast_types(flatten(raw_df))
    deduplicated = deduplicate(typed)
    checked = with_quarantine_reason(deduplicated).persist(StorageLevel.MEMORY_AND_DISK)
    deduplicated_count = checked.count()
    logger.info(
        f"Deduplicated on event_id: {deduplicated_count} records kept, "
        f"{read_count - deduplicated_count} duplicates removed"
    )

    invalid = checked.where(F.col("quarantine_reason") != "")
    valid = checked.where(F.col("quarantine_reason") == "")

    quarantined_count = invalid.count()
    if quarantined_count > 0:
        (
            invalid.withColumn("quarantined_at", F.current_timestamp())
            .write.mode("append")
            .partitionBy("ingest_date")
            .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .json(args["quarantine_path"])
        )
    logger.info(f"Quarantined {quarantined_count} records to {args['quarantine_path']}")

    new_rows = to_output(valid).persist(StorageLevel.MEMORY_AND_DISK)
    valid_count = new_rows.count()
    written_count = 0
    if valid_count == 0:
        logger.info("No valid records in this batch; the target is left unchanged")
    else:
        to_write = merge_with_existing(spark, new_rows, args["target_path"], logger)
        to_write = to_write.persist(StorageLevel.MEMORY_AND_DISK)
        written_count = to_write.count()
        (
            to_write.repartition(*PARTITION_COLUMNS)
            .write.mode("overwrite")
            .partitionBy(*PARTITION_COLUMNS)
            .option("compression", "snappy")
            .parquet(args["target_path"])
        )
        logger.info(
            f"Wrote {written_count} records ({valid_count} from this batch) "
            f"to {args['target_path']}"
        )
        to_write.unpersist()

    logger.info(
        f"Counts: read={read_count} deduplicated={deduplicated_count} "
        f"quarantined={quarantined_count} valid={valid_count} written={written_count}"
    )
    new_rows.unpersist()
    checked.unpersist()
    raw_df.unpersist()


def main() -> None:
    args = getResolvedOptions(
        sys.argv,
        ["JOB_NAME", "source_database", "source_table", "target_path", "quarantine_path"],
    )
    sc = SparkContext.getOrCreate()
    glue_context = GlueContext(sc)
    logger = glue_context.get_logger()
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    run(glue_context, args, logger)

    # Only reached on success, so a failed run leaves the bookmark where it was and the
    # same files are read again next time.
    job.commit()


if __name__ == "__main__":
    main()
