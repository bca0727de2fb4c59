import { ensureViewerBuilt } from '../scripts/viewer-build.mjs';

/** Browser tests run against the built viewer; build it once when it is missing or stale. */
export default async function setup(): Promise<void> {
  await ensureViewerBuilt();
}
