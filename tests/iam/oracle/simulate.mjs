// The oracle of tests/iam/test_engine_differential.py: it reads a JSON array of cases on
// stdin, decides each with @cloud-copilot/iam-simulate, and prints a JSON array of answers,
// in the same order, on stdout. One process answers the whole batch.
//
// iam-simulate is AGPL-3.0: it is a test-only oracle, installed for golive's tests with
// `npm ci --prefix tests/iam/oracle`, never imported by or shipped with golive.
//
// A case:   {id, action, resource, context, policies: [{id, document}], boundary: [{id, document}]}
// An answer: {id, decision, allows, denies, allowedByBoundary, ignoredContextKeys}
//            or {id, error} when iam-simulate refused the case (then the case is wrong, not an engine).
import { runSimulation } from '@cloud-copilot/iam-simulate'

// golive always simulates a principal of the audited account acting in that account.
const ACCOUNT = '123456789012'
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/golive-differential`
const DECISIONS = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }

const named = (policies) => policies.map((p) => ({ name: p.id, policy: p.document }))

// [policy id, 0-based statement index] of the statements in one list of an analysis
// (iam-policy numbers statements from 1; golive from 0, as AWS's SourcePolicy positions do).
const statements = (analysis, list) => (analysis?.[list] ?? []).map((s) => [s.policyId, s.statement.index() - 1])

async function decide(testCase) {
  const response = await runSimulation(
    {
      request: {
        principal: PRINCIPAL,
        action: testCase.action,
        resource: { resource: testCase.resource, accountId: ACCOUNT },
        contextVariables: testCase.context
      },
      identityPolicies: named(testCase.policies),
      // No boundary at all is not the same as an empty one; pass none when there is none.
      permissionBoundaryPolicies: testCase.boundary.length ? named(testCase.boundary) : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: []
    },
    { simulationMode: 'Strict' }
  )
  if (response.resultType === 'error') {
    return { error: response.errors }
  }
  if (response.resultType !== 'single') {
    // A "*" resource on an action that takes resources makes iam-simulate try every
    // resource the policies name; golive asks about one concrete resource instead.
    return { error: `iam-simulate ran a ${response.resultType} simulation; give a concrete resource` }
  }
  const analysis = response.result.analysis
  const boundary = analysis.permissionBoundaryAnalysis
  return {
    decision: DECISIONS[response.overallResult],
    allows: statements(analysis.identityAnalysis, 'allowStatements'),
    denies: [...statements(analysis.identityAnalysis, 'denyStatements'), ...statements(boundary, 'denyStatements')],
    allowedByBoundary: boundary ? boundary.result === 'Allowed' : null,
    ignoredContextKeys: response.result.ignoredContextKeys ?? []
  }
}

const chunks = []
for await (const chunk of process.stdin) {
  chunks.push(chunk)
}
const answers = []
for (const testCase of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
  try {
    answers.push({ id: testCase.id, ...(await decide(testCase)) })
  } catch (error) {
    answers.push({ id: testCase.id, error: String(error?.stack ?? error) })
  }
}
process.stdout.write(JSON.stringify(answers))
