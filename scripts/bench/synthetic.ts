// Synthetic records in the four vendors' export shapes, for benchmarks only (the demo dataset with stories
// and ground truth is lib/demo). Every record differs (ids, times, addresses), about 0.9-1.3 KB each.
const BASE = Date.UTC(2026, 10, 1);
const hex = (n: number, len: number) => (n >>> 0).toString(16).padStart(len, "0").slice(-len);
const uuid = (i: number, salt: number) =>
  `${hex(i * 2654435761 + salt, 8)}-${hex(i, 4)}-4${hex(salt, 3)}-8${hex(i >> 4, 3)}-${hex(i * 40503 + salt, 8)}${hex(salt * 7, 4)}`;
const ip = (i: number) => `198.51.${(i >> 8) & 255}.${i & 255}`;
const iso = (i: number) => new Date(BASE + i * 37).toISOString();
const user = (i: number) => `user${i % 5000}@example.com`;

export function okta(i: number) {
  return {
    actor: { id: `00u${hex(i % 5000, 17)}`, type: "User", alternateId: user(i), displayName: `User ${i % 5000}`, detailEntry: null },
    client: {
      userAgent: {
        rawUserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        os: "Mac OS X",
        browser: "SAFARI",
      },
      zone: "null",
      device: "Computer",
      id: null,
      ipAddress: ip(i),
      geographicalContext: {
        city: "Amsterdam",
        state: "North Holland",
        country: "Netherlands",
        postalCode: "1012",
        geolocation: { lat: 52.37, lon: 4.89 },
      },
    },
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: `102${hex(i >> 3, 22)}`,
    },
    displayMessage: "User single sign on to app",
    eventType: "user.authentication.sso",
    outcome: { result: "SUCCESS", reason: null },
    published: iso(i),
    securityContext: { asNumber: 64496, asOrg: "example", isp: "example isp", domain: "example.net", isProxy: false },
    severity: "INFO",
    debugContext: {
      debugData: { requestId: `Y${hex(i, 12)}`, requestUri: "/app/salesforce/exk1/sso/saml", url: "/app/salesforce/exk1/sso/saml?" },
    },
    legacyEventType: "app.auth.sso",
    transaction: { type: "WEB", id: `Y${hex(i, 12)}AAA`, detail: {} },
    uuid: uuid(i, 1),
    version: "0",
    request: { ipChain: [{ ip: ip(i), geographicalContext: { city: "Amsterdam", country: "Netherlands" }, version: "V4", source: null }] },
    target: [{ id: "0oa1sfdc", type: "AppInstance", alternateId: "Salesforce", displayName: "Salesforce.com", detailEntry: null }],
  };
}

export function entra(i: number) {
  return {
    id: uuid(i, 2),
    createdDateTime: iso(i),
    userDisplayName: `User ${i % 5000}`,
    userPrincipalName: user(i),
    userId: uuid(i % 5000, 3),
    appId: "00000003-0000-0ff1-ce00-000000000000",
    appDisplayName: "Office 365 SharePoint Online",
    ipAddress: ip(i),
    clientAppUsed: "Browser",
    correlationId: uuid(i >> 2, 4),
    conditionalAccessStatus: "success",
    isInteractive: true,
    riskDetail: "none",
    riskLevelAggregated: "none",
    riskLevelDuringSignIn: "none",
    riskState: "none",
    resourceDisplayName: "Office 365 SharePoint Online",
    resourceId: "00000003-0000-0ff1-ce00-000000000000",
    status: { errorCode: 0, failureReason: "Other.", additionalDetails: null },
    deviceDetail: {
      deviceId: "",
      displayName: "",
      operatingSystem: "Windows 10",
      browser: "Edge 126.0.0",
      isCompliant: false,
      isManaged: false,
      trustType: "",
    },
    location: { city: "Seattle", state: "Washington", countryOrRegion: "US", geoCoordinates: { latitude: 47.6, longitude: -122.3 } },
    appliedConditionalAccessPolicies: [
      {
        id: uuid(7, 5),
        displayName: "Require MFA for admins",
        enforcedGrantControls: ["Mfa"],
        enforcedSessionControls: [],
        result: "notApplied",
      },
    ],
    sessionId: uuid(i >> 3, 6),
    uniqueTokenIdentifier: `${hex(i, 8)}QkFBQkJCQ0NDRERERUVFRkZGR0dH`,
  };
}

export function cloudtrail(i: number) {
  return {
    eventVersion: "1.09",
    userIdentity: {
      type: "AssumedRole",
      principalId: `AROA${hex(i % 300, 12).toUpperCase()}:${user(i)}`,
      arn: `arn:aws:sts::111122223333:assumed-role/Engineer/${user(i)}`,
      accountId: "111122223333",
      accessKeyId: `ASIA${hex(i >> 4, 16).toUpperCase()}`,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: `AROA${hex(i % 300, 12).toUpperCase()}`,
          arn: "arn:aws:iam::111122223333:role/Engineer",
          accountId: "111122223333",
          userName: "Engineer",
        },
        attributes: { creationDate: new Date(BASE + (i >> 4) * 600).toISOString().replace(/\.\d+Z$/, "Z"), mfaAuthenticated: "false" },
      },
    },
    eventTime: iso(i).replace(/\.\d+Z$/, "Z"),
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: "eu-west-1",
    sourceIPAddress: ip(i),
    userAgent: "[aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12 prompt/off command/s3.cp]",
    requestParameters: {
      bucketName: "finance-reports",
      key: `exports/2026/report-${i}.csv`,
      Host: "finance-reports.s3.eu-west-1.amazonaws.com",
    },
    responseElements: null,
    requestID: hex(i * 31, 16).toUpperCase(),
    eventID: uuid(i, 8),
    readOnly: true,
    resources: [
      { type: "AWS::S3::Object", ARN: `arn:aws:s3:::finance-reports/exports/2026/report-${i}.csv` },
      { accountId: "111122223333", type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::finance-reports" },
    ],
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: "111122223333",
    eventCategory: "Data",
  };
}

export function github(i: number) {
  return {
    "@timestamp": BASE + i * 37,
    _document_id: `${hex(i, 8)}-doc-${hex(i * 7, 12)}`,
    action: "git.clone",
    actor: `dev${i % 800}`,
    actor_id: 1000 + (i % 800),
    actor_ip: ip(i),
    actor_location: { country_code: "NL" },
    business: "example-corp",
    created_at: BASE + i * 37,
    hashed_token: `${hex(i >> 5, 8)}Zm9vYmFyYmF6cXV4cXV1eA==`,
    org: "example",
    org_id: 4242,
    programmatic_access_type: "Fine-grained personal access token",
    repo: `example/service-${i % 120}`,
    repository: `example/service-${i % 120}`,
    repository_public: false,
    token_id: 90000 + (i >> 5),
    token_scopes: "contents:read,metadata:read",
    transport_protocol: 1,
    transport_protocol_name: "http",
    user_agent: "git/2.45.2",
    request_id: `${hex(i * 13, 8)}:${hex(i, 6)}:${hex(i * 3, 7)}`,
    operation_type: "access",
  };
}

export const GENERATORS = { okta, entra, "aws-cloudtrail": cloudtrail, github } as const;
export type BenchPlatform = keyof typeof GENERATORS;
