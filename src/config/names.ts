/**
 * AWS's naming rules, checked before anything is sent so that a typo fails at validate time with the rule that was
 * broken, not minutes later as an API error.
 */
export interface NameProblem {
  problem: string;
  expected: string;
}

const BUCKET_RULE = "a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";

/** S3 general purpose bucket naming rules. */
export function checkBucketName(name: string): NameProblem | undefined {
  const bad = (problem: string, expected = `expected ${BUCKET_RULE}`) => ({ problem: `bucket name "${name}" ${problem}`, expected });
  if (name.length < 3 || name.length > 63) return bad(`is ${name.length} characters long`);
  const invalid = name.match(/[^a-z0-9.-]/);
  if (invalid) return bad(invalid[0] >= "A" && invalid[0] <= "Z" ? "has uppercase letters" : `has the character "${invalid[0]}"`);
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return bad("must start and end with a letter or digit");
  if (name.includes("..")) return bad("has two adjacent dots");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return bad("is formatted as an IP address");
  for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) {
    if (name.startsWith(prefix)) return bad(`starts with the reserved prefix "${prefix}"`);
  }
  for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) {
    if (name.endsWith(suffix)) return bad(`ends with the reserved suffix "${suffix}"`);
  }
  return undefined;
}

/** IAM role names: 1–64 of letters, digits and +=,.@_- */
export function checkRoleName(name: string): NameProblem | undefined {
  if (/^[\w+=,.@-]{1,64}$/.test(name)) return undefined;
  return {
    problem: `role name "${name}" is not valid`,
    expected: "expected 1 to 64 letters, digits and + = , . @ _ - (IAM's rule)",
  };
}

/** Glue databases that Athena can query: lowercase letters, digits and underscores, up to 255. */
export function checkDatabaseName(name: string): NameProblem | undefined {
  if (/^[a-z0-9_]{1,255}$/.test(name)) return undefined;
  return {
    problem: `database name "${name}" is not valid`,
    expected: "expected lowercase letters, digits and underscores, at most 255 (the names Athena can query), e.g. ecommerce_raw_db",
  };
}

/** Glue crawler and job names: 1–255 characters on one line. */
export function checkGlueName(kind: "crawler" | "job", name: string): NameProblem | undefined {
  // eslint-disable-next-line no-control-regex
  if (name.length >= 1 && name.length <= 255 && !/[\u0000-\u001f\u007f]/.test(name)) return undefined;
  return {
    problem: `${kind} name "${name}" is not valid`,
    expected: "expected 1 to 255 characters on one line (Glue's rule)",
  };
}

/** Athena workgroup names: 1–128 of letters, digits, . _ - */
export function checkWorkgroupName(name: string): NameProblem | undefined {
  if (/^[a-zA-Z0-9._-]{1,128}$/.test(name)) return undefined;
  return {
    problem: `workgroup name "${name}" is not valid`,
    expected: "expected 1 to 128 letters, digits, dots, underscores and hyphens (Athena's rule)",
  };
}

/** Athena named query names: 1–128 characters. */
export function checkSavedQueryName(name: string): NameProblem | undefined {
  if (name.length >= 1 && name.length <= 128) return undefined;
  return { problem: `saved query name "${name.slice(0, 40)}…" is ${name.length} characters long`, expected: "expected at most 128 (Athena's rule)" };
}
