import type { DialectContext } from '../shared/dialect-context.js';

/**
 * Family 5's two cookies: the session, and the trip to WeChat's authorisation (login CSRF). Both
 * HttpOnly and SameSite=Lax, as WeChat's return and the page's first load are top-level
 * navigations from another site.
 *
 * Over HTTPS (production) each carries the `__Host-` prefix, which the browser takes only as
 * Secure, for Path=/ and no Domain: a page of a sibling subdomain cannot then plant a cookie of
 * that name for this host (its own session, or a trip of its own to go with its own WeChat code)
 * to log the driver in as someone else. Plain HTTP (development) cannot hold such a cookie, so
 * there the names are bare and each cookie keeps to the paths that read it.
 */
export function parkingCookies(ctx: DialectContext) {
  const secure = ctx.config.env === 'production';
  const prefix = secure ? '__Host-' : '';
  const base = { httpOnly: true, sameSite: 'lax' as const, secure };
  return {
    session: {
      name: `${prefix}fangtong_parking`,
      options: { ...base, path: secure ? '/' : '/parking' },
    },
    trip: {
      name: `${prefix}fangtong_parking_oauth`,
      options: { ...base, path: secure ? '/' : '/parking/oauth' },
    },
  };
}
