/**
 * E-requests from the portal at the workstation (issue 8), as the API handlers, main.ts, the CLI and the tests
 * import them: a barrel only. The parts: intake.ts processes the inbox (verification, registration through the
 * step engine, the rules' refusals) with the grounds in grounds.ts; answers.ts decides, makes the journal entry
 * and signs the answer; inbox.ts is the registrar's inbox; settings.ts the policy and the provider key; trust.ts
 * the trust store and the administrator's trust files; decisions.ts the shapes they share. Kept at this path because
 * electron/services/handlers.ts, electron/main.ts and electron/cli.ts import it here.
 */
export { processInbox, processOne, startErequests } from './intake';
export { signDecided } from './answers';
export { get, inbox, resolve } from './inbox';
export { policy, setPolicy, setProviderKey, settings, type ErequestPolicy, type ProviderKeySetting } from './settings';
export { addTrustFile, trustStore } from './trust';
export type { Decision, Ground, Proposal } from './decisions';
