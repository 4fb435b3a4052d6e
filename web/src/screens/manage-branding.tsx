import { useEffect, useState } from 'preact/hooks';
import type { TenantSettings } from '#core/contract/schemas/responses/tenant';
import { contrastRatio, textColorOn } from '#core/domain/contrast';
import { can, get, patch } from '../api';
import { BrandBand, logoSrc } from '../branding';
import { useFormat, useT } from '../i18n';
import { Card, ProblemAlert, useAction } from '../ui';

/** What the API takes: PNG or WebP up to 200 KiB (it checks the content itself; this only spares a round trip). */
const LOGO_TYPES = ['image/png', 'image/webp'];
const LOGO_MAX_BYTES = 200 * 1024;

/**
 * The organisation's branding (Manage → Setup), for administrators (`roles:update`): the name
 * and accent colour its customer screens show and its logo, with a preview of the band as the
 * kiosk, board and status page draw it and the contrast of its text.
 */
export function BrandingEditor() {
  const t = useT();
  const format = useFormat();
  const [settings, setSettings] = useState<TenantSettings | null>(null);
  const [displayName, setDisplayName] = useState('');
  const [accentColor, setAccentColor] = useState('');
  /** A new logo as a data URL; null: remove it; undefined: keep it. */
  const [logo, setLogo] = useState<string | null | undefined>(undefined);
  const [fileError, setFileError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const load = useAction();
  const save = useAction();
  const allowed = can('roles:update');

  const show = (s: TenantSettings) => {
    setSettings(s);
    setDisplayName(s.branding.displayName ?? '');
    setAccentColor(s.branding.accentColor ?? '');
    setLogo(undefined);
  };
  useEffect(() => {
    if (allowed) void load.run(() => get<TenantSettings>('/v1/tenant')).then((s) => s && show(s));
  }, [allowed]);
  if (!allowed) return null;

  const pick = (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (!LOGO_TYPES.includes(file.type) || file.size > LOGO_MAX_BYTES) {
      setFileError(t('manage.branding.logoRules'));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => setLogo(String(reader.result));
    reader.readAsDataURL(file);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const branding: Record<string, string | null> = {
      displayName: displayName.trim() || null,
      accentColor: accentColor || null,
    };
    if (logo !== undefined) branding.logo = logo;
    const s = await save.run(() => patch<TenantSettings>('/v1/tenant', { branding }));
    if (s) {
      show(s);
      setSaved(true);
    }
  };

  const preview = {
    displayName: displayName.trim() || null,
    accentColor: accentColor || null,
    logoUrl: null,
  };
  const previewLogo = logo === undefined ? logoSrc(settings?.branding) : logo;
  return (
    <Card title={t('manage.branding.title')}>
      <ProblemAlert error={load.error ?? save.error} />
      {settings ? (
        <form class="branding-form" onSubmit={(e) => void submit(e)}>
          <p class="muted">{t('manage.branding.intro')}</p>
          <label class="field" for="branding-name">
            <span>{t('manage.branding.displayName')}</span>
            <input
              id="branding-name"
              maxLength={100}
              value={displayName}
              placeholder={settings.name}
              onInput={(e) => setDisplayName(e.currentTarget.value)}
            />
          </label>
          <div class="row">
            <label class="field" for="branding-color">
              <span>{t('manage.branding.accentColor')}</span>
              <input
                id="branding-color"
                type="color"
                value={accentColor || '#1565c0'}
                onInput={(e) => setAccentColor(e.currentTarget.value.toUpperCase())}
              />
            </label>
            {accentColor ? (
              <button type="button" class="ghost" onClick={() => setAccentColor('')}>
                {t('manage.branding.noColor')}
              </button>
            ) : null}
          </div>
          <label class="field" for="branding-logo">
            <span>{t('manage.branding.logo')}</span>
            <input
              id="branding-logo"
              type="file"
              accept={LOGO_TYPES.join(',')}
              aria-describedby="branding-logo-rules"
              onChange={(e) => pick(e.currentTarget.files?.[0])}
            />
            <small id="branding-logo-rules">{t('manage.branding.logoRules')}</small>
          </label>
          {fileError ? (
            <p class="error" role="alert">
              {fileError}
            </p>
          ) : null}
          {previewLogo ? (
            <button type="button" class="ghost" onClick={() => setLogo(null)}>
              {t('manage.branding.removeLogo')}
            </button>
          ) : null}
          <p class="muted">{t('manage.branding.preview')}</p>
          <div class="branding-preview">
            <BrandBand branding={preview} fallbackName={settings.name} logo={previewLogo} />
          </div>
          {accentColor ? (
            <p class="muted" data-testid="branding-contrast">
              {t('manage.branding.contrast', {
                ratio: format.number(
                  Math.round(contrastRatio(accentColor, textColorOn(accentColor)) * 10) / 10,
                ),
              })}
            </p>
          ) : null}
          <div class="row">
            <button type="submit" class="primary" disabled={save.busy}>
              {t('manage.branding.save')}
            </button>
            {saved ? <span role="status">{t('manage.branding.saved')}</span> : null}
          </div>
        </form>
      ) : load.error ? null : (
        <p class="muted">{t('common.loading')}</p>
      )}
    </Card>
  );
}
