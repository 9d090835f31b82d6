import type { CatalogEntry } from "../privileged";

// OPA decision log entries the source flags privileged are Kubernetes RBAC writes decided by an admission policy.
export const OPA_PRIVILEGED: readonly CatalogEntry[] = [
  {
    id: "opa.k8s-rbac",
    name: /./,
    category: "permission_change",
    privilege: "kubernetes:rbac.authorization.k8s.io write",
    level: 2,
    doc: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
  },
];
