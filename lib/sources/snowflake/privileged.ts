import type { CatalogEntry } from "../privileged";

// Snowflake statements (QUERY_HISTORY query types) that are privileged actions.
export const SNOWFLAKE_PRIVILEGED: readonly CatalogEntry[] = [
  {
    id: "snowflake.grants",
    activity: ["assign_privileges", "revoke_privileges"],
    category: "permission_change",
    privilege: "snowflake:MANAGE GRANTS",
    level: 2,
    doc: "https://docs.snowflake.com/en/sql-reference/sql/grant-privilege",
  },
  {
    id: "snowflake.export",
    activity: ["export"],
    category: "data_export",
    privilege: "snowflake:stage write (COPY INTO location)",
    level: 1,
    doc: "https://docs.snowflake.com/en/sql-reference/sql/copy-into-location",
  },
  {
    id: "snowflake.role",
    name: /ROLE/,
    category: "admin_role_change",
    privilege: "snowflake:SECURITYADMIN",
    level: 2,
    doc: "https://docs.snowflake.com/en/user-guide/security-access-control-overview",
  },
  {
    id: "snowflake.user",
    name: /USER/,
    category: "credential_creation",
    privilege: "snowflake:USERADMIN",
    level: 2,
    doc: "https://docs.snowflake.com/en/sql-reference/sql/create-user",
  },
  {
    id: "snowflake.policy",
    name: /POLICY|NETWORK|INTEGRATION|ACCOUNT|SHARE/,
    category: "policy_change",
    privilege: "snowflake:ACCOUNTADMIN",
    level: 3,
    doc: "https://docs.snowflake.com/en/user-guide/security-access-control-considerations",
  },
];
