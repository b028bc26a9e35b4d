import {
  PARKING_AUDIT_STATE_LABELS,
  PARKING_ORDER_STATE_LABELS,
  type ParkingAuditState,
  type ParkingOrderState,
} from '../../../src/modules/parking/parking-state';
import { apiGet, apiPost } from './client';

export {
  PARKING_AUDIT_STATE_LABELS,
  PARKING_ORDER_STATE_LABELS,
  type ParkingAuditState,
  type ParkingOrderState,
};

/** 01 校内 / 02 校外 (the order's price_type). */
export const PRICE_TYPE_LABELS: Record<string, string> = { '01': '校内', '02': '校外' };
/** unit_type: what a product is bought by. */
export const UNIT_TYPE_LABELS: Record<string, string> = {
  '1': '小时',
  '2': '天',
  '3': '周',
  '4': '月',
  '5': '年',
};
/** order_type. */
export const ORDER_TYPE_LABELS: Record<number, string> = { 0: '首次购买', 1: '续费' };

/** ParkingOrderView (src/dialects/mianqian/routes/api.parking-orders.route.ts): money in fen, times epoch ms. */
export interface ParkingOrder {
  id: string;
  park_id: string;
  card_id: string;
  user_id: string;
  product_id: string;
  product_v_id: string;
  product_name: string;
  price_type: string;
  unit_type: string;
  count: number;
  amount_fen: number;
  start_dt: number;
  end_dt: number;
  order_type: number;
  state: ParkingOrderState;
  is_audit_before_pay: number;
  audit_state: ParkingAuditState;
  audit_reason: string | null;
  audited_by: string | null;
  audited_at: number | null;
  extra_info: { type: string; name: string; code: string; content: string; slot?: number }[];
  first_org_name: string | null;
  first_org_code: string | null;
  second_org_name: string | null;
  second_org_code: string | null;
  user_department: string | null;
  duplicate_code: string | null;
  out_trade_no: string | null;
  pay_suc_dt: number | null;
  prev_end_dt: number | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

export interface ParkingOrderFile {
  id: number;
  slot: number;
  code: string;
  name: string;
  type: string;
  /** As the bytes showed at upload: image/jpeg, image/png or application/pdf. */
  content_type: string;
  size: number;
  created_at: number;
}

export type ParkingOrderDetail = ParkingOrder & { files: ParkingOrderFile[] };

export interface ParkingOrderFilter {
  audit_state?: string;
  state?: string;
  page?: number;
  page_size?: number;
}

/** GET /api/parking/orders: newest first; the review queue is audit_state=02. */
export const parkingOrders = (filter: ParkingOrderFilter) =>
  apiGet<{ page: number; page_size: number; total: number; orders: ParkingOrder[] }>('/api/parking/orders', {
    ...filter,
  });

/** GET /api/parking/orders/:id: 404 for an unknown order. */
export const parkingOrder = (id: string) => apiGet<ParkingOrderDetail>(`/api/parking/orders/${id}`);

/** Where a document's bytes are served (an attachment; an <img> shows it all the same). */
export const parkingFileUrl = (orderId: string, fileId: number) =>
  `/api/parking/orders/${orderId}/files/${fileId}`;

/** 审核中 → 已审核: the driver's pay period starts. 409 when the order is no longer in review. */
export const approveParkingOrder = (id: string) =>
  apiPost<ParkingOrderDetail>(`/api/parking/orders/${id}/approve`);

/** 审核中 → 审核拒绝 with the reason; the order closes. */
export const refuseParkingOrder = (id: string, reason: string) =>
  apiPost<ParkingOrderDetail>(`/api/parking/orders/${id}/refuse`, { reason });

/** A paid order refunded in full through WeChat (→ 退款中 until WeChat's notify). */
export const refundParkingOrder = (id: string, reason: string) =>
  apiPost<ParkingOrderDetail & { refund: { out_refund_no: string; amount_fen: number } }>(
    `/api/parking/orders/${id}/refund`,
    { reason },
  );

/**
 * What staff may do to an order in its state, as the server's review service allows it: approve
 * and refuse only while 审核中 (02), refund only a paid order (03). The buttons follow this; the
 * server still refuses (409) a move the order's state no longer allows.
 */
export function reviewActions(order: Pick<ParkingOrder, 'audit_state' | 'state'>) {
  const inReview = order.audit_state === '02';
  return { approve: inReview, refuse: inReview, refund: order.state === '03' };
}

export interface Park {
  id: string;
  name: string;
  created_at: string;
}

export const parks = () => apiGet<{ parks: Park[] }>('/api/parking/parks');

interface ConfiguredOrg {
  name: string;
  org_code: string;
  /** 0 使用中 1 停用 (the spec's encoding) */
  is_used: number;
}
/** What a park is configured with (GET /api/parking/parks/:id); prices in 元 as the server writes them. */
export interface ParkConfiguration extends Park {
  orgs: Array<ConfiguredOrg & { children: ConfiguredOrg[] }>;
  extras: Array<{ name: string; code: string; type: string; required: number }>;
  products: Array<{
    id: string;
    name: string;
    unit_type: string;
    unit_count: number;
    audit_before_pay: number;
    active: number;
    version: { id: string; inside_price: string; outside_price: string; created_at: string } | null;
  }>;
}
export const parkConfiguration = (parkId: string) =>
  apiGet<ParkConfiguration>(`/api/parking/parks/${encodeURIComponent(parkId)}`);
export const addPark = (park: { id: string; name: string }) => apiPost<Park>('/api/parking/parks', park);

export interface ParkOrg {
  id: string;
  name: string;
  org_code: string;
  level: number;
  parent_org_code: string | null;
}
export interface OrgInput {
  name: string;
  org_code: string;
  children?: { name: string; org_code: string }[];
}
/** First-level orgs (学院) with their second level (系); codes unique within the park. */
export const addParkOrgs = (parkId: string, orgs: OrgInput[]) =>
  apiPost<{ orgs: ParkOrg[] }>(`/api/parking/parks/${encodeURIComponent(parkId)}/orgs`, { orgs });

export interface ParkExtra {
  id: string;
  name: string;
  code: string;
  /** 0 文本 1 图片 */
  type: string;
  seq: number;
  required: boolean;
}
export interface ExtraInput {
  name: string;
  code: string;
  type: '0' | '1';
  required?: boolean;
}
/** Extra items after the park's own; their order is the order's files' order. */
export const addParkExtras = (parkId: string, extras: ExtraInput[]) =>
  apiPost<{ extras: ParkExtra[] }>(`/api/parking/parks/${encodeURIComponent(parkId)}/extras`, { extras });

/** A price version: prices in 元 as strings ("150.00"), as the routes take and answer them. */
export interface ProductVersion {
  id: string;
  product_id: string;
  inside_price: string;
  outside_price: string;
}
export interface ProductInput {
  park_id: string;
  name: string;
  unit_type: string;
  unit_count?: number;
  audit_before_pay: boolean;
  inside_price: string;
  outside_price: string;
}
export interface Product {
  id: string;
  park_id: string;
  name: string;
  unit_type: string;
  unit_count: number;
  rent_type: string;
  card_type: string;
  audit_before_pay: boolean;
  version: ProductVersion;
}
export const addProduct = (product: ProductInput) => apiPost<Product>('/api/parking/products', product);

/** New prices: a new version, current from now on (orders on the old one are refused). */
export const addProductVersion = (
  productId: string,
  prices: { inside_price: string; outside_price: string },
) => apiPost<ProductVersion>(`/api/parking/products/${encodeURIComponent(productId)}/versions`, prices);
