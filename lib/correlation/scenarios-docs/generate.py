# Writes the documentation scenario set (vendor-format files + truth.json per scenario). Run: python3 generate.py
# The output is committed; this script is kept so that a reviewer can read every record and its truth in one place.
import json, os, datetime as dt
OUT = os.path.dirname(os.path.abspath(__file__))  # writes each scenario folder beside this script
BASE = dt.datetime(2026, 11, 3, 8, 0, 0, tzinfo=dt.timezone.utc)
def T(m, s=0): return BASE + dt.timedelta(minutes=m, seconds=s)
def iso(t): return t.strftime("%Y-%m-%dT%H:%M:%SZ")
def epoch(t): return int(t.timestamp())
def ms(t): return int(t.timestamp() * 1000)
UA_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
UA_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"

class Scenario:
    def __init__(self, name, title, docs):
        self.name, self.title, self.docs = name, title, docs
        self.files = {}  # file -> (kind, records)
        self.identities, self.credentials, self.sessions, self.links = [], [], {}, []
    def ident(self, id, kind, name): self.identities.append({"id": id, "kind": kind, "name": name})
    def cred(self, id, platform, external_id, parent=None): self.credentials.append({"id": id, "platform": platform, "externalId": external_id, "parent": parent})
    def session(self, id, platform, identity, objects=(), initiator=None):
        self.sessions[id] = {"id": id, "platform": platform, "identity": identity, "initiator": initiator, "objectsChanged": [list(o) for o in objects], "events": []}
    def add(self, file, record, session):
        recs = self.files.setdefault(file, [])
        recs.append(record)
        self.sessions[session]["events"].append([file, len(recs) - 1])
    def link(self, a, b, kind, rule): self.links.append({"from": a, "to": b, "kind": kind, "rule": rule})
    def write(self, wrappers):
        d = os.path.join(OUT, self.name); os.makedirs(d, exist_ok=True)
        for f, recs in self.files.items():
            w = wrappers[f]
            with open(os.path.join(d, f), "w") as fh:
                if w == "ndjson": fh.write("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in recs))
                elif w == "csv":
                    hdr = recs[0]["__header"]
                    fh.write(",".join(f'"{h}"' for h in hdr) + "\n")
                    for r in recs: fh.write(",".join('"' + str(r.get(h, "")).replace('"', '""') + '"' for h in hdr) + "\n")
                elif w == "array": fh.write(json.dumps(recs, indent=1) + "\n")
                else: fh.write(json.dumps(w(recs), indent=1) + "\n")
        truth = {"title": self.title, "docs": self.docs, "identities": self.identities, "credentials": self.credentials,
                 "sessions": list(self.sessions.values()), "links": self.links}
        with open(os.path.join(d, "truth.json"), "w") as fh: fh.write(json.dumps(truth, indent=1) + "\n")

ALL = []

# ---------------------------------------------------------------- 1 Slack: keyless events of keyed sessions
s = Scenario("slack-keyless", "Slack: events without context.session_id inside a keyed web session (same user, user agent and IP), and a second person behind the same office NAT address",
  ["https://docs.slack.dev/reference/audit-logs-api/methods-actions-reference", "https://api.slack.com/admins/audit-logs",
   "https://docs.slack.dev/tools/python-slack-sdk/reference/audit_logs/v1/logs.html"])
NAT = "198.51.100.21"
loc = {"type": "enterprise", "id": "E0DOCS001", "name": "Acme Grid", "domain": "acme-grid"}
def su(uid, name): return {"id": uid, "name": name, "email": f"{name}@acme.test", "team": "T0DOCS001"}
def slack(i, t, action, user, entity, ua, sid=None, ip=NAT):
    ctx = {"location": loc, "ua": ua, "ip_address": ip}
    if sid: ctx["session_id"] = sid
    return {"id": f"5d0c{i:04d}-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "date_create": epoch(t), "action": action, "actor": {"type": "user", "user": user}, "entity": entity, "context": ctx}
maria, omar = su("W0DOCS0001", "maria.lopez"), su("W0DOCS0002", "omar.nasser")
f1 = {"type": "file", "file": {"id": "F0DOCS0001", "name": "pricing-2027.xlsx", "filetype": "xlsx", "title": "Pricing 2027"}}
f2 = {"type": "file", "file": {"id": "F0DOCS0002", "name": "launch-plan.pdf", "filetype": "pdf", "title": "Launch plan"}}
f3 = {"type": "file", "file": {"id": "F0DOCS0003", "name": "payroll.csv", "filetype": "csv", "title": "payroll"}}
s.ident("maria", "human", "maria.lopez@acme.test"); s.ident("omar", "human", "omar.nasser@acme.test")
s.session("slack-maria", "slack", "maria", objects=[["F0DOCS0002", "launch-plan.pdf"]])
s.session("slack-omar", "slack", "omar")
F = "audit-logs.json"
rows = [
 (T(0), "user_login", maria, {"type": "user", "user": maria}, UA_MAC, "8100000001", "slack-maria"),
 (T(2), "user_login", omar, {"type": "user", "user": omar}, UA_WIN, "8100000002", "slack-omar"),
 (T(4), "file_downloaded", maria, f1, UA_MAC, None, "slack-maria"),
 (T(9), "file_uploaded", maria, f2, UA_MAC, None, "slack-maria"),
 (T(12), "file_downloaded", omar, f3, UA_WIN, None, "slack-omar"),
 (T(15), "file_downloaded", maria, f2, UA_MAC, "8100000001", "slack-maria"),
 (T(20), "file_public_link_created", maria, f2, UA_MAC, None, "slack-maria"),
 (T(25), "user_logout", omar, {"type": "user", "user": omar}, UA_WIN, "8100000002", "slack-omar"),
 (T(30), "user_logout", maria, {"type": "user", "user": maria}, UA_MAC, "8100000001", "slack-maria"),
]
for i, (t, a, u, e, ua, sid, sess) in enumerate(rows): s.add(F, slack(i, t, a, u, e, ua, sid), sess)
s.write({F: lambda r: {"entries": r, "response_metadata": {"next_cursor": ""}}}); ALL.append(s)

# ---------------------------------------------------------------- 2 Entra: non-interactive sign-ins join the interactive session
TEN = "6b1f0c2e-4d3a-4b5c-9d8e-7f6a5b4c3d2e"
def entra_signin(i, t, category, props, ip):
    base = {"id": f"d0c5e000-{i:04d}-4d2e-9f10-3b5c7d9e1f20", "createdDateTime": t.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
            "correlationId": f"c0ffee11-{i:04d}-4b6a-8e2d-5f7a9c1b3d40", "ipAddress": ip, "status": {"errorCode": 0, "failureReason": "Other.", "additionalDetails": None},
            "resourceTenantId": TEN, "homeTenantId": TEN, "tokenIssuerType": "AzureAD", "conditionalAccessStatus": "notApplied", "appliedConditionalAccessPolicies": [],
            "riskDetail": "none", "riskLevelAggregated": "none", "riskLevelDuringSignIn": "none", "riskState": "none", "crossTenantAccessType": "none"}
    base.update(props)
    return {"time": t.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "resourceId": f"/tenants/{TEN}/providers/Microsoft.aadiam", "operationName": "Sign-in activity",
            "operationVersion": "1.0", "category": category, "tenantId": TEN, "resultType": "0", "resultSignature": "SUCCESS", "resultDescription": None,
            "durationMs": 0, "callerIpAddress": ip, "correlationId": base["correlationId"], "identity": props.get("userDisplayName") or props.get("servicePrincipalName"),
            "Level": 4, "location": "US", "properties": base}
def user_props(uid, name, upn, app, appname, res, resname, sid, uti, interactive, ua, incoming="none"):
    p = {"userId": uid, "userDisplayName": name, "userPrincipalName": upn, "userType": "Member", "appId": app, "appDisplayName": appname,
         "resourceId": res, "resourceDisplayName": resname, "isInteractive": interactive, "signInEventTypes": ["interactiveUser" if interactive else "nonInteractiveUser"],
         "sessionId": sid, "uniqueTokenIdentifier": uti, "userAgent": ua, "clientAppUsed": "Browser" if interactive else "Mobile Apps and Desktop clients",
         "authenticationProtocol": "none", "incomingTokenType": incoming, "authenticationRequirement": "multiFactorAuthentication"}
    if interactive:
        p["authenticationDetails"] = [{"authenticationStepDateTime": "2026-11-03T08:00:00Z", "authenticationMethod": "Password", "authenticationMethodDetail": None, "succeeded": True, "authenticationStepResultDetail": "Correct password", "authenticationStepRequirement": "primaryAuthentication"},
                                      {"authenticationStepDateTime": "2026-11-03T08:00:00Z", "authenticationMethod": "Mobile app notification", "authenticationMethodDetail": None, "succeeded": True, "authenticationStepResultDetail": "MFA successfully completed", "authenticationStepRequirement": "multiFactorAuthentication"}]
        p["mfaDetail"] = {"authMethod": "Mobile app notification", "authDetail": None}
    else:
        p["authenticationDetails"] = [{"authenticationStepDateTime": "2026-11-03T08:00:00Z", "authenticationMethod": "Previously satisfied", "authenticationMethodDetail": None, "succeeded": True, "authenticationStepResultDetail": "MFA requirement satisfied by claim in the token", "authenticationStepRequirement": "multiFactorAuthentication"}]
    return p
s = Scenario("entra-noninteractive", "Entra: an interactive browser sign-in, the non-interactive sign-ins its refresh token makes (same sessionId), and a directory change the user makes in it; a colleague's session from the same address",
  ["https://learn.microsoft.com/en-us/graph/api/resources/signin?view=graph-rest-beta", "https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/signinlogs",
   "https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/aadnoninteractiveusersigninlogs", "https://learn.microsoft.com/en-us/graph/api/resources/directoryaudit?view=graph-rest-beta",
   "https://learn.microsoft.com/en-us/graph/api/resources/linkableidentifiers?view=graph-rest-beta"])
IP = "198.51.100.30"
DANA, LEE = "7c1d2e3f-0001-4a5b-8c7d-9e0f1a2b3c01", "7c1d2e3f-0002-4a5b-8c7d-9e0f1a2b3c02"
SD, SL = "5e0d9a7b-1c2d-4e3f-8a9b-0c1d2e3f4d01", "5e0d9a7b-1c2d-4e3f-8a9b-0c1d2e3f4d02"
PORTAL, TEAMS, OUTLOOK = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "d3590ed6-52b3-4102-aeff-aad2292ab01c"
GRAPH, ARM, EXO = "00000003-0000-0000-c000-000000000000", "797f4846-ba00-4fd7-ba43-dac1f8f63013", "00000002-0000-0ff1-ce00-000000000000"
GROUP = "3f2e1d0c-0009-4b8a-9c7d-6e5f4a3b2c09"
s.ident("dana", "human", "dana.berg@acme.test"); s.ident("lee", "human", "lee.chen@acme.test")
s.session("entra-dana", "entra", "dana", objects=[[GROUP, "finance-approvers"], [LEE, "lee.chen@acme.test"]]); s.session("entra-lee", "entra", "lee")
F, A = "signin-logs.json", "directory-audits.json"
s.add(F, entra_signin(1, T(0), "SignInLogs", user_props(DANA, "Dana Berg", "dana.berg@acme.test", PORTAL, "Azure Portal", ARM, "Windows Azure Service Management API", SD, "aTk1DanaAAAAAAAAAAAAAA", True, UA_WIN), IP), "entra-dana")
s.add(F, entra_signin(2, T(3), "SignInLogs", user_props(LEE, "Lee Chen", "lee.chen@acme.test", PORTAL, "Azure Portal", ARM, "Windows Azure Service Management API", SL, "aTk1LeeAAAAAAAAAAAAAAA", True, UA_MAC), IP), "entra-lee")
s.add(F, entra_signin(3, T(11), "NonInteractiveUserSignInLogs", user_props(DANA, "Dana Berg", "dana.berg@acme.test", TEAMS, "Microsoft Teams", GRAPH, "Microsoft Graph", SD, "aTk2DanaAAAAAAAAAAAAAA", False, UA_WIN, "refreshToken"), IP), "entra-dana")
s.add(F, entra_signin(4, T(26), "NonInteractiveUserSignInLogs", user_props(DANA, "Dana Berg", "dana.berg@acme.test", OUTLOOK, "Microsoft Office", EXO, "Office 365 Exchange Online", SD, "aTk3DanaAAAAAAAAAAAAAA", False, UA_WIN, "refreshToken"), IP), "entra-dana")
s.add(F, entra_signin(5, T(31), "NonInteractiveUserSignInLogs", user_props(LEE, "Lee Chen", "lee.chen@acme.test", TEAMS, "Microsoft Teams", GRAPH, "Microsoft Graph", SL, "aTk2LeeAAAAAAAAAAAAAAA", False, UA_MAC, "refreshToken"), IP), "entra-lee")
s.add(A, {"id": "Directory_c0ffee11-0101-4b6a-8e2d-5f7a9c1b3d40_DOCS_10001", "category": "GroupManagement", "correlationId": "a5d1aa01-2222-4333-8444-955566667777",
  "result": "success", "resultReason": "", "activityDisplayName": "Add member to group", "activityDateTime": T(18).strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
  "loggedByService": "Core Directory", "operationType": "Assign", "userAgent": UA_WIN,
  "initiatedBy": {"app": None, "user": {"id": DANA, "displayName": None, "userPrincipalName": "dana.berg@acme.test", "ipAddress": IP, "userType": "Member", "homeTenantId": TEN, "homeTenantName": None},
                  "linkableIdentifiers": {"sessionId": SD, "deviceId": None}},
  "targetResources": [{"id": LEE, "displayName": None, "type": "User", "userPrincipalName": "lee.chen@acme.test", "groupType": None, "modifiedProperties": [{"displayName": "Group.DisplayName", "oldValue": None, "newValue": "\"finance-approvers\""}]},
                      {"id": GROUP, "displayName": "finance-approvers", "type": "Group", "userPrincipalName": None, "groupType": "unifiedGroups", "modifiedProperties": []}],
  "additionalDetails": [{"key": "User-Agent", "value": UA_WIN}]}, "entra-dana")
s.links = []
s.write({F: lambda r: {"records": r}, A: lambda r: {"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/directoryAudits", "value": r}}); ALL.append(s)

# ---------------------------------------------------------------- 3 Entra: service principal and managed identity (workloads)
s = Scenario("entra-workloads", "Entra: a service principal signing in with its client secret and changing the directory with the token; a managed identity getting Key Vault tokens",
  ["https://learn.microsoft.com/en-us/graph/api/resources/signin?view=graph-rest-beta", "https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/aadserviceprincipalsigninlogs",
   "https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/aadmanagedidentitysigninlogs", "https://learn.microsoft.com/en-us/graph/api/resources/managedidentity?view=graph-rest-beta",
   "https://learn.microsoft.com/en-us/graph/api/resources/directoryaudit?view=graph-rest-beta"])
SP, SPAPP, KEY = "9e8d7c6b-0011-4a5b-8c7d-6e5f4a3b2c11", "2b3c4d5e-0011-4f60-8a7b-9c0d1e2f3a11", "6f1e2d3c-aaaa-4bbb-8ccc-0d1e2f3a4b11"
MI, MIAPP = "9e8d7c6b-0012-4a5b-8c7d-6e5f4a3b2c12", "2b3c4d5e-0012-4f60-8a7b-9c0d1e2f3a12"
KV = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"
def sp_props(uti):
    return {"servicePrincipalId": SP, "servicePrincipalName": "hr-sync", "appId": SPAPP, "appDisplayName": "hr-sync", "resourceId": GRAPH, "resourceDisplayName": "Microsoft Graph",
            "isInteractive": False, "signInEventTypes": ["servicePrincipal"], "servicePrincipalCredentialKeyId": KEY, "servicePrincipalCredentialThumbprint": "",
            "clientCredentialType": "clientSecret", "uniqueTokenIdentifier": uti, "authenticationProtocol": "none", "incomingTokenType": "none", "managedIdentityType": "none"}
def mi_props(uti):
    return {"servicePrincipalId": MI, "servicePrincipalName": "func-payroll-export", "appId": MIAPP, "appDisplayName": "func-payroll-export", "resourceId": KV, "resourceDisplayName": "Azure Key Vault",
            "isInteractive": False, "signInEventTypes": ["managedIdentity"], "managedIdentityType": "systemAssigned", "clientCredentialType": "managedIdentity",
            "managedServiceIdentity": {"msiType": "systemAssigned", "associatedResourceId": "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-hr/providers/Microsoft.Web/sites/func-payroll-export", "federatedTokenId": None, "federatedTokenIssuer": None},
            "uniqueTokenIdentifier": uti, "authenticationProtocol": "none", "incomingTokenType": "none"}
def app_audit(i, t, activity, category, op, targets):
    return {"id": f"Directory_c0ffee22-{i:04d}-4b6a-8e2d-5f7a9c1b3d40_DOCS_2000{i}", "category": category, "correlationId": f"a5d1bb{i:02d}-2222-4333-8444-955566667777",
            "result": "success", "resultReason": "", "activityDisplayName": activity, "activityDateTime": t.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"), "loggedByService": "Core Directory",
            "operationType": op, "userAgent": None, "initiatedBy": {"user": None, "app": {"appId": SPAPP, "displayName": "hr-sync", "servicePrincipalId": SP, "servicePrincipalName": None}},
            "targetResources": targets, "additionalDetails": []}
U1, U2 = "7c1d2e3f-0021-4a5b-8c7d-9e0f1a2b3c21", "7c1d2e3f-0022-4a5b-8c7d-9e0f1a2b3c22"
s.ident("hr-sync", "workload", "hr-sync (service principal)"); s.ident("func-payroll-export", "workload", "func-payroll-export (managed identity)")
s.cred("sp-key", "entra", KEY); s.cred("sp-tok1", "entra", "spTokHr1AAAAAAAAAAAAAA", "sp-key"); s.cred("sp-tok2", "entra", "spTokHr2AAAAAAAAAAAAAA", "sp-key")
s.session("sp-run1", "entra", "hr-sync", objects=[[U1, "new.hire1@acme.test"]]); s.session("sp-run2", "entra", "hr-sync", objects=[[U2, "new.hire2@acme.test"]])
s.session("mi-1", "entra", "func-payroll-export"); s.session("mi-2", "entra", "func-payroll-export")
F, A = "signin-logs.json", "directory-audits.json"
s.add(F, entra_signin(21, T(0), "ServicePrincipalSignInLogs", sp_props("spTokHr1AAAAAAAAAAAAAA"), "203.0.113.80"), "sp-run1")
s.add(A, app_audit(1, T(1), "Add user", "UserManagement", "Add", [{"id": U1, "displayName": None, "type": "User", "userPrincipalName": "new.hire1@acme.test", "groupType": None, "modifiedProperties": []}]), "sp-run1")
s.add(F, entra_signin(22, T(5), "ManagedIdentitySignInLogs", mi_props("miTokPay1AAAAAAAAAAAAA"), ""), "mi-1")
s.add(F, entra_signin(23, T(180), "ServicePrincipalSignInLogs", sp_props("spTokHr2AAAAAAAAAAAAAA"), "203.0.113.80"), "sp-run2")
s.add(A, app_audit(2, T(181), "Add user", "UserManagement", "Add", [{"id": U2, "displayName": None, "type": "User", "userPrincipalName": "new.hire2@acme.test", "groupType": None, "modifiedProperties": []}]), "sp-run2")
s.add(F, entra_signin(24, T(185), "ManagedIdentitySignInLogs", mi_props("miTokPay2AAAAAAAAAAAAA"), ""), "mi-2")
s.write({F: lambda r: {"records": r}, A: lambda r: {"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/directoryAudits", "value": r}}); ALL.append(s)

# ---------------------------------------------------------------- 4 Salesforce: UI session and API calls
s = Scenario("salesforce-api", "Salesforce: a person's UI login with page views and a REST update in the same login, and an integration user's connected-app API session",
  ["https://developer.salesforce.com/docs/platform/object-reference/references/eventlogfile-supported-event-types/object-eventlogfile-login.html",
   "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile_uri.htm",
   "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile_restapi.htm"])
ORG = "00D5f000000DoCs"
BOB, INT = "0055f000009BoBb", "0055f000009InTg"
def sf_ts(t): return t.strftime("%Y%m%d%H%M%S") + ".000"
LH = ["EVENT_TYPE","TIMESTAMP","REQUEST_ID","ORGANIZATION_ID","USER_ID","RUN_TIME","CPU_TIME","URI","SESSION_KEY","LOGIN_KEY","USER_TYPE","REQUEST_STATUS","DB_TOTAL_TIME","LOGIN_STATUS","USER_NAME","TLS_PROTOCOL","CIPHER_SUITE","AUTHENTICATION_METHOD_REFERENCE","API_TYPE","API_VERSION","BROWSER_TYPE","CLIENT_IP","SOURCE_IP","TIMESTAMP_DERIVED","USER_ID_DERIVED","URI_ID_DERIVED"]
UH = ["EVENT_TYPE","TIMESTAMP","REQUEST_ID","ORGANIZATION_ID","USER_ID","RUN_TIME","CPU_TIME","URI","SESSION_KEY","LOGIN_KEY","USER_TYPE","REQUEST_STATUS","DB_TOTAL_TIME","REFERRER_URI","CLIENT_IP","DB_BLOCKS","DB_CPU_TIME","TIMESTAMP_DERIVED","USER_ID_DERIVED","URI_ID_DERIVED"]
RH = ["EVENT_TYPE","TIMESTAMP","REQUEST_ID","ORGANIZATION_ID","USER_ID","RUN_TIME","CPU_TIME","URI","SESSION_KEY","LOGIN_KEY","USER_TYPE","REQUEST_STATUS","DB_TOTAL_TIME","ENTITY_NAME","API_VERSION","METHOD","STATUS_CODE","MEDIA_TYPE","ROWS_PROCESSED","REQUEST_SIZE","RESPONSE_SIZE","CONNECTED_APP_ID","USER_AGENT","CLIENT_NAME","EXCEPTION_MESSAGE","TIMESTAMP_DERIVED","USER_ID_DERIVED","CLIENT_IP","URI_ID_DERIVED"]
def sfrow(hdr, i, t, user, **kw):
    r = {"__header": hdr, "TIMESTAMP": sf_ts(t), "REQUEST_ID": f"4nDoCs{i:03d}aB2cD3eF4gH5-", "ORGANIZATION_ID": ORG, "USER_ID": user, "RUN_TIME": "90", "CPU_TIME": "20",
         "USER_TYPE": "Standard", "REQUEST_STATUS": "S", "DB_TOTAL_TIME": "1203344", "TIMESTAMP_DERIVED": t.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "USER_ID_DERIVED": user + "AAB"}
    r.update(kw); return r
s.ident("bob", "human", "bob.sales@acme.test"); s.ident("sync", "service_account", "integration.sync@acme.test")
ACC, OPP1, OPP2 = "0015f00000DoCsAAAB", "0065f00000DoCs1AAB", "0065f00000DoCs2AAB"
s.session("sf-bob", "salesforce", "bob", objects=[[ACC, "Account"]]); s.session("sf-sync", "salesforce", "sync", objects=[[OPP1], [OPP2]])
L, U, R = "Login.csv", "URI.csv", "RestApi.csv"
s.add(L, sfrow(LH, 1, T(0), BOB, EVENT_TYPE="Login", URI="/index.jsp", LOGIN_KEY="LkDoCsBob0000001", LOGIN_STATUS="LOGIN_NO_ERROR", USER_NAME="bob.sales@acme.test",
  TLS_PROTOCOL="TLSv1.3", CIPHER_SUITE="TLS_AES_256_GCM_SHA384", BROWSER_TYPE=UA_MAC, CLIENT_IP="198.51.100.40", SOURCE_IP="198.51.100.40"), "sf-bob")
s.add(L, sfrow(LH, 2, T(2), INT, EVENT_TYPE="Login", URI="/services/oauth2/token", LOGIN_KEY="LkDoCsInt0000001", LOGIN_STATUS="LOGIN_NO_ERROR", USER_NAME="integration.sync@acme.test",
  TLS_PROTOCOL="TLSv1.3", CIPHER_SUITE="TLS_AES_256_GCM_SHA384", API_TYPE="f", API_VERSION="62.0", BROWSER_TYPE="SFDC-Sync/1.4 (Java 17)", CLIENT_IP="192.0.2.90", SOURCE_IP="192.0.2.90"), "sf-sync")
s.add(U, sfrow(UH, 3, T(3), BOB, EVENT_TYPE="URI", URI="/lightning/r/Account/" + ACC[:15] + "/view", SESSION_KEY="SkDoCsBobUi00001", LOGIN_KEY="LkDoCsBob0000001", REFERRER_URI="/lightning/page/home", CLIENT_IP="198.51.100.40", DB_BLOCKS="120", DB_CPU_TIME="10", URI_ID_DERIVED=ACC), "sf-bob")
s.add(U, sfrow(UH, 4, T(7), BOB, EVENT_TYPE="URI", URI="/lightning/o/Opportunity/list", SESSION_KEY="SkDoCsBobUi00001", LOGIN_KEY="LkDoCsBob0000001", REFERRER_URI="/lightning/r/Account/" + ACC[:15] + "/view", CLIENT_IP="198.51.100.40", DB_BLOCKS="80", DB_CPU_TIME="8"), "sf-bob")
api = dict(API_VERSION="62.0", MEDIA_TYPE="application/json", REQUEST_SIZE="311", RESPONSE_SIZE="162", EXCEPTION_MESSAGE="")
s.add(R, sfrow(RH, 5, T(9), BOB, EVENT_TYPE="RestApi", URI="/services/data/v62.0/sobjects/Account/" + ACC[:15], SESSION_KEY="SkDoCsBobUi00001", LOGIN_KEY="LkDoCsBob0000001", ENTITY_NAME="Account", METHOD="PATCH", STATUS_CODE="204", ROWS_PROCESSED="1", CONNECTED_APP_ID="", USER_AGENT=UA_MAC, CLIENT_NAME="", CLIENT_IP="198.51.100.40", URI_ID_DERIVED=ACC, **api), "sf-bob")
for i, (t, uri, ent, meth, code, rows_, idd) in enumerate([(T(3), "/services/data/v62.0/query", "Opportunity", "GET", "200", "240", ""),
                                                          (T(4), "/services/data/v62.0/sobjects/Opportunity/" + OPP1[:15], "Opportunity", "PATCH", "204", "1", OPP1),
                                                          (T(5), "/services/data/v62.0/sobjects/Opportunity/" + OPP2[:15], "Opportunity", "PATCH", "204", "1", OPP2)]):
    s.add(R, sfrow(RH, 10 + i, t, INT, EVENT_TYPE="RestApi", URI=uri, SESSION_KEY="SkDoCsIntApi0001", LOGIN_KEY="LkDoCsInt0000001", ENTITY_NAME=ent, METHOD=meth, STATUS_CODE=code, ROWS_PROCESSED=rows_,
      CONNECTED_APP_ID="0H45f000000DoCs", USER_AGENT="SFDC-Sync/1.4 (Java 17)", CLIENT_NAME="SFDC-Sync", CLIENT_IP="192.0.2.90", URI_ID_DERIVED=idd, **api), "sf-sync")
s.write({L: "csv", U: "csv", R: "csv"}); ALL.append(s)

# ---------------------------------------------------------------- GitHub helpers
def gh(i, t, action, actor, actor_id, ip, ua, **kw):
    r = {"@timestamp": ms(t), "_document_id": f"DoCsGh{i:04d}aBcDeFgHiJkLm", "action": action, "actor": actor, "actor_id": actor_id, "actor_location": {"country_code": "US"},
         "created_at": ms(t), "org": "acme", "org_id": 91000001, "business": "acme-ent", "business_id": 5151, "user_agent": ua,
         "request_id": f"D0C5:{i:04X}:ABCDEF:123456:6A1B{i:04X}", "actor_ip": ip}
    r.update(kw); return {k: v for k, v in r.items() if v is not None}
# ---------------------------------------------------------------- 5 GitHub: token stolen and reused from a new network
s = Scenario("github-token-reuse", "GitHub: a developer's fine-grained PAT used from the office, then the same token (same hashed_token) replayed hours later from a new network and client",
  ["https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/identifying-audit-log-events-performed-by-an-access-token",
   "https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/streaming-the-audit-log-for-your-enterprise",
   "https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/audit-log-events-for-your-enterprise"])
HT = "k3Zq9PmW2rT8vXyA1bC4dE6fG7hJ0kL5nO8pQ2sU4wY="
pat = {"hashed_token": HT, "programmatic_access_type": "Fine-grained personal access token", "token_id": 71000001, "token_scopes": "contents:write,metadata:read,pull_requests:write,administration:write"}
s.ident("noor", "human", "dev-noor")
s.cred("noor-pat", "github", HT)
s.session("gh-noor-office", "github", "noor", objects=[["acme/web"]]); s.session("gh-noor-replay", "github", "noor", objects=[["acme/web"]])
s.link("gh-noor-office", "gh-noor-replay", "token_reuse", "token_reuse")
F = "audit-log-stream.jsonl"
OFF, OUA = "192.0.2.61", "gh/2.62.0 (linux; amd64)"
s.add(F, gh(1, T(0), "api.request", "dev-noor", 2000101, OFF, OUA, operation_type="access", request_method="GET", url="/repos/acme/web/pulls", route="/repos/{owner}/{repo}/pulls", status_code=200, repo="acme/web", repo_id=81000001, **pat), "gh-noor-office")
s.add(F, gh(2, T(4), "git.clone", "dev-noor", 2000101, OFF, "git/2.47.0", operation_type="access", repo="acme/web", repo_id=81000001, repository="acme/web", repository_public=False, transport_protocol=1, transport_protocol_name="http", **pat), "gh-noor-office")
s.add(F, gh(3, T(12), "api.request", "dev-noor", 2000101, OFF, OUA, operation_type="access", request_method="POST", url="/repos/acme/web/pulls", route="/repos/{owner}/{repo}/pulls", status_code=201, repo="acme/web", repo_id=81000001, **pat), "gh-noor-office")
BAD, BUA = "203.0.113.199", "python-requests/2.32.3"
s.add(F, gh(4, T(300), "api.request", "dev-noor", 2000101, BAD, BUA, operation_type="access", request_method="GET", url="/orgs/acme/repos", route="/orgs/{org}/repos", status_code=200, **pat), "gh-noor-replay")
s.add(F, gh(5, T(302), "git.clone", "dev-noor", 2000101, BAD, "git/2.39.2", operation_type="access", repo="acme/payments", repo_id=81000002, repository="acme/payments", repository_public=False, transport_protocol=1, transport_protocol_name="http", **pat), "gh-noor-replay")
s.add(F, gh(6, T(304), "git.clone", "dev-noor", 2000101, BAD, "git/2.39.2", operation_type="access", repo="acme/infra-secrets", repo_id=81000003, repository="acme/infra-secrets", repository_public=False, transport_protocol=1, transport_protocol_name="http", **pat), "gh-noor-replay")
s.add(F, gh(7, T(307), "api.request", "dev-noor", 2000101, BAD, BUA, operation_type="access", request_method="POST", url="/repos/acme/web/hooks", route="/repos/{owner}/{repo}/hooks", status_code=201, repo="acme/web", repo_id=81000001, **pat), "gh-noor-replay")
s.write({F: "ndjson"}); ALL.append(s)

# ---------------------------------------------------------------- 6 GitHub: a person mints a PAT that a release service then uses
s = Scenario("github-pat-service", "GitHub: a person signs in on the web and creates a fine-grained PAT; a release service uses that PAT from a build server an hour later",
  ["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/security-log-events",
   "https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/identifying-audit-log-events-performed-by-an-access-token",
   "https://docs.github.com/en/enterprise-cloud@latest/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/audit-log-events-for-your-organization"])
s.ident("lee", "human", "dev-lee"); s.ident("release-pat", "api_token", "release-bot-token (PAT of dev-lee)")
HT2 = "Rz7Xw1Qv3Ty5Ui7Op9As2Df4Gh6Jk8Lz0Xc1Vb3Nm5="
s.cred("release-pat", "github", HT2)
s.session("gh-lee-web", "github", "lee", objects=[["91000077", "release-bot-token"]]); s.session("gh-release-bot", "github", "release-pat", objects=[["acme/app"]])
s.link("gh-lee-web", "gh-release-bot", "human_behind_nhi", "human_behind_nhi")
F = "audit-log-stream.jsonl"
LIP = "192.0.2.62"
s.add(F, gh(11, T(0), "user.login", "dev-lee", 2000102, LIP, UA_MAC, operation_type="authentication", user="dev-lee", user_id=2000102), "gh-lee-web")
s.add(F, gh(12, T(3), "personal_access_token.create", "dev-lee", 2000102, LIP, UA_MAC, operation_type="create", user="dev-lee", user_id=2000102, user_programmatic_access_id=91000077, user_programmatic_access_name="release-bot-token", repository_selection="subset"), "gh-lee-web")
rp = {"hashed_token": HT2, "programmatic_access_type": "Fine-grained personal access token", "token_id": 91000077, "token_scopes": "contents:write,metadata:read"}
s.add(F, gh(13, T(62), "api.request", "dev-lee", 2000102, "198.51.100.150", "release-bot/1.2 (go-github/v66)", operation_type="access", request_method="POST", url="/repos/acme/app/releases", route="/repos/{owner}/{repo}/releases", status_code=201, repo="acme/app", repo_id=81000010, **rp), "gh-release-bot")
s.add(F, gh(14, T(63), "api.request", "dev-lee", 2000102, "198.51.100.150", "release-bot/1.2 (go-github/v66)", operation_type="access", request_method="PATCH", url="/repos/acme/app/releases/1844", route="/repos/{owner}/{repo}/releases/{release_id}", status_code=200, repo="acme/app", repo_id=81000010, **rp), "gh-release-bot")
s.write({F: "ndjson"}); ALL.append(s)

# ---------------------------------------------------------------- CloudTrail helpers
ACCT = "111122223333"
def ct(i, t, src, name, ui, ip, ua, req=None, resp=None, read=False, cat="Management", resources=None, extra=None):
    r = {"eventVersion": "1.10", "userIdentity": ui, "eventTime": iso(t), "eventSource": src, "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": ua,
         "requestParameters": req, "responseElements": resp, "requestID": f"D0C5{i:04d}000040008000000000000000", "eventID": f"d0c5{i:04d}-0000-4000-8000-000000000000",
         "readOnly": read, "eventType": "AwsApiCall", "managementEvent": cat == "Management", "recipientAccountId": ACCT, "eventCategory": cat}
    if resources: r["resources"] = resources
    if extra: r.update(extra)
    return r
def role_ui(role, sess, key, created, path="", extra_ctx=None, account=ACCT):
    sc = {"sessionIssuer": {"type": "Role", "principalId": f"AROA{role.upper()[:12]:X<12}", "arn": f"arn:aws:iam::{account}:role/{path}{role}", "accountId": account, "userName": role},
          "attributes": {"creationDate": iso(created), "mfaAuthenticated": "false"}}
    if extra_ctx: sc.update(extra_ctx)
    return {"type": "AssumedRole", "principalId": f"AROA{role.upper()[:12]:X<12}:{sess}", "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{sess}", "accountId": account, "accessKeyId": key, "sessionContext": sc}
SDK_LAMBDA = "aws-sdk-js/3.699.0 ua/2.1 os/linux lang/js md/nodejs#20.18.0 exec-env/AWS_Lambda_nodejs20.x api/{}#3.699.0"
# ---------------------------------------------------------------- 7 AWS workloads: EC2 role, Lambda role, chained cross-account role
s = Scenario("aws-workloads", "CloudTrail: an EC2 instance-profile role session, a Lambda execution-role session, and the cross-account role the Lambda chains into",
  ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html",
   "https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html",
   "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html#iam-term-role-chaining",
   "https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html",
   "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/logging-using-cloudtrail.html"])
s.ident("web-ec2", "workload", "web-ec2-role on i-0d0c5aaaa1111bbbb"); s.ident("orders-fn", "workload", "orders-fn Lambda"); s.ident("reports-writer", "workload", "ReportsWriter (chained from orders-fn)")
EC2K, LAMK, CHK = "ASIAEXAMPLEDOCSEC201", "ASIAEXAMPLEDOCSLAM01", "ASIAEXAMPLEDOCSCHN01"
s.cred("ec2-key", "aws-cloudtrail", EC2K); s.cred("lam-key", "aws-cloudtrail", LAMK); s.cred("chn-key", "aws-cloudtrail", CHK, "lam-key")
s.session("aws-ec2", "aws-cloudtrail", "web-ec2", objects=[["acme-web-uploads", "arn:aws:s3:::acme-web-uploads", "arn:aws:s3:::acme-web-uploads/avatars/u-1001.png", "avatars/u-1001.png"]])
s.session("aws-lambda", "aws-cloudtrail", "orders-fn", objects=[["orders", "arn:aws:dynamodb:us-east-1:111122223333:table/orders"]])
s.session("aws-chained", "aws-cloudtrail", "reports-writer", objects=[["acme-reports", "arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/daily/2026-11-03.csv", "daily/2026-11-03.csv"]])
s.link("aws-lambda", "aws-chained", "credential_lineage", "credential_lineage")
F = "111122223333_CloudTrail_us-east-1_20261103T0800Z_DoCsWorkloads01.json"
ec2 = role_ui("web-ec2-role", "i-0d0c5aaaa1111bbbb", EC2K, T(-30), extra_ctx={"ec2RoleDelivery": "2.0"})
lam = role_ui("orders-fn-role", "orders-fn", LAMK, T(-5))
OTHER = "444455556666"
chn = role_ui("ReportsWriter", "orders-fn", CHK, T(2), account=OTHER)
EC2UA = "aws-sdk-java/2.29.9 Linux/6.1.115-126.197.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. md/internal exec-env/AWS_EC2"
s.add(F, ct(1, T(0), "secretsmanager.amazonaws.com", "GetSecretValue", ec2, "10.0.12.34", EC2UA, req={"secretId": "prod/web/session-key"}, read=True), "aws-ec2")
s.add(F, ct(2, T(1), "s3.amazonaws.com", "PutObject", ec2, "10.0.12.34", EC2UA, req={"bucketName": "acme-web-uploads", "Host": "acme-web-uploads.s3.us-east-1.amazonaws.com", "key": "avatars/u-1001.png"}, cat="Data",
  resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::acme-web-uploads/avatars/u-1001.png"}, {"accountId": ACCT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::acme-web-uploads"}]), "aws-ec2")
s.add(F, ct(3, T(1, 30), "dynamodb.amazonaws.com", "PutItem", lam, "3.91.20.7", SDK_LAMBDA.format("dynamodb"), req={"tableName": "orders", "key": {"orderId": "o-5521"}}, cat="Data",
  resources=[{"accountId": ACCT, "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}]), "aws-lambda")
s.add(F, ct(4, T(2), "sts.amazonaws.com", "AssumeRole", lam, "3.91.20.7", SDK_LAMBDA.format("sts"), req={"roleArn": f"arn:aws:iam::{OTHER}:role/ReportsWriter", "roleSessionName": "orders-fn", "durationSeconds": 900},
  resp={"credentials": {"accessKeyId": CHK, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLEDOCSTOKEN", "expiration": "Nov 3, 2026, 8:17:00 AM"}, "assumedRoleUser": {"assumedRoleId": "AROAREPORTSWRITERX:orders-fn", "arn": f"arn:aws:sts::{OTHER}:assumed-role/ReportsWriter/orders-fn"}},
  resources=[{"accountId": OTHER, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{OTHER}:role/ReportsWriter"}]), "aws-lambda")
s.add(F, ct(5, T(3), "s3.amazonaws.com", "PutObject", chn, "3.91.20.7", SDK_LAMBDA.format("s3"), req={"bucketName": "acme-reports", "Host": "acme-reports.s3.us-east-1.amazonaws.com", "key": "daily/2026-11-03.csv"}, cat="Data",
  resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::acme-reports/daily/2026-11-03.csv"}, {"accountId": OTHER, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::acme-reports"}]), "aws-chained")
s.add(F, ct(6, T(4), "s3.amazonaws.com", "GetObject", chn, "3.91.20.7", SDK_LAMBDA.format("s3"), req={"bucketName": "acme-reports", "Host": "acme-reports.s3.us-east-1.amazonaws.com", "key": "daily/2026-11-02.csv"}, read=True, cat="Data",
  resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::acme-reports/daily/2026-11-02.csv"}, {"accountId": OTHER, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::acme-reports"}]), "aws-chained")
s.write({F: lambda r: {"Records": r}}); ALL.append(s)

# ---------------------------------------------------------------- 8 GitHub Actions OIDC federation into AWS
s = Scenario("gha-oidc-federation", "GitHub Actions job of acme/infra gets an OIDC token and calls AssumeRoleWithWebIdentity; the role session deploys a Lambda function",
  ["https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
   "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect",
   "https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html",
   "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html"])
s.ident("gha", "bot", "github-actions[bot] (acme/infra deploy workflow)"); s.ident("gha-role", "workload", "GitHubActionsDeploy role session")
GHK = "ASIAEXAMPLEDOCSGHA01"
s.cred("gha-role-key", "aws-cloudtrail", GHK)
s.session("gha-run", "github", "gha", objects=[["13579001"]]); s.session("gha-aws", "aws-cloudtrail", "gha-role", objects=[["orders-api", "arn:aws:lambda:us-east-1:111122223333:function:orders-api"]])
s.link("gha-run", "gha-aws", "federation", "oidc_federation")
G, C = "audit-log-stream.jsonl", "111122223333_CloudTrail_us-east-1_20261103T1000Z_DoCsFederation1.json"
HTA = "Ac7Tn0Kb2Wq4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4="
wf = {"hashed_token": HTA, "programmatic_access_type": "GitHub App server-to-server token", "token_id": 88120777, "integration": "GitHub Actions", "repo": "acme/infra", "repo_id": 81000020,
      "workflow_id": 60110001, "workflow_run_id": 13579001, "head_branch": "main", "event": "push", "name": "deploy", "actor_is_bot": True}
s.add(G, gh(21, T(120), "workflows.created_workflow_run", "github-actions[bot]", 41898282, None, "launch/production", operation_type="create", **wf), "gha-run")
s.add(G, gh(22, T(120, 40), "workflows.prepared_workflow_job", "github-actions[bot]", 41898282, None, "launch/production", operation_type="create", job_name="deploy", job_workflow_ref="acme/infra/.github/workflows/deploy.yml@refs/heads/main", **wf), "gha-run")
s.add(G, gh(23, T(127), "workflows.completed_workflow_run", "github-actions[bot]", 41898282, None, "launch/production", operation_type="modify", conclusion="success", **wf), "gha-run")
SUB = "repo:acme/infra:ref:refs/heads/main"
PROV = f"arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com"
RUNIP = "20.57.10.33"
GUA = "aws-sdk-js/3.699.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/sts#3.699.0 configure-aws-credentials-for-github-actions"
s.add(C, ct(31, T(121), "sts.amazonaws.com", "AssumeRoleWithWebIdentity",
  {"type": "WebIdentityUser", "principalId": f"{PROV}:sts.amazonaws.com:{SUB}", "userName": SUB, "identityProvider": PROV}, RUNIP, GUA,
  req={"roleArn": f"arn:aws:iam::{ACCT}:role/GitHubActionsDeploy", "roleSessionName": "GitHubActions", "durationSeconds": 3600},
  resp={"credentials": {"accessKeyId": GHK, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLEDOCSGHA", "expiration": "Nov 3, 2026, 11:01:00 AM"}, "subjectFromWebIdentityToken": SUB,
        "assumedRoleUser": {"assumedRoleId": "AROAGITHUBACTIONSX:GitHubActions", "arn": f"arn:aws:sts::{ACCT}:assumed-role/GitHubActionsDeploy/GitHubActions"}, "provider": PROV, "audience": "sts.amazonaws.com"},
  resources=[{"accountId": ACCT, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{ACCT}:role/GitHubActionsDeploy"}],
  extra={"additionalEventData": {"identityProviderConnectionVerificationMethod": "IAMTrustStore"}}), "gha-aws")
gr = role_ui("GitHubActionsDeploy", "GitHubActions", GHK, T(121), extra_ctx={"webIdFederationData": {"federatedProvider": PROV, "attributes": {}}})
s.add(C, ct(32, T(123), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", gr, RUNIP, "aws-cli/2.22.10 md/command#lambda.update-function-code", req={"functionName": "orders-api", "publish": True},
  resp={"functionName": "orders-api", "functionArn": "arn:aws:lambda:us-east-1:111122223333:function:orders-api", "version": "57"}), "gha-aws")
s.add(C, ct(33, T(124), "lambda.amazonaws.com", "GetFunction20150331v2", gr, RUNIP, "aws-cli/2.22.10 md/command#lambda.get-function", req={"functionName": "orders-api"}, read=True), "gha-aws")
s.write({G: "ndjson", C: lambda r: {"Records": r}}); ALL.append(s)

# ---------------------------------------------------------------- 9 AWS Identity Center person mints an access key a service uses
s = Scenario("aws-idc-access-key", "CloudTrail: a person signs in through IAM Identity Center, works in an AWSReservedSSO role session, creates an IAM user and an access key; a reporting service then uses that key",
  ["https://docs.aws.amazon.com/singlesignon/latest/userguide/understanding-sign-in-events.html", "https://docs.aws.amazon.com/singlesignon/latest/userguide/sso-cloudtrail-use-cases.html",
   "https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html"])
s.ident("carol", "human", "carol.ops@acme.test"); s.ident("svc-reporting", "service_account", "svc-reporting (IAM user used by the reporting service)")
CK, NK = "ASIAEXAMPLEDOCSCAR01", "AKIAEXAMPLEDOCSREP01"
s.cred("carol-key", "aws-cloudtrail", CK); s.cred("rep-key", "aws-cloudtrail", NK, "carol-key")
s.session("idc-signin", "aws-cloudtrail", "carol")
s.session("carol-role", "aws-cloudtrail", "carol", objects=[["svc-reporting", "arn:aws:iam::111122223333:user/svc-reporting"]], initiator="carol")
s.session("svc-rep", "aws-cloudtrail", "svc-reporting", objects=[["acme-exports", "arn:aws:s3:::acme-exports", "arn:aws:s3:::acme-exports/weekly/2026-w45.parquet", "weekly/2026-w45.parquet"]])
s.link("idc-signin", "carol-role", "idp_to_app", "idp_sso")
s.link("carol-role", "svc-rep", "human_behind_nhi", "human_behind_nhi")
F = "111122223333_CloudTrail_us-east-1_20261103T1400Z_DoCsAccessKey01.json"
CIP = "198.51.100.44"
s.add(F, ct(41, T(360), "signin.amazonaws.com", "UserAuthentication",
  {"type": "Unknown", "principalId": ACCT, "arn": "", "accountId": ACCT, "accessKeyId": "", "userName": "carol.ops@acme.test",
   "onBehalfOf": {"userId": "94482488-3041-7026-18f3-be45837cD0C5", "identityStoreArn": f"arn:aws:identitystore::{ACCT}:identitystore/d-9067D0C5AA"}, "credentialId": "d0c5EXAMPLEcredentialId"},
  CIP, UA_MAC, extra={"eventType": "AwsServiceEvent", "additionalEventData": {"AuthWorkflowID": "9de74b32-8362-4a01-a524-D0C5EXAMPLE", "LoginTo": "https://d-9067D0C5AA.awsapps.com/start/", "CredentialType": "EXTERNAL_IDP", "UserName": "carol.ops@acme.test"},
  "serviceEventDetails": {"UserAuthentication": "Success"}}), "idc-signin")
cr = role_ui("AWSReservedSSO_AdministratorAccess_0123456789abcdef", "carol.ops@acme.test", CK, T(362), path="aws-reserved/sso.amazonaws.com/")
IAMUA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
s.add(F, ct(42, T(365), "iam.amazonaws.com", "CreateUser", cr, CIP, IAMUA, req={"userName": "svc-reporting"},
  resp={"user": {"path": "/", "userName": "svc-reporting", "userId": "AIDAEXAMPLEDOCSREP01", "arn": "arn:aws:iam::111122223333:user/svc-reporting", "createDate": "Nov 3, 2026, 2:05:00 PM"}}), "carol-role")
s.add(F, ct(43, T(366), "iam.amazonaws.com", "AttachUserPolicy", cr, CIP, IAMUA, req={"userName": "svc-reporting", "policyArn": "arn:aws:iam::111122223333:policy/reporting-exports-write"}), "carol-role")
s.add(F, ct(44, T(367), "iam.amazonaws.com", "CreateAccessKey", cr, CIP, IAMUA, req={"userName": "svc-reporting"},
  resp={"accessKey": {"accessKeyId": NK, "status": "Active", "userName": "svc-reporting", "createDate": "Nov 3, 2026, 2:07:00 PM"}}), "carol-role")
svc = {"type": "IAMUser", "principalId": "AIDAEXAMPLEDOCSREP01", "arn": "arn:aws:iam::111122223333:user/svc-reporting", "accountId": ACCT, "accessKeyId": NK, "userName": "svc-reporting"}
RUA = "Boto3/1.35.60 md/Botocore#1.35.60 ua/2.0 os/linux#5.15.0-1071-aws md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.60"
s.add(F, ct(45, T(420), "s3.amazonaws.com", "ListObjects", svc, "198.51.100.160", RUA, req={"bucketName": "acme-exports", "Host": "acme-exports.s3.us-east-1.amazonaws.com", "prefix": "weekly/"}, read=True, cat="Data",
  resources=[{"accountId": ACCT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::acme-exports"}]), "svc-rep")
s.add(F, ct(46, T(421), "s3.amazonaws.com", "PutObject", svc, "198.51.100.160", RUA, req={"bucketName": "acme-exports", "Host": "acme-exports.s3.us-east-1.amazonaws.com", "key": "weekly/2026-w45.parquet"}, cat="Data",
  resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::acme-exports/weekly/2026-w45.parquet"}, {"accountId": ACCT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::acme-exports"}]), "svc-rep")
s.write({F: lambda r: {"Records": r}}); ALL.append(s)
print([x.name for x in ALL])
