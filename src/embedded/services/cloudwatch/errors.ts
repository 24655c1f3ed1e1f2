import { AwsError } from "../../protocols/types.js";

/**
 * CloudWatch's errors. `code` is the awsQuery error code (what the aws CLI prints and what the JSON protocol sends in
 * `x-amzn-query-error`); the JSON body names the Smithy shape, from which the SDK picks its exception class.
 */
export const SHAPE_OF_CODE: Record<string, string> = {
  InvalidParameterValue: "InvalidParameterValueException",
  InvalidParameterCombination: "InvalidParameterCombinationException",
  MissingParameter: "MissingRequiredParameterException",
  InvalidNextToken: "InvalidNextToken",
  LimitExceeded: "LimitExceededFault",
  InvalidFormat: "InvalidFormatFault",
  InternalServiceError: "InternalServiceFault",
};

export const invalidValue = (message: string) => new AwsError("InvalidParameterValue", message);
export const invalidCombination = (message: string) => new AwsError("InvalidParameterCombination", message);
export const missing = (parameter: string) => new AwsError("MissingParameter", `The parameter ${parameter} is required.`);
export const invalidNextToken = () => new AwsError("InvalidNextToken", "The service couldn't process the NextToken: it is invalid or expired.");

/** AWS's wording for a value that breaks a constraint of the parameter. */
export const invalidParameter = (parameter: string, value: unknown) => invalidValue(`The value ${shown(value)} for parameter ${parameter} is invalid.`);

function shown(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}
