import type { Catalogue } from '#core/i18n/index';

/** The Spanish catalogue (Spain): the same keys as the English one. */
export const es: Catalogue = {
  // common
  'common.loading': 'Cargando…',
  'common.language': 'Idioma',

  // status
  'status.title': 'Su turno',
  'status.contact.erase': 'Borrar mis datos de contacto',
  'status.contact.confirm':
    '¿Borrar el nombre, el teléfono y el correo electrónico que dio para este turno? Conserva su lugar, pero ya no podremos avisarle.',
  'status.contact.yes': 'Sí, borrarlos',
  'status.contact.no': 'No, conservarlos',
  'status.contact.erased': 'Se han borrado sus datos de contacto.',

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
