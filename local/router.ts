import type { RouteDef } from '../infra/routes/define';

export interface Match {
  route: RouteDef;
  params: Record<string, string>;
}

/** Compiles the route table once; static segments win over path parameters, as in API Gateway. */
export function createRouter(routes: readonly RouteDef[]) {
  const compiled = routes
    .map((route) => {
      const names: string[] = [];
      const pattern = route.path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\\?\{(\w+)\\?\}/g, (_, name) => {
          names.push(name);
          return '([^/]+)';
        });
      const specificity = route.path.split('/').filter((s) => !s.startsWith('{')).length;
      return { route, regex: new RegExp(`^${pattern}$`), names, specificity };
    })
    .sort((a, b) => b.specificity - a.specificity);

  return (method: string, path: string): Match | undefined => {
    for (const entry of compiled) {
      if (entry.route.method !== method) continue;
      const m = entry.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      entry.names.forEach((name, i) => {
        params[name] = m[i + 1]!;
      });
      return { route: entry.route, params };
    }
    return undefined;
  };
}
