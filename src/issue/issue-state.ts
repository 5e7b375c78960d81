/** Where an issue is in the desk's workflow (docs/architecture.md "Desk API"); no Redis here, the web app imports it. */
export const ISSUE_STATES = ['draft', 'in_review', 'approved', 'scheduled', 'sent'] as const;
export type IssueState = (typeof ISSUE_STATES)[number];
