import * as z from 'zod/mini';
import { atLeastOneField, text, ULID_PATTERN } from '#core/contract/schemas/common';
import { DISPLAY_NAME_MAX, LOGO_ID } from '#core/domain/branding';
import { COLOR } from '#core/domain/setup-rules';

/** What the tenant settings routes take. */

/** A 200 KiB file in base64 (273,068 characters) and its `data:image/webp;base64,` prefix, with room to spare. */
const LOGO_DATA_URL_MAX = 300_000;

/** `null` clears a field; an absent one stays as it is. */
export const tenantBody = () =>
  atLeastOneField(
    z.strictObject({
      branding: z.optional(
        atLeastOneField(
          z.strictObject({
            displayName: z.optional(
              z.nullable(
                text(DISPLAY_NAME_MAX).check(
                  z.meta({ description: 'Name the customer screens show; default: the branch name' }),
                ),
              ),
            ),
            accentColor: z.optional(
              z.nullable(
                z.string().check(
                  z.regex(COLOR),
                  z.meta({
                    description: '`#RRGGBB`; text on it is black or white, whichever reads better',
                    example: '#1E88E5',
                  }),
                ),
              ),
            ),
            logo: z.optional(
              z.nullable(
                z.string().check(
                  z.maxLength(LOGO_DATA_URL_MAX),
                  z.meta({
                    description:
                      'A PNG or WebP of at most 200 KiB and 4096 px a side, as a base64 `data:` URL; its content is checked, not its declared type',
                    example: 'data:image/png;base64,iVBORw0KGgo…',
                  }),
                ),
              ),
            ),
          }),
        ),
      ),
    }),
  );

/** The body limit of PATCH /v1/tenant: a logo's data URL does not fit the usual 64 KiB. */
export const TENANT_BODY_LIMIT_BYTES = 320 * 1024;

export const logoParams = () =>
  z.strictObject({
    tenantId: z.string().check(z.regex(ULID_PATTERN), z.meta({ description: 'Tenant id' })),
    logoId: z
      .string()
      .check(z.regex(LOGO_ID), z.meta({ description: 'Version of the logo (a hash of its bytes)' })),
  });
