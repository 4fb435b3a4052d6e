import * as z from 'zod/mini';

export const docsAssetParams = () =>
  z.strictObject({
    asset: z.string().check(z.maxLength(64), z.meta({ description: 'File name', example: 'swagger-ui.css' })),
  });
