import type { ThrottleWindow } from '../../../domain/login-throttle';

/** Failed-login window of one tenant slug + username (lower-case); no tenant prefix, it precedes login. */
export const loginThrottleKey = (subject: string) => ({ pk: `LOGIN#${subject}`, sk: 'LOGIN' });

export interface LoginThrottleItem extends ThrottleWindow {
  pk: string;
  sk: string;
  type: 'login-throttle';
  ttl: number;
}
