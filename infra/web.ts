import { api } from './api';

/**
 * The web app (web/): a static SPA on S3 + CloudFront. SST runs the Vite build in web/ with the
 * API's URL as VITE_API_URL (the app calls the API cross-origin; its CORS allows any origin).
 * The error page is the index page, so any path serves the app; in particular the link of the
 * signup mail, `<WebUrl>/verify-email?token=…`, once the functions get APP_URL = the site's URL
 * (QUEUELINE_APP_URL, see infra/api.ts).
 */
export const web = new sst.aws.StaticSite('Web', {
  path: 'web',
  build: {
    command: 'npx --no-install vite build',
    output: 'dist',
  },
  environment: {
    VITE_API_URL: api.url,
  },
  indexPage: 'index.html',
  errorPage: 'index.html',
});
