/** What is wrong with a plan and where: every plan check (schema, cross-field rules, lint) answers in these. */
export interface PlanProblem {
  /** the plan key, e.g. "monitoring.decisionPoints.0.at" */
  path: string;
  /** what is wrong and the fix */
  message: string;
}
