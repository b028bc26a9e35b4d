import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiGet, apiGetBare, apiPatch, apiPost, apiPut, onSession } from './client';

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () =>
        new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    ),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the API client', () => {
  it("answers the envelope's data and sends the query without empty filters", async () => {
    answer(200, { code: 1, msg: '成功', data: { bohui_count: 3 } });
    await expect(apiGet('/order_mianqian/index', { city_key: '', page_num: 2 })).resolves.toEqual({
      bohui_count: 3,
    });
    expect(fetch).toHaveBeenCalledWith('/order_mianqian/index?page_num=2', expect.anything());
  });

  it('rejects a refusal answered with HTTP 200 as an ApiError with its field errors', async () => {
    answer(200, { code: 0, msg: '订单不存在', errors: [{ field: 'son_order_id', error: '订单不存在' }] });
    const refusal = await apiGet('/order_mianqian/order_detail').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({
      message: '订单不存在',
      status: 200,
      errors: [{ field: 'son_order_id' }],
    });
  });

  it('answers a bare success as it is (the desk list)', async () => {
    answer(200, { bohui_count: 0, page_count: 1, order_list: [] });
    await expect(apiGetBare('/order_mianshen/ajax_get_list')).resolves.toEqual({
      bohui_count: 0,
      page_count: 1,
      order_list: [],
    });
  });

  it('tells the session listeners of a 401 and of a read refused with 403, and still rejects', async () => {
    const unauthorized = vi.fn();
    const forbidden = vi.fn();
    const stop = [onSession('unauthorized', unauthorized), onSession('forbidden', forbidden)];
    answer(401, { code: 0, msg: '请先登录', errors: [] });
    await expect(apiGet('/api/auth/me')).rejects.toMatchObject({ status: 401, message: '请先登录' });
    expect(unauthorized).toHaveBeenCalledTimes(1);
    answer(403, { code: 0, msg: '需要面签权限', errors: [] });
    await expect(apiGet('/order_mianqian/index')).rejects.toMatchObject({ status: 403 });
    expect(forbidden).toHaveBeenCalledTimes(1);
    for (const s of stop) s();
    answer(401, { code: 0, msg: '请先登录', errors: [] });
    await apiGet('/api/auth/me').catch(() => undefined);
    expect(unauthorized).toHaveBeenCalledTimes(1);
  });

  it('leaves a move refused with 403 to its page: it rejects with the ApiError, the shell is not told', async () => {
    const forbidden = vi.fn();
    const stop = onSession('forbidden', forbidden);
    answer(403, { code: 0, msg: '申请人不能审批自己的申请，请由另一位资金监管人员审批', errors: [] });
    const refusal = await apiPost('/api/escrow-releases/7/approve').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({
      status: 403,
      message: '申请人不能审批自己的申请，请由另一位资金监管人员审批',
    });
    expect(forbidden).not.toHaveBeenCalled();
    // A read refused with 403 still shows 无权访问.
    await apiGet('/api/escrow-orders/X').catch(() => undefined);
    expect(forbidden).toHaveBeenCalledTimes(1);
    stop();
  });

  it("sends PUT and PATCH with their JSON body and answers the envelope's data", async () => {
    answer(200, { code: 1, msg: '保存成功', data: { min_age: 25 } });
    await expect(apiPut('/api/partner-rules', { min_age: 25 })).resolves.toEqual({ min_age: 25 });
    expect(fetch).toHaveBeenCalledWith(
      '/api/partner-rules',
      expect.objectContaining({ method: 'PUT', body: JSON.stringify({ min_age: 25 }) }),
    );
    answer(200, { code: 1, msg: '保存成功', data: { id: 3, disabled: true } });
    await expect(apiPatch('/api/staff/3', { disabled: 1 })).resolves.toEqual({ id: 3, disabled: true });
    expect(fetch).toHaveBeenCalledWith(
      '/api/staff/3',
      expect.objectContaining({
        method: 'PATCH',
        body: JSON.stringify({ disabled: 1 }),
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
      }),
    );
  });

  it('rejects a PUT or PATCH refusal with its field errors; a 401 sends to login, a 403 stays with the page', async () => {
    const unauthorized = vi.fn();
    const forbidden = vi.fn();
    const stop = [onSession('unauthorized', unauthorized), onSession('forbidden', forbidden)];
    answer(200, {
      code: 0,
      msg: '不能停用自己的账号',
      errors: [{ field: 'disabled', error: '不能停用自己的账号' }],
    });
    const refusal = await apiPatch('/api/staff/1', { disabled: 1 }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 200, errors: [{ field: 'disabled' }] });
    answer(403, { code: 0, msg: '需要管理员权限', errors: [] });
    await expect(apiPut('/api/partner-rules', {})).rejects.toMatchObject({ status: 403 });
    await expect(apiPatch('/api/staff/2', {})).rejects.toMatchObject({ status: 403 });
    expect(forbidden).not.toHaveBeenCalled();
    answer(401, { code: 0, msg: '请先登录', errors: [] });
    await expect(apiPatch('/api/staff/2', {})).rejects.toMatchObject({ status: 401 });
    await expect(apiPut('/api/partner-rules', {})).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).toHaveBeenCalledTimes(2);
    for (const s of stop) s();
  });
});
