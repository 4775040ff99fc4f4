import { declareRoute, type AnyRouteDeclaration } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { renderCsdl } from '../metadata/csdl-xml.js';
import { graphSchema } from '../metadata/graph-schema.js';
import type { GraphServices } from '../services.js';
import { GRAPH_VERSIONS } from '../wire.js';

/**
 * GET /{v}/$metadata: the CSDL document of what this deployment serves (its cloud and
 * extensions), rendered once from `graphSchema`. Graph serves `$metadata` without a token (a
 * browser opens https://graph.microsoft.com/v1.0/$metadata anonymously), so the route reads none;
 * see docs/odata.md.
 */
export function registerMetadataRoutes(services: GraphServices): void {
  registerRoutes(services.wire, metadataRoutes(services));
}

function metadataRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { config } = app.deps;
  return GRAPH_VERSIONS.map((version) => {
    const document = renderCsdl(graphSchema(version, config));
    return declareRoute({
      method: 'GET',
      url: `/${version}/$metadata`,
      auth: 'none',
      summary: 'CSDL of what Longrun serves (no token, as Graph)',
      handler: async ({ reply }) => reply.code(200).header('content-type', 'application/xml').header('OData-Version', '4.0').send(document),
    });
  });
}
