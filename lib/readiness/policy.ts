// What a role's identity policies allow, read from the documents themselves: the fallback where
// iam:SimulatePrincipalPolicy cannot answer (moto, or a caller without that permission). It sees
// only the role's own policies, not permission boundaries or SCPs; a statement with a Condition
// (or a policy variable) is reported as "conditional" rather than guessed. Why not
// @cloud-copilot/iam-simulate at run time: docs/decisions.md. Its answers are the oracle of this
// evaluator's property test (test/unit/readiness/policy.test.ts).

import type { Decision, NamedPolicy, PolicyStatement } from "../core/agent-permissions.js";

const list = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
}

/** Action and Resource patterns: `*` and `?` wildcards; actions ignore case, ARNs do not. */
const matchesAny = (patterns: string[], value: string, caseInsensitive: boolean) =>
  patterns.some((pattern) => wildcard(pattern, caseInsensitive).test(value));

function applies(statement: PolicyStatement, action: string, resource: string): boolean {
  const actions = list(statement.Action);
  const notActions = list(statement.NotAction);
  const actionMatch = actions ? matchesAny(actions, action, true) : notActions ? !matchesAny(notActions, action, true) : false;
  if (!actionMatch) return false;
  const resources = list(statement.Resource);
  const notResources = list(statement.NotResource);
  return resources ? matchesAny(resources, resource, false) : notResources ? !matchesAny(notResources, resource, false) : false;
}

/** A statement whose effect depends on the request's context: conditions or `${...}` variables. */
const isConditional = (statement: PolicyStatement) =>
  Object.keys(statement.Condition ?? {}).length > 0 ||
  [...(list(statement.Resource) ?? []), ...(list(statement.NotResource) ?? [])].some((r) => r.includes("${"));

/**
 * IAM's order for identity policies: an explicit deny wins, then an allow, else the implicit
 * deny. A matching statement with a condition makes the answer "conditional" unless an
 * unconditional deny settles it first.
 */
export function decide(policies: NamedPolicy[], action: string, resource: string): Decision {
  const statements = policies.flatMap(({ document: { Statement: s } }) => (s === undefined ? [] : Array.isArray(s) ? s : [s]));
  const matching = statements.filter((s) => applies(s, action, resource));
  const denies = matching.filter((s) => s.Effect === "Deny");
  const allows = matching.filter((s) => s.Effect === "Allow");
  if (denies.some((s) => !isConditional(s))) return "explicitDeny";
  if (denies.length > 0) return "conditional";
  if (allows.some((s) => !isConditional(s))) return "allowed";
  return allows.length > 0 ? "conditional" : "implicitDeny";
}
