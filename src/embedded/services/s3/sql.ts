// The S3 service's prepared-statement cache is the state database's own.
export { sql } from "../../store/db.js";
