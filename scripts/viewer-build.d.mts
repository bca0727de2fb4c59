/** True when dist/web is missing or older than web/ or shared/. */
export function viewerBuildIsStale(): boolean;
/** Runs `vite build` when the viewer build is stale; throws when the build fails. */
export function ensureViewerBuilt(): Promise<void>;
