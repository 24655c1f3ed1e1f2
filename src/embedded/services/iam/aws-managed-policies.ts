/**
 * The AWS managed policies that a data lake attaches, with their real ARNs and their default versions' documents
 * (as published by AWS at the version named). Attaching any other `arn:aws:iam::aws:policy/…` fails with
 * NoSuchEntity, as it would for a policy AWS does not have: extend this list when a config needs another one.
 */
export interface AwsManagedPolicy {
  name: string;
  path: string;
  policyId: string;
  description: string;
  versionId: string;
  createDate: string;
  updateDate: string;
  document: unknown;
}

const allow = (Action: string | string[], Resource: string | string[], extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action, Resource, ...extra });
const doc = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: "AWSGlueServiceRole",
    path: "/service-role/",
    policyId: "ANPAIRUJCPEBPMEZFAS32",
    description: "Policy for AWS Glue service role which allows access to related services including EC2, S3, and Cloudwatch Logs",
    versionId: "v5",
    createDate: "2017-08-14T13:37:39Z",
    updateDate: "2023-09-11T16:39:47Z",
    document: doc(
      allow(
        ["glue:*", "s3:GetBucketLocation", "s3:ListBucket", "s3:ListAllMyBuckets", "s3:GetBucketAcl", "ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcAttribute", "iam:ListRolePolicies", "iam:GetRole", "iam:GetRolePolicy", "cloudwatch:PutMetricData"],
        ["*"],
      ),
      allow(["s3:CreateBucket"], ["arn:aws:s3:::aws-glue-*"]),
      allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], ["arn:aws:s3:::aws-glue-*/*", "arn:aws:s3:::*/*aws-glue-*/*"]),
      allow(["s3:GetObject"], ["arn:aws:s3:::crawler-public*", "arn:aws:s3:::aws-glue-*"]),
      allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], ["arn:aws:logs:*:*:*:/aws-glue/*"]),
      {
        Effect: "Allow",
        Action: ["ec2:CreateTags", "ec2:DeleteTags"],
        Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["aws-glue-service-resource"] } },
        Resource: ["arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:instance/*"],
      },
    ),
  },
  {
    name: "AmazonS3FullAccess",
    path: "/",
    policyId: "ANPAIFIR6V6BVTRAHWINE",
    description: "Provides full access to all buckets via the AWS Management Console.",
    versionId: "v2",
    createDate: "2015-02-06T18:40:58Z",
    updateDate: "2021-09-27T20:16:37Z",
    document: doc(allow(["s3:*", "s3-object-lambda:*"], "*")),
  },
  {
    name: "AmazonS3ReadOnlyAccess",
    path: "/",
    policyId: "ANPAIZTJ4DXE7G6AGAE6M",
    description: "Provides read only access to all buckets via the AWS Management Console.",
    versionId: "v3",
    createDate: "2015-02-06T18:40:59Z",
    updateDate: "2023-08-10T21:31:39Z",
    document: doc(allow(["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"], "*")),
  },
  {
    name: "AmazonAthenaFullAccess",
    path: "/",
    policyId: "ANPAIPJMLMD4C7RYZ6XCK",
    description: "Provide full access to Amazon Athena and scoped access to the dependencies needed to enable querying, writing results, and data management.",
    versionId: "v11",
    createDate: "2016-11-30T16:46:01Z",
    updateDate: "2024-01-03T19:05:55Z",
    document: doc(
      { Sid: "BaseAthenaPermissions", ...allow(["athena:*"], ["*"]) },
      {
        Sid: "BaseGluePermissions",
        ...allow(
          ["glue:CreateDatabase", "glue:DeleteDatabase", "glue:GetDatabase", "glue:GetDatabases", "glue:UpdateDatabase", "glue:CreateTable", "glue:DeleteTable", "glue:BatchDeleteTable", "glue:UpdateTable", "glue:GetTable", "glue:GetTables", "glue:BatchCreatePartition", "glue:CreatePartition", "glue:DeletePartition", "glue:BatchDeletePartition", "glue:UpdatePartition", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition", "glue:StartColumnStatisticsTaskRun", "glue:GetColumnStatisticsTaskRun", "glue:GetColumnStatisticsTaskRuns"],
          ["*"],
        ),
      },
      {
        Sid: "BaseQueryResultsPermissions",
        ...allow(
          ["s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload", "s3:CreateBucket", "s3:PutObject", "s3:PutBucketPublicAccessBlock"],
          ["arn:aws:s3:::aws-athena-query-results-*"],
        ),
      },
      { Sid: "BaseAthenaExamplesPermissions", ...allow(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::athena-examples*"]) },
      { Sid: "BaseS3BucketPermissions", ...allow(["s3:ListBucket", "s3:GetBucketLocation", "s3:ListAllMyBuckets"], ["*"]) },
      { Sid: "BaseSNSPermissions", ...allow(["sns:ListTopics", "sns:GetTopicAttributes"], ["*"]) },
      { Sid: "BaseCloudWatchPermissions", ...allow(["cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms", "cloudwatch:GetMetricData"], ["*"]) },
      { Sid: "BaseLakeFormationPermissions", ...allow(["lakeformation:GetDataAccess"], ["*"]) },
      { Sid: "BaseDataZonePermissions", ...allow(["datazone:ListDomains", "datazone:ListProjects", "datazone:ListAccountEnvironments"], ["*"]) },
      { Sid: "BasePricingPermissions", ...allow(["pricing:GetProducts"], ["*"]) },
    ),
  },
  {
    name: "AWSGlueConsoleFullAccess",
    path: "/",
    policyId: "ANPAJNZGDEOD7MISOVSVI",
    description: "Provides full access to AWS Glue via the AWS Management Console",
    versionId: "v13",
    createDate: "2017-08-14T13:37:39Z",
    updateDate: "2023-03-30T15:58:41Z",
    document: doc(
      allow(
        ["glue:*", "redshift:DescribeClusters", "redshift:DescribeClusterSubnetGroups", "iam:ListRoles", "iam:ListUsers", "iam:ListGroups", "iam:ListRolePolicies", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables", "ec2:DescribeVpcAttribute", "ec2:DescribeKeyPairs", "ec2:DescribeInstances", "ec2:DescribeImages", "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DescribeDBSubnetGroups", "s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetBucketAcl", "s3:GetBucketLocation", "cloudformation:ListStacks", "cloudformation:DescribeStacks", "cloudformation:GetTemplateSummary", "dynamodb:ListTables", "kms:ListAliases", "kms:DescribeKey", "cloudwatch:GetMetricData", "cloudwatch:ListDashboards"],
        ["*"],
      ),
      allow(["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::aws-glue-*/*", "arn:aws:s3:::*/*aws-glue-*/*", "arn:aws:s3:::aws-glue-*"]),
      allow(["tag:GetResources"], ["*"]),
      allow(["s3:CreateBucket"], ["arn:aws:s3:::aws-glue-*"]),
      allow(["logs:GetLogEvents"], ["arn:aws:logs:*:*:/aws-glue/*"]),
      allow(["cloudformation:CreateStack", "cloudformation:DeleteStack"], "arn:aws:cloudformation:*:*:stack/aws-glue*/*"),
      allow(["ec2:RunInstances"], ["arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:key-pair/*", "arn:aws:ec2:*:*:image/*", "arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:*:*:subnet/*", "arn:aws:ec2:*:*:volume/*"]),
      allow(["ec2:TerminateInstances", "ec2:CreateTags", "ec2:DeleteTags"], ["arn:aws:ec2:*:*:instance/*"], {
        Condition: {
          StringLike: { "ec2:ResourceTag/aws:cloudformation:stack-id": "arn:aws:cloudformation:*:*:stack/aws-glue-*/*" },
          StringEquals: { "ec2:ResourceTag/aws:cloudformation:logical-id": "ZeppelinInstance" },
        },
      }),
      allow(["iam:PassRole"], "arn:aws:iam::*:role/AWSGlueServiceRole*", { Condition: { StringLike: { "iam:PassedToService": ["glue.amazonaws.com"] } } }),
      allow(["iam:PassRole"], "arn:aws:iam::*:role/AWSGlueServiceNotebookRole*", { Condition: { StringLike: { "iam:PassedToService": ["ec2.amazonaws.com"] } } }),
      allow(["iam:PassRole"], ["arn:aws:iam::*:role/service-role/AWSGlueServiceRole*"], { Condition: { StringLike: { "iam:PassedToService": ["glue.amazonaws.com"] } } }),
    ),
  },
  {
    name: "CloudWatchLogsFullAccess",
    path: "/",
    policyId: "ANPAJ3ZGNWK2R5HW5BQFO",
    description: "Provides full access to CloudWatch Logs",
    versionId: "v3",
    createDate: "2015-02-06T18:40:02Z",
    updateDate: "2025-05-20T17:07:06Z",
    document: doc({ Sid: "CloudWatchLogsFullAccess", ...allow(["logs:*", "cloudwatch:GenerateQuery", "cloudwatch:GenerateQueryResultsSummary"], "*") }),
  },
  {
    name: "CloudWatchAgentServerPolicy",
    path: "/",
    policyId: "ANPAIGOPKN7KRDAKTLG4I",
    description: "Permissions required to use AmazonCloudWatchAgent on servers",
    versionId: "v3",
    createDate: "2017-08-31T00:08:43Z",
    updateDate: "2024-02-06T16:37:37Z",
    document: doc(
      {
        Sid: "CWACloudWatchServerPermissions",
        ...allow(
          ["cloudwatch:PutMetricData", "ec2:DescribeVolumes", "ec2:DescribeTags", "logs:PutLogEvents", "logs:PutRetentionPolicy", "logs:DescribeLogStreams", "logs:DescribeLogGroups", "logs:CreateLogStream", "logs:CreateLogGroup", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
          "*",
        ),
      },
      { Sid: "CWASSMServerPermissions", ...allow(["ssm:GetParameter"], "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*") },
    ),
  },
];

export const awsManagedPolicyArn = (p: AwsManagedPolicy) => `arn:aws:iam::aws:policy${p.path}${p.name}`;

const byArn = new Map(AWS_MANAGED_POLICIES.map((p) => [awsManagedPolicyArn(p), p]));

export function findAwsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return byArn.get(arn);
}

/** The document as AWS stores it: pretty-printed JSON, four spaces. */
export function awsManagedPolicyDocument(p: AwsManagedPolicy): string {
  return JSON.stringify(p.document, null, 4);
}
