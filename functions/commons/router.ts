import type { RouteDef } from '#core/contract/define';

export interface Match {
  route: RouteDef;
  params: Record<string, string>;
}

/**
 * Compiles the route table once, as API Gateway matches it: static segments win over path
 * parameters. `match` finds the route of a method and path (HEAD runs the GET route); `allowed`
 * lists the methods a path takes, HEAD with GET (empty for a path the API does not have): the
 * local server and the `$default` catch-all (functions/not-found.ts) answer 405 with it.
 */
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

  return {
    match(method: string, path: string): Match | undefined {
      const wanted = method === 'HEAD' ? 'GET' : method;
      for (const entry of compiled) {
        if (entry.route.method !== wanted) continue;
        const m = entry.regex.exec(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        entry.names.forEach((name, i) => {
          params[name] = m[i + 1]!;
        });
        return { route: entry.route, params };
      }
      return undefined;
    },

    allowed(path: string): string[] {
      const methods = new Set<string>(compiled.filter((e) => e.regex.test(path)).map((e) => e.route.method));
      if (methods.has('GET')) methods.add('HEAD');
      return ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'].filter((m) => methods.has(m));
    },
  };
}
