'use strict';

// autocannon setupRequest, loaded by path in autocannon's worker thread. Each request takes the
// next entry of the request's `pool` ({ path, body? }), whichever connection sends it, so no
// two requests in flight hit the same row.
let next = 0;

module.exports = function rotateRequest(request) {
  const entry = request.pool[next % request.pool.length];
  next += 1;
  return { ...request, path: entry.path, body: entry.body === undefined ? request.body : entry.body };
};
