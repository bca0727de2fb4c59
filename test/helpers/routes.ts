/** What the walk needs of an Express 5 router (router 2.x): its layers, their paths and routes. */
export interface RouterLike {
  stack: { rawPath?: unknown; route?: { path: string; methods: Record<string, boolean> }; handle: unknown }[];
}

export interface ApiRoute {
  method: string;
  /** Under /api, with Express parameters, e.g. "/bins/:binId". */
  path: string;
}

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** Every route of the router and the routers mounted in it, walked from the app's own stack. */
export function listRoutes(router: RouterLike, prefix = ''): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const layer of router.stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        routes.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: joinPath(prefix, layer.route.path) });
      }
    } else if (Array.isArray((layer.handle as Partial<RouterLike>).stack)) {
      if (typeof layer.rawPath !== 'string') throw new Error('a router mounted on a non-string path: teach listRoutes about it');
      routes.push(...listRoutes(layer.handle as RouterLike, joinPath(prefix, layer.rawPath)));
    }
  }
  return routes;
}
