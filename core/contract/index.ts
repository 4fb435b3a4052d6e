import type { RouteDef } from './define';
import { closeDayRoute } from './routes/day-close/close-day';
import { closeDayStatusRoute } from './routes/day-close/close-day-status';
import { createRoleRoute } from './routes/identity/create-role';
import { createUserRoute } from './routes/identity/create-user';
import { deleteRoleRoute } from './routes/identity/delete-role';
import { deleteUserRoute } from './routes/identity/delete-user';
import { forgotPasswordRoute } from './routes/identity/forgot-password';
import { getRoleRoute } from './routes/identity/get-role';
import { getUserRoute } from './routes/identity/get-user';
import { listPermissionsRoute } from './routes/identity/list-permissions';
import { listRolesRoute } from './routes/identity/list-roles';
import { listUsersRoute } from './routes/identity/list-users';
import { loginRoute } from './routes/identity/login';
import { logoutRoute } from './routes/identity/logout';
import { meRoute } from './routes/identity/me';
import { refreshRoute } from './routes/identity/refresh';
import { resetPasswordRoute } from './routes/identity/reset-password';
import { signupRoute } from './routes/identity/signup';
import { updateRoleRoute } from './routes/identity/update-role';
import { updateUserRoute } from './routes/identity/update-user';
import { verifyEmailRoute } from './routes/identity/verify-email';
import { branchReportRoute } from './routes/reports/branch-report';
import { branchTodayRoute } from './routes/reports/branch-today';
import { reportsSummaryRoute } from './routes/reports/reports-summary';
import { createBranchRoute } from './routes/setup/create-branch';
import { createCounterRoute } from './routes/setup/create-counter';
import { createPriorityRoute } from './routes/setup/create-priority';
import { createQueueRoute } from './routes/setup/create-queue';
import { deleteBranchRoute } from './routes/setup/delete-branch';
import { deleteCounterRoute } from './routes/setup/delete-counter';
import { deletePriorityRoute } from './routes/setup/delete-priority';
import { deleteQueueRoute } from './routes/setup/delete-queue';
import { getBranchRoute } from './routes/setup/get-branch';
import { getCounterRoute } from './routes/setup/get-counter';
import { getPriorityRoute } from './routes/setup/get-priority';
import { getQueueRoute } from './routes/setup/get-queue';
import { listBranchesRoute } from './routes/setup/list-branches';
import { listCountersRoute } from './routes/setup/list-counters';
import { listPrioritiesRoute } from './routes/setup/list-priorities';
import { listQueuesRoute } from './routes/setup/list-queues';
import { updateBranchRoute } from './routes/setup/update-branch';
import { updateCounterRoute } from './routes/setup/update-counter';
import { updatePriorityRoute } from './routes/setup/update-priority';
import { updateQueueRoute } from './routes/setup/update-queue';
import { docsRoute } from './routes/system/docs';
import { docsAssetRoute } from './routes/system/docs-asset';
import { healthRoute } from './routes/system/health';
import { jwksRoute } from './routes/system/jwks';
import { liveConfigRoute } from './routes/system/live-config';
import { openapiRoute } from './routes/system/openapi';
import { pushKeyRoute } from './routes/system/push-key';
import { getBrandingRoute } from './routes/tenant/get-branding';
import { getTenantRoute } from './routes/tenant/get-tenant';
import { publicLogoRoute } from './routes/tenant/public-logo';
import { updateTenantRoute } from './routes/tenant/update-tenant';
import { boardRoute } from './routes/tickets/board';
import { callNextRoute } from './routes/tickets/call-next';
import { cancelTicketRoute } from './routes/tickets/cancel-ticket';
import { completeTicketRoute } from './routes/tickets/complete-ticket';
import { enqueueRoute } from './routes/tickets/enqueue';
import { getTicketRoute } from './routes/tickets/get-ticket';
import { listTicketsRoute } from './routes/tickets/list-tickets';
import { noShowTicketRoute } from './routes/tickets/no-show-ticket';
import { publicBranchRoute } from './routes/tickets/public-branch';
import { publicCancelTicketRoute } from './routes/tickets/public-cancel-ticket';
import { publicEraseContactRoute } from './routes/tickets/public-erase-contact';
import { publicFeedbackRoute } from './routes/tickets/public-feedback';
import { publicNotifyRoute } from './routes/tickets/public-notify';
import { publicSubscribeRoute } from './routes/tickets/public-subscribe';
import { publicTicketRoute } from './routes/tickets/public-ticket';
import { reassignRoute } from './routes/tickets/reassign';
import { recallTicketRoute } from './routes/tickets/recall-ticket';
import { remoteJoinRoute } from './routes/tickets/remote-join';
import { startTicketRoute } from './routes/tickets/start-ticket';
import { transferTicketRoute } from './routes/tickets/transfer-ticket';

/**
 * THE route table: every HTTP route of Queueline, once. infra/api.ts creates one Lambda per
 * entry, the local server and the catch-all (functions/not-found.ts) route by it, and the OpenAPI
 * generator documents it. Each entry lives in its own file, routes/<area>/<function>.ts, which
 * its function imports alone (docsRoute/performance.md §1 says why).
 */
export const routes: readonly RouteDef[] = [
  healthRoute,
  jwksRoute,
  liveConfigRoute,
  openapiRoute,
  docsRoute,
  docsAssetRoute,
  signupRoute,
  verifyEmailRoute,
  loginRoute,
  refreshRoute,
  logoutRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  meRoute,
  listPermissionsRoute,
  createRoleRoute,
  listRolesRoute,
  getRoleRoute,
  updateRoleRoute,
  deleteRoleRoute,
  createUserRoute,
  listUsersRoute,
  getUserRoute,
  updateUserRoute,
  deleteUserRoute,
  getTenantRoute,
  updateTenantRoute,
  getBrandingRoute,
  createPriorityRoute,
  listPrioritiesRoute,
  getPriorityRoute,
  updatePriorityRoute,
  deletePriorityRoute,
  createBranchRoute,
  listBranchesRoute,
  getBranchRoute,
  updateBranchRoute,
  deleteBranchRoute,
  createQueueRoute,
  listQueuesRoute,
  getQueueRoute,
  updateQueueRoute,
  deleteQueueRoute,
  createCounterRoute,
  listCountersRoute,
  getCounterRoute,
  updateCounterRoute,
  deleteCounterRoute,
  enqueueRoute,
  listTicketsRoute,
  getTicketRoute,
  callNextRoute,
  startTicketRoute,
  completeTicketRoute,
  noShowTicketRoute,
  recallTicketRoute,
  cancelTicketRoute,
  transferTicketRoute,
  reassignRoute,
  boardRoute,
  publicTicketRoute,
  publicCancelTicketRoute,
  publicEraseContactRoute,
  publicLogoRoute,
  publicFeedbackRoute,
  publicBranchRoute,
  remoteJoinRoute,
  pushKeyRoute,
  publicNotifyRoute,
  publicSubscribeRoute,
  closeDayRoute,
  closeDayStatusRoute,
  branchReportRoute,
  reportsSummaryRoute,
  branchTodayRoute,
];
