import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../shared/dialect-context.js';
import { guardFieldFamily } from '../shared/field-family.js';
import { requireParkingCaller } from './auth.js';
import { failFor, parkingRefusal } from './envelope.js';
import { PARKING_HTTP_STATUS } from './error-map.js';
import { carNumsAddRoute } from './routes/car-nums.add.route.js';
import { carNumsDeleteRoute } from './routes/car-nums.delete.route.js';
import { oauthAuthorizeRoute } from './routes/oauth.authorize.route.js';
import { oauthCallbackRoute } from './routes/oauth.callback.route.js';
import { orderFileRoute } from './routes/order.file.route.js';
import { orderRenewRoute } from './routes/order.renew.route.js';
import { orderWechatPayRoute } from './routes/order.wechat-pay.route.js';
import { parkExtraInfosRoute } from './routes/park.extra-infos.route.js';
import { parkOrganizationsRoute } from './routes/park.organizations.route.js';
import type { ParkingRouteFile } from './routes/shared.js';
import { PARKING_FIELD_LABELS } from './routes/shared.js';
import { smsSendCodeRoute } from './routes/sms.send-code.route.js';
import { userFindByCarNumRoute } from './routes/user.find-by-car-num.route.js';
import { userFindByCardIdRoute } from './routes/user.find-by-card-id.route.js';
import { userUpdateRoute } from './routes/user.update.route.js';

export { parkingRefusal } from './envelope.js';

/** The WeChat login: no session needed, it makes one. */
const OAUTH_ROUTES: readonly ParkingRouteFile[] = [oauthAuthorizeRoute, oauthCallbackRoute];

/** The spec's calls, behind the caller's session, one file per URL (numbers as in docs/parking.md). */
const PARKING_ROUTES: readonly ParkingRouteFile[] = [
  userFindByCarNumRoute, // 1  /parking/api/user/find-by-car-num
  userFindByCardIdRoute, // 2  /parking/api/user/find-by-card-id
  userUpdateRoute, // 3  /parking/api/user/update
  parkOrganizationsRoute, // 4  /parking/api/park/organizations
  parkExtraInfosRoute, // 5  /parking/api/park/extra-infos
  orderRenewRoute, // 6  /parking/api/order/renew
  orderWechatPayRoute, // 7  /parking/api/order/wechat-pay
  smsSendCodeRoute, // 8  /parking/api/sms/send-code
  carNumsAddRoute, // 9  /parking/api/car-nums/add
  carNumsDeleteRoute, // 10 /parking/api/car-nums/delete
  orderFileRoute, // the owner's documents (call 6's extraInfo links)
];

/**
 * Family 5: the campus parking official account's page. Its own error handler and envelope
 * (`{timestamp, msg, isSuccess, resultData}`); who calls is the WeChat openId of the session.
 */
export async function parkingDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  app.decorateRequest('parkingCaller', null);
  guardFieldFamily(app, {
    refusal: parkingRefusal,
    httpStatus: PARKING_HTTP_STATUS,
    fail: (message, fields, request) => failFor(request, ctx.clock.now(), message, fields),
    labels: PARKING_FIELD_LABELS,
    invalidMessage: '参数错误',
  });
  for (const route of OAUTH_ROUTES) route(app, ctx);
  await app.register(async (scope) => {
    scope.addHook('preHandler', requireParkingCaller(ctx));
    for (const route of PARKING_ROUTES) route(scope, ctx);
  });
}
