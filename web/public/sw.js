/**
 * The status page's service worker (web/src/screens/status-notify.tsx): it shows the near-turn
 * and called messages the server sends by web push, and a click opens the ticket's page. The
 * payload is `{ title, body, url, event, tag }` (core/adapters/notify/sender.ts), its words already
 * in the branch's language.
 */
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(message.title ?? '', {
      body: message.body ?? '',
      // One notification per ticket and event: a repeat replaces, never stacks.
      tag: message.tag ? `${message.tag}:${message.event}` : undefined,
      data: { url: message.url ?? null },
      requireInteraction: message.event === 'called',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url;
  if (!url) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === url);
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});
