'use strict';

// autocannon verifyBody, loaded by path in autocannon's worker thread: a success of the 面签
// family is either the `{"code":1,…}` envelope or the desk list's bare page, which starts with
// its 驳回 count. Failures answer `{"code":0,…}` (or another status), and count as mismatches.
module.exports = function verifySuccess(body) {
  return body.startsWith('{"code":1,') || body.startsWith('{"bohui_count":');
};
