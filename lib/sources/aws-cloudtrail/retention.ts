import type { LogTypeRetention } from "../vendor-retention";

// Confirmed: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html (stored source
// awsdocs/aws-cloudtrail-user-guide doc_source/view-cloudtrail-events.md: "You can troubleshoot operational and security
// incidents over the past 90 days in the CloudTrail console by viewing Event history"); trails deliver to S3, where the
// bucket's lifecycle decides.
export const AWS_CLOUDTRAIL_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "event-history",
    label: "CloudTrail Event history / trail records",
    tiers: [{ tier: "Event history (no trail)", days: 90 }],
    match: () => true,
    doc: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html",
    note: "A trail to S3 keeps records as long as the bucket does; Event history alone keeps 90 days.",
  },
];
