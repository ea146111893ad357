/**
 * Zod schemas of the Jira Cloud REST v3 and JSM service desk payloads the connector reads.
 * Objects are loose (Jira adds fields freely); only what the connector uses is required.
 * Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/
 */
import { z } from 'zod';

/** Atlassian Document Format: a tree of typed nodes. Kept structural; `adf.ts` reads it. */
export interface JiraAdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  content?: JiraAdfNode[];
  version?: number;
}
export const JiraAdfNode: z.ZodType<JiraAdfNode> = z.lazy(() =>
  z.looseObject({
    type: z.string(),
    text: z.string().optional(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    marks: z
      .array(z.looseObject({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() }))
      .optional(),
    content: z.array(JiraAdfNode).optional(),
    version: z.number().optional(),
  }),
);

export const JiraUser = z.looseObject({
  accountId: z.string().min(1),
  accountType: z.string().optional(),
  displayName: z.string().optional(),
  /** Hidden when the user's profile visibility says so. */
  emailAddress: z.string().optional(),
  active: z.boolean().optional(),
  timeZone: z.string().optional(),
});
export type JiraUser = z.infer<typeof JiraUser>;
export const JiraUserList = z.array(JiraUser);

const Named = z.looseObject({ id: z.string().optional(), name: z.string() });

export const JiraStatus = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusCategory: z.looseObject({ key: z.string(), name: z.string().optional() }).optional(),
});

export const JiraIssueFields = z.looseObject({
  summary: z.string(),
  description: JiraAdfNode.nullish(),
  status: JiraStatus,
  priority: Named.nullish(),
  assignee: JiraUser.nullish(),
  reporter: JiraUser.nullish(),
  project: z.looseObject({ key: z.string(), name: z.string().optional() }).optional(),
  issuetype: Named.optional(),
  labels: z.array(z.string()).default([]),
  created: z.string(),
  updated: z.string(),
});

export const JiraIssue = z.looseObject({
  id: z.string(),
  key: z.string(),
  self: z.string().optional(),
  fields: JiraIssueFields,
});
export type JiraIssue = z.infer<typeof JiraIssue>;

/** `/rest/api/3/search/jql`: no `total`; `nextPageToken` absent or null on the last page. */
export const JiraSearchPage = z.looseObject({
  issues: z.array(JiraIssue),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export const JiraCreated = z.looseObject({ id: z.string(), key: z.string(), self: z.string().optional() });

export const JiraTransition = z.looseObject({
  id: z.string(),
  name: z.string(),
  to: JiraStatus,
});
export type JiraTransition = z.infer<typeof JiraTransition>;
export const JiraTransitions = z.looseObject({ transitions: z.array(JiraTransition) });

export const JiraComment = z.looseObject({
  id: z.string(),
  author: JiraUser.optional(),
  body: JiraAdfNode,
  created: z.string(),
  updated: z.string().optional(),
  /** JSM: false for an internal note. Absent outside service projects. */
  jsdPublic: z.boolean().optional(),
  /** A role or group restriction: never shown to customers. */
  visibility: z.looseObject({ type: z.string(), value: z.string().optional() }).optional(),
});
export type JiraComment = z.infer<typeof JiraComment>;

export const JiraCommentPage = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
  comments: z.array(JiraComment),
});

/** `POST /rest/servicedeskapi/request/{key}/comment` answers a JSM comment: plain body, `public`. */
export const JsmRequestComment = z.looseObject({
  id: z.string(),
  body: z.string(),
  public: z.boolean(),
  author: JiraUser.optional(),
  created: z.looseObject({ epochMillis: z.number(), iso8601: z.string().optional() }),
});
export type JsmRequestComment = z.infer<typeof JsmRequestComment>;

export const JiraProject = z.looseObject({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  projectTypeKey: z.string().optional(),
  issueTypes: z.array(Named).default([]),
});

/** Admin webhook body (jira:issue_* and comment_* events). */
export const JiraWebhookPayload = z.looseObject({
  timestamp: z.number(),
  webhookEvent: z.string(),
  issue_event_type_name: z.string().optional(),
  issue: z
    .looseObject({
      id: z.string(),
      key: z.string(),
      fields: z.looseObject({ project: z.looseObject({ key: z.string() }).optional() }).optional(),
    })
    .optional(),
  changelog: z
    .looseObject({ id: z.string().optional(), items: z.array(z.looseObject({ field: z.string() })) })
    .optional(),
  comment: z.looseObject({ id: z.string() }).optional(),
});
export type JiraWebhookPayload = z.infer<typeof JiraWebhookPayload>;
