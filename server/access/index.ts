/** Who may use the viewer, the API and the live stream: the policy, sessions and the sign-in rate limit. */
export { Access, type Refusal } from './policy';
