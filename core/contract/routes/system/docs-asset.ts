import { route } from '#core/contract/define';
import { docsAssetParams } from '#core/contract/schemas/requests/system';

export const docsAssetRoute = route({
  method: 'GET',
  path: '/docs/{asset}',
  function: 'docs-asset',
  summary: 'Script and style files of the interactive documentation',
  tag: 'System',
  auth: 'none',
  params: docsAssetParams(),
  responses: {
    200: {
      description: 'The file (`text/css` or `text/javascript`), cacheable for a day',
      headers: { 'Cache-Control': 'Caching policy' },
    },
    404: { description: 'Not one of the documentation files' },
  },
  deploy: {
    dynamo: 'none',
    // Swagger UI's files, served from `swagger-ui-dist/absolute-path.js`'s directory.
    assets: [
      'node_modules/swagger-ui-dist/package.json',
      'node_modules/swagger-ui-dist/absolute-path.js',
      'node_modules/swagger-ui-dist/swagger-ui.css',
      'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
    ],
  },
});
