import type { Catalogue } from '#core/i18n/index';

/** The Spanish catalogue (Spain): the same keys as the English one. */
export const es: Catalogue = {
  // common
  'common.loading': 'Cargando…',
  'common.language': 'Idioma',

  // status
  'status.title': 'Su turno',

  // kiosk
  'kiosk.title': 'Saque su turno',

  // join
  'join.title': 'Únase a la cola',

  // board
  'board.title': 'Atendiendo',

  // agent
  'agent.title': 'Consola del agente',

  // manage
  'manage.title': 'Gestión',

  // message
  'message.near': 'Turno {code}: le toca pronto (como mucho {position} por delante).',
};
