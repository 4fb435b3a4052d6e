import * as z from 'zod/mini';
import { timestamp } from '#core/contract/schemas/common';

/** A tenant's settings and the branding its customer screens show. */

export const Branding = z
  .object({
    displayName: z.nullable(z.string()),
    accentColor: z.nullable(z.string().check(z.meta({ description: '`#RRGGBB`' }))),
    logoUrl: z.nullable(
      z.string().check(
        z.meta({
          description:
            'Path of the logo on this API (`/v1/public/logos/…`, public, cacheable for good: a new logo gets a new path)',
        }),
      ),
    ),
  })
  .check(z.meta({ id: 'Branding', description: 'How the customer screens show the organisation' }));
export type Branding = z.output<typeof Branding>;

export const TenantSettings = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    branding: Branding,
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .check(z.meta({ id: 'TenantSettings' }));
export type TenantSettings = z.output<typeof TenantSettings>;
